#pragma once

/// @file rebalance.hpp
/// `territory::rebalance`: restore every hard constraint of an existing plan (balance within the
/// tolerance, contiguity, locks, minimum counts) while moving as few accounts as it can; dissolve
/// territories (`drop`, a rep who left) and create new ones (`add`, new reps). docs/rebalance.md.
///
/// Example:
/// @code
/// auto r = territory::rebalance(table.activities(), table.coordinates(), graph, current,
///                               {.tolerance = {0.05}, .max_moves = 200});
/// // r.assignment, r.feasible(), r.violations, r.constraints; r.delta.moves = {account, from, to}
/// @endcode

#include <cstddef>
#include <cstdint>
#include <limits>
#include <stop_token>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "territory/balance/constraints.hpp"
#include "territory/balance/partition.hpp"
#include "territory/balance/partition_result.hpp"
#include "territory/core/ids.hpp"
#include "territory/core/plan.hpp"
#include "territory/core/random.hpp"
#include "territory/geo/distance_policy.hpp"
#include "territory/geo/euclidean.hpp"
#include "territory/graph/adjacency.hpp"
#include "territory/plan/delta.hpp"

namespace territory {

/// Split a territory of the current plan into `parts` (>= 2) balanced, contiguous territories: it keeps
/// one part, and parts - 1 new territories are carved from it (rebalance_plan_options::split).
struct territory_split {
  territory_index territory = no_territory;
  territory_index parts = 2;
};

/// Merge territory `from` of the current plan into territory `into` (adjacent to it): `from` is
/// dissolved and its accounts go to `into` (rebalance_plan_options::merge).
struct territory_merge {
  territory_index from = no_territory;
  territory_index into = no_territory;
};

/// Options of `rebalance()`. An aggregate: set with designated initializers. Territory indices here
/// are those of the current plan.
struct rebalance_plan_options {
  std::vector<double> tolerance{};            ///< per activity column; empty = 0.05 for all; size 1 = same for all
  /// Per account: the territory of the current plan it is locked to (it ends there and never moves),
  /// or no_territory; empty = none. A lock to a dropped territory is invalid input.
  std::vector<territory_index> locked{};
  /// Accounts that must not end in a territory (a review's `forbid`): an account that sits in one now
  /// moves to a neighbouring territory; none moves into one. A forbid of a dropped territory is void.
  std::vector<forbidden_territory> forbidden{};
  std::vector<min_count> min_counts{};        ///< hard minimum counts of a category per territory
  /// Hard bounds relative to the median territory (balance/constraints.hpp), restored like the balance
  /// band: by single boundary moves scored with the median moving.
  std::vector<median_bound> median_bounds{};
  /// Hard cap on a territory's diameter (policy units), +inf = none: checked and reported in the
  /// result's constraints, not repaired (no move is made to meet it).
  double max_diameter = std::numeric_limits<double>::infinity();
  /// At most this many accounts end in another territory than in the current plan (accounts of dropped
  /// territories and the accounts that form added ones count). When it is too small the result is the
  /// best plan found within it, with its violations and a note.
  std::size_t max_moves = std::numeric_limits<std::size_t>::max();
  /// Per account: the cost of moving it (>= 0, finite), e.g. its revenue; empty = 1 each (account
  /// count). The repair prefers moves with the most constraint excess removed per unit of cost.
  std::vector<double> move_cost{};
  /// Target shares of the result's territories (partition_options::target_shares: kept territories in
  /// order, then the `add` new ones, then the split parts), e.g. the reps' capacities: a new rep
  /// ramping at 0.5 gets half a load. Empty = equal targets.
  std::vector<double> target_shares{};
  std::vector<territory_index> drop{};        ///< territories of the current plan to dissolve
  territory_index add = 0;                    ///< new territories to create
  /// Territories to split (lifecycle: a territory grown too big for one rep). The new parts follow the
  /// `add` new territories in the result, in this order.
  std::vector<territory_split> split{};
  /// Territories to merge (lifecycle: two reps' books joined); `from` is dissolved into `into`.
  std::vector<territory_merge> merge{};
  std::vector<std::string> activity_names{};  ///< optional, one per column: used in violation reasons
  std::vector<std::string> account_ids{};     ///< optional, one per account: used in violation reasons
  std::stop_token stop{};                     ///< a stop request ends the repair (status::cancelled)
  /// When the greedy repair ends with violations: run partition() with its plan as the only start
  /// (balance, then compactness, for time_limit_seconds of work), then bring that plan back towards the
  /// current one (undo pass, repair); kept only when feasible within max_moves and the forbids.
  /// false = the greedy repair alone (no clock, no search).
  bool search = true;
  /// The shape step: after the repair, the boundary-smoothing pass of partition() (fewer cut edges, then
  /// less dispersion), restricted to the accounts near the moved ones, that never moves more accounts
  /// (nor more move cost) than the repair did, never widens the widest territory, never raises a
  /// violation, keeps every territory connected and honours locks and forbids. It trades which accounts
  /// move: a strip left by a chain transfer goes home and a compact piece moves instead. Deterministic
  /// (a count of proposals from `seed`). false = the repair's plan as it is.
  bool smooth = true;
  /// Orphan placements tried (accounts of dropped territories, unassigned accounts, pieces cut off from
  /// their territory): the plain rule (lightest receiver first) plus placements - 1 variants with a
  /// random bias per receiver, drawn from `seed`; each is repaired, the ones with the fewest moves (the
  /// plain rule always among them) are consolidated, and the plan with the fewest moves is kept. Capped
  /// by work: at most 10^6 / n placements and 10^5 / n consolidations (at least one each). 1 = the plain
  /// rule only. Must be >= 1.
  std::size_t placements = 16;
  std::uint64_t seed = default_seed;          ///< the search's seed (same seed, threads, limit: same plan)
  unsigned threads = 1;                       ///< the search's threads
  double time_limit_seconds = 10.0;           ///< the search's time limit (its work budget, partition_options)
  /// The search's iteration limit per run (partition_options::iteration_limit; 0 = none): a budget in
  /// work, so that a slow or loaded machine, whose wall clock could end the search (a safety stop at
  /// time_limit_seconds), gets the same plan.
  std::uint64_t iteration_limit = 0;
};

/// Outcome of `rebalance()`: a partition_result over the result's territories (the current plan's
/// territories that were kept, in their order, then the `add` new ones), plus where each came from
/// and the disruption.
struct rebalance_result : partition_result {
  /// Per result territory: its index in the current plan, or no_territory for a new one.
  std::vector<territory_index> origin;
  /// The delta from the current plan to `assignment` (plan/delta.hpp), territories matched by `origin`.
  plan_delta delta;
  double moved_cost = 0.0;        ///< sum of move_cost over the moved accounts (= accounts moved by default)
  bool budget_reached = false;    ///< max_moves stopped a repair that had more to do
};

/// Rebalances `current` (n accounts, every account in a territory < current.territory_count(), or
/// no_territory: then it is placed like the accounts of a dropped territory).
///
/// Method (docs/rebalance.md): (1) the accounts of dropped territories, unassigned accounts and the
/// pieces cut off from their territory (all but the piece with the most locks, then the heaviest) go to
/// neighbouring territories, the lightest receiver (by load, the mean of the balanced columns) first,
/// so the receivers end balanced by potential, not by count; (2) each new territory is carved from the
/// periphery of the heaviest territory and grows outwards by distance, taking accounts only from
/// territories that stay within their band, until it holds about a mean load; (3) a greedy repair: the
/// boundary move that removes the most balance excess (bands and minimum counts, problem::excess) per
/// unit of move cost, donors kept connected and locks honoured; when no single move helps, a transfer
/// along a shortest chain of adjacent territories from a violating territory to one with room, kept
/// only if it lowers the excess; when neither helps, the best exchange of two border accounts of a
/// violating territory and a neighbour (the median bounds are scored with the median moving; forbidden
/// territories are never entered); (4) a final pass moves accounts back to their current territory where
/// that keeps every constraint as good; (5) a shape step (`smooth`): partition()'s boundary smoothing near
/// the moved accounts, never moving more accounts (or cost) than the repair, never widening the widest
/// territory or raising a violation. Steps (1) to (4) run for several orphan placements (`placements`)
/// and the plan with the fewest moves is kept. A plan that already meets every constraint comes back
/// unchanged.
/// Deterministic for the options (the shape step draws from `seed`; the fallback search as partition()).
///
/// Complexity: (1) O(k²·deg) for k accounts to place; (3) per step O(Σ boundary of the violating
/// territories · deg · m) plus connectivity tests; typically a few hundred steps; with accounts to
/// place, (1)–(4) run min(placements, 10⁶/n) times and the consolidation min(placements, 10⁵/n) times
/// (at least once each; US counties drop: 4 s, ZIP areas drop: 6.5 s). Memory O(n·m + e) per kept
/// placement (up to min(placements, 10⁶/n) while they are ranked).
/// Throws: invalid_input{size_mismatch} (field "current", "coordinates", "graph", "tolerance", "locked",
///   "move_cost", "min_counts", "median_bounds", "activity_names", "account_ids"); {out_of_range} (field "drop", index =
///   entry, for a territory not in the current plan; field "add"/"drop" when no territory or more
///   territories than accounts would remain; field "locked" for a lock to a territory not in the plan);
///   {invalid_parameter} (field "drop" for a territory named twice, "locked" for a lock to a dropped
///   territory, "move_cost" for a negative or non-finite cost, "tolerance" outside [0, 1),
///   "max_diameter" not > 0, "placements" of 0, "median_bounds" for a cap below 1 or a floor outside (0, 1], "forbidden"
///   (index = entry) for an account locked to a territory it is forbidden from); {out_of_range} (field
///   "forbidden", index = entry) for an account or territory not in the plan; {out_of_range} /
///   {invalid_parameter} (field "split" or "merge", index = entry) for a territory not in the plan,
///   dropped, split or merged twice, fewer than 2 parts, a merge of a territory into itself or into
///   one that is not adjacent to it, or an account locked to a merged territory;
///   {non_finite}/{negative_value} (field "activities", "coordinates", "median_bounds").
template <distance_policy Distance = euclidean>
[[nodiscard]] rebalance_result rebalance(Eigen::Ref<const Eigen::MatrixXd> activities,
                                         Eigen::Ref<const Eigen::MatrixX2d> coordinates, const adjacency& graph,
                                         const plan& current, const rebalance_plan_options& options, Distance distance = {});

/// Without a graph: a k-nearest-neighbour graph (k = 8, components joined) guides the moves, and no
/// contiguity violation is reported (as partition() without a graph).
template <distance_policy Distance = euclidean>
[[nodiscard]] rebalance_result rebalance(Eigen::Ref<const Eigen::MatrixXd> activities,
                                         Eigen::Ref<const Eigen::MatrixX2d> coordinates, const plan& current,
                                         const rebalance_plan_options& options, Distance distance = {});

}  // namespace territory

#include "territory/detail/balance/rebalance_impl.hpp"
