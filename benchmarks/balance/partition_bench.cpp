// The issue-6 table: contiguous, balanced, compact partitioning of CTDP instances
// (Ríos-Mercado & Fernández 2009 generator, benchmarks/support/ctdp.hpp), with METIS
// (multi-constraint, with and without -contig) side by side on the same instances.
//
// Solvers: ours (territory::partition with the case's time limit: it searches for compactness
// until then), ours_first (the same with stop_when_feasible: time to the first feasible plan),
// ours_flat / ours_flat_first (the same with multilevel = never: the single-level engine; only on
// the cases above the multilevel threshold, where ours runs the multilevel driver), metis_contig, metis.
// Cases: n=500 p=10 (20 seeds), n=2,000 clustered p=20, n=10,000 p=100, n=100,000 p=500,
// n=1,000,000 p=1,000 (Delaunay, uniform), n=1,000,000 p=1,000 (rook grid), all tau=0.05. Each benchmark runs once (Iterations(1)); its
// counters come from the independent checker benchmarks/support/plan_check.hpp:
//   seconds       mean wall time per instance (solver call only)
//   max_seconds   slowest instance
//   feasible      fraction of instances feasible (complete, balanced within tau, contiguous)
//   worst_dev     worst |sum/mean - 1| over all instances, territories and activities
//   worst_over / worst_under  the same split into excess (heaviest) and shortfall (lightest)
//   disconnected  disconnected territories, summed over the instances
//   max_diam      mean over instances of the max Euclidean territory diameter
//   first_feasible_s (ours) mean over feasible runs of the time to the first feasible plan:
//                 partition_result::seconds_to_feasible (the engine's record, wall time of the
//                 winning start), else an upper bound from the progress reports (~100 ms apart)
//   before_limit  (ours) runs that returned before the time limit (converged, or first feasible)
//   gave_up       (ours) runs that returned before the time limit without a feasible plan
//   claimed_ok    (ours) fraction where the engine's own feasible() agrees with the checker
//   solve_peak_rss_mb  peak resident memory (MB) from just before the first solve to the end
//                 (the instances, already built, are included; their generation is not)
//   checkers_agree fraction where evaluate_plan (plan/metrics.hpp) and the local check_plan agree
// Smoke mode (TERRITORY_BENCH_SMOKE=1): n=500 only, 2 seeds, 0.05 s limit.
// Environment: TERRITORY_BENCH_THREADS (default 1), TERRITORY_BENCH_TIME_SCALE (multiplies
// the time limits, default 1), TERRITORY_BENCH_MULTILEVEL (always | never: the mode of "ours"),
// TERRITORY_BENCH_SMOOTH (0 = partition_options::smooth off; default 1).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

// The engine side is compiled only when the engine exists (it landed progressively).
#if __has_include(<territory/balance/partition.hpp>) && !defined(TERRITORY_BENCH_NO_ENGINE)
#include <territory/balance/partition.hpp>
#define TERRITORY_BENCH_HAVE_ENGINE 1
#endif

#include "bench_common.hpp"
#include "support/ctdp.hpp"
#include "support/memory.hpp"
#include "support/metis_peer.hpp"
#include "support/plan_check.hpp"


namespace {

using territory::bench::instance;
using territory::bench::layout;

struct case_spec {
  std::string label;
  std::size_t n;
  territory::territory_index p;
  layout kind;
  unsigned seeds;
  double time_limit;  // seconds, the target
};

using territory::bench::env_double;

// One-slot cache: ours and both METIS variants of a case share its instances.
const std::vector<instance>& instances_of(const case_spec& c) {
  static std::string key;
  static std::unique_ptr<std::vector<instance>> cache;
  if (!cache || key != c.label) {
    cache.reset();
    cache = std::make_unique<std::vector<instance>>();
    for (unsigned s = 0; s < c.seeds; ++s) cache->push_back(territory::bench::make_ctdp(c.n, c.p, c.kind, 1000 + s));
    key = c.label;
  }
  return *cache;
}

struct tally {
  double seconds = 0, max_seconds = 0, feasible = 0, worst_dev = 0, worst_over = 0, worst_under = 0;
  double disconnected = 0, diam = 0, agree = 0, cut = 0;
  unsigned count = 0, failed = 0;
  void add(double secs, const territory::bench::plan_quality& q) {
    ++count;
    seconds += secs;
    max_seconds = std::max(max_seconds, secs);
    feasible += q.feasible() ? 1 : 0;
    worst_dev = std::max(worst_dev, q.worst_deviation);
    worst_over = std::max(worst_over, q.worst_over);
    worst_under = std::max(worst_under, q.worst_under);
    disconnected += static_cast<double>(q.disconnected);
    diam += q.max_diameter;
    agree += q.checkers_agree ? 1 : 0;
    cut += static_cast<double>(q.cut_edges);
  }
  void publish(benchmark::State& state) const {
    const double k = count > 0 ? count : 1;
    if (agree < count) {
      territory::bench::wrong_claim(state, std::to_string(count - static_cast<unsigned>(agree)) +
                                               " plan(s) where evaluate_plan and check_plan disagree");
    }
    state.counters["seconds"] = seconds / k;
    state.counters["max_seconds"] = max_seconds;
    state.counters["feasible"] = feasible / k;
    state.counters["worst_dev"] = worst_dev;
    state.counters["worst_over"] = worst_over;
    state.counters["worst_under"] = worst_under;
    state.counters["disconnected"] = disconnected;
    state.counters["max_diam"] = diam / k;
    state.counters["instances"] = count;
    state.counters["checkers_agree"] = agree / k;
    state.counters["cut_edges"] = cut / k;
    if (failed > 0) state.counters["failed_runs"] = failed;
  }
};

#if defined(TERRITORY_BENCH_HAVE_ENGINE)
// TERRITORY_BENCH_MULTILEVEL=always|never overrides the mode of "ours" (default automatic).
territory::multilevel_mode ours_mode() {
  const char* v = std::getenv("TERRITORY_BENCH_MULTILEVEL");
  const std::string s = v != nullptr ? v : "";
  if (s == "always") return territory::multilevel_mode::always;
  if (s == "never") return territory::multilevel_mode::never;
  return territory::multilevel_mode::automatic;
}

void run_ours(benchmark::State& state, const case_spec& c, bool first_feasible, bool flat) {
  const auto& insts = instances_of(c);
  const auto threads = static_cast<unsigned>(env_double("TERRITORY_BENCH_THREADS", 1));
  const double limit = c.time_limit * env_double("TERRITORY_BENCH_TIME_SCALE", 1.0);
  tally t;
  double claimed_ok = 0;
  std::uint64_t moves = 0;
  unsigned early = 0, gave_up = 0, first_count = 0;
  double first_seen = 0;
  territory::bench::reset_peak_rss();
  for (auto _ : state) {
    for (const auto& inst : insts) {
      double seen_feasible = -1;  // first progress report with no violation (coarse: ~100 ms)
      const territory::partition_options opt{
          .territories = inst.p,
          .tolerance = {inst.tau},
          .seed = 7,
          .threads = threads,
          .time_limit_seconds = limit,
          .on_progress = [&seen_feasible](const territory::progress& pg) {
            if (pg.violations == 0 && seen_feasible < 0) seen_feasible = pg.seconds;
            return false;
          },
          .stop_when_feasible = first_feasible,
          .multilevel = flat ? territory::multilevel_mode::never : ours_mode(),
          .smooth = env_double("TERRITORY_BENCH_SMOOTH", 1) != 0};
      const auto t0 = std::chrono::steady_clock::now();
      auto r = territory::partition(inst.activities, inst.xy, inst.graph, opt);
      const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (r.feasible()) {
        // The engine's own record when it has one (seconds_to_feasible), else the progress reports.
        double first = seen_feasible >= 0 ? std::min(seen_feasible, secs) : secs;
        if (r.seconds_to_feasible >= 0) first = r.seconds_to_feasible;
        first_seen += first;
        ++first_count;
      }
      state.PauseTiming();
      const auto q = territory::bench::evaluate(inst, r.assignment);
      t.add(secs, q);
      claimed_ok += (r.feasible() == q.feasible()) ? 1 : 0;
      moves += r.stats.moves;
      if (r.why_stopped != territory::status::time_limit) ++early;
      if (!r.feasible() && r.why_stopped != territory::status::time_limit) ++gave_up;
      state.ResumeTiming();
    }
  }
  t.publish(state);
  state.counters["solve_peak_rss_mb"] = territory::bench::peak_rss_mb();
  state.counters["before_limit"] = early;
  state.counters["gave_up"] = gave_up;
  if (first_count > 0) state.counters["first_feasible_s"] = first_seen / first_count;
  state.counters["claimed_ok"] = claimed_ok / std::max(1U, t.count);
  if (claimed_ok < t.count) {
    territory::bench::wrong_claim(state, std::to_string(t.count - static_cast<unsigned>(claimed_ok)) +
                                             " run(s) where partition_result::feasible() disagrees with the checker");
  }
  state.counters["moves"] = static_cast<double>(moves) / std::max(1U, t.count);
  state.SetItemsProcessed(static_cast<std::int64_t>(t.count * c.n));
}
#endif

void run_metis(benchmark::State& state, const case_spec& c, bool contig) {
  if (!territory::bench::have_metis) {
    territory::bench::skipped(state, "built without METIS (the METIS peer rows only)");
    for (auto _ : state) {
    }
    return;
  }
  const auto& insts = instances_of(c);
  tally t;
  territory::bench::reset_peak_rss();
  for (auto _ : state) {
    for (const auto& inst : insts) {
      auto r = territory::bench::metis_partition(inst, {.contig = contig, .seed = 1});
      state.PauseTiming();
      if (!r.ok()) {
        ++t.failed;
      } else {
        t.add(r.seconds, territory::bench::evaluate(inst, r.assignment));
      }
      state.ResumeTiming();
    }
  }
  t.publish(state);
  state.counters["solve_peak_rss_mb"] = territory::bench::peak_rss_mb();
  state.SetItemsProcessed(static_cast<std::int64_t>(t.count * c.n));
}

std::vector<case_spec> cases() {
  if (territory::bench::smoke()) return {{"n500_p10_uniform", 500, 10, layout::uniform, 2, 0.05}};
  return {
      {"n500_p10_uniform", 500, 10, layout::uniform, 20, 0.5},
      {"n2000_p20_clustered", 2000, 20, layout::clustered, 5, 1.0},
      {"n10000_p100_uniform", 10000, 100, layout::uniform, 3, 5.0},
      {"n100000_p500_uniform", 100000, 500, layout::uniform, 1, 30.0},
      {"n1000000_p1000_uniform", 1000000, 1000, layout::uniform, 1, 300.0},
      {"n1000000_p1000_grid", 1000000, 1000, layout::grid, 1, 300.0},
  };
}

}  // namespace

int main(int argc, char** argv) {
  for (const auto& c : cases()) {
#if defined(TERRITORY_BENCH_HAVE_ENGINE)
    for (bool flat : {false, true}) {
      if (flat && c.n < 100000) continue;  // below the multilevel threshold ours is the single-level engine
      for (bool first : {false, true}) {
        const std::string name = std::string(flat ? "/ours_flat" : "/ours") + (first ? "_first" : "");
        benchmark::RegisterBenchmark(("partition/" + c.label + name).c_str(),
                                     [c, first, flat](benchmark::State& s) { run_ours(s, c, first, flat); })
            ->Iterations(1)
            ->UseRealTime()
            ->Unit(benchmark::kMillisecond);
      }
    }
#endif
    for (bool contig : {true, false}) {
      benchmark::RegisterBenchmark(("partition/" + c.label + (contig ? "/metis_contig" : "/metis")).c_str(),
                                   [c, contig](benchmark::State& s) { run_metis(s, c, contig); })
          ->Iterations(1)
          ->UseRealTime()
          ->Unit(benchmark::kMillisecond);
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
