#pragma once

/// @file metrics.hpp
/// Plan metrics: an evaluation of any plan, independent of how it was made.
///
/// `evaluate_plan()` recomputes from scratch, for every territory, its accounts, activity
/// sums, deviation from the mean per activity, diameter, total distance to its centre and
/// contiguity in the adjacency graph; and for the plan, the number of cut edges, the hard-constraint violations
/// (balance, contiguity, empty territories, unassigned accounts) with their amounts, the
/// maximum diameter, and the Gini coefficient and coefficient of variation of every
/// activity over the territories. It shares no code with the partition engine, so it
/// doubles as the checker of the engine's results (tests/support/check_plan.hpp).
///
/// Example (tests/plan/metrics_test.cpp):
/// @code
/// const auto m = territory::evaluate_plan(table.activities(), table.coordinates(), &graph, pl,
///                                         {.tolerance = {0.05}, .activity_names = {"revenue", "workload"}});
/// if (!m.feasible()) for (const auto& v : m.violations) log(v.reason);
/// @endcode

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "territory/core/error.hpp"
#include "territory/core/ids.hpp"
#include "territory/core/plan.hpp"
#include "territory/core/status.hpp"
#include "territory/geo/distance_policy.hpp"
#include "territory/geo/euclidean.hpp"
#include "territory/graph/adjacency.hpp"

namespace territory {

/// Metrics of one territory.
struct territory_metrics {
  std::size_t accounts = 0;           ///< number of accounts
  Eigen::VectorXd sums;               ///< m: activity sums
  Eigen::VectorXd deviation;          ///< m: sum / target − 1, signed (0 for a column whose mean is 0); target
                                      ///< = the mean, or its share of it with plan_metrics_options::target_shares
  double max_deviation = 0.0;         ///< max over activities of |deviation|
  double diameter = 0.0;              ///< max distance between two of its accounts (0 for < 2 accounts)
  double distance_to_centre = 0.0;    ///< sum over its accounts of the distance to `centre`
  point centre{0.0, 0.0};             ///< coordinate mean (planar) or spherical mean (WGS84)
  std::uint32_t components = 0;       ///< connected pieces in the graph (1 without a graph; 0 if empty)
  bool contiguous = true;             ///< components <= 1
};

/// What `evaluate_plan()` needs besides the data. An aggregate: use designated initializers.
struct plan_metrics_options {
  /// Allowed relative deviation per activity column: empty = 0.05 for all, one value = the
  /// same for all, else one per column. Each must be finite and >= 0.
  std::vector<double> tolerance{};
  /// Names of the activity columns for violation subjects and reasons; empty = "activity <c>".
  std::vector<std::string> activity_names{};
  /// Names of the territories in reasons; empty = the index ("territory 0" … "territory p−1").
  std::vector<std::string> territory_names{};
  /// Under a policy other than `euclidean` and `haversine`, territories of at most this many
  /// accounts get the exact all-pairs diameter; larger ones use a convex hull (see `evaluate_plan`).
  std::size_t exact_diameter_limit = 256;
  /// Target shares (as `partition_options::target_shares`): one positive value per territory, any
  /// scale; empty = equal targets. Territory t's target is share_t / mean(share) × the mean, and its
  /// `deviation` and balance violations are taken against that target.
  std::vector<double> target_shares{};
  /// Slack added to every tolerance before a deviation counts as a violation, so that
  /// rounding in a solver's incremental sums does not create violations of 1e-16.
  double slack = 1e-9;
};

/// Metrics of a whole plan. Owns its data.
struct plan_metrics {
  std::vector<territory_metrics> territories;  ///< p, in territory index order
  Eigen::VectorXd totals;                      ///< m: activity totals over the assigned accounts
  Eigen::VectorXd means;                       ///< m: total over all accounts / p (the balance target)
  Eigen::VectorXd tolerance;                   ///< m: the tolerance applied per column
  Eigen::VectorXd gini;                        ///< m: Gini coefficient of the territory sums (0 = equal)
  Eigen::VectorXd cv;                          ///< m: coefficient of variation (population std / mean)
  Eigen::VectorXd min_sums;                    ///< m: smallest territory sum per column
  Eigen::VectorXd max_sums;                    ///< m: largest territory sum per column
  double max_deviation = 0.0;                  ///< max over territories of max_deviation
  double max_diameter = 0.0;                   ///< max over territories of diameter
  double total_distance_to_centres = 0.0;      ///< sum over territories of distance_to_centre
  bool diameters_exact = true;                 ///< false if some diameter is a hull approximation
  std::size_t unassigned = 0;                  ///< accounts with no territory
  std::uint32_t graph_components = 1;          ///< connected components of the graph (1 without one)
  std::uint32_t noncontiguous = 0;             ///< territories with more than one component
  /// Graph edges whose two accounts are assigned to different territories: the length of the
  /// boundaries between territories, in edges (0 without a graph; unassigned accounts are skipped).
  std::size_t cut_edges = 0;
  /// Hard-constraint violations, in this order: unassigned accounts (one entry, amount =
  /// count), then per territory in index order: empty, contiguity (amount = extra
  /// components), balance per column (amount = relative distance outside the band, e.g.
  /// 1.07×mean with τ = 0.05 gives 0.02). Empty <=> every hard constraint holds.
  std::vector<violation> violations;

  [[nodiscard]] bool feasible() const noexcept { return violations.empty(); }
};

/// Evaluates a plan: per-territory sums, deviations, diameters, distances to centres,
/// contiguity; plan-level violations, Gini and CV. See the file comment.
///
/// @param activities  n×m, rows = accounts (column-major; other layouts are copied once).
///                    A column whose total is 0 is reported with deviation 0 (satisfied).
/// @param coordinates n×2 in the distance policy's system: planar (x, y) for `euclidean`,
///                    (lat, lon) degrees for `haversine` or a policy with `static constexpr bool wgs84 = true`.
/// @param graph       adjacency over the n accounts, or nullptr (then every non-empty territory is contiguous).
/// @param assignment  the plan; p = assignment.territory_count(); unassigned accounts are allowed
///                    and reported as a violation of kind `unassigned`.
/// @param options     tolerance, names for messages, diameter accuracy.
/// @param distance    the distance policy for diameters and distances to centres.
///
/// Diameters are exact for `euclidean` (convex hull, then all pairs of hull vertices) and for
/// `haversine` (convex hull in the gnomonic projection, which is the spherical convex hull,
/// then all pairs of its vertices; exact when the territory spans less than a quarter great
/// circle, about 10,000 km, and computed over all pairs otherwise). Under any other policy,
/// territories of at most `exact_diameter_limit` accounts get the all-pairs maximum; larger
/// ones the true distance over the hull vertices of a planar stand-in (gnomonic for WGS84
/// policies): exact for any norm on planar coordinates, an approximation otherwise
/// (`diameters_exact` is then false).
///
/// Complexity: O(n·m + e) plus, per territory of k accounts with h hull vertices,
/// O(k log k + h²) (O(k²) for other policies when k <= exact_diameter_limit).
/// Throws: invalid_input{errc::size_mismatch} (field "activities", "coordinates", "graph" or
///         "tolerance") when sizes disagree with assignment.size() or m;
///         invalid_input{errc::out_of_range} (field "territories") when the plan has 0 territories;
///         invalid_input{errc::out_of_range} (field "tolerance", index = column) for τ < 0;
///         invalid_input{errc::non_finite} (field "tolerance" / "activities" / "coordinates",
///         index = column or account) for NaN or infinite values;
///         invalid_input{errc::negative_value} (field "activities", index = account) for a negative activity;
///         invalid_input{errc::size_mismatch} (field "activity_names" / "territory_names") for
///         name lists that are neither empty nor of size m / p.
///         All checks run before any work.
/// Status: none (a pure evaluation); the outcome is `violations`.
/// Determinism: fully deterministic; no randomness, no dependence on hash order.
template <distance_policy Distance = euclidean>
[[nodiscard]] plan_metrics evaluate_plan(Eigen::Ref<const Eigen::MatrixXd> activities,
                                         Eigen::Ref<const Eigen::MatrixX2d> coordinates, const adjacency* graph,
                                         const plan& assignment, const plan_metrics_options& options,
                                         Distance distance = {});

/// Same, with only a tolerance (one value for all columns, or one per column; empty = 0.05).
template <distance_policy Distance = euclidean>
[[nodiscard]] plan_metrics evaluate_plan(Eigen::Ref<const Eigen::MatrixXd> activities,
                                         Eigen::Ref<const Eigen::MatrixX2d> coordinates, const adjacency* graph,
                                         const plan& assignment, std::span<const double> tolerance,
                                         Distance distance = {}) {
  plan_metrics_options o;
  o.tolerance.assign(tolerance.begin(), tolerance.end());
  return evaluate_plan(activities, coordinates, graph, assignment, o, distance);
}

/// Gini coefficient of non-negative values: Σᵢ Σⱼ |xᵢ − xⱼ| / (2 k² mean); 0 when all are
/// equal or the total is 0; (k−1)/k when one value holds everything.
/// Complexity O(k log k). Throws nothing but std::bad_alloc.
[[nodiscard]] inline double gini(std::span<const double> values);

/// Coefficient of variation: population standard deviation / mean; 0 when the mean is 0.
/// Complexity O(k). Never throws.
[[nodiscard]] inline double coefficient_of_variation(std::span<const double> values) noexcept;

}  // namespace territory

#include "territory/detail/plan/metrics_impl.hpp"
