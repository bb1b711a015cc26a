// Issue 12 on real data: rebalancing with minimal disruption against a fresh plan, in the same run.
//
// The current plan: territory::partition on the bundled lower-48 US counties (p = 20, population
// within 5 %, haversine, seed 1, 1 thread, 40 s limit: the README's main job) and on the ZIP areas
// (data/us_zcta, 32,515 units, p = 100, 30 s). Then two changes:
//   drop    one territory (index 6, "T7") dissolved: rebalance(drop = {6}) against a fresh partition
//           with p = 19;
//   drift   every unit's population x U(0.9, 1.1) (seeded): rebalance() against a fresh partition
//           with the same p on the drifted data.
// The fresh plan's moves are counted after matching its territories to the current ones by greatest
// overlap (greedy, largest overlap first), which favours it.
// Counters (checked by benchmarks/support/plan_check.hpp and real_data.hpp, which share no code with
// the engine):
//   moves, share      accounts whose territory differs from the current plan (rebalance)
//   fresh_moves       the same for the fresh plan after matching
//   ratio             moves / fresh_moves (the goal: <= 0.25 for a drop; <= 3 % share for drift)
//   feasible          1 when the rebalanced plan is within +-5 % and connected, none empty
//   fresh_feasible    the same for the fresh plan
//   max_diam_km       widest territory of the rebalanced plan (great-circle km); fresh_max_diam_km
//   seconds           rebalance() wall time; fresh_seconds the fresh partition's
//   cut_edges         boundary length of the rebalanced plan (adjacent units in different territories);
//                     current_cut_edges the current plan's, fresh_cut_edges the fresh plan's
//   unshaped_*        the same rebalance without its shape step (smooth = false), in the same run:
//                     moves, cut edges, widest territory
//   claimed_ok        1 when rebalance's own verdict (feasible()) equals the independent check's; a
//                     wrong verdict or move count makes the program exit 1 (the CTest smoke run fails)
// Smoke mode (TERRITORY_BENCH_SMOKE=1): Iowa's 99 counties, p = 6, 0.2 s plans.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <territory/balance/partition.hpp>
#include <territory/balance/rebalance.hpp>
#include <territory/core/random.hpp>
#include <territory/geo/haversine.hpp>

#include "bench_common.hpp"
#include "support/plan_check.hpp"
#include "support/real_data.hpp"

namespace {

using territory::bench::instance;

bool g_wrong = false;  // a wrong result: the smoke run (CTest) fails

struct setting {
  std::string folder;
  territory::territory_index p;
  double limit;
  territory::territory_index dropped;
};

std::vector<setting> settings() {
  if (territory::bench::smoke()) return {{"iowa_counties", 6, 0.2, 2}};
  return {{"us_counties_lower48", 20, 40.0, 6}, {"us_zcta", 100, 30.0, 6}};
}

territory::plan fresh_plan(const instance& inst, double limit) {
  territory::partition_options o{.territories = inst.p, .tolerance = {inst.tau}, .seed = 1, .time_limit_seconds = limit};
  return territory::partition(inst.activities, inst.xy, inst.graph, o, territory::haversine{}).assignment;
}

/// The current plan (computed once per instance).
const territory::plan& current_plan(const setting& s, const instance& inst, double limit) {
  static std::string key;
  static territory::plan cur;
  if (key != s.folder) {
    cur = fresh_plan(inst, limit);
    key = s.folder;
  }
  return cur;
}

/// Accounts whose territory differs, after matching the territories of `b` to those of `a` by greatest
/// overlap (greedy).
std::size_t matched_moves(const territory::plan& a, const territory::plan& b) {
  const std::size_t pa = a.territory_count(), pb = b.territory_count();
  std::vector<std::size_t> overlap(pa * pb, 0);
  for (territory::account_index v = 0; v < a.size(); ++v) ++overlap[a[v] * pb + b[v]];
  std::vector<std::pair<std::size_t, std::size_t>> cells;  // (overlap, index)
  for (std::size_t k = 0; k < overlap.size(); ++k) {
    if (overlap[k] > 0) cells.push_back({overlap[k], k});
  }
  std::sort(cells.begin(), cells.end(), [](const auto& x, const auto& y) { return x.first != y.first ? x.first > y.first : x.second < y.second; });
  std::vector<char> used_a(pa, 0), used_b(pb, 0);
  std::size_t kept = 0;
  for (const auto& [o, k] : cells) {
    const std::size_t i = k / pb, j = k % pb;
    if (used_a[i] || used_b[j]) continue;
    used_a[i] = used_b[j] = 1;
    kept += o;
  }
  return a.size() - kept;
}

enum class change { drop, drift };

void run(benchmark::State& state, const setting& s, change c) {
  const double scale = territory::bench::env_double("TERRITORY_BENCH_TIME_SCALE", 1.0);
  const instance base = territory::bench::load_real_instance(s.folder, "population", s.p, 0.05);
  const auto& cur = current_plan(s, base, s.limit * scale);
  instance changed = base;
  territory::rebalance_plan_options o{.tolerance = {base.tau}};
  if (c == change::drop) {
    o.drop = {s.dropped};
    changed.p = static_cast<territory::territory_index>(base.p - 1);
  } else {
    territory::rng gen(2026);
    for (Eigen::Index k = 0; k < changed.activities.rows(); ++k) changed.activities.row(k) *= gen.uniform_real(0.9, 1.1);
  }
  territory::rebalance_result r;
  double secs = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    r = territory::rebalance(changed.activities, changed.xy, changed.graph, cur, o, territory::haversine{});
    secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  // moves in the current plan's territory indices: the result's territory t continues origin[t]
  std::size_t moves = 0;
  for (territory::account_index v = 0; v < cur.size(); ++v) moves += r.origin[r.assignment[v]] != cur[v] ? 1 : 0;
  auto raw_options = o;
  raw_options.smooth = false;
  const auto raw = territory::rebalance(changed.activities, changed.xy, changed.graph, cur, raw_options, territory::haversine{});
  const auto t0 = std::chrono::steady_clock::now();
  const auto fresh = fresh_plan(changed, s.limit * scale);
  const double fresh_secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const std::size_t fresh_moves = matched_moves(cur, fresh);
  const auto q = territory::bench::evaluate(changed, r.assignment);
  const auto fq = territory::bench::evaluate(changed, fresh);
  state.counters["moves"] = static_cast<double>(moves);
  state.counters["share"] = static_cast<double>(moves) / static_cast<double>(cur.size());
  state.counters["fresh_moves"] = static_cast<double>(fresh_moves);
  state.counters["ratio"] = fresh_moves == 0 ? 0.0 : static_cast<double>(moves) / static_cast<double>(fresh_moves);
  state.counters["feasible"] = q.feasible() ? 1 : 0;
  state.counters["fresh_feasible"] = fq.feasible() ? 1 : 0;
  const auto shaped_map = territory::bench::measure_map(changed, r.assignment);
  const auto raw_map = territory::bench::measure_map(changed, raw.assignment);
  const auto fresh_map = territory::bench::measure_map(changed, fresh);
  const auto current_map = territory::bench::measure_map(base, cur);
  state.counters["max_diam_km"] = shaped_map.max_diameter_km;
  state.counters["fresh_max_diam_km"] = fresh_map.max_diameter_km;
  state.counters["current_max_diam_km"] = current_map.max_diameter_km;
  state.counters["cut_edges"] = static_cast<double>(shaped_map.cut_edges);
  state.counters["current_cut_edges"] = static_cast<double>(current_map.cut_edges);
  state.counters["fresh_cut_edges"] = static_cast<double>(fresh_map.cut_edges);
  state.counters["unshaped_cut_edges"] = static_cast<double>(raw_map.cut_edges);
  state.counters["unshaped_max_diam_km"] = raw_map.max_diameter_km;
  state.counters["unshaped_moves"] = static_cast<double>(raw.delta.accounts_moved);
  state.counters["seconds"] = secs;
  state.counters["fresh_seconds"] = fresh_secs;
  state.counters["claimed_ok"] = r.feasible() == q.feasible() ? 1 : 0;
  if (!r.violations.empty()) {
    state.SetLabel(std::to_string(r.violations.size()) + " violations, first: " + r.violations.front().reason +
                   (r.notes.empty() ? std::string() : "; " + r.notes.back()));
  }
  if (r.delta.accounts_moved > raw.delta.accounts_moved || shaped_map.max_diameter_km > raw_map.max_diameter_km * (1 + 1e-9) ||
      (raw.feasible() && !r.feasible())) {
    g_wrong = true;
    state.SkipWithError("wrong result: the shape step added moves, widened the widest territory or broke feasibility");
  }
  if (moves != r.delta.accounts_moved || r.feasible() != q.feasible() || !q.complete) {
    g_wrong = true;
    state.SkipWithError("wrong result: the delta's move count, the verdict or the plan differs from the independent check");
  }
}

}  // namespace

int main(int argc, char** argv) {
  for (const auto& s : settings()) {
    for (const auto& [name, c] : {std::pair{"drop_one", change::drop}, std::pair{"drift_10pct", change::drift}}) {
      benchmark::RegisterBenchmark((std::string("rebalance/") + s.folder + "/" + name).c_str(),
                                   [s, c = c](benchmark::State& st) { run(st, s, c); })
          ->Iterations(1)
          ->UseRealTime()
          ->Unit(benchmark::kMillisecond);
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return g_wrong ? 1 : 0;
}
