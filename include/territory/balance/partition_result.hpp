#pragma once

/// @file partition_result.hpp
/// `territory::partition_result`: outcome of `partition()` (balance/partition.hpp).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "territory/balance/constraints.hpp"
#include "territory/core/plan.hpp"
#include "territory/core/status.hpp"

namespace territory {

/// Outcome of `partition()`. The plan is complete (every account assigned) in every case.
struct partition_result {
  plan assignment;                          ///< complete even when stopped early
  status why_stopped = status::converged;
  std::vector<violation> violations;        ///< empty <=> every hard constraint holds
  solve_stats stats;
  Eigen::MatrixXd sums;                     ///< p x m activity sums per territory
  Eigen::VectorXd max_deviation;            ///< p: max over activities of |sum/mean - 1|
  std::vector<double> diameters;            ///< p: max distance between two accounts of the territory
  std::vector<std::uint8_t> contiguous;     ///< p: 1 if connected in the graph (1 without a graph)
  std::uint32_t graph_components = 1;
  double max_diameter = 0.0;                ///< max of `diameters` (the compactness objective)
  double sum_center_distance = 0.0;         ///< sum over accounts of the distance to their territory centroid
  std::size_t cut_edges = 0;                ///< graph edges whose accounts are in different territories (the
                                            ///< boundary length; 0 without a graph)
  double seconds_to_feasible = -1.0;        ///< wall time until the winning start first met every constraint
                                            ///< (-1 if it never did)
  std::vector<std::string> notes;           ///< non-violations worth saying (e.g. an all-zero activity column,
                                            ///< a capped option, why an infeasible search ended: "diagnosis: ...")
  /// Every hard constraint of the call (balance per column, contiguity, locks, each min_count) with
  /// whether it holds and its slack or violation amount (balance/constraints.hpp).
  std::vector<constraint_status> constraints;
  std::vector<violation> precheck;          ///< precheck()'s findings for this input (also first in violations)
  [[nodiscard]] bool feasible() const noexcept { return violations.empty(); }
};

}  // namespace territory
