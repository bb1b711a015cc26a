#pragma once

// The multilevel driver of partition() (issue 6), for 10^5-10^6 accounts:
//
//  1. Coarsen: heavy-edge matchings (coarsen.hpp) until at most max(30·p, min(30,000, n/8)) nodes
//     remain or a level shrinks by less than 10 %. A match never makes a node heavier than 1/8 of a
//     territory mean in a balanced column. Levels whose coarsest graph would leave a component fewer
//     nodes than territories are dropped.
//  2. Solve the coarsest instance with the single-level engine (run_partition with the multilevel
//     switch off: component allocation, multi-start, search), with a share of the time limit
//     (40 %; 70 % with stop_when_feasible).
//  3. Uncoarsen: project the plan level by level; at each intermediate level a `searcher` started
//     from the projected plan repairs balance if the projection is not feasible (stop at the first
//     feasible plan) or else, on levels of at most 100,000 nodes, rounds the territories off (one
//     compaction sweep); the finest level runs the full search (balance, then compactness) with the
//     time left (with stop_when_feasible and a feasible projection: a sweep up to 100,000 accounts).
//  4. Evaluate the plan on the original input (evaluate.hpp), exactly as the single-level engine.
//
// Coarse sums equal fine sums and a contiguous coarse plan projects to a contiguous fine plan, so a
// feasible coarse plan is feasible at every finer level. The precheck runs on the original accounts.
// Determinism: the matchings use rng(derive_seed(seed, kLevelStream)), the levels' searchers
// derive_seed(seed, kLevelStream + level); same seed and threads give the same plan as long as no
// stage hits its time share (why_stopped != time_limit).

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "territory/balance/multilevel_mode.hpp"
#include "territory/balance/partition_options.hpp"
#include "territory/balance/partition_result.hpp"
#include "territory/core/progress.hpp"
#include "territory/core/random.hpp"
#include "territory/core/status.hpp"
#include "territory/detail/balance/coarsen.hpp"
#include "territory/detail/balance/common.hpp"
#include "territory/detail/balance/evaluate.hpp"
#include "territory/detail/balance/partition_impl.hpp"
#include "territory/detail/balance/precheck_impl.hpp"
#include "territory/detail/balance/problem.hpp"
#include "territory/detail/balance/search.hpp"
#include "territory/detail/balance/smooth.hpp"
#include "territory/graph/adjacency.hpp"
#include "territory/graph/components.hpp"

namespace territory::detail::balance {

inline constexpr std::size_t multilevel_threshold = 100000;  // automatic: multilevel when n >= this
inline constexpr std::size_t coarse_nodes_per_territory = 30;
inline constexpr std::size_t coarse_min_nodes = 30000;
inline constexpr double coarse_cap = 0.125;                   // max node activity, in territory means
inline constexpr std::size_t max_sweep_nodes = 100000;         // compaction sweeps only on levels up to this size
inline constexpr std::uint64_t kLevelStream = 0x4D4C000000ULL;  // "ML": apart from the starts' streams

/// Balance excess B of `assign` on the normalised problem (0 = balanced within every tolerance).
inline double balance_excess_of(const problem& pr, const std::vector<territory_index>& assign) {
  std::vector<double> s(pr.p * pr.m, 0.0);
  for (std::size_t a = 0; a < pr.n; ++a) {
    for (std::size_t j = 0; j < pr.m; ++j) s[assign[a] * pr.m + j] += pr.w[a * pr.m + j];
  }
  double b = 0.0;
  for (std::size_t t = 0; t < pr.p; ++t) {
    for (std::size_t j = 0; j < pr.m; ++j) {
      if (pr.tau[j] > 1e299) continue;
      b += std::max(0.0, std::abs(s[t * pr.m + j] - 1.0) - pr.tau[j]);
    }
  }
  return b;
}

/// Coarsening hierarchy: levels[0] is made from the original graph, levels.back() is the coarsest.
/// Empty when the graph cannot be coarsened usefully.
inline std::vector<coarse_level> build_hierarchy(const problem& fine, std::uint64_t seed, const std::stop_token& stop) {
  const std::size_t n = fine.n, m = fine.m, p = fine.p;
  std::vector<char> balanced(m, 0);
  for (std::size_t j = 0; j < m; ++j) balanced[j] = fine.tau[j] < 1e299 ? 1 : 0;
  const std::size_t target = std::max(coarse_nodes_per_territory * p, std::min(coarse_min_nodes, n / 8));
  rng gen(derive_seed(seed, kLevelStream));
  std::vector<coarse_level> levels;
  level_view cur{fine.graph, {}, fine.w, m, fine.xy, {}};
  while (cur.graph->size() > target && !stop.stop_requested()) {
    auto next = coarsen(cur, balanced, coarse_cap, gen);
    if (next.size() * 10 > cur.graph->size() * 9) break;  // shrank by less than 10 %
    levels.push_back(std::move(next));
    cur = levels.back().view(m);
  }
  // Every component must keep at least as many coarse nodes as territories it receives.
  while (!levels.empty()) {
    const auto& c = levels.back();
    const auto nc = static_cast<Eigen::Index>(c.size());
    Eigen::MatrixXd cw(nc, static_cast<Eigen::Index>(m));
    for (Eigen::Index a = 0; a < nc; ++a) {
      for (std::size_t j = 0; j < m; ++j) cw(a, static_cast<Eigen::Index>(j)) = c.w[static_cast<std::size_t>(a) * m + j];
    }
    const auto shares = component_activity(cw, c.graph);
    std::vector<char> zero_col(m, 0);
    for (std::size_t j = 0; j < m; ++j) zero_col[j] = balanced[j] ? 0 : 1;
    const auto alloc = allocate_components(shares, p, fine.tau, zero_col);
    std::vector<std::size_t> nodes(shares.comp.count, 0);
    for (auto l : shares.comp.label) ++nodes[l];
    bool ok = true;
    for (std::size_t k = 0; k < alloc.size(); ++k) ok = ok && nodes[k] >= alloc[k];
    if (ok) break;
    levels.pop_back();
  }
  return levels;
}

/// The driver; std::nullopt = not applicable (mode, size, p > n, nothing to balance, graph does not
/// coarsen), and the caller runs the single-level engine.
template <class Distance>
std::optional<partition_result> run_multilevel(const Eigen::Ref<const Eigen::MatrixXd>& acts,
                                               const Eigen::Ref<const Eigen::MatrixX2d>& xy,
                                               const adjacency& search_graph, const adjacency* report_graph,
                                               const partition_options& o, const Distance& dist) {
  using clock = std::chrono::steady_clock;
  const std::size_t n = static_cast<std::size_t>(acts.rows());
  const std::size_t m = static_cast<std::size_t>(acts.cols());
  const std::size_t p = o.territories;
  if (o.multilevel == multilevel_mode::never) return std::nullopt;
  if (o.multilevel == multilevel_mode::automatic && n < multilevel_threshold) return std::nullopt;
  if (p == 0 || p > n) return std::nullopt;
  const auto t0 = clock::now();
  const auto deadline = t0 + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(o.time_limit_seconds));
  auto since = [&](clock::time_point t) { return std::chrono::duration<double>(t - t0).count(); };

  problem fine = make_problem(acts, xy, expand_tolerance(o, m), p);
  fine.graph = &search_graph;
  if (std::none_of(fine.tau.begin(), fine.tau.end(), [](double t) { return t < 1e299; })) return std::nullopt;
  std::vector<coarse_level> levels = build_hierarchy(fine, o.seed, o.stop);
  if (levels.empty()) return std::nullopt;

  auto pre = precheck_impl(acts, report_graph, o);  // on the original accounts: explanations name them

  bool cancelled = false;
  auto last_report = t0;
  auto poll = [&](std::uint64_t it, double obj) {
    if (cancelled) return true;
    if (o.stop.stop_requested()) {
      cancelled = true;
      return true;
    }
    if (o.on_progress) {
      const auto now = clock::now();
      if (now - last_report >= std::chrono::milliseconds(100)) {
        last_report = now;
        if (o.on_progress(progress{"refine", it, since(now), obj, 0})) {
          cancelled = true;
          return true;
        }
      }
    }
    return false;
  };

  // ---- the coarsest instance, by the single-level engine ----
  const coarse_level& top = levels.back();
  const auto nc = static_cast<Eigen::Index>(top.size());
  Eigen::MatrixXd cacts(nc, static_cast<Eigen::Index>(m));
  Eigen::MatrixX2d cxy(nc, 2);
  for (Eigen::Index a = 0; a < nc; ++a) {
    for (std::size_t j = 0; j < m; ++j) cacts(a, static_cast<Eigen::Index>(j)) = top.w[static_cast<std::size_t>(a) * m + j];
    cxy(a, 0) = top.xy[static_cast<std::size_t>(a)][0];
    cxy(a, 1) = top.xy[static_cast<std::size_t>(a)][1];
  }
  const double offset = since(clock::now());
  partition_options co;
  co.territories = o.territories;
  co.tolerance = o.tolerance;
  co.seed = o.seed;
  co.threads = o.threads;
  co.time_limit_seconds = std::max(1e-3, (o.time_limit_seconds - offset) * (o.stop_when_feasible ? 0.7 : 0.4));
  co.iteration_limit = o.iteration_limit;
  if (o.on_progress) {
    co.on_progress = [&](const progress& pg) {
      progress q = pg;
      q.seconds += offset;
      if (o.on_progress(q)) {
        cancelled = true;
        return true;
      }
      return false;
    };
  }
  co.stop = o.stop;
  co.activity_names = o.activity_names;
  co.starts = o.starts;
  co.stop_when_feasible = o.stop_when_feasible;
  co.kicks = o.kicks;
  co.compactness = o.compactness;
  co.multilevel = multilevel_mode::never;
  co.smooth = false;  // the finest level is smoothed below
  const partition_result cr = run_partition(cacts, cxy, top.graph, report_graph ? &top.graph : nullptr, co, dist);
  cancelled = cancelled || o.stop.stop_requested() || cr.why_stopped == status::cancelled;
  std::vector<territory_index> assign(cr.assignment.assignment().begin(), cr.assignment.assignment().end());
  std::uint64_t iterations = cr.stats.iterations, moves = cr.stats.moves;
  double first = cr.seconds_to_feasible >= 0.0 ? offset + cr.seconds_to_feasible : -1.0;
  bool by_time = cr.why_stopped == status::time_limit, by_limit = cr.why_stopped == status::iteration_limit;
  std::vector<double> trace;

  // ---- uncoarsen and refine ----
  for (std::size_t k = levels.size(); k-- > 0;) {
    {
      const auto& map = levels[k].fine_to_coarse;
      std::vector<territory_index> finer(map.size());
      for (std::size_t v = 0; v < map.size(); ++v) finer[v] = assign[map[v]];
      assign = std::move(finer);
      levels[k] = coarse_level{};  // refined and projected: free its graph and map
    }
    const bool finest = k == 0;
    problem lvl;
    if (!finest) {
      auto& src = levels[k - 1];
      lvl.n = src.size();
      lvl.m = m;
      lvl.p = p;
      lvl.w = std::move(src.w);
      lvl.tau = fine.tau;
      lvl.xy = std::move(src.xy);
      lvl.graph = &src.graph;
    }
    const problem& pr = finest ? fine : lvl;
    if (cancelled || o.stop.stop_requested()) {
      cancelled = true;
      continue;  // project only: the plan stays complete
    }
    search_limits lim;
    lim.t0 = t0;
    lim.measure = o.compactness;
    lim.deadline = deadline;
    lim.hard_deadline = deadline;
    const bool feasible_start = balance_excess_of(pr, assign) <= 1e-9;
    const bool sweep_only = feasible_start && (!finest || o.stop_when_feasible);
    // A compaction sweep costs O(n·deg) per pass, up to 30 passes. Measured on the 10^6 instance
    // (stop_when_feasible): on the levels above 10^5 nodes the sweeps took 4-12 s each and the max
    // diameter did not fall (84 -> 88); there the projected feasible plan is kept as it is.
    if (sweep_only && pr.n > max_sweep_nodes) continue;
    if (sweep_only) {
      lim.iteration_limit = 1;  // one compaction sweep (run() sweeps before its first limit check)
    } else if (finest) {
      lim.iteration_limit = o.iteration_limit;
      lim.stop_when_feasible = o.stop_when_feasible;
      lim.kicks = o.kicks;
      if (smooth_enabled(o)) {  // the smoothing pass below gets the last share of the limit
        const auto reserve = std::chrono::duration_cast<clock::duration>(
            std::chrono::duration<double>(o.time_limit_seconds * smooth_time_share));
        lim.deadline = std::max(clock::now(), deadline - reserve);
      }
    } else {
      // repair balance here (cheaper than on the finer levels), with a share of the time left
      lim.iteration_limit = o.iteration_limit;
      lim.stop_when_feasible = true;
      const auto now = clock::now();
      if (now < deadline) lim.deadline = lim.hard_deadline = now + (deadline - now) / static_cast<long>(k + 1);
    }
    searcher<Distance> srch(pr, dist, derive_seed(o.seed, kLevelStream + 1 + k), poll);
    auto out = srch.run(std::move(assign), lim);
    assign = std::move(out.assign);
    iterations += out.iterations;
    moves += out.moves;
    if (out.seconds_to_feasible >= 0.0 && (first < 0.0 || out.seconds_to_feasible < first)) first = out.seconds_to_feasible;
    cancelled = cancelled || out.stopped_by_cancel;
    by_time = by_time || out.stopped_by_time;
    if (finest) {
      by_limit = by_limit || (out.stopped_by_limit && !sweep_only);
      trace = std::move(out.trace);
      if (smooth_enabled(o) && !cancelled) {
        const auto so = run_smoothing(pr, dist, assign, o, deadline);
        moves += so.moves;
        if (so.stopped && o.stop.stop_requested()) {
          cancelled = true;
        } else if (so.stopped) {
          by_time = true;
        }
      }
    }
  }

  partition_result r;
  r.stats.seed = o.seed;
  r.stats.threads = o.threads;
  evaluate(r, assign, acts, xy, report_graph, o, dist);
  r.graph_components = report_graph ? connected_components(*report_graph).count : 1;
  set_stop_reason(r, pre, cancelled, by_time, by_limit);
  r.stats.iterations = iterations;
  r.stats.moves = moves;
  r.stats.objective_trace = std::move(trace);
  if (smooth_enabled(o)) trace_smoothed(r, o);
  r.seconds_to_feasible = first;
  r.stats.seconds = since(clock::now());
  return r;
}

}  // namespace territory::detail::balance
