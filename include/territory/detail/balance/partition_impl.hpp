#pragma once

// Bodies of balance/partition.hpp: validation, precheck, construction, search, evaluation.

#include <algorithm>
#include <atomic>
#include <thread>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include <Eigen/Core>

#include "territory/balance/partition.hpp"
#include "territory/balance/precheck.hpp"
#include "territory/detail/balance/common.hpp"
#include "territory/detail/balance/construct.hpp"
#include "territory/detail/balance/evaluate.hpp"
#include "territory/detail/balance/problem.hpp"
#include "territory/detail/balance/search.hpp"
#include "territory/detail/balance/smooth.hpp"
#include "territory/detail/graph/knn_graph.hpp"
#include "territory/graph/components.hpp"

namespace territory::detail::balance {

// The multilevel driver (multilevel.hpp, included below); std::nullopt = run the single-level engine.
template <class Distance>
std::optional<partition_result> run_multilevel(const Eigen::Ref<const Eigen::MatrixXd>& acts,
                                               const Eigen::Ref<const Eigen::MatrixX2d>& xy,
                                               const adjacency& search_graph, const adjacency* report_graph,
                                               const partition_options& o, const Distance& dist);

template <class Distance>
partition_result run_partition(const Eigen::Ref<const Eigen::MatrixXd>& acts, const Eigen::Ref<const Eigen::MatrixX2d>& xy,
                               const adjacency& search_graph, const adjacency* report_graph,
                               const partition_options& o, const Distance& dist) {
  if (o.multilevel != multilevel_mode::never) {
    if (auto ml = run_multilevel(acts, xy, search_graph, report_graph, o, dist)) return std::move(*ml);
  }
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
    r.violations.insert(r.violations.begin(), pre.begin(), pre.end());
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
  // Multi-start: start s uses derive_seed(seed, s); starts run on `threads` threads; the best
  // by (feasible, excess, max diameter, dispersion, start index) wins (center_distance: dispersion
  // before max diameter).
  // Auto starts: clamp(50000/n, 1, 24) per thread, and at most 8 per second of time limit (at least 4),
  // so that short limits leave time for the iterated local search below (a count, not a clock).
  const unsigned auto_starts = static_cast<unsigned>(std::min<std::size_t>(
      std::clamp<std::size_t>(50000 / std::max<std::size_t>(n, 1), 1, 24),
      std::max<std::size_t>(4, static_cast<std::size_t>(std::ceil(8.0 * std::min(o.time_limit_seconds, 1e6))))));
  const unsigned batch = o.starts != 0 ? o.starts : auto_starts * o.threads;
  // Auto mode: while no start has found a feasible plan and time is left, run another batch of starts
  // (at most 4 batches). Deterministic: the number of batches depends on outcomes, not on timing,
  // unless the time limit intervenes.
  const unsigned max_batches = o.starts != 0 ? 1U : 4U;
  std::size_t balanced_columns = 0;  // columns with a non-zero total (the others are always satisfied)
  for (std::size_t j = 0; j < m; ++j) balanced_columns += pr.tau[j] < 1e299 ? 1 : 0;
  unsigned starts = batch;
  const unsigned workers = std::min(o.threads, starts);
  search_limits lim;
  lim.iteration_limit = o.iteration_limit;
  // The boundary smoothing (smooth.hpp) gets the last smooth_time_share of the limit: the compactness
  // search stops before it; a start still looking for its first feasible plan may use the whole limit.
  const bool smoothing = smooth_enabled(o);
  const auto full_deadline = t0 + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                      std::chrono::duration<double>(o.time_limit_seconds));
  lim.deadline = t0 + std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(
                          o.time_limit_seconds * (smoothing ? 1.0 - smooth_time_share : 1.0)));
  lim.stop_when_feasible = o.stop_when_feasible;
  lim.kicks = o.kicks;
  lim.measure = o.compactness;
  lim.t0 = t0;
  std::vector<search_outcome> out(batch * max_batches);
  std::atomic<bool> cancelled{false};
  std::atomic<unsigned> next{0};
  const auto caller = std::this_thread::get_id();
  auto last_report = t0;
  auto work = [&] {
    for (;;) {
      const unsigned s = next.fetch_add(1);
      if (s >= starts) return;
      if (s > 0 && std::chrono::steady_clock::now() >= lim.deadline) {  // no time left: skip this start
        out[s].stopped_by_time = true;
        continue;
      }
      const auto seed = derive_seed(o.seed, s);
      rng gen(seed);
      const fast_distance<Distance> fd{dist};
      // Two constructions: k-means++ seeds + region growing (O(n·p), skipped above 10^6) and recursive
      // weighted bisection (O(n log n log p)); the one with the smaller balance excess starts the search
      // (growing on ties). Growing leaves very unequal maps (ZIP areas) far from balance. Bisection cuts
      // by the mean of the balanced columns: with several, it competes only where growing is skipped
      // (US counties, population + housing at 6 %: from bisection no start was feasible in 30 s).
      std::vector<territory_index> start;
      double start_excess = std::numeric_limits<double>::max();
      if (n * p <= 1000000) {
        const auto seeds = choose_seeds(pr, gen, fd);
        start = grow_regions(pr, seeds, fd);
        start_excess = plan_excess(pr, start);
      }
      if (start_excess > 1e-9 && (balanced_columns <= 1 || start.empty())) {
        auto bis = bisect_regions(pr, gen);
        if (plan_excess(pr, bis) < start_excess) start = std::move(bis);
      }
      const bool is_caller = std::this_thread::get_id() == caller;
      searcher<Distance> srch(pr, dist, derive_seed(seed, 1),
                              [&, is_caller, s](std::uint64_t it, double obj) {
                                if (cancelled.load(std::memory_order_relaxed)) return true;
                                if (o.stop.stop_requested()) {
                                  cancelled = true;
                                  return true;
                                }
                                if (is_caller && o.on_progress) {
                                  const auto now = std::chrono::steady_clock::now();
                                  if (now - last_report >= std::chrono::milliseconds(100) || it == 64) {
                                    last_report = now;
                                    progress pg{"search", it, std::chrono::duration<double>(now - t0).count(), obj, 0};
                                    if (o.on_progress(pg)) {
                                      cancelled = true;
                                      return true;
                                    }
                                  }
                                }
                                (void)s;
                                return false;
                              });
      // each start gets a share of the time left to this worker
      search_limits mine = lim;
      mine.hard_deadline = full_deadline;
      const auto now = std::chrono::steady_clock::now();
      if (now < lim.deadline) {
        const unsigned left = (starts - s + workers - 1) / workers;
        // at least a third of the time left: a start cut short is worth little, later starts are skipped
        mine.deadline = now + (lim.deadline - now) / std::clamp(left, 1U, 3U);
      }
      out[s] = srch.run(std::move(start), mine);
    }
  };
  for (unsigned b = 0; b < max_batches; ++b) {
    starts = batch * (b + 1);
    next = batch * b;
    if (workers <= 1) {
      work();
    } else {
      std::vector<std::thread> pool;
      for (unsigned w = 1; w < workers; ++w) pool.emplace_back(work);
      work();
      for (auto& th : pool) th.join();
    }
    bool any = false;
    for (unsigned s = 0; s < starts; ++s) any = any || out[s].balance_excess <= 1e-9;
    if (any || !pre.empty() || cancelled.load() || std::chrono::steady_clock::now() >= lim.deadline) break;
  }
  out.resize(starts);
  std::size_t best = 0;
  for (std::size_t s = 1; s < out.size(); ++s) {
    if (better(out[s], out[best], o.compactness)) best = s;
  }
  // Iterated local search from the best plans (max_diameter only; center_distance kicks every start):
  // the `workers` best starts are kicked `ils` times each, in parallel, and compete with the starts.
  // The budget is a count derived from n and the time limit (deterministic): about 20,000 account-kicks
  // per second of limit, at most 30 (DL n = 1,000 at 2 s: 30; n = 2,500: 16; US counties n = 3,109 at
  // 10 s or more: 30; n >= 10^5 at 10 s: 2).
  {
    const unsigned ils = o.starts != 0 || o.compactness != compactness::max_diameter
                             ? 0U
                             : static_cast<unsigned>(std::clamp(o.time_limit_seconds * 20000.0 / static_cast<double>(n), 0.0, 30.0));
    if (ils > 0 && out[best].balance_excess <= 1e-9 && !cancelled.load() && pre.empty() && !lim.stop_when_feasible &&
        std::chrono::steady_clock::now() < lim.deadline) {
      // iterated local search from the best plans: the `workers` best starts, in parallel
      std::vector<std::size_t> idx(out.size());
      for (std::size_t s = 0; s < idx.size(); ++s) idx[s] = s;
      std::stable_sort(idx.begin(), idx.end(), [&](std::size_t x, std::size_t y) { return better(out[x], out[y], o.compactness); });
      const std::size_t k = std::min<std::size_t>(workers, idx.size());
      std::vector<search_outcome> ils_out(k);
      auto run_ils = [&](std::size_t i) {
        const auto seed = derive_seed(o.seed, 1000000 + i);
        searcher<Distance> srch(pr, dist, seed, [&](std::uint64_t, double) {
          if (o.stop.stop_requested()) { cancelled = true; return true; }
          return cancelled.load(std::memory_order_relaxed);
        });
        search_limits mine = lim;
        mine.kicks = ils;
        mine.hard_deadline = full_deadline;
        ils_out[i] = srch.run(out[idx[i]].assign, mine);
      };
      std::vector<std::thread> pool;
      for (std::size_t i = 1; i < k; ++i) pool.emplace_back(run_ils, i);
      run_ils(0);
      for (auto& th : pool) th.join();
      for (auto& x : ils_out) out.push_back(std::move(x));
      for (std::size_t s = 0; s < out.size(); ++s) {
        if (better(out[s], out[best], o.compactness)) best = s;
      }
    }
  }
  bool by_limit = false, by_time = false;
  for (const auto& x : out) {
    r.stats.iterations += x.iterations;
    r.stats.moves += x.moves;
    by_limit = by_limit || x.stopped_by_limit;
    by_time = by_time || x.stopped_by_time;
  }
  r.stats.objective_trace = out[best].trace;
  r.seconds_to_feasible = -1.0;  // the first start to meet every constraint
  for (const auto& x : out) {
    if (x.seconds_to_feasible >= 0.0 && (r.seconds_to_feasible < 0.0 || x.seconds_to_feasible < r.seconds_to_feasible)) {
      r.seconds_to_feasible = x.seconds_to_feasible;
    }
  }
  if (smoothing && !cancelled.load()) {
    const auto so = run_smoothing(pr, dist, out[best].assign, o, full_deadline);
    r.stats.moves += so.moves;
    if (so.stopped && o.stop.stop_requested()) {
      cancelled = true;
    } else if (so.stopped) {
      by_time = true;
    }
  }
  evaluate(r, out[best].assign, acts, xy, report_graph, o, dist);
  if (smoothing) trace_smoothed(r, o);
  set_stop_reason(r, pre, cancelled.load(), by_time, by_limit);
  r.stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace territory::detail::balance

#include "territory/detail/balance/multilevel.hpp"  // IWYU pragma: keep (defines run_multilevel)

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
