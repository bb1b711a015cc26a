// Tests of geo/knn_adjacency.hpp and geo/connect_components.hpp.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include <territory/core/random.hpp>
#include <territory/geo/connect_components.hpp>
#include <territory/geo/knn_adjacency.hpp>
#include <territory/geo/travel_matrix.hpp>
#include <territory/graph/components.hpp>

#include "support/grid.hpp"

using namespace territory;

namespace {

struct manhattan {
  double operator()(const point& p, const point& q) const noexcept {
    return std::abs(p[0] - q[0]) + std::abs(p[1] - q[1]);
  }
};

Eigen::MatrixX2d blobs(std::size_t per, std::uint64_t seed, std::vector<point> centres, double spread) {
  rng r(seed);
  Eigen::MatrixX2d p(static_cast<Eigen::Index>(per * centres.size()), 2);
  Eigen::Index k = 0;
  for (const auto& c : centres) {
    for (std::size_t i = 0; i < per; ++i, ++k) {
      p(k, 0) = c[0] + r.uniform_real(-spread, spread);
      p(k, 1) = c[1] + r.uniform_real(-spread, spread);
    }
  }
  return p;
}

// Brute-force kNN sets for the symmetric-union check.
std::vector<std::vector<account_index>> brute_knn(const Eigen::MatrixX2d& p, std::size_t k) {
  const auto n = static_cast<std::size_t>(p.rows());
  std::vector<std::vector<account_index>> out(n);
  for (std::size_t a = 0; a < n; ++a) {
    std::vector<std::pair<double, account_index>> d;
    for (std::size_t b = 0; b < n; ++b) {
      if (a == b) continue;
      const auto dx = p(static_cast<Eigen::Index>(a), 0) - p(static_cast<Eigen::Index>(b), 0);
      const auto dy = p(static_cast<Eigen::Index>(a), 1) - p(static_cast<Eigen::Index>(b), 1);
      d.emplace_back(dx * dx + dy * dy, static_cast<account_index>(b));
    }
    std::sort(d.begin(), d.end());
    for (std::size_t i = 0; i < k; ++i) out[a].push_back(d[i].second);
  }
  return out;
}

}  // namespace

TEST_CASE("geo/knn_adjacency: symmetric union of the k nearest neighbours, lengths in km") {
  const auto p = blobs(60, 5, {{0, 0}, {5, 5}}, 3.0);
  const auto r = knn_adjacency(p, {.k = 4, .connect = false});
  const auto expect = brute_knn(p, 4);
  const auto& g = r.graph;
  REQUIRE(g.size() == 120);
  std::size_t expected_edges = 0;
  for (account_index a = 0; a < 120; ++a) {
    CHECK(g.degree(a) >= 4);
    for (auto b : expect[a]) CHECK(g.connected(a, b));
    for (std::size_t i = 0; i < g.degree(a); ++i) {
      const auto b = g.neighbors(a)[i];
      const bool in_a = std::find(expect[a].begin(), expect[a].end(), b) != expect[a].end();
      const bool in_b = std::find(expect[b].begin(), expect[b].end(), a) != expect[b].end();
      CHECK((in_a || in_b));
      CHECK(g.lengths(a)[i] == doctest::Approx(euclidean{}({p(a, 0), p(a, 1)}, {p(b, 0), p(b, 1)})));
      if (a < b) ++expected_edges;
    }
  }
  CHECK(g.edge_count() == expected_edges);
}

TEST_CASE("geo/knn_adjacency: far-apart clusters are joined by their shortest link") {
  const auto p = blobs(30, 6, {{0, 0}, {100, 0}, {0, 300}}, 2.0);
  const auto plain = knn_adjacency(p, {.k = 3, .connect = false});
  CHECK(connected_components(plain.graph).count == 3);
  CHECK(plain.components_before == 3);
  CHECK(plain.components_joined == 0);
  const auto r = knn_adjacency(p, {.k = 3});
  CHECK(r.components_before == 3);
  CHECK(r.components_joined == 2);
  CHECK(connected_components(r.graph).count == 1);
  CHECK(r.graph.edge_count() == plain.graph.edge_count() + 2);
  // the link between blob 0 and blob 1 is their closest pair (brute force)
  double best = 1e300;
  std::pair<account_index, account_index> bp{};
  for (account_index a = 0; a < 30; ++a) {
    for (account_index b = 30; b < 60; ++b) {
      const double d = std::hypot(p(a, 0) - p(b, 0), p(a, 1) - p(b, 1));
      if (d < best) {
        best = d;
        bp = {a, b};
      }
    }
  }
  CHECK(r.graph.connected(bp.first, bp.second));
}

TEST_CASE("geo/knn_adjacency: WGS84 across the antimeridian and bad k") {
  Eigen::MatrixX2d p(4, 2);
  p << 10.0, 179.9, 10.0, -179.9, 10.0, 0.0, 10.1, 0.0;
  const auto r = knn_adjacency(p, {.k = 1, .system = coordinate_system::wgs84, .connect = false});
  CHECK(r.graph.connected(0, 1));  // 22 km apart across the antimeridian
  CHECK(r.graph.connected(2, 3));
  CHECK(r.components_before == 2);
  try {
    (void)knn_adjacency(p, {.k = 0});
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::out_of_range);
    CHECK(e.field() == "k");
  }
}

TEST_CASE("geo/connect_components: links are a minimum spanning tree of the component graph") {
  // three 2x2 grids along a line: gaps 10 (0-1) and 3 (1-2); and an isolated point far away
  Eigen::MatrixX2d p(13, 2);
  std::vector<edge> edges;
  const double xs[3] = {0.0, 11.0, 15.0};
  for (account_index g = 0; g < 3; ++g) {
    for (account_index i = 0; i < 4; ++i) {
      p(g * 4 + i, 0) = xs[g] + (i % 2);
      p(g * 4 + i, 1) = (i / 2);
    }
    edges.push_back({g * 4, g * 4 + 1});
    edges.push_back({g * 4, g * 4 + 2});
    edges.push_back({g * 4 + 1, g * 4 + 3});
    edges.push_back({g * 4 + 2, g * 4 + 3});
  }
  p(12, 0) = 16.0;
  p(12, 1) = 40.0;
  const auto graph = adjacency::from_edges(13, edges);
  const auto r = connect_components(graph, p);
  CHECK(r.components_before == 4);
  CHECK(r.components_joined == 3);
  CHECK(connected_components(r.graph).count == 1);
  CHECK_FALSE(r.graph.has_lengths());
  std::vector<double> lens = r.added_lengths;
  std::sort(lens.begin(), lens.end());
  REQUIRE(lens.size() == 3);
  CHECK(lens[0] == doctest::Approx(3.0));   // 1-2 gap: x 12 -> 15
  CHECK(lens[1] == doctest::Approx(10.0));  // 0-1 gap: x 1 -> 11
  CHECK(lens[2] == doctest::Approx(39.0));  // point (16, 40) to (16, 1)
  // ties (two pairs at distance 10 and 3) go to the smaller indices
  CHECK(r.graph.connected(1, 4));
  CHECK(r.graph.connected(5, 8));
  CHECK(r.graph.connected(11, 12));

  // the brute-force path for any other policy gives the same links for manhattan here
  const auto m = connect_components(graph, p, manhattan{});
  CHECK(m.components_joined == 3);
  CHECK(m.added == r.added);
}

TEST_CASE("geo/connect_components: connected input is unchanged; lengths are kept; errors") {
  const auto edges = test::grid_edges(3, 3);
  const auto t = test::grid_table(3, 3);
  std::vector<double> len(edges.size(), 1.0);
  const auto g = adjacency::from_edges(9, edges, len);
  const auto r = connect_components(g, t.coordinates());
  CHECK(r.components_before == 1);
  CHECK(r.components_joined == 0);
  CHECK(r.graph.edge_count() == g.edge_count());
  CHECK(r.graph.has_lengths());

  std::vector<edge> half(edges.begin(), edges.begin() + 3);
  const auto h = adjacency::from_edges(9, half, std::vector<double>(3, 1.0));
  const auto rh = connect_components(h, t.coordinates());
  CHECK(connected_components(rh.graph).count == 1);
  CHECK(rh.graph.has_lengths());
  CHECK(rh.components_joined == rh.components_before - 1);

  try {
    (void)connect_components(g, Eigen::MatrixX2d::Zero(8, 2));
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::size_mismatch);
    CHECK(e.field() == "coordinates");
  }
}

TEST_CASE("geo/connect_components: works with a travel-time matrix as the distance") {
  // 4 accounts, edges 0-1 and 2-3; matrix says 1->2 is the quickest link
  Eigen::MatrixXd t(4, 4);
  t << 0, 1, 5, 6,  //
      1, 0, 2, 7,   //
      5, 2, 0, 1,   //
      6, 7, 1, 0;
  const std::vector<edge> e{{0, 1}, {2, 3}};
  const auto g = adjacency::from_edges(4, e);
  const auto r = connect_components(g, travel_matrix::index_points(4), travel_matrix::dense(t));
  CHECK(r.components_joined == 1);
  REQUIRE(r.added.size() == 1);
  CHECK(r.added[0] == edge{1, 2});
  CHECK(r.added_lengths[0] == 2.0);
}

TEST_CASE("geo/connect_components: WGS84 with haversine and drive_time measure links in their unit") {
  Eigen::MatrixX2d ll(4, 2);
  ll << 41.5868, -93.6250, 41.60, -93.60, 41.8781, -87.6298, 41.90, -87.60;  // Des Moines x2, Chicago x2
  const std::vector<edge> e{{0, 1}, {2, 3}};
  const auto g = adjacency::from_edges(4, e);
  const auto km = connect_components(g, ll, haversine{});
  const auto h = connect_components(g, ll, drive_time{});
  REQUIRE(km.added.size() == 1);
  REQUIRE(h.added.size() == 1);
  CHECK(km.added == h.added);
  CHECK(km.added[0] == edge{1, 2});  // the two closest across the gap
  CHECK(h.added_lengths[0] == doctest::Approx(km.added_lengths[0] * 1.2 / 100.0));
}

TEST_CASE("geo/connect_components: added links equal Kruskal over all inter-component pairs") {
  for (std::uint64_t seed : {1U, 2U, 3U, 4U}) {
    CAPTURE(seed);
    rng r(seed);
    std::vector<point> centres;
    for (int c = 0; c < 12; ++c) centres.push_back({r.uniform_real(0, 200), r.uniform_real(0, 200)});
    const auto p = blobs(12, seed, centres, 4.0);
    const auto plain = knn_adjacency(p, {.k = 2, .connect = false});
    const auto comp = connected_components(plain.graph);
    REQUIRE(comp.count > 1);
    // brute force: Kruskal on every pair in different components
    struct pr {
      double d;
      account_index a, b;
    };
    std::vector<pr> all;
    const auto n = static_cast<account_index>(p.rows());
    for (account_index a = 0; a < n; ++a) {
      for (account_index b = a + 1; b < n; ++b) {
        if (comp.label[a] != comp.label[b]) all.push_back({std::hypot(p(a, 0) - p(b, 0), p(a, 1) - p(b, 1)), a, b});
      }
    }
    std::sort(all.begin(), all.end(), [](const pr& x, const pr& y) {
      return x.d < y.d || (x.d == y.d && (x.a < y.a || (x.a == y.a && x.b < y.b)));
    });
    std::vector<std::uint32_t> parent(comp.count);
    std::iota(parent.begin(), parent.end(), 0U);
    auto find = [&](std::uint32_t x) {
      while (parent[x] != x) x = parent[x] = parent[parent[x]];
      return x;
    };
    std::vector<edge> expect;
    double expect_len = 0;
    for (const auto& x : all) {
      const auto ra = find(comp.label[x.a]), rb = find(comp.label[x.b]);
      if (ra == rb) continue;
      parent[ra] = rb;
      expect.push_back({x.a, x.b});
      expect_len += x.d;
    }
    const auto got = connect_components(plain.graph, p);
    auto added = got.added;
    auto cmp = [](const edge& x, const edge& y) { return x.a < y.a || (x.a == y.a && x.b < y.b); };
    std::sort(added.begin(), added.end(), cmp);
    std::sort(expect.begin(), expect.end(), cmp);
    CHECK(added == expect);
    double len = 0;
    for (double l : got.added_lengths) len += l;
    CHECK(len == doctest::Approx(expect_len));
    CHECK(got.components_joined == comp.count - 1);
    // and the one-call builder agrees
    const auto joined = knn_adjacency(p, {.k = 2});
    CHECK(joined.components_joined == comp.count - 1);
    CHECK(joined.graph.edge_count() == plain.graph.edge_count() + expect.size());
  }
}
