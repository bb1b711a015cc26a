// Published instances, read at run time from $TERRITORY_PAPER_INSTANCES or
// /work/shared/paper-instances (never copied into the repository; skipped when absent):
//   commdis-DL (Gliesch, Ritt & Moreira 2018): 48 instances, n = 1,000-10,000, p = 5-160;
//     metric: max Euclidean territory diameter; contiguity and tau = 0.05 on 3 activities.
//     Time limit for ours: 2 s for n <= 2,500, 10 s above (the targets); ours_10s:
//     the n <= 2,500 instances again with 10 s (the "new best-knowns in <= 10 s").
//   aly2024-T (Aly et al. 2024): 30 instances, n = 500-700, p = 10; metric: max
//     shortest-path diameter over edge_lengths.csv (the paper does not require contiguity;
//     we do). Time limit 5 s. Two runs of ours: `ours` (Euclidean compactness, the default
//     policy) and `ours_sp` (support/graph_distance.hpp: the shortest-path metric itself).
// Counters per instance (independent checker, benchmarks/support/plan_check.hpp):
//   seconds, feasible (0/1), worst_dev, disconnected, diameter (the set's metric),
//   euclid_diam, reference (reference_best_diameter), ratio = diameter / reference, n, p;
//   ours also: claimed_ok, iterations, first_feasible_s (partition_result::seconds_to_feasible,
//   -1 if never), and the label = why the engine stopped.
// scripts/bench_partition.sh aggregates the JSON output into the table of docs/benchmarks.md.
// Smoke mode: the first instance of each set, 0.05 s. Environment: TERRITORY_BENCH_THREADS,
// TERRITORY_BENCH_TIME_SCALE (multiplies the limits), TERRITORY_BENCH_SEED (default 7),
// TERRITORY_BENCH_STARTS / TERRITORY_BENCH_KICKS (partition_options::starts / kicks; default 0 = the engine's),
// TERRITORY_BENCH_SMOOTH (0 = partition_options::smooth off; default 1). Counter cut_edges: graph edges
// between territories (the checker's count).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

// The engine side is compiled only when the engine exists (it landed progressively).
#if __has_include(<territory/balance/partition.hpp>) && !defined(TERRITORY_BENCH_NO_ENGINE)
#include <territory/balance/partition.hpp>
#define TERRITORY_BENCH_HAVE_ENGINE 1
#endif

#include "bench_common.hpp"
#include "support/ctdp.hpp"
#include "support/graph_distance.hpp"
#include "support/metis_peer.hpp"
#include "support/paper_instances.hpp"
#include "support/plan_check.hpp"


namespace {

using territory::bench::instance;

using territory::bench::env_double;

[[maybe_unused]] double time_limit_for(const instance& inst) {
  double base = 5.0;
  if (!inst.shortest_path_metric) base = inst.size() <= 2500 ? 2.0 : 10.0;
  if (territory::bench::smoke()) base = 0.05;
  return base * env_double("TERRITORY_BENCH_TIME_SCALE", 1.0);
}

void publish(benchmark::State& state, const instance& inst, double secs,
             const territory::bench::plan_quality& q) {
  const double diam = inst.shortest_path_metric ? q.max_sp_diameter : q.max_diameter;
  state.counters["seconds"] = secs;
  state.counters["feasible"] = q.feasible() ? 1 : 0;
  state.counters["worst_dev"] = q.worst_deviation;
  state.counters["disconnected"] = static_cast<double>(q.disconnected);
  state.counters["diameter"] = diam;
  state.counters["euclid_diam"] = q.max_diameter;
  state.counters["reference"] = inst.reference_best_diameter;
  state.counters["ratio"] = std::isnan(inst.reference_best_diameter) ? 0.0 : diam / inst.reference_best_diameter;
  state.counters["n"] = static_cast<double>(inst.size());
  state.counters["p"] = inst.p;
  state.counters["checkers_agree"] = q.checkers_agree ? 1 : 0;
  if (!q.checkers_agree) territory::bench::wrong_claim(state, "evaluate_plan and check_plan disagree on this plan");
  state.counters["cut_edges"] = static_cast<double>(q.cut_edges);
}

#if defined(TERRITORY_BENCH_HAVE_ENGINE)
// shortest_paths: optimise the set's own metric with graph_distance (aly2024) instead of the
// default Euclidean policy; the all-pairs precomputation is not timed.
void run_ours(benchmark::State& state, const std::filesystem::path& dir, bool shortest_paths, double limit_override) {
  const auto inst = territory::bench::load_paper_instance(dir);
  const territory::bench::graph_distance sp = shortest_paths ? territory::bench::graph_distance(inst)
                                                             : territory::bench::graph_distance();
  const territory::partition_options opt{
      .territories = inst.p,
      .tolerance = {inst.tau},
      .seed = static_cast<std::uint64_t>(env_double("TERRITORY_BENCH_SEED", 7)),
      .threads = static_cast<unsigned>(env_double("TERRITORY_BENCH_THREADS", 1)),
      .time_limit_seconds = limit_override > 0 ? limit_override * env_double("TERRITORY_BENCH_TIME_SCALE", 1.0)
                                               : time_limit_for(inst),
      .starts = static_cast<unsigned>(env_double("TERRITORY_BENCH_STARTS", 0)),
      .kicks = static_cast<unsigned>(env_double("TERRITORY_BENCH_KICKS", 0)),
      .smooth = env_double("TERRITORY_BENCH_SMOOTH", 1) != 0};
  double secs = 0;
  territory::partition_result r;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    r = shortest_paths ? territory::partition(inst.activities, inst.xy, inst.graph, opt, sp)
                       : territory::partition(inst.activities, inst.xy, inst.graph, opt);
    secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  const auto q = territory::bench::evaluate(inst, r.assignment, inst.shortest_path_metric);
  publish(state, inst, secs, q);
  state.counters["claimed_ok"] = r.feasible() == q.feasible() ? 1 : 0;
  if (r.feasible() != q.feasible()) {
    territory::bench::wrong_claim(state, std::string("partition_result::feasible() is ") + (r.feasible() ? "true" : "false") +
                                             ", the checker says " + (q.feasible() ? "true" : "false"));
  }
  state.counters["iterations"] = static_cast<double>(r.stats.iterations);
  state.counters["first_feasible_s"] = r.seconds_to_feasible;
  state.SetLabel(std::string(territory::to_string(r.why_stopped)));
}
#endif

void run_metis(benchmark::State& state, const std::filesystem::path& dir, bool contig) {
  if (!territory::bench::have_metis) {
    territory::bench::skipped(state, "built without METIS (the METIS peer rows only)");
    for (auto _ : state) {
    }
    return;
  }
  const auto inst = territory::bench::load_paper_instance(dir);
  territory::bench::metis_result r;
  for (auto _ : state) r = territory::bench::metis_partition(inst, {.contig = contig, .seed = 1});
  if (!r.ok()) {
    state.SkipWithError("METIS failed");
    return;
  }
  publish(state, inst, r.seconds, territory::bench::evaluate(inst, r.assignment, inst.shortest_path_metric));
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t registered = 0;
  for (const std::string set : {"commdis-DL", "aly2024-T"}) {
    auto dirs = territory::bench::paper_instance_dirs(set);
    if (territory::bench::smoke() && dirs.size() > 1) dirs.resize(1);
    for (const auto& dir : dirs) {
      const std::string base = "paper/" + set + "/" + dir.filename().string();
#if defined(TERRITORY_BENCH_HAVE_ENGINE)
      benchmark::RegisterBenchmark((base + "/ours").c_str(), [dir](benchmark::State& s) { run_ours(s, dir, false, 0); })
          ->Iterations(1)
          ->UseRealTime()
          ->Unit(benchmark::kMillisecond);
      const std::string name = dir.filename().string();
      const bool small_dl = set == "commdis-DL" && (name.rfind("del-n1000-", 0) == 0 || name.rfind("del-n2500-", 0) == 0);
      if (small_dl && !territory::bench::smoke()) {
        benchmark::RegisterBenchmark((base + "/ours_10s").c_str(), [dir](benchmark::State& s) { run_ours(s, dir, false, 10.0); })
            ->Iterations(1)
            ->UseRealTime()
            ->Unit(benchmark::kMillisecond);
      }
      if (std::filesystem::exists(dir / "edge_lengths.csv")) {
        benchmark::RegisterBenchmark((base + "/ours_sp").c_str(), [dir](benchmark::State& s) { run_ours(s, dir, true, 0); })
            ->Iterations(1)
            ->UseRealTime()
            ->Unit(benchmark::kMillisecond);
      }
#endif
      for (bool contig : {true, false}) {
        benchmark::RegisterBenchmark((base + (contig ? "/metis_contig" : "/metis")).c_str(),
                                     [dir, contig](benchmark::State& s) { run_metis(s, dir, contig); })
            ->Iterations(1)
            ->UseRealTime()
            ->Unit(benchmark::kMillisecond);
      }
      ++registered;
    }
  }
  if (registered == 0) {
    benchmark::RegisterBenchmark("paper/absent", [](benchmark::State& s) {
      territory::bench::skipped(s, "no paper instances under " + territory::bench::paper_instances_root().string() +
                                       " (set TERRITORY_PAPER_INSTANCES)");
      for (auto _ : s) {
      }
    })->Iterations(1);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return registered == 0 ? territory::bench::all_skipped_exit_code : 0;
}
