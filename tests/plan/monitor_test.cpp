// Tests of plan/drift.hpp and plan/monitor.hpp: the alert thresholds (just under: no alert; at: no
// alert; just over: alert), the recommended rebalances, fairness over time, and Gini against the
// textbook definition.

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <vector>

#include <Eigen/Core>

#include <territory/core/error.hpp>
#include <territory/core/plan.hpp>
#include <territory/core/rep.hpp>
#include <territory/graph/adjacency.hpp>
#include <territory/plan/drift.hpp>
#include <territory/plan/metrics.hpp>
#include <territory/plan/monitor.hpp>

#include "support/grid.hpp"

namespace {

using territory::alert_kind;
using territory::no_territory;
using territory::plan;
using territory::territory_index;

/// The textbook Gini: Σᵢ Σⱼ |xᵢ − xⱼ| / (2 k² mean), written out (no sorting, no shortcut).
double textbook_gini(const std::vector<double>& x) {
  const auto k = static_cast<double>(x.size());
  double mean = 0;
  for (double v : x) mean += v;
  mean /= k;
  if (mean == 0) return 0;
  double s = 0;
  for (double a : x) {
    for (double b : x) s += std::abs(a - b);
  }
  return s / (2 * k * k * mean);
}

/// A 4 × 8 grid cut into 4 territories of 2 columns each (8 accounts each): territory t = column / 2.
struct grid4 {
  static constexpr int rows = 4, cols = 8;
  Eigen::MatrixX2d xy{rows * cols, 2};
  territory::adjacency graph;
  plan current;
  grid4() {
    std::vector<territory_index> a(rows * cols);
    for (int i = 0; i < rows; ++i) {
      for (int j = 0; j < cols; ++j) {
        const int k = i * cols + j;
        xy(k, 0) = j;
        xy(k, 1) = i;
        a[static_cast<std::size_t>(k)] = static_cast<territory_index>(j / 2);
      }
    }
    graph = territory::adjacency::from_edges(rows * cols, territory::test::grid_edges(rows, cols));
    current = plan(std::move(a), 4);
  }
  /// One column: every account of territory t worth sums[t] / 8.
  [[nodiscard]] Eigen::MatrixXd values(const std::vector<double>& sums) const {
    Eigen::MatrixXd v(rows * cols, 1);
    for (int k = 0; k < rows * cols; ++k) v(k, 0) = sums[current[static_cast<territory::account_index>(k)]] / 8.0;
    return v;
  }
};

std::size_t count_kind(const territory::monitor_report& r, alert_kind k) {
  return static_cast<std::size_t>(std::count_if(r.alerts.begin(), r.alerts.end(), [&](const auto& a) { return a.kind == k; }));
}

}  // namespace

TEST_CASE("gini: equals the textbook definition on hand-computed cases") {
  // all equal = 0
  CHECK(territory::gini(std::vector<double>{5, 5, 5, 5}) == 0.0);
  CHECK(textbook_gini({5, 5, 5, 5}) == 0.0);
  // all in one = (p − 1) / p, for several p
  for (std::size_t p = 1; p <= 7; ++p) {
    std::vector<double> one(p, 0.0);
    one.back() = 3.0;
    const double expected = static_cast<double>(p - 1) / static_cast<double>(p);
    CHECK(territory::gini(one) == doctest::Approx(expected).epsilon(1e-15));
    CHECK(textbook_gini(one) == doctest::Approx(expected).epsilon(1e-15));
  }
  // by hand: {1, 2, 3, 4}: Σ over ordered pairs |xi − xj| = 2·(1+2+3+1+2+1) = 20; 2·4²·2.5 = 80 → 0.25
  CHECK(territory::gini(std::vector<double>{4, 1, 3, 2}) == doctest::Approx(0.25).epsilon(1e-15));
  // {1, 1, 2}: ordered pairs 4·1 = 4; 2·3²·(4/3) = 24 → 1/6
  CHECK(territory::gini(std::vector<double>{1, 2, 1}) == doctest::Approx(1.0 / 6.0).epsilon(1e-15));
  // {0, 0, 10, 30}: pairs 2·(0+10+30+10+30+20) = 200; 2·16·10 = 320 → 0.625
  CHECK(territory::gini(std::vector<double>{30, 0, 10, 0}) == doctest::Approx(0.625).epsilon(1e-15));
  // agreement on irregular values
  const std::vector<double> x{3.5, 0.25, 7, 7, 1e-3, 12.5, 4};
  CHECK(territory::gini(x) == doctest::Approx(textbook_gini(x)).epsilon(1e-13));
  // fairness_of: the Gini of the territory sums (empty territories left out)
  Eigen::MatrixXd acts(5, 1);
  acts << 1, 1, 2, 0, 0;
  const auto f = territory::fairness_of(acts, plan({0, 0, 1, 2, no_territory}, 4));
  CHECK(f.territories == 3);
  CHECK(f.gini(0) == doctest::Approx(textbook_gini({2, 2, 0})));
}

TEST_CASE("drift: alert strictly beyond the threshold, the same rule for every client") {
  const std::vector<double> at{125, 100, 100, 75};  // ±25 % exactly (exact in binary)
  for (const auto& d : territory::drift_from_mean(at, {}, 0.25)) CHECK_FALSE(d.alert);
  const auto d = territory::drift_from_mean(at, {}, 0.2499);
  CHECK(d[0].alert);
  CHECK(d[0].deviation == 0.25);
  CHECK(d[3].deviation == -0.25);
  CHECK(d[3].alert);
  CHECK_FALSE(d[1].alert);
  // groups: each against its own mean
  const std::vector<std::uint32_t> g{0, 0, 1, 1};
  const auto dg = territory::drift_from_mean(std::vector<double>{10, 30, 5, 5}, g, 0.25);
  CHECK(dg[0].mean == 20);
  CHECK(dg[0].alert);
  CHECK_FALSE(dg[2].alert);
  CHECK_THROWS_AS((void)territory::drift_from_mean(at, g, -0.1), territory::invalid_input);
  CHECK_THROWS_AS((void)territory::drift_from_mean(at, std::vector<std::uint32_t>{0}, 0.1), territory::invalid_input);
}

TEST_CASE("monitor: deviation alerts fire just over the threshold, not at it or under it") {
  const grid4 g;
  SUBCASE("at the threshold: no alert") {
    const auto r = territory::monitor(g.values({125, 100, 100, 75}), g.xy, &g.graph, g.current, {.drift = 0.25});
    CHECK(r.quiet());
    CHECK(r.recommendations.empty());
  }
  SUBCASE("just under: no alert") {
    const auto r = territory::monitor(g.values({124.99, 100, 100, 75.01}), g.xy, &g.graph, g.current, {.drift = 0.25});
    CHECK(r.quiet());
  }
  SUBCASE("just over: an alert per territory out of the band, and a rebalance that restores the band") {
    const auto v = g.values({125.01, 100, 100, 74.99});
    const auto r = territory::monitor(v, g.xy, &g.graph, g.current, {.drift = 0.25});
    REQUIRE(r.alerts.size() == 2);
    CHECK(r.alerts[0].kind == alert_kind::deviation);
    CHECK(r.alerts[0].territory == 0);
    CHECK(r.alerts[0].value == doctest::Approx(0.2501));
    CHECK(r.alerts[0].threshold == 0.25);
    CHECK(r.alerts[1].territory == 3);
    CHECK(r.alerts[1].value == doctest::Approx(-0.2501));
    REQUIRE(r.recommendations.size() == 1);
    CHECK(r.alerts[0].recommendation == 0);
    CHECK(r.alerts[1].recommendation == 0);
    const auto& rec = r.recommendations[0];
    CHECK(rec.restores);
    CHECK(rec.delta.accounts_moved >= 1);
    CHECK(rec.delta.accounts_moved <= 4);  // minimal disruption: a few boundary accounts, not a re-plan
    CHECK(rec.delta.share_moved == doctest::Approx(static_cast<double>(rec.delta.accounts_moved) / 32.0));
    // the recommended plan, monitored again, raises no alert: it restores the constraint
    const auto again = territory::monitor(v, g.xy, &g.graph, rec.assignment, {.drift = 0.25});
    CHECK(again.quiet());
  }
  SUBCASE("a configured threshold and a tighter rebalance band") {
    const auto v = g.values({110, 100, 100, 90});
    CHECK(territory::monitor(v, g.xy, &g.graph, g.current, {.drift = 0.1}).quiet());
    const auto r = territory::monitor(v, g.xy, &g.graph, g.current, {.drift = 0.0999, .rebalance_tolerance = {0.05}});
    REQUIRE(r.alerts.size() == 2);
    REQUIRE(r.recommendations.size() == 1);
    const auto& rec = r.recommendations[0];
    // the band ±5 % with accounts of 12.5 / 13.75 / 11.25 is reachable; every territory ends in it
    const auto after = territory::evaluate_plan(v, g.xy, &g.graph, rec.assignment, std::vector<double>{0.05});
    CHECK(rec.restores == after.feasible());
  }
  SUBCASE("recommend = false: alerts only") {
    const auto r = territory::monitor(g.values({200, 100, 100, 0.5}), g.xy, nullptr, g.current,
                                      {.drift = 0.25, .recommend = false});
    CHECK(r.alerts.size() == 2);
    CHECK(r.recommendations.empty());
    CHECK(r.alerts[0].recommendation == territory::no_index);
  }
}

TEST_CASE("drift and monitor: each territory against its capacity's target (a ramping rep at 0.5 is on target at half)") {
  // targets 100 x share / mean(share): shares {1, 1, 1, 0.5} -> mean 0.875 -> 114.29, 114.29, 114.29, 57.14
  const std::vector<double> sums{120, 110, 112, 58};
  const std::vector<double> shares{1, 1, 1, 0.5};
  const auto plain = territory::drift_from_mean(sums, {}, 0.25);
  CHECK(plain[3].alert);  // 58 against the mean 100: 42 % below
  const auto d = territory::drift_from_targets(sums, shares, 0.25);
  for (const auto& x : d) CHECK_FALSE(x.alert);
  CHECK(d[3].mean == doctest::Approx(100.0 * 0.5 / 0.875));
  CHECK(d[3].deviation == doctest::Approx(58.0 / (100.0 * 0.5 / 0.875) - 1.0));
  CHECK(d[0].deviation == doctest::Approx(120.0 / (100.0 / 0.875) - 1.0));
  // just over the threshold against the target: an alert
  const auto over = territory::drift_from_targets(std::vector<double>{120, 110, 112, 40}, shares, 0.25);
  CHECK(over[3].alert);
  CHECK(territory::drift_from_targets(sums, {}, 0.25)[3].alert);  // no shares: the mean
  CHECK_THROWS_AS((void)territory::drift_from_targets(sums, std::vector<double>{1, 1}, 0.25), territory::invalid_input);
  CHECK_THROWS_AS((void)territory::drift_from_targets(sums, std::vector<double>{1, 1, 0, 1}, 0.25), territory::invalid_input);

  // monitor(): the same territories, the fourth owned by a rep at 0.5
  const grid4 g;
  const auto v = g.values({120, 110, 112, 58});
  CHECK_FALSE(territory::monitor(v, g.xy, &g.graph, g.current, {.drift = 0.25}).quiet());
  const auto r = territory::monitor(v, g.xy, &g.graph, g.current, {.drift = 0.25, .target_shares = shares});
  CHECK(r.quiet());
  CHECK(r.metrics.feasible());  // deviations in the metrics are against the same targets
}

TEST_CASE("monitor: departed and joining reps give drop and add scenarios") {
  const grid4 g;
  const auto v = g.values({100, 100, 100, 100});
  std::vector<territory::rep> reps(5);
  const char* names[] = {"ana", "ben", "cho", "dev", "eve"};
  for (int i = 0; i < 5; ++i) reps[static_cast<std::size_t>(i)].id = names[i];
  reps[1].status = territory::rep_status::departed;
  using namespace std::chrono;
  reps[4].start_date = year_month_day{year{2026}, month{12}, day{1}};
  territory::monitor_options o{.reps = reps, .territory_rep = {0, 1, 2, 3}};
  const auto r = territory::monitor(v, g.xy, &g.graph, g.current, o);
  REQUIRE(r.alerts.size() == 2);
  const auto& dep = r.alerts[0];
  CHECK(dep.kind == alert_kind::rep_departed);
  CHECK(dep.rep == 1);
  CHECK(dep.territory == 1);
  CHECK(dep.value == 8.0);  // ben's territory holds 8 accounts, against 0
  CHECK(territory::value_unit(dep.kind) == "accounts");
  REQUIRE(dep.recommendation != territory::no_index);
  const auto& drop = r.recommendations[dep.recommendation];
  CHECK(drop.assignment.territory_count() == 3);
  CHECK(drop.delta.accounts_moved >= 8);  // at least ben's 8 accounts
  CHECK(std::find(drop.origin.begin(), drop.origin.end(), territory_index{1}) == drop.origin.end());
  CHECK(drop.restores);
  const auto& join = r.alerts[1];
  CHECK(join.kind == alert_kind::rep_joined);
  CHECK(join.rep == 4);
  CHECK(join.territory == no_territory);
  CHECK(join.value == 1.0);  // eve's capacity
  CHECK(territory::value_unit(join.kind) == "capacity");
  CHECK(territory::value_unit(alert_kind::deviation) == "fraction");
  const auto& add = r.recommendations.at(join.recommendation);
  CHECK(add.assignment.territory_count() == 5);
  CHECK(add.origin.back() == no_territory);
  CHECK(add.delta.accounts_moved > 0);
  // start dates: a rep who starts after the as-of date has not joined yet; on the day, he has
  o.as_of = year_month_day{year{2026}, month{11}, day{30}};
  o.recommend = false;
  CHECK(count_kind(territory::monitor(v, g.xy, &g.graph, g.current, o), alert_kind::rep_joined) == 0);
  o.as_of = year_month_day{year{2026}, month{12}, day{1}};
  CHECK(count_kind(territory::monitor(v, g.xy, &g.graph, g.current, o), alert_kind::rep_joined) == 1);
  // a departed rep who owns nothing is no alert
  o.territory_rep = {0, territory::no_index, 2, 3};
  CHECK(count_kind(territory::monitor(v, g.xy, &g.graph, g.current, o), alert_kind::rep_departed) == 0);
}

TEST_CASE("monitor: a major account that churns re-plans its territory and its neighbours only") {
  const grid4 g;
  // now: account 0 (territory 0) is worth 0; the previous snapshot had it at `before`
  auto now = g.values({100, 100, 100, 100});
  now(0, 0) = 0.0;
  auto run = [&](double before, double major) {
    territory::monitor_snapshot prev{.activities = g.values({100, 100, 100, 100}), .assignment = g.current};
    prev.activities(0, 0) = before;
    const std::vector<territory::monitor_snapshot> hist{prev};
    return territory::monitor(now, g.xy, &g.graph, g.current, {.drift = 0.25, .major_value = major, .history = hist});
  };
  CHECK(count_kind(run(40.0, 40.0), alert_kind::account_churned) == 0);  // at the threshold: not major
  CHECK(count_kind(run(39.99, 40.0), alert_kind::account_churned) == 0);
  const auto r = run(40.01, 40.0);
  REQUIRE(count_kind(r, alert_kind::account_churned) == 1);
  const auto& a = r.alerts.back();
  CHECK(a.kind == alert_kind::account_churned);
  CHECK(a.account == 0);
  CHECK(a.territory == 0);
  CHECK(a.value == 40.01);
  CHECK(a.threshold == 40.0);
  const auto& rec = r.recommendations.at(a.recommendation);
  CHECK(rec.scope == std::vector<territory_index>{0, 1});  // territory 0 touches territory 1 only
  for (const auto& mv : rec.delta.moves) {
    CHECK(mv.from <= 1);
    CHECK(mv.to <= 1);
  }
  CHECK(rec.restores);

  // an account that is gone: the previous snapshot has one more account, mapped to nothing now
  territory::monitor_snapshot prev{.activities = Eigen::MatrixXd(33, 1)};
  prev.activities.topRows(32) = g.values({100, 100, 100, 100});
  prev.activities(32, 0) = 500.0;
  std::vector<territory_index> pa(g.current.assignment().begin(), g.current.assignment().end());
  pa.push_back(2);
  prev.assignment = plan(pa, 4);
  prev.now.resize(33);
  for (territory::account_index k = 0; k < 32; ++k) prev.now[k] = k;
  prev.now[32] = territory::no_account;
  prev.ids.assign(33, "x");
  prev.ids[32] = "big";
  const std::vector<territory::monitor_snapshot> hist{prev};
  const auto v = g.values({100, 100, 100, 100});
  const auto gone = territory::monitor(v, g.xy, &g.graph, g.current, {.major_value = 499.0, .history = hist});
  REQUIRE(gone.alerts.size() == 1);
  CHECK(gone.alerts[0].territory == 2);
  CHECK(gone.alerts[0].evidence.find("big") != std::string::npos);
  CHECK(gone.recommendations.at(gone.alerts[0].recommendation).scope == std::vector<territory_index>{1, 2, 3});
  // fairness over time: the snapshot, then the current data
  REQUIRE(gone.fairness.size() == 2);
  CHECK(gone.fairness[1].gini(0) == 0.0);
  CHECK(gone.fairness[0].gini(0) == doctest::Approx(textbook_gini({100, 100, 600, 100})));
}

TEST_CASE("monitor: fairness alert strictly above max_gini; bad options are invalid_input") {
  const grid4 g;
  const auto v = g.values({0, 0, 0, 4});  // Gini exactly 0.75
  const territory::monitor_options quiet{.drift = 0.99, .max_gini = 0.75, .recommend = false};
  const auto r0 = territory::monitor(v, g.xy, &g.graph, g.current, quiet);
  CHECK(r0.fairness.back().gini(0) == 0.75);
  CHECK(count_kind(r0, alert_kind::fairness) == 0);
  const auto r1 = territory::monitor(v, g.xy, &g.graph, g.current, {.drift = 0.99, .max_gini = 0.7499, .recommend = false});
  REQUIRE(count_kind(r1, alert_kind::fairness) == 1);
  CHECK(r1.alerts.back().value == 0.75);

  auto field = [&](const territory::monitor_options& o) {
    try {
      (void)territory::monitor(v, g.xy, &g.graph, g.current, o);
    } catch (const territory::invalid_input& e) {
      return e.field();
    }
    return std::string("none");
  };
  CHECK(field({.drift = 1.0}) == "drift");
  CHECK(field({.drift = -0.01}) == "drift");
  CHECK(field({.drift = std::nan("")}) == "drift");
  CHECK(field({.territory_rep = {0, 1}}) == "territory_rep");
  CHECK(field({.major_value = -1}) == "major_value");
  CHECK(field({.max_gini = std::nan("")}) == "max_gini");
  const std::vector<territory::monitor_snapshot> bad{{.activities = Eigen::MatrixXd(3, 2), .assignment = plan(3, 4)}};
  CHECK(field({.history = bad}) == "history");
}
