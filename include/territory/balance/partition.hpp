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
#include "territory/geo/euclidean.hpp"
#include "territory/graph/adjacency.hpp"

namespace territory {

/// Partitions the accounts into `options.territories` connected, balanced, compact territories.
///
/// @param activities n x m, one row per account, one column per activity to balance (>= 0, finite).
///        A column-major MatrixXd binds without a copy.
/// @param coordinates n x 2, planar (x, y) or (lat, lon), as `Distance` expects.
/// @param graph adjacency over the n accounts; every territory must be connected in it.
///        A disconnected graph is handled: each component receives a number of territories
///        proportional to its activity (largest remainder); when that cannot meet the tolerance,
///        `precheck` says so and the result carries `status::proven_infeasible` with the best plan.
/// @param distance the compactness measure (diameter = max distance between two accounts of a territory).
///
/// Method: seeds spread by farthest-point sampling, multi-source region growing (lightest territory first),
/// then an alternating local search (balance phase: boundary moves and swaps with a local articulation
/// check, tabu; compactness phase on the territory of largest diameter), multi-start on `threads` threads.
///
/// Complexity: O(n log n) construction; each move evaluation O(m + degree), articulation checks are
///   bounded BFS (usually a few steps). Memory O(n·m + e).
/// Throws: invalid_input{size_mismatch} (field "coordinates", "graph", "tolerance", "activity_names",
///   "account_ids"); {non_finite}/{negative_value} (field "activities", index = account);
///   {non_finite} (field "coordinates"); {out_of_range} (field "territories") when p == 0;
///   {invalid_parameter} (field "tolerance") for a tolerance outside [0, 1) or "threads" == 0.
/// Status: converged (search finished within limits), iteration_limit, time_limit, cancelled
///   (stop token or callback), proven_infeasible (precheck found an unavoidable violation).
/// Determinism: same inputs, seed and threads give the same plan (starts are reduced in index order).
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
