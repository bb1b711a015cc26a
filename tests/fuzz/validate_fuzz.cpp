// Fuzz target: an arbitrary small instance (ids, coordinates, one activity, edges, p) built
// from bytes. validate() must never crash; when it reports no problem the instance must be
// clean (no NaN, infinite or negative activity, no NaN or out-of-range coordinate, no empty or
// duplicate id, no self-loop, no locked account without owner) and usable (adjacency builds,
// every id resolves); when it reports problems, throw_if_invalid() must throw invalid_input.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include <territory/core.hpp>
#include <territory/graph/adjacency.hpp>

#include "fuzz/fuzz_support.hpp"

namespace {
using reader = territory_fuzz::byte_reader;

double value(reader& r) {
  switch (r.byte() % 8) {
    case 0: return std::numeric_limits<double>::quiet_NaN();
    case 1: return std::numeric_limits<double>::infinity();
    case 2: return -1.0 * r.byte();
    default: return r.byte() * 1.5;
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  reader r{data, size};
  const std::size_t n = r.byte() % 12;
  std::vector<std::string> ids;
  Eigen::MatrixX2d xy(static_cast<Eigen::Index>(n), 2);
  Eigen::VectorXd act(static_cast<Eigen::Index>(n));
  for (std::size_t i = 0; i < n; ++i) {
    const auto b = r.byte();
    ids.push_back(b % 7 == 0 ? std::string() : std::string(1, static_cast<char>('a' + b % 9)));
    xy(static_cast<Eigen::Index>(i), 0) = value(r) - 100;
    xy(static_cast<Eigen::Index>(i), 1) = value(r) - 100;
    act(static_cast<Eigen::Index>(i)) = value(r);
  }
  const auto system = (r.byte() % 2) ? territory::coordinate_system::wgs84 : territory::coordinate_system::planar;
  territory::account_table t(ids, xy, system);
  t.add_activity("revenue", act);
  std::vector<std::uint8_t> locked(n);
  std::vector<std::string> owners(n);
  for (std::size_t i = 0; i < n; ++i) {
    locked[i] = r.byte() % 4 == 0;
    owners[i] = r.byte() % 3 == 0 ? "" : "r1";
  }
  t.set_locked(locked);
  t.set_owners(owners);
  std::vector<std::string> names;
  const std::size_t e = r.byte() % 16;
  for (std::size_t k = 0; k < 2 * e; ++k) names.emplace_back(1, static_cast<char>('a' + r.byte() % 10));
  std::vector<territory::edge_ref> edges;
  for (std::size_t k = 0; k < e; ++k) edges.push_back({names[2 * k], names[2 * k + 1]});
  const std::size_t p = r.byte() % 14;

  const auto report = territory::validate(t, {.edges = edges, .territories = p});
  if (report.ok()) {
    // everything validate() promises to catch is absent: ids non-empty and unique, activities
    // finite and >= 0, coordinates finite (and in range for WGS84), locked accounts owned,
    // edges between two different known ids, 1 <= p <= n
    for (std::size_t i = 0; i < n; ++i) {
      const auto a = static_cast<Eigen::Index>(i);
      if (ids[i].empty()) std::abort();
      for (std::size_t j = 0; j < i; ++j) {
        if (ids[j] == ids[i]) std::abort();
      }
      if (!std::isfinite(act(a)) || act(a) < 0) std::abort();
      if (!std::isfinite(xy(a, 0)) || !std::isfinite(xy(a, 1))) std::abort();
      if (system == territory::coordinate_system::wgs84 && (std::abs(xy(a, 0)) > 90 || std::abs(xy(a, 1)) > 180)) std::abort();
      if (locked[i] && owners[i].empty()) std::abort();
    }
    for (const auto& [a, b] : edges) {
      if (a == b) std::abort();
    }
    std::vector<territory::edge> idx;
    for (const auto& [a, b] : edges) idx.push_back({t.index_of(a), t.index_of(b)});  // must not throw
    const auto g = territory::adjacency::from_edges(n, idx);                       // must not throw
    if (g.size() != n || p < 1 || p > n) std::abort();
  } else {
    try {
      report.throw_if_invalid();
      std::abort();  // a report with problems must throw
    } catch (const territory::invalid_input&) {
    }
  }
  return 0;
}
