#pragma once

/// @file workload.hpp
/// Workload score per account and per rep: complexity, open opportunities and activity
/// requirement, weighted.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "territory/core/error.hpp"
#include "territory/core/plan.hpp"
#include "territory/route/activity_event.hpp"

namespace territory {

/// Weights of the workload score: score = complexity·c + open_opportunities·o + activity_requirement·a.
struct workload_weights {
  double complexity = 1.0;            ///< per unit of account complexity (e.g. 0–100 score)
  double open_opportunities = 10.0;   ///< per open opportunity
  double activity_requirement = 1.0;  ///< per required activity (e.g. visits per quarter)
};

/// Workload score of every account. Empty spans count as zeros.
/// Complexity: O(n).
/// Throws: invalid_input{errc::size_mismatch} (field = the input) if a non-empty input is not
///         n long (n = the longest input); invalid_input{errc::non_finite} /
///         {errc::negative_value} (field, index) for a bad value or weight.
[[nodiscard]] inline std::vector<double> workload_scores(std::span<const double> complexity,
                                                         std::span<const double> open_opportunities,
                                                         std::span<const double> activity_requirement,
                                                         const workload_weights& weights = {}) {
  const std::size_t n = std::max({complexity.size(), open_opportunities.size(), activity_requirement.size()});
  auto check = [&](std::span<const double> v, const char* field) {
    if (!v.empty() && v.size() != n) {
      throw invalid_input(errc::size_mismatch, field,
                          std::string("workload_scores(): ") + field + " has " + std::to_string(v.size()) +
                              " values, expected " + std::to_string(n));
    }
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (!std::isfinite(v[i])) throw invalid_input(errc::non_finite, field, std::string("workload_scores(): ") + field + " is not finite", i);
      if (v[i] < 0) throw invalid_input(errc::negative_value, field, std::string("workload_scores(): ") + field + " is negative", i);
    }
  };
  check(complexity, "complexity");
  check(open_opportunities, "open_opportunities");
  check(activity_requirement, "activity_requirement");
  for (const double w : {weights.complexity, weights.open_opportunities, weights.activity_requirement}) {
    if (!std::isfinite(w) || w < 0) throw invalid_input(errc::invalid_parameter, "weights", "workload_scores(): weights must be finite and >= 0");
  }
  std::vector<double> out(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    if (!complexity.empty()) out[i] += weights.complexity * complexity[i];
    if (!open_opportunities.empty()) out[i] += weights.open_opportunities * open_opportunities[i];
    if (!activity_requirement.empty()) out[i] += weights.activity_requirement * activity_requirement[i];
  }
  return out;
}

/// An opportunity that is open at a date: opened and not (yet) won or lost.
struct open_opportunity {
  account_index account = 0;
  std::string id;                   ///< the activity log's opportunity id
  double amount = 0.0;              ///< the amount of its opening row
  std::chrono::sys_days opened{};   ///< the date of its opening row
};

/// The opportunities open at `as_of` in an activity log: opened on or before `as_of` and not won or
/// lost by then, in opportunity-id order (the one home of that rule: open_opportunity_counts and the
/// change sets of rebalance use it). An id opened twice counts once (its first opening row).
/// Complexity: O(L log L) for L events. Throws invalid_input{errc::out_of_range} (field
/// "log.account", index) for an account index ≥ n, invalid_input{errc::empty_id} (field
/// "log.opportunity") for an opportunity event without id. Deterministic.
[[nodiscard]] inline std::vector<open_opportunity> open_opportunities(std::size_t n, std::span<const activity_event> log,
                                                                    std::chrono::sys_days as_of) {
  std::vector<std::size_t> opp;
  for (std::size_t i = 0; i < log.size(); ++i) {
    if (log[i].account >= n) {
      throw invalid_input(errc::out_of_range, "log.account", "open_opportunities(): event " + std::to_string(i) +
                                                                 " names account " + std::to_string(log[i].account) +
                                                                 ", expected < " + std::to_string(n), i);
    }
    if (log[i].kind == activity_kind::contact) continue;
    if (log[i].opportunity.empty()) {
      throw invalid_input(errc::empty_id, "log.opportunity", "open_opportunities(): event " + std::to_string(i) + " has no opportunity id", i);
    }
    if (log[i].date <= as_of) opp.push_back(i);
  }
  std::stable_sort(opp.begin(), opp.end(), [&](std::size_t a, std::size_t b) { return log[a].opportunity < log[b].opportunity; });
  std::vector<open_opportunity> out;
  for (std::size_t b = 0; b < opp.size();) {
    std::size_t e = b;
    const activity_event* open = nullptr;
    bool closed = false;
    while (e < opp.size() && log[opp[e]].opportunity == log[opp[b]].opportunity) {
      const auto& ev = log[opp[e]];
      if (ev.kind == activity_kind::opportunity_open) open = open ? open : &ev;
      else closed = true;
      ++e;
    }
    if (open && !closed) out.push_back({open->account, std::string(open->opportunity), open->amount, open->date});
    b = e;
  }
  return out;
}

/// Open opportunities per account at `as_of` from an activity log (open_opportunities counted per
/// account; an input of `workload_scores`). Complexity and throws: as open_opportunities.
[[nodiscard]] inline std::vector<double> open_opportunity_counts(std::size_t n, std::span<const activity_event> log,
                                                                 std::chrono::sys_days as_of) {
  std::vector<double> out(n, 0.0);
  for (const auto& o : open_opportunities(n, log, as_of)) out[o.account] += 1;
  return out;
}

/// Sum of per-account scores per territory (accounts with `no_territory` are left out).
/// Throws invalid_input{errc::size_mismatch} (field "scores") if scores.size() != owners.size().
[[nodiscard]] inline std::vector<double> territory_workload(const plan& owners, std::span<const double> scores) {
  if (scores.size() != owners.size()) {
    throw invalid_input(errc::size_mismatch, "scores",
                        "territory_workload(): scores has " + std::to_string(scores.size()) + " values, expected " +
                            std::to_string(owners.size()));
  }
  std::vector<double> out(owners.territory_count(), 0.0);
  for (std::size_t a = 0; a < owners.size(); ++a) {
    const auto t = owners[static_cast<account_index>(a)];
    if (t != no_territory) out[t] += scores[a];
  }
  return out;
}

}  // namespace territory
