#pragma once

/// @file delta.hpp
/// `territory::compare_plans`: the difference (disruption) between two plans of the same accounts:
/// every moved account, the share of each activity column that moved, the territories (and reps)
/// touched, and per territory (per rep) the accounts and amounts gained and lost. The one home of
/// plan deltas: `rebalance()` reports its disruption with it, and so should anything else that
/// compares plans. Depends on `core/` only.
///
/// Example:
/// @code
/// const auto d = territory::compare_plans(old_plan, new_plan, table.activities());
/// // d.accounts_moved, d.moved_share(j), d.moves[i] = {account, from, to}, d.territories[k].gained
/// @endcode

#include <algorithm>
#include <cstddef>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "territory/core/error.hpp"
#include "territory/core/ids.hpp"
#include "territory/core/plan.hpp"

namespace territory {

/// One account that changed territory: from its territory in the first plan to its territory in the
/// second (either may be `no_territory` for an account unassigned in that plan).
struct account_move {
  account_index account = 0;
  territory_index from = no_territory;  ///< territory index in the first plan
  territory_index to = no_territory;    ///< territory index in the second plan
  friend bool operator==(const account_move&, const account_move&) = default;
};

/// What one territory (or rep) gained and lost between the two plans.
struct territory_change {
  territory_index before = no_territory;  ///< its index in the first plan; no_territory = new in the second
  territory_index after = no_territory;   ///< its index in the second plan; no_territory = dissolved
  std::size_t accounts_before = 0, accounts_after = 0;
  std::size_t gained = 0, lost = 0;       ///< accounts that moved in, moved out
  Eigen::VectorXd gained_amount;          ///< per activity column: sum over the accounts that moved in
  Eigen::VectorXd lost_amount;            ///< per activity column: sum over the accounts that moved out
  [[nodiscard]] bool touched() const noexcept {
    return gained + lost > 0 || before == no_territory || after == no_territory;
  }
};

/// What one rep gained and lost (`plan_delta_options::rep_before` / `rep_after`).
struct rep_change {
  std::size_t rep = 0;                    ///< rep index (as in the caller's rep list)
  std::size_t gained = 0, lost = 0;
  Eigen::VectorXd gained_amount, lost_amount;
};

/// The difference between two plans of the same accounts (`compare_plans`).
struct plan_delta {
  static constexpr std::size_t no_rep = std::numeric_limits<std::size_t>::max();
  std::vector<account_move> moves;            ///< every moved account, in account order
  std::size_t accounts_moved = 0;             ///< moves.size()
  double share_moved = 0.0;                   ///< accounts_moved / n (0 for n = 0)
  Eigen::VectorXd moved_amount;               ///< per activity column: sum over the moved accounts
  Eigen::VectorXd moved_share;                ///< per column: moved_amount / column total (0 for an all-zero column)
  /// One entry per territory of either plan: the first plan's territories in index order (with the
  /// index each has in the second plan, or no_territory when dissolved), then the second plan's new ones.
  std::vector<territory_change> territories;
  std::size_t territories_touched = 0;        ///< entries with touched()
  std::vector<rep_change> reps;               ///< per rep that gained or lost an account (rep order); empty without reps
  std::size_t reps_touched = 0;               ///< reps.size()
};

/// How the territories (and reps) of the two plans correspond. An aggregate.
struct plan_delta_options {
  /// Per territory of the second plan: the territory of the first plan it continues, or no_territory
  /// for a new one. Empty = by index (territory t of the second plan continues territory t of the
  /// first when t < the first plan's territory count; the others are new).
  std::vector<territory_index> continues{};
  /// Per territory of the first / second plan: the index of the rep who owns it, or plan_delta::no_rep.
  /// Both empty = no per-rep changes. An account counts as gained by its rep in the second plan and
  /// lost by its rep in the first when the two differ (a rep who keeps an account that changed
  /// territory id counts nothing).
  std::vector<std::size_t> rep_before{}, rep_after{};
};

/// The delta from `before` to `after` (same accounts, same order). An account moves when its territory
/// in `after` does not continue its territory in `before` (options.continues). `activities` (n x m, may
/// have 0 columns) gives the amounts; an empty matrix (0 x 0) means no amounts.
///
/// Complexity: O(n·m + p·m), memory O(moves + p·m).
/// Throws: invalid_input{size_mismatch} (field "after" when the plans differ in size, "activities" when
///   its rows are not n, "continues" when it is not one per territory of `after`, "rep_before" /
///   "rep_after" when not one per territory of their plan, or one given without the other);
///   {out_of_range} (field "continues", index = territory) for an entry that is not a territory of
///   `before`; {invalid_parameter} (field "continues", index) for a territory of `before` continued twice.
[[nodiscard]] inline plan_delta compare_plans(const plan& before, const plan& after,
                                              const Eigen::Ref<const Eigen::MatrixXd>& activities,
                                              const plan_delta_options& options = {}) {
  const std::size_t n = before.size();
  const territory_index p0 = before.territory_count(), p1 = after.territory_count();
  if (after.size() != n) {
    throw invalid_input(errc::size_mismatch, "after",
                        "compare_plans: the second plan has " + std::to_string(after.size()) + " accounts, the first " +
                            std::to_string(n));
  }
  const bool amounts = activities.rows() != 0 || activities.cols() != 0;
  if (amounts && static_cast<std::size_t>(activities.rows()) != n) {
    throw invalid_input(errc::size_mismatch, "activities",
                        "compare_plans: activities have " + std::to_string(activities.rows()) + " rows, the plans " +
                            std::to_string(n) + " accounts");
  }
  const auto m = amounts ? activities.cols() : Eigen::Index{0};
  // after territory -> before territory, and back
  std::vector<territory_index> cont(p1, no_territory), back(p0, no_territory);
  if (options.continues.empty()) {
    for (territory_index t = 0; t < p1 && t < p0; ++t) cont[t] = t;
  } else {
    if (options.continues.size() != p1) {
      throw invalid_input(errc::size_mismatch, "continues",
                          "compare_plans: continues has " + std::to_string(options.continues.size()) +
                              " entries, the second plan " + std::to_string(p1) + " territories");
    }
    cont = options.continues;
  }
  for (territory_index t = 0; t < p1; ++t) {
    const auto b = cont[t];
    if (b == no_territory) continue;
    if (b >= p0) {
      throw invalid_input(errc::out_of_range, "continues",
                          "compare_plans: territory " + std::to_string(t) + " continues territory " + std::to_string(b) +
                              ", but the first plan has " + std::to_string(p0),
                          t);
    }
    if (back[b] != no_territory) {
      throw invalid_input(errc::invalid_parameter, "continues",
                          "compare_plans: territory " + std::to_string(b) + " of the first plan is continued twice",
                          t);
    }
    back[b] = t;
  }
  const bool reps = !options.rep_before.empty() || !options.rep_after.empty();
  if (reps && options.rep_before.size() != p0) {
    throw invalid_input(errc::size_mismatch, "rep_before",
                        "compare_plans: rep_before has " + std::to_string(options.rep_before.size()) +
                            " entries, the first plan " + std::to_string(p0) + " territories");
  }
  if (reps && options.rep_after.size() != p1) {
    throw invalid_input(errc::size_mismatch, "rep_after",
                        "compare_plans: rep_after has " + std::to_string(options.rep_after.size()) +
                            " entries, the second plan " + std::to_string(p1) + " territories");
  }

  plan_delta d;
  d.moved_amount = Eigen::VectorXd::Zero(m);
  d.moved_share = Eigen::VectorXd::Zero(m);
  // entries: before's territories, then after's new ones
  std::vector<std::size_t> entry_of_before(p0), entry_of_after(p1);
  for (territory_index t = 0; t < p0; ++t) {
    entry_of_before[t] = d.territories.size();
    d.territories.push_back({t, back[t], 0, 0, 0, 0, Eigen::VectorXd::Zero(m), Eigen::VectorXd::Zero(m)});
  }
  for (territory_index t = 0; t < p1; ++t) {
    if (cont[t] != no_territory) {
      entry_of_after[t] = entry_of_before[cont[t]];
      continue;
    }
    entry_of_after[t] = d.territories.size();
    d.territories.push_back({no_territory, t, 0, 0, 0, 0, Eigen::VectorXd::Zero(m), Eigen::VectorXd::Zero(m)});
  }
  std::vector<rep_change> rc;
  std::vector<std::size_t> rep_slot;
  auto rep_entry = [&](std::size_t r) -> rep_change& {
    if (r >= rep_slot.size()) rep_slot.resize(r + 1, plan_delta::no_rep);
    if (rep_slot[r] == plan_delta::no_rep) {
      rep_slot[r] = rc.size();
      rc.push_back({r, 0, 0, Eigen::VectorXd::Zero(m), Eigen::VectorXd::Zero(m)});
    }
    return rc[rep_slot[r]];
  };
  for (std::size_t a = 0; a < n; ++a) {
    const auto ta = before[static_cast<account_index>(a)], tb = after[static_cast<account_index>(a)];
    if (ta != no_territory) ++d.territories[entry_of_before[ta]].accounts_before;
    if (tb != no_territory) ++d.territories[entry_of_after[tb]].accounts_after;
    if (reps) {
      const auto ra = ta == no_territory ? plan_delta::no_rep : options.rep_before[ta];
      const auto rb = tb == no_territory ? plan_delta::no_rep : options.rep_after[tb];
      if (ra != rb) {
        if (ra != plan_delta::no_rep) {
          auto& e = rep_entry(ra);
          ++e.lost;
          if (m > 0) e.lost_amount += activities.row(static_cast<Eigen::Index>(a)).transpose();
        }
        if (rb != plan_delta::no_rep) {
          auto& e = rep_entry(rb);
          ++e.gained;
          if (m > 0) e.gained_amount += activities.row(static_cast<Eigen::Index>(a)).transpose();
        }
      }
    }
    const bool same = ta != no_territory && tb != no_territory ? cont[tb] == ta : ta == tb;
    if (same) continue;
    d.moves.push_back({static_cast<account_index>(a), ta, tb});
    if (m > 0) d.moved_amount += activities.row(static_cast<Eigen::Index>(a)).transpose();
    if (ta != no_territory) {
      auto& e = d.territories[entry_of_before[ta]];
      ++e.lost;
      if (m > 0) e.lost_amount += activities.row(static_cast<Eigen::Index>(a)).transpose();
    }
    if (tb != no_territory) {
      auto& e = d.territories[entry_of_after[tb]];
      ++e.gained;
      if (m > 0) e.gained_amount += activities.row(static_cast<Eigen::Index>(a)).transpose();
    }
  }
  d.accounts_moved = d.moves.size();
  d.share_moved = n == 0 ? 0.0 : static_cast<double>(d.accounts_moved) / static_cast<double>(n);
  for (Eigen::Index j = 0; j < m; ++j) {
    const double tot = activities.col(j).sum();
    d.moved_share(j) = tot > 0.0 ? d.moved_amount(j) / tot : 0.0;
  }
  for (const auto& e : d.territories) d.territories_touched += e.touched() ? 1 : 0;
  for (std::size_t r = 0; r < rep_slot.size(); ++r) {
    if (rep_slot[r] != plan_delta::no_rep) d.reps.push_back(std::move(rc[rep_slot[r]]));
  }
  d.reps_touched = d.reps.size();
  return d;
}

/// Without amounts (accounts only). Complexity and throws as above.
[[nodiscard]] inline plan_delta compare_plans(const plan& before, const plan& after, const plan_delta_options& options = {}) {
  const Eigen::MatrixXd none(0, 0);
  return compare_plans(before, after, none, options);
}

/// Which territory of `before` each territory of `after` continues: pairs are taken greedily by the
/// number of accounts they share (most first; ties by the lower index of `after`, then of `before`),
/// each territory at most once, only pairs that share an account; the rest get no_territory. Usable as
/// plan_delta_options::continues. `fixed` (empty, or one per territory of `after`) pairs some territories
/// beforehand (e.g. by their rep): fixed[t] != no_territory makes t continue fixed[t], and only the
/// others are matched greedily. O(n + p_before·p_after·log). Throws invalid_input{errc::size_mismatch}
/// (field "after") when the plans differ in size; (field "fixed") when `fixed` is neither empty nor one
/// per territory of `after`; {errc::out_of_range} (field "fixed", index = territory) for a territory of
/// `before` that does not exist or is fixed twice.
[[nodiscard]] inline std::vector<territory_index> match_territories(const plan& before, const plan& after,
                                                                    std::span<const territory_index> fixed = {}) {
  const std::size_t n = before.size();
  if (after.size() != n) {
    throw invalid_input(errc::size_mismatch, "after",
                        "match_territories(): the plans have " + std::to_string(n) + " and " + std::to_string(after.size()) +
                            " accounts");
  }
  const std::size_t p0 = before.territory_count(), p1 = after.territory_count();
  if (!fixed.empty() && fixed.size() != p1) {
    throw invalid_input(errc::size_mismatch, "fixed",
                        "match_territories(): " + std::to_string(fixed.size()) + " fixed pairs for " + std::to_string(p1) +
                            " territories");
  }
  std::vector<std::size_t> shared(p0 * p1, 0);
  for (std::size_t a = 0; a < n; ++a) {
    const auto t0 = before[static_cast<account_index>(a)], t1 = after[static_cast<account_index>(a)];
    if (t0 != no_territory && t1 != no_territory) ++shared[std::size_t{t1} * p0 + t0];
  }
  std::vector<std::size_t> pairs;
  for (std::size_t k = 0; k < shared.size(); ++k) {
    if (shared[k] > 0) pairs.push_back(k);
  }
  std::stable_sort(pairs.begin(), pairs.end(), [&](std::size_t x, std::size_t y) { return shared[x] > shared[y]; });
  std::vector<territory_index> out(p1, no_territory);
  std::vector<char> used(p0, 0);
  for (std::size_t t = 0; t < fixed.size(); ++t) {
    if (fixed[t] == no_territory) continue;
    if (fixed[t] >= p0 || used[fixed[t]]) {
      throw invalid_input(errc::out_of_range, "fixed",
                          "match_territories(): territory " + std::to_string(t) + " is fixed to territory " +
                              std::to_string(fixed[t]) + (fixed[t] >= p0 ? ", which does not exist" : ", fixed twice"),
                          t);
    }
    out[t] = fixed[t];
    used[fixed[t]] = 1;
  }
  for (auto k : pairs) {
    const auto t1 = k / p0, t0 = k % p0;
    if (out[t1] != no_territory || used[t0]) continue;
    out[t1] = static_cast<territory_index>(t0);
    used[t0] = 1;
  }
  return out;
}

}  // namespace territory
