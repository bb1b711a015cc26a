#pragma once

// Bounds relative to the median territory (partition_options::median_bounds, docs/constraints.md):
// every territory's sum of a column at most (cap) or at least (floor) F × the median of the p
// territory sums. The median moves with the plan, so the bound is global: a move of one account
// changes two sums, which may shift the median and with it the bound of every territory.
//
// `median_tracker` keeps, per bound, the p sums in sorted order with their prefix sums (an order
// statistic over the territories). With it:
//   - the exact change of the total violation caused by changing two territories' sums (every
//     neighbourhood of the engine changes two: a move or a swap) is computed in O(log p) per bound;
//   - applying the change costs O(p) per bound (sorted insert and prefix sums).
// The total violation of a cap is sum_t max(0, S_t - F·med), of a floor sum_t max(0, F·med - S_t),
// in the problem's normalised unit (the column's mean per territory = 1), so it adds to the balance
// excess B of the search (searcher::X) like any other infeasibility.
//
// Median of p sums: the middle one for odd p, the mean of the two middle ones for even p.

#include <algorithm>
#include <cstddef>
#include <limits>
#include <utility>
#include <vector>

#include "territory/core/ids.hpp"
#include "territory/detail/balance/problem.hpp"

namespace territory::detail::balance {

/// Median of p >= 1 values sorted ascending. O(1).
[[nodiscard]] inline double median_of_sorted(const double* v, std::size_t p) noexcept {
  return p % 2 == 1 ? v[p / 2] : 0.5 * (v[p / 2 - 1] + v[p / 2]);
}

class median_tracker {
 public:
  median_tracker() = default;
  explicit median_tracker(const problem& pr) : pr_(&pr), st_(pr.medians.size()) {}

  [[nodiscard]] bool active() const noexcept { return !st_.empty(); }

  /// Loads the sums of a plan (p·m row-major, the problem's layout). O(K·p log p).
  void reset(const double* sums) {
    const std::size_t p = pr_->p, m = pr_->m;
    for (std::size_t k = 0; k < st_.size(); ++k) {
      auto& s = st_[k];
      const std::size_t c = pr_->medians[k].column;
      s.cur.resize(p);
      for (std::size_t t = 0; t < p; ++t) s.cur[t] = sums[t * m + c];
      s.sorted = s.cur;
      std::sort(s.sorted.begin(), s.sorted.end());
      refresh(k);
    }
  }

  /// Total violation of every bound under the loaded sums. O(K).
  [[nodiscard]] double total() const noexcept {
    double e = 0.0;
    for (const auto& s : st_) e += s.viol;
    return e;
  }

  /// Violation of territory t against the current medians (how far it is outside its bound). O(K).
  [[nodiscard]] double of_territory(territory_index t) const noexcept {
    double e = 0.0;
    for (std::size_t k = 0; k < st_.size(); ++k) e += gap(k, st_[k].cur[t], st_[k].bound);
    return e;
  }

  /// Exact change of total() when territories a ≠ b get the sums sa and sb (m values each, the
  /// problem's layout), the medians moving with them. O(K log p).
  [[nodiscard]] double delta(territory_index a, const double* sa, territory_index b, const double* sb) const {
    double d = 0.0;
    for (std::size_t k = 0; k < st_.size(); ++k) {
      const std::size_t c = pr_->medians[k].column;
      const auto& s = st_[k];
      // O(1) shortcut: no violation now, and none possible after, whatever the median does within
      // the two ranks a change of two sums can shift it by
      if (s.viol == 0.0 && (pr_->medians[k].cap ? std::max({s.sorted.back(), sa[c], sb[c]}) <= s.safe
                                                : std::min({s.sorted.front(), sa[c], sb[c]}) >= s.safe)) {
        continue;
      }
      d += violation_after(k, a, sa[c], b, sb[c]) - s.viol;
    }
    return d;
  }

  /// Makes the change of delta() (the state's sums for a and b are now sa and sb). O(K·p).
  void update(territory_index a, const double* sa, territory_index b, const double* sb) {
    for (std::size_t k = 0; k < st_.size(); ++k) {
      auto& s = st_[k];
      const std::size_t c = pr_->medians[k].column;
      replace(s.sorted, s.cur[a], sa[c]);
      replace(s.sorted, s.cur[b], sb[c]);
      s.cur[a] = sa[c];
      s.cur[b] = sb[c];
      refresh(k);
    }
  }

  /// Number of territories outside a bound (for progress reports). O(K·p).
  [[nodiscard]] std::size_t violated_pairs(double eps) const noexcept {
    std::size_t n = 0;
    for (std::size_t k = 0; k < st_.size(); ++k) {
      for (double v : st_[k].cur) n += gap(k, v, st_[k].bound) > eps ? 1 : 0;
    }
    return n;
  }

 private:
  struct column_state {
    std::vector<double> cur;     // per territory: its sum
    std::vector<double> sorted;  // the same, ascending
    std::vector<double> pre;     // prefix sums of sorted (p + 1)
    double bound = 0.0;          // F × median
    double viol = 0.0;           // total violation
    // F × the smallest (cap) or largest (floor) median after any change of two sums; -inf / +inf
    // when p < 5 (no shortcut)
    double safe = 0.0;
  };

  /// How far a territory with sum v is outside the bound of column k.
  [[nodiscard]] double gap(std::size_t k, double v, double bound) const noexcept {
    return pr_->medians[k].cap ? std::max(0.0, v - bound) : std::max(0.0, bound - v);
  }

  /// Sum over the sorted values of gap(k, ·, bound). O(log p).
  [[nodiscard]] double sum_gap(std::size_t k, double bound) const noexcept {
    const auto& s = st_[k];
    const std::size_t p = s.sorted.size();
    if (pr_->medians[k].cap) {
      const auto i = static_cast<std::size_t>(std::upper_bound(s.sorted.begin(), s.sorted.end(), bound) - s.sorted.begin());
      return std::max(0.0, (s.pre[p] - s.pre[i]) - static_cast<double>(p - i) * bound);
    }
    const auto i = static_cast<std::size_t>(std::lower_bound(s.sorted.begin(), s.sorted.end(), bound) - s.sorted.begin());
    return std::max(0.0, static_cast<double>(i) * bound - s.pre[i]);
  }

  void refresh(std::size_t k) {
    auto& s = st_[k];
    const std::size_t p = s.sorted.size();
    s.pre.assign(p + 1, 0.0);
    for (std::size_t i = 0; i < p; ++i) s.pre[i + 1] = s.pre[i] + s.sorted[i];
    s.bound = pr_->medians[k].factor * median_of_sorted(s.sorted.data(), p);
    s.viol = sum_gap(k, s.bound);
    // Removing two values and inserting two moves every order statistic by at most two ranks.
    const bool cap = pr_->medians[k].cap;
    if (p < 5) {
      s.safe = cap ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
    } else {
      const std::size_t lo = p / 2 - (p % 2 == 1 ? 0 : 1), hi = p / 2;  // the middle ranks
      const double m = cap ? 0.5 * (s.sorted[lo - 2] + s.sorted[hi - 2]) : 0.5 * (s.sorted[lo + 2] + s.sorted[hi + 2]);
      s.safe = pr_->medians[k].factor * m;
    }
  }

  static void replace(std::vector<double>& sorted, double old_value, double new_value) {
    sorted.erase(std::lower_bound(sorted.begin(), sorted.end(), old_value));
    sorted.insert(std::upper_bound(sorted.begin(), sorted.end(), new_value), new_value);
  }

  /// The total violation of column k if territories a and b had sums ya and yb. The sorted values
  /// with the two old sums removed (W, p - 2 values) and the two new ones inserted (U) are never
  /// built: U's middle elements come from index arithmetic on the sorted array. O(log p).
  [[nodiscard]] double violation_after(std::size_t k, territory_index a, double ya, territory_index b,
                                       double yb) const {
    const auto& s = st_[k];
    const auto& V = s.sorted;
    const std::size_t p = V.size();
    const double xa = s.cur[a], xb = s.cur[b];
    std::size_t ra = static_cast<std::size_t>(std::lower_bound(V.begin(), V.end(), xa) - V.begin());
    std::size_t rb = static_cast<std::size_t>(std::lower_bound(V.begin(), V.end(), xb) - V.begin());
    if (ra == rb) ++rb;  // equal old sums: the second copy
    const std::size_t lo = std::min(ra, rb), hi = std::max(ra, rb);
    auto W = [&](std::size_t j) { return j < lo ? V[j] : j + 1 < hi ? V[j + 1] : V[j + 2]; };
    // number of W values below y
    auto below = [&](double y) {
      const auto c = static_cast<std::size_t>(std::lower_bound(V.begin(), V.end(), y) - V.begin());
      return c - (xa < y ? 1 : 0) - (xb < y ? 1 : 0);
    };
    const double y1 = std::min(ya, yb), y2 = std::max(ya, yb);
    const std::size_t c1 = below(y1), c2 = below(y2);  // y1 at index c1 of U, y2 at c2 + 1
    auto U = [&](std::size_t i) {
      if (i == c1) return y1;
      if (i == c2 + 1) return y2;
      if (i < c1) return W(i);
      if (i < c2 + 1) return W(i - 1);
      return W(i - 2);
    };
    const double med = p % 2 == 1 ? U(p / 2) : 0.5 * (U(p / 2 - 1) + U(p / 2));
    const double bound = pr_->medians[k].factor * med;
    const double v = sum_gap(k, bound) - gap(k, xa, bound) - gap(k, xb, bound) + gap(k, ya, bound) + gap(k, yb, bound);
    return std::max(0.0, v);
  }

  const problem* pr_ = nullptr;
  std::vector<column_state> st_;
};

/// Total violation of the median bounds by a plan's sums (p·m, the problem's layout). O(K·p log p).
[[nodiscard]] inline double median_excess(const problem& pr, const double* sums) {
  if (pr.medians.empty()) return 0.0;
  median_tracker t(pr);
  t.reset(sums);
  return t.total();
}

/// Infeasibility of a plan without the diameter cap: the balance excess (sum over territories of
/// problem::excess, the searcher's B) plus the median bounds' violation (M). O(n·m + p·m + K·p log p).
[[nodiscard]] inline double plan_excess(const problem& pr, const std::vector<territory_index>& assign) {
  std::vector<double> s(pr.p * pr.m, 0.0);
  for (std::size_t a = 0; a < pr.n; ++a) {
    pr.add(s.data() + assign[a] * pr.m, static_cast<account_index>(a), assign[a], 1.0);
  }
  double e = 0.0;
  for (std::size_t t = 0; t < pr.p; ++t) e += pr.excess(s.data() + t * pr.m);  // data(): no element reference when m = 0
  return e + median_excess(pr, s.data());
}

/// The change of the infeasibility of a plan (balance excess of two territories with cached
/// excesses `exc`, plus the median bounds' total) when territories a ≠ b get the sums sa and sb:
/// the one rule every neighbourhood scores with. O(m + K log p).
[[nodiscard]] inline double infeasibility_delta(const problem& pr, const median_tracker& med,
                                                const std::vector<double>& exc, territory_index a, const double* sa,
                                                territory_index b, const double* sb) {
  double d = pr.excess(sa) + pr.excess(sb) - exc[a] - exc[b];
  if (med.active()) d += med.delta(a, sa, b, sb);
  return d;
}

}  // namespace territory::detail::balance
