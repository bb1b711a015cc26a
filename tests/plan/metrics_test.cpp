#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include <territory/core/random.hpp>
#include <territory/geo/haversine.hpp>
#include <territory/plan/metrics.hpp>

#include "support/check_plan.hpp"
#include "support/grid.hpp"

namespace {

using territory::evaluate_plan;
using territory::plan;
using territory::plan_metrics_options;

/// Vertical stripes of a rows×cols grid: column j goes to territory j * p / cols.
plan stripes(int rows, int cols, territory::territory_index p) {
  std::vector<territory::territory_index> a(static_cast<std::size_t>(rows * cols));
  for (int i = 0; i < rows; ++i) {
    for (int j = 0; j < cols; ++j) a[static_cast<std::size_t>(i * cols + j)] = static_cast<territory::territory_index>(j * static_cast<int>(p) / cols);
  }
  return plan(std::move(a), p);
}

}  // namespace

TEST_CASE("plan/metrics: hand-computed 2x2 grid split into two columns") {
  const auto t = territory::test::grid_table(2, 2);  // workload (0,0)=1 (0,1)=2 (1,0)=2 (1,1)=3
  const auto e = territory::test::grid_edges(2, 2);
  const auto g = territory::adjacency::from_edges(4, e);
  const plan pl = stripes(2, 2, 2);  // T0 = {r0c0, r1c0}, T1 = {r0c1, r1c1}
  const auto m = evaluate_plan(t.activities(), t.coordinates(), &g, pl,
                               plan_metrics_options{.tolerance = {0.05}, .activity_names = {"revenue", "workload"},
                                                    .territory_names = {"1", "2"}});
  REQUIRE(m.territories.size() == 2);
  CHECK(m.territories[0].accounts == 2);
  CHECK(m.territories[0].sums(0) == 2.0);
  CHECK(m.territories[0].sums(1) == 3.0);
  CHECK(m.territories[1].sums(1) == 5.0);
  CHECK(m.means(1) == 4.0);
  CHECK(m.territories[0].deviation(1) == doctest::Approx(-0.25));
  CHECK(m.territories[1].deviation(1) == doctest::Approx(0.25));
  CHECK(m.territories[0].deviation(0) == 0.0);
  CHECK(m.territories[1].max_deviation == doctest::Approx(0.25));
  CHECK(m.territories[0].diameter == doctest::Approx(1.0));
  CHECK(m.territories[0].centre[0] == doctest::Approx(0.0));
  CHECK(m.territories[0].centre[1] == doctest::Approx(0.5));
  CHECK(m.territories[0].distance_to_centre == doctest::Approx(1.0));
  CHECK(m.total_distance_to_centres == doctest::Approx(2.0));
  CHECK(m.territories[0].contiguous);
  CHECK(m.territories[0].components == 1);
  CHECK(m.graph_components == 1);
  CHECK(m.max_diameter == doctest::Approx(1.0));
  CHECK(m.diameters_exact);
  CHECK(m.gini(0) == 0.0);
  CHECK(m.gini(1) == doctest::Approx(0.125));  // Σ|xi−xj| = 4 over ordered pairs, / (2·2²·4)
  CHECK(m.cv(1) == doctest::Approx(0.25));     // std 1, mean 4
  CHECK(m.min_sums(1) == 3.0);
  CHECK(m.max_sums(1) == 5.0);
  CHECK(m.min_sums(0) == 2.0);
  REQUIRE(m.violations.size() == 2);
  CHECK(m.violations[0].kind == territory::constraint_kind::balance);
  CHECK(m.violations[0].territory == 0);
  CHECK(m.violations[0].subject == "workload");
  CHECK(m.violations[0].amount == doctest::Approx(0.20));
  CHECK(m.violations[0].reason == "territory 1: workload 25.0 % below the mean (allowed 5.0 %)");
  CHECK(m.violations[1].reason == "territory 2: workload 25.0 % above the mean (allowed 5.0 %)");
  CHECK_FALSE(m.feasible());

  // with a per-column tolerance that admits 25 %, the plan is feasible
  const auto ok = evaluate_plan(t.activities(), t.coordinates(), &g, pl, plan_metrics_options{.tolerance = {0.0, 0.25}});
  CHECK(ok.feasible());
  CHECK(ok.tolerance(1) == 0.25);
}

TEST_CASE("plan/metrics: balance amount is the relative excess outside the band") {
  Eigen::MatrixXd acts(2, 1);
  acts << 107.0, 93.0;
  Eigen::MatrixX2d xy(2, 2);
  xy << 0, 0, 1, 0;
  const plan pl({0, 1}, 2);
  const auto m = evaluate_plan(acts, xy, nullptr, pl,
                               plan_metrics_options{.activity_names = {"population"}, .territory_names = {"3", "4"}});
  REQUIRE(m.violations.size() == 2);
  CHECK(m.violations[0].amount == doctest::Approx(0.02));
  CHECK(m.violations[0].reason == "territory 3: population 7.0 % above the mean (allowed 5.0 %)");
  CHECK(m.violations[1].amount == doctest::Approx(0.02));
  CHECK(m.violations[1].reason == "territory 4: population 7.0 % below the mean (allowed 5.0 %)");
  // within the band (and exactly on its edge) there is no violation
  const std::vector<double> tau{0.07};
  CHECK(evaluate_plan(acts, xy, nullptr, pl, tau).feasible());
}

TEST_CASE("plan/metrics: split territories, empty territories and unassigned accounts are violations") {
  // path 0-1-2-3, territories {0,2} and {1,3}: each in two pieces
  const std::vector<territory::edge> e{{0, 1}, {1, 2}, {2, 3}};
  const auto g = territory::adjacency::from_edges(4, e);
  Eigen::MatrixXd acts = Eigen::MatrixXd::Ones(4, 1);
  Eigen::MatrixX2d xy(4, 2);
  xy << 0, 0, 1, 0, 2, 0, 3, 0;
  const auto m = evaluate_plan(acts, xy, &g, plan({0, 1, 0, 1}, 2), std::span<const double>{});
  REQUIRE(m.violations.size() == 2);
  CHECK(m.violations[0].kind == territory::constraint_kind::contiguity);
  CHECK(m.violations[0].territory == 0);
  CHECK(m.violations[0].amount == 1.0);
  CHECK(m.violations[0].reason == "territory 0: 2 disconnected pieces in the adjacency graph");
  CHECK(m.territories[1].components == 2);
  CHECK_FALSE(m.territories[1].contiguous);
  CHECK(m.noncontiguous == 2);
  CHECK(m.territories[0].diameter == doctest::Approx(2.0));
  // the same plan without a graph is contiguous by definition
  CHECK(evaluate_plan(acts, xy, nullptr, plan({0, 1, 0, 1}, 2), std::span<const double>{}).feasible());

  // p = 3 with territory 2 unused and account 3 unassigned
  const auto m2 = evaluate_plan(acts, xy, &g, plan({0, 0, 1, territory::no_territory}, 3), std::span<const double>{});
  CHECK(m2.unassigned == 1);
  REQUIRE(m2.violations.size() >= 2);
  CHECK(m2.violations[0].kind == territory::constraint_kind::unassigned);
  CHECK(m2.violations[0].amount == 1.0);
  CHECK(m2.violations[0].reason == "1 account is not assigned to any territory (first: account 3)");
  const auto empty = std::find_if(m2.violations.begin(), m2.violations.end(),
                                  [](const auto& v) { return v.kind == territory::constraint_kind::empty; });
  REQUIRE(empty != m2.violations.end());
  CHECK(empty->territory == 2);
  CHECK(m2.territories[2].accounts == 0);
  CHECK(m2.territories[2].components == 0);
  // the mean is the total over all accounts / p, unassigned ones included
  CHECK(m2.means(0) == doctest::Approx(4.0 / 3.0));
}

TEST_CASE("plan/metrics: graph components are counted") {
  const std::vector<territory::edge> e{{0, 1}, {2, 3}};
  const auto g = territory::adjacency::from_edges(5, e);
  Eigen::MatrixXd acts = Eigen::MatrixXd::Ones(5, 1);
  Eigen::MatrixX2d xy = Eigen::MatrixX2d::Zero(5, 2);
  const auto m = evaluate_plan(acts, xy, &g, plan({0, 0, 1, 1, 1}, 2), std::vector<double>{1.0});
  CHECK(m.graph_components == 3);
  CHECK(m.territories[1].components == 2);
}

TEST_CASE("plan/metrics: all-zero column counts as balanced") {
  Eigen::MatrixXd acts = Eigen::MatrixXd::Zero(3, 1);
  Eigen::MatrixX2d xy = Eigen::MatrixX2d::Zero(3, 2);
  const auto m = evaluate_plan(acts, xy, nullptr, plan({0, 1, 1}, 2), std::span<const double>{});
  CHECK(m.feasible());
  CHECK(m.gini(0) == 0.0);
  CHECK(m.cv(0) == 0.0);
}

TEST_CASE("plan/metrics: hull diameter equals the all-pairs diameter (euclidean)") {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    CAPTURE(seed);
    territory::rng r(seed);
    const int n = 300;
    Eigen::MatrixX2d xy(n, 2);
    for (int i = 0; i < n; ++i) {
      xy(i, 0) = std::round(r.uniform_real(0, 50));  // many collinear and duplicate points
      xy(i, 1) = r.normal(0, 10);
    }
    std::vector<territory::territory_index> a(n);
    for (int i = 0; i < n; ++i) a[static_cast<std::size_t>(i)] = static_cast<territory::territory_index>(r.below(3));
    const plan pl(a, 3);
    const auto m = evaluate_plan(Eigen::MatrixXd::Ones(n, 1), xy, nullptr, pl, std::span<const double>{});
    for (territory::territory_index t = 0; t < 3; ++t) {
      double brute = 0;
      for (int i = 0; i < n; ++i) {
        for (int j = 0; j < n; ++j) {
          if (a[static_cast<std::size_t>(i)] == t && a[static_cast<std::size_t>(j)] == t) {
            brute = std::max(brute, std::hypot(xy(i, 0) - xy(j, 0), xy(i, 1) - xy(j, 1)));
          }
        }
      }
      CHECK(m.territories[t].diameter == doctest::Approx(brute).epsilon(1e-12));
    }
    CHECK(m.diameters_exact);
  }
}

TEST_CASE("plan/metrics: haversine diameter and centre across the antimeridian") {
  // two points on the equator one degree apart: 111.195 km
  Eigen::MatrixX2d xy(2, 2);
  xy << 0.0, 179.5, 0.0, -179.5;  // across the antimeridian
  const auto m = evaluate_plan(Eigen::MatrixXd::Ones(2, 1), xy, nullptr, plan({0, 0}, 1), std::span<const double>{},
                               territory::haversine{});
  CHECK(m.territories[0].diameter == doctest::Approx(111.195).epsilon(1e-4));
  CHECK(m.territories[0].centre[0] == doctest::Approx(0.0));
  CHECK(std::abs(m.territories[0].centre[1]) == doctest::Approx(180.0));
  CHECK(m.diameters_exact);
}

TEST_CASE("plan/metrics: haversine hull diameters equal the all-pairs diameter") {
  // clouds across the antimeridian, near the pole, continental, and wider than a quarter great circle
  struct cloud {
    double lat0, lat1, lon0, lon1;
  };
  const std::vector<cloud> clouds{{38, 44, -100, -90}, {-10, 10, 170, 190}, {80, 89.9, -180, 180},
                                  {25, 49, -125, -67}, {-60, 70, -150, 60}};
  territory::haversine h;
  for (std::size_t c = 0; c < clouds.size(); ++c) {
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
      CAPTURE(c);
      CAPTURE(seed);
      territory::rng r(seed * 31 + c);
      const int n = 300;
      Eigen::MatrixX2d xy(n, 2);
      for (int i = 0; i < n; ++i) {
        xy(i, 0) = r.uniform_real(clouds[c].lat0, clouds[c].lat1);
        double lon = r.uniform_real(clouds[c].lon0, clouds[c].lon1);
        xy(i, 1) = lon > 180 ? lon - 360 : lon;
      }
      double brute = 0;
      for (int i = 0; i < n; ++i) {
        for (int j = i + 1; j < n; ++j) brute = std::max(brute, h({xy(i, 0), xy(i, 1)}, {xy(j, 0), xy(j, 1)}));
      }
      const plan one(std::vector<territory::territory_index>(n, 0), 1);
      const auto m = evaluate_plan(Eigen::MatrixXd::Ones(n, 1), xy, nullptr, one,
                                   plan_metrics_options{.exact_diameter_limit = 0}, h);
      CHECK(m.diameters_exact);
      CHECK(m.territories[0].diameter == doctest::Approx(brute).epsilon(1e-12));
    }
  }
}

/// A (lat, lon) policy that is not haversine: the hull path is an approximation there.
struct scaled_great_circle {
  static constexpr bool wgs84 = true;
  double operator()(const territory::point& p, const territory::point& q) const noexcept {
    return 1.3 * territory::haversine{}(p, q);
  }
};

TEST_CASE("plan/metrics: other WGS84 policies: all pairs up to the limit, hull above") {
  territory::rng r(7);
  const int n = 400;
  Eigen::MatrixX2d cloud(n, 2);
  for (int i = 0; i < n; ++i) {
    cloud(i, 0) = r.uniform_real(38.0, 44.0);
    cloud(i, 1) = r.uniform_real(-100.0, -90.0);
  }
  const plan one(std::vector<territory::territory_index>(n, 0), 1);
  const auto exact = evaluate_plan(Eigen::MatrixXd::Ones(n, 1), cloud, nullptr, one,
                                   plan_metrics_options{.exact_diameter_limit = 1000}, scaled_great_circle{});
  const auto hull = evaluate_plan(Eigen::MatrixXd::Ones(n, 1), cloud, nullptr, one,
                                  plan_metrics_options{.exact_diameter_limit = 0}, scaled_great_circle{});
  CHECK(exact.diameters_exact);
  CHECK_FALSE(hull.diameters_exact);
  CHECK(hull.territories[0].diameter <= exact.territories[0].diameter + 1e-9);
  CHECK(hull.territories[0].diameter == doctest::Approx(exact.territories[0].diameter).epsilon(1e-3));
  const auto h = evaluate_plan(Eigen::MatrixXd::Ones(n, 1), cloud, nullptr, one, std::span<const double>{},
                               territory::haversine{});
  CHECK(exact.territories[0].diameter == doctest::Approx(1.3 * h.territories[0].diameter).epsilon(1e-12));
}

TEST_CASE("plan/metrics: relabelling territories or shuffling accounts leaves metrics unchanged") {
  const auto t = territory::test::grid_table(6, 6);
  const auto e = territory::test::grid_edges(6, 6);
  const auto g = territory::adjacency::from_edges(36, e);
  const plan pl = stripes(6, 6, 3);
  const auto base = evaluate_plan(t.activities(), t.coordinates(), &g, pl, std::span<const double>{});

  // relabel t -> 2 - t
  std::vector<territory::territory_index> rel(36);
  for (territory::account_index a = 0; a < 36; ++a) rel[a] = 2 - pl[a];
  const auto r = evaluate_plan(t.activities(), t.coordinates(), &g, plan(rel, 3), std::span<const double>{});
  for (territory::territory_index k = 0; k < 3; ++k) {
    CHECK(r.territories[2 - k].sums == base.territories[k].sums);
    CHECK(r.territories[2 - k].diameter == base.territories[k].diameter);
  }
  CHECK(r.gini(1) == doctest::Approx(base.gini(1)));
  CHECK(r.violations.size() == base.violations.size());

  // shuffle accounts (rows, coordinates, graph, plan) by a permutation
  std::vector<territory::account_index> perm(36);
  for (territory::account_index a = 0; a < 36; ++a) perm[a] = a;
  territory::rng rng(3);
  rng.shuffle(perm.begin(), perm.end());  // new index of old account a is perm[a]
  Eigen::MatrixXd acts(36, 2);
  Eigen::MatrixX2d xy(36, 2);
  std::vector<territory::territory_index> asg(36);
  for (territory::account_index a = 0; a < 36; ++a) {
    acts.row(perm[a]) = t.activities().row(a);
    xy.row(perm[a]) = t.coordinates().row(a);
    asg[perm[a]] = pl[a];
  }
  std::vector<territory::edge> pe;
  for (auto [a, b] : e) pe.push_back({perm[a], perm[b]});
  const auto pg = territory::adjacency::from_edges(36, pe);
  const auto s = evaluate_plan(acts, xy, &pg, plan(asg, 3), std::span<const double>{});
  for (territory::territory_index k = 0; k < 3; ++k) {
    CHECK(s.territories[k].sums == base.territories[k].sums);
    CHECK(s.territories[k].diameter == doctest::Approx(base.territories[k].diameter));
    CHECK(s.territories[k].distance_to_centre == doctest::Approx(base.territories[k].distance_to_centre));
    CHECK(s.territories[k].contiguous == base.territories[k].contiguous);
  }
}

TEST_CASE("plan/metrics: evaluate_plan agrees with the independent checker on random plans") {
  const auto t = territory::test::grid_table(8, 8);
  const auto e = territory::test::grid_edges(8, 8);
  const auto g = territory::adjacency::from_edges(64, e);
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    CAPTURE(seed);
    territory::rng r(seed);
    std::vector<territory::territory_index> a(64);
    for (auto& x : a) x = static_cast<territory::territory_index>(r.below(4));
    const plan pl(a, 4);
    const std::vector<double> tau{0.3};
    const auto m = evaluate_plan(t.activities(), t.coordinates(), &g, pl, tau);
    const auto c = territory::test::check_plan(t.activities(), &g, pl, 4, tau, false);
    for (territory::territory_index k = 0; k < 4; ++k) {
      CHECK(m.territories[k].sums.transpose() == c.sums.row(k));
      CHECK(m.territories[k].components == c.pieces[k]);
    }
    CHECK(m.feasible() == c.feasible());
  }
}

TEST_CASE("plan/metrics: gini and coefficient of variation") {
  const std::vector<double> equal{2, 2, 2, 2};
  const std::vector<double> one{0, 0, 0, 8};
  const std::vector<double> two{1, 3};
  CHECK(territory::gini(equal) == 0.0);
  CHECK(territory::gini(one) == doctest::Approx(0.75));
  CHECK(territory::gini(two) == doctest::Approx(0.25));
  CHECK(territory::coefficient_of_variation(equal) == 0.0);
  CHECK(territory::coefficient_of_variation(two) == doctest::Approx(0.5));
  CHECK(territory::coefficient_of_variation(std::vector<double>{}) == 0.0);
}

TEST_CASE("plan/metrics: bad input throws invalid_input before any work") {
  Eigen::MatrixXd acts = Eigen::MatrixXd::Ones(3, 2);
  Eigen::MatrixX2d xy = Eigen::MatrixX2d::Zero(3, 2);
  const plan pl({0, 1, 1}, 2);
  const std::span<const double> none{};
  auto expect = [](auto&& call, territory::errc code, const char* field) {
    try {
      (void)call();
      FAIL("no exception");
    } catch (const territory::invalid_input& ex) {
      CHECK(ex.code() == code);
      CHECK(ex.field() == field);
    }
  };
  const Eigen::MatrixXd short_acts = Eigen::MatrixXd::Ones(2, 2);
  expect([&] { return evaluate_plan(short_acts, xy, nullptr, pl, none); }, territory::errc::size_mismatch, "activities");
  const Eigen::MatrixX2d short_xy = Eigen::MatrixX2d::Zero(2, 2);
  expect([&] { return evaluate_plan(acts, short_xy, nullptr, pl, none); }, territory::errc::size_mismatch, "coordinates");
  const auto g4 = territory::adjacency::from_edges(4, std::vector<territory::edge>{{0, 3}});
  expect([&] { return evaluate_plan(acts, xy, &g4, pl, none); }, territory::errc::size_mismatch, "graph");
  expect([&] { return evaluate_plan(acts, xy, nullptr, plan({territory::no_territory, territory::no_territory, territory::no_territory}, 0), none); },
         territory::errc::out_of_range, "territories");
  const std::vector<double> three{0.1, 0.1, 0.1};
  expect([&] { return evaluate_plan(acts, xy, nullptr, pl, three); }, territory::errc::size_mismatch, "tolerance");
  const std::vector<double> negative{0.1, -0.1};
  try {
    (void)evaluate_plan(acts, xy, nullptr, pl, negative);
    FAIL("no exception");
  } catch (const territory::invalid_input& ex) {
    CHECK(ex.code() == territory::errc::out_of_range);
    CHECK(ex.field() == "tolerance");
    CHECK(ex.index() == 1);
    CHECK(std::string(ex.what()) == "[territory.out_of_range] evaluate_plan(): tolerance 1 is -0.1, expected a value >= 0");
  }
  const std::vector<double> nan{std::nan("")};
  expect([&] { return evaluate_plan(acts, xy, nullptr, pl, nan); }, territory::errc::non_finite, "tolerance");
  Eigen::MatrixXd bad = acts;
  bad(2, 1) = -1.0;
  try {
    (void)evaluate_plan(bad, xy, nullptr, pl, none);
    FAIL("no exception");
  } catch (const territory::invalid_input& ex) {
    CHECK(ex.code() == territory::errc::negative_value);
    CHECK(ex.field() == "activities");
    CHECK(ex.index() == 2);
  }
  bad(2, 1) = std::numeric_limits<double>::infinity();
  expect([&] { return evaluate_plan(bad, xy, nullptr, pl, none); }, territory::errc::non_finite, "activities");
  Eigen::MatrixX2d badxy = xy;
  badxy(1, 0) = std::nan("");
  expect([&] { return evaluate_plan(acts, badxy, nullptr, pl, none); }, territory::errc::non_finite, "coordinates");
  expect([&] { return evaluate_plan(acts, xy, nullptr, pl, plan_metrics_options{.activity_names = {"a"}}); },
         territory::errc::size_mismatch, "activity_names");
  CHECK(std::string(territory::to_string(territory::constraint_kind::unassigned)) == "unassigned");
}
