#pragma once

/// @file cluster_quality.hpp
/// Quality figures of a clustering: within-cluster sum of squares, per-cluster activity
/// totals and their spread, and contiguity on an adjacency.

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "territory/core/error.hpp"
#include "territory/core/plan.hpp"
#include "territory/graph/adjacency.hpp"

namespace territory {

/// Quality figures of a plan read as a clustering.
struct cluster_quality {
  double wcss = 0.0;           ///< Σ w_i ‖x_i − c(i)‖², c = weighted centroid of i's cluster (0 without points)
  std::vector<double> totals;  ///< activity total per cluster (account count without activity)
  double max_deviation = 0.0;  ///< max_j |totals_j / mean − 1| (0 when the mean is 0)
  std::vector<std::uint32_t> pieces;  ///< connected pieces per cluster on the graph (empty without graph)
  bool contiguous = false;            ///< every non-empty cluster is one piece (false without graph)
};

/// Computes `cluster_quality` for `assignment`.
/// @param assignment the plan read as a clustering; p = assignment.territory_count().
/// @param points    n×d (rows = accounts), or a 0-row matrix to skip the wcss.
/// @param activity  empty (count accounts) or one value per account; also the wcss weights.
/// @param graph     nullptr to skip contiguity, else an adjacency over the n accounts.
/// Complexity: O(n·d + p) plus O(n + e) with a graph. Unassigned accounts are ignored.
/// Throws: invalid_input{errc::size_mismatch} (field "points", "activity" or "graph") when a
///         size differs from assignment.size().
/// Determinism: a pure function of its input.
[[nodiscard]] inline cluster_quality evaluate_clusters(const plan& assignment,
                                                       const Eigen::Ref<const Eigen::MatrixXd>& points,
                                                       std::span<const double> activity = {},
                                                       const adjacency* graph = nullptr) {
  const std::size_t n = assignment.size();
  const std::size_t p = assignment.territory_count();
  auto mismatch = [&](const char* field, std::size_t got) {
    throw invalid_input(errc::size_mismatch, field,
                        std::string("evaluate_clusters(): ") + field + " has " + std::to_string(got) +
                            " entries, expected " + std::to_string(n) + " (one per account)");
  };
  if (points.rows() != 0 && static_cast<std::size_t>(points.rows()) != n)
    mismatch("points", static_cast<std::size_t>(points.rows()));
  if (!activity.empty() && activity.size() != n) mismatch("activity", activity.size());
  if (graph != nullptr && graph->size() != n) mismatch("graph", graph->size());
  cluster_quality q;
  q.totals.assign(p, 0.0);
  auto w = [&](std::size_t i) { return activity.empty() ? 1.0 : activity[i]; };
  for (std::size_t i = 0; i < n; ++i) {
    const auto t = assignment[static_cast<account_index>(i)];
    if (t != no_territory) q.totals[t] += w(i);
  }
  if (points.rows() != 0 && p > 0) {
    const Eigen::Index d = points.cols();
    Eigen::MatrixXd sum = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(p), d);
    std::vector<double> wsum(p, 0.0);
    std::vector<std::size_t> cnt(p, 0);
    Eigen::MatrixXd plain = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(p), d);
    for (std::size_t i = 0; i < n; ++i) {
      const auto t = assignment[static_cast<account_index>(i)];
      if (t == no_territory) continue;
      sum.row(t) += w(i) * points.row(static_cast<Eigen::Index>(i));
      plain.row(t) += points.row(static_cast<Eigen::Index>(i));
      wsum[t] += w(i);
      ++cnt[t];
    }
    for (std::size_t t = 0; t < p; ++t) {
      const auto ti = static_cast<Eigen::Index>(t);
      if (wsum[t] > 0)
        sum.row(ti) /= wsum[t];
      else if (cnt[t] > 0)
        sum.row(ti) = plain.row(ti) / static_cast<double>(cnt[t]);
    }
    for (std::size_t i = 0; i < n; ++i) {
      const auto t = assignment[static_cast<account_index>(i)];
      if (t == no_territory) continue;
      q.wcss += w(i) * (points.row(static_cast<Eigen::Index>(i)) - sum.row(t)).squaredNorm();
    }
  }
  double mean = 0.0;
  for (double t : q.totals) mean += t;
  mean = p > 0 ? mean / static_cast<double>(p) : 0.0;
  if (mean > 0) {
    for (double t : q.totals) q.max_deviation = std::max(q.max_deviation, std::abs(t / mean - 1.0));
  }
  if (graph != nullptr) {
    q.pieces.assign(p, 0);
    std::vector<char> seen(n, 0);
    std::vector<account_index> queue;
    for (std::size_t s = 0; s < n; ++s) {
      const auto t = assignment[static_cast<account_index>(s)];
      if (seen[s] || t == no_territory) continue;
      ++q.pieces[t];
      queue.assign(1, static_cast<account_index>(s));
      seen[s] = 1;
      for (std::size_t h = 0; h < queue.size(); ++h) {
        for (auto v : graph->neighbors(queue[h])) {
          if (!seen[v] && assignment[v] == t) {
            seen[v] = 1;
            queue.push_back(v);
          }
        }
      }
    }
    q.contiguous = std::all_of(q.pieces.begin(), q.pieces.end(), [](std::uint32_t c) { return c <= 1; });
  }
  return q;
}

}  // namespace territory
