#pragma once

/// @file partition.hpp
/// `territory::partition`: split n accounts into p territories that are connected in an
/// adjacency graph, balanced on several activities at once within a tolerance, and compact
/// (small maximum diameter). The core engine of the `balance/` area; see docs/balance.md.
///
/// Example:
/// @code
/// auto r = territory::partition(table.activities(), table.coordinates(), graph,
///                               {.territories = 20, .tolerance = {0.05}, .seed = 7});
/// if (!r.feasible()) for (const auto& v : r.violations) use(v.reason);
/// @endcode

#include <cstdint>
#include <stop_token>
#include <string>
#include <type_traits>
#include <vector>

#include <Eigen/Core>

#include "territory/balance/partition_options.hpp"
#include "territory/balance/partition_result.hpp"
#include "territory/core/ids.hpp"
#include "territory/core/plan.hpp"
#include "territory/core/progress.hpp"
#include "territory/core/random.hpp"
#include "territory/core/status.hpp"
#include "territory/geo/distance_policy.hpp"
#include "territory/geo/drive_time.hpp"
#include "territory/geo/euclidean.hpp"
#include "territory/geo/haversine.hpp"
#include "territory/graph/adjacency.hpp"

namespace territory {

/// Whether `partition()` accepts the distance policy D. The engine takes a territory's diameter over
/// the convex hull of its accounts' coordinates, and its centroid and dispersion in coordinate space:
/// exact for `euclidean` (and any norm of planar coordinates), for `haversine` and `drive_time` on
/// (lat, lon) away from the antimeridian and the poles. A `travel_matrix` (coordinates are account
/// indices) or another non-geometric policy would give meaningless compactness, so `partition()`
/// rejects it at compile time (static_assert). A policy that grows with the distance between the
/// coordinates opts in, accepting that diameters are taken over hull vertices:
/// @code
/// template <> struct territory::hull_distance<my_policy> : std::true_type {};
/// @endcode
template <class D>
struct hull_distance : std::false_type {};
template <>
struct hull_distance<euclidean> : std::true_type {};
template <>
struct hull_distance<haversine> : std::true_type {};
template <>
struct hull_distance<drive_time> : std::true_type {};

/// Partitions the accounts into `options.territories` connected, balanced, compact territories.
///
/// @param activities n x m, one row per account, one column per activity to balance (>= 0, finite).
///        A column-major MatrixXd binds without a copy.
/// @param coordinates n x 2, planar (x, y) or (lat, lon), as `Distance` expects.
/// @param graph adjacency over the n accounts; every territory must be connected in it.
///        A disconnected graph is handled: each component receives a number of territories
///        proportional to its activity (largest remainder); when that cannot meet the tolerance,
///        `precheck` says so and the result carries `status::proven_infeasible` with the best plan.
/// @param options territories, tolerance, seed, threads, limits, compactness, smoothing, progress and stop
///        (`partition_options`).
/// @param distance the compactness measure (diameter = max distance between two accounts of a territory);
///        a policy with `hull_distance<Distance>` (euclidean, haversine, drive_time, or opted in): a
///        travel_matrix does not compile (static_assert naming the trait).
///
/// Method: seeds spread by farthest-point sampling, multi-source region growing (lightest territory first),
/// then an alternating local search (balance phase: boundary moves and swaps with a local articulation
/// check, tabu; compactness phase on the territory of largest diameter, under a soft diameter cap),
/// multi-start on `threads` threads, then an iterated local search from the best starts. Above 100,000
/// accounts a multilevel driver runs in front (docs/balance.md). `precheck` and the evaluation of the
/// plan run once per call; `partition_result::precheck` holds the precheck's findings.
///
/// Complexity: O(n log n) construction; each move evaluation O(m + degree), articulation checks are
///   bounded BFS (usually a few steps). Memory O(n·m + e).
/// Throws: invalid_input{size_mismatch} (field "coordinates", "graph", "tolerance", "activity_names",
///   "account_ids"); {non_finite}/{negative_value} (field "activities", index = account);
///   {non_finite} (field "coordinates"); {out_of_range} (field "territories") when p == 0;
///   {invalid_parameter} (field "tolerance") for a tolerance outside [0, 1), "threads" == 0 or
///   "time_limit_seconds" not > 0, "safety_stop_factor" not >= 1. An exception thrown by the distance policy (or std::bad_alloc) on
///   a worker thread stops the other threads and is rethrown on the calling thread.
/// Status: converged (every run ended by its own convergence test), iteration_limit (the option's
///   per-run limit ended a run), time_limit (the work budget derived from time_limit_seconds, or the
///   wall clock, ended a run), cancelled (stop token or callback), proven_infeasible (precheck found an
///   unavoidable violation).
/// Determinism: the same inputs, seed and thread count give the same plan, on an idle or a loaded
///   machine, unless the wall clock ends a run: the numbers of starts and kicks and every run's work
///   budget derive from n, p, the thread count and the value of time_limit_seconds, never from measured
///   time; starts are reduced in index order. When the wall clock stops a run (a safety stop: the work
///   budgets are sized to end well before it), why_stopped is time_limit and the plan may differ
///   between runs.
template <distance_policy Distance = euclidean>
[[nodiscard]] partition_result partition(Eigen::Ref<const Eigen::MatrixXd> activities,
                                         Eigen::Ref<const Eigen::MatrixX2d> coordinates,
                                         const adjacency& graph,
                                         const partition_options& options, Distance distance = {});

/// Without a graph: compactness alone keeps territories together. Internally a k-nearest-neighbour
/// graph (k = 8, components joined by their closest pairs) guides the moves; `contiguous` is all 1
/// and no contiguity violation is reported.
template <distance_policy Distance = euclidean>
[[nodiscard]] partition_result partition(Eigen::Ref<const Eigen::MatrixXd> activities,
                                         Eigen::Ref<const Eigen::MatrixX2d> coordinates,
                                         const partition_options& options, Distance distance = {});

}  // namespace territory

#include "territory/detail/balance/partition_impl.hpp"
