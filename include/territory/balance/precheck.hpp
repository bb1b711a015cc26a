#pragma once

/// @file precheck.hpp
/// `territory::precheck`: violations that no partition can avoid, found before searching.

#include <vector>

#include <Eigen/Core>

#include "territory/balance/partition_options.hpp"
#include "territory/core/status.hpp"
#include "territory/geo/distance_policy.hpp"
#include "territory/geo/euclidean.hpp"
#include "territory/graph/adjacency.hpp"

namespace territory {

/// Returns the violations that are provably unavoidable, each with a sentence:
/// - p > n (kind `empty`): some territory must stay empty;
/// - one account above (1+τ)·mean on an activity (kind `balance`, territory = no_territory, subject =
///   activity), e.g. "account '06037' alone holds 1.62x the mean population (allowed 1.05x)";
/// - with a graph of several components: p < components (kind `contiguity`), or a component whose
///   activity share cannot be split into a whole number of territories within tolerance (kind `balance`;
///   a component never gets more territories than accounts, so an isolated account holding 2 mean
///   territories is reported here too), or no way to choose per-component territory counts that sum to p.
/// `partition()` runs this once per call and returns the findings in `partition_result::precheck`.
/// An all-zero activity column has mean 0: it is treated as satisfied and not reported here
/// (`partition` mentions it in `partition_result::notes`).
///
/// @param graph may be null (no contiguity: component checks are skipped).
/// @param activities n × m, one row per account, as for `partition()`.
/// @param options the `partition_options` of the call (territories and tolerance are used).
/// Complexity: O(n·m + e). Throws: as `partition` for malformed input.
/// Determinism: pure function of its inputs.
[[nodiscard]] std::vector<violation> precheck(Eigen::Ref<const Eigen::MatrixXd> activities,
                                              const adjacency* graph, const partition_options& options);

/// The same checks, plus those that need the coordinates: the hard diameter cap
/// (`options.max_diameter`; kind `max_distance`, territory = no_territory), proved impossible by a
/// greedy set of more than p accounts pairwise farther apart than the cap. These are exactly the
/// findings `partition()` returns in `partition_result::precheck` for the same input.
///
/// @param activities  n × m, as for `partition()`.
/// @param coordinates n × 2, in the distance policy's coordinate system.
/// @param graph       may be null.
/// @param options     the `partition_options` of the call.
/// @param distance    the distance policy of the call (the cap is in its unit).
/// Complexity: O(n·m + e + n·p) (at most p + 1 accounts enter the greedy set). Throws: as `partition`
/// for malformed input (invalid_input naming the field, e.g. "coordinates" for a wrong row count).
/// Determinism: pure function of its inputs.
template <distance_policy Distance = euclidean>
[[nodiscard]] std::vector<violation> precheck(Eigen::Ref<const Eigen::MatrixXd> activities,
                                              Eigen::Ref<const Eigen::MatrixX2d> coordinates, const adjacency* graph,
                                              const partition_options& options, Distance distance = {});

}  // namespace territory

#include "territory/detail/balance/precheck_impl.hpp"
