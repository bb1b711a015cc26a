// Tests of geo/spatial_index.hpp against brute force.
#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include <territory/core/random.hpp>
#include <territory/geo/euclidean.hpp>
#include <territory/geo/haversine.hpp>
#include <territory/geo/snap_to_accounts.hpp>
#include <territory/geo/spatial_index.hpp>

using namespace territory;

namespace {

Eigen::MatrixX2d random_points(std::size_t n, std::uint64_t seed, double lo0, double hi0, double lo1, double hi1,
                               bool grid_snap = false) {
  rng r(seed);
  Eigen::MatrixX2d p(static_cast<Eigen::Index>(n), 2);
  for (Eigen::Index i = 0; i < p.rows(); ++i) {
    p(i, 0) = r.uniform_real(lo0, hi0);
    p(i, 1) = r.uniform_real(lo1, hi1);
    if (grid_snap) {  // many exact ties
      p(i, 0) = std::round(p(i, 0));
      p(i, 1) = std::round(p(i, 1));
    }
  }
  return p;
}

template <class D>
std::vector<neighbor> brute_sorted(const Eigen::MatrixX2d& p, const point& q, D d) {
  std::vector<neighbor> all;
  for (Eigen::Index i = 0; i < p.rows(); ++i) all.push_back({static_cast<account_index>(i), d(q, {p(i, 0), p(i, 1)})});
  std::sort(all.begin(), all.end(), [](const neighbor& a, const neighbor& b) {
    return a.distance < b.distance || (a.distance == b.distance && a.index < b.index);
  });
  return all;
}

void check_same(const std::vector<neighbor>& got, const std::vector<neighbor>& expected) {
  REQUIRE(got.size() == expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    CAPTURE(i);
    CHECK(got[i].distance == doctest::Approx(expected[i].distance).epsilon(1e-9));
    // equal distances may come out in any order only if they differ by rounding; check the set
  }
  std::vector<account_index> a, b;
  for (const auto& x : got) a.push_back(x.index);
  for (const auto& x : expected) b.push_back(x.index);
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  CHECK(a == b);
}

}  // namespace

TEST_CASE("geo/spatial_index: planar kNN and radius queries equal brute force") {
  for (std::uint64_t seed : {1U, 2U, 3U}) {
    CAPTURE(seed);
    const auto p = random_points(500, seed, 0, 100, 0, 50, seed == 3);
    const spatial_index idx(p);
    CHECK(idx.size() == 500);
    rng r(seed + 100);
    for (int t = 0; t < 20; ++t) {
      const point q{r.uniform_real(-10, 110), r.uniform_real(-10, 60)};
      const auto all = brute_sorted(p, q, euclidean{});
      const auto got = idx.nearest(q, 7);
      if (seed == 3) {
        // exact ties: the result is the 7 smallest by (distance, index)
        REQUIRE(got.size() == 7);
        for (std::size_t i = 0; i < 7; ++i) {
          CHECK(got[i].index == all[i].index);
          CHECK(got[i].distance == doctest::Approx(all[i].distance).epsilon(1e-12));
        }
      } else {
        check_same(got, {all.begin(), all.begin() + 7});
      }
      std::vector<neighbor> in;
      for (const auto& x : all) {
        if (x.distance <= 12.5) in.push_back(x);
      }
      check_same(idx.within(q, 12.5), in);
    }
  }
}

TEST_CASE("geo/spatial_index: WGS84 neighbours are haversine's, across the antimeridian and near the poles") {
  // points straddling the antimeridian and reaching the pole
  const auto p = random_points(400, 9, 60, 90, -180, 180);
  const spatial_index idx(p, coordinate_system::wgs84);
  for (const point q : {point{70.0, 179.9}, point{70.0, -179.9}, point{89.99, 0.0}, point{65.0, 10.0}}) {
    CAPTURE(q[0]);
    CAPTURE(q[1]);
    const auto all = brute_sorted(p, q, haversine{});
    check_same(idx.nearest(q, 5), {all.begin(), all.begin() + 5});
    std::vector<neighbor> in;
    for (const auto& x : all) {
      if (x.distance <= 300.0) in.push_back(x);
    }
    check_same(idx.within(q, 300.0), in);
  }
  Eigen::MatrixX2d two(2, 2);
  two << 0.0, 179.9, 0.0, -179.9;
  const spatial_index am(two, coordinate_system::wgs84);
  const auto nb = am.nearest({0.0, 179.95}, 2);
  REQUIRE(nb.size() == 2);
  CHECK(nb[0].index == 0);
  CHECK(nb[1].distance == doctest::Approx(haversine{}({0.0, 179.95}, {0.0, -179.9})).epsilon(1e-9));
}

TEST_CASE("geo/spatial_index: filtered and degenerate queries") {
  const auto p = random_points(100, 4, 0, 10, 0, 10);
  const spatial_index idx(p);
  const point q{p(5, 0), p(5, 1)};
  const auto self = idx.nearest(q, 1);
  REQUIRE(self.size() == 1);
  CHECK(self[0].index == 5);
  CHECK(self[0].distance == 0.0);
  const auto others = idx.nearest_if(q, 3, [](account_index a) { return a != 5; });
  REQUIRE(others.size() == 3);
  for (const auto& x : others) CHECK(x.index != 5);
  CHECK(idx.nearest(q, 1000).size() == 100);
  CHECK(idx.nearest(q, 0).empty());
  CHECK(spatial_index(Eigen::MatrixX2d(0, 2)).nearest(q, 3).empty());
}

TEST_CASE("geo/spatial_index: bad coordinates throw naming the row") {
  Eigen::MatrixX2d p(3, 2);
  p << 0, 0, 1, std::nan(""), 2, 2;
  try {
    (void)spatial_index(p);
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::non_finite);
    CHECK(e.field() == "coordinates");
    CHECK(e.index() == 1);
  }
  p << 0, 0, 1, 1, 91, 2;
  try {
    (void)spatial_index(p, coordinate_system::wgs84);
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::out_of_range);
    CHECK(e.field() == "coordinates");
    CHECK(e.index() == 2);
  }
  CHECK_NOTHROW((void)spatial_index(p));  // planar: 91 is just a number
  const spatial_index ok(p);
  CHECK_THROWS_AS((void)ok.within({0, 0}, -1.0), invalid_input);
}

TEST_CASE("geo/spatial_index: nearest account of another group equals brute force") {
  const auto p = random_points(300, 12, 0, 100, 0, 100);
  std::vector<std::uint32_t> group(300);
  for (std::size_t i = 0; i < 300; ++i)
    group[i] = static_cast<std::uint32_t>(p(static_cast<Eigen::Index>(i), 0) / 25.0);
  const spatial_index idx(p);
  const auto g = idx.group_by(group);
  for (account_index a = 0; a < 300; a += 7) {
    CAPTURE(a);
    const point q{p(a, 0), p(a, 1)};
    double best = 1e300;
    account_index bi = 0;
    for (account_index b = 0; b < 300; ++b) {
      if (group[b] == group[a]) continue;
      const double d = euclidean{}(q, {p(b, 0), p(b, 1)});
      if (d < best) {
        best = d;
        bi = b;
      }
    }
    const auto got = idx.nearest_in_other_group(q, g, group[a]);
    REQUIRE(got.has_value());
    CHECK(got->index == bi);
    CHECK(got->distance == doctest::Approx(best));
    CHECK_FALSE(idx.nearest_in_other_group(q, g, group[a], best * 0.99).has_value());
    CHECK(idx.nearest_in_other_group(q, g, group[a], best)->index == bi);
  }
  const std::vector<std::uint32_t> one(300, 0);
  const auto all = idx.group_by(one);
  CHECK_FALSE(idx.nearest_in_other_group({1, 1}, all, 0).has_value());
  CHECK_THROWS_AS((void)idx.group_by(std::span<const std::uint32_t>(one.data(), 10)), invalid_input);
}

TEST_CASE("geo/snap_to_accounts: distinct nearest accounts in location order") {
  Eigen::MatrixX2d p(4, 2);
  p << 0, 0, 1, 0, 5, 5, 9, 9;
  const spatial_index idx(p);
  const std::vector<point> homes{{0.1, 0.0}, {0.0, 0.1}, {8.0, 8.0}};
  const auto s = snap_to_accounts(idx, homes);
  CHECK(s == std::vector<account_index>{0, 1, 3});  // the second home's nearest (0) is taken
  const std::vector<point> many(5, point{0, 0});
  try {
    (void)snap_to_accounts(idx, many);
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::out_of_range);
    CHECK(e.field() == "locations");
  }
}
