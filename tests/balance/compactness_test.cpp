// balance/compactness.hpp and partition_options::compactness: the measure decides what the search
// minimises once a plan is feasible, and which start wins.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include <territory/balance/compactness.hpp>
#include <territory/balance/partition.hpp>
#include <territory/core/random.hpp>

#include "support/instances.hpp"

using namespace territory;

namespace {

/// Jittered rows x cols grid, rook edges plus random diagonals, two activities (customers
/// U{4..20}, workload U[15, 100]).
test::instance jittered_grid(int rows, int cols, std::uint64_t seed) {
  return test::jittered_grid(rows, cols, seed, 1, {{4, 20, true}, {15, 100, false}});
}

/// Independent check: every territory is one connected piece (BFS inside the territory).
bool all_connected(const adjacency& g, const plan& pl) {
  for (territory_index t = 0; t < pl.territory_count(); ++t) {
    if (test::territory_pieces(g, pl, t) != 1) return false;
  }
  return true;
}

/// Independent measures of a plan: sum of Euclidean distances to centroids, max diameter (all pairs).
struct measures {
  double center = 0.0, diameter = 0.0;
};
measures measure(const Eigen::MatrixX2d& xy, const plan& pl) {
  measures r;
  const auto p = pl.territory_count();
  for (territory_index t = 0; t < p; ++t) {
    std::vector<Eigen::Index> mem;
    for (account_index a = 0; a < pl.size(); ++a) {
      if (pl[a] == t) mem.push_back(a);
    }
    double cx = 0, cy = 0;
    for (auto a : mem) {
      cx += xy(a, 0);
      cy += xy(a, 1);
    }
    cx /= static_cast<double>(mem.size());
    cy /= static_cast<double>(mem.size());
    for (auto a : mem) r.center += std::hypot(xy(a, 0) - cx, xy(a, 1) - cy);
    for (auto a : mem) {
      for (auto b : mem) r.diameter = std::max(r.diameter, std::hypot(xy(a, 0) - xy(b, 0), xy(a, 1) - xy(b, 1)));
    }
  }
  return r;
}

}  // namespace

TEST_CASE("balance/compactness: names round-trip") {
  CHECK(to_string(compactness::max_diameter) == "max_diameter");
  CHECK(to_string(compactness::center_distance) == "center_distance");
  CHECK(compactness_from_string("center_distance") == compactness::center_distance);
  CHECK(compactness_from_string("max_diameter") == compactness::max_diameter);
  CHECK_FALSE(compactness_from_string("diameter").has_value());
  CHECK(partition_options{}.compactness == compactness::max_diameter);
}

TEST_CASE("balance/compactness: center_distance lowers the centre sum, max_diameter the widest territory") {
  // The centre-sum search is a descent with kicks: on a single instance its plan can end slightly above
  // the diameter plan's centre sum (seeds 1..24 of this test: 5 of 24 before the bisection/flow changes,
  // 4 of 24 after; seed 3 here: 409.9 vs 408.4), so the centre sums are compared over the three seeds together.
  double sum_mc = 0.0, sum_md = 0.0;
  for (std::uint64_t seed : {3U, 11U, 29U}) {
    CAPTURE(seed);
    const auto in = jittered_grid(14, 14, seed);
    partition_options o{.territories = 7, .tolerance = {0.05}, .seed = seed, .time_limit_seconds = 60};
    const auto by_diameter = partition(in.acts, in.xy, in.graph, o);
    o.compactness = compactness::center_distance;
    const auto by_center = partition(in.acts, in.xy, in.graph, o);
    REQUIRE(by_diameter.feasible());
    REQUIRE(by_center.feasible());
    CHECK(by_diameter.why_stopped == status::converged);
    CHECK(by_center.why_stopped == status::converged);
    CHECK(all_connected(in.graph, by_diameter.assignment));
    CHECK(all_connected(in.graph, by_center.assignment));
    const auto md = measure(in.xy, by_diameter.assignment);
    const auto mc = measure(in.xy, by_center.assignment);
    // the reported values are the measures of the plan
    CHECK(by_center.sum_center_distance == doctest::Approx(mc.center).epsilon(1e-9));
    CHECK(by_diameter.max_diameter == doctest::Approx(md.diameter).epsilon(1e-9));
    // each measure wins on its own objective
    sum_mc += mc.center;
    sum_md += md.center;
    CHECK(md.diameter < mc.diameter);
  }
  CHECK(sum_mc < sum_md);
}

TEST_CASE("balance/compactness: center_distance is deterministic for a seed and thread count") {
  const auto in = jittered_grid(10, 12, 5);
  const partition_options o{.territories = 5, .tolerance = {0.05}, .seed = 9, .threads = 2, .time_limit_seconds = 60,
                            .compactness = compactness::center_distance};
  const auto a = partition(in.acts, in.xy, in.graph, o);
  const auto b = partition(in.acts, in.xy, in.graph, o);
  REQUIRE(a.feasible());
  CHECK(a.assignment == b.assignment);
  CHECK(a.sum_center_distance == b.sum_center_distance);
  // the objective trace lists improving centre sums: strictly decreasing, ending at the plan's
  REQUIRE_FALSE(a.stats.objective_trace.empty());
  for (std::size_t i = 1; i < a.stats.objective_trace.size(); ++i) {
    CHECK(a.stats.objective_trace[i] < a.stats.objective_trace[i - 1]);
  }
  CHECK(a.stats.objective_trace.back() == doctest::Approx(a.sum_center_distance).epsilon(1e-9));
}

TEST_CASE("balance/compactness: the default is max_diameter and keeps the plan of an explicit max_diameter") {
  const auto in = jittered_grid(10, 10, 17);
  partition_options o{.territories = 4, .tolerance = {0.05}, .seed = 4, .time_limit_seconds = 60};
  const auto a = partition(in.acts, in.xy, in.graph, o);
  o.compactness = compactness::max_diameter;
  const auto b = partition(in.acts, in.xy, in.graph, o);
  CHECK(a.assignment == b.assignment);
}
