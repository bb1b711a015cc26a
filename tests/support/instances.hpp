#pragma once

// Shared test instances and independent checks for the balance tests: a jittered grid with
// random diagonals and three activities in the Rios-Mercado & Fernandez ranges, and the number
// of connected pieces of a territory by breadth-first search (no engine code involved).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <Eigen/Core>

#include <territory/core/ids.hpp>
#include <territory/core/random.hpp>
#include <territory/graph/adjacency.hpp>

namespace territory::test {

struct instance {
  Eigen::MatrixXd acts;
  Eigen::MatrixX2d xy;
  adjacency graph;
};

/// One activity column of a test instance: uniform on [lo, hi], whole numbers if `integer`.
struct activity_range {
  double lo = 0.0, hi = 1.0;
  bool integer = false;
};

/// Customers U{4..20}, demand U[15, 400], workload U[15, 100] (Rios-Mercado & Fernandez 2009).
inline const std::vector<activity_range> ctdp_activities{{4, 20, true}, {15, 400, false}, {15, 100, false}};

/// Jittered rows x cols grid with rook edges plus random diagonals, one activity per entry of
/// `columns` (default: the three CTDP activities). `blocks` > 1 cuts the grid into that many
/// vertical strips without edges between them (a disconnected graph).
inline instance jittered_grid(int rows, int cols, std::uint64_t seed, int blocks = 1,
                              const std::vector<activity_range>& columns = ctdp_activities) {
  rng gen(seed);
  const int n = rows * cols;
  const auto m = static_cast<Eigen::Index>(columns.size());
  instance in;
  in.acts.resize(n, m);
  in.xy.resize(n, 2);
  std::vector<edge> edges;
  const int strip = (cols + blocks - 1) / blocks;
  for (int i = 0; i < rows; ++i) {
    for (int j = 0; j < cols; ++j) {
      const int k = i * cols + j;
      in.xy(k, 0) = j + gen.uniform_real(-0.3, 0.3);
      in.xy(k, 1) = i + gen.uniform_real(-0.3, 0.3);
      for (Eigen::Index c = 0; c < m; ++c) {
        const auto& r = columns[static_cast<std::size_t>(c)];
        in.acts(k, c) = r.integer ? static_cast<double>(gen.uniform_int(static_cast<std::int64_t>(r.lo),
                                                                        static_cast<std::int64_t>(r.hi)))
                                  : gen.uniform_real(r.lo, r.hi);
      }
      const auto a = static_cast<account_index>(k);
      const bool cut = (j + 1) % strip == 0;
      if (j + 1 < cols && !cut) edges.push_back({a, static_cast<account_index>(k + 1)});
      if (i + 1 < rows) edges.push_back({a, static_cast<account_index>(k + cols)});
      if (i + 1 < rows && j + 1 < cols && !cut && gen.below(2) == 0) {
        edges.push_back({a, static_cast<account_index>(k + cols + 1)});
      }
    }
  }
  in.graph = adjacency::from_edges(static_cast<std::size_t>(n), edges);
  return in;
}

/// A map of very unequal accounts, like ZIP areas: a rows x cols jittered grid (edges as
/// jittered_grid) with one activity drawn from a Pareto distribution of shape `alpha`
/// (x = 1 / U^(1/alpha): many small accounts, a few very large ones), multiplied by
/// 1 + 40·exp(-d^2 / 18) around `cities` random centres (d = grid distance), so that the heavy
/// accounts cluster as in cities; capped at `cap` times the mean per territory of `p` territories,
/// so that no single account makes the plan impossible.
inline instance heavy_tailed_grid(int rows, int cols, std::uint64_t seed, int p, int cities = 4, double alpha = 1.1,
                                  double cap = 0.3) {
  instance in = jittered_grid(rows, cols, seed, 1, {{0.0, 1.0, false}});
  rng gen(seed ^ 0x9E3779B97F4A7C15ULL);
  std::vector<std::array<double, 2>> centre(static_cast<std::size_t>(cities));
  for (auto& c : centre) c = {gen.uniform_real(0, cols - 1), gen.uniform_real(0, rows - 1)};
  const Eigen::Index n = in.acts.rows();
  for (Eigen::Index k = 0; k < n; ++k) {
    double u = gen.uniform01();
    while (u <= 0.0) u = gen.uniform01();
    double boost = 1.0;
    for (const auto& c : centre) {
      const double dx = in.xy(k, 0) - c[0], dy = in.xy(k, 1) - c[1];
      boost += 40.0 * std::exp(-(dx * dx + dy * dy) / 18.0);
    }
    in.acts(k, 0) = boost * std::pow(u, -1.0 / alpha);
  }
  for (int it = 0; it < 5; ++it) {  // capping lowers the mean: repeat until stable
    const double lim = cap * in.acts.col(0).sum() / p;
    for (Eigen::Index k = 0; k < n; ++k) in.acts(k, 0) = std::min(in.acts(k, 0), lim);
  }
  return in;
}

/// Connected pieces of territory t under the assignment `pl` (a plan or a sequence of territory
/// indices), by breadth-first search inside the territory. 0 for an empty territory.
template <class Assignment>
int territory_pieces(const adjacency& g, const Assignment& pl, territory_index t) {
  const auto n = static_cast<std::size_t>(pl.size());
  std::vector<char> seen(n, 0);
  int count = 0;
  for (account_index s = 0; s < n; ++s) {
    if (pl[s] != t || seen[s]) continue;
    ++count;
    std::vector<account_index> q{s};
    seen[s] = 1;
    while (!q.empty()) {
      const auto v = q.back();
      q.pop_back();
      for (auto w : g.neighbors(v)) {
        if (pl[w] == t && !seen[w]) {
          seen[w] = 1;
          q.push_back(w);
        }
      }
    }
  }
  return count;
}

}  // namespace territory::test
