#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include <territory/core/error.hpp>
#include <territory/core/random.hpp>
#include <territory/geo/haversine.hpp>
#include <territory/plan/assign_reps.hpp>

namespace {

using territory::assign_reps;
using territory::point;
using territory::rep;
using territory::rep_assignment;

rep make_rep(std::string id, double x, double y, double capacity = 1.0) {
  rep r;
  r.id = std::move(id);
  r.home = std::array<double, 2>{x, y};
  r.capacity = capacity;
  return r;
}

double dist(const point& a, const point& b) { return std::hypot(a[0] - b[0], a[1] - b[1]); }

struct objective {
  int violations = 0;
  double distance = 0.0;
};

/// Every injective map of the smaller side into the larger, by recursion: the best (violations,
/// distance) pair. Exponential; for p, r <= 6.
objective brute_force(const std::vector<point>& c, const std::vector<double>& loads, const std::vector<rep>& reps,
                      double tol) {
  const std::size_t p = c.size(), k = reps.size();
  objective best{std::numeric_limits<int>::max(), 0.0};
  std::vector<char> used(k, 0);
  std::vector<std::size_t> pick(p);
  auto rec = [&](auto&& self, std::size_t t, objective cur) -> void {
    if (t == p) {
      if (cur.violations < best.violations ||
          (cur.violations == best.violations && cur.distance < best.distance)) {
        best = cur;
      }
      return;
    }
    const std::size_t assigned = static_cast<std::size_t>(std::count(used.begin(), used.end(), 1));
    // a territory may stay without a rep only when there are fewer reps than territories
    if (p - t > k - assigned) self(self, t + 1, cur);
    for (std::size_t r = 0; r < k; ++r) {
      if (used[r]) continue;
      used[r] = 1;
      objective next = cur;
      next.violations += loads[t] <= reps[r].capacity * (1.0 + tol) ? 0 : 1;
      next.distance += dist(*reps[r].home, c[t]);
      self(self, t + 1, next);
      used[r] = 0;
    }
  };
  rec(rec, 0, {0, 0.0});
  return best;
}

}  // namespace

TEST_CASE("plan/assign_reps: equals brute force over every assignment on random instances") {
  for (std::uint64_t seed = 1; seed <= 24; ++seed) {
    territory::rng g(seed);
    const std::size_t p = 1 + g.below(6), k = 1 + g.below(6);
    std::vector<point> centres(p);
    std::vector<double> loads(p);
    for (std::size_t t = 0; t < p; ++t) {
      centres[t] = {100.0 * g.uniform01(), 100.0 * g.uniform01()};
      loads[t] = 0.4 + 0.8 * g.uniform01();
    }
    std::vector<rep> reps;
    for (std::size_t r = 0; r < k; ++r) {
      reps.push_back(make_rep("r" + std::to_string(r), 100.0 * g.uniform01(), 100.0 * g.uniform01(),
                              g.below(3) == 0 ? 0.5 : 1.0));
    }
    CAPTURE(seed);
    const auto got = assign_reps(centres, loads, reps, {.tolerance = 0.05});
    const auto want = brute_force(centres, loads, reps, 0.05);
    int viol = 0;
    double total = 0.0;
    std::vector<int> seen(k, 0);
    std::size_t staffed = 0;
    for (std::size_t t = 0; t < p; ++t) {
      if (got.rep_of[t] == rep_assignment::no_rep) continue;
      ++staffed;
      ++seen[got.rep_of[t]];
      viol += loads[t] <= reps[got.rep_of[t]].capacity * 1.05 ? 0 : 1;
      total += dist(*reps[got.rep_of[t]].home, centres[t]);
      CHECK(got.distance[t] == doctest::Approx(dist(*reps[got.rep_of[t]].home, centres[t])));
    }
    CHECK(staffed == std::min(p, k));
    CHECK(std::all_of(seen.begin(), seen.end(), [](int s) { return s <= 1; }));
    CHECK(got.unassigned_reps.size() == k - staffed);
    CHECK(viol == want.violations);
    CHECK(total == doctest::Approx(want.distance).epsilon(1e-9));
    CHECK(got.total_distance == doctest::Approx(total));
    const auto cap = std::count_if(got.violations.begin(), got.violations.end(), [](const auto& v) {
      return v.kind == territory::constraint_kind::capacity;
    });
    const auto unstaffed = std::count_if(got.violations.begin(), got.violations.end(), [](const auto& v) {
      return v.kind == territory::constraint_kind::unassigned;
    });
    CHECK(cap == viol);
    CHECK(static_cast<std::size_t>(unstaffed) == p - staffed);
    CHECK(got.feasible() == (viol == 0 && staffed == p));
  }
}

TEST_CASE("plan/assign_reps: a ramping rep gets the light territory even when it lives further away") {
  // territory 0 at (0,0) is full (load 1.0); territory 1 at (10,0) is half (0.5).
  const std::vector<point> centres{{0, 0}, {10, 0}};
  const std::vector<double> loads{1.0, 0.5};
  // the ramping rep lives next to the full territory, the full-time rep next to the light one
  const std::vector<rep> reps{make_rep("ramping", 0, 1, 0.5), make_rep("full", 10, 1, 1.0)};
  const auto got = assign_reps(centres, loads, reps);
  CHECK(got.rep_of[0] == 1);
  CHECK(got.rep_of[1] == 0);
  CHECK(got.feasible());
  CHECK(got.total_distance == doctest::Approx(2.0 * std::hypot(10.0, 1.0)));
}

TEST_CASE("plan/assign_reps: an unavoidable capacity excess is reported with its amount") {
  const std::vector<point> centres{{0, 0}, {10, 0}};
  const std::vector<double> loads{1.02, 0.98};
  const std::vector<rep> reps{make_rep("a", 0, 0, 1.0), make_rep("b", 10, 0, 0.5)};
  const auto got = assign_reps(centres, loads, reps, {.tolerance = 0.05, .territory_names = {"North", "South"}});
  REQUIRE(got.violations.size() == 1);
  const auto& v = got.violations.front();
  CHECK(v.kind == territory::constraint_kind::capacity);
  CHECK(v.territory == 1);
  CHECK(v.subject == "b");
  CHECK(v.amount == doctest::Approx(0.98 / 0.5 - 1.05));
  CHECK(v.reason.find("territory South carries 0.98x a full load but its rep 'b' has capacity 0.50 (allowed 0.53x)") != std::string::npos);
  CHECK(v.reason.find("'b'") != std::string::npos);
}

TEST_CASE("plan/assign_reps: departed reps are skipped and too few reps leave territories unstaffed") {
  const std::vector<point> centres{{0, 0}, {10, 0}, {20, 0}};
  const std::vector<double> loads{1.0, 1.0, 1.0};
  std::vector<rep> reps{make_rep("gone", 0, 0), make_rep("near20", 19, 0), make_rep("near0", 1, 0)};
  reps[0].status = territory::rep_status::departed;
  const auto got = assign_reps(centres, loads, reps);
  CHECK(got.rep_of[0] == 2);
  CHECK(got.rep_of[1] == rep_assignment::no_rep);  // the middle one is the cheapest to leave out
  CHECK(got.rep_of[2] == 1);
  REQUIRE(got.violations.size() == 1);
  CHECK(got.violations[0].kind == territory::constraint_kind::unassigned);
  CHECK(got.violations[0].territory == 1);
  CHECK(got.violations[0].reason.find("2 active reps for 3 territories") != std::string::npos);
  CHECK(got.unassigned_reps.empty());
}

TEST_CASE("plan/assign_reps: a remote rep (no home) takes the territory the others live furthest from") {
  const std::vector<point> centres{{0, 0}, {50, 0}, {100, 0}};
  const std::vector<double> loads{1.0, 1.0, 1.0};
  auto remote = make_rep("remote", 0, 0);
  remote.home.reset();
  const std::vector<rep> reps{make_rep("west", 10, 0), make_rep("east", 90, 0), remote};
  const auto got = assign_reps(centres, loads, reps);
  CHECK(got.rep_of == std::vector<std::size_t>{0, 2, 1});
  CHECK(got.distance[1] == 0.0);
  CHECK(got.total_distance == doctest::Approx(20.0));
}

TEST_CASE("plan/assign_reps: extra reps are listed as unassigned and haversine distances work") {
  const std::vector<point> centres{{41.6, -93.6}};  // Des Moines
  const std::vector<double> loads{1.0};
  const std::vector<rep> reps{make_rep("chicago", 41.88, -87.63), make_rep("ames", 42.03, -93.62)};
  const auto got = assign_reps(centres, loads, reps, {}, territory::haversine{});
  CHECK(got.rep_of[0] == 1);
  CHECK(got.unassigned_reps == std::vector<std::size_t>{0});
  CHECK(got.distance[0] == doctest::Approx(48.0).epsilon(0.05));  // about 48 km
  CHECK(got.feasible());
}

TEST_CASE("plan/assign_reps: bad input names the field, index and rep") {
  const std::vector<point> centres{{0, 0}, {1, 1}};
  const std::vector<double> loads{1.0, 1.0};
  std::vector<rep> reps{make_rep("a", 0, 0), make_rep("b", 1, 1)};
  auto code_field = [](auto&& f, territory::errc code, const char* field) {
    try {
      f();
      FAIL("expected invalid_input");
    } catch (const territory::invalid_input& e) {
      CHECK(e.code() == code);
      CHECK(std::string(e.field()) == field);
    }
  };
  code_field([&] { (void)assign_reps(centres, std::vector<double>{1.0}, reps); }, territory::errc::size_mismatch, "loads");
  code_field([&] { (void)assign_reps(centres, std::vector<double>{1.0, -0.1}, reps); }, territory::errc::negative_value,
             "loads");
  code_field([&] { (void)assign_reps(centres, std::vector<double>{1.0, std::nan("")}, reps); },
             territory::errc::non_finite, "loads");
  code_field([&] { (void)assign_reps(centres, loads, reps, {.tolerance = -1.0}); }, territory::errc::invalid_parameter,
             "tolerance");
  code_field([&] { (void)assign_reps(centres, loads, reps, {.territory_names = {"x"}}); },
             territory::errc::size_mismatch, "territory_names");
  auto bad_home = reps;
  bad_home[1].home = std::array<double, 2>{std::nan(""), 0.0};
  try {
    (void)assign_reps(centres, loads, bad_home);
    FAIL("expected invalid_input");
  } catch (const territory::invalid_input& e) {
    CHECK(e.code() == territory::errc::invalid_parameter);
    CHECK(std::string(e.field()) == "reps");
    CHECK(e.index().value_or(99) == 1);
    CHECK(std::string(e.id()) == "b");
  }
  auto zero_cap = reps;
  zero_cap[0].capacity = 0.0;
  code_field([&] { (void)assign_reps(centres, loads, zero_cap); }, territory::errc::invalid_parameter, "reps");
  // a departed rep with a bad home is fine: it is skipped
  bad_home[1].status = territory::rep_status::departed;
  CHECK(assign_reps(centres, loads, bad_home).rep_of[0] == 0);
}

TEST_CASE("plan/assign_reps: a pinned rep gets its territory even against distance and capacity") {
  // territory 0 at (0,0), territory 1 at (10,0); rep "near0" lives at territory 0, "near1" at territory 1
  const std::vector<point> centres{{0, 0}, {10, 0}};
  const std::vector<double> loads{1.0, 1.0};
  const std::vector<rep> reps{make_rep("near0", 0, 0, 1.0), make_rep("near1", 10, 0, 0.5)};
  using territory::invalid_input;
  using territory::rep_assignment_options;
  const auto free_choice = assign_reps(centres, loads, reps);
  CHECK(free_choice.rep_of[0] == 0);  // capacity and distance agree: near0 -> 0 is cheaper overall
  rep_assignment_options o;
  o.pinned = {"near1", ""};  // e.g. the owner of territory 0's locked accounts
  const auto pinned = assign_reps(centres, loads, reps, o);
  CHECK(pinned.rep_of[0] == 1);
  CHECK(pinned.rep_of[1] == 0);
  // errors name the field
  o.pinned = {"nobody", ""};
  CHECK_THROWS_AS(assign_reps(centres, loads, reps, o), invalid_input);
  try {
    (void)assign_reps(centres, loads, reps, o);
  } catch (const invalid_input& e) {
    CHECK(e.field() == "pinned");
  }
  o.pinned = {"near0", "near0"};
  CHECK_THROWS_AS(assign_reps(centres, loads, reps, o), invalid_input);
  o.pinned = {"near0"};
  CHECK_THROWS_AS(assign_reps(centres, loads, reps, o), invalid_input);
}
