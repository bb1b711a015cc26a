#pragma once

// k-nearest-neighbour graph on planar coordinates, with its connected components joined by short
// edges so that the result is connected. Used by partition() when the caller gives no adjacency.
// Coordinates are treated as planar (fine for lat/lon at territory scale).
//
// Accounts that share a location (exactly equal coordinates) are one node of the neighbour search:
// the k nearest *locations* are linked (a k-d tree, O(log n) per query whatever the spread of the
// points), then every location's accounts are linked among themselves (all pairs up to k + 1 accounts,
// else each to the next k/2 in a ring: degree k, no cut vertex) and to up to k accounts of each
// neighbouring location. Before (a uniform grid over the accounts), 9 accounts at one address formed
// a clique joined to the rest by a single edge (balanced plans unreachable), and many accounts in one
// grid cell (one address, or a dense city plus a far outlier) made the search quadratic (20,000 such
// accounts: 3 s). With distinct coordinates the graph is the same as the grid's: the k nearest other
// accounts by (squared distance, index).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <optional>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "territory/geo/neighbor.hpp"
#include "territory/geo/spatial_index.hpp"
#include "territory/graph/adjacency.hpp"
#include "territory/graph/components.hpp"

namespace territory::detail::graph {

/// The kk nearest other points of every point (distinct points, kk < n) by (squared distance, index),
/// appended to `out` as edges {min, max}, with uniform grid buckets (about n/2 cells). Returns false,
/// leaving `out` untouched, when the points crowd into few cells (sum over cells of count^2 above
/// 32 n: a dense city and a far outlier), where bucket scans would cost up to O(n^2).
inline bool grid_neighbours(const Eigen::Ref<const Eigen::MatrixX2d>& xy, std::size_t kk, std::vector<edge>& out) {
  const auto n = static_cast<std::size_t>(xy.rows());
  double minx = xy.col(0).minCoeff(), maxx = xy.col(0).maxCoeff();
  double miny = xy.col(1).minCoeff(), maxy = xy.col(1).maxCoeff();
  const double w = std::max(maxx - minx, 1e-12), h = std::max(maxy - miny, 1e-12);
  const auto side = static_cast<std::size_t>(std::max(1.0, std::floor(std::sqrt(static_cast<double>(n) / 2.0))));
  auto cell_of = [&](double x, double y) {
    auto cx = std::min(side - 1, static_cast<std::size_t>((x - minx) / w * static_cast<double>(side)));
    auto cy = std::min(side - 1, static_cast<std::size_t>((y - miny) / h * static_cast<double>(side)));
    return std::pair{cx, cy};
  };
  std::vector<std::size_t> start(side * side + 1, 0);
  std::vector<account_index> items(n);
  for (std::size_t a = 0; a < n; ++a) {
    auto [cx, cy] = cell_of(xy(static_cast<Eigen::Index>(a), 0), xy(static_cast<Eigen::Index>(a), 1));
    ++start[cy * side + cx + 1];
  }
  double crowding = 0.0;
  for (std::size_t c = 1; c < start.size(); ++c) crowding += static_cast<double>(start[c]) * static_cast<double>(start[c]);
  if (crowding > 32.0 * static_cast<double>(n)) return false;
  for (std::size_t i = 1; i < start.size(); ++i) start[i] += start[i - 1];
  {
    auto fill = start;
    for (std::size_t a = 0; a < n; ++a) {
      auto [cx, cy] = cell_of(xy(static_cast<Eigen::Index>(a), 0), xy(static_cast<Eigen::Index>(a), 1));
      items[fill[cy * side + cx]++] = static_cast<account_index>(a);
    }
  }
  std::vector<std::pair<double, account_index>> cand;
  for (std::size_t a = 0; a < n; ++a) {
    const double x = xy(static_cast<Eigen::Index>(a), 0), y = xy(static_cast<Eigen::Index>(a), 1);
    auto [cx, cy] = cell_of(x, y);
    for (std::size_t ring = 1;; ++ring) {
      cand.clear();
      const std::size_t x0 = cx >= ring ? cx - ring : 0, x1 = std::min(side - 1, cx + ring);
      const std::size_t y0 = cy >= ring ? cy - ring : 0, y1 = std::min(side - 1, cy + ring);
      for (std::size_t yy = y0; yy <= y1; ++yy) {
        for (std::size_t xx = x0; xx <= x1; ++xx) {
          for (std::size_t i = start[yy * side + xx]; i < start[yy * side + xx + 1]; ++i) {
            const auto b = items[i];
            if (b == a) continue;
            const double dx = xy(b, 0) - x, dy = xy(b, 1) - y;
            cand.push_back({dx * dx + dy * dy, b});
          }
        }
      }
      const bool whole = x0 == 0 && y0 == 0 && x1 == side - 1 && y1 == side - 1;
      if (cand.size() >= kk) {
        std::partial_sort(cand.begin(), cand.begin() + static_cast<std::ptrdiff_t>(kk), cand.end());
        // exact when the k-th neighbour lies within the searched square
        const double reach = static_cast<double>(ring) * std::min(w, h) / static_cast<double>(side);
        if (whole || cand[kk - 1].first <= reach * reach) break;
      } else if (whole) {
        std::sort(cand.begin(), cand.end());
        break;
      }
    }
    for (std::size_t i = 0; i < std::min(kk, cand.size()); ++i) {
      out.push_back({static_cast<account_index>(std::min<std::size_t>(a, cand[i].second)),
                     static_cast<account_index>(std::max<std::size_t>(a, cand[i].second))});
    }
  }
  return true;
}

/// Complexity: O(n log n + n k log k) for any placement of the points (k-d tree over the distinct
/// locations); joining c components costs O(L log L) per round (L locations), O(log c) rounds.
/// Memory O(n k). Edges: at most about 2 n k.
inline adjacency knn_graph(const Eigen::Ref<const Eigen::MatrixX2d>& xy, std::size_t k) {
  const auto n = static_cast<std::size_t>(xy.rows());
  std::vector<edge> edges;
  if (n <= 1 || k == 0) return adjacency::from_edges(n, edges);

  // ---- distinct locations, numbered by their smallest account index (with distinct coordinates,
  // location i is account i); members of every location in index order (CSR)
  std::vector<account_index> order(n);
  std::iota(order.begin(), order.end(), account_index{0});
  auto x = [&](account_index a) { return xy(static_cast<Eigen::Index>(a), 0); };
  auto y = [&](account_index a) { return xy(static_cast<Eigen::Index>(a), 1); };
  std::sort(order.begin(), order.end(), [&](account_index a, account_index b) {
    if (x(a) != x(b)) return x(a) < x(b);
    if (y(a) != y(b)) return y(a) < y(b);
    return a < b;
  });
  std::vector<std::uint32_t> run_of(n);  // run (group of equal coordinates in sorted order) of every account
  std::vector<account_index> run_first;  // smallest account of every run
  for (std::size_t i = 0; i < n; ++i) {
    const account_index a = order[i];
    if (i == 0 || x(a) != x(order[i - 1]) || y(a) != y(order[i - 1])) run_first.push_back(a);
    run_of[a] = static_cast<std::uint32_t>(run_first.size() - 1);
  }
  const std::size_t L = run_first.size();
  std::vector<std::uint32_t> loc_of_run(L);
  {
    std::vector<std::uint32_t> runs(L);
    std::iota(runs.begin(), runs.end(), 0U);
    std::sort(runs.begin(), runs.end(), [&](std::uint32_t r, std::uint32_t s) { return run_first[r] < run_first[s]; });
    for (std::size_t l = 0; l < L; ++l) loc_of_run[runs[l]] = static_cast<std::uint32_t>(l);
  }
  std::vector<std::uint32_t> loc(n);
  std::vector<std::size_t> start(L + 1, 0);
  for (std::size_t a = 0; a < n; ++a) {
    loc[a] = loc_of_run[run_of[a]];
    ++start[loc[a] + 1];
  }
  for (std::size_t l = 0; l < L; ++l) start[l + 1] += start[l];
  std::vector<account_index> members(n);
  {
    auto fill = start;
    for (std::size_t a = 0; a < n; ++a) members[fill[loc[a]]++] = static_cast<account_index>(a);
  }
  Eigen::MatrixX2d lxy(static_cast<Eigen::Index>(L), 2);
  for (std::size_t l = 0; l < L; ++l) {
    const account_index a = members[start[l]];
    lxy(static_cast<Eigen::Index>(l), 0) = x(a);
    lxy(static_cast<Eigen::Index>(l), 1) = y(a);
  }

  // ---- k nearest other locations by (squared distance, index)
  std::vector<edge> loc_edges;
  std::optional<spatial_index> index;  // built when needed: crowded grid cells, or components to join
  auto at = [&](std::size_t l) { return point{lxy(static_cast<Eigen::Index>(l), 0), lxy(static_cast<Eigen::Index>(l), 1)}; };
  if (L > 1) {
    const std::size_t kk = std::min(k, L - 1);
    loc_edges.reserve(L * kk);
    if (!grid_neighbours(lxy, kk, loc_edges)) {  // crowded grid cells: the k-d tree (the same neighbours)
      index.emplace(lxy);
      std::vector<neighbor> near;
      for (std::size_t l = 0; l < L; ++l) {
        index->nearest_into(at(l), kk + 1, near);  // l itself first (the only location at distance 0)
        for (const auto& nb : near) {
          if (nb.index == l) continue;
          loc_edges.push_back({static_cast<account_index>(std::min<std::size_t>(l, nb.index)),
                               static_cast<account_index>(std::max<std::size_t>(l, nb.index))});
        }
      }
    }
  }
  // Join components: each round links every component but the first to its closest outside location
  // (from the location of the component nearest to the outside one found from its first location).
  adjacency g;
  for (;;) {
    g = adjacency::from_edges(L, loc_edges);
    const auto comp = connected_components(g);
    if (comp.count <= 1) break;
    if (!index) index.emplace(lxy);
    std::vector<std::uint32_t> first(comp.count, 0);
    for (std::size_t l = L; l-- > 0;) first[comp.label[l]] = static_cast<std::uint32_t>(l);
    std::vector<std::size_t> cstart(comp.count + 1, 0);
    for (std::size_t l = 0; l < L; ++l) ++cstart[comp.label[l] + 1];
    for (std::size_t c = 0; c < comp.count; ++c) cstart[c + 1] += cstart[c];
    std::vector<std::uint32_t> cmembers(L);
    {
      auto fill = cstart;
      for (std::size_t l = 0; l < L; ++l) cmembers[fill[comp.label[l]]++] = static_cast<std::uint32_t>(l);
    }
    const auto grouping = index->group_by(comp.label);
    for (std::uint32_t c = 1; c < comp.count; ++c) {
      const auto out_nb = index->nearest_in_other_group(at(first[c]), grouping, c);  // exists: count > 1
      const auto out = static_cast<std::uint32_t>(out_nb->index);
      std::uint32_t in = first[c];
      double bd = std::numeric_limits<double>::max();
      for (std::size_t i = cstart[c]; i < cstart[c + 1]; ++i) {  // members in index order: ties to the smallest
        const std::uint32_t l = cmembers[i];
        const double dx = lxy(static_cast<Eigen::Index>(l), 0) - lxy(static_cast<Eigen::Index>(out), 0);
        const double dy = lxy(static_cast<Eigen::Index>(l), 1) - lxy(static_cast<Eigen::Index>(out), 1);
        const double d = dx * dx + dy * dy;
        if (d < bd) {
          bd = d;
          in = l;
        }
      }
      loc_edges.push_back({std::min(in, out), std::max(in, out)});
    }
  }

  if (L == n) return g;  // distinct coordinates: location l is account l

  // ---- accounts: location edges, then the accounts of every shared location among themselves
  edges.reserve(loc_edges.size() + n * std::min<std::size_t>(k, 8));
  for (const auto& e : loc_edges) {
    const std::size_t sa = start[e.a + 1] - start[e.a], sb = start[e.b + 1] - start[e.b];
    const std::size_t links = std::min(std::max(sa, sb), k);
    for (std::size_t i = 0; i < links; ++i) {
      const account_index u = members[start[e.a] + i % sa], v = members[start[e.b] + i % sb];
      edges.push_back({std::min(u, v), std::max(u, v)});
    }
  }
  const std::size_t ring = std::max<std::size_t>(1, k / 2);
  for (std::size_t l = 0; l < L; ++l) {
    const std::size_t s = start[l + 1] - start[l];
    if (s < 2) continue;
    const account_index* m = members.data() + start[l];
    if (s <= k + 1) {
      for (std::size_t i = 0; i < s; ++i) {
        for (std::size_t j = i + 1; j < s; ++j) edges.push_back({m[i], m[j]});
      }
    } else {
      for (std::size_t i = 0; i < s; ++i) {
        for (std::size_t d = 1; d <= ring; ++d) {
          const account_index u = m[i], v = m[(i + d) % s];
          edges.push_back({std::min(u, v), std::max(u, v)});
        }
      }
    }
  }
  return adjacency::from_edges(n, edges);
}

}  // namespace territory::detail::graph
