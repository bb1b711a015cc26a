// Tests of cluster/balanced_kmeans.hpp and cluster/region_growing.hpp.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include <territory/cluster/balanced_kmeans.hpp>
#include <territory/cluster/kmeans.hpp>
#include <territory/cluster/region_growing.hpp>
#include <territory/core/random.hpp>
#include <territory/graph/components.hpp>

#include "support/grid.hpp"

using namespace territory;

namespace {

Eigen::MatrixXd uneven_blobs(std::uint64_t seed) {
  rng r(seed);
  const std::size_t sizes[3] = {240, 120, 60};
  const double cx[3] = {0, 6, 0}, cy[3] = {0, 0, 6};
  Eigen::MatrixXd p(420, 2);
  Eigen::Index k = 0;
  for (int b = 0; b < 3; ++b) {
    for (std::size_t i = 0; i < sizes[b]; ++i, ++k) {
      p(k, 0) = cx[b] + r.normal(0, 1.0);
      p(k, 1) = cy[b] + r.normal(0, 1.0);
    }
  }
  return p;
}

}  // namespace

TEST_CASE("cluster/balanced_kmeans: equal activity totals where plain k-means is unbalanced") {
  for (std::uint64_t seed : {1U, 2U, 3U}) {
    CAPTURE(seed);
    const auto p = uneven_blobs(seed);
    const std::vector<double> act(420, 1.0);
    const auto plain = kmeans(p, 3, {.seed = seed});
    const auto plain_q = evaluate_clusters(plain.assignment, p, act);
    CHECK(plain_q.max_deviation > 0.2);
    const auto r = balanced_kmeans(p, 3, act, {.tolerance = 0.05, .seed = seed});
    CHECK(r.balanced());
    CHECK(r.why_stopped == status::converged);
    CHECK(r.quality.max_deviation <= 0.05 + 1e-12);
    CHECK(r.assignment.complete());
    double sum = 0;
    for (double t : r.quality.totals) sum += t;
    CHECK(sum == doctest::Approx(420.0));
  }
}

TEST_CASE("cluster/balanced_kmeans: balances an activity, not the count") {
  // uniform square; activity 4x heavier on the left half
  rng r(5);
  Eigen::MatrixXd p(600, 2);
  std::vector<double> act(600);
  for (Eigen::Index i = 0; i < 600; ++i) {
    p(i, 0) = r.uniform01() * 10;
    p(i, 1) = r.uniform01() * 10;
    act[static_cast<std::size_t>(i)] = p(i, 0) < 5 ? 4.0 : 1.0;
  }
  const auto res = balanced_kmeans(p, 4, act, {.tolerance = 0.05});
  CHECK(res.balanced());
  const auto counts = res.assignment.sizes();
  CHECK(*std::max_element(counts.begin(), counts.end()) > *std::min_element(counts.begin(), counts.end()) + 20);
  const auto again = balanced_kmeans(p, 4, act, {.tolerance = 0.05});
  CHECK(again.assignment == res.assignment);
}

TEST_CASE("cluster/balanced_kmeans: an indivisible heavy account is reported, not hidden") {
  Eigen::MatrixXd p(20, 2);
  std::vector<double> act(20, 1.0);
  for (Eigen::Index i = 0; i < 20; ++i) {
    p(i, 0) = static_cast<double>(i);
    p(i, 1) = 0;
  }
  act[0] = 100.0;  // mean is 59.5: the cluster holding account 0 is >= 68 % above it
  const auto r = balanced_kmeans(p, 2, act, {.tolerance = 0.1, .max_iterations = 5, .balance_iterations = 50});
  CHECK_FALSE(r.balanced());
  CHECK(r.why_stopped == status::iteration_limit);
  REQUIRE_FALSE(r.violations.empty());
  CHECK(r.violations[0].kind == constraint_kind::balance);
  CHECK(r.violations[0].amount > 0.5);
  CHECK(r.assignment.complete());
  try {
    (void)balanced_kmeans(p, 2, act, {.tolerance = 1.5});
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::out_of_range);
    CHECK(e.field() == "tolerance");
  }
  try {
    (void)balanced_kmeans(p, 2, std::vector<double>(19, 1.0));
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::size_mismatch);
    CHECK(e.field() == "activity");
  }
}

TEST_CASE("cluster/region_growing: a path splits in the middle from its two ends") {
  std::vector<edge> path;
  for (account_index i = 0; i + 1 < 10; ++i) path.push_back({i, i + 1});
  const auto g = adjacency::from_edges(10, path);
  const std::vector<account_index> seeds{0, 9};
  const auto r = grow_regions(g, seeds);
  CHECK(r.complete());
  CHECK(r.why_stopped == status::converged);
  for (account_index i = 0; i < 10; ++i) CHECK(r.assignment[i] == (i < 5 ? 0U : 1U));
  CHECK(r.quality.totals == std::vector<double>{5, 5});
  CHECK(r.quality.contiguous);
}

TEST_CASE("cluster/region_growing: the lightest region grows first; ties to the smaller region") {
  std::vector<edge> path;
  for (account_index i = 0; i + 1 < 6; ++i) path.push_back({i, i + 1});
  const auto g = adjacency::from_edges(6, path);
  const std::vector<account_index> seeds{0, 5};
  const std::vector<double> act{5, 1, 1, 1, 1, 1};
  const auto r = grow_regions(g, seeds, act);
  // region 1 grows 4, 3, 2, 1 (its total reaches 5 only after taking 1)
  CHECK(std::vector<territory_index>(r.assignment.assignment().begin(), r.assignment.assignment().end()) ==
        std::vector<territory_index>{0, 1, 1, 1, 1, 1});
  CHECK(r.quality.totals == std::vector<double>{5, 5});
}

TEST_CASE("cluster/region_growing: contiguous by construction on grids; unreached accounts reported") {
  for (int seed = 0; seed < 4; ++seed) {
    CAPTURE(seed);
    const auto edges = test::grid_edges(8, 9);
    const auto t = test::grid_table(8, 9);
    const auto g = adjacency::from_edges(72, edges);
    rng r(static_cast<std::uint64_t>(seed));
    std::vector<account_index> seeds;
    while (seeds.size() < 5) {
      const auto s = static_cast<account_index>(r.below(72));
      if (std::find(seeds.begin(), seeds.end(), s) == seeds.end()) seeds.push_back(s);
    }
    const Eigen::VectorXd work = t.activities().col(1);
    const std::vector<double> act(work.data(), work.data() + work.size());
    const auto res = grow_regions(g, seeds, act, {.points = t.coordinates()});
    CHECK(res.complete());
    CHECK(res.quality.contiguous);
    CHECK(res.quality.wcss > 0);
    for (std::size_t k = 0; k < seeds.size(); ++k) CHECK(res.assignment[seeds[k]] == k);
    CHECK(std::accumulate(res.quality.totals.begin(), res.quality.totals.end(), 0.0) == doctest::Approx(work.sum()));
  }
  // two components, a seed in only one of them
  const std::vector<edge> e{{0, 1}, {2, 3}};
  const auto g = adjacency::from_edges(4, e);
  const std::vector<account_index> seeds{1};
  const auto res = grow_regions(g, seeds);
  CHECK_FALSE(res.complete());
  CHECK(res.unreached == std::vector<account_index>{2, 3});
  CHECK(res.assignment[2] == no_territory);
}

TEST_CASE("cluster/region_growing: bad seeds throw naming the position") {
  const std::vector<edge> e{{0, 1}, {1, 2}};
  const auto g = adjacency::from_edges(3, e);
  const std::vector<account_index> dup{0, 2, 0};
  try {
    (void)grow_regions(g, dup);
    FAIL("expected a throw");
  } catch (const invalid_input& ex) {
    CHECK(ex.code() == errc::duplicate_id);
    CHECK(ex.field() == "seeds");
    CHECK(ex.index() == 2);
  }
  const std::vector<account_index> out{0, 3};
  try {
    (void)grow_regions(g, out);
    FAIL("expected a throw");
  } catch (const invalid_input& ex) {
    CHECK(ex.code() == errc::out_of_range);
    CHECK(ex.field() == "seeds");
    CHECK(ex.index() == 1);
  }
  CHECK_THROWS_AS((void)grow_regions(g, std::vector<account_index>{}), invalid_input);
  const std::vector<double> neg{1, -1, 1};
  CHECK_THROWS_AS((void)grow_regions(g, std::vector<account_index>{0}, neg), invalid_input);
}

TEST_CASE("cluster/region_growing: with edge lengths, the closest frontier account by path length is taken") {
  // star around seed 0: account 1 is 5 away, account 2 is 1 away, account 3 hangs off 2 (1 more)
  const std::vector<edge> e{{0, 1}, {0, 2}, {2, 3}, {1, 4}};
  const std::vector<double> len{5.0, 1.0, 1.0, 1.0};
  const auto g = adjacency::from_edges(5, e, len);
  // region 0 takes 2 (path 1), ties region 1 at 2 and takes 3 (path 2) rather than 1 (path 5);
  // then region 1 is lighter and takes 1. By hop count, region 0 would have taken 1 first.
  const std::vector<account_index> seeds{0, 4};
  const std::vector<double> act{1, 1, 1, 1, 2};
  const auto r = grow_regions(g, seeds, act);
  CHECK(r.assignment[2] == 0);
  CHECK(r.assignment[3] == 0);
  CHECK(r.assignment[1] == 1);
  CHECK(r.quality.totals == std::vector<double>{3, 3});
  const auto hops = grow_regions(adjacency::from_edges(5, e), seeds, act);
  CHECK(hops.assignment[1] == 0);
}

TEST_CASE("cluster/balanced_kmeans: the repair pass reaches the band when prices alone stop short") {
  // lumpy activities: prices with a single short round cannot settle, repair moves finish the job
  rng r(17);
  Eigen::MatrixXd p(120, 2);
  std::vector<double> act(120);
  for (Eigen::Index i = 0; i < 120; ++i) {
    p(i, 0) = r.uniform01() * 10;
    p(i, 1) = r.uniform01() * 10;
    act[static_cast<std::size_t>(i)] = 1.0 + static_cast<double>(r.below(5));
  }
  const auto no_repair =
      balanced_kmeans(p, 4, act, {.tolerance = 0.02, .max_iterations = 1, .balance_iterations = 1, .repair_moves = 0});
  const auto repaired = balanced_kmeans(p, 4, act, {.tolerance = 0.02, .max_iterations = 1, .balance_iterations = 1});
  CHECK_FALSE(no_repair.balanced());
  CHECK(repaired.balanced());
  CHECK(repaired.quality.max_deviation <= 0.02 + 1e-12);
  CHECK(repaired.why_stopped == status::converged);
}
