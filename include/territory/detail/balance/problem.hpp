#pragma once

// The normalised problem the engine works on: the balanced activity columns divided by their mean
// per territory (so every column has target 1 per territory), row-major for O(m) move evaluation.
// A column whose total is 0 (all accounts 0) has mean 0: it is always satisfied and is left out of
// the problem (`balanced[j] == 0`).
//
// Columns of the sums: the first `mb` are the balanced activity columns (two-sided band
// [1 - tau_j, 1 + tau_j]); the `mf - mb` after them are floor columns, one per min_count constraint
// (w = 1/K for a member account, so the floor is 1: one-sided, S_tj >= 1); the `m - mf` last ones
// are the columns of the median bounds (median_bound values / their mean per territory), tracked in
// the sums but not part of excess(): their bound depends on all p sums (median_bounds.hpp).
// `excess()` is the one home of the per-territory balance excess: every part of the engine
// (construction, search, smoothing) scores a territory's sums through it, so a floor column is
// searched exactly like a balanced one.
// `locked` (empty = none) holds the territory each account is locked to, or no_territory.

#include <cstddef>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "territory/balance/constraints.hpp"
#include "territory/core/ids.hpp"
#include "territory/detail/huge_pages.hpp"
#include "territory/geo/distance_policy.hpp"
#include "territory/graph/adjacency.hpp"

namespace territory::detail::balance {

/// A median bound on column `column` of the sums: S_t <= factor × median (cap) or >= (floor).
struct median_column {
  std::size_t column = 0;
  double factor = 1.0;
  bool cap = true;
};

struct problem {
  std::size_t n = 0, m = 0, p = 0;  // m = columns of the sums: mb balanced, floors up to mf, medians up to mx, skills
  std::size_t mb = 0;               // balanced columns (the first mb)
  std::size_t mf = 0;               // end of the floor columns (mb <= mf <= mx)
  std::size_t mx = 0;               // end of the median columns (mf <= mx <= m); skill columns [mx, m)
  huge_vector<double> w;            // n*m row-major, w[a*m+k] = activity of column column[k] / its mean
  std::vector<double> tau;          // mb, the tolerance of each balanced column
  std::vector<std::size_t> column;  // mb, the input column of each balanced column
  std::vector<char> balanced;       // per input column: 1 = balanced (positive total), 0 = all zero, left out
  huge_vector<point> xy;            // n
  const adjacency* graph = nullptr;  // never null inside the engine (a kNN graph stands in)
  std::vector<territory_index> comp_territories;  // per graph component
  std::vector<std::uint32_t> comp_label;          // per account
  std::vector<territory_index> locked;            // per account (empty = no locks): its territory or no_territory
  double max_diameter = std::numeric_limits<double>::infinity();  // hard cap on a territory's diameter (policy units)
  std::vector<median_column> medians;             // the median bounds, on columns [mf, mx)
  std::vector<account_index> seeds;  // per territory (empty = none): the account the construction grows it from
  // Target shares (partition_options::target_shares): territory t's target on every balanced and
  // median column is share[t] times the mean territory's (mean of share = 1). Empty = all 1. The
  // engine keeps territory t's sums RELATIVE to its target: an account adds w / share[t] to those
  // columns (tw holds the factors, p*m; floor columns keep factor 1), so every bound, the median
  // order statistic and every heuristic read "1 = on target" as before.
  std::vector<double> share;
  std::vector<double> tw;  // p*m factors of the sums (empty = all 1)

  [[nodiscard]] const double* row(account_index a) const noexcept { return w.data() + static_cast<std::size_t>(a) * m; }
  /// Excess of one territory's sums over its bounds: sum over balanced columns of
  /// max(0, |S_j - 1| - tau_j), plus over floor columns of max(0, 1 - S_j). O(m).
  [[nodiscard]] double excess(const double* s) const noexcept {
    double e = 0.0;
    for (std::size_t j = 0; j < mb; ++j) e += std::max(0.0, std::abs(s[j] - 1.0) - tau[j]);
    for (std::size_t j = mb; j < mf; ++j) e += std::max(0.0, 1.0 - s[j]);
    for (std::size_t j = mx; j < m; ++j) e += s[j];  // skills: accounts in a territory without the skill
    return e;
  }
  /// Load of an account for constructions and flows: the mean of its balanced columns (1 when nothing
  /// is balanced). O(mb).
  [[nodiscard]] double load(account_index a) const noexcept {
    if (mb == 0) return 1.0;
    double s = 0.0;
    for (std::size_t j = 0; j < mb; ++j) s += w[static_cast<std::size_t>(a) * m + j];
    return s / static_cast<double>(mb);
  }
  [[nodiscard]] bool is_locked(account_index a) const noexcept { return !locked.empty() && locked[a] != no_territory; }
  /// s[j] += sign × account a's contribution to territory t's sums (its row, divided by t's share on
  /// the balanced and median columns). sign = ±1. O(m). The one place a territory's sums take an
  /// account, so a share other than 1 reaches every part of the engine.
  void add(double* s, account_index a, std::size_t t, double sign) const noexcept {
    const double* r = row(a);
    if (tw.empty()) {
      for (std::size_t j = 0; j < m; ++j) s[j] += sign * r[j];
      return;
    }
    const double* f = tw.data() + t * m;
    for (std::size_t j = 0; j < m; ++j) s[j] += sign * (r[j] * f[j]);
  }
  /// Whether account a may be in territory t under the skill requirements (w = 1 for an account that
  /// needs the skill, factor 1 for a territory without it). O(skills).
  [[nodiscard]] bool allows(account_index a, std::size_t t) const noexcept {
    for (std::size_t j = mx; j < m; ++j) {
      if (w[static_cast<std::size_t>(a) * m + j] > 0.0 && tw[t * m + j] > 0.0) return false;
    }
    return true;
  }
  /// Account a's contribution to territory t's column j (see add). O(1).
  [[nodiscard]] double wt(account_index a, std::size_t j, std::size_t t) const noexcept {
    const double x = w[static_cast<std::size_t>(a) * m + j];
    return tw.empty() ? x : x * tw[t * m + j];
  }
  /// Territory t's share of the mean territory's target (1 without target shares). O(1).
  [[nodiscard]] double share_of(std::size_t t) const noexcept { return share.empty() ? 1.0 : share[t]; }
};

/// `tau` has one value per input column. Complexity O(n·m).
inline problem make_problem(const Eigen::Ref<const Eigen::MatrixXd>& acts, const Eigen::Ref<const Eigen::MatrixX2d>& xy,
                            const std::vector<double>& tau, std::size_t p) {
  problem pr;
  pr.n = static_cast<std::size_t>(acts.rows());
  pr.p = p;
  const auto cols = static_cast<std::size_t>(acts.cols());
  pr.balanced.assign(cols, 0);
  std::vector<double> inv;
  for (std::size_t j = 0; j < cols; ++j) {
    const double total = acts.col(static_cast<Eigen::Index>(j)).sum();
    if (total <= 0.0) continue;
    pr.balanced[j] = 1;
    pr.column.push_back(j);
    pr.tau.push_back(tau[j]);
    inv.push_back(static_cast<double>(p) / total);
  }
  pr.m = pr.mb = pr.mf = pr.mx = pr.column.size();
  pr.w.assign(pr.n * pr.m, 0.0);
  for (std::size_t k = 0; k < pr.m; ++k) {
    const auto j = static_cast<Eigen::Index>(pr.column[k]);
    for (std::size_t a = 0; a < pr.n; ++a) pr.w[a * pr.m + k] = acts(static_cast<Eigen::Index>(a), j) * inv[k];
  }
  pr.xy.resize(pr.n);
  for (std::size_t a = 0; a < pr.n; ++a) {
    pr.xy[a] = {xy(static_cast<Eigen::Index>(a), 0), xy(static_cast<Eigen::Index>(a), 1)};
  }
  return pr;
}

/// Appends one floor column per min_count constraint (w = 1/K for its members), one column per
/// median bound whose values are not all 0 (values / their mean per territory), and the locks. The
/// caller validated sizes, K >= 1 and the factors. O(n·m).
inline void add_business_constraints(problem& pr, const std::vector<::territory::min_count>& floors,
                                     const std::vector<::territory::median_bound>& bounds,
                                     const std::vector<territory_index>& locked, double max_diameter) {
  // no account locked: no locks (the multilevel driver and the plain kicks stay available)
  if (std::any_of(locked.begin(), locked.end(), [](territory_index t) { return t != no_territory; })) pr.locked = locked;
  pr.max_diameter = max_diameter;
  std::vector<std::pair<std::size_t, double>> med;  // (bound, p / total) of the bounds with a positive total
  for (std::size_t k = 0; k < bounds.size(); ++k) {
    double total = 0.0;
    for (double v : bounds[k].values) total += v;
    if (total > 0.0) med.emplace_back(k, static_cast<double>(pr.p) / total);
  }
  if (floors.empty() && med.empty()) return;
  const std::size_t m0 = pr.m, mf = m0 + floors.size(), m1 = mf + med.size();
  huge_vector<double> w(pr.n * m1, 0.0);
  for (std::size_t a = 0; a < pr.n; ++a) {
    for (std::size_t j = 0; j < m0; ++j) w[a * m1 + j] = pr.w[a * m0 + j];
    for (std::size_t k = 0; k < floors.size(); ++k) {
      if (floors[k].member[a] != 0) w[a * m1 + m0 + k] = 1.0 / static_cast<double>(floors[k].min);
    }
    for (std::size_t k = 0; k < med.size(); ++k) w[a * m1 + mf + k] = bounds[med[k].first].values[a] * med[k].second;
  }
  pr.medians.clear();
  for (std::size_t k = 0; k < med.size(); ++k) {
    const auto& b = bounds[med[k].first];
    pr.medians.push_back({mf + k, b.factor, b.side == ::territory::median_side::cap});
  }
  pr.w = std::move(w);
  pr.m = pr.mx = m1;
  pr.mf = mf;
}

/// Appends one column per skill requirement (w = 1 for an account that needs the skill); the
/// territories' factors on it (1 without the skill, 0 with it) are set by set_target_shares. Call
/// after add_business_constraints. O(n·m).
inline void add_skills(problem& pr, const std::vector<::territory::skill_requirement>& skills) {
  if (skills.empty()) return;
  const std::size_t m0 = pr.m, m1 = m0 + skills.size();
  huge_vector<double> w(pr.n * m1, 0.0);
  for (std::size_t a = 0; a < pr.n; ++a) {
    for (std::size_t j = 0; j < m0; ++j) w[a * m1 + j] = pr.w[a * m0 + j];
    for (std::size_t k = 0; k < skills.size(); ++k) w[a * m1 + m0 + k] = skills[k].member[a] != 0 ? 1.0 : 0.0;
  }
  pr.w = std::move(w);
  pr.m = m1;  // the median columns keep their indices (< m0 = mx)
}

/// Sets the target shares (one positive value per territory, any scale; normalised to mean 1) and
/// the sums' factors: 1 / share on the balanced and median columns, 1 on the floor columns; on the
/// skill columns 0 for a territory that allows the skill, 1 for one that does not. Equal shares = none
/// (the engine's plans are then the same as without). Call after add_business_constraints and
/// add_skills. O(p·m).
inline void set_target_shares(problem& pr, const std::vector<double>& shares,
                              const std::vector<::territory::skill_requirement>& skills = {}) {
  pr.share.clear();
  pr.tw.clear();
  const bool unequal =
      !shares.empty() && std::any_of(shares.begin(), shares.end(), [&](double x) { return x != shares.front(); });
  if (!unequal && pr.mx == pr.m) return;
  pr.tw.assign(pr.p * pr.m, 1.0);
  if (unequal) {
    double total = 0.0;
    for (double x : shares) total += x;
    pr.share.resize(pr.p);
    for (std::size_t t = 0; t < pr.p; ++t) {
      pr.share[t] = shares[t] * static_cast<double>(pr.p) / total;
      for (std::size_t j = 0; j < pr.mx; ++j) {
        if (j < pr.mb || j >= pr.mf) pr.tw[t * pr.m + j] = 1.0 / pr.share[t];
      }
    }
  }
  for (std::size_t k = 0; k < skills.size() && pr.mx + k < pr.m; ++k) {
    for (std::size_t t = 0; t < pr.p; ++t) pr.tw[t * pr.m + pr.mx + k] = skills[k].allowed[t] != 0 ? 0.0 : 1.0;
  }
}

}  // namespace territory::detail::balance
