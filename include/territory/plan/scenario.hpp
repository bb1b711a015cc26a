#pragma once

/// @file scenario.hpp
/// Scenarios and what-if sweeps (docs/scenarios.md): a `scenario` is plain data (a name, objective
/// weights, p, the tolerance, the reps in the design or not, which of the shared constraints apply);
/// `run_scenario()` is a pure function of it and the shared inputs: `partition()` on one thread, then
/// the independent metrics (`evaluate_plan`), travel from the reps' homes (`travel_from_homes`) and
/// the delta from the current plan (`compare_plans`). `run_scenarios()` runs many on std::threads;
/// every scenario gives the plan it gives alone. `rank_scenarios()` orders them by a documented
/// weighted score of normalised measures, and `tradeoff_summary()` writes the "top 3 with
/// trade-offs" sentences from the numbers.
///
/// Example:
/// @code
/// territory::scenario_inputs in;
/// in.base = {.territories = 20, .tolerance = {0.05}, .time_limit_seconds = 1.0};
/// in.base.activity_names = {"population", "housing_units"};
/// const auto presets = territory::preset_scenarios(in.base.activity_names, false);
/// const auto sweep = territory::run_scenarios(acts, xy, &graph, in, presets, 2, territory::haversine{});
/// for (const auto& line : sweep.top3) log(line);
/// @endcode
///
/// Nothing here holds global state or does I/O; scenarios and their inputs can be shipped to other
/// processes or machines (docs/scenarios.md, "Thousands of scenarios").

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include "territory/balance/constraints.hpp"
#include "territory/balance/partition.hpp"
#include "territory/balance/partition_options.hpp"
#include "territory/balance/rep_design.hpp"
#include "territory/core/error.hpp"
#include "territory/core/ids.hpp"
#include "territory/core/plan.hpp"
#include "territory/core/rep.hpp"
#include "territory/core/status.hpp"
#include "territory/geo/distance_policy.hpp"
#include "territory/geo/euclidean.hpp"
#include "territory/graph/adjacency.hpp"
#include "territory/plan/delta.hpp"
#include "territory/plan/metrics.hpp"

namespace territory {

/// Where a scenario's weights came from (docs/scenarios.md, "Presets").
enum class scenario_preset : std::uint8_t { baseline, revenue, travel, growth, custom };

/// "baseline", "revenue-optimised", "travel-optimised", "growth-focused", "custom".
[[nodiscard]] constexpr std::string_view to_string(scenario_preset p) noexcept {
  switch (p) {
    case scenario_preset::baseline: return "baseline";
    case scenario_preset::revenue: return "revenue-optimised";
    case scenario_preset::travel: return "travel-optimised";
    case scenario_preset::growth: return "growth-focused";
    case scenario_preset::custom: return "custom";
  }
  return "custom";
}

/// The preset named `s` (its to_string name, or the short form baseline / revenue / travel / growth /
/// custom), or std::nullopt.
[[nodiscard]] std::optional<scenario_preset> preset_from_string(std::string_view s) noexcept;

/// Which of the shared constraints (scenario_inputs::base) a scenario keeps. Dropping one is a what-if.
struct scenario_constraints {
  bool locks = true;          ///< partition_options::locked
  bool min_counts = true;     ///< partition_options::min_counts
  bool median_bounds = true;  ///< partition_options::median_bounds
  bool max_diameter = true;   ///< partition_options::max_diameter
  friend bool operator==(const scenario_constraints&, const scenario_constraints&) = default;
};

/// One scenario: plain data (no pointers, no callbacks), so it can be written out, shipped and read
/// back. Every field that is empty / 0 / std::nullopt takes the shared base's value.
struct scenario {
  std::string name;                         ///< non-empty, unique in a sweep (a file name in the CLI)
  scenario_preset preset = scenario_preset::custom;
  std::string description;                  ///< what the weights mean, in words (presets fill it)
  /// The secondary objectives (balance/constraints.hpp). Empty `balance` = 0 on every column. The
  /// primary measure (the widest territory) and every hard constraint are never traded.
  objective_weights objective{};
  territory_index territories = 0;          ///< p; 0 = the base's (with reps_in_design: the active reps)
  std::vector<double> tolerance{};          ///< empty = the base's; one value or one per column, in [0, 1)
  /// Design around `scenario_inputs::reps` (balance/rep_design.hpp): one territory per active rep,
  /// targets = capacities, grown from the homes; the homes make `objective.travel` and the travel
  /// measure possible.
  bool reps_in_design = false;
  /// What-if on the reps (needs reps_in_design): ids of active shared reps this scenario leaves out,
  /// as if they had departed. Their territories go; their locked accounts are released.
  std::vector<std::string> remove_reps{};
  /// What-if on the reps (needs reps_in_design): reps this scenario adds after the shared ones, e.g.
  /// two new reps based in one region. Each needs a unique id, a finite home and a capacity in (0, ∞);
  /// its status must be active. Territory t of the design is the t-th active rep of scenario_reps().
  std::vector<rep> add_reps{};
  scenario_constraints constraints{};
  std::optional<std::uint64_t> seed{};      ///< std::nullopt = the base's
  double time_limit_seconds = 0.0;          ///< 0 = the base's; sets the work budget (docs/balance.md)
  /// Non-empty: the scenario cannot run on these inputs (a preset without what it needs, e.g.
  /// travel-optimised without homes); run_scenario returns it skipped with this reason.
  std::string skip_reason;
  friend bool operator==(const scenario&, const scenario&) = default;
};

/// What ranks scenarios: one weight per measure (>= 0, finite); a measure that some scenario lacks
/// (travel without homes, moves without a current plan) is left out for all.
struct ranking_weights {
  double balance = 1.0;      ///< mean over the balanced columns of the Gini coefficient of territory sums
  double compactness = 1.0;  ///< the widest territory's diameter
  double boundary = 1.0;     ///< cut edges (boundary length)
  double travel = 1.0;       ///< total home-to-account distance
  double disruption = 1.0;   ///< accounts moved from the current plan
  friend bool operator==(const ranking_weights&, const ranking_weights&) = default;
};

/// The inputs every scenario of a sweep shares.
/// The wall-clock safety stop of every scenario's partition() (partition_options::safety_stop_factor, at
/// least this): on a machine whose cores a sweep shares, a scenario may run up to 4× its time limit so
/// that its work budget, not the clock, ends it and it gives the plan it gives when run alone.
inline constexpr double scenario_safety_stop_factor = 4.0;

struct scenario_inputs {
  /// What every scenario starts from: p, tolerance, seed, time limit, the constraints, names.
  /// `threads` is ignored (every scenario's partition() runs on 1 thread; the sweep's threads run
  /// scenarios side by side). Must not set on_progress or stop (a sweep is a batch of pure tasks).
  partition_options base{};
  std::vector<rep> reps{};                  ///< for reps_in_design; homes in the accounts' coordinates
  std::optional<plan> current{};            ///< the current plan: each result gets its delta
  /// Empty, or the distinct names of the current plan's territories (one each; e.g. their reps' ids). With
  /// reps_in_design, a territory whose rep is named here continues that current territory (its moves are
  /// the accounts that change rep); the others are matched by shared accounts.
  std::vector<std::string> current_owners{};
  ranking_weights ranking{};
  /// The distances' unit in the top-3 sentences (e.g. "mi" for planar coordinates in miles);
  /// std::nullopt = the distance policy's: "km" for haversine, "h" for drive_time, none for euclidean.
  std::optional<std::string> distance_unit{};
};

/// The numbers a scenario is judged on: what rank_scenarios and tradeoff_summary read.
struct scenario_scorecard {
  std::string name;
  bool ran = false;                         ///< false: skipped (not ranked)
  bool feasible = false;                    ///< every hard constraint holds (evaluate_plan)
  std::vector<std::string> columns;         ///< the balanced columns' names
  std::vector<double> gini;                 ///< per column: Gini of the territory sums
  double max_deviation = 0.0;               ///< the largest |deviation| from target, over territories and columns
  double max_diameter = 0.0;                ///< the widest territory (distance policy's unit)
  std::size_t cut_edges = 0;                ///< boundary length in edges
  std::optional<double> travel{};           ///< total home-to-account distance (with homes)
  std::optional<std::size_t> moves{};       ///< accounts moved from the current plan (with one)
  [[nodiscard]] double mean_gini() const noexcept {
    double s = 0.0;
    for (double g : gini) s += g;
    return gini.empty() ? 0.0 : s / static_cast<double>(gini.size());
  }
};

/// One scenario's outcome.
struct scenario_result {
  std::string name;
  std::string skipped;                      ///< non-empty: not run, and why (scenario::skip_reason)
  partition_options options{};              ///< the options partition() ran with (threads = 1)
  plan assignment;
  status why_stopped = status::converged;
  bool engine_feasible = false;             ///< partition()'s own verdict
  plan_metrics metrics;                     ///< evaluate_plan, with the scenario's tolerance and shares
  std::optional<home_travel> travel{};      ///< per territory, from the reps' homes (reps_in_design)
  /// From scenario_inputs::current, with `continues` = match_territories(current, assignment): the
  /// engine numbers territories arbitrarily, so each new territory continues the current one it
  /// shares most accounts with (with reps_in_design and current_owners: the current territory of its
  /// own rep, when it has one).
  std::optional<plan_delta> delta{};
  std::vector<territory_index> continues{};  ///< per territory: the current territory it continues, or no_territory
  /// With reps_in_design: per territory, the id of the rep it is designed around (scenario_reps()).
  std::vector<std::string> rep_ids{};
  scenario_scorecard card;
  double seconds = 0.0;                     ///< wall time (not part of the result's identity)
};

/// The order of the scenarios and their scores (docs/scenarios.md, "Ranking").
struct scenario_ranking {
  std::vector<std::size_t> order;           ///< ran scenarios, best first
  std::vector<double> score;                ///< per scenario (input order), in [0, 1], lower = better; NaN if skipped
  std::vector<std::string> measures;        ///< the measures that entered the score
};

/// A sweep's outcome.
struct sweep_result {
  std::vector<scenario_result> results;     ///< input order
  scenario_ranking ranking;
  std::vector<std::string> top3;            ///< one paragraph per scenario of the top 3 (tradeoff_summary)
};

/// The presets for these balanced columns (docs/scenarios.md): baseline (equal weights on every
/// objective: compactness, travel when `homes`, each column's evenness), revenue-optimised (60 % on
/// the balance of the column named revenue, else the first whose name contains "revenue", else the
/// first column; the rest split evenly), travel-optimised (60 % on travel; skipped without `homes`),
/// growth-focused (60 % on the first column whose name contains "growth"; skipped without one). With
/// `homes` every preset designs around the reps (reps_in_design), so all have the same p and travel.
/// Throws invalid_input{errc::out_of_range} (field "columns") when `columns` is empty.
[[nodiscard]] std::vector<scenario> preset_scenarios(std::span<const std::string> columns, bool homes);

/// One preset (as in preset_scenarios), named `name` (empty = the preset's name). `custom` gives
/// default weights. Throws as preset_scenarios.
[[nodiscard]] scenario make_preset(scenario_preset preset, std::span<const std::string> columns, bool homes,
                                   std::string name = {});

/// The reps scenario `s` designs around: `shared` with every rep of `s.remove_reps` marked departed,
/// then `s.add_reps`. Checks nothing (validate_scenarios does); O(|shared|·|remove_reps| + |add_reps|).
[[nodiscard]] std::vector<rep> scenario_reps(const scenario& s, std::span<const rep> shared);

/// Checks scenarios against the shared inputs for n accounts and m columns: names non-empty and
/// unique, weights finite and >= 0 (balance empty or m), p <= n, tolerances in [0, 1) (empty, 1 or m),
/// time limit finite and >= 0, reps_in_design with at least one active rep (after the scenario's rep
/// changes) and p 0 or their count; rep changes only with reps_in_design, every removed id an active
/// shared rep (once), every added rep with a new non-empty id, status active, a finite home and a
/// finite capacity > 0. Throws invalid_input{field "scenarios", index = scenario} naming the problem;
/// {field "current"} for a current plan of another size than n; {field "current_owners"} unless they
/// are empty or one distinct name per territory of the current plan. O(count·(m + r²) + q²), r = reps,
/// q = current owners.
void validate_scenarios(std::span<const scenario> scenarios, const scenario_inputs& shared, std::size_t n,
                        std::size_t m);

/// The partition options of scenario `s` (the base with the scenario's changes, 1 thread). With
/// reps_in_design: design_from_reps applied (territories, target shares, seeds, homes, locks).
template <distance_policy Distance = euclidean>
[[nodiscard]] partition_options scenario_options(const scenario& s, const scenario_inputs& shared,
                                                 Eigen::Ref<const Eigen::MatrixX2d> coordinates, Distance distance = {});

/// Runs one scenario: partition() (1 thread), evaluate_plan(), travel from the homes, the delta from
/// the current plan, the scorecard. A pure function of its arguments (the same plan on every run and in
/// every sweep). A skipped scenario returns at once with `skipped` set. Throws as validate_scenarios
/// and partition() (invalid_input), before any work.
template <distance_policy Distance = euclidean>
[[nodiscard]] scenario_result run_scenario(Eigen::Ref<const Eigen::MatrixXd> activities,
                                           Eigen::Ref<const Eigen::MatrixX2d> coordinates, const adjacency* graph,
                                           const scenario_inputs& shared, const scenario& s, Distance distance = {});

/// Told when a scenario of a sweep has finished (ran or skipped): its result, its index in the input,
/// how many have finished (1..total, this one included) and the total. Called on the worker thread
/// that ran it, never on two threads at once; the order of the calls depends on the threads (the
/// results do not). An exception it throws is rethrown by run_scenarios as that scenario's.
using scenario_finished =
    std::function<void(const scenario_result& result, std::size_t index, std::size_t finished, std::size_t total)>;

/// Runs every scenario on up to `threads` std::threads (>= 1; each scenario on one of them), then
/// ranks them and writes the top-3 summary. results[i] equals run_scenario(..., scenarios[i]) except
/// for `seconds`. Exceptions of a worker are rethrown on the caller (the first scenario's in input
/// order). `on_finished` (optional) is told of each scenario as it finishes, e.g. for a progress
/// line. Throws invalid_input (field "threads") for threads = 0, and as validate_scenarios, before
/// any work.
template <distance_policy Distance = euclidean>
[[nodiscard]] sweep_result run_scenarios(Eigen::Ref<const Eigen::MatrixXd> activities,
                                         Eigen::Ref<const Eigen::MatrixX2d> coordinates, const adjacency* graph,
                                         const scenario_inputs& shared, std::span<const scenario> scenarios,
                                         unsigned threads, Distance distance = {},
                                         const scenario_finished& on_finished = {});

/// Ranks scorecards (docs/scenarios.md, "Ranking"): per measure with weight w > 0 that every ran
/// scenario has, the value v is normalised to (v − best) / (worst − best) over the ran scenarios (0
/// when all are equal); the score is Σ w·normalised / Σ w. Feasible scenarios come first, then by
/// score, then by input order. Throws invalid_input (field "ranking") for a weight that is negative
/// or not finite.
[[nodiscard]] scenario_ranking rank_scenarios(std::span<const scenario_scorecard> cards, const ranking_weights& w = {});

/// "Top 3 with trade-offs": for each of the first three of `ranking.order`, one paragraph saying
/// what it gains and gives up against each of the other two, on every measure whose difference is
/// material (relative difference above 1 %; any difference in feasibility), with the numbers.
/// `unit` is the distances' unit for the text ("km", or empty). Derived only from the scorecards.
[[nodiscard]] std::vector<std::string> tradeoff_summary(std::span<const scenario_scorecard> cards,
                                                        const scenario_ranking& ranking, std::string_view unit = "km");

}  // namespace territory

#include "territory/detail/plan/scenario_impl.hpp"
