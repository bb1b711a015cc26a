#pragma once

// One coarsening level of the multilevel driver (multilevel.hpp): a heavy-edge matching on the
// adjacency graph and the contracted graph.
//
// Matching: accounts are visited cell by cell along a Z-order (Morton) curve over a grid of about
// four accounts per cell, in a seeded random order (territory::rng) inside each cell, so that
// consecutive visits touch nearby memory on large maps; each unmatched account
// is matched with its best unmatched neighbour: the heaviest edge (edge weight = number of fine edges
// collapsed into it, 1 on the original graph), ties to the closer neighbour (squared planar distance
// of the coordinates), then to the smaller index. A match is refused when the pair's combined
// normalised activity (1 = one territory mean) exceeds `cap` in any balanced column, so that coarse
// nodes stay small enough for the tolerance to remain reachable. Unmatched accounts stay alone.
//
// Contraction: coarse nodes are numbered in the order they are made (the visiting order, hence
// spatially coherent indices on the coarser levels); the coarse graph has
// no self-loops and no duplicate edges, its edge weights are the multiplicities; activities and
// member counts are summed; coordinates are the count-weighted mean of the members (exact centroid
// for planar coordinates, a good approximation in (lat, lon) for small coarse nodes).
//
// Matched pairs are adjacent, so every coarse node is connected in the finer graph, a connected
// coarse territory projects to a connected fine territory, and graph components are preserved.
//
// Complexity: O(n log n + e log e) per level (the visiting order's sort, adjacency::from_edges).
// Memory O(n·m + e).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <utility>
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
  std::span<const double> radius;       // n: bound on a member's distance to the node's point; empty = all 0
};

/// The matching's visiting order: cells of a grid with about four points per cell (bounding box of
/// `xy`, at most 2^16 cells per side) in Z-order, a seeded random order inside each cell. O(n log n).
inline std::vector<account_index> visit_order(std::span<const point> xy, rng& gen) {
  const std::size_t n = xy.size();
  std::vector<account_index> order(n);
  if (n == 0) return order;
  double minx = xy[0][0], maxx = minx, miny = xy[0][1], maxy = miny;
  for (const auto& q : xy) {
    minx = std::min(minx, q[0]);
    maxx = std::max(maxx, q[0]);
    miny = std::min(miny, q[1]);
    maxy = std::max(maxy, q[1]);
  }
  std::uint32_t side = 1;
  while (side < 65536U && static_cast<double>(side) * side * 4.0 < static_cast<double>(n)) side *= 2;
  const double sx = maxx > minx ? side / (maxx - minx) : 0.0, sy = maxy > miny ? side / (maxy - miny) : 0.0;
  auto spread = [](std::uint64_t x) {  // 16 bits -> every other bit of 32
    x &= 0xFFFFULL;
    x = (x | (x << 8U)) & 0x00FF00FFULL;
    x = (x | (x << 4U)) & 0x0F0F0F0FULL;
    x = (x | (x << 2U)) & 0x33333333ULL;
    x = (x | (x << 1U)) & 0x55555555ULL;
    return x;
  };
  std::vector<std::pair<std::uint64_t, account_index>> key(n);
  for (std::size_t v = 0; v < n; ++v) {
    const auto cx = static_cast<std::uint64_t>(std::min<double>(side - 1, std::max(0.0, (xy[v][0] - minx) * sx)));
    const auto cy = static_cast<std::uint64_t>(std::min<double>(side - 1, std::max(0.0, (xy[v][1] - miny) * sy)));
    key[v] = {((spread(cx) | (spread(cy) << 1U)) << 32U) | (gen() & 0xFFFFFFFFULL), static_cast<account_index>(v)};
  }
  std::sort(key.begin(), key.end());
  for (std::size_t i = 0; i < n; ++i) order[i] = key[i].second;
  return order;
}

/// The coarser level made by `coarsen`.
struct coarse_level {
  adjacency graph;                              // contracted graph, no self-loops, no duplicates
  std::vector<double> edge_weight;              // per CSR slot: fine edges collapsed into the edge
  std::vector<double> w;                        // nc*m, sums of the members' rows
  std::vector<point> xy;                        // count-weighted mean of the members
  std::vector<double> count;                    // original accounts per coarse node
  std::vector<double> radius;                   // bound on an original member's planar distance to xy
  std::vector<account_index> fine_to_coarse;    // one entry per finer node
  [[nodiscard]] std::size_t size() const noexcept { return xy.size(); }
  [[nodiscard]] level_view view(std::size_t m) const {
    return {&graph, edge_weight, w, m, xy, count, radius};
  }
};

/// One coarsening step. `balanced[j]` != 0 for the columns the cap applies to. A match whose coarse
/// node would reach farther than `max_radius` from its point (planar distance in the coordinates'
/// units, bounded through the members' radii) is refused too.
inline coarse_level coarsen(const level_view& fine, std::span<const char> balanced, double cap, rng& gen,
                            double max_radius = std::numeric_limits<double>::infinity()) {
  const adjacency& g = *fine.graph;
  const std::size_t n = g.size(), m = fine.m;
  constexpr auto none = std::numeric_limits<account_index>::max();
  const std::vector<account_index> order = visit_order(fine.xy, gen);
  std::vector<account_index> mate(n, none);
  const auto offs = g.offsets();
  const auto targ = g.targets();
  auto cnt = [&](account_index a) { return fine.count.empty() ? 1.0 : fine.count[a]; };
  auto rad = [&](account_index a) { return fine.radius.empty() ? 0.0 : fine.radius[a]; };
  // the merged node's radius bound: its point is the count-weighted mean c, members lie within
  // |c - xy_a| + r_a and |c - xy_b| + r_b of it
  auto merged_radius = [&](account_index a, account_index b) {
    const double ka = cnt(a), kb = cnt(b), k = ka + kb;
    const double dx = fine.xy[b][0] - fine.xy[a][0], dy = fine.xy[b][1] - fine.xy[a][1];
    const double d = std::sqrt(dx * dx + dy * dy);
    return std::max(d * kb / k + rad(a), d * ka / k + rad(b));
  };
  const bool radius_capped = std::isfinite(max_radius);
  auto fits = [&](account_index a, account_index b) {
    for (std::size_t j = 0; j < m; ++j) {
      if (balanced[j] && fine.w[a * m + j] + fine.w[b * m + j] > cap) return false;
    }
    return !radius_capped || merged_radius(a, b) <= max_radius;
  };
  coarse_level out;
  out.fine_to_coarse.assign(n, none);
  std::vector<account_index> first_member;  // per coarse node: the member visited first
  first_member.reserve(n / 2 + 1);
  std::size_t nc = 0;
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
    // numbered as made: coarse indices follow the visiting order, so they are spatially coherent
    out.fine_to_coarse[v] = static_cast<account_index>(nc);
    out.fine_to_coarse[mate[v]] = static_cast<account_index>(nc);
    first_member.push_back(v);
    ++nc;
  }
  out.w.assign(nc * m, 0.0);
  out.count.assign(nc, 0.0);
  out.xy.assign(nc, point{0.0, 0.0});
  out.radius.assign(nc, 0.0);
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
  for (std::size_t v = 0; v < n; ++v) {
    if (mate[v] > v) out.radius[out.fine_to_coarse[v]] = merged_radius(static_cast<account_index>(v), mate[v]);
    if (mate[v] == v) out.radius[out.fine_to_coarse[v]] = rad(static_cast<account_index>(v));
  }
  // contracted rows: per coarse node, the coarse neighbours of its (one or two) members with the summed
  // multiplicities, sorted; built with a dense slot map, O(e + sum of deg log deg)
  std::vector<double> rw;  // the weights in CSR order
  rw.reserve(targ.size() / 2);
  std::vector<std::uint32_t> slot_of(nc, std::numeric_limits<std::uint32_t>::max());
  std::vector<std::pair<account_index, double>> row;
  std::vector<edge> edges;
  edges.reserve(targ.size() / 4);
  for (std::size_t c = 0; c < nc; ++c) {
    row.clear();
    const account_index a = first_member[c];
    const account_index members[2] = {a, mate[a]};
    for (std::size_t k = 0; k < (mate[a] == a ? 1U : 2U); ++k) {
      const account_index x = members[k];
      for (std::size_t s = offs[x]; s < offs[x + 1]; ++s) {
        const auto cu = out.fine_to_coarse[targ[s]];
        if (cu == c) continue;
        const double wt = fine.edge_weight.empty() ? 1.0 : fine.edge_weight[s];
        auto& sl = slot_of[cu];
        if (sl == std::numeric_limits<std::uint32_t>::max()) {
          sl = static_cast<std::uint32_t>(row.size());
          row.push_back({cu, wt});
        } else {
          row[sl].second += wt;
        }
      }
    }
    std::sort(row.begin(), row.end());
    for (const auto& [cu, wt] : row) {
      slot_of[cu] = std::numeric_limits<std::uint32_t>::max();
      rw.push_back(wt);
      if (cu > c) edges.push_back({static_cast<account_index>(c), cu});
    }
  }
  slot_of = {};
  out.graph = adjacency::from_edges(nc, edges);
  // from_edges sorts each row and drops nothing (the rows have no duplicates): its CSR is ours
  out.edge_weight = std::move(rw);
  return out;
}

}  // namespace territory::detail::balance
