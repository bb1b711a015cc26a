#pragma once

// Loader for the published instances under /work/shared/paper-instances (or
// $TERRITORY_PAPER_INSTANCES): commdis-DL (Gliesch, Ritt & Moreira 2018) and aly2024-T/G
// (Aly et al. 2024). Read at run time only — the files are licensed for non-commercial use
// and are never copied into the repository. Every function returns empty results when the
// folder is absent, so the benchmarks skip gracefully.
//
// Folder layout: accounts.csv (`id,x,y,<3 activities>`), adjacency.csv (`a,b` by id),
// meta.json (p, tau, reference_best_diameter, ...), edge_lengths.csv (`a,b,length`, aly2024).

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/ctdp.hpp"

namespace territory::bench {

/// Root folder of the paper instances: $TERRITORY_PAPER_INSTANCES, else /work/shared/paper-instances.
[[nodiscard]] inline std::filesystem::path paper_instances_root() {
  if (const char* env = std::getenv("TERRITORY_PAPER_INSTANCES"); env != nullptr && *env != '\0') return env;
  return "/work/shared/paper-instances";
}

/// Instance folders of one set ("commdis-DL", "aly2024-T"), sorted by name; empty if absent.
[[nodiscard]] inline std::vector<std::filesystem::path> paper_instance_dirs(const std::string& set) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  const auto dir = paper_instances_root() / set;
  if (!std::filesystem::is_directory(dir, ec)) return out;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.is_directory() && std::filesystem::exists(e.path() / "accounts.csv")) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

namespace detail_paper {

inline std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::string cell;
  std::istringstream s(line);
  while (std::getline(s, cell, ',')) {
    while (!cell.empty() && (cell.back() == '\r' || cell.back() == ' ')) cell.pop_back();
    out.push_back(cell);
  }
  return out;
}

inline std::vector<std::vector<std::string>> read_csv(const std::filesystem::path& file, std::vector<std::string>* header) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot open " + file.string());
  std::string line;
  std::vector<std::vector<std::string>> rows;
  bool first = true;
  while (std::getline(in, line)) {
    if (line.empty() || line == "\r") continue;
    auto cells = split(line);
    if (first) {
      first = false;
      if (header != nullptr) *header = cells;
      continue;
    }
    rows.push_back(std::move(cells));
  }
  return rows;
}

/// First occurrence of `"key": <number>` in a JSON text (top-level keys come first in meta.json).
inline std::optional<double> json_number(const std::string& text, const std::string& key) {
  const auto pos = text.find("\"" + key + "\"");
  if (pos == std::string::npos) return std::nullopt;
  auto colon = text.find(':', pos);
  if (colon == std::string::npos) return std::nullopt;
  const char* begin = text.c_str() + colon + 1;
  char* end = nullptr;
  const double v = std::strtod(begin, &end);
  if (end == begin) return std::nullopt;
  return v;
}

}  // namespace detail_paper

/// Loads one paper-instance folder. Throws std::runtime_error on a malformed file.
[[nodiscard]] inline instance load_paper_instance(const std::filesystem::path& dir) {
  using namespace detail_paper;
  instance out;
  out.name = dir.filename().string();
  std::vector<std::string> header;
  const auto rows = read_csv(dir / "accounts.csv", &header);
  if (header.size() < 4) throw std::runtime_error(dir.string() + ": accounts.csv needs id,x,y and activities");
  const auto n = static_cast<Eigen::Index>(rows.size());
  const auto m = static_cast<Eigen::Index>(header.size() - 3);
  out.activity_names.assign(header.begin() + 3, header.end());
  out.xy.resize(n, 2);
  out.activities.resize(n, m);
  std::map<std::string, account_index> index;
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto& r = rows[static_cast<std::size_t>(i)];
    if (static_cast<Eigen::Index>(r.size()) != m + 3) throw std::runtime_error(dir.string() + ": short row in accounts.csv");
    index.emplace(r[0], static_cast<account_index>(i));
    out.xy(i, 0) = std::stod(r[1]);
    out.xy(i, 1) = std::stod(r[2]);
    for (Eigen::Index j = 0; j < m; ++j) out.activities(i, j) = std::stod(r[static_cast<std::size_t>(j + 3)]);
  }
  auto id = [&](const std::string& s) {
    auto it = index.find(s);
    if (it == index.end()) throw std::runtime_error(dir.string() + ": unknown id '" + s + "' in the adjacency");
    return it->second;
  };
  std::vector<edge> edges;
  std::vector<double> lengths;
  if (std::filesystem::exists(dir / "edge_lengths.csv")) {
    for (const auto& r : read_csv(dir / "edge_lengths.csv", nullptr)) {
      edges.push_back({id(r.at(0)), id(r.at(1))});
      lengths.push_back(std::stod(r.at(2)));
    }
    out.shortest_path_metric = true;
  } else {
    for (const auto& r : read_csv(dir / "adjacency.csv", nullptr)) edges.push_back({id(r.at(0)), id(r.at(1))});
  }
  out.graph = adjacency::from_edges(static_cast<std::size_t>(n), edges, lengths);
  std::ifstream meta(dir / "meta.json");
  std::stringstream text;
  text << meta.rdbuf();
  const std::string json = text.str();
  out.p = static_cast<territory_index>(json_number(json, "p").value_or(1));
  out.tau = json_number(json, "tau").value_or(0.05);
  out.reference_best_diameter =
      json_number(json, "reference_best_diameter").value_or(std::numeric_limits<double>::quiet_NaN());
  return out;
}

}  // namespace territory::bench
