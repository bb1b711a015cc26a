#pragma once

// Renumbering the normalised problem along a spatial order, for the finest search of the multilevel
// driver (multilevel.hpp). The caller's numbering may be random (it is on the generated 10^6
// instance): then every neighbour a search iteration reads is a cache miss. Renumbered along the
// Z-order curve (coarsen.hpp, spatial_order), neighbours sit a few hundred bytes apart.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "territory/core/ids.hpp"
#include "territory/detail/balance/problem.hpp"
#include "territory/detail/balance/tuning.hpp"
#include "territory/detail/graph/csr.hpp"
#include "territory/detail/huge_pages.hpp"
#include "territory/graph/adjacency.hpp"

namespace territory::detail::balance {

/// A problem's accounts renumbered: account i of the renumbered problem is the caller's account
/// order[i]; `graph` is the renumbered graph the problem points to.
struct renumbering {
  huge_vector<account_index> order;
  adjacency graph;

  [[nodiscard]] bool empty() const noexcept { return order.empty(); }

  /// The plan in the caller's numbering. O(n).
  [[nodiscard]] std::vector<territory_index> restore(const std::vector<territory_index>& assign) const {
    std::vector<territory_index> out(assign.size());
    for (std::size_t i = 0; i < assign.size(); ++i) out[order[i]] = assign[i];
    return out;
  }
};

/// Mean |a - b| over the edges (a, b) of g: ~n/3 on a random numbering, ~sqrt(n)/2 on a grid
/// numbered row by row, less along a Z-order curve. O(e), one sequential pass.
[[nodiscard]] inline double mean_neighbour_gap(const adjacency& g) {
  const auto offs = g.offsets();
  const auto targ = g.targets();
  if (targ.empty()) return 0.0;
  double s = 0.0;
  for (std::size_t a = 0; a + 1 < offs.size(); ++a) {
    for (std::size_t k = offs[a]; k < offs[a + 1]; ++k) s += std::abs(static_cast<double>(targ[k]) - static_cast<double>(a));
  }
  return s / static_cast<double>(targ.size());
}

/// Whether renumbering pays: the caller's neighbours lie on average more than kRenumberGapRows rows
/// of a square grid of the same size apart (a row-major grid, at sqrt(n)/2, keeps its numbering and
/// its plan; a random numbering is renumbered). O(e).
[[nodiscard]] inline bool worth_renumbering(const adjacency& g) {
  const double n = static_cast<double>(g.size());
  return mean_neighbour_gap(g) > kRenumberGapRows * std::sqrt(n);
}

/// Renumbers `pr` in place along `order` (a permutation of its accounts): its rows of activities, its
/// points and its component labels are permuted, and pr.graph points to `out.graph`, the graph
/// renumbered (rows sorted). `assign` (a plan in the caller's numbering) is permuted with it.
/// `out` must outlive every use of `pr`. Precondition: no per-account locks (the multilevel driver
/// runs without them). At 10^6 accounts the graph costs ~32 MB.
/// Memory beyond the renumbered graph: one copy of the rows and points at a time, then n indices.
/// O(n·m + e log deg).
inline void renumber_problem(problem& pr, std::vector<territory_index>& assign, huge_vector<account_index> order,
                             renumbering& out) {
  const std::size_t n = pr.n, m = pr.m;
  {
    huge_vector<double> w(n * m);
    huge_vector<point> xy(n);
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t v = order[i];
      std::copy_n(pr.w.data() + v * m, m, w.data() + i * m);
      xy[i] = pr.xy[v];
    }
    pr.w = std::move(w);
    pr.xy = std::move(xy);
  }
  if (!pr.comp_label.empty()) {
    std::vector<std::uint32_t> lab(n);
    for (std::size_t i = 0; i < n; ++i) lab[i] = pr.comp_label[order[i]];
    pr.comp_label = std::move(lab);
  }
  {
    std::vector<territory_index> a(n);
    for (std::size_t i = 0; i < n; ++i) a[i] = assign[order[i]];
    assign = std::move(a);
  }
  // The graph last, once the rows' old copies are freed: the caller's rows gathered in the new order,
  // then their targets mapped to the new indices in a separate sequential pass (its random reads of
  // `inv` are independent of each other, so their cache misses overlap), then each row sorted.
  const adjacency& g = *pr.graph;
  const auto offs = g.offsets();
  const auto targ = g.targets();
  huge_vector<std::size_t> o(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i) o[i + 1] = o[i] + (offs[order[i] + 1] - offs[order[i]]);
  huge_vector<account_index> t(targ.size());
  for (std::size_t i = 0; i < n; ++i) {
    const account_index v = order[i];
    const auto first = targ.begin() + static_cast<std::ptrdiff_t>(offs[v]);
    std::copy(first, targ.begin() + static_cast<std::ptrdiff_t>(offs[v + 1]), t.begin() + static_cast<std::ptrdiff_t>(o[i]));
  }
  {
    huge_vector<account_index> inv(n);
    for (std::size_t i = 0; i < n; ++i) inv[order[i]] = static_cast<account_index>(i);
    for (auto& x : t) x = inv[x];
  }
  for (std::size_t i = 0; i < n; ++i) {
    std::sort(t.begin() + static_cast<std::ptrdiff_t>(o[i]), t.begin() + static_cast<std::ptrdiff_t>(o[i + 1]));
  }
  out.graph = adjacency_access::from_valid_csr(std::move(o), std::move(t));
  out.order = std::move(order);
  pr.graph = &out.graph;
}

}  // namespace territory::detail::balance
