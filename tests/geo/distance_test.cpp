// Tests of geo/haversine.hpp, geo/euclidean.hpp, geo/drive_time.hpp, geo/travel_matrix.hpp.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include <territory/geo/drive_time.hpp>
#include <territory/geo/euclidean.hpp>
#include <territory/geo/haversine.hpp>
#include <territory/geo/travel_matrix.hpp>

using namespace territory;

namespace {
// Within `rel` relative error of a published figure.
bool near_rel(double got, double expected, double rel) { return std::abs(got - expected) <= rel * expected; }
}  // namespace

TEST_CASE("geo/haversine: known city pairs within 0.1 % of published great-circle figures") {
  // Wikipedia's haversine example (sphere of radius 6372.8 km): Nashville BNA -> Los Angeles LAX, 2887.26 km.
  CHECK(near_rel(haversine{.radius_km = 6372.8}({36.12, -86.67}, {33.94, -118.40}), 2887.26, 0.001));
  // Movable Type's calculator (R = 6371 km): London -> Paris 343.5 km, New York -> Los Angeles 3936 km,
  // Sydney -> Melbourne 713.4 km.
  const haversine h{};
  CHECK(near_rel(h({51.5074, -0.1278}, {48.8566, 2.3522}), 343.5, 0.001));
  CHECK(near_rel(h({40.7128, -74.0060}, {34.0522, -118.2437}), 3936.0, 0.001));
  CHECK(near_rel(h({-33.8688, 151.2093}, {-37.8136, 144.9631}), 713.4, 0.001));
}

TEST_CASE("geo/haversine: antimeridian, poles and antipodes") {
  const haversine h{};
  const double one_degree = 2 * 3.141592653589793 * 6371.0088 / 360.0;  // 111.195 km
  CHECK(h({0.0, 179.5}, {0.0, -179.5}) == doctest::Approx(one_degree).epsilon(1e-9));
  CHECK(h({10.0, -179.9}, {10.0, 179.9}) < 25.0);
  // two points 0.1 deg from the north pole on opposite meridians are 0.2 deg apart
  CHECK(h({89.9, 0.0}, {89.9, 180.0}) == doctest::Approx(0.2 * one_degree).epsilon(1e-6));
  CHECK(h({90.0, 0.0}, {90.0, 123.0}) == doctest::Approx(0.0).epsilon(1e-9));
  CHECK(h({-90.0, 0.0}, {90.0, 0.0}) == doctest::Approx(180 * one_degree).epsilon(1e-9));
  const double antipodal = h({0.0, 0.0}, {0.0, 180.0});
  CHECK(std::isfinite(antipodal));
  CHECK(antipodal == doctest::Approx(180 * one_degree).epsilon(1e-9));
  CHECK(h({45.0, 7.0}, {-3.0, 100.0}) == doctest::Approx(h({-3.0, 100.0}, {45.0, 7.0})));
}

TEST_CASE("geo/euclidean: planar distance") {
  CHECK(euclidean{}({0.0, 0.0}, {3.0, 4.0}) == 5.0);
  CHECK(euclidean{}({1.0, 1.0}, {1.0, 1.0}) == 0.0);
}

TEST_CASE("geo/drive_time: great circle x road factor / speed, sensible US hours") {
  const drive_time dt{};
  const point des_moines{41.5868, -93.6250};
  const point chicago{41.8781, -87.6298};
  const double gc = haversine{}(des_moines, chicago);
  CHECK(gc == doctest::Approx(498.4).epsilon(0.001));
  CHECK(dt(des_moines, chicago) == doctest::Approx(gc * 1.2 / 100.0));
  // by road: ~535 km, 5-5.5 h
  CHECK(dt(des_moines, chicago) > 4.5);
  CHECK(dt(des_moines, chicago) < 7.0);
  const drive_time rural{.road_factor = 1.4, .speed_kmh = 60.0};
  CHECK(rural(des_moines, chicago) == doctest::Approx(gc * 1.4 / 60.0));
  CHECK(dt(chicago, chicago) == 0.0);
  static_assert(distance_policy<drive_time>);
}

TEST_CASE("geo/travel_matrix: dense lookups and the distance_policy interface") {
  Eigen::MatrixXd t(3, 3);
  t << 0, 1.5, 2.0,  //
      1.6, 0, 0.5,   //
      2.0, 0.5, 0;
  const auto m = travel_matrix::dense(t);
  CHECK(m.size() == 3);
  CHECK(m.is_dense());
  CHECK(m.at(0, 1) == 1.5);
  CHECK(m.at(1, 0) == 1.6);
  const auto pts = travel_matrix::index_points(3);
  CHECK(m({pts(2, 0), pts(2, 1)}, {pts(1, 0), pts(1, 1)}) == 0.5);
  static_assert(distance_policy<travel_matrix>);
  try {
    (void)m.at(0, 3);
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::out_of_range);
    CHECK(e.field() == "travel_matrix");
  }
  CHECK_THROWS_AS((void)m({0.5, 0.0}, {1.0, 0.0}), invalid_input);
}

TEST_CASE("geo/travel_matrix: bad dense input throws naming the field") {
  try {
    (void)travel_matrix::dense(Eigen::MatrixXd::Zero(2, 3));
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::size_mismatch);
    CHECK(e.field() == "times");
  }
  Eigen::MatrixXd t = Eigen::MatrixXd::Zero(2, 2);
  t(1, 0) = -1.0;
  try {
    (void)travel_matrix::dense(t);
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::negative_value);
    CHECK(e.field() == "times");
    CHECK(e.index() == 1);
  }
  t(1, 0) = std::nan("");
  CHECK_THROWS_AS((void)travel_matrix::dense(t), invalid_input);
}

TEST_CASE("geo/travel_matrix: sparse pairs, symmetry and a clear error on a missing pair") {
  const std::vector<travel_entry> entries{{0, 1, 2.0}, {1, 2, 3.0}, {3, 0, 4.0}};
  const auto sym = travel_matrix::sparse(4, entries);
  CHECK(sym.at(1, 0) == 2.0);
  CHECK(sym.at(0, 3) == 4.0);
  CHECK(sym.at(2, 2) == 0.0);
  CHECK(sym.contains(2, 1));
  CHECK_FALSE(sym.contains(0, 2));
  CHECK_THROWS_WITH_AS((void)sym.at(0, 2),
                       "[territory.unknown_id] travel_matrix: no travel time from account 0 to account 2",
                       invalid_input);
  try {
    (void)sym.at(2, 0);
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::unknown_id);
    CHECK(e.field() == "travel_matrix");
    CHECK(e.index() == 2);
  }
  const auto directed = travel_matrix::sparse(4, entries, false);
  CHECK(directed.at(0, 1) == 2.0);
  CHECK_THROWS_AS((void)directed.at(1, 0), invalid_input);

  const std::vector<travel_entry> bad{{0, 1, 1.0}, {0, 9, 1.0}};
  try {
    (void)travel_matrix::sparse(4, bad);
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::out_of_range);
    CHECK(e.field() == "entries");
    CHECK(e.index() == 1);
  }
  const std::vector<travel_entry> clash{{0, 1, 1.0}, {1, 0, 2.0}};
  CHECK_THROWS_AS((void)travel_matrix::sparse(4, clash), invalid_input);
  const std::vector<travel_entry> same{{0, 1, 1.0}, {1, 0, 1.0}};
  CHECK(travel_matrix::sparse(4, same).at(1, 0) == 1.0);
}

namespace {
struct manhattan_model {
  double operator()(const point& p, const point& q) const noexcept {
    return std::abs(p[0] - q[0]) + std::abs(p[1] - q[1]);
  }
};
struct returns_text {
  const char* operator()(const point&, const point&) const { return "far"; }
};
struct takes_one_point {
  double operator()(const point&) const { return 0.0; }
};
}  // namespace

TEST_CASE("geo/distance_policy: models and non-models") {
  static_assert(distance_policy<euclidean>);
  static_assert(distance_policy<haversine>);
  static_assert(distance_policy<drive_time>);
  static_assert(distance_policy<travel_matrix>);
  static_assert(distance_policy<manhattan_model>);
  static_assert(!distance_policy<returns_text>);
  static_assert(!distance_policy<takes_one_point>);
  static_assert(!distance_policy<int>);
  CHECK(manhattan_model{}({0, 0}, {1, 2}) == 3.0);
}
