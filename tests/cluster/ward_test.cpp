// Tests of cluster/ward.hpp against a brute-force merge order.
#include <doctest/doctest.h>

#include <algorithm>
#include <limits>
#include <set>
#include <vector>

#include <territory/cluster/ward.hpp>
#include <territory/core/random.hpp>
#include <territory/geo/knn_adjacency.hpp>
#include <string>

#include "support/grid.hpp"

using namespace territory;

namespace {

struct brute_merge {
  std::set<std::uint32_t> members;  // union after the merge
  double cost;
};

// Brute force: every step, evaluate every allowed pair of current clusters from their members.
std::vector<brute_merge> brute_ward(const Eigen::MatrixXd& p, const std::vector<double>& w, const adjacency* g) {
  std::vector<std::vector<std::uint32_t>> cl;
  for (std::uint32_t i = 0; i < p.rows(); ++i) cl.push_back({i});
  auto centroid = [&](const std::vector<std::uint32_t>& c, double& tw) {
    Eigen::RowVectorXd s = Eigen::RowVectorXd::Zero(p.cols());
    tw = 0;
    for (auto i : c) {
      s += w[i] * p.row(i);
      tw += w[i];
    }
    return Eigen::RowVectorXd(s / tw);
  };
  auto adjacent = [&](const std::vector<std::uint32_t>& x, const std::vector<std::uint32_t>& y) {
    if (g == nullptr) return true;
    for (auto i : x) {
      for (auto j : y) {
        if (g->connected(i, j)) return true;
      }
    }
    return false;
  };
  std::vector<brute_merge> out;
  while (cl.size() > 1) {
    double best = std::numeric_limits<double>::infinity();
    std::size_t bi = 0, bj = 0;
    for (std::size_t i = 0; i < cl.size(); ++i) {
      for (std::size_t j = i + 1; j < cl.size(); ++j) {
        if (!adjacent(cl[i], cl[j])) continue;
        double wa, wb;
        const auto ca = centroid(cl[i], wa), cb = centroid(cl[j], wb);
        const double c = wa * wb / (wa + wb) * (ca - cb).squaredNorm();
        if (c < best) {
          best = c;
          bi = i;
          bj = j;
        }
      }
    }
    if (!std::isfinite(best)) break;
    std::vector<std::uint32_t> u = cl[bi];
    u.insert(u.end(), cl[bj].begin(), cl[bj].end());
    out.push_back({std::set<std::uint32_t>(u.begin(), u.end()), best});
    cl.erase(cl.begin() + static_cast<std::ptrdiff_t>(bj));
    cl[bi] = u;
  }
  return out;
}

std::vector<std::set<std::uint32_t>> members_of(const std::vector<ward_merge>& dendro, std::size_t n) {
  std::vector<std::set<std::uint32_t>> m(n + dendro.size());
  for (std::uint32_t i = 0; i < n; ++i) m[i] = {i};
  std::vector<std::set<std::uint32_t>> out;
  for (std::size_t s = 0; s < dendro.size(); ++s) {
    auto u = m[dendro[s].a];
    u.insert(m[dendro[s].b].begin(), m[dendro[s].b].end());
    m[n + s] = u;
    out.push_back(u);
  }
  return out;
}

}  // namespace

TEST_CASE("cluster/ward: a small case by hand") {
  Eigen::MatrixXd p(5, 1);
  p << 0, 1, 5, 6, 20;
  const auto r = ward(p, 2);
  REQUIRE(r.dendrogram.size() == 4);
  CHECK(r.dendrogram[0] == ward_merge{0, 1, 0.5, 1.0, 2});  // tie with (2, 3): smaller ids first
  CHECK(r.dendrogram[1].a == 2);
  CHECK(r.dendrogram[1].b == 3);
  CHECK(r.dendrogram[2].a == 5);
  CHECK(r.dendrogram[2].b == 6);
  CHECK(r.dendrogram[2].cost == doctest::Approx(25.0));   // 2·2/4·(5.5 − 0.5)²
  CHECK(r.dendrogram[3].cost == doctest::Approx(231.2));  // 4·1/5·(20 − 3)²
  CHECK(r.dendrogram[3].size == 5);
  CHECK(std::vector<territory_index>(r.assignment.assignment().begin(), r.assignment.assignment().end()) ==
        std::vector<territory_index>{0, 0, 0, 0, 1});
  CHECK(r.quality.wcss == doctest::Approx(0.5 + 0.5 + 25.0));
  CHECK(r.why_stopped == status::converged);
  // the sum of merge costs is the total sum of squares
  double total = 0;
  for (const auto& m : r.dendrogram) total += m.cost;
  const double mean = p.mean();
  CHECK(total == doctest::Approx((p.array() - mean).square().sum()));
}

TEST_CASE("cluster/ward: merge order equals brute force, with and without connectivity") {
  for (std::uint64_t seed : {1U, 2U, 3U}) {
    CAPTURE(seed);
    rng r(seed);
    const std::size_t n = 16;
    Eigen::MatrixXd p(n, 2);
    std::vector<double> w(n);
    for (std::size_t i = 0; i < n; ++i) {
      p(static_cast<Eigen::Index>(i), 0) = r.uniform_real(0, 10);
      p(static_cast<Eigen::Index>(i), 1) = r.uniform_real(0, 10);
      w[i] = seed == 3 ? 0.5 + r.uniform01() : 1.0;
    }
    const auto g = adjacency::from_edges(n, test::grid_edges(4, 4));
    for (const adjacency* conn : {static_cast<const adjacency*>(nullptr), &g}) {
      const auto res = ward(p, 3, {.weights = w, .connectivity = conn});
      const auto expect = brute_ward(p, w, conn);
      const auto got = members_of(res.dendrogram, n);
      REQUIRE(got.size() == expect.size());
      for (std::size_t s = 0; s < got.size(); ++s) {
        CAPTURE(s);
        CHECK(got[s] == expect[s].members);
        CHECK(res.dendrogram[s].cost == doctest::Approx(expect[s].cost));
      }
      if (conn != nullptr) CHECK(res.quality.contiguous);
      CHECK(res.assignment.territory_count() == 3);
    }
  }
}

TEST_CASE("cluster/ward: disconnected connectivity cannot reach k; cut_dendrogram") {
  Eigen::MatrixXd p(4, 1);
  p << 0, 1, 10, 11;
  const std::vector<edge> e{{0, 1}, {2, 3}};
  const auto g = adjacency::from_edges(4, e);
  const auto r = ward(p, 1, {.connectivity = &g});
  CHECK(r.why_stopped == status::proven_infeasible);
  REQUIRE(r.violations.size() == 1);
  CHECK(r.violations[0].kind == constraint_kind::contiguity);
  CHECK(r.violations[0].amount == 1.0);
  CHECK(r.dendrogram.size() == 2);
  CHECK(r.assignment.territory_count() == 2);
  const auto full = ward(p, 4);
  CHECK(cut_dendrogram(full.dendrogram, 4, 4) == plan({0, 1, 2, 3}, 4));
  CHECK(cut_dendrogram(full.dendrogram, 4, 2) == plan({0, 0, 1, 1}, 2));
  CHECK(cut_dendrogram(full.dendrogram, 4, 1) == plan({0, 0, 0, 0}, 1));
  try {
    (void)cut_dendrogram(full.dendrogram, 4, 0);
    FAIL("expected a throw");
  } catch (const invalid_input& ex) {
    CHECK(ex.code() == errc::out_of_range);
    CHECK(ex.field() == "k");
  }
  const auto g3 = adjacency::from_edges(3, std::vector<edge>{{0, 1}});
  try {
    (void)ward(p, 2, {.connectivity = &g3});
    FAIL("expected a throw");
  } catch (const invalid_input& ex) {
    CHECK(ex.code() == errc::size_mismatch);
    CHECK(ex.field() == "connectivity");
  }
}

TEST_CASE("cluster/ward: without connectivity, more accounts than max_dense_accounts is refused (O(n^2) memory)") {
  Eigen::MatrixXd pts(50, 2);
  for (Eigen::Index i = 0; i < 50; ++i) {
    pts(i, 0) = static_cast<double>(i % 7);
    pts(i, 1) = static_cast<double>(i / 7);
  }
  try {
    (void)territory::ward(pts, 3, {.max_dense_accounts = 40});
    FAIL("no exception");
  } catch (const territory::invalid_input& e) {
    CHECK(e.field() == "points");
    CHECK(e.code() == territory::errc::out_of_range);
    CHECK(std::string(e.what()).find("50 accounts without a connectivity graph") != std::string::npos);
  }
  // at the limit it runs; with a connectivity graph the limit does not apply
  CHECK(territory::ward(pts, 3, {.max_dense_accounts = 50}).assignment.territory_count() == 3);
  const Eigen::MatrixX2d xy = pts;
  const auto knn = territory::knn_adjacency(xy, {.k = 4});
  CHECK(territory::ward(pts, 3, {.connectivity = &knn.graph, .max_dense_accounts = 10}).assignment.territory_count() >= 3);
}
