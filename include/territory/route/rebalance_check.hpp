#pragma once

/// @file rebalance_check.hpp
/// Flags reps whose account count or potential deviates more than 20 % from their team's
/// mean, with suggested moves that bring them back. The deviation and the alert rule are those of
/// plan/drift.hpp, shared with `monitor()` (plan/monitor.hpp), which adds the geometric,
/// minimal-disruption rebalance; this check stays at routing level (no coordinates, no graph).

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "territory/core/error.hpp"
#include "territory/core/plan.hpp"
#include "territory/plan/drift.hpp"

namespace territory {

struct rebalance_options {
  double tolerance = 0.2;             ///< allowed relative deviation from the team mean
  std::size_t max_moves = 100;        ///< at most this many suggested moves
  std::span<const std::uint32_t> team_of{};  ///< team of each territory (empty: one team); means and moves stay in a team
  std::span<const std::uint8_t> locked{};    ///< per account, 1 = never suggest moving it
};

struct territory_load {
  std::size_t accounts = 0;
  double potential = 0.0;
  double account_deviation = 0.0;    ///< accounts / team mean − 1
  double potential_deviation = 0.0;  ///< potential / team mean − 1
  bool flagged = false;              ///< a deviation beyond the tolerance
};

struct suggested_move {
  account_index account = 0;
  territory_index from = no_territory;
  territory_index to = no_territory;
  friend bool operator==(const suggested_move&, const suggested_move&) = default;
};

struct rebalance_report {
  std::vector<territory_load> territories;  ///< before the suggested moves
  std::vector<suggested_move> moves;        ///< in the order to apply them
  double excess_before = 0.0;               ///< Σ deviation beyond the tolerance (counts and potential)
  double excess_after = 0.0;                ///< the same after the moves
  [[nodiscard]] bool needed() const noexcept {
    for (const auto& t : territories) {
      if (t.flagged) return true;
    }
    return false;
  }
};

/// Flags deviations and suggests moves: greedily, the single move (account, target territory
/// in the same team) that most reduces the total excess deviation, until none reduces it or
/// `max_moves` is reached.
/// Complexity: O(n + p) for the flags; O(n·p) per suggested move.
/// Throws: invalid_input{errc::size_mismatch} (field "potential"/"locked"/"team_of");
///   invalid_input{errc::non_finite}/{errc::negative_value} (field "potential", index);
///   invalid_input{errc::invalid_parameter} (field "tolerance") if tolerance is not ≥ 0.
/// Determinism: ties go to the smaller account index, then the smaller territory.
[[nodiscard]] inline rebalance_report rebalance_check(const plan& owners, std::span<const double> potential,
                                                      const rebalance_options& options = {}) {
  const std::size_t n = owners.size();
  const std::size_t p = owners.territory_count();
  if (potential.size() != n) {
    throw invalid_input(errc::size_mismatch, "potential",
                        "rebalance_check(): potential has " + std::to_string(potential.size()) + " values, expected " + std::to_string(n));
  }
  for (std::size_t a = 0; a < n; ++a) {
    if (!std::isfinite(potential[a])) throw invalid_input(errc::non_finite, "potential", "rebalance_check(): potential is not finite", a);
    if (potential[a] < 0) throw invalid_input(errc::negative_value, "potential", "rebalance_check(): potential is negative", a);
  }
  if (!options.locked.empty() && options.locked.size() != n) {
    throw invalid_input(errc::size_mismatch, "locked", "rebalance_check(): locked must be empty or one flag per account");
  }
  if (!options.team_of.empty() && options.team_of.size() != p) {
    throw invalid_input(errc::size_mismatch, "team_of", "rebalance_check(): team_of must be empty or one team per territory");
  }
  if (!(options.tolerance >= 0) || !std::isfinite(options.tolerance)) {
    throw invalid_input(errc::invalid_parameter, "tolerance", "rebalance_check(): tolerance must be finite and >= 0");
  }
  auto team = [&](std::size_t t) -> std::uint32_t { return options.team_of.empty() ? 0U : options.team_of[t]; };

  std::vector<double> count(p, 0.0), pot(p, 0.0);
  for (std::size_t a = 0; a < n; ++a) {
    const auto t = owners[static_cast<account_index>(a)];
    if (t == no_territory) continue;
    count[t] += 1;
    pot[t] += potential[a];
  }
  // the drift rule of plan/drift.hpp (shared with monitor()): deviation from the team mean, alert
  // strictly beyond the tolerance; the means stay those of the current plan while moves are suggested
  const auto by_count = drift_from_mean(count, options.team_of, options.tolerance);
  const auto by_pot = drift_from_mean(pot, options.team_of, options.tolerance);
  const auto mean_count = group_means(count, options.team_of);
  const auto mean_pot = group_means(pot, options.team_of);
  const double tol = options.tolerance;
  auto excess = [&](std::size_t t, double c, double v) {
    return excess_beyond(relative_deviation(c, mean_count[team(t)]), tol) +
           excess_beyond(relative_deviation(v, mean_pot[team(t)]), tol);
  };
  rebalance_report rep;
  rep.territories.resize(p);
  for (std::size_t t = 0; t < p; ++t) {
    auto& l = rep.territories[t];
    l.accounts = static_cast<std::size_t>(count[t]);
    l.potential = pot[t];
    l.account_deviation = by_count[t].deviation;
    l.potential_deviation = by_pot[t].deviation;
    l.flagged = by_count[t].alert || by_pot[t].alert;
    rep.excess_before += excess(t, count[t], pot[t]);
  }
  rep.excess_after = rep.excess_before;
  std::vector<territory_index> where(owners.assignment().begin(), owners.assignment().end());
  constexpr double eps = 1e-12;
  while (rep.moves.size() < options.max_moves && rep.excess_after > eps) {
    double best_gain = eps;
    suggested_move best{};
    for (std::size_t a = 0; a < n; ++a) {
      const territory_index from = where[a];
      if (from == no_territory || (!options.locked.empty() && options.locked[a] != 0)) continue;
      const double before_from = excess(from, count[from], pot[from]);
      const double after_from = excess(from, count[from] - 1, pot[from] - potential[a]);
      for (std::size_t to = 0; to < p; ++to) {
        if (to == from || team(to) != team(from)) continue;
        const double gain = before_from - after_from + excess(to, count[to], pot[to]) -
                            excess(to, count[to] + 1, pot[to] + potential[a]);
        if (gain > best_gain) {
          best_gain = gain;
          best = {static_cast<account_index>(a), from, static_cast<territory_index>(to)};
        }
      }
    }
    if (best.from == no_territory) break;
    count[best.from] -= 1;
    pot[best.from] -= potential[best.account];
    count[best.to] += 1;
    pot[best.to] += potential[best.account];
    where[best.account] = best.to;
    rep.moves.push_back(best);
    rep.excess_after -= best_gain;
  }
  rep.excess_after = 0;
  for (std::size_t t = 0; t < p; ++t) rep.excess_after += excess(t, count[t], pot[t]);
  return rep;
}

}  // namespace territory
