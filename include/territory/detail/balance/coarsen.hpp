#pragma once

// The coarsening levels of the multilevel driver (multilevel.hpp).
//
// First level, on the caller's accounts (cluster_along_curve): the accounts are ordered along a
// Z-order (Morton) curve (`spatial_order`, a radix sort, no copy of the accounts) and cut into runs of
// consecutive, connected accounts of at most curve_cluster_members (tuning.hpp). The clusters are
// numbered along the curve, so the coarser levels are spatially numbered whatever the caller's
// numbering. No random numbers are drawn.
//
// Coarser levels (coarsen): a heavy-edge matching. Nodes are visited in index order, in blocks of
// visit_block with a seeded random order (territory::rng) inside each block; the levels are
// spatially numbered, so consecutive visits touch nearby memory and the walk follows the curve
// without a sort per level. Each unmatched node is matched with its best unmatched neighbour: the
// heaviest edge (edge weight = number of fine edges collapsed into it), ties to the closer neighbour
// (squared planar distance of the coordinates), then to the smaller index. Unmatched nodes stay alone.
//
// On both: a merge is refused when the combined normalised activity (1 = one territory mean) exceeds
// `cap` in any balanced column, so that coarse nodes stay small enough for the tolerance to remain
// reachable, or when a member would lie farther than `max_radius` from the node's point.
//
// Contraction: coarse nodes are numbered in the order they are made; the coarse graph has no
// self-loops and no duplicate edges (its CSR rows are built sorted and handed to `adjacency` as they
// are, without from_edges' sort), its edge weights are the multiplicities (float, exact below 2^24);
// activities and member counts are summed; coordinates are the count-weighted mean of the members
// (exact centroid for planar coordinates, a good approximation in (lat, lon) for small coarse nodes).
//
// Merged nodes are connected in the finer graph, so a connected coarse territory projects to a
// connected fine territory, and graph components are preserved.
//
// Complexity: O(n + e log deg) per level (the contracted rows' sorts); the first level adds the
// O(n) radix sort of the curve. Memory O(n·m + e).

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <utility>
#include <vector>

#include "territory/core/ids.hpp"
#include "territory/core/random.hpp"
#include "territory/detail/graph/csr.hpp"
#include "territory/detail/huge_pages.hpp"
#include "territory/geo/distance_policy.hpp"
#include "territory/graph/adjacency.hpp"

namespace territory::detail::balance {

/// A level as seen by `coarsen`: borrowed arrays of n nodes.
struct level_view {
  const adjacency* graph = nullptr;
  std::span<const float> edge_weight;   // per CSR slot of graph (aligned with graph->targets()); empty = all 1
  std::span<const double> w;            // n*m row-major normalised activities
  std::size_t m = 0;
  std::span<const point> xy;            // n
  std::span<const double> count;        // n: original accounts per node; empty = all 1
  std::span<const double> radius;       // n: bound on a member's distance to the node's point; empty = all 0
};

/// Z-order (Morton) keys of the cells of a grid with about four points per cell over the bounding
/// box of `xy` (at most 2^16 cells per side), one per point. O(n).
inline huge_vector<std::uint64_t> morton_cells(std::span<const point> xy) {
  const std::size_t n = xy.size();
  huge_vector<std::uint64_t> cell(n);
  if (n == 0) return cell;
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
  for (std::size_t v = 0; v < n; ++v) {
    const auto cx = static_cast<std::uint64_t>(std::min<double>(side - 1, std::max(0.0, (xy[v][0] - minx) * sx)));
    const auto cy = static_cast<std::uint64_t>(std::min<double>(side - 1, std::max(0.0, (xy[v][1] - miny) * sy)));
    cell[v] = spread(cx) | (spread(cy) << 1U);
  }
  return cell;
}

/// The matching's visiting order: the node indices in blocks of visit_block consecutive nodes, the
/// blocks in index order, a seeded random order inside each block. The levels the matching sees are
/// spatially numbered (clusters along the curve, coarser nodes numbered as made), so this walks the
/// map along the Z-order curve without sorting. Calls visit(v) for every node in that
/// order, one block at a time (no n-sized array). O(n).
inline constexpr std::size_t visit_block = 8;
template <class Visit>
void for_each_in_visit_order(std::size_t n, rng& gen, Visit&& visit) {
  account_index blk[visit_block];
  for (std::size_t b = 0; b < n; b += visit_block) {
    const std::size_t e = std::min(n, b + visit_block);
    for (std::size_t v = b; v < e; ++v) blk[v - b] = static_cast<account_index>(v);
    for (std::size_t i = e - 1; i > b; --i) {  // Fisher-Yates inside the block
      const std::size_t j = b + static_cast<std::size_t>(gen() % (i - b + 1));
      std::swap(blk[i - b], blk[j - b]);
    }
    for (std::size_t i = 0; i < e - b; ++i) visit(blk[i]);
  }
}

/// A spatially coherent numbering: the cells of morton_cells in Z-order, by index inside each cell
/// (order[i] = the node numbered i). A stable radix sort on the cell keys, 11 bits per pass (two
/// passes at 10^6 points: 0.01 s against 0.08 s for std::sort). Deterministic, O(n).
inline huge_vector<account_index> spatial_order(std::span<const point> xy) {
  auto key = morton_cells(xy);  // cell << 32 | index: the index keeps equal cells in index order
  std::uint64_t top = 0;
  for (std::size_t v = 0; v < key.size(); ++v) {
    top = std::max(top, key[v]);
    key[v] = (key[v] << 32U) | static_cast<std::uint64_t>(v);
  }
  constexpr unsigned digit = 11;
  constexpr std::uint64_t mask = (std::uint64_t{1} << digit) - 1;
  huge_vector<std::uint64_t> tmp(key.size());
  std::vector<std::size_t> at(mask + 2);
  for (unsigned shift = 0; shift < 32 && (top >> shift) != 0; shift += digit) {  // stable LSD passes
    std::fill(at.begin(), at.end(), 0);
    for (const auto k : key) ++at[((k >> (32U + shift)) & mask) + 1];
    for (std::size_t d = 1; d < at.size(); ++d) at[d] += at[d - 1];
    for (const auto k : key) tmp[at[(k >> (32U + shift)) & mask]++] = k;
    key.swap(tmp);
  }
  huge_vector<account_index> order(key.size());
  for (std::size_t i = 0; i < key.size(); ++i) order[i] = static_cast<account_index>(key[i] & 0xFFFFFFFFULL);
  return order;
}

/// The coarser level made by `coarsen`.
struct coarse_level {
  adjacency graph;                              // contracted graph, no self-loops, no duplicates
  huge_vector<float> edge_weight;               // per CSR slot: fine edges collapsed into the edge (exact below 2^24)
  huge_vector<double> w;                        // nc*m, sums of the members' rows
  huge_vector<point> xy;                        // count-weighted mean of the members
  huge_vector<double> count;                    // original accounts per coarse node
  huge_vector<double> radius;                   // bound on an original member's planar distance to xy
  huge_vector<account_index> fine_to_coarse;    // one entry per finer node
  [[nodiscard]] std::size_t size() const noexcept { return xy.size(); }
  [[nodiscard]] level_view view(std::size_t m) const {
    return {&graph, edge_weight, w, m, xy, count, radius};
  }
};

/// The first level on the original accounts: clusters of up to `max_members` accounts that are
/// consecutive along `order` (spatial_order: a Z-order curve) and connected. Walking the curve, an
/// account joins the open cluster when it is adjacent to one of its members, the cluster has room,
/// the sums stay within `cap` in every balanced column and every member stays within `max_radius` of
/// the members' mean point; otherwise it opens the next cluster. Clusters are numbered along the curve
/// (spatially coherent indices for the coarser levels), so no renumbered copy of the accounts is made
/// and no random numbers are drawn. Coarse edge weights are the numbers of fine edges between two
/// clusters, as in `coarsen`.
///
/// Measured at 10^6 accounts (p = 1,000, 1 thread, the caller's numbering random): with
/// max_members = 4 the clusters hold ~2.4 accounts (420,944 clusters). The level took ~0.4 s with
/// a second gather of the rows in place of `along` below, where the renumbered copy of the accounts
/// and the first matching on it took ~0.75 s and 72 MB (docs/balance.md). The reads of a member's
/// row, activities and point follow the curve, not memory; they are prefetched `ahead` accounts
/// along it, and the rows are copied in curve order as they are read, so that the contraction reads
/// them sequentially (that saved another ~0.13 s). With max_members = 8 (309,397 clusters) the first
/// feasible plan came ~0.1 s sooner, but the full run took ~15 % longer (from a different projection
/// its finest search ran ~20 % more iterations).
///
/// Precondition: `fine` is a level of original accounts (no edge weights, counts or radii);
/// `order` is a permutation of its nodes. max_members is clamped to [1, 16].
/// O(n·(m + deg·max_members) + e log deg).
inline coarse_level cluster_along_curve(const level_view& fine, std::span<const account_index> order,
                                        std::span<const char> balanced, double cap, double max_radius,
                                        std::size_t max_members) {
  const adjacency& g = *fine.graph;
  const std::size_t n = g.size(), m = fine.m;
  assert(fine.edge_weight.empty() && fine.count.empty() && fine.radius.empty() && order.size() == n);
  const auto offs = g.offsets();
  const auto targ = g.targets();
  constexpr std::size_t ahead = 16;
  constexpr std::size_t kMaxMembers = 16;
  max_members = std::clamp<std::size_t>(max_members, 1, kMaxMembers);
  coarse_level out;
  out.fine_to_coarse.resize(n);
  // reserved for the worst case (every account alone): pages never written are never faulted in
  out.w.reserve(n * m);
  out.xy.reserve(n);
  out.count.reserve(n);
  out.radius.reserve(n);
  std::size_t nc = 0;  // clusters opened
  // the members' rows in curve order, copied as they are read (sequential writes), so that the
  // contraction below reads them sequentially instead of gathering them again
  huge_vector<account_index> along(targ.size());
  huge_vector<std::size_t> along_first;  // per cluster: its first slot in `along`; the end at the end
  along_first.reserve(n + 1);
  std::size_t at_slot = 0;

  // ---- the clusters ----
  account_index member[kMaxMembers];
  point at[kMaxMembers];
  std::vector<double> sum(m, 0.0);
  std::size_t k = 0;  // members of the open cluster
  double sx = 0.0, sy = 0.0, open_radius = 0.0;
  // the largest distance of the members and (x, y) to the mean point of all of them
  auto spread_with = [&](double x, double y) {
    const double cx = (sx + x) / static_cast<double>(k + 1), cy = (sy + y) / static_cast<double>(k + 1);
    double r2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
    for (std::size_t q = 0; q < k; ++q) {
      r2 = std::max(r2, (at[q][0] - cx) * (at[q][0] - cx) + (at[q][1] - cy) * (at[q][1] - cy));
    }
    return std::sqrt(r2);
  };
  auto close = [&] {
    if (k == 0) return;
    for (std::size_t j = 0; j < m; ++j) out.w.push_back(sum[j]);
    out.xy.push_back(point{sx / static_cast<double>(k), sy / static_cast<double>(k)});
    out.count.push_back(static_cast<double>(k));
    out.radius.push_back(open_radius);
  };
  for (std::size_t i = 0; i < n; ++i) {
    if (i + 4 * ahead < n) __builtin_prefetch(&offs[order[i + 4 * ahead]]);
    if (i + ahead < n) {
      const account_index u = order[i + ahead];
      __builtin_prefetch(targ.data() + offs[u]);  // may point one past the end: a prefetch never faults
      __builtin_prefetch(&fine.w[u * m]);
      __builtin_prefetch(&fine.xy[u]);
    }
    const account_index v = order[i];
    const double x = fine.xy[v][0], y = fine.xy[v][1];
    const std::size_t row_begin = at_slot;
    for (std::size_t s = offs[v]; s < offs[v + 1]; ++s) along[at_slot++] = targ[s];
    bool join = k > 0 && k < max_members;
    if (join) {
      bool adjacent = false;
      for (std::size_t s = row_begin; s < at_slot && !adjacent; ++s) {
        for (std::size_t q = 0; q < k; ++q) adjacent = adjacent || along[s] == member[q];
      }
      join = adjacent;
    }
    for (std::size_t j = 0; j < m && join; ++j) join = !balanced[j] || sum[j] + fine.w[v * m + j] <= cap;
    double r = 0.0;
    if (join) {
      r = spread_with(x, y);
      join = r <= max_radius;
    }
    if (!join) {
      close();
      ++nc;
      along_first.push_back(row_begin);
      k = 0;
      sx = sy = 0.0;
      std::fill(sum.begin(), sum.end(), 0.0);
      r = 0.0;
    }
    member[k] = v;
    at[k] = point{x, y};
    ++k;
    sx += x;
    sy += y;
    for (std::size_t j = 0; j < m; ++j) sum[j] += fine.w[v * m + j];
    open_radius = r;
    out.fine_to_coarse[v] = static_cast<account_index>(nc - 1);
  }
  close();
  along_first.push_back(at_slot);

  // ---- the contracted rows ----
  huge_vector<std::size_t> coffs(nc + 1, 0);
  huge_vector<account_index> ctarg;
  huge_vector<float> rw;
  ctarg.reserve(targ.size());
  rw.reserve(targ.size());
  std::vector<account_index> row;
  for (std::size_t c = 0; c < nc; ++c) {
    row.clear();
    for (std::size_t s = along_first[c]; s < along_first[c + 1]; ++s) {
      const account_index cu = out.fine_to_coarse[along[s]];
      if (cu != c) row.push_back(cu);
    }
    std::sort(row.begin(), row.end());
    for (std::size_t a = 0; a < row.size();) {
      std::size_t b = a + 1;
      while (b < row.size() && row[b] == row[a]) ++b;
      ctarg.push_back(row[a]);
      rw.push_back(static_cast<float>(b - a));
      a = b;
    }
    coffs[c + 1] = ctarg.size();
  }
  // sorted, free of duplicates and self-loops, symmetric (a contraction of a symmetric graph)
  out.graph = adjacency_access::from_valid_csr(std::move(coffs), std::move(ctarg));
  out.edge_weight = std::move(rw);
  return out;
}

/// One coarsening step. `balanced[j]` != 0 for the columns the cap applies to. A match whose coarse
/// node would reach farther than `max_radius` from its point (planar distance in the coordinates'
/// units, bounded through the members' radii) is refused too.
inline coarse_level coarsen(const level_view& fine, std::span<const char> balanced, double cap, rng& gen,
                            double max_radius = std::numeric_limits<double>::infinity()) {
  const adjacency& g = *fine.graph;
  const std::size_t n = g.size(), m = fine.m;
  constexpr auto none = std::numeric_limits<account_index>::max();
  huge_vector<account_index> mate(n, none);
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
  huge_vector<account_index> first_member;  // per coarse node: the member visited first
  first_member.reserve(n / 2 + 1);
  std::size_t nc = 0;
  for_each_in_visit_order(n, gen, [&](const account_index v) {
    if (mate[v] != none) return;
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
  });
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
  huge_vector<float> rw;  // the weights in CSR order
  rw.reserve(targ.size() / 2);
  huge_vector<std::size_t> coffs(nc + 1, 0);
  huge_vector<account_index> ctarg;
  ctarg.reserve(targ.size() / 2);
  huge_vector<std::uint32_t> slot_of(nc, std::numeric_limits<std::uint32_t>::max());
  std::vector<std::pair<account_index, float>> row;
  for (std::size_t c = 0; c < nc; ++c) {
    row.clear();
    const account_index a = first_member[c];
    const account_index members[2] = {a, mate[a]};
    for (std::size_t k = 0; k < (mate[a] == a ? 1U : 2U); ++k) {
      const account_index x = members[k];
      for (std::size_t s = offs[x]; s < offs[x + 1]; ++s) {
        const auto cu = out.fine_to_coarse[targ[s]];
        if (cu == c) continue;
        const float wt = fine.edge_weight.empty() ? 1.0F : fine.edge_weight[s];
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
      ctarg.push_back(cu);
    }
    coffs[c + 1] = ctarg.size();
  }
  slot_of = {};
  // the rows are sorted, free of duplicates and self-loops, and symmetric (a contraction of a
  // symmetric graph): valid CSR as they are
  out.graph = adjacency_access::from_valid_csr(std::move(coffs), std::move(ctarg));
  out.edge_weight = std::move(rw);
  return out;
}

}  // namespace territory::detail::balance
