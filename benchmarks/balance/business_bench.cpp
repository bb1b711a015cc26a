// Issue 11's business setting on the bundled lower-48 US counties (3,109 counties, real shared
// borders), ours against METIS 5.1 in the same run:
//   ours         territory::partition, p = 20, population within 5 %, haversine, seed 1, 1 thread,
//                20 s time limit (a work budget), with the business constraints:
//                min_count "tier=A" >= 3 per territory (A = the 310 most populous counties, the top
//                10 %), median_bound cap on housing_units (factor 1.5), median_bound floor on
//                population (factor 0.6);
//   ours_shares  the same with partition_options::target_shares = 19 x 1.0 and 0.5 for the 20th
//                territory, and seeds = the 20 most populous counties (territory t grows from the
//                (t+1)-th most populous; the half-share territory from New York County);
//   metis_contig METIS_PartGraphKway -contig, one constraint (population), ubvec 1.05 (ufactor 50),
//                seed 1: the call bench_real_data makes (benchmarks/support/metis_peer.hpp).
// Every counter is recomputed here from the plan alone (no engine report): balance from our own
// sums, contiguity and empty territories from benchmarks/support/plan_check.hpp (check_plan), the
// diameter from benchmarks/support/real_data.hpp (all pairs, great circle). Targets: the mean
// territory's population, or with shares share_t / mean(share) x the mean; the median bounds compare
// each territory's sum per unit of its share (docs/constraints.md, "Capacities"); METIS is checked
// against equal targets (it was asked for them). Cross-checks: the library's evaluate_plan (haversine,
// the same target shares) must give the same worst deviation, non-contiguous count and max diameter,
// and without shares check_plan the same worst deviation. Counters:
//   seconds          wall time of the solver call (METIS: METIS_PartGraphKway alone)
//   worst_dev        max |population / target - 1| over territories (need <= 0.05)
//   disconnected     territories in more than one piece (need 0); empty: territories without units
//   a_min, a_short   fewest A counties in a territory; territories with fewer than 3
//   housing_ratio    largest housing units / the median territory's; housing_over: territories > 1.5
//   pop_ratio        smallest population / the median territory's; pop_under: territories < 0.6
//   max_diam_km      widest territory (largest great-circle distance between two of its counties)
//   all_hold         1 when balance, contiguity and the three business constraints hold
//   claimed_feasible (ours) partition_result::feasible(); claimed_ok: 1 when it equals all_hold
//   first_feasible_s (ours) partition_result::seconds_to_feasible; converged: 0 = status::time_limit
// A claim that the checker contradicts (either way), or checkers that disagree, is a "WRONG CLAIM"
// error and the program exits 1, which fails the CTest smoke run. One summary line per plan goes to
// stderr after the run.
// Smoke mode (TERRITORY_BENCH_SMOKE=1): the same instance and constraints with a 0.5 s time limit.
// Environment: TERRITORY_DATA_DIR (default: the source tree's data/), TERRITORY_BENCH_TIME_SCALE
// (multiplies the time limit).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <numeric>
#include <string>
#include <vector>

#include <territory/balance/partition.hpp>
#include <territory/geo/haversine.hpp>
#include <territory/plan/metrics.hpp>

#include "bench_common.hpp"
#include "support/metis_peer.hpp"
#include "support/plan_check.hpp"
#include "support/real_data.hpp"

namespace {

using territory::bench::instance;

constexpr territory::territory_index kP = 20;
constexpr double kTau = 0.05;
constexpr std::uint32_t kMinA = 3;
constexpr double kHousingCap = 1.5;
constexpr double kPopulationFloor = 0.6;
constexpr double kEps = 1e-9;

bool g_wrong = false;                  // a wrong claim: exit 1
std::vector<std::string> g_summaries;  // one line per plan, printed after the run

/// The instance and the columns of the setting, loaded once.
struct setting {
  instance inst;                                        // population, p = 20, tau = 0.05
  std::vector<double> population, housing;              // file order
  std::vector<territory::account_index> by_population;  // descending (ties: lower index first)
  std::vector<std::uint8_t> tier_a;                     // 1 for the top 10 % (n / 10 counties)
  std::size_t a_count = 0;
};

const setting& the_setting() {
  static const setting s = [] {
    setting out;
    out.inst = territory::bench::load_real_instance("us_counties_lower48", "population", kP, kTau);
    out.population = territory::bench::load_real_column("us_counties_lower48", "population");
    out.housing = territory::bench::load_real_column("us_counties_lower48", "housing_units");
    const std::size_t n = out.population.size();
    out.by_population.resize(n);
    std::iota(out.by_population.begin(), out.by_population.end(), territory::account_index{0});
    std::stable_sort(out.by_population.begin(), out.by_population.end(),
                     [&](auto a, auto b) { return out.population[a] > out.population[b]; });
    out.a_count = n / 10;
    out.tier_a.assign(n, 0);
    for (std::size_t k = 0; k < out.a_count; ++k) out.tier_a[out.by_population[k]] = 1;
    return out;
  }();
  return s;
}

std::vector<double> shares_of(bool with_shares) {
  if (!with_shares) return {};
  std::vector<double> s(kP, 1.0);
  s.back() = 0.5;
  return s;
}

/// What the independent check finds in a plan.
struct verdict {
  double worst_dev = 0;
  bool balanced = false;
  std::size_t disconnected = 0, empty = 0;
  bool complete = false;
  std::uint32_t a_min = 0;
  std::size_t a_short = 0;
  double housing_ratio = 0;
  std::size_t housing_over = 0;
  double pop_ratio = 0;
  std::size_t pop_under = 0;
  double max_diam_km = 0;
  bool checkers_agree = true;  // check_plan / evaluate_plan give the same balance, contiguity and diameter
  [[nodiscard]] bool all_hold() const {
    return complete && empty == 0 && balanced && disconnected == 0 && a_short == 0 && housing_over == 0 &&
           pop_under == 0;
  }
};

double median_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t p = v.size();
  return p % 2 == 1 ? v[p / 2] : 0.5 * (v[p / 2 - 1] + v[p / 2]);
}

/// Checks a plan against the setting; `shares` empty = equal targets.
verdict check(const setting& s, const territory::plan& pl, const std::vector<double>& shares) {
  verdict v;
  const auto q = territory::bench::check_plan(s.inst, pl.assignment());
  v.complete = q.complete;
  v.empty = q.empty;
  v.disconnected = q.disconnected;
  if (!v.complete) return v;
  const std::size_t n = pl.size();
  // Territory t's weight relative to the mean territory: share_t / mean(share), 1 without shares.
  std::vector<double> w(kP, 1.0);
  if (!shares.empty()) {
    const double mean_share = std::accumulate(shares.begin(), shares.end(), 0.0) / kP;
    for (std::size_t t = 0; t < kP; ++t) w[t] = shares[t] / mean_share;
  }
  std::vector<double> pop(kP, 0.0), housing(kP, 0.0);
  std::vector<std::uint32_t> a(kP, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const auto t = pl[static_cast<territory::account_index>(i)];
    pop[t] += s.population[i];
    housing[t] += s.housing[i];
    a[t] += s.tier_a[i];
  }
  const double mean_pop = std::accumulate(s.population.begin(), s.population.end(), 0.0) / kP;
  for (std::size_t t = 0; t < kP; ++t) {
    v.worst_dev = std::max(v.worst_dev, std::abs(pop[t] / (w[t] * mean_pop) - 1.0));
    pop[t] /= w[t];  // per unit of share, for the median bounds
    housing[t] /= w[t];
  }
  v.balanced = v.worst_dev <= kTau + kEps;
  v.a_min = *std::min_element(a.begin(), a.end());
  v.a_short = static_cast<std::size_t>(std::count_if(a.begin(), a.end(), [](auto k) { return k < kMinA; }));
  const double med_h = median_of(housing), med_p = median_of(pop);
  v.housing_ratio = *std::max_element(housing.begin(), housing.end()) / med_h;
  v.pop_ratio = *std::min_element(pop.begin(), pop.end()) / med_p;
  v.housing_over = static_cast<std::size_t>(
      std::count_if(housing.begin(), housing.end(), [&](double h) { return h > kHousingCap * med_h * (1 + kEps); }));
  v.pop_under = static_cast<std::size_t>(
      std::count_if(pop.begin(), pop.end(), [&](double x) { return x < kPopulationFloor * med_p * (1 - kEps); }));
  v.max_diam_km = territory::bench::measure_map(s.inst, pl).max_diameter_km;
  // Two cross-checks: check_plan's balance (equal targets only) and evaluate_plan's diameter.
  const auto m = territory::evaluate_plan(s.inst.activities, s.inst.xy, &s.inst.graph, pl,
                                          {.tolerance = {kTau}, .target_shares = shares}, territory::haversine{});
  const auto close = [](double x, double y) { return std::abs(x - y) <= kEps * std::max(1.0, std::abs(y)); };
  v.checkers_agree = close(m.max_diameter, v.max_diam_km) && close(m.max_deviation, v.worst_dev) &&
                     m.noncontiguous == v.disconnected && (!shares.empty() || close(q.worst_deviation, v.worst_dev));
  return v;
}

void publish(benchmark::State& state, const std::string& name, const verdict& v, double secs) {
  state.counters["seconds"] = secs;
  state.counters["worst_dev"] = v.worst_dev;
  state.counters["disconnected"] = static_cast<double>(v.disconnected);
  state.counters["empty"] = static_cast<double>(v.empty);
  state.counters["a_min"] = v.a_min;
  state.counters["a_short"] = static_cast<double>(v.a_short);
  state.counters["housing_ratio"] = v.housing_ratio;
  state.counters["housing_over"] = static_cast<double>(v.housing_over);
  state.counters["pop_ratio"] = v.pop_ratio;
  state.counters["pop_under"] = static_cast<double>(v.pop_under);
  state.counters["max_diam_km"] = v.max_diam_km;
  state.counters["all_hold"] = v.all_hold() ? 1 : 0;
  char line[512];
  std::snprintf(line, sizeof line,
                "%-12s all_hold=%s | balance worst %.2f%% (%s) | disconnected %zu | A min %u, %zu below %u | "
                "housing max/median %.3f, %zu above %.1f | population min/median %.3f, %zu below %.1f | "
                "max diameter %.0f km | %.3f s",
                name.c_str(), v.all_hold() ? "yes" : "no", 100 * v.worst_dev, v.balanced ? "ok" : "VIOLATED",
                v.disconnected, v.a_min, v.a_short, kMinA, v.housing_ratio, v.housing_over, kHousingCap, v.pop_ratio,
                v.pop_under, kPopulationFloor, v.max_diam_km, secs);
  g_summaries.emplace_back(line);
  if (!v.checkers_agree) {
    g_wrong = true;
    g_summaries.back() += " | WRONG CLAIM: checkers disagree";
    territory::bench::wrong_claim(state,
                                  "the balance, contiguity or diameter of evaluate_plan differs from this check");
  }
}

void run_ours(benchmark::State& state, bool with_shares) {
  const auto& s = the_setting();
  const double limit =
      (territory::bench::smoke() ? 0.5 : 20.0) * territory::bench::env_double("TERRITORY_BENCH_TIME_SCALE", 1.0);
  const auto shares = shares_of(with_shares);
  territory::partition_result r;
  double secs = 0;
  for (auto _ : state) {
    territory::partition_options opt{
        .territories = kP, .tolerance = {kTau}, .seed = 1, .threads = 1, .time_limit_seconds = limit};
    opt.min_counts.push_back({"tier=A", s.tier_a, kMinA});
    opt.median_bounds.push_back({"housing_units", s.housing, territory::median_side::cap, kHousingCap});
    opt.median_bounds.push_back({"population", s.population, territory::median_side::floor, kPopulationFloor});
    if (with_shares) {
      opt.target_shares = shares;
      opt.seeds.assign(s.by_population.begin(), s.by_population.begin() + kP);
    }
    const auto t0 = std::chrono::steady_clock::now();
    r = territory::partition(s.inst.activities, s.inst.xy, s.inst.graph, opt, territory::haversine{});
    secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  const auto v = check(s, r.assignment, shares);
  publish(state, with_shares ? "ours_shares" : "ours", v, secs);
  state.counters["claimed_feasible"] = r.feasible() ? 1 : 0;
  state.counters["claimed_ok"] = r.feasible() == v.all_hold() ? 1 : 0;
  state.counters["first_feasible_s"] = r.seconds_to_feasible;
  state.counters["converged"] = r.why_stopped == territory::status::time_limit ? 0 : 1;
  if (r.feasible() != v.all_hold()) {
    g_wrong = true;
    g_summaries.back() += " | WRONG CLAIM";
    territory::bench::wrong_claim(state, std::string("partition_result::feasible() is ") +
                                             (r.feasible() ? "true" : "false") + " but the independent check says " +
                                             (v.all_hold() ? "all hold" : "a constraint is violated"));
  }
}

void run_metis(benchmark::State& state) {
  if (!territory::bench::have_metis) {
    territory::bench::skipped(state, "built without METIS (the METIS peer row only)");
    for (auto _ : state) {
    }
    return;
  }
  const auto& s = the_setting();
  territory::bench::metis_result r;
  for (auto _ : state) r = territory::bench::metis_partition(s.inst, {.contig = true, .seed = 1});
  if (!r.ok()) {
    state.SkipWithError("METIS failed");
    return;
  }
  publish(state, "metis_contig", check(s, r.assignment, {}), r.seconds);
}

}  // namespace

int main(int argc, char** argv) {
  const auto reg = [](const char* name, auto fn) {
    benchmark::RegisterBenchmark(name, fn)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);
  };
  reg("business/us_counties_p20/ours", [](benchmark::State& st) { run_ours(st, false); });
  reg("business/us_counties_p20/ours_shares", [](benchmark::State& st) { run_ours(st, true); });
  reg("business/us_counties_p20/metis_contig", [](benchmark::State& st) { run_metis(st); });
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  for (const auto& line : g_summaries) std::fprintf(stderr, "%s\n", line.c_str());
  return g_wrong ? 1 : 0;
}
