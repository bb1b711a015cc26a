#pragma once

/// @file monitor.hpp
/// `territory::monitor`: watches a plan over time. The current plan with updated account data gives
/// a list of alerts, each with its kind, the territory or rep, the evidence (how far, against what
/// threshold) and a recommended minimal-disruption rebalance (`rebalance()`, balance/rebalance.hpp)
/// with its disruption (plan/delta.hpp). docs/monitor.md.
///
/// Triggers (each fires strictly beyond its threshold: at the threshold, no alert):
/// - `deviation`: a territory's sum of a column deviates from the mean by more than `drift`
///   (plan/drift.hpp, the rule `route/rebalance_check` uses too); one recommendation for all of them:
///   rebalance with the band ±`drift` (or `rebalance_tolerance`);
/// - `rep_departed`: a rep with status departed still owns a territory; recommendation: drop it;
/// - `rep_joined`: an active rep owns no territory (and has started by `as_of`, when both are given);
///   recommendation: add one territory;
/// - `account_churned`: an account whose value in the previous snapshot was above `major_value` is gone
///   or its value is 0 now; recommendation: rebalance only its territory and the territories adjacent
///   to it (every other account locked);
/// - `fairness`: the Gini coefficient of a column over the territories is above `max_gini` (off by
///   default); the report always carries Gini and CV per column for every snapshot (fairness over time).
///
/// Example:
/// @code
/// const auto r = territory::monitor(acts, xy, &graph, current, {.drift = 0.25});
/// for (const auto& a : r.alerts) log(territory::to_string(a.kind), a.evidence);
/// // r.recommendations[a.recommendation].result.delta.accounts_moved, .restores
/// @endcode

#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include "territory/balance/rebalance.hpp"
#include "territory/core/error.hpp"
#include "territory/core/ids.hpp"
#include "territory/core/plan.hpp"
#include "territory/core/rep.hpp"
#include "territory/geo/distance_policy.hpp"
#include "territory/geo/euclidean.hpp"
#include "territory/graph/adjacency.hpp"
#include "territory/plan/delta.hpp"
#include "territory/plan/drift.hpp"
#include "territory/plan/metrics.hpp"

namespace territory {

/// What triggered an alert.
enum class alert_kind : std::uint8_t { deviation, rep_departed, rep_joined, account_churned, fairness };

[[nodiscard]] constexpr std::string_view to_string(alert_kind k) noexcept {
  switch (k) {
    case alert_kind::deviation: return "deviation";
    case alert_kind::rep_departed: return "rep_departed";
    case alert_kind::rep_joined: return "rep_joined";
    case alert_kind::account_churned: return "account_churned";
    case alert_kind::fairness: return "fairness";
  }
  return "deviation";
}

/// What `alert::value` and `alert::threshold` measure, per kind: "fraction" (deviation: signed, of the
/// territory's target), "accounts" (rep_departed: the accounts of the departed rep's territory, against
/// 0), "capacity" (rep_joined: the new rep's capacity, against 0), "value" (account_churned: the
/// account's previous value in monitor_options::value, against major_value), "gini" (fairness).
[[nodiscard]] constexpr std::string_view value_unit(alert_kind k) noexcept {
  switch (k) {
    case alert_kind::deviation: return "fraction";
    case alert_kind::rep_departed: return "accounts";
    case alert_kind::rep_joined: return "capacity";
    case alert_kind::account_churned: return "value";
    case alert_kind::fairness: return "gini";
  }
  return "fraction";
}

/// "No index" in the alert fields below.
inline constexpr std::size_t no_index = std::numeric_limits<std::size_t>::max();
// no_account (core/ids.hpp) marks an account of an earlier snapshot that is not in the current data
// (`monitor_snapshot::now`).

/// One earlier state of the data (`monitor_options::history`, oldest first).
struct monitor_snapshot {
  /// n_s × m: the same columns as the current activities, one row per account of that snapshot.
  Eigen::MatrixXd activities{};
  /// The plan of that snapshot, in the current plan's territory indices (an owner that is no longer in
  /// the current plan gets an index >= the current territory count); no_territory = unassigned.
  plan assignment{};
  /// Per account of the snapshot: its index in the current data, or no_account when it is gone.
  /// Empty: the accounts are the current ones, in the same order (needs n_s = n).
  std::vector<account_index> now{};
  /// Per account of the snapshot: the value that makes an account major (`major_value`); empty =
  /// column 0 of `activities`.
  std::vector<double> value{};
  /// Per account of the snapshot: its id, for the evidence; empty = its index.
  std::vector<std::string> ids{};
};

/// Options of `monitor()`. An aggregate: use designated initializers.
struct monitor_options {
  /// Deviation threshold: alert when |sum / mean − 1| > drift for a territory and column. In [0, 1).
  double drift = 0.25;
  /// Target shares per territory of the current plan (e.g. its rep's capacity), empty = equal: the
  /// deviation of territory t is taken against share_t / mean(share) × the mean (drift_from_targets),
  /// so a rep ramping at 0.5 with half a load raises no alert; the recommendations rebalance to the
  /// same targets. One finite value > 0 per territory.
  std::vector<double> target_shares{};
  /// The band the deviation recommendation restores, per column (empty = `drift` for all; size 1 =
  /// the same for all). A tighter band (a plan's 0.05) moves more accounts.
  std::vector<double> rebalance_tolerance{};
  /// The reps, and per territory of the current plan the index of its rep in `reps` (or no_index);
  /// empty `territory_rep` = no rep alerts.
  std::span<const rep> reps{};
  std::vector<std::size_t> territory_rep{};
  /// With a date, a rep whose start_date is after it has not joined yet (no `rep_joined` alert).
  std::optional<std::chrono::year_month_day> as_of{};
  /// Churn: an account is major when its previous value is above this (+inf = no churn alerts).
  double major_value = std::numeric_limits<double>::infinity();
  /// Per current account: the value that makes an account major; empty = column 0 of `activities`.
  std::vector<double> value_now{};
  /// Fairness alert: the current Gini of a column above this (+inf = none).
  double max_gini = std::numeric_limits<double>::infinity();
  /// Earlier snapshots, oldest first; the last one is "previous" for churn. Fairness over time
  /// is reported for each of them, then for the current data.
  std::span<const monitor_snapshot> history{};
  /// Compute the recommended rebalances (false: alerts only, no rebalance is run).
  bool recommend = true;
  /// Base options of the recommended rebalances: locks, min_counts, median_bounds, max_moves, move_cost,
  /// names. `tolerance`, `drop` and `add` are set per recommendation.
  rebalance_plan_options rebalance{};
  std::vector<std::string> activity_names{};   ///< per column, for the evidence; empty = "column <c>"
  std::vector<std::string> territory_names{};  ///< per territory, for the evidence; empty = "territory <t>"
};

/// A rebalancing scenario computed for one or more alerts (from `rebalance()`).
struct recommended_rebalance {
  std::string scenario;                  ///< a sentence: "drop territory ana: ...", "add a territory for rep zoe", ...
  std::vector<territory_index> scope;    ///< territories allowed to change (empty = all)
  plan assignment;                       ///< the recommended plan: kept territories in order, then new ones
  std::vector<territory_index> origin;   ///< per territory of `assignment`: its current index, or no_territory (new)
  plan_delta delta;                      ///< the disruption: moves, accounts_moved, share_moved, moved_share per column
  std::vector<violation> violations;     ///< what the scenario could not restore (territories as in `assignment`)
  std::vector<std::string> notes;        ///< rebalance()'s notes
  double moved_cost = 0.0;               ///< sum of the move costs (= accounts moved by default)
  bool budget_reached = false;           ///< max_moves stopped the repair
  bool restores = false;                 ///< `violations` is empty: the scenario meets its constraints
};

/// One alert.
struct alert {
  alert_kind kind = alert_kind::deviation;
  territory_index territory = no_territory;  ///< territory of the current plan concerned, if any
  std::size_t rep = no_index;                ///< index in `monitor_options::reps`, if any
  std::size_t account = no_index;            ///< churn: index in the previous snapshot
  std::size_t column = no_index;             ///< deviation, fairness: the column
  double value = 0.0;                        ///< the measured value, in value_unit(kind)
  double threshold = 0.0;                    ///< what it was compared with (same unit)
  std::string evidence;                      ///< a sentence for people
  std::size_t recommendation = no_index;     ///< index in `monitor_report::recommendations`, if any
};

/// Gini and CV per column of one snapshot's plan (territories with at least one account).
struct fairness_point {
  Eigen::VectorXd gini;
  Eigen::VectorXd cv;
  std::size_t territories = 0;
};

/// Outcome of `monitor()`.
struct monitor_report {
  /// In this order: deviation (by territory, then column), rep_departed, rep_joined (rep order),
  /// account_churned (previous snapshot order), fairness (column order).
  std::vector<alert> alerts;
  std::vector<recommended_rebalance> recommendations;
  std::vector<fairness_point> fairness;  ///< one per history snapshot, then the current data
  plan_metrics metrics;                  ///< the current plan (evaluate_plan, tolerance = drift)
  [[nodiscard]] bool quiet() const noexcept { return alerts.empty(); }
};

/// Gini and CV of every column over the non-empty territories of `assignment`.
/// Complexity O(n·m + m·p log p). Throws invalid_input{errc::size_mismatch} (field "assignment") when
/// the plan does not have one entry per row.
[[nodiscard]] fairness_point fairness_of(Eigen::Ref<const Eigen::MatrixXd> activities, const plan& assignment);

/// The territories that share a graph edge with territory t (t itself excluded), ascending.
/// Complexity O(Σ degree of t's accounts + p).
[[nodiscard]] std::vector<territory_index> neighbour_territories(const adjacency& graph, const plan& assignment,
                                                                 territory_index t);

/// Checks `current` against the triggers above and recommends a rebalance per alert (see the file
/// comment and docs/monitor.md).
///
/// @param activities  n×m, the current data (the balanced columns).
/// @param coordinates n×2 in the distance policy's system.
/// @param graph       adjacency over the n accounts, or nullptr (then a k-nearest-neighbour graph,
///                    k = 8, gives the neighbours of a churned account's territory, and the
///                    recommendations use `rebalance()` without a graph).
/// @param current     the current plan (p = current.territory_count() >= 1).
/// @param options     thresholds, reps, history, the base of the recommended rebalances (`monitor_options`).
/// @param distance    the distance policy of `evaluate_plan` and `rebalance` (haversine for lat/lon).
/// Complexity: O(n·m + e) for the alerts (plus evaluate_plan's diameters); each recommendation is one
/// `rebalance()` call: at most 1 + departed + joined + churned territories calls.
/// Throws: the invalid_input of `evaluate_plan` and `rebalance`; invalid_input{errc::invalid_parameter}
///   (field "drift" outside [0, 1), "max_gini" < 0 or NaN, "major_value" NaN or < 0);
///   {errc::size_mismatch} (field "territory_rep", "value_now", "history" (index = snapshot) for a
///   snapshot whose columns, `now` or `value` do not fit); {errc::out_of_range} (field "territory_rep",
///   index = territory, for a rep index >= reps.size(); field "history" for an account index >= n).
///   All checks run before any work.
/// Determinism: a pure function of its input (rebalance() uses no randomness).
template <distance_policy Distance = euclidean>
[[nodiscard]] monitor_report monitor(Eigen::Ref<const Eigen::MatrixXd> activities,
                                     Eigen::Ref<const Eigen::MatrixX2d> coordinates, const adjacency* graph,
                                     const plan& current, const monitor_options& options, Distance distance = {});

}  // namespace territory

#include "territory/detail/plan/monitor_impl.hpp"
