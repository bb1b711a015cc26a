#include "output.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <system_error>
#include <utility>
#include <vector>

#include "args.hpp"

namespace territory_cli {

void write_file_atomic(const std::string& path, std::string_view content) {
  const std::string tmp = path + ".tmp-territory";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error(path + ": cannot write file");
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out) {
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      throw std::runtime_error(path + ": write failed");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    throw std::runtime_error(path + ": cannot replace file (" + ec.message() + ")");
  }
}

void check_writable(const std::string& path) {
  const auto dir = std::filesystem::path(path).parent_path();
  if (!dir.empty() && !std::filesystem::is_directory(dir)) {
    throw usage_error("output directory '" + dir.string() + "' of '" + path + "' does not exist");
  }
  if (std::filesystem::is_directory(path)) throw usage_error("output '" + path + "' is a directory");
}

void check_distinct_files(const args& a, std::initializer_list<const char*> outputs,
                          std::initializer_list<const char*> inputs) {
  namespace fs = std::filesystem;
  auto key = [](const std::string& path) {
    std::error_code ec;
    const auto c = fs::weakly_canonical(fs::path(path), ec);
    return ec ? fs::path(path).lexically_normal().string() : c.string();
  };
  std::vector<std::pair<std::string, std::string>> seen;  // (canonical path, flag)
  for (const char* flag : inputs) {
    if (const auto v = a.get(flag); v && !v->empty()) seen.emplace_back(key(*v), flag);
  }
  const std::size_t n_inputs = seen.size();
  for (const char* flag : outputs) {
    const auto v = a.get(flag);
    if (!v || v->empty()) continue;
    const auto k = key(*v);
    for (std::size_t i = 0; i < seen.size(); ++i) {
      if (seen[i].first == k) {
        throw usage_error("'" + std::string(flag) + " " + *v + "' names the same file as '" + seen[i].second + "'" +
                          (i < n_inputs ? " (an input would be overwritten)" : ""));
      }
    }
    seen.emplace_back(k, flag);
  }
}

std::string json_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace territory_cli
