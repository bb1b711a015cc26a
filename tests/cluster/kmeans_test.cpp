// Tests of cluster/kmeans.hpp and cluster/cluster_quality.hpp.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <vector>

#include <territory/cluster/cluster_quality.hpp>
#include <territory/cluster/kmeans.hpp>
#include <territory/core/random.hpp>

#include "support/grid.hpp"

using namespace territory;

namespace {

Eigen::MatrixXd blobs(const std::vector<std::size_t>& sizes, const std::vector<std::array<double, 2>>& centres,
                      double spread, std::uint64_t seed) {
  rng r(seed);
  std::size_t n = 0;
  for (auto s : sizes) n += s;
  Eigen::MatrixXd p(static_cast<Eigen::Index>(n), 2);
  Eigen::Index k = 0;
  for (std::size_t b = 0; b < sizes.size(); ++b) {
    for (std::size_t i = 0; i < sizes[b]; ++i, ++k) {
      p(k, 0) = centres[b][0] + r.normal(0, spread);
      p(k, 1) = centres[b][1] + r.normal(0, spread);
    }
  }
  return p;
}

// Plain Lloyd from given centers (reference for Hamerly): ties to the smaller center.
std::vector<std::uint32_t> plain_lloyd(const Eigen::MatrixXd& p, Eigen::MatrixXd c, int iters) {
  const auto n = p.rows();
  std::vector<std::uint32_t> lab(static_cast<std::size_t>(n), 0);
  for (int it = 0; it < iters; ++it) {
    bool changed = false;
    for (Eigen::Index i = 0; i < n; ++i) {
      Eigen::Index best = 0;
      double bd = std::numeric_limits<double>::infinity();
      for (Eigen::Index j = 0; j < c.rows(); ++j) {
        const double d = (p.row(i) - c.row(j)).squaredNorm();
        if (d < bd) {
          bd = d;
          best = j;
        }
      }
      if (lab[static_cast<std::size_t>(i)] != best || it == 0)
        changed = changed || lab[static_cast<std::size_t>(i)] != best;
      lab[static_cast<std::size_t>(i)] = static_cast<std::uint32_t>(best);
    }
    if (!changed && it > 0) break;
    Eigen::MatrixXd s = Eigen::MatrixXd::Zero(c.rows(), c.cols());
    Eigen::VectorXd cnt = Eigen::VectorXd::Zero(c.rows());
    for (Eigen::Index i = 0; i < n; ++i) {
      s.row(lab[static_cast<std::size_t>(i)]) += p.row(i);
      cnt(lab[static_cast<std::size_t>(i)]) += 1;
    }
    for (Eigen::Index j = 0; j < c.rows(); ++j) {
      if (cnt(j) > 0) c.row(j) = s.row(j) / cnt(j);
    }
  }
  return lab;
}

}  // namespace

TEST_CASE("cluster/kmeans: the objective never increases and matches the reported wcss") {
  const auto p = blobs({80, 60, 60, 40, 30}, {{0, 0}, {4, 1}, {1, 5}, {6, 6}, {3, 3}}, 1.2, 1);
  for (std::uint64_t seed : {1U, 2U, 3U, 4U}) {
    CAPTURE(seed);
    const auto r = kmeans(p, 6, {.seed = seed});
    const auto& tr = r.stats.objective_trace;
    REQUIRE(tr.size() >= 2);
    for (std::size_t i = 1; i < tr.size(); ++i) CHECK(tr[i] <= tr[i - 1] * (1 + 1e-12));
    CHECK(r.objective == doctest::Approx(tr.back()));
    CHECK(r.quality.wcss == doctest::Approx(r.objective));
    CHECK(r.why_stopped == status::converged);
    CHECK(r.assignment.complete());
    for (auto s : r.assignment.sizes()) CHECK(s > 0);
  }
}

TEST_CASE("cluster/kmeans: Hamerly reaches the same fixed point as plain Lloyd from the same start") {
  const auto p = blobs({100, 100, 100}, {{0, 0}, {3, 0}, {1.5, 2.5}}, 1.0, 7);
  for (std::uint64_t seed : {5U, 6U}) {
    CAPTURE(seed);
    const auto ps = detail::make_point_set(p, {}, 4, "test");
    rng gen(seed);
    const auto init = detail::kmeanspp(ps, 4, gen);
    const auto st = detail::hamerly(ps, 4, init, 500, {}, {}, "test");
    Eigen::MatrixXd c(4, 2);
    for (int j = 0; j < 4; ++j) {
      c(j, 0) = init[static_cast<std::size_t>(j) * 2];
      c(j, 1) = init[static_cast<std::size_t>(j) * 2 + 1];
    }
    CHECK(st.label == plain_lloyd(p, c, 500));
  }
}

TEST_CASE("cluster/kmeans: separated blobs are recovered up to relabelling; same seed, same plan") {
  const auto p = blobs({50, 70, 30}, {{0, 0}, {50, 0}, {0, 50}}, 1.0, 3);
  const auto r = kmeans(p, 3, {.seed = 11});
  std::set<territory_index> labels;
  for (std::size_t b = 0, start = 0; b < 3; ++b) {
    const std::size_t len = b == 0 ? 50 : (b == 1 ? 70 : 30);
    const auto l = r.assignment[static_cast<account_index>(start)];
    for (std::size_t i = start; i < start + len; ++i) CHECK(r.assignment[static_cast<account_index>(i)] == l);
    labels.insert(l);
    start += len;
  }
  CHECK(labels.size() == 3);
  const auto again = kmeans(p, 3, {.seed = 11});
  CHECK(again.assignment == r.assignment);
  CHECK(again.objective == r.objective);
}

TEST_CASE("cluster/kmeans: weighted centers are weighted means") {
  Eigen::MatrixXd p(4, 1);
  p << 0, 1, 10, 11;
  const std::vector<double> w{1, 3, 1, 1};
  const auto r = kmeans(p, 2, {.weights = w, .restarts = 3});
  REQUIRE(r.assignment[0] == r.assignment[1]);
  REQUIRE(r.assignment[2] == r.assignment[3]);
  CHECK(r.centers(r.assignment[0], 0) == doctest::Approx(0.75));
  CHECK(r.centers(r.assignment[2], 0) == doctest::Approx(10.5));
  CHECK(r.objective == doctest::Approx(1 * 0.75 * 0.75 + 3 * 0.25 * 0.25 + 0.25 + 0.25));
  CHECK(r.quality.totals[r.assignment[0]] == 4.0);
}

TEST_CASE("cluster/kmeans: k = n puts every point alone; coincident points still give k clusters") {
  Eigen::MatrixXd p = Eigen::MatrixXd::Zero(5, 2);
  const auto r = kmeans(p, 3);
  CHECK(r.objective == 0.0);
  auto s = r.assignment.sizes();
  CHECK(std::count(s.begin(), s.end(), 0U) == 0);
  Eigen::MatrixXd q(3, 2);
  q << 0, 0, 1, 1, 2, 2;
  const auto all = kmeans(q, 3);
  CHECK(all.objective == 0.0);
}

TEST_CASE("cluster/kmeans: limits and cancellation return a complete plan") {
  const auto p = blobs({200, 200}, {{0, 0}, {2, 0}}, 1.5, 9);
  const auto lim = kmeans(p, 8, {.max_iterations = 1});
  CHECK(lim.why_stopped == status::iteration_limit);
  CHECK(lim.assignment.complete());
  int calls = 0;
  const auto c = kmeans(p, 8, {.progress = make_progress_callback([&](const progress&) { return ++calls >= 2; })});
  CHECK(c.why_stopped == status::cancelled);
  CHECK(calls == 2);
  CHECK(c.assignment.complete());
  std::stop_source src;
  src.request_stop();
  CHECK(kmeans(p, 8, {.stop = src.get_token()}).why_stopped == status::cancelled);
}

TEST_CASE("cluster/kmeans: bad input throws naming the field") {
  Eigen::MatrixXd p(3, 2);
  p << 0, 0, 1, std::nan(""), 2, 2;
  try {
    (void)kmeans(p, 2);
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::non_finite);
    CHECK(e.field() == "points");
    CHECK(e.index() == 1);
  }
  p(1, 1) = 1;
  for (std::size_t k : {0U, 4U}) {
    try {
      (void)kmeans(p, k);
      FAIL("expected a throw");
    } catch (const invalid_input& e) {
      CHECK(e.code() == errc::out_of_range);
      CHECK(e.field() == "k");
    }
  }
  CHECK_THROWS_WITH_AS((void)kmeans(p, 4),
                       "[territory.out_of_range] kmeans(): k = 4, expected between 1 and the number of points (3)",
                       invalid_input);
  const std::vector<double> two{1, 1};
  try {
    (void)kmeans(p, 2, {.weights = two});
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::size_mismatch);
    CHECK(e.field() == "weights");
  }
  const std::vector<double> neg{1, -1, 1};
  try {
    (void)kmeans(p, 2, {.weights = neg});
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::negative_value);
    CHECK(e.index() == 1);
  }
  const std::vector<double> zero{0, 0, 0};
  CHECK_THROWS_AS((void)kmeans(p, 2, {.weights = zero}), invalid_input);
}

TEST_CASE("cluster/cluster_quality: wcss, totals and contiguity by hand") {
  Eigen::MatrixXd p(4, 1);
  p << 0, 2, 10, 12;
  const std::vector<edge> path{{0, 1}, {1, 2}, {2, 3}};
  const auto g = adjacency::from_edges(4, path);
  const plan good({0, 0, 1, 1}, 2);
  const auto q = evaluate_clusters(good, p, {}, &g);
  CHECK(q.wcss == doctest::Approx(4.0));
  CHECK(q.totals == std::vector<double>{2, 2});
  CHECK(q.max_deviation == 0.0);
  CHECK(q.contiguous);
  const plan split({0, 1, 0, 1}, 2);
  const std::vector<double> act{1, 1, 1, 3};
  const auto q2 = evaluate_clusters(split, p, act, &g);
  CHECK(q2.pieces == std::vector<std::uint32_t>{2, 2});
  CHECK_FALSE(q2.contiguous);
  CHECK(q2.totals == std::vector<double>{2, 4});
  CHECK(q2.max_deviation == doctest::Approx(1.0 / 3.0));
  CHECK_THROWS_AS((void)evaluate_clusters(good, Eigen::MatrixXd::Zero(3, 1)), invalid_input);
}

TEST_CASE("cluster/kmeans: restarts give the same plan on any number of threads, never worse than one start") {
  const auto p = blobs({120, 80, 60, 40}, {{0, 0}, {3, 1}, {1, 4}, {5, 5}}, 1.3, 21);
  const auto one = kmeans(p, 5, {.restarts = 1, .seed = 4});
  const auto serial = kmeans(p, 5, {.restarts = 6, .seed = 4, .threads = 1});
  const auto parallel = kmeans(p, 5, {.restarts = 6, .seed = 4, .threads = 3});
  CHECK(serial.assignment == parallel.assignment);
  CHECK(serial.objective == parallel.objective);
  CHECK(parallel.stats.threads == 3);
  CHECK(serial.objective <= one.objective);
  CHECK_THROWS_AS((void)kmeans(p, 5, {.threads = 0}), invalid_input);
}
