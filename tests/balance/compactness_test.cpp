// balance/compactness.hpp and partition_options::compactness: the measure decides what the search
// minimises once a plan is feasible, and which start wins.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include <territory/balance/compactness.hpp>
#include <territory/balance/partition.hpp>
#include <territory/core/random.hpp>
#include <territory/detail/balance/smooth.hpp>
#include <territory/plan/metrics.hpp>

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

measures measure_of(const test::instance& in, const std::vector<territory_index>& a) {
  return measure(in.xy, plan(a, *std::max_element(a.begin(), a.end()) + 1));
}

/// Independent count of the graph edges between two territories.
std::size_t count_cut(const adjacency& g, const std::vector<territory_index>& a) {
  std::size_t c = 0;
  for (account_index v = 0; v < a.size(); ++v) {
    for (auto u : g.neighbors(v)) c += u > v && a[u] != a[v] ? 1 : 0;
  }
  return c;
}

/// Largest deviation from the mean over territories and columns.
double worst_deviation(const Eigen::MatrixXd& acts, const std::vector<territory_index>& a, territory_index p) {
  Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(p, acts.cols());
  for (std::size_t v = 0; v < a.size(); ++v) sums.row(a[v]) += acts.row(static_cast<Eigen::Index>(v));
  const Eigen::RowVectorXd mean = acts.colwise().sum() / static_cast<double>(p);
  double w = 0.0;
  for (territory_index t = 0; t < p; ++t) {
    for (Eigen::Index j = 0; j < acts.cols(); ++j) w = std::max(w, std::abs(sums(t, j) / mean(j) - 1.0));
  }
  return w;
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

// ---- boundary smoothing (detail/balance/smooth.hpp, partition_options::smooth) -------------------

TEST_CASE("balance/smooth: the pass lowers cut edges, keeps balance, contiguity and the max diameter") {
  std::size_t center_gain = 0;
  for (std::uint64_t seed : {3U, 11U, 29U}) {
    for (auto measure : {compactness::max_diameter, compactness::center_distance}) {
      CAPTURE(seed);
      CAPTURE(to_string(measure));
      const auto in = jittered_grid(16, 16, seed);
      const partition_options o{.territories = 8, .tolerance = {0.05}, .seed = seed, .time_limit_seconds = 60,
                                .compactness = measure, .smooth = false};
      const auto r = partition(in.acts, in.xy, in.graph, o);
      REQUIRE(r.feasible());
      std::vector<territory_index> a(r.assignment.assignment().begin(), r.assignment.assignment().end());
      const auto before = measure_of(in, a);
      auto pr = detail::balance::make_problem(in.acts, in.xy, {0.05, 0.05}, 8);
      pr.graph = &in.graph;
      detail::balance::smooth_limits lim;
      lim.measure = measure;
      lim.beta = detail::balance::smooth_beta;
      auto b = a;
      const auto out = detail::balance::smooth_boundaries(pr, euclidean{}, b, 77, lim);
      CHECK(out.cut_before == count_cut(in.graph, a));
      CHECK(out.cut_after == count_cut(in.graph, b));
      CHECK_FALSE(out.reverted);
      // the search leaves ragged boundaries on these maps: the pass finds shorter ones (under
      // center_distance the centre sum may not rise, which can leave no room: at least not longer)
      if (measure == compactness::max_diameter) {
        CHECK(count_cut(in.graph, b) < count_cut(in.graph, a));
      } else {
        CHECK(count_cut(in.graph, b) <= count_cut(in.graph, a));
        center_gain += count_cut(in.graph, a) - count_cut(in.graph, b);
      }
      CHECK(worst_deviation(in.acts, b, 8) <= 0.05 + 1e-9);
      CHECK(all_connected(in.graph, plan(b, 8)));
      const auto after = measure_of(in, b);
      CHECK(after.diameter <= before.diameter * (1 + 1e-12));
      if (measure == compactness::center_distance) CHECK(after.center <= before.center * (1 + 1e-12));
      // deterministic for a seed
      auto c = a;
      detail::balance::smooth_boundaries(pr, euclidean{}, c, 77, lim);
      CHECK(c == b);
    }
  }
  CHECK(center_gain > 0);
}

TEST_CASE("balance/smooth: from an unbalanced plan the balance excess does not rise") {
  const auto in = jittered_grid(12, 12, 41);
  // a stripe plan (columns 0-2, 3-5, ...): connected, unbalanced in general
  std::vector<territory_index> a(144);
  for (std::size_t v = 0; v < 144; ++v) a[v] = static_cast<territory_index>((v % 12) / 3);
  auto pr = detail::balance::make_problem(in.acts, in.xy, {0.01, 0.01}, 4);
  pr.graph = &in.graph;
  auto excess = [&](const std::vector<territory_index>& x) {
    Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(4, in.acts.cols());
    for (std::size_t v = 0; v < x.size(); ++v) sums.row(x[v]) += in.acts.row(static_cast<Eigen::Index>(v));
    const Eigen::RowVectorXd mean = in.acts.colwise().sum() / 4.0;
    double e = 0.0;
    for (Eigen::Index t = 0; t < 4; ++t) {
      for (Eigen::Index j = 0; j < in.acts.cols(); ++j) e += std::max(0.0, std::abs(sums(t, j) / mean(j) - 1.0) - 0.01);
    }
    return e;
  };
  const double d0 = measure_of(in, a).diameter;
  auto b = a;
  detail::balance::smooth_limits lim;
  lim.proposals = 200000;
  detail::balance::smooth_boundaries(pr, euclidean{}, b, 5, lim);
  CHECK(excess(b) <= excess(a) + 1e-9);
  CHECK(all_connected(in.graph, plan(b, 4)));
  CHECK(measure_of(in, b).diameter <= d0 * (1 + 1e-12));
}

TEST_CASE("balance/smooth: partition() smooths by default and reports cut_edges, smooth = false leaves longer boundaries") {
  const auto in = jittered_grid(16, 16, 7);
  partition_options o{.territories = 8, .tolerance = {0.05}, .seed = 3, .time_limit_seconds = 60};
  const auto on = partition(in.acts, in.xy, in.graph, o);
  o.smooth = false;
  const auto off = partition(in.acts, in.xy, in.graph, o);
  REQUIRE(on.feasible());
  REQUIRE(off.feasible());
  CHECK(on.why_stopped == status::converged);
  const std::vector<territory_index> a_on(on.assignment.assignment().begin(), on.assignment.assignment().end());
  const std::vector<territory_index> a_off(off.assignment.assignment().begin(), off.assignment.assignment().end());
  CHECK(on.cut_edges == count_cut(in.graph, a_on));
  CHECK(off.cut_edges == count_cut(in.graph, a_off));
  CHECK(on.cut_edges < off.cut_edges);
  CHECK(on.max_diameter <= off.max_diameter * (1 + 1e-12));
  // plan/metrics counts the same
  const auto m = evaluate_plan(in.acts, in.xy, &in.graph, on.assignment, std::vector<double>{0.05});
  CHECK(m.cut_edges == on.cut_edges);
  CHECK(evaluate_plan(in.acts, in.xy, nullptr, on.assignment, std::vector<double>{0.05}).cut_edges == 0);
  // deterministic
  o.smooth = true;
  CHECK(partition(in.acts, in.xy, in.graph, o).assignment == on.assignment);
}
