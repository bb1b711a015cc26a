// The issue-10 table on real data: the bundled US counties (lower 48, real shared borders,
// population within 5 %, p = 20: the README's main job) and the ZIP areas (32,515 units with a
// heavy-tailed population, p = 50, 100, 500), with METIS 5.1 -contig (ubvec 1.05, i.e. ufactor 50)
// on the same instances in the same run.
//
// Solvers: ours (territory::partition, haversine, seed 1, 1 thread, the case's time limit,
// compactness = max_diameter), ours_center (compactness = center_distance), ours_first
// (stop_when_feasible: the time to the first feasible plan), metis_contig.
// Counters (balance and contiguity from benchmarks/support/plan_check.hpp, map measures from
// benchmarks/support/real_data.hpp; neither shares code with the engine):
//   seconds           wall time of the solver call
//   feasible          1 when every territory is within +-tau of the mean and connected, none empty
//   worst_dev         max |sum/mean - 1| over territories
//   max_diam_km       largest great-circle distance between two units of one territory (all pairs)
//   mean_center_km    mean distance of a unit to its territory's centroid
//   cut_edges         adjacent units in different territories (boundary length in edges)
//   first_feasible_s  (ours) partition_result::seconds_to_feasible
//   converged         (ours) 1 when the run ended before its time limit
// Smoke mode (TERRITORY_BENCH_SMOKE=1): Iowa's 99 counties, p = 4, 0.2 s.
// Environment: TERRITORY_DATA_DIR (default: the source tree's data/), TERRITORY_BENCH_THREADS
// (default 1), TERRITORY_BENCH_TIME_SCALE (multiplies the time limits), TERRITORY_BENCH_CASES
// (comma-separated case labels to run, default all).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <territory/balance/partition.hpp>
#include <territory/geo/haversine.hpp>

#include "bench_common.hpp"
#include "support/metis_peer.hpp"
#include "support/plan_check.hpp"
#include "support/real_data.hpp"

namespace {

using territory::bench::instance;

struct case_spec {
  std::string label;
  std::string folder;
  std::string column;
  territory::territory_index p;
  double time_limit;
};

using territory::bench::env_double;

bool selected(const std::string& label) {
  const char* v = std::getenv("TERRITORY_BENCH_CASES");
  if (v == nullptr || *v == '\0') return true;
  const std::string list = std::string(",") + v + ",";
  return list.find("," + label + ",") != std::string::npos;
}

const instance& instance_of(const case_spec& c) {
  static std::string key;
  static std::unique_ptr<instance> cache;
  if (!cache || key != c.label) {
    cache = std::make_unique<instance>(territory::bench::load_real_instance(c.folder, c.column, c.p, 0.05));
    key = c.label;
  }
  return *cache;
}

void publish(benchmark::State& state, const instance& inst, const territory::plan& pl, double secs) {
  const auto q = territory::bench::evaluate(inst, pl);
  const auto mq = territory::bench::measure_map(inst, pl);
  state.counters["seconds"] = secs;
  state.counters["feasible"] = q.feasible() ? 1 : 0;
  state.counters["worst_dev"] = q.worst_deviation;
  state.counters["disconnected"] = static_cast<double>(q.disconnected);
  state.counters["max_diam_km"] = mq.max_diameter_km;
  state.counters["mean_center_km"] = mq.mean_center_km;
  state.counters["cut_edges"] = static_cast<double>(mq.cut_edges);
}

enum class solver { ours, ours_center, ours_first };

void run_ours(benchmark::State& state, const case_spec& c, solver s) {
  const auto& inst = instance_of(c);
  const auto threads = static_cast<unsigned>(env_double("TERRITORY_BENCH_THREADS", 1));
  const double limit = c.time_limit * env_double("TERRITORY_BENCH_TIME_SCALE", 1.0);
  territory::partition_result r;
  double secs = 0;
  for (auto _ : state) {
    const territory::partition_options opt{
        .territories = inst.p,
        .tolerance = {inst.tau},
        .seed = 1,
        .threads = threads,
        .time_limit_seconds = limit,
        .stop_when_feasible = s == solver::ours_first,
        .compactness = s == solver::ours_center ? territory::compactness::center_distance
                                                : territory::compactness::max_diameter};
    const auto t0 = std::chrono::steady_clock::now();
    r = territory::partition(inst.activities, inst.xy, inst.graph, opt, territory::haversine{});
    secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  publish(state, inst, r.assignment, secs);
  state.counters["first_feasible_s"] = r.seconds_to_feasible;
  state.counters["converged"] = r.why_stopped == territory::status::time_limit ? 0 : 1;
  state.counters["claimed_ok"] = r.feasible() == territory::bench::evaluate(inst, r.assignment).feasible() ? 1 : 0;
}

void run_metis(benchmark::State& state, const case_spec& c) {
  if (!territory::bench::have_metis) {
    state.SkipWithError("built without METIS");
    for (auto _ : state) {
    }
    return;
  }
  const auto& inst = instance_of(c);
  territory::bench::metis_result r;
  for (auto _ : state) r = territory::bench::metis_partition(inst, {.contig = true, .seed = 1});
  if (!r.ok()) {
    state.SkipWithError("METIS failed");
    return;
  }
  publish(state, inst, r.assignment, r.seconds);
}

std::vector<case_spec> cases() {
  if (territory::bench::smoke()) return {{"iowa_p4", "iowa_counties", "population", 4, 0.2}};
  return {
      {"us_counties_p20", "us_counties_lower48", "population", 20, 40.0},
      {"zcta_p50", "us_zcta", "population", 50, 30.0},
      {"zcta_p100", "us_zcta", "population", 100, 30.0},
      {"zcta_p500", "us_zcta", "population", 500, 30.0},
  };
}

}  // namespace

int main(int argc, char** argv) {
  for (const auto& c : cases()) {
    if (!selected(c.label)) continue;
    const std::pair<const char*, solver> ours[] = {
        {"ours", solver::ours}, {"ours_center", solver::ours_center}, {"ours_first", solver::ours_first}};
    for (const auto& [name, s] : ours) {
      benchmark::RegisterBenchmark(("real/" + c.label + "/" + name).c_str(),
                                   [c, s = s](benchmark::State& st) { run_ours(st, c, s); })
          ->Iterations(1)
          ->UseRealTime()
          ->Unit(benchmark::kMillisecond);
    }
    benchmark::RegisterBenchmark(("real/" + c.label + "/metis_contig").c_str(),
                                 [c](benchmark::State& st) { run_metis(st, c); })
        ->Iterations(1)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
