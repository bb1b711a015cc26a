#pragma once

// Independent checking of a plan on a benchmark instance: balance, contiguity, empty
// territories, Euclidean diameter and (aly2024) shortest-path diameter. `check_plan` here is
// written without any code of the engine or of plan/metrics.hpp; `evaluate` takes its headline
// figures from the library's `evaluate_plan` (plan/metrics.hpp) when that header exists and
// records whether the two checkers agree (`checkers_agree`), so that neither can silently
// inherit a bug of the other or of the engine.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <queue>
#include <span>
#include <utility>
#include <vector>

#include <territory/core/plan.hpp>

#include "support/ctdp.hpp"

#if __has_include(<territory/plan/metrics.hpp>)
#include <territory/plan/metrics.hpp>
#define TERRITORY_BENCH_HAVE_METRICS 1
#endif

namespace territory::bench {

struct plan_quality {
  bool complete = false;            // every unit has a territory < p
  std::size_t empty = 0;            // territories without units
  double worst_deviation = 0;       // max over territories and activities of |sum/mean - 1|
  double worst_over = 0;            // max of sum/mean - 1 (the heaviest territory's excess)
  double worst_under = 0;           // max of 1 - sum/mean (the lightest territory's shortfall)
  std::size_t disconnected = 0;     // territories with more than one component in the graph
  double max_diameter = 0;          // max Euclidean distance between two units of a territory
  double max_sp_diameter = 0;       // same with shortest-path distances over graph lengths (if computed)
  std::size_t cut_edges = 0;        // graph edges whose two units are in different territories
  bool balanced = false;            // worst_deviation <= tau (+1e-9)
  bool checkers_agree = true;       // evaluate(): evaluate_plan and check_plan give the same verdict and figures
  [[nodiscard]] bool feasible() const { return complete && empty == 0 && balanced && disconnected == 0; }
};

namespace detail_check {

inline double cross(const std::array<double, 2>& o, const std::array<double, 2>& a, const std::array<double, 2>& b) {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

// Diameter of a point set: convex hull (monotone chain), then all hull pairs.
inline double diameter(std::vector<std::array<double, 2>>& p) {
  if (p.size() < 2) return 0;
  std::sort(p.begin(), p.end());
  std::vector<std::array<double, 2>> h(2 * p.size());
  std::size_t k = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    while (k >= 2 && cross(h[k - 2], h[k - 1], p[i]) <= 0) --k;
    h[k++] = p[i];
  }
  for (std::size_t i = p.size() - 1, t = k + 1; i-- > 0;) {
    while (k >= t && cross(h[k - 2], h[k - 1], p[i]) <= 0) --k;
    h[k++] = p[i];
  }
  h.resize(k > 1 ? k - 1 : 1);
  if (h.size() == 1) h.push_back(p.back());  // all points identical or collinear fallback
  double best = 0;
  for (std::size_t i = 0; i < h.size(); ++i) {
    for (std::size_t j = i + 1; j < h.size(); ++j) {
      best = std::max(best, std::hypot(h[i][0] - h[j][0], h[i][1] - h[j][1]));
    }
  }
  // Collinear sets: the hull loop keeps the two extremes, so this is exact as well.
  return best;
}

}  // namespace detail_check

/// Max shortest-path distance (graph edge lengths, whole graph) between two units of the
/// same territory. O(n · (e log n)): for instances of a few thousand units.
[[nodiscard]] inline double shortest_path_diameter(const instance& inst, std::span<const territory_index> a) {
  const auto n = inst.size();
  double best = 0;
  std::vector<double> dist(n);
  using item = std::pair<double, account_index>;
  for (std::size_t s = 0; s < n; ++s) {
    std::fill(dist.begin(), dist.end(), std::numeric_limits<double>::infinity());
    std::priority_queue<item, std::vector<item>, std::greater<>> q;
    dist[s] = 0;
    q.push({0.0, static_cast<account_index>(s)});
    while (!q.empty()) {
      auto [d, v] = q.top();
      q.pop();
      if (d > dist[v]) continue;
      auto nb = inst.graph.neighbors(v);
      auto len = inst.graph.lengths(v);
      for (std::size_t k = 0; k < nb.size(); ++k) {
        const double nd = d + (len.empty() ? 1.0 : len[k]);
        if (nd < dist[nb[k]]) {
          dist[nb[k]] = nd;
          q.push({nd, nb[k]});
        }
      }
    }
    for (std::size_t t = s + 1; t < n; ++t) {
      if (a[t] == a[s]) best = std::max(best, dist[t]);
    }
  }
  return best;
}

/// Evaluates a plan (one territory per unit) against the instance's p and tau.
/// Complexity: O(n log n + e) (+ shortest_path_diameter when `with_sp`).
[[nodiscard]] inline plan_quality check_plan(const instance& inst, std::span<const territory_index> a,
                                             bool with_sp = false) {
  plan_quality q;
  const auto n = inst.size();
  const auto p = inst.p;
  const auto m = inst.activities.cols();
  q.complete = a.size() == n;
  for (auto t : a) {
    if (t >= p) q.complete = false;
  }
  if (!q.complete) return q;
  Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(p, m);
  std::vector<std::size_t> count(p, 0);
  for (std::size_t i = 0; i < n; ++i) {
    sums.row(a[i]) += inst.activities.row(static_cast<Eigen::Index>(i));
    ++count[a[i]];
  }
  const Eigen::RowVectorXd mean = inst.activities.colwise().sum() / static_cast<double>(p);
  for (territory_index t = 0; t < p; ++t) {
    if (count[t] == 0) ++q.empty;
    for (Eigen::Index j = 0; j < m; ++j) {
      if (mean(j) <= 0) continue;
      const double r = sums(t, j) / mean(j) - 1.0;
      q.worst_deviation = std::max(q.worst_deviation, std::abs(r));
      q.worst_over = std::max(q.worst_over, r);
      q.worst_under = std::max(q.worst_under, -r);
    }
  }
  q.balanced = q.worst_deviation <= inst.tau + 1e-9;
  // Contiguity: components of each territory's induced subgraph.
  std::vector<std::uint8_t> seen(n, 0);
  std::vector<std::size_t> comps(p, 0);
  std::vector<account_index> stack;
  for (std::size_t s = 0; s < n; ++s) {
    if (seen[s]) continue;
    ++comps[a[s]];
    seen[s] = 1;
    stack.assign(1, static_cast<account_index>(s));
    while (!stack.empty()) {
      const auto v = stack.back();
      stack.pop_back();
      for (auto w : inst.graph.neighbors(v)) {
        if (!seen[w] && a[w] == a[v]) {
          seen[w] = 1;
          stack.push_back(w);
        }
      }
    }
  }
  for (auto c : comps) {
    if (c > 1) ++q.disconnected;
  }
  for (std::size_t s = 0; s < n; ++s) {
    for (auto w : inst.graph.neighbors(static_cast<account_index>(s))) q.cut_edges += w > s && a[w] != a[s] ? 1 : 0;
  }
  // Euclidean diameters.
  std::vector<std::vector<std::array<double, 2>>> pts(p);
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    pts[a[i]].push_back({inst.xy(r, 0), inst.xy(r, 1)});
  }
  for (auto& v : pts) q.max_diameter = std::max(q.max_diameter, detail_check::diameter(v));
  if (with_sp) q.max_sp_diameter = shortest_path_diameter(inst, a);
  return q;
}

/// Evaluates a plan with `evaluate_plan` (plan/metrics.hpp) when available, cross-checked
/// against `check_plan`; falls back to `check_plan` alone.
[[nodiscard]] inline plan_quality evaluate(const instance& inst, const plan& assignment, bool with_sp = false) {
  plan_quality q = check_plan(inst, assignment.assignment(), with_sp);
#if defined(TERRITORY_BENCH_HAVE_METRICS)
  if (assignment.size() != inst.size() || assignment.territory_count() != inst.p) {
    q.checkers_agree = !q.feasible();
    return q;
  }
  const auto m = evaluate_plan(inst.activities, inst.xy, &inst.graph, assignment, {.tolerance = {inst.tau}});
  const auto close = [](double x, double y) { return std::abs(x - y) <= 1e-9 * std::max(1.0, std::abs(y)); };
  q.checkers_agree = m.feasible() == q.feasible() && close(m.max_deviation, q.worst_deviation) &&
                     close(m.max_diameter, q.max_diameter) && m.noncontiguous == q.disconnected &&
                     m.cut_edges == q.cut_edges;
  q.worst_deviation = m.max_deviation;
  q.max_diameter = m.max_diameter;
  q.disconnected = m.noncontiguous;
  q.complete = m.unassigned == 0;
  q.balanced = true;
  q.empty = 0;
  for (const auto& v : m.violations) {
    if (v.kind == constraint_kind::balance) q.balanced = false;
    if (v.kind == constraint_kind::empty) ++q.empty;
  }
#endif
  return q;
}

}  // namespace territory::bench
