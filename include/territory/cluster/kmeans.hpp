#pragma once

/// @file kmeans.hpp
/// `territory::kmeans`: weighted k-means with k-means++ seeding and Hamerly's accelerated
/// Lloyd iteration (exact: the same fixed point as plain Lloyd, far fewer distance evaluations).

#include <Eigen/Core>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <stop_token>
#include <thread>
#include <vector>

#include "territory/cluster/cluster_quality.hpp"
#include "territory/core/plan.hpp"
#include "territory/core/progress.hpp"
#include "territory/core/random.hpp"
#include "territory/core/status.hpp"
#include "territory/detail/cluster/kmeans_impl.hpp"
#include "territory/graph/adjacency.hpp"

namespace territory {

/// Options of `kmeans`.
struct kmeans_options {
  std::span<const double> weights{};  ///< empty (all 1) or one weight >= 0 per point, e.g. an activity
  std::size_t max_iterations = 300;   ///< Lloyd iterations (center updates)
  std::size_t restarts = 1;           ///< independent seedings; the lowest objective wins
  std::uint64_t seed = default_seed;  ///< restart r uses derive_seed(seed, r)
  unsigned threads = 1;               ///< restarts run on this many threads (same result for any count)
  const adjacency* graph = nullptr;   ///< if set, `quality` reports contiguity on it
  progress_callback progress{};       ///< called after each iteration (phase "kmeans")
  std::stop_token stop{};
};

/// Result of `kmeans`.
struct [[nodiscard]] kmeans_result {
  plan assignment;                         ///< point i → cluster 0 … k−1; complete
  Eigen::MatrixXd centers;                 ///< k × d weighted centroids
  double objective = 0.0;                  ///< Σ wᵢ ‖xᵢ − c(i)‖² (weighted within-cluster sum of squares)
  cluster_quality quality;                 ///< wcss, weight totals per cluster (the activity), contiguity
  status why_stopped = status::converged;  ///< converged, iteration_limit or cancelled
  solve_stats stats;                       ///< iterations (all restarts), seed, objective_trace of the winning run
};

/// Weighted k-means: minimises Σ wᵢ ‖xᵢ − c(i)‖² over k centers.
///
/// Seeding is k-means++ (D² sampling weighted by wᵢ); the iteration is Hamerly's, whose
/// objective never increases (`stats.objective_trace`, one entry per center update). A
/// cluster that loses all its points takes the point with the largest wᵢ·dist²; so every
/// cluster is non-empty (k <= n).
///
/// @param points n×d, one row per account (column-major; a MatrixX2d binds without copy).
/// @param k      number of clusters, 1 <= k <= n.
/// @param options weights, iterations, restarts, seed, threads, graph (for `quality`) and progress (`kmeans_options`).
/// Complexity: O(n·k·d) for seeding and per iteration in the worst case; typically far less
/// per iteration once few points change cluster. Memory O(n·d + k²).
/// Throws: invalid_input{errc::out_of_range} (field "k"); {errc::non_finite} (field "points",
///         index = row); {errc::size_mismatch} / {errc::non_finite} / {errc::negative_value}
///         (field "weights", index = point) and {errc::invalid_parameter} if the weights sum to 0;
///         {errc::out_of_range} (field "restarts" / "threads") if restarts == 0 / threads == 0.
/// Status: converged (no point changed cluster), iteration_limit, cancelled (of any restart).
/// Example (examples/cluster_kmeans.cpp):
/// @code
/// const auto plain = territory::kmeans(xy, 4, {.weights = workload, .seed = 1});
/// // plain.assignment, plain.centers, plain.quality.totals, plain.stats.objective_trace
/// @endcode
/// Determinism: same input and seed → same result, for any `threads`: restart r always uses
/// derive_seed(seed, r) and the lowest objective wins, ties to the smaller r. The progress
/// callback runs on the calling thread only (for the restarts it runs itself).
[[nodiscard]] inline kmeans_result kmeans(const Eigen::Ref<const Eigen::MatrixXd>& points, std::size_t k,
                                          const kmeans_options& options = {}) {
  const auto ps = detail::make_point_set(points, options.weights, k, "kmeans()");
  if (options.restarts == 0) {
    throw invalid_input(errc::out_of_range, "restarts", "kmeans(): restarts = 0, expected at least 1");
  }
  if (options.graph != nullptr && options.graph->size() != ps.n) {
    throw invalid_input(errc::size_mismatch, "graph",
                        "kmeans(): graph has " + std::to_string(options.graph->size()) + " vertices, expected " +
                            std::to_string(ps.n) + " (one per point)");
  }
  if (options.threads == 0) {
    throw invalid_input(errc::out_of_range, "threads", "kmeans(): threads = 0, expected at least 1");
  }
  const auto t0 = std::chrono::steady_clock::now();
  // restart r on thread r % threads; the calling thread runs thread 0's share and is the only
  // one to call the progress callback; the best run is chosen by (objective, r)
  const std::size_t restarts = options.restarts;
  const std::size_t threads = std::min<std::size_t>(options.threads, restarts);
  std::vector<detail::lloyd_state> runs(restarts);
  auto work = [&](std::size_t t) {
    for (std::size_t r = t; r < restarts; r += threads) {
      if (r > 0 && options.stop.stop_requested()) {  // restart 0 always runs: a complete plan
        runs[r].why = status::cancelled;
        runs[r].objective = std::numeric_limits<double>::infinity();
        continue;
      }
      rng gen(derive_seed(options.seed, r));
      runs[r] = detail::hamerly(ps, k, detail::kmeanspp(ps, k, gen), options.max_iterations,
                                t == 0 ? options.progress : progress_callback{}, options.stop, "kmeans");
    }
  };
  {
    std::vector<std::jthread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work, t);
    work(0);
  }
  std::uint64_t iterations = 0;
  std::size_t winner = 0;
  bool cancelled = false;
  for (std::size_t r = 0; r < restarts; ++r) {
    iterations += runs[r].iterations;
    cancelled = cancelled || runs[r].why == status::cancelled;
    if (runs[r].objective < runs[winner].objective || runs[winner].label.empty()) {
      if (!runs[r].label.empty()) winner = r;
    }
  }
  detail::lloyd_state best = std::move(runs[winner]);
  if (cancelled) best.why = status::cancelled;
  kmeans_result out;
  out.assignment =
      plan(std::vector<territory_index>(best.label.begin(), best.label.end()), static_cast<territory_index>(k));
  out.centers.resize(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(ps.d));
  for (std::size_t j = 0; j < k; ++j) {
    for (std::size_t c = 0; c < ps.d; ++c) {
      out.centers(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(c)) = best.centers[j * ps.d + c];
    }
  }
  out.objective = best.objective;
  out.quality = evaluate_clusters(out.assignment, points, options.weights, options.graph);
  out.why_stopped = best.why;
  out.stats.iterations = iterations;
  out.stats.seed = options.seed;
  out.stats.threads = static_cast<unsigned>(threads);
  out.stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  out.stats.objective_trace = std::move(best.trace);
  return out;
}

}  // namespace territory
