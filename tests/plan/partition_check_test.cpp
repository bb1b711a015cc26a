// The partition engine checked by the independent checker (tests/support/check_plan.hpp)
// and by evaluate_plan: no account lost or duplicated, every territory connected when the
// graph is, reported sums equal recomputed sums, feasible() agrees, same seed same plan.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

// metrics before the engine on purpose: detail namespaces must not hide territory::plan
#include <territory/plan/metrics.hpp>
#include <territory/balance/partition.hpp>
#include <territory/core/random.hpp>

#include "support/check_plan.hpp"
#include "support/grid.hpp"

namespace {

/// A rows×cols grid with random activities (two columns) drawn from `seed`.
Eigen::MatrixXd random_activities(int n, std::uint64_t seed) {
  territory::rng r(seed);
  Eigen::MatrixXd a(n, 2);
  for (int i = 0; i < n; ++i) {
    a(i, 0) = static_cast<double>(r.uniform_int(4, 20));
    a(i, 1) = r.uniform_real(15.0, 400.0);
  }
  return a;
}

}  // namespace

TEST_CASE("plan/check_plan: partition results pass the independent checker" * doctest::timeout(60)) {
  const int rows = 10, cols = 12, n = rows * cols;
  const auto table = territory::test::grid_table(rows, cols);
  const auto edges = territory::test::grid_edges(rows, cols);
  const auto g = territory::adjacency::from_edges(n, edges);
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    CAPTURE(seed);
    const Eigen::MatrixXd acts = random_activities(n, seed);
    const territory::territory_index p = 4 + static_cast<territory::territory_index>(seed % 3);
    const std::vector<double> tau{0.1};
    const territory::partition_options opt{.territories = p, .tolerance = tau, .seed = seed, .threads = 1,
                                           .time_limit_seconds = 30.0, .iteration_limit = 20000};
    const auto res = territory::partition(acts, table.coordinates(), g, opt);
    const auto check = territory::test::check_result(acts, &g, res, p, tau);
    CHECK_MESSAGE(check.ok(), check.summary());
    CHECK(check.contiguous);
    const auto m = territory::evaluate_plan(acts, table.coordinates(), &g, res.assignment, tau);
    CHECK(m.feasible() == res.feasible());
    CHECK(m.graph_components == res.graph_components);
    for (territory::territory_index t = 0; t < p; ++t) {
      CHECK(res.max_deviation(t) == doctest::Approx(m.territories[t].max_deviation).epsilon(1e-9));
      CHECK(res.diameters[t] == doctest::Approx(m.territories[t].diameter).epsilon(1e-9));
    }
    // determinism: the same seed and thread count give the same plan
    const auto again = territory::partition(acts, table.coordinates(), g, opt);
    CHECK(again.assignment == res.assignment);
  }
}

TEST_CASE("plan/check_plan: the checker catches broken plans") {
  const auto table = territory::test::grid_table(2, 3);
  const auto g = territory::adjacency::from_edges(6, territory::test::grid_edges(2, 3));
  const Eigen::MatrixXd acts = Eigen::MatrixXd::Ones(6, 1);
  // {0,2,4} vs {1,3,5}: row 0 = 0 1 2, row 1 = 3 4 5 → territory 0 = {0,2,4}: 0-?-2 not adjacent except via 1
  const territory::plan split({0, 1, 0, 1, 0, 1}, 2);
  const auto c = territory::test::check_plan(acts, &g, split, 2);
  CHECK_FALSE(c.ok());
  CHECK_FALSE(c.contiguous);
  const territory::plan missing({0, 0, 0, 1, 1, territory::no_territory}, 2);
  const auto c2 = territory::test::check_plan(acts, &g, missing, 2);
  CHECK_FALSE(c2.ok());
  CHECK_FALSE(c2.complete);
  const territory::plan empty({0, 0, 0, 0, 0, 0}, 2);
  CHECK_FALSE(territory::test::check_plan(acts, &g, empty, 2).ok());
  const territory::plan good({0, 0, 0, 1, 1, 1}, 2);
  const auto c3 = territory::test::check_plan(acts, &g, good, 2);
  CHECK(c3.ok());
  CHECK(c3.feasible());
}

namespace {
/// A result object that can be made to lie, for the checker's own test.
struct fake_result {
  territory::plan assignment;
  Eigen::MatrixXd sums;
  std::vector<std::uint8_t> contiguous;
  bool says_feasible = true;
  [[nodiscard]] bool feasible() const noexcept { return says_feasible; }
};
}  // namespace

TEST_CASE("plan/check_plan: check_result catches wrong sums, contiguity and verdicts") {
  const auto g = territory::adjacency::from_edges(6, territory::test::grid_edges(2, 3));
  Eigen::MatrixXd acts(6, 1);
  acts << 1, 2, 3, 4, 5, 6;  // rows: 0 1 2 / 3 4 5
  fake_result r{territory::plan({0, 0, 1, 0, 1, 1}, 2), Eigen::MatrixXd(2, 1), {1, 1}, true};
  r.sums << 7, 14;  // {0,1,3} = 1+2+4, {2,4,5} = 3+5+6
  const std::vector<double> tau{0.5};
  CHECK(territory::test::check_result(acts, &g, r, 2, tau).ok());

  auto wrong_sums = r;
  wrong_sums.sums(1, 0) = 13;
  CHECK_FALSE(territory::test::check_result(acts, &g, wrong_sums, 2, tau).ok());

  auto wrong_contiguity = r;
  wrong_contiguity.contiguous[0] = 0;
  CHECK_FALSE(territory::test::check_result(acts, &g, wrong_contiguity, 2, tau).ok());

  auto wrong_verdict = r;  // 7 vs mean 10.5 is 33 % off: infeasible at 5 %
  const std::vector<double> tight{0.05};
  CHECK_FALSE(territory::test::check_result(acts, &g, wrong_verdict, 2, tight).ok());
  wrong_verdict.says_feasible = false;
  CHECK(territory::test::check_result(acts, &g, wrong_verdict, 2, tight).ok());
}

// ---- Awkward but valid inputs (issue 15): each ends in a valid plan, a plan with named violations,
// or a typed refusal, and every figure the engine reports equals evaluate_plan's recomputation.
namespace {

struct awkward {
  Eigen::MatrixXd acts;
  Eigen::MatrixX2d xy;
  std::vector<territory::edge> edges;
  bool with_graph = true;
};

/// partition() on `in`, checked by the independent checker (check_result) and by evaluate_plan:
/// sums, deviations, diameters, contiguity, components, cut edges and the verdict must agree.
territory::partition_result checked_partition(const awkward& in, const territory::partition_options& o) {
  const auto n = static_cast<std::size_t>(in.acts.rows());
  const auto g = territory::adjacency::from_edges(n, in.edges);
  const territory::adjacency* graph = in.with_graph ? &g : nullptr;
  auto r = in.with_graph ? territory::partition(in.acts, in.xy, g, o) : territory::partition(in.acts, in.xy, o);
  const std::size_t p = o.territories;
  REQUIRE(r.assignment.size() == n);
  CHECK(r.assignment.complete());
  CHECK(r.assignment.territory_count() == p);
  const auto check = territory::test::check_result(in.acts, graph, r, p, o.tolerance);
  CHECK_MESSAGE(check.ok(), check.summary());
  const auto m = territory::evaluate_plan(in.acts, in.xy, graph, r.assignment, o.tolerance);
  CHECK(m.feasible() == r.feasible());
  // the same violations per territory and kind (the precheck's findings have no territory)
  auto per_territory = [](const std::vector<territory::violation>& vs) {
    std::vector<std::pair<territory::territory_index, territory::constraint_kind>> out;
    for (const auto& v : vs) {
      if (v.territory != territory::no_territory) out.emplace_back(v.territory, v.kind);
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  CHECK(per_territory(m.violations) == per_territory(r.violations));
  CHECK(m.graph_components == r.graph_components);
  CHECK(m.cut_edges == r.cut_edges);
  REQUIRE(m.territories.size() == p);
  for (std::size_t t = 0; t < p; ++t) {
    CAPTURE(t);
    const auto& tm = m.territories[t];
    for (Eigen::Index j = 0; j < in.acts.cols(); ++j) {
      const double a = r.sums(static_cast<Eigen::Index>(t), j), b = tm.sums(j);
      CHECK(std::abs(a - b) <= 1e-12 * std::max(std::abs(a), std::abs(b)));  // relative: 1e15 and 1e-15 alike
    }
    CHECK(r.max_deviation(static_cast<Eigen::Index>(t)) == doctest::Approx(tm.max_deviation).epsilon(1e-9));
    CHECK(r.diameters[t] == doctest::Approx(tm.diameter).epsilon(1e-12));
    CHECK((r.contiguous[t] != 0) == tm.contiguous);
    CHECK(std::isfinite(r.diameters[t]));
  }
  CHECK(r.max_diameter == doctest::Approx(m.max_diameter).epsilon(1e-12));
  CHECK(std::isfinite(r.sum_center_distance));
  return r;
}

awkward grid_instance(int rows, int cols, double scale = 1.0) {
  awkward in;
  const auto table = territory::test::grid_table(rows, cols);
  in.acts = table.activities() * scale;
  in.xy = table.coordinates();
  in.edges = territory::test::grid_edges(rows, cols);
  return in;
}

/// A hub joined to `leaves` accounts (activity 10 each), on a circle around it.
awkward star_instance(int leaves) {
  awkward in;
  in.acts = Eigen::MatrixXd::Constant(leaves + 1, 1, 10.0);
  in.xy.resize(leaves + 1, 2);
  in.xy.row(0) << 0.0, 0.0;
  for (int i = 0; i < leaves; ++i) {
    const double a = 6.283185307179586 * i / leaves;
    in.xy.row(i + 1) << 10.0 * std::cos(a), 10.0 * std::sin(a);
    in.edges.push_back({0, static_cast<territory::account_index>(i + 1)});
  }
  return in;
}

/// `comps` paths of `len` accounts (activity 10 each), far apart.
awkward components_instance(int comps, int len) {
  awkward in;
  const int n = comps * len;
  in.acts = Eigen::MatrixXd::Constant(n, 1, 10.0);
  in.xy.resize(n, 2);
  for (int c = 0; c < comps; ++c) {
    for (int i = 0; i < len; ++i) {
      const int k = c * len + i;
      in.xy.row(k) << 100.0 * c + i, 0.0;
      if (i + 1 < len) in.edges.push_back({static_cast<territory::account_index>(k), static_cast<territory::account_index>(k + 1)});
    }
  }
  return in;
}

bool has_violation(const territory::partition_result& r, territory::constraint_kind kind) {
  for (const auto& v : r.violations) {
    if (v.kind == kind) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("plan/awkward: p = 1 and p = n") {
  const auto in = grid_instance(6, 6);
  const auto one = checked_partition(in, {.territories = 1, .seed = 1, .time_limit_seconds = 600, .iteration_limit = 50000, .starts = 4});
  CHECK(one.feasible());
  CHECK(one.sums(0, 0) == doctest::Approx(36.0));
  // p = n: every account alone. Revenue is 1 everywhere, workload 1..3: the workload violations are
  // named, and the precheck proves them (an account alone above 1.05x the mean)
  const auto all = checked_partition(in, {.territories = 36, .seed = 1, .time_limit_seconds = 600, .iteration_limit = 50000, .starts = 4});
  for (auto s : all.assignment.sizes()) CHECK(s == 1);
  CHECK_FALSE(all.feasible());
  CHECK(all.why_stopped == territory::status::proven_infeasible);
  CHECK_FALSE(all.precheck.empty());
  for (const auto& v : all.violations) CHECK(v.kind == territory::constraint_kind::balance);
  // p = n with equal activities: feasible, each alone
  awkward eq = in;
  eq.acts = eq.acts.leftCols(1).eval();
  const auto alone = checked_partition(eq, {.territories = 36, .seed = 1, .time_limit_seconds = 600, .iteration_limit = 50000, .starts = 4});
  CHECK(alone.feasible());
}

TEST_CASE("plan/awkward: more territories than components, and more components than territories") {
  const auto in = components_instance(5, 4);  // 5 paths of 4 accounts
  for (territory::territory_index p : {5U, 10U}) {  // 1 or 2 territories per component
    CAPTURE(p);
    const auto r = checked_partition(in, {.territories = p, .seed = 2, .time_limit_seconds = 600, .iteration_limit = 50000, .starts = 4});
    CHECK(r.feasible());
    CHECK(r.graph_components == 5);
  }
  // p = 7: 1.4 territories per component, no whole split fits 5 %: proven, named per component
  const auto seven = checked_partition(in, {.territories = 7, .seed = 2, .time_limit_seconds = 600, .iteration_limit = 50000, .starts = 4});
  CHECK(seven.why_stopped == territory::status::proven_infeasible);
  CHECK(seven.precheck.size() == 5);
  for (auto s : seven.assignment.sizes()) CHECK(s > 0);
  for (std::size_t t = 0; t < 7; ++t) CHECK(seven.contiguous[t] == 1);
  // p = 2 < 5 components: some territory must span components: a named contiguity violation
  const auto two = checked_partition(in, {.territories = 2, .seed = 2, .time_limit_seconds = 600, .iteration_limit = 50000, .starts = 4});
  CHECK(two.why_stopped == territory::status::proven_infeasible);
  CHECK(has_violation(two, territory::constraint_kind::contiguity));
  REQUIRE_FALSE(two.precheck.empty());
  CHECK(two.precheck[0].reason.find("5 connected components but only 2 territories") != std::string::npos);
}

TEST_CASE("plan/awkward: isolated heavy and light accounts") {
  // a path of 12 accounts of 10 and an isolated account of 0.1: the island holds 0.0x of a mean territory,
  // so any plan leaves a territory far off (proven), or joins it to a territory that then is not connected
  auto in = components_instance(1, 12);
  in.acts.conservativeResize(13, 1);
  in.acts(12, 0) = 0.1;
  in.xy.conservativeResize(13, 2);
  in.xy.row(12) << 500.0, 500.0;
  for (territory::territory_index p : {2U, 3U}) {
    CAPTURE(p);
    const auto r = checked_partition(in, {.territories = p, .seed = 3, .time_limit_seconds = 600, .iteration_limit = 50000, .starts = 4});
    CHECK(r.why_stopped == territory::status::proven_infeasible);
    REQUIRE_FALSE(r.precheck.empty());
    CHECK(r.precheck[0].reason.find("graph component 1 (1 accounts") != std::string::npos);
  }
  // without a graph the light island may join any territory: feasible
  auto free = in;
  free.with_graph = false;
  const auto r = checked_partition(free, {.territories = 3, .tolerance = {0.1}, .seed = 3, .time_limit_seconds = 600, .iteration_limit = 50000, .starts = 4});
  CHECK(r.feasible());
  // a heavy isolated account (3x the mean) alone in its territory, named by the precheck
  in.acts(12, 0) = 90.0;  // total 210, p = 3: mean 70
  const auto heavy = checked_partition(in, {.territories = 3, .seed = 3, .time_limit_seconds = 600, .iteration_limit = 50000, .starts = 4});
  CHECK(heavy.why_stopped == territory::status::proven_infeasible);
  CHECK(heavy.assignment[12] != heavy.assignment[0]);
}

TEST_CASE("plan/awkward: star graphs") {
  const auto in = star_instance(20);
  // p = 21: every account alone (equal activities): feasible
  CHECK(checked_partition(in, {.territories = 21, .seed = 4, .time_limit_seconds = 600, .iteration_limit = 50000, .starts = 4}).feasible());
  // p = 4: three territories can only be single leaves; balance is impossible, contiguity is kept
  for (unsigned threads : {1U, 2U}) {
    const auto r = checked_partition(in, {.territories = 4, .seed = 4, .threads = threads, .time_limit_seconds = 600, .iteration_limit = 50000, .starts = 4});
    CHECK_FALSE(r.feasible());
    CHECK_FALSE(has_violation(r, territory::constraint_kind::contiguity));
    CHECK(has_violation(r, territory::constraint_kind::balance));
  }
  // p = 1 and p = 2
  CHECK(checked_partition(in, {.territories = 1, .seed = 4, .time_limit_seconds = 600, .iteration_limit = 50000, .starts = 4}).feasible());
  CHECK_FALSE(checked_partition(in, {.territories = 2, .seed = 4, .time_limit_seconds = 600, .iteration_limit = 50000, .starts = 4}).feasible());
}

TEST_CASE("plan/awkward: duplicate coordinates, with and without a graph") {
  // 36 accounts on 4 locations (9 at each), activity 10..12
  awkward in = grid_instance(6, 6);
  in.acts = in.acts.rightCols(1).eval() + Eigen::VectorXd::Constant(36, 9.0);
  for (int k = 0; k < 36; ++k) in.xy.row(k) << 10.0 * ((k / 6) / 3), 10.0 * ((k % 6) / 3);
  for (territory::territory_index p : {2U, 3U, 4U}) {
    CAPTURE(p);
    CHECK(checked_partition(in, {.territories = p, .seed = 5, .time_limit_seconds = 600, .iteration_limit = 50000, .starts = 4}).feasible());
    // without a graph: the k-nearest-neighbour graph used to make each location a clique joined to the
    // next by one edge, and p = 3 ended 50 % off the mean (converged) although nothing forbids 12/12/12
    awkward free = in;
    free.with_graph = false;
    CHECK(checked_partition(free, {.territories = p, .seed = 5, .time_limit_seconds = 600, .iteration_limit = 50000, .starts = 4}).feasible());
  }
  // every account at one point: diameters 0, no NaN, feasible without a graph
  awkward same = in;
  same.xy.setConstant(3.0);
  same.with_graph = false;
  const auto r = checked_partition(same, {.territories = 5, .tolerance = {0.1}, .seed = 5, .time_limit_seconds = 600, .iteration_limit = 50000, .starts = 4});
  CHECK(r.feasible());
  CHECK(r.max_diameter == 0.0);
}

TEST_CASE("plan/awkward: all-zero columns, 1e15 and 1e-15 values") {
  auto in = grid_instance(6, 6);
  in.acts.conservativeResize(Eigen::NoChange, 4);
  for (int k = 0; k < 36; ++k) {
    in.acts(k, 0) = 1e15 * (1.0 + 0.01 * (k % 4));
    in.acts(k, 1) = 1e-15 * (1.0 + 0.01 * (k % 5));
    in.acts(k, 2) = 0.0;
    in.acts(k, 3) = 1e15 * (1.0 + 0.01 * (k % 3)) + 1e-15;  // large and small in one column
  }
  const auto r = checked_partition(in, {.territories = 4, .seed = 6, .time_limit_seconds = 600, .iteration_limit = 50000, .starts = 4});
  CHECK(r.feasible());
  bool noted = false;
  for (const auto& note : r.notes) noted = noted || note.find("is zero for every account") != std::string::npos;
  CHECK(noted);
  // the huge values keep their relative precision: every territory's share is about a quarter
  for (Eigen::Index t = 0; t < 4; ++t) CHECK(r.sums(t, 0) / in.acts.col(0).sum() == doctest::Approx(0.25).epsilon(0.06));
  // only tiny values, and only zeros
  awkward tiny = in;
  tiny.acts = in.acts.middleCols(1, 2).eval();
  CHECK(checked_partition(tiny, {.territories = 3, .seed = 6, .time_limit_seconds = 600, .iteration_limit = 50000, .starts = 4}).feasible());
  awkward zero = in;
  zero.acts = in.acts.middleCols(2, 1).eval();
  CHECK(checked_partition(zero, {.territories = 3, .seed = 6, .time_limit_seconds = 600, .iteration_limit = 50000, .starts = 4}).feasible());
}

TEST_CASE("plan/awkward: one account") {
  awkward in;
  in.acts = Eigen::MatrixXd::Constant(1, 1, 5.0);
  in.xy = Eigen::MatrixX2d::Zero(1, 2);
  const auto r = checked_partition(in, {.territories = 1, .seed = 7, .time_limit_seconds = 600, .iteration_limit = 50000, .starts = 4});
  CHECK(r.feasible());
  CHECK(r.max_diameter == 0.0);
  in.with_graph = false;
  CHECK(checked_partition(in, {.territories = 1, .seed = 7}).feasible());
  // p = 2 > n = 1: the precheck says so; the plan is complete, the empty territory is named
  in.with_graph = true;
  const auto g = territory::adjacency::from_edges(1, in.edges);
  const auto two = territory::partition(in.acts, in.xy, g, {.territories = 2, .seed = 7});
  CHECK(two.assignment.complete());
  CHECK(two.why_stopped == territory::status::proven_infeasible);
  CHECK(has_violation(two, territory::constraint_kind::empty));
}

TEST_CASE("plan/awkward: time limits of 0, negative or NaN are refused; huge ones search") {
  const auto in = grid_instance(5, 5);
  const auto g = territory::adjacency::from_edges(25, in.edges);
  for (double limit : {0.0, -1.0, std::numeric_limits<double>::quiet_NaN()}) {
    CAPTURE(limit);
    CHECK_THROWS_AS((void)territory::partition(in.acts, in.xy, g, {.territories = 2, .time_limit_seconds = limit}),
                    territory::invalid_input);
  }
  // (auto starts and kicks grow with the limit: two fixed starts keep this fast; partition_test.cpp has
  // the auto-start case for +inf, 1e10 and 1e300)
  for (double limit : {1e12, std::numeric_limits<double>::infinity()}) {
    CAPTURE(limit);
    const auto r = checked_partition(in, {.territories = 3, .seed = 8, .time_limit_seconds = limit, .starts = 2});
    CHECK(r.why_stopped == territory::status::converged);
  }
}

TEST_CASE("plan/awkward: 64 threads on a small machine give a valid plan, the same on every run") {
  const auto in = components_instance(2, 8);
  const territory::partition_options o{.territories = 4, .seed = 9, .threads = 64, .time_limit_seconds = 5, .starts = 64};
  const auto a = checked_partition(in, o);
  const auto b = checked_partition(in, o);
  CHECK(a.feasible());
  CHECK(a.stats.threads == 64);
  REQUIRE(a.why_stopped == territory::status::converged);
  CHECK(a.assignment == b.assignment);
}
