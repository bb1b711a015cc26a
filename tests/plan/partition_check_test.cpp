// The partition engine checked by the independent checker (tests/support/check_plan.hpp)
// and by evaluate_plan: no account lost or duplicated, every territory connected when the
// graph is, reported sums equal recomputed sums, feasible() agrees, same seed same plan.

#include <doctest/doctest.h>

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
