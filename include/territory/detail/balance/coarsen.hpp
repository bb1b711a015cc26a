#pragma once

// One coarsening level of the multilevel driver (multilevel.hpp): a heavy-edge matching on the
// adjacency graph and the contracted graph.
//
// Matching: accounts are visited in a seeded random order (territory::rng); each unmatched account
// is matched with its best unmatched neighbour: the heaviest edge (edge weight = number of fine edges
// collapsed into it, 1 on the original graph), ties to the closer neighbour (squared planar distance
// of the coordinates), then to the smaller index. A match is refused when the pair's combined
// normalised activity (1 = one territory mean) exceeds `cap` in any balanced column, so that coarse
// nodes stay small enough for the tolerance to remain reachable. Unmatched accounts stay alone.
//
// Contraction: coarse nodes are numbered in the order of their smallest member; the coarse graph has
// no self-loops and no duplicate edges, its edge weights are the multiplicities; activities and
// member counts are summed; coordinates are the count-weighted mean of the members (exact centroid
// for planar coordinates, a good approximation in (lat, lon) for small coarse nodes).
//
// Matched pairs are adjacent, so every coarse node is connected in the finer graph, a connected
// coarse territory projects to a connected fine territory, and graph components are preserved.
//
// Complexity: O(n + e log e) per level (the sort of the contracted edge list). Memory O(n·m + e).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <tuple>
#include <vector>

#include "territory/core/ids.hpp"
#include "territory/core/random.hpp"
#include "territory/geo/distance_policy.hpp"
#include "territory/graph/adjacency.hpp"

namespace territory::detail::balance {

/// A level as seen by `coarsen`: borrowed arrays of n nodes.
struct level_view {
  const adjacency* graph = nullptr;
  std::span<const double> edge_weight;  // per CSR slot of graph (aligned with graph->targets()); empty = all 1
  std::span<const double> w;            // n*m row-major normalised activities
  std::size_t m = 0;
  std::span<const point> xy;            // n
  std::span<const double> count;        // n: original accounts per node; empty = all 1
};

/// The coarser level made by `coarsen`.
struct coarse_level {
  adjacency graph;                              // contracted graph, no self-loops, no duplicates
  std::vector<double> edge_weight;              // per CSR slot: fine edges collapsed into the edge
  std::vector<double> w;                        // nc*m, sums of the members' rows
  std::vector<point> xy;                        // count-weighted mean of the members
  std::vector<double> count;                    // original accounts per coarse node
  std::vector<account_index> fine_to_coarse;    // one entry per finer node
  [[nodiscard]] std::size_t size() const noexcept { return xy.size(); }
  [[nodiscard]] level_view view(std::size_t m) const {
    return {&graph, edge_weight, w, m, xy, count};
  }
};

/// One coarsening step. `balanced[j]` != 0 for the columns the cap applies to.
inline coarse_level coarsen(const level_view& fine, std::span<const char> balanced, double cap, rng& gen) {
  const adjacency& g = *fine.graph;
  const std::size_t n = g.size(), m = fine.m;
  constexpr auto none = std::numeric_limits<account_index>::max();
  std::vector<account_index> order(n);
  for (std::size_t v = 0; v < n; ++v) order[v] = static_cast<account_index>(v);
  gen.shuffle(order.begin(), order.end());
  std::vector<account_index> mate(n, none);
  const auto offs = g.offsets();
  const auto targ = g.targets();
  auto fits = [&](account_index a, account_index b) {
    for (std::size_t j = 0; j < m; ++j) {
      if (balanced[j] && fine.w[a * m + j] + fine.w[b * m + j] > cap) return false;
    }
    return true;
  };
  for (const auto v : order) {
    if (mate[v] != none) continue;
    account_index best = none;
    double bw = -1.0, bd = std::numeric_limits<double>::max();
    for (std::size_t s = offs[v]; s < offs[v + 1]; ++s) {
      const auto u = targ[s];
      if (mate[u] != none || !fits(v, u)) continue;
      const double wt = fine.edge_weight.empty() ? 1.0 : fine.edge_weight[s];
      const double dx = fine.xy[v][0] - fine.xy[u][0], dy = fine.xy[v][1] - fine.xy[u][1];
      const double d = dx * dx + dy * dy;
      if (wt > bw || (wt == bw && (d < bd || (d == bd && u < best)))) {
        best = u;
        bw = wt;
        bd = d;
      }
    }
    if (best != none) {
      mate[v] = best;
      mate[best] = v;
    } else {
      mate[v] = v;  // alone
    }
  }
  coarse_level out;
  out.fine_to_coarse.assign(n, none);
  std::size_t nc = 0;
  for (std::size_t v = 0; v < n; ++v) {
    if (out.fine_to_coarse[v] != none) continue;
    out.fine_to_coarse[v] = static_cast<account_index>(nc);
    out.fine_to_coarse[mate[v]] = static_cast<account_index>(nc);
    ++nc;
  }
  out.w.assign(nc * m, 0.0);
  out.count.assign(nc, 0.0);
  out.xy.assign(nc, point{0.0, 0.0});
  for (std::size_t v = 0; v < n; ++v) {
    const auto c = out.fine_to_coarse[v];
    const double k = fine.count.empty() ? 1.0 : fine.count[v];
    for (std::size_t j = 0; j < m; ++j) out.w[c * m + j] += fine.w[v * m + j];
    out.count[c] += k;
    out.xy[c][0] += k * fine.xy[v][0];
    out.xy[c][1] += k * fine.xy[v][1];
  }
  for (std::size_t c = 0; c < nc; ++c) {
    if (out.count[c] > 0.0) {
      out.xy[c][0] /= out.count[c];
      out.xy[c][1] /= out.count[c];
    }
  }
  // contracted edges (a < b) with multiplicities, merged after a sort
  std::vector<std::tuple<account_index, account_index, double>> ce;
  ce.reserve(targ.size() / 2);
  for (std::size_t v = 0; v < n; ++v) {
    const auto cv = out.fine_to_coarse[v];
    for (std::size_t s = offs[v]; s < offs[v + 1]; ++s) {
      const auto u = targ[s];
      if (u < v) continue;  // each undirected fine edge once
      const auto cu = out.fine_to_coarse[u];
      if (cu == cv) continue;
      const double wt = fine.edge_weight.empty() ? 1.0 : fine.edge_weight[s];
      ce.emplace_back(std::min(cu, cv), std::max(cu, cv), wt);
    }
  }
  std::sort(ce.begin(), ce.end());
  std::vector<edge> edges;
  std::vector<double> ew;
  edges.reserve(ce.size());
  ew.reserve(ce.size());
  for (std::size_t i = 0; i < ce.size(); ++i) {
    const auto [a, b, wt] = ce[i];
    if (!edges.empty() && edges.back().a == a && edges.back().b == b) {
      ew.back() += wt;
    } else {
      edges.push_back({a, b});
      ew.push_back(wt);
    }
  }
  ce.clear();
  ce.shrink_to_fit();
  out.graph = adjacency::from_edges(nc, edges);
  const auto coffs = out.graph.offsets();
  const auto ctarg = out.graph.targets();
  out.edge_weight.assign(ctarg.size(), 0.0);
  auto slot = [&](account_index a, account_index b) {
    const auto first = ctarg.begin() + static_cast<std::ptrdiff_t>(coffs[a]);
    const auto last = ctarg.begin() + static_cast<std::ptrdiff_t>(coffs[a + 1]);
    return static_cast<std::size_t>(std::lower_bound(first, last, b) - ctarg.begin());
  };
  for (std::size_t i = 0; i < edges.size(); ++i) {
    out.edge_weight[slot(edges[i].a, edges[i].b)] = ew[i];
    out.edge_weight[slot(edges[i].b, edges[i].a)] = ew[i];
  }
  return out;
}

}  // namespace territory::detail::balance
