#pragma once

/// @file balanced_kmeans.hpp
/// `territory::balanced_kmeans`: k-means whose clusters carry (near) equal totals of an
/// activity (workload, revenue potential), not equal counts.

#include <Eigen/Core>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <stop_token>
#include <string>
#include <vector>

#include "territory/cluster/cluster_quality.hpp"
#include "territory/core/plan.hpp"
#include "territory/core/progress.hpp"
#include "territory/core/random.hpp"
#include "territory/core/status.hpp"
#include "territory/detail/cluster/kmeans_impl.hpp"
#include "territory/graph/adjacency.hpp"

namespace territory {

/// Options of `balanced_kmeans`.
struct balanced_kmeans_options {
  double tolerance = 0.05;               ///< allowed |total_j / mean − 1| per cluster
  std::size_t max_iterations = 50;       ///< outer iterations (center updates)
  std::size_t balance_iterations = 200;  ///< price updates per outer iteration
  std::size_t repair_moves = 1000;       ///< single-account moves tried when prices miss the band (O(n·k) each)
  std::uint64_t seed = default_seed;     ///< seeds the k-means++ start
  const adjacency* graph = nullptr;      ///< if set, `quality` reports contiguity on it
  progress_callback progress{};          ///< called after each outer iteration (phase "balanced_kmeans")
  std::stop_token stop{};
};

/// Result of `balanced_kmeans`.
struct [[nodiscard]] balanced_kmeans_result {
  plan assignment;                         ///< complete: point i → cluster 0 … k−1
  Eigen::MatrixXd centers;                 ///< k × d activity-weighted centroids of `assignment`
  cluster_quality quality;                 ///< wcss (activity-weighted), totals per cluster, max_deviation, contiguity
  status why_stopped = status::converged;  ///< converged (within tolerance), iteration_limit, cancelled
  std::vector<violation> violations;       ///< one `balance` violation per cluster outside the band
  solve_stats
      stats;  ///< iterations = price updates + repair moves; objective_trace = max deviation per outer iteration
  [[nodiscard]] bool balanced() const noexcept { return violations.empty(); }
};

/// Capacitated k-means by prices: each point goes to argminⱼ ‖x − cⱼ‖² + bⱼ, where the price
/// bⱼ of a cluster rises while its activity total is above the mean and falls while below
/// (Lagrangian relaxation of the equal-total constraint, with a shrinking step); centers then
/// move to the activity-weighted means and the prices are re-balanced. The most balanced
/// assignment seen is kept (ties: lower cost). If it is still outside the band, a greedy
/// repair moves single accounts out of (or into) the worst cluster, cheapest first, while that
/// lowers the larger deviation of the two clusters involved. Starts from k-means (k-means++ seeding).
///
/// Points are indivisible, so the band is reachable only if no single activity is large
/// against the mean; when it is not reached the result says so in `violations`.
///
/// @param points   n×d, one row per account.
/// @param activity one value >= 0 per account (the total to balance); also the center weights.
/// @param k number of clusters, 1 <= k <= n.
/// @param options tolerance, iteration and repair budgets, seed, graph (for `quality`) and progress
///        (`balanced_kmeans_options`).
/// Complexity: O(n·k·d) per price update, at most max_iterations × balance_iterations of them.
/// Throws: as `kmeans` (field "activity" for the weights); invalid_input{errc::out_of_range}
///         (field "tolerance") unless 0 <= tolerance < 1.
/// Status: converged (within tolerance), iteration_limit (band not reached), cancelled.
/// Example (examples/cluster_kmeans.cpp):
/// @code
/// const auto bal = territory::balanced_kmeans(xy, 4, workload, {.tolerance = 0.03, .seed = 1});
/// if (!bal.balanced()) { /* bal.violations says which clusters and by how much */ }
/// @endcode
/// Determinism: same input and seed → same result.
[[nodiscard]] inline balanced_kmeans_result balanced_kmeans(const Eigen::Ref<const Eigen::MatrixXd>& points,
                                                            std::size_t k, std::span<const double> activity,
                                                            const balanced_kmeans_options& options = {}) {
  if (activity.empty()) {
    throw invalid_input(errc::size_mismatch, "activity",
                        "balanced_kmeans(): activity is empty, expected one value per point");
  }
  const auto ps = detail::make_point_set(points, activity, k, "balanced_kmeans()", "activity");
  if (!(options.tolerance >= 0 && options.tolerance < 1)) {
    throw invalid_input(errc::out_of_range, "tolerance",
                        "balanced_kmeans(): tolerance = " + std::to_string(options.tolerance) + ", expected in [0, 1)");
  }
  if (options.graph != nullptr && options.graph->size() != ps.n) {
    throw invalid_input(errc::size_mismatch, "graph",
                        "balanced_kmeans(): graph has " + std::to_string(options.graph->size()) +
                            " vertices, expected " + std::to_string(ps.n) + " (one per point)");
  }
  const auto t0 = std::chrono::steady_clock::now();
  const std::size_t n = ps.n, d = ps.d;
  rng gen(options.seed);
  auto start = detail::hamerly(ps, k, detail::kmeanspp(ps, k, gen), 100, {}, options.stop, "balanced_kmeans");
  std::vector<double> centers = start.centers;
  std::vector<std::uint32_t> label = start.label;
  double total = 0.0;
  for (double w : ps.w) total += w;
  const double target = total / static_cast<double>(k);
  const double scale = std::max(start.objective / total, 1e-12);

  std::vector<std::uint32_t> best = label;
  double best_dev = std::numeric_limits<double>::infinity();
  double best_cost = std::numeric_limits<double>::infinity();
  std::vector<double> price(k, 0.0), totals(k);
  std::vector<std::uint32_t> prev;
  status why = status::iteration_limit;
  std::uint64_t updates = 0;
  solve_stats stats;
  for (std::size_t outer = 0; outer < options.max_iterations; ++outer) {
    double step = 1.0, prev_dev = std::numeric_limits<double>::infinity();
    for (std::size_t inner = 0; inner < std::max<std::size_t>(options.balance_iterations, 1); ++inner) {
      std::fill(totals.begin(), totals.end(), 0.0);
      double cost = 0.0;
      for (std::size_t i = 0; i < n; ++i) {
        double bv = std::numeric_limits<double>::infinity(), bd = 0.0;
        std::uint32_t bj = 0;
        for (std::size_t j = 0; j < k; ++j) {
          const double dist = detail::sqdist(ps.row(i), centers.data() + j * d, d);
          const double v = dist + price[j];
          if (v < bv) {
            bv = v;
            bd = dist;
            bj = static_cast<std::uint32_t>(j);
          }
        }
        label[i] = bj;
        totals[bj] += ps.w[i];
        cost += ps.w[i] * bd;
      }
      double dev = 0.0;
      for (std::size_t j = 0; j < k; ++j) dev = std::max(dev, std::abs(totals[j] / target - 1.0));
      ++updates;
      const bool within = dev <= options.tolerance;
      const bool best_within = best_dev <= options.tolerance;
      if ((within && (!best_within || cost < best_cost)) || (!within && !best_within && dev < best_dev)) {
        best = label;
        best_dev = dev;
        best_cost = cost;
      }
      if (within) break;
      if (dev >= prev_dev) step *= 0.7;
      prev_dev = dev;
      for (std::size_t j = 0; j < k; ++j) price[j] += step * scale * (totals[j] / target - 1.0);
    }
    stats.objective_trace.push_back(best_dev);
    if (label == prev && best_dev <= options.tolerance) {
      why = status::converged;
      break;
    }
    prev = label;
    (void)detail::update_centers(ps, k, centers, label);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (should_stop(options.progress, options.stop, progress{"balanced_kmeans", outer + 1, secs, best_dev, 0})) {
      why = status::cancelled;
      break;
    }
  }
  if (why != status::cancelled && best_dev > options.tolerance) {
    // greedy repair: move single accounts out of the worst cluster (or into it) while that
    // lowers the larger deviation of the two clusters involved; cheapest move first
    std::vector<double> tot(k, 0.0);
    for (std::size_t i = 0; i < n; ++i) tot[best[i]] += ps.w[i];
    auto dev = [&](double t) { return std::abs(t / target - 1.0); };
    std::vector<double> cen = centers;
    {
      auto tmp = best;
      (void)detail::update_centers(ps, k, cen, tmp);
    }
    for (std::size_t move = 0; move < options.repair_moves; ++move) {
      std::size_t worst = 0;
      for (std::size_t j = 1; j < k; ++j) {
        if (dev(tot[j]) > dev(tot[worst])) worst = j;
      }
      if (dev(tot[worst]) <= options.tolerance) break;
      const bool over = tot[worst] > target;
      double best_delta = std::numeric_limits<double>::infinity();
      std::size_t bi = n, bt = k;
      for (std::size_t i = 0; i < n; ++i) {
        const std::size_t from = best[i];
        if (over ? from != worst : from == worst) continue;
        const double w = ps.w[i];
        if (w <= 0) continue;
        const double here = detail::sqdist(ps.row(i), cen.data() + from * d, d);
        for (std::size_t t = 0; t < k; ++t) {
          if (t == from || (!over && t != worst)) continue;
          const double before = std::max(dev(tot[from]), dev(tot[t]));
          const double after = std::max(dev(tot[from] - w), dev(tot[t] + w));
          if (!(after < before - 1e-12)) continue;
          const double delta = w * (detail::sqdist(ps.row(i), cen.data() + t * d, d) - here);
          if (delta < best_delta) {
            best_delta = delta;
            bi = i;
            bt = t;
          }
        }
      }
      if (bi == n) break;
      tot[best[bi]] -= ps.w[bi];
      tot[bt] += ps.w[bi];
      best[bi] = static_cast<std::uint32_t>(bt);
      ++updates;
    }
  }
  balanced_kmeans_result out;
  out.assignment = plan(std::vector<territory_index>(best.begin(), best.end()), static_cast<territory_index>(k));
  std::vector<double> final_centers = centers;
  {
    auto tmp = best;
    (void)detail::update_centers(ps, k, final_centers, tmp);  // `best` is non-empty per cluster in practice
  }
  out.centers.resize(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(d));
  for (std::size_t j = 0; j < k; ++j) {
    for (std::size_t c = 0; c < d; ++c) {
      out.centers(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(c)) = final_centers[j * d + c];
    }
  }
  out.quality = evaluate_clusters(out.assignment, points, activity, options.graph);
  const double mean = target;
  for (std::size_t j = 0; j < k; ++j) {
    const double dev = std::abs(out.quality.totals[j] / mean - 1.0);
    if (dev > options.tolerance) {
      out.violations.push_back(
          {constraint_kind::balance, static_cast<territory_index>(j), "activity", dev - options.tolerance,
           "cluster " + std::to_string(j) + " has activity " + std::to_string(out.quality.totals[j]) + ", " +
               std::to_string(100.0 * (out.quality.totals[j] / mean - 1.0)) + " % from the mean " +
               std::to_string(mean)});
    }
  }
  if (why != status::cancelled) why = out.violations.empty() ? status::converged : status::iteration_limit;
  out.why_stopped = why;
  stats.iterations = updates;
  stats.seed = options.seed;
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  out.stats = std::move(stats);
  return out;
}

}  // namespace territory
