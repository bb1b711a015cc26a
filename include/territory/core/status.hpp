#pragma once

/// @file status.hpp
/// Outcomes of long-running calls: why a search stopped, which hard constraints are
/// violated and by how much, and statistics of the run.

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "territory/core/ids.hpp"

namespace territory {

/// Why an iterative call returned. The result holds a complete plan in every case.
enum class status : std::uint8_t {
  converged,          ///< no improving move is left, or every target is met
  iteration_limit,    ///< the iteration limit of the options was reached
  time_limit,         ///< the time limit of the options was reached
  cancelled,          ///< the progress callback returned true or a stop was requested
  proven_infeasible,  ///< the input cannot satisfy the hard constraints (see violations)
};

[[nodiscard]] constexpr std::string_view to_string(status s) noexcept {
  switch (s) {
    case status::converged: return "converged";
    case status::iteration_limit: return "iteration_limit";
    case status::time_limit: return "time_limit";
    case status::cancelled: return "cancelled";
    case status::proven_infeasible: return "proven_infeasible";
  }
  return "unknown";
}

/// Kinds of hard constraints that a result reports on.
enum class constraint_kind : std::uint8_t {
  balance,       ///< an activity sum outside [(1−τ)·mean, (1+τ)·mean]
  contiguity,    ///< a territory is not connected in the adjacency graph
  min_tier,      ///< fewer than k accounts of a tier in a territory
  workload_cap,  ///< workload above the cap relative to the median territory
  revenue_floor, ///< revenue potential below the floor relative to the median territory
  locked,        ///< a locked account is not with its owner
  max_distance,  ///< two accounts of a territory further apart than allowed
  capacity,      ///< a rep's load exceeds their capacity
  skill,         ///< an account that needs a skill sits with a rep without it
  max_moves,     ///< more moves from the current plan than allowed
  empty,         ///< a territory has no account
  unassigned,    ///< an account has no territory
  forbidden,     ///< an account sits in a territory it is forbidden from (a reviewer's `forbid`)
};

[[nodiscard]] constexpr std::string_view to_string(constraint_kind k) noexcept {
  switch (k) {
    case constraint_kind::balance: return "balance";
    case constraint_kind::contiguity: return "contiguity";
    case constraint_kind::min_tier: return "min_tier";
    case constraint_kind::workload_cap: return "workload_cap";
    case constraint_kind::revenue_floor: return "revenue_floor";
    case constraint_kind::locked: return "locked";
    case constraint_kind::max_distance: return "max_distance";
    case constraint_kind::capacity: return "capacity";
    case constraint_kind::skill: return "skill";
    case constraint_kind::max_moves: return "max_moves";
    case constraint_kind::empty: return "empty";
    case constraint_kind::unassigned: return "unassigned";
    case constraint_kind::forbidden: return "forbidden";
  }
  return "unknown";
}

/// The unit of a constraint's slack and violation amounts (constraint_status::slack, violation::amount):
/// - "fraction": balance (of the territory's target), workload_cap / revenue_floor (of the mean
///   territory sum), capacity (of the rep's capacity);
/// - "accounts": min_tier (above / below K), locked, skill, forbidden, unassigned, max_moves (moves left);
/// - "components": contiguity (extra pieces); "territories": empty;
/// - "distance": max_distance, in the distance policy's unit (km for haversine, the planar unit for
///   euclidean).
[[nodiscard]] constexpr std::string_view slack_unit(constraint_kind k) noexcept {
  switch (k) {
    case constraint_kind::balance:
    case constraint_kind::workload_cap:
    case constraint_kind::revenue_floor:
    case constraint_kind::capacity: return "fraction";
    case constraint_kind::contiguity: return "components";
    case constraint_kind::empty: return "territories";
    case constraint_kind::max_distance: return "distance";
    case constraint_kind::min_tier:
    case constraint_kind::locked:
    case constraint_kind::skill:
    case constraint_kind::max_moves:
    case constraint_kind::unassigned:
    case constraint_kind::forbidden: return "accounts";
  }
  return "unknown";
}

/// One violated hard constraint.
struct violation {
  constraint_kind kind = constraint_kind::balance;
  territory_index territory = no_territory;  ///< no_territory when it concerns the whole plan
  std::string subject;   ///< activity column, tier, rep or account concerned, if any
  double amount = 0.0;   ///< how far off: relative for balance (0.031 = 3.1 % outside the band),
                         ///< a count for contiguity (extra components), absolute otherwise
  std::string reason;    ///< a sentence for people
};

/// Statistics of one run.
struct solve_stats {
  std::uint64_t iterations = 0;
  std::uint64_t moves = 0;
  double seconds = 0.0;
  std::uint64_t seed = 0;
  unsigned threads = 1;
  std::vector<double> objective_trace;  ///< best objective after each phase or restart
};

}  // namespace territory
