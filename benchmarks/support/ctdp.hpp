#pragma once

// CTDP instance generator after Ríos-Mercado & Fernández (2009), "A reactive GRASP for a
// commercial territory design problem with multiple balancing requirements", C&OR 36(3):
// n basic units with 3 activities — number of customers U{4..20} (integer), product demand
// U[15,400], workload U[15,100] — located uniformly in a square (here [0,1000]²), or in
// Gaussian clusters, with Delaunay adjacency. A rook grid is offered for the 10⁶ case.
// Deterministic from the seed (territory::rng; no std distributions).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <Eigen/Core>

#include <territory/core/ids.hpp>
#include <territory/core/random.hpp>
#include <territory/geo/delaunay.hpp>
#include <territory/graph/adjacency.hpp>

namespace territory::bench {

enum class layout : std::uint8_t { uniform, clustered, grid };

inline const char* to_string(layout l) {
  switch (l) {
    case layout::uniform: return "uniform";
    case layout::clustered: return "clustered";
    case layout::grid: return "grid";
  }
  return "?";
}

/// A territory design instance: generated here or loaded from a paper-instance folder.
struct instance {
  std::string name;
  Eigen::MatrixX2d xy;           // n x 2 planar coordinates
  Eigen::MatrixXd activities;    // n x m, rows = units
  std::vector<std::string> activity_names;
  adjacency graph;               // Delaunay (generated) or the file's adjacency
  territory_index p = 1;
  double tau = 0.05;
  /// Best published max diameter (paper instances), NaN otherwise.
  double reference_best_diameter = std::numeric_limits<double>::quiet_NaN();
  /// True for aly2024: the reference metric is the shortest-path diameter over edge lengths
  /// (graph.lengths()).
  bool shortest_path_metric = false;
  [[nodiscard]] std::size_t size() const { return static_cast<std::size_t>(xy.rows()); }
};

/// Generates a CTDP instance. `side` is the square's side length.
/// clustered: k = max(3, round(sqrt(n)/3)) Gaussian clusters with centres uniform in the square,
/// cluster weights uniform in [0.5, 1.5), standard deviation side/(3·sqrt(k)), points clipped to
/// the square. grid: ⌈√n⌉ columns at unit*side/⌈√n⌉ spacing, rook adjacency.
[[nodiscard]] inline instance make_ctdp(std::size_t n, territory_index p, layout kind, std::uint64_t seed,
                                        double tau = 0.05, double side = 1000.0) {
  instance out;
  out.name = std::string("ctdp-") + to_string(kind) + "-n" + std::to_string(n) + "-p" + std::to_string(p) + "-s" +
             std::to_string(seed);
  out.p = p;
  out.tau = tau;
  out.activity_names = {"customers", "demand", "workload"};
  const auto rows = static_cast<Eigen::Index>(n);
  out.xy.resize(rows, 2);
  out.activities.resize(rows, 3);
  rng geo(derive_seed(seed, 1));
  rng act(derive_seed(seed, 2));
  if (kind == layout::uniform) {
    for (Eigen::Index i = 0; i < rows; ++i) {
      out.xy(i, 0) = geo.uniform_real(0, side);
      out.xy(i, 1) = geo.uniform_real(0, side);
    }
  } else if (kind == layout::clustered) {
    const auto k = std::max<std::size_t>(3, static_cast<std::size_t>(std::lround(std::sqrt(static_cast<double>(n)) / 3)));
    std::vector<double> cx(k), cy(k), cw(k);
    double total = 0;
    for (std::size_t c = 0; c < k; ++c) {
      cx[c] = geo.uniform_real(0.1 * side, 0.9 * side);
      cy[c] = geo.uniform_real(0.1 * side, 0.9 * side);
      cw[c] = geo.uniform_real(0.5, 1.5);
      total += cw[c];
    }
    const double sd = side / (3.0 * std::sqrt(static_cast<double>(k)));
    for (Eigen::Index i = 0; i < rows; ++i) {
      double u = geo.uniform01() * total;
      std::size_t c = 0;
      while (c + 1 < k && u >= cw[c]) u -= cw[c++];
      out.xy(i, 0) = std::clamp(geo.normal(cx[c], sd), 0.0, side);
      out.xy(i, 1) = std::clamp(geo.normal(cy[c], sd), 0.0, side);
    }
  } else {
    const auto cols = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(n))));
    const double step = side / static_cast<double>(cols);
    std::vector<edge> edges;
    edges.reserve(2 * n);
    for (std::size_t i = 0; i < n; ++i) {
      const auto r = i / cols, c = i % cols;
      out.xy(static_cast<Eigen::Index>(i), 0) = static_cast<double>(c) * step;
      out.xy(static_cast<Eigen::Index>(i), 1) = static_cast<double>(r) * step;
      if (c + 1 < cols && i + 1 < n) edges.push_back({static_cast<account_index>(i), static_cast<account_index>(i + 1)});
      if (i + cols < n) edges.push_back({static_cast<account_index>(i), static_cast<account_index>(i + cols)});
    }
    out.graph = adjacency::from_edges(n, edges);
  }
  for (Eigen::Index i = 0; i < rows; ++i) {
    out.activities(i, 0) = static_cast<double>(act.uniform_int(4, 20));
    out.activities(i, 1) = act.uniform_real(15, 400);
    out.activities(i, 2) = act.uniform_real(15, 100);
  }
  if (kind != layout::grid) out.graph = delaunay_adjacency(out.xy);
  return out;
}

}  // namespace territory::bench
