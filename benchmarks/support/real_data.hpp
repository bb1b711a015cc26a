#pragma once

// Loader for the bundled real instances under data/ (exchange format v1: accounts.csv with
// id, lat, lon and numeric columns; adjacency.csv with a,b by id), and the measures the
// issue-10 table reports for them: max diameter and mean distance to the territory centre in
// km (haversine), and cut edges (adjacent units in different territories). Written without
// any code of the engine; balance and contiguity come from plan_check.hpp.

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <territory/core/plan.hpp>
#include <territory/geo/haversine.hpp>

#include "support/ctdp.hpp"
#include "support/paper_instances.hpp"

namespace territory::bench {

/// Root of the bundled data: $TERRITORY_DATA_DIR, else the source tree's data/ (compile definition).
[[nodiscard]] inline std::filesystem::path data_root() {
  if (const char* env = std::getenv("TERRITORY_DATA_DIR"); env != nullptr && *env != '\0') return env;
#if defined(TERRITORY_SOURCE_DATA_DIR)
  return TERRITORY_SOURCE_DATA_DIR;
#else
  return "data";
#endif
}

/// Loads data/<folder> with the one activity column `column`; xy = (lat, lon) in degrees.
/// Throws std::runtime_error naming the file on a missing column or an unknown id.
[[nodiscard]] inline instance load_real_instance(const std::string& folder, const std::string& column,
                                                 territory_index p, double tau) {
  using namespace detail_paper;
  const auto dir = data_root() / folder;
  instance out;
  out.name = folder;
  out.p = p;
  out.tau = tau;
  std::vector<std::string> header;
  const auto rows = read_csv(dir / "accounts.csv", &header);
  auto col = [&](const std::string& name) {
    for (std::size_t j = 0; j < header.size(); ++j) {
      if (header[j] == name) return j;
    }
    throw std::runtime_error((dir / "accounts.csv").string() + ": no column '" + name + "'");
  };
  const auto cid = col("id"), clat = col("lat"), clon = col("lon"), cact = col(column);
  const auto n = static_cast<Eigen::Index>(rows.size());
  out.xy.resize(n, 2);
  out.activities.resize(n, 1);
  out.activity_names = {column};
  std::map<std::string, account_index> index;
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto& r = rows[static_cast<std::size_t>(i)];
    index.emplace(r.at(cid), static_cast<account_index>(i));
    out.xy(i, 0) = std::stod(r.at(clat));
    out.xy(i, 1) = std::stod(r.at(clon));
    out.activities(i, 0) = std::stod(r.at(cact));
  }
  std::vector<edge> edges;
  for (const auto& r : read_csv(dir / "adjacency.csv", nullptr)) {
    const auto a = index.find(r.at(0)), b = index.find(r.at(1));
    if (a == index.end() || b == index.end()) throw std::runtime_error(dir.string() + ": unknown id in adjacency.csv");
    edges.push_back({a->second, b->second});
  }
  out.graph = adjacency::from_edges(static_cast<std::size_t>(n), edges);
  return out;
}

/// One numeric column of data/<folder>/accounts.csv, in file order (the order of load_real_instance).
/// Throws std::runtime_error naming the file on a missing column.
[[nodiscard]] inline std::vector<double> load_real_column(const std::string& folder, const std::string& column) {
  using namespace detail_paper;
  const auto file = data_root() / folder / "accounts.csv";
  std::vector<std::string> header;
  const auto rows = read_csv(file, &header);
  const auto it = std::find(header.begin(), header.end(), column);
  if (it == header.end()) throw std::runtime_error(file.string() + ": no column '" + column + "'");
  const auto j = static_cast<std::size_t>(it - header.begin());
  std::vector<double> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(std::stod(r.at(j)));
  return out;
}

/// The map-quality measures of a plan on lat/lon data.
struct map_quality {
  double max_diameter_km = 0;     // max over territories of the largest great-circle distance inside
  double mean_center_km = 0;      // mean over units of the distance to their territory's centroid (lat/lon mean)
  std::size_t cut_edges = 0;      // edges whose ends are in different territories
};

/// Exact measures: the diameter of each territory by all pairs of its units (O(sum |T|^2); fine
/// up to ~10^5 units split into >= 20 territories), the centroid as the mean of lat and lon.
[[nodiscard]] inline map_quality measure_map(const instance& inst, const plan& assignment) {
  map_quality q;
  const auto& a = assignment.assignment();
  const std::size_t n = inst.size(), p = inst.p;
  std::vector<std::vector<std::size_t>> members(p);
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] < p) members[a[i]].push_back(i);
  }
  const haversine h{};
  double sum_center = 0;
  for (const auto& mem : members) {
    if (mem.empty()) continue;
    double la = 0, lo = 0;
    for (auto i : mem) {
      la += inst.xy(static_cast<Eigen::Index>(i), 0);
      lo += inst.xy(static_cast<Eigen::Index>(i), 1);
    }
    const point c{la / static_cast<double>(mem.size()), lo / static_cast<double>(mem.size())};
    for (std::size_t x = 0; x < mem.size(); ++x) {
      const point px{inst.xy(static_cast<Eigen::Index>(mem[x]), 0), inst.xy(static_cast<Eigen::Index>(mem[x]), 1)};
      sum_center += h(px, c);
      for (std::size_t y = x + 1; y < mem.size(); ++y) {
        const point py{inst.xy(static_cast<Eigen::Index>(mem[y]), 0), inst.xy(static_cast<Eigen::Index>(mem[y]), 1)};
        q.max_diameter_km = std::max(q.max_diameter_km, h(px, py));
      }
    }
  }
  q.mean_center_km = n > 0 ? sum_center / static_cast<double>(n) : 0.0;
  for (std::size_t v = 0; v < n; ++v) {
    for (auto u : inst.graph.neighbors(static_cast<account_index>(v))) {
      if (v < u && a[v] != a[u]) ++q.cut_edges;
    }
  }
  return q;
}

}  // namespace territory::bench
