#include "args.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "csv.hpp"

namespace territory_cli {

args::args(int argc, char** argv, int first, std::initializer_list<std::string_view> valued,
           std::initializer_list<std::string_view> switches) {
  for (int i = first; i < argc; ++i) {
    const std::string_view a = argv[i];
    const bool is_valued = std::find(valued.begin(), valued.end(), a) != valued.end();
    const bool is_switch = std::find(switches.begin(), switches.end(), a) != switches.end();
    if (!is_valued && !is_switch) throw usage_error("unknown argument '" + std::string(a) + "'");
    if (values_.count(std::string(a)) != 0) throw usage_error("'" + std::string(a) + "' given twice");
    if (is_switch) {
      values_.emplace(std::string(a), "");
      continue;
    }
    if (i + 1 >= argc) throw usage_error("'" + std::string(a) + "' needs a value");
    values_.emplace(std::string(a), argv[++i]);
  }
}

std::optional<std::string> args::get(std::string_view flag) const {
  auto it = values_.find(flag);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string args::require(std::string_view flag) const {
  auto v = get(flag);
  if (!v || v->empty()) throw usage_error("missing required argument '" + std::string(flag) + "'");
  return *v;
}

std::optional<long long> args::get_int(std::string_view flag, long long lo, long long hi) const {
  auto v = get(flag);
  if (!v) return std::nullopt;
  long long x = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), x);
  if (ec != std::errc{} || p != v->data() + v->size() || x < lo || x > hi) {
    throw usage_error("'" + std::string(flag) + "' must be an integer in [" + std::to_string(lo) + ", " +
                      std::to_string(hi) + "], got '" + *v + "'");
  }
  return x;
}

namespace {
/// A bound for a message: 10000000, 0.5 or 1e+300 (not std::to_string's 10000000.000000).
std::string bound(double x) {
  char buf[32];
  if (std::abs(x) < 1e15 && x == std::floor(x)) {
    std::snprintf(buf, sizeof buf, "%.0f", x);
  } else {
    std::snprintf(buf, sizeof buf, "%g", x);
  }
  return buf;
}
}  // namespace

std::optional<double> args::get_double(std::string_view flag, double lo, double hi) const {
  auto v = get(flag);
  if (!v) return std::nullopt;
  auto x = parse_number(*v);
  if (!x || !std::isfinite(*x) || *x < lo || *x > hi) {
    throw usage_error("'" + std::string(flag) + "' must be a finite number in [" + bound(lo) + ", " + bound(hi) +
                      "], got '" + *v + "'");
  }
  return *x;
}

std::vector<std::string> split_list(std::string_view s, char sep) {
  std::vector<std::string> out;
  while (true) {
    const auto pos = s.find(sep);
    const auto part = trim(s.substr(0, pos));
    if (!part.empty()) out.emplace_back(part);
    if (pos == std::string_view::npos) break;
    s.remove_prefix(pos + 1);
  }
  return out;
}

}  // namespace territory_cli
