// Tests of geo/project_planar.hpp against haversine.
#include <doctest/doctest.h>

#include <cmath>

#include <territory/core/random.hpp>
#include <territory/geo/distance_policy.hpp>
#include <territory/geo/euclidean.hpp>
#include <territory/geo/haversine.hpp>
#include <territory/geo/project_planar.hpp>

using namespace territory;

TEST_CASE("geo/project_planar: regional distances within 0.2 % of the great circle") {
  // Iowa-sized region: 40.4–43.5 N, 96.6–90.1 W
  rng r(8);
  Eigen::MatrixX2d ll(60, 2);
  for (Eigen::Index i = 0; i < 60; ++i) {
    ll(i, 0) = r.uniform_real(40.4, 43.5);
    ll(i, 1) = r.uniform_real(-96.6, -90.1);
  }
  const auto xy = project_planar(ll);
  for (Eigen::Index i = 0; i < 60; i += 3) {
    for (Eigen::Index j = i + 1; j < 60; j += 5) {
      const double gc = haversine{}({ll(i, 0), ll(i, 1)}, {ll(j, 0), ll(j, 1)});
      const double pl = euclidean{}({xy(i, 0), xy(i, 1)}, {xy(j, 0), xy(j, 1)});
      if (gc > 10) CHECK(std::abs(pl - gc) <= 0.002 * gc);
    }
  }
}

TEST_CASE("geo/project_planar: a region across the antimeridian stays in one piece") {
  Eigen::MatrixX2d ll(2, 2);
  ll << -17.0, 179.9, -17.0, -179.9;  // Fiji
  const auto xy = project_planar(ll);
  const double pl = std::hypot(xy(0, 0) - xy(1, 0), xy(0, 1) - xy(1, 1));
  CHECK(pl == doctest::Approx(haversine{}({-17.0, 179.9}, {-17.0, -179.9})).epsilon(0.001));
  // distances from the center are exact, also at the pole
  Eigen::MatrixX2d pole(2, 2);
  pole << 90.0, 0.0, 80.0, 45.0;
  const auto pxy = project_planar(pole, point{90.0, 0.0});
  CHECK(std::hypot(pxy(1, 0), pxy(1, 1)) == doctest::Approx(haversine{}({90, 0}, {80, 45})).epsilon(1e-9));
  CHECK(std::hypot(pxy(0, 0), pxy(0, 1)) == doctest::Approx(0.0));
  ll(1, 0) = 95.0;
  try {
    (void)project_planar(ll);
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::out_of_range);
    CHECK(e.field() == "coordinates");
    CHECK(e.index() == 1);
  }
}
