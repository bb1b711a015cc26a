#pragma once

/// @file constraints.hpp
/// Business constraints of `partition()` beyond balance and contiguity (docs/constraints.md):
/// locked accounts (`partition_options::locked`), minimum counts of a category per territory
/// (`territory::min_count`), bounds relative to the median territory (`territory::median_bound`) and
/// skills (`territory::skill_requirement`). Every one is a hard constraint: checked in the search, reported in
/// `partition_result::constraints` with its slack, or in `violations` with its amount.

#include <cstdint>
#include <string>
#include <vector>

#include "territory/core/ids.hpp"
#include "territory/core/status.hpp"

namespace territory {

/// At least `min` accounts with `member[a] != 0` in every territory (e.g. "tier=A": 3 A-tier
/// accounts per territory). `constraint_kind::min_tier` when violated, with the missing count as
/// the amount.
struct min_count {
  std::string name;                   ///< how reports name it, e.g. "tier=A"
  std::vector<std::uint8_t> member;   ///< one per account: 1 = the account counts
  std::uint32_t min = 0;              ///< K >= 1
};

/// Which side of the median a `median_bound` limits.
enum class median_side : std::uint8_t {
  cap,    ///< every territory's sum <= factor × the median territory's (workload:1.5)
  floor,  ///< every territory's sum >= factor × the median territory's (revenue:0.6)
};

/// Every territory's sum of `values` at most (cap) or at least (floor) `factor` × the median of the
/// p territory sums: the middle one for odd p, the mean of the two middle ones for even p. Unlike a
/// balance band around the mean, the bound moves with the plan; the engine keeps an order statistic
/// over the p sums, so a move is scored exactly in O(log p) (docs/constraints.md).
/// Violated: `constraint_kind::workload_cap` (cap) or `revenue_floor` (floor), amount = how far the
/// territory's sum is beyond the bound, in mean territory sums (total / p: 0.08 = 8 % of the mean
/// territory's sum above the cap; a median of 0 leaves no relative scale).
/// Values all 0: the bound holds trivially (every sum and the median are 0).
struct median_bound {
  std::string name;            ///< how reports name it, e.g. "workload"
  std::vector<double> values;  ///< one per account: finite, >= 0
  median_side side = median_side::cap;
  double factor = 1.0;         ///< cap: >= 1; floor: in (0, 1] (a cap below 1 or a floor above 1
                               ///< cannot hold for the median territory itself)
};

/// Accounts that need a skill (`member[a] != 0`, e.g. "language:zh") may only be in territories
/// whose rep has it (`allowed[t] != 0`). `constraint_kind::skill` when violated, per territory, with
/// the number of such accounts in it as the amount. balance/rep_design.hpp builds these from the
/// reps' skills (`rep_design::skill_requirements`).
struct skill_requirement {
  std::string name;                    ///< how reports name it, e.g. "language:zh"
  std::vector<std::uint8_t> member;    ///< one per account: 1 = the account needs the skill
  std::vector<std::uint8_t> allowed;   ///< one per territory: 1 = its rep has the skill
};

/// Weights of the objectives a plan trades against each other once every hard constraint holds
/// (docs/constraints.md, "Objective weights"). The primary compactness term (the widest territory, or
/// the sum of distances to the centres) is never traded: these weights steer the boundary smoothing
/// pass that follows the search, which minimises
///   compactness × (cut edges + dispersion)
///   + travel × (distance from each territory's home to its accounts, in typical territory radii)
///   + Σ_j balance[j] × Σ_t ((S_tj / target_t − 1) / τ_j)²
/// without breaking any hard constraint. The defaults are the plans of no weights.
struct objective_weights {
  double compactness = 1.0;       ///< boundary length (cut edges) and dispersion; >= 0
  double travel = 0.0;            ///< home-to-account distance (needs partition_options::homes); >= 0
  std::vector<double> balance{};  ///< per activity column (input order), >= 0: evenness inside the band; empty = 0
  friend bool operator==(const objective_weights&, const objective_weights&) = default;
};

/// The state of one hard constraint in a result: whether it holds, and its slack (how far the
/// tightest territory is inside the bound) or, when violated, the total amount of its violations.
struct constraint_status {
  constraint_kind kind = constraint_kind::balance;
  std::string name;     ///< "balance population", "contiguity", "locks", "min_count tier=A", ...
  bool holds = true;
  /// holds: the smallest slack over the territories, in the constraint's unit (balance: fraction
  /// of the mean inside the band; min_count: accounts above K; median bounds: fraction of the mean territory sum;
  /// locks and contiguity: 0).
  /// violated: the largest single violation amount (as in `violation::amount`).
  /// The unit: slack_unit(kind) (core/status.hpp).
  double slack = 0.0;
  std::size_t violated_territories = 0;  ///< territories (or accounts, for locks) in violation
};

/// A territory an account must not end in (a reviewer's `forbid`; rebalance_plan_options::forbidden
/// takes territory indices of the current plan).
struct forbidden_territory {
  account_index account = 0;
  territory_index territory = no_territory;
  friend bool operator==(const forbidden_territory&, const forbidden_territory&) = default;
};

}  // namespace territory
