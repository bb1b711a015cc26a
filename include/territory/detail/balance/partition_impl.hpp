#pragma once

// Bodies of balance/partition.hpp: validation, precheck, construction, search, evaluation.

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <Eigen/Core>

#include "territory/balance/partition.hpp"
#include "territory/balance/precheck.hpp"
#include "territory/detail/balance/common.hpp"
#include "territory/detail/balance/construct.hpp"
#include "territory/detail/balance/evaluate.hpp"
#include "territory/detail/balance/problem.hpp"
#include "territory/detail/graph/knn_graph.hpp"
#include "territory/graph/components.hpp"

namespace territory::detail::balance {

template <class Distance>
partition_result run_partition(const Eigen::Ref<const Eigen::MatrixXd>& acts, const Eigen::Ref<const Eigen::MatrixX2d>& xy,
                               const adjacency& search_graph, const adjacency* report_graph,
                               const partition_options& o, const Distance& dist) {
  const auto t0 = std::chrono::steady_clock::now();
  partition_result r;
  const std::size_t n = static_cast<std::size_t>(acts.rows());
  const std::size_t m = static_cast<std::size_t>(acts.cols());
  const std::size_t p = o.territories;
  r.stats.seed = o.seed;
  r.stats.threads = o.threads;
  auto pre = precheck_impl(acts, report_graph, o);
  if (p > n) {  // every account alone; the rest stay empty
    std::vector<territory_index> assign(n);
    for (std::size_t a = 0; a < n; ++a) assign[a] = static_cast<territory_index>(a);
    evaluate(r, assign, acts, xy, report_graph, o, dist);
    r.graph_components = report_graph ? connected_components(*report_graph).count : 1;
    r.why_stopped = status::proven_infeasible;
    return r;
  }
  problem pr = make_problem(acts, xy, expand_tolerance(o, m), p);
  pr.graph = &search_graph;
  {
    const auto shares = component_activity(acts, search_graph);
    std::vector<char> zero_col(m, 0);
    for (std::size_t j = 0; j < m; ++j) zero_col[j] = pr.tau[j] > 1e299 ? 1 : 0;
    pr.comp_territories = allocate_components(shares, p, pr.tau, zero_col);
    pr.comp_label = shares.comp.label;
    r.graph_components = report_graph ? shares.comp.count : 1;
  }
  rng gen(derive_seed(o.seed, 0));
  const auto seeds = choose_seeds(pr, gen, dist);
  auto assign = grow_regions(pr, seeds, dist);
  evaluate(r, assign, acts, xy, report_graph, o, dist);
  if (!pre.empty()) r.why_stopped = status::proven_infeasible;
  r.stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace territory::detail::balance

namespace territory {

template <distance_policy Distance>
partition_result partition(Eigen::Ref<const Eigen::MatrixXd> activities, Eigen::Ref<const Eigen::MatrixX2d> coordinates,
                           const adjacency& graph, const partition_options& options, Distance distance) {
  detail::balance::validate_common(activities, &graph, options, "partition()");
  detail::balance::validate_coordinates(coordinates, static_cast<std::size_t>(activities.rows()), "partition()");
  return detail::balance::run_partition(activities, coordinates, graph, &graph, options, distance);
}

template <distance_policy Distance>
partition_result partition(Eigen::Ref<const Eigen::MatrixXd> activities, Eigen::Ref<const Eigen::MatrixX2d> coordinates,
                           const partition_options& options, Distance distance) {
  detail::balance::validate_common(activities, nullptr, options, "partition()");
  detail::balance::validate_coordinates(coordinates, static_cast<std::size_t>(activities.rows()), "partition()");
  const auto g = detail::graph::knn_graph(coordinates, 8);
  return detail::balance::run_partition(activities, coordinates, g, nullptr, options, distance);
}

}  // namespace territory
