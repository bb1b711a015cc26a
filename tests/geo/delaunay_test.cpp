// Tests of geo/delaunay.hpp.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include <territory/core/random.hpp>
#include <territory/geo/delaunay.hpp>
#include <territory/geo/haversine.hpp>
#include <territory/graph/components.hpp>

using namespace territory;

namespace {

// Number of strict convex-hull vertices (Andrew's monotone chain), computed independently.
std::size_t hull_size(const Eigen::MatrixX2d& xy) {
  std::vector<std::array<double, 2>> p(static_cast<std::size_t>(xy.rows()));
  for (std::size_t i = 0; i < p.size(); ++i) p[i] = {xy(static_cast<Eigen::Index>(i), 0), xy(static_cast<Eigen::Index>(i), 1)};
  std::sort(p.begin(), p.end());
  auto cross = [](const auto& o, const auto& a, const auto& b) {
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  };
  std::vector<std::array<double, 2>> h(2 * p.size());
  std::size_t k = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    while (k >= 2 && cross(h[k - 2], h[k - 1], p[i]) <= 0) --k;
    h[k++] = p[i];
  }
  for (std::size_t i = p.size() - 1, t = k + 1; i-- > 0;) {
    while (k >= t && cross(h[k - 2], h[k - 1], p[i]) <= 0) --k;
    h[k++] = p[i];
  }
  return k - 1;
}

Eigen::MatrixX2d random_points(std::size_t n, std::uint64_t seed) {
  rng r(seed);
  Eigen::MatrixX2d xy(static_cast<Eigen::Index>(n), 2);
  for (Eigen::Index i = 0; i < xy.rows(); ++i) {
    xy(i, 0) = r.uniform_real(0, 1000);
    xy(i, 1) = r.uniform_real(0, 1000);
  }
  return xy;
}

bool symmetric(const adjacency& g) {
  for (account_index v = 0; v < g.size(); ++v) {
    for (account_index w : g.neighbors(v)) {
      if (!g.connected(w, v)) return false;
    }
  }
  return true;
}

}  // namespace

TEST_CASE("geo/delaunay: square of 4 points gives the 4 sides and one diagonal") {
  Eigen::MatrixX2d xy(4, 2);
  xy << 0, 0, 1, 0, 0, 1, 1, 1;
  delaunay_report rep;
  const auto g = delaunay_adjacency(xy, {}, euclidean{}, &rep);
  CHECK(g.size() == 4);
  CHECK(g.edge_count() == 5);
  CHECK(g.connected(0, 1));
  CHECK(g.connected(0, 2));
  CHECK(g.connected(1, 3));
  CHECK(g.connected(2, 3));
  CHECK(g.connected(0, 3));  // fan from the smallest index
  CHECK_FALSE(g.connected(1, 2));
  CHECK(rep.degenerate_vertices == 1);
  CHECK(rep.components == 1);
}

TEST_CASE("geo/delaunay: triangle and single points") {
  Eigen::MatrixX2d tri(3, 2);
  tri << 0, 0, 4, 0, 1, 3;
  CHECK(delaunay_adjacency(tri).edge_count() == 3);
  Eigen::MatrixX2d one(1, 2);
  one << 5, 5;
  const auto g1 = delaunay_adjacency(one);
  CHECK(g1.size() == 1);
  CHECK(g1.edge_count() == 0);
  const auto g0 = delaunay_adjacency(Eigen::MatrixX2d(0, 2));
  CHECK(g0.size() == 0);
}

TEST_CASE("geo/delaunay: random points give 3n-3-h edges, symmetric and connected") {
  for (std::uint64_t seed : {1U, 2U, 3U, 4U, 5U}) {
    CAPTURE(seed);
    for (std::size_t n : {10U, 100U, 2000U}) {
      CAPTURE(n);
      const auto xy = random_points(n, seed);
      const auto g = delaunay_adjacency(xy);
      CHECK(g.size() == n);
      CHECK(g.edge_count() == 3 * n - 3 - hull_size(xy));
      CHECK(symmetric(g));
      CHECK(connected_components(g).count == 1);
    }
  }
}

TEST_CASE("geo/delaunay: edges equal a brute-force empty-circumcircle triangulation") {
  for (std::uint64_t seed : {11U, 12U, 13U}) {
    CAPTURE(seed);
    const std::size_t n = 30;
    const auto xy = random_points(n, seed);
    std::vector<std::vector<bool>> expected(n, std::vector<bool>(n, false));
    auto px = [&](std::size_t i) { return xy(static_cast<Eigen::Index>(i), 0); };
    auto py = [&](std::size_t i) { return xy(static_cast<Eigen::Index>(i), 1); };
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = i + 1; j < n; ++j) {
        for (std::size_t k = j + 1; k < n; ++k) {
          // Circumcircle of (i, j, k); the triangle is Delaunay iff no other point lies inside.
          const double ax = px(i), ay = py(i), bx = px(j), by = py(j), cx = px(k), cy = py(k);
          const double d = 2 * (ax * (by - cy) + bx * (cy - ay) + cx * (ay - by));
          if (std::abs(d) < 1e-12) continue;
          const double ux = ((ax * ax + ay * ay) * (by - cy) + (bx * bx + by * by) * (cy - ay) + (cx * cx + cy * cy) * (ay - by)) / d;
          const double uy = ((ax * ax + ay * ay) * (cx - bx) + (bx * bx + by * by) * (ax - cx) + (cx * cx + cy * cy) * (bx - ax)) / d;
          const double r2 = (ax - ux) * (ax - ux) + (ay - uy) * (ay - uy);
          bool empty = true;
          for (std::size_t l = 0; l < n && empty; ++l) {
            if (l == i || l == j || l == k) continue;
            if ((px(l) - ux) * (px(l) - ux) + (py(l) - uy) * (py(l) - uy) < r2) empty = false;
          }
          if (empty) expected[i][j] = expected[i][k] = expected[j][k] = true;
        }
      }
    }
    const auto g = delaunay_adjacency(xy);
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = i + 1; j < n; ++j) {
        CAPTURE(i);
        CAPTURE(j);
        CHECK(g.connected(static_cast<account_index>(i), static_cast<account_index>(j)) == expected[i][j]);
      }
    }
  }
}

TEST_CASE("geo/delaunay: a regular grid (many cocircular quadruples) is triangulated") {
  const Eigen::Index side = 12;
  Eigen::MatrixX2d xy(side * side, 2);
  for (Eigen::Index i = 0; i < side * side; ++i) {
    xy(i, 0) = static_cast<double>(i % side);
    xy(i, 1) = static_cast<double>(i / side);
  }
  delaunay_report rep;
  const auto g = delaunay_adjacency(xy, {}, euclidean{}, &rep);
  const auto n = static_cast<std::size_t>(side * side);
  const auto h = static_cast<std::size_t>(4 * (side - 1));  // boundary points, including collinear ones
  // Triangulation of n points with h on the boundary: 3n - 3 - h edges.
  CHECK(g.edge_count() == 3 * n - 3 - h);
  CHECK(rep.degenerate_vertices == static_cast<std::size_t>((side - 1) * (side - 1)));
  for (account_index v = 0; v < n; ++v) {
    CHECK(g.degree(v) >= 2);
  }
}

TEST_CASE("geo/delaunay: collinear points give the path along the line") {
  Eigen::MatrixX2d xy(5, 2);
  xy << 3, 3, 0, 0, 4, 4, 1, 1, 2, 2;
  const auto g = delaunay_adjacency(xy);
  CHECK(g.edge_count() == 4);
  CHECK(g.connected(1, 3));
  CHECK(g.connected(3, 4));
  CHECK(g.connected(4, 0));
  CHECK(g.connected(0, 2));
  CHECK_FALSE(g.connected(1, 2));
}

TEST_CASE("geo/delaunay: duplicate points are merged into the smallest index and inherit its neighbours") {
  Eigen::MatrixX2d xy(6, 2);
  xy << 0, 0, 10, 0, 0, 10, 10, 0, 3, 4, 10, 0;  // 3 and 5 duplicate 1
  delaunay_report rep;
  const auto g = delaunay_adjacency(xy, {}, euclidean{}, &rep);
  CHECK(rep.duplicate_points == 2);
  CHECK(g.connected(1, 3));
  CHECK(g.connected(1, 5));
  CHECK(g.connected(3, 5));
  for (account_index w : g.neighbors(1)) {
    if (w == 3 || w == 5) continue;
    CHECK(g.connected(3, w));
    CHECK(g.connected(5, w));
  }
  CHECK(symmetric(g));
  CHECK(connected_components(g).count == 1);
  // All points identical: a clique on one site.
  Eigen::MatrixX2d same = Eigen::MatrixX2d::Constant(3, 2, 7.0);
  CHECK(delaunay_adjacency(same).edge_count() == 3);
}

TEST_CASE("geo/delaunay: max_edge_length drops long edges and reports them") {
  Eigen::MatrixX2d xy(6, 2);
  xy << 0, 0, 1, 0, 0, 1, 100, 100, 101, 100, 100, 101;
  delaunay_report rep;
  const auto full = delaunay_adjacency(xy, {}, euclidean{}, &rep);
  const auto total = rep.triangulation_edges;
  CHECK(total == full.edge_count());
  const auto g = delaunay_adjacency(xy, {.max_edge_length = 5.0, .store_lengths = true}, euclidean{}, &rep);
  CHECK(g.edge_count() == 6);
  CHECK(rep.dropped_edges == total - 6);
  CHECK(rep.components == 2);
  REQUIRE(g.has_lengths());
  for (account_index v = 0; v < g.size(); ++v) {
    for (double len : g.lengths(v)) CHECK(len <= 5.0);
  }
  CHECK(g.lengths(0)[0] == doctest::Approx(1.0));
}

TEST_CASE("geo/delaunay: a distance policy measures the cut (haversine, lat/lon)") {
  Eigen::MatrixX2d ll(4, 2);
  ll << 40.0, -100.0, 40.0, -99.0, 41.0, -100.0, 41.0, -99.0;  // ~85 km and ~111 km sides
  delaunay_report rep;
  const auto g = delaunay_adjacency(ll, {.max_edge_length = 100.0}, haversine{}, &rep);
  CHECK(g.connected(0, 1));
  CHECK(g.connected(2, 3));
  CHECK_FALSE(g.connected(0, 2));
  CHECK(rep.dropped_edges == 3);
}

TEST_CASE("geo/delaunay: bad input throws before any work") {
  Eigen::MatrixX2d xy(3, 2);
  xy << 0, 0, 1, std::numeric_limits<double>::quiet_NaN(), 2, 2;
  try {
    (void)delaunay_adjacency(xy);
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::non_finite);
    CHECK(e.field() == "xy");
    CHECK(e.index() == 1);
  }
  Eigen::MatrixX2d ok(2, 2);
  ok << 0, 0, 1, 1;
  try {
    (void)delaunay_adjacency(ok, {.max_edge_length = -1.0});
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::invalid_parameter);
    CHECK(e.field() == "max_edge_length");
  }
}

TEST_CASE("geo/delaunay: deterministic and invariant to translation and scale") {
  const auto xy = random_points(500, 9);
  const auto g1 = delaunay_adjacency(xy);
  const auto g2 = delaunay_adjacency(xy);
  Eigen::MatrixX2d moved = (xy.array() * 3.0 + 1e4).matrix();
  const auto g3 = delaunay_adjacency(moved);
  CHECK(std::equal(g1.targets().begin(), g1.targets().end(), g2.targets().begin(), g2.targets().end()));
  CHECK(std::equal(g1.targets().begin(), g1.targets().end(), g3.targets().begin(), g3.targets().end()));
}
