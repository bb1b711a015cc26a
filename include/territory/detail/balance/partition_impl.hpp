#pragma once

// Bodies of balance/partition.hpp. One call: validation, precheck (once), the search (the single-level
// engine `solve_single`, or the multilevel driver of multilevel.hpp, which runs `solve_single` on its
// coarsest level), then evaluate (once) on the original input.
//
// Threads: the thread count fixes the plan (which starts run, how many ILS runs); the work is pulled
// from shared counters, so the plan does not depend on how many OS threads actually run it. An
// exception on any thread stops the others and is rethrown on the caller's thread after joining.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include <Eigen/Core>
#include <fmt/format.h>

#include "territory/balance/partition.hpp"
#include "territory/balance/precheck.hpp"
#include "territory/detail/balance/common.hpp"
#include "territory/detail/balance/construct.hpp"
#include "territory/detail/balance/evaluate.hpp"
#include "territory/detail/balance/problem.hpp"
#include "territory/detail/balance/renumber.hpp"
#include "territory/detail/balance/search.hpp"
#include "territory/detail/balance/smooth.hpp"
#include "territory/detail/balance/tuning.hpp"
#include "territory/detail/graph/knn_graph.hpp"
#include "territory/graph/components.hpp"

namespace territory::detail::balance {

/// What one partition() call shares between its threads and stages: the stop flag (stop token,
/// callback, or a worker's exception), the first exception, progress on the calling thread.
class run_control {
 public:
  using clock = std::chrono::steady_clock;
  run_control(const partition_options& o, clock::time_point t0)
      : o_(o), t0_(t0), deadline_(deadline_after(t0, o.time_limit_seconds * o.safety_stop_factor)),
        caller_(std::this_thread::get_id()) {}

  [[nodiscard]] clock::time_point t0() const noexcept { return t0_; }
  /// The safety stop: t0 + time_limit_seconds × safety_stop_factor (saturated).
  [[nodiscard]] clock::time_point deadline() const noexcept { return deadline_; }
  /// The compactness search's safety stop: the whole limit, or, when the boundary smoothing pass
  /// follows, all but its share (smooth_time_share) so that the pass is not starved by a binding limit.
  [[nodiscard]] clock::time_point search_deadline(bool reserve_smoothing) const noexcept {
    if (!reserve_smoothing) return deadline_;
    return std::min(deadline_,
                    deadline_after(t0_, o_.time_limit_seconds * o_.safety_stop_factor * (1.0 - smooth_time_share)));
  }
  [[nodiscard]] bool cancelled() const noexcept { return cancelled_.load(std::memory_order_relaxed); }
  /// Records a stop request seen outside a searcher's poll (the smoothing pass's stop-token check).
  void cancel() noexcept { cancelled_ = true; }

  /// True once a stop was requested (stop token, the callback, a failed worker).
  bool stop_requested() {
    if (cancelled_.load(std::memory_order_relaxed)) return true;
    if (o_.stop.stop_requested()) {
      cancelled_ = true;
      return true;
    }
    return false;
  }

  /// A searcher's poll: stop requests, and progress on the calling thread (the first poll of each
  /// phase, then at most every 100 ms). Reports the best of this run's plan and of the finished runs'.
  bool poll(std::string_view phase, std::uint64_t it, double objective, std::size_t violations) {
    if (stop_requested()) return true;
    if (!o_.on_progress || std::this_thread::get_id() != caller_) return false;
    const auto now = clock::now();
    if (reported_ && phase == last_phase_ && now - last_report_ < kProgressInterval) return false;
    reported_ = true;
    last_report_ = now;
    last_phase_ = phase;
    std::uint64_t done = 0;
    {
      const std::lock_guard lock(mu_);
      done = done_iterations_;
      if (have_best_ && key(best_violations_, best_objective_) < key(violations, objective)) {
        objective = best_objective_;
        violations = best_violations_;
      }
    }
    const progress pg{phase, done + it, std::chrono::duration<double>(now - t0_).count(), objective, violations};
    if (o_.on_progress(pg)) {
      cancelled_ = true;
      return true;
    }
    return false;
  }

  /// A run (start, ILS run, level) finished: its iterations and best plan count for progress.
  void finished(std::uint64_t iterations, double objective, std::size_t violations) {
    const std::lock_guard lock(mu_);
    done_iterations_ += iterations;
    if (!have_best_ || key(violations, objective) < key(best_violations_, best_objective_)) {
      have_best_ = true;
      best_objective_ = objective;
      best_violations_ = violations;
    }
  }

  void fail(std::exception_ptr e) {
    {
      const std::lock_guard lock(mu_);
      if (!error_) error_ = std::move(e);
    }
    cancelled_ = true;
  }
  void rethrow_if_failed() {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  static std::pair<bool, double> key(std::size_t violations, double objective) { return {violations > 0, objective}; }
  const partition_options& o_;
  clock::time_point t0_, deadline_;
  std::thread::id caller_;
  std::atomic<bool> cancelled_{false};
  std::mutex mu_;
  std::exception_ptr error_;
  bool reported_ = false;  // caller thread only
  std::string_view last_phase_;
  clock::time_point last_report_{};
  std::uint64_t done_iterations_ = 0;
  bool have_best_ = false;
  double best_objective_ = 0.0;
  std::size_t best_violations_ = 0;
};

/// OS threads for `threads` logical threads: at most 4 per hardware thread (the plan is the same).
inline unsigned os_threads(unsigned threads) {
  const unsigned hw = std::max(1U, std::thread::hardware_concurrency());
  return std::max(1U, std::min(threads, 4U * hw));
}

/// Runs `fn` on `threads` threads (the caller's among them) and joins them. `fn` pulls its work
/// items from a shared counter, so fewer threads (the system refused one) give the same result.
/// An exception thrown by `fn` on any thread stops the others (through `ctl`) and is rethrown here,
/// on the calling thread, after every thread has been joined.
template <class Fn>
void run_parallel(unsigned threads, run_control& ctl, Fn&& fn) {
  auto guarded = [&] {
    try {
      fn();
    } catch (...) {
      ctl.fail(std::current_exception());
    }
  };
  std::vector<std::thread> pool;
  if (threads > 1) {
    try {
      pool.reserve(threads - 1);
      for (unsigned w = 1; w < threads; ++w) pool.emplace_back(guarded);
    } catch (...) {  // no more threads: the ones running (and this one) do the work
    }
  }
  guarded();
  for (auto& th : pool) th.join();
  ctl.rethrow_if_failed();
}

/// What the single-level engine is asked to do. The multilevel driver's coarse solve passes its own.
struct engine_settings {
  std::uint64_t seed = default_seed;
  double time_value = 10.0;           // the time limit's VALUE the counts and work budgets derive from
  std::uint64_t iteration_limit = 0;  // per start and per ILS run (0 = none)
  unsigned threads = 1;               // logical threads (capped): they fix the plan
  unsigned starts = 0;                // 0 = auto (capped)
  bool stop_when_feasible = false;
  unsigned kicks = 0;
  compactness measure = compactness::max_diameter;
  bool known_infeasible = false;  // precheck found something: no further batches, no ILS
  bool reserve_smoothing = false; // the boundary smoothing pass follows: leave it its share of the limit
  const std::vector<territory_index>* initial = nullptr;  // a starting plan for start 0 (partition_options)
};

/// The engine's answer: the best plan and how the runs ended.
struct engine_result {
  search_outcome best;
  std::uint64_t iterations = 0, moves = 0;
  bool by_time = false;   // the wall clock (safety stop) or a work budget derived from the time limit
  bool by_limit = false;  // partition_options::iteration_limit
  double seconds_to_feasible = -1.0;
};

/// The multilevel driver's plan and how its stages ended (run_partition evaluates it).
struct multilevel_outcome {
  std::vector<territory_index> assign;
  std::uint64_t iterations = 0, moves = 0;
  std::vector<double> trace;
  double seconds_to_feasible = -1.0;
  bool by_time = false, by_limit = false;
};

// The multilevel driver (multilevel.hpp, included below); std::nullopt = run the single-level engine.
// It may renumber `fine` along a spatial order for its finest search (renumber.hpp): then `renum`
// holds the order and graph, and the outcome's plan is in that numbering.
template <class Distance>
std::optional<multilevel_outcome> run_multilevel(problem& fine, const engine_settings& es, run_control& ctl,
                                                 const partition_options& o, const Distance& dist, renumbering& renum);

/// Number of territories per graph component of `pr.graph`, from the activities `acts` (one column
/// per input column; `zero_col` marks the all-zero ones). Returns the number of components.
inline std::size_t allocate_territories(problem& pr, const Eigen::Ref<const Eigen::MatrixXd>& acts,
                                        const std::vector<double>& tau, const std::vector<char>& zero_col) {
  const auto shares = component_activity(acts, *pr.graph);
  pr.comp_territories = allocate_components(shares, pr.p, tau, zero_col);
  pr.comp_label = shares.comp.label;
  return shares.comp.count;
}

/// The engine settings of a call's options (threads and starts capped).
inline engine_settings settings_of(const partition_options& o, bool known_infeasible) {
  engine_settings es;
  es.seed = o.seed;
  es.time_value = o.time_limit_seconds;
  es.iteration_limit = o.iteration_limit;
  es.threads = std::min(o.threads, kMaxThreads);
  es.starts = std::min(o.starts, kMaxStarts);
  es.stop_when_feasible = o.stop_when_feasible;
  es.kicks = o.kicks;
  es.measure = o.compactness;
  es.known_infeasible = known_infeasible;
  es.reserve_smoothing = smooth_enabled(o);
  if (!o.initial_assignment.empty()) es.initial = &o.initial_assignment;
  return es;
}

/// Multi-start search on `pr` (components allocated), then an iterated local search from the best
/// starts. No precheck, no evaluation: the caller does both once.
template <class Distance>
engine_result solve_single(const problem& pr, const engine_settings& es, run_control& ctl, const Distance& dist) {
  const std::size_t n = pr.n;
  const double T = es.time_value;
  // Multi-start: start s uses derive_seed(seed, s); the best by (feasible, excess, max diameter,
  // dispersion, start index) wins (center_distance: dispersion before max diameter).
  // Auto starts: clamp(50000/n, 1, 24) per thread, and at most 8 per second of time limit (at least 4).
  // ... and no more than the starts' work budget pays kMinRunBudget iterations each (short limits on
  // large maps: the floors would otherwise add up beyond the limit).
  // per logical thread, half for the starts
  const std::uint64_t thread_work = work_budget(T, n, pr.p, pr.medians.empty() ? 1.0 : kMedianBoundCost);
  const auto auto_starts = static_cast<unsigned>(std::min<std::uint64_t>(
      std::min<std::size_t>(
          std::clamp<std::size_t>(kAutoStartWork / std::max<std::size_t>(n, 1), 1, kMaxAutoStartsPerThread),
          std::max<std::size_t>(kMinAutoStarts, static_cast<std::size_t>(std::ceil(kAutoStartsPerSecond * std::min(T, 1e6))))),
      std::max<std::uint64_t>(1, thread_work / 2 / kMinRunBudget)));
  const unsigned batch = std::min(kMaxStarts, es.starts != 0 ? es.starts : auto_starts * es.threads);
  // Auto mode: while no start has found a feasible plan and the work budget allows, another batch
  // (at most 4). Work budgets, not the clock: the same plan on an idle or a loaded machine.
  const unsigned max_batches = es.starts != 0 ? 1U : kMaxBatches;
  const std::uint64_t start_work = std::max<std::uint64_t>(kMinRunBudget, thread_work / 2 * es.threads / batch);
  const std::uint64_t ils_work = std::max<std::uint64_t>(kMinRunBudget, thread_work / 2);
  const std::uint64_t starts_total_work = thread_work / 2 * es.threads;
  const unsigned workers = std::min(es.threads, batch);

  search_limits lim;
  // Safety stops only (the work budgets end the runs): a start still looking for its first balanced
  // plan may run to the whole limit; the compactness search leaves the smoothing pass its share.
  lim.deadline = ctl.search_deadline(es.reserve_smoothing);
  lim.hard_deadline = ctl.deadline();
  lim.stop_when_feasible = es.stop_when_feasible;
  lim.kicks = es.kicks;
  lim.measure = es.measure;
  lim.t0 = ctl.t0();
  const std::uint64_t user_limit = es.iteration_limit;
  const std::size_t balanced_columns = pr.mb;

  std::vector<search_outcome> out;
  out.reserve(static_cast<std::size_t>(batch) * max_batches);
  std::atomic<unsigned> next{0};
  unsigned starts = 0;
  auto finish_run = [&](const search_outcome& x) {
    ctl.finished(x.iterations, x.balance_excess > kBalanceEps ? x.balance_excess
                               : es.measure == compactness::center_distance ? x.dispersion : x.max_diameter,
                 x.balance_excess > kBalanceEps ? 1 : 0);
  };
  auto work = [&] {
    for (;;) {
      const unsigned s = next.fetch_add(1);
      if (s >= starts) return;
      // start 0 always runs (the plan is complete in every case); after a cancel no new construction
      if (s > 0 && ctl.stop_requested()) continue;
      if (s > 0 && std::chrono::steady_clock::now() >= lim.deadline) {  // safety stop: skip this start
        out[s].stopped_by_time = true;
        continue;
      }
      const auto seed = derive_seed(es.seed, s);
      rng gen(seed);
      const fast_distance<Distance> fd{dist};
      // Two constructions: k-means++ seeds + region growing (O(n·p), skipped above 10^6) and recursive
      // weighted bisection (O(n log n log p)); the one with the smaller balance excess starts the search
      // (growing on ties). Growing leaves very unequal maps (ZIP areas) far from balance. Bisection cuts
      // by the mean of the balanced columns: with several, it competes only where growing is skipped
      // (US counties, population + housing at 6 %: from bisection no start was feasible in 30 s).
      std::vector<territory_index> start;
      double start_excess = std::numeric_limits<double>::max();
      if (s == 0 && es.initial != nullptr) {  // the caller's starting plan (territory identity kept)
        start = *es.initial;
      } else if (!pr.locked.empty() || !pr.seeds.empty()) {
        // locks: every territory grows from its locked accounts; seeds: every start grows from them
        start = grow_from_locks(pr, gen, fd);
      } else if (n * pr.p <= kGrowingMaxWork || !pr.share.empty()) {  // shares: no bisection, so always grow
        const auto seeds = choose_seeds(pr, gen, fd);
        start = grow_regions(pr, seeds, fd);
        start_excess = plan_excess(pr, start);
      }
      // bisection ignores locks and cuts by territory counts (not target shares)
      const bool seeded = !pr.seeds.empty();  // grown from the seeds above: keep it
      const bool constructed = pr.locked.empty() && pr.share.empty() && !seeded && !(s == 0 && es.initial != nullptr);
      if (constructed && start_excess > 1e-9 && (balanced_columns <= 1 || start.empty())) {
        auto bis = bisect_regions(pr, gen);
        if (plan_excess(pr, bis) < start_excess) start = std::move(bis);
      }
      searcher<Distance> srch(pr, dist, derive_seed(seed, 1), [&](std::uint64_t it, double obj, std::size_t v) {
        return ctl.poll("search", it, obj, v);
      });
      search_limits mine = lim;
      mine.iteration_limit = min_limit(user_limit, start_work);
      // while a start has no balanced plan it may go on: the first start of each thread for
      // kUnbalancedBudgetFactor times its thread's whole budget, the others for kUnbalancedBudgetFactorLater
      // times their own (counts by start index: deterministic)
      mine.unbalanced_iteration_limit =
          min_limit(user_limit, s < workers ? kUnbalancedBudgetFactor * std::max(start_work, thread_work)
                                            : kUnbalancedBudgetFactorLater * start_work);
      out[s] = srch.run(std::move(start), mine);
      finish_run(out[s]);
    }
  };
  std::uint64_t used = 0;
  for (unsigned b = 0; b < max_batches; ++b) {
    starts = batch * (b + 1);
    out.resize(starts);
    next = batch * b;
    run_parallel(os_threads(workers), ctl, work);
    for (unsigned s = batch * b; s < starts; ++s) used += out[s].iterations;
    bool any = false;
    for (unsigned s = 0; s < starts; ++s) any = any || out[s].balance_excess <= kBalanceEps;
    if (any || es.known_infeasible || ctl.cancelled() || std::chrono::steady_clock::now() >= lim.deadline) break;
    if (used >= starts_total_work) break;  // the starts' work budget is spent
  }
  std::size_t best = 0;
  for (std::size_t s = 1; s < out.size(); ++s) {
    if (better(out[s], out[best], es.measure)) best = s;
  }
  // Iterated local search from the best plans (max_diameter only; center_distance kicks every start):
  // the kIlsRunsPerThread * `workers` best starts are kicked `ils` times each, in parallel, and
  // compete with the starts; the runs share the threads' ILS budgets (workers * W/2) equally. Several runs
  // per thread because the first descent of an ILS run (continuing a start its budget cut short) is
  // where it gains; later kicks rarely beat it (DL n <= 2,500: one run 1.022x, three 1.014x).
  // The number of kicks is a count derived from n and the time limit's value: about 20,000
  // account-kicks per second of limit, at most 30 (DL n = 1,000 at 2 s: 30; n = 2,500: 16; US counties
  // n = 3,109 at 10 s or more: 30; n >= 10^5 at 10 s: 2); each run also has a work budget.
  const unsigned ils = es.starts != 0 || es.measure != compactness::max_diameter
                           ? 0U
                           : static_cast<unsigned>(std::clamp(T * kIlsAccountKicksPerSecond / static_cast<double>(n), 0.0, kMaxIlsKicks));
  if (ils > 0 && out[best].balance_excess <= kBalanceEps && !ctl.cancelled() && !es.known_infeasible &&
      !lim.stop_when_feasible && std::chrono::steady_clock::now() < lim.deadline) {
    std::vector<std::size_t> idx(out.size());
    for (std::size_t s = 0; s < idx.size(); ++s) idx[s] = s;
    std::stable_sort(idx.begin(), idx.end(), [&](std::size_t x, std::size_t y) { return better(out[x], out[y], es.measure); });
    // (an unbalanced start among them continues its balance phase first: on DL del-n2500-k40-s25162, where
    // 1 of 7 starts balanced within its budget, the runs from the 3 best gave 0.897x the best known, from
    // the balanced one alone 0.965x)
    const std::size_t k = std::min<std::size_t>(std::size_t{workers} * kIlsRunsPerThread, idx.size());
    const std::uint64_t run_work = std::max<std::uint64_t>(kMinRunBudget, ils_work * workers / k);
    std::vector<search_outcome> ils_out(k);
    std::atomic<std::size_t> next_ils{0};
    run_parallel(os_threads(std::min<unsigned>(workers, static_cast<unsigned>(k))), ctl, [&] {  // runs pulled by index: the threads asked for, not one per run
      for (;;) {
        if (ctl.stop_requested()) return;
        const std::size_t i = next_ils.fetch_add(1);
        if (i >= k) return;
        searcher<Distance> srch(pr, dist, derive_seed(es.seed, kIlsSeedStream + i),
                                [&](std::uint64_t it, double obj, std::size_t v) { return ctl.poll("ils", it, obj, v); });
        search_limits mine = lim;
        mine.kicks = ils;
        mine.iteration_limit = min_limit(user_limit, run_work);
        ils_out[i] = srch.run(out[idx[i]].assign, mine);
        finish_run(ils_out[i]);
      }
    });
    for (auto& x : ils_out) {
      if (!x.assign.empty()) out.push_back(std::move(x));  // a run skipped after a cancel has no plan
    }
    for (std::size_t s = 0; s < out.size(); ++s) {
      if (!out[s].assign.empty() && better(out[s], out[best], es.measure)) best = s;
    }
  }
  engine_result er;
  for (const auto& x : out) {
    er.iterations += x.iterations;
    er.moves += x.moves;
    er.by_time = er.by_time || x.stopped_by_time;
    if (x.stopped_by_limit) {
      // the user's iteration limit, or the work budget derived from the time limit
      if (user_limit != 0 && x.iterations >= user_limit) {
        er.by_limit = true;
      } else {
        er.by_time = true;
      }
    }
    if (x.seconds_to_feasible >= 0.0 && (er.seconds_to_feasible < 0.0 || x.seconds_to_feasible < er.seconds_to_feasible)) {
      er.seconds_to_feasible = x.seconds_to_feasible;
    }
  }
  er.best = std::move(out[best]);
  return er;
}

}  // namespace territory::detail::balance

#include "territory/detail/balance/multilevel.hpp"  // IWYU pragma: keep (defines run_multilevel)

namespace territory::detail::balance {

/// The plan for p > n: every account alone, accounts locked to a territory in it, the free ones in the
/// lowest unused territories. O(n + p).
inline std::vector<territory_index> alone_plan(std::size_t n, std::size_t p, const std::vector<territory_index>& locked) {
  std::vector<territory_index> assign(n, no_territory);
  std::vector<char> used(p, 0);
  for (std::size_t a = 0; a < n && !locked.empty(); ++a) {
    if (locked[a] != no_territory) {
      assign[a] = locked[a];
      used[locked[a]] = 1;
    }
  }
  std::size_t next = 0;
  for (std::size_t a = 0; a < n; ++a) {
    if (assign[a] != no_territory) continue;
    while (used[next]) ++next;
    assign[a] = static_cast<territory_index>(next);
    used[next] = 1;
  }
  return assign;
}

/// Notes on capped options (partition_options::threads and ::starts).
inline std::vector<std::string> cap_notes(const partition_options& o) {
  std::vector<std::string> notes;
  if (o.threads > kMaxThreads) {
    notes.push_back(fmt::format("threads = {} is above the cap of {}: {} threads were used (the plan is the one of "
                                "threads = {})",
                                o.threads, kMaxThreads, kMaxThreads, kMaxThreads));
  }
  if (o.starts > kMaxStarts) {
    notes.push_back(fmt::format("starts = {} is above the cap of {}: {} starts were run", o.starts, kMaxStarts, kMaxStarts));
  }
  return notes;
}

template <class Distance>
partition_result run_partition(const Eigen::Ref<const Eigen::MatrixXd>& acts, const Eigen::Ref<const Eigen::MatrixX2d>& xy,
                               const adjacency& search_graph, const adjacency* report_graph,
                               const partition_options& o, const Distance& dist) {
  const auto t0 = std::chrono::steady_clock::now();
  run_control ctl(o, t0);
  partition_result r;
  const std::size_t n = static_cast<std::size_t>(acts.rows());
  const std::size_t m = static_cast<std::size_t>(acts.cols());
  const std::size_t p = o.territories;
  r.stats.seed = o.seed;
  r.stats.threads = std::min(o.threads, kMaxThreads);
  r.precheck = precheck_with_coordinates(acts, report_graph, xy, o, dist);  // the only precheck of the call
  const auto& pre = r.precheck;
  const auto tau = expand_tolerance(o, m);
  std::vector<territory_index> assign;
  bool by_time = false, by_limit = false;
  if (p > n) {  // every account alone (locked ones with their lock); the rest stay empty
    assign = alone_plan(n, p, o.locked);
  } else {
    problem pr = make_problem(acts, xy, tau, p);
    add_business_constraints(pr, o.min_counts, o.median_bounds, o.locked, o.max_diameter);
    add_skills(pr, o.skills);
    set_target_shares(pr, o.target_shares, o.skills);
    pr.seeds = o.seeds;
    pr.graph = &search_graph;
    const engine_settings es = settings_of(o, !pre.empty());
    std::optional<multilevel_outcome> ml;
    renumbering renum;  // set when the multilevel driver renumbered pr for its finest search
    if (o.multilevel != multilevel_mode::never) ml = run_multilevel(pr, es, ctl, o, dist, renum);
    if (ml) {
      assign = std::move(ml->assign);
      r.stats.iterations = ml->iterations;
      r.stats.moves = ml->moves;
      r.stats.objective_trace = std::move(ml->trace);
      r.seconds_to_feasible = ml->seconds_to_feasible;
      by_time = ml->by_time;
      by_limit = ml->by_limit;
    } else {
      std::vector<char> zero_col(m, 0);
      for (std::size_t j = 0; j < m; ++j) zero_col[j] = pr.balanced[j] ? 0 : 1;
      allocate_territories(pr, acts, tau, zero_col);
      auto er = solve_single(pr, es, ctl, dist);
      assign = std::move(er.best.assign);
      r.stats.iterations = er.iterations;
      r.stats.moves = er.moves;
      r.stats.objective_trace = std::move(er.best.trace);
      r.seconds_to_feasible = er.seconds_to_feasible;
      by_time = er.by_time;
      by_limit = er.by_limit;
    }
    // Boundary smoothing (smooth.hpp) on the final plan, on the original accounts whichever driver ran.
    if (smooth_enabled(o) && !ctl.cancelled()) {
      const auto so = run_smoothing(pr, dist, assign, o, ctl.deadline());
      r.stats.moves += so.moves;
      if (so.stopped && o.stop.stop_requested()) {
        ctl.cancel();
      } else if (so.stopped) {
        by_time = true;
      }
    }
    if (!renum.empty()) assign = renum.restore(assign);  // back to the caller's numbering
  }
  evaluate(r, assign, acts, xy, report_graph, o, dist);  // the only evaluation of the call
  if (smooth_enabled(o)) trace_smoothed(r, o);
  r.graph_components = report_graph ? connected_components(*report_graph).count : 1;
  set_stop_reason(r, pre, ctl.cancelled(), by_time, by_limit);
  set_constraint_status(r, assign, o);
  if (pre.empty() && !r.violations.empty()) diagnose(r, assign, acts, search_graph, o);
  for (auto& note : cap_notes(o)) r.notes.push_back(std::move(note));
  r.stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace territory::detail::balance

namespace territory {

template <distance_policy Distance>
partition_result partition(Eigen::Ref<const Eigen::MatrixXd> activities, Eigen::Ref<const Eigen::MatrixX2d> coordinates,
                           const adjacency& graph, const partition_options& options, Distance distance) {
  static_assert(hull_distance<Distance>::value,
                "territory::partition(): the Distance policy must be one whose diameters can be taken over convex "
                "hulls of the coordinates (euclidean, haversine, drive_time). A travel_matrix or another "
                "non-geometric policy gives meaningless compactness; if yours grows with the distance between the "
                "coordinates, opt in with: template <> struct territory::hull_distance<YourPolicy> : std::true_type {};");
  detail::balance::validate_common(activities, &graph, options, "partition()");
  detail::balance::validate_coordinates(coordinates, static_cast<std::size_t>(activities.rows()), "partition()");
  return detail::balance::run_partition(activities, coordinates, graph, &graph, options, distance);
}

template <distance_policy Distance>
partition_result partition(Eigen::Ref<const Eigen::MatrixXd> activities, Eigen::Ref<const Eigen::MatrixX2d> coordinates,
                           const partition_options& options, Distance distance) {
  static_assert(hull_distance<Distance>::value,
                "territory::partition(): the Distance policy must be one whose diameters can be taken over convex "
                "hulls of the coordinates (euclidean, haversine, drive_time). A travel_matrix or another "
                "non-geometric policy gives meaningless compactness; if yours grows with the distance between the "
                "coordinates, opt in with: template <> struct territory::hull_distance<YourPolicy> : std::true_type {};");
  detail::balance::validate_common(activities, nullptr, options, "partition()");
  detail::balance::validate_coordinates(coordinates, static_cast<std::size_t>(activities.rows()), "partition()");
  const auto g = detail::graph::knn_graph(coordinates, 8);
  return detail::balance::run_partition(activities, coordinates, g, nullptr, options, distance);
}

}  // namespace territory
