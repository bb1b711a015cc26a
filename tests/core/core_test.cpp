// Tests of core/: errors, account table, plan, RNG, progress, validation.
#include <doctest/doctest.h>

#include <set>
#include <stop_token>

#include <territory/core.hpp>

#include "support/grid.hpp"

using namespace territory;

TEST_CASE("core/error: what() carries the code prefix and the fields") {
  const invalid_input e(errc::size_mismatch, "activities",
                        "balance(): activities has 118 rows, expected 120 (one per account)", 7, "acc-7");
  CHECK(std::string(e.what()) ==
        "[territory.size_mismatch] balance(): activities has 118 rows, expected 120 (one per account)");
  CHECK(e.code() == errc::size_mismatch);
  CHECK(e.field() == "activities");
  CHECK(e.index() == 7);
  CHECK(e.id() == "acc-7");
  static_assert(std::is_base_of_v<std::invalid_argument, invalid_input>);
}

TEST_CASE("core/account_table: ids map to dense indices") {
  account_table t({"a", "b", "c"}, Eigen::MatrixX2d::Zero(3, 2));
  CHECK(t.size() == 3);
  CHECK(t.index_of("b") == 1);
  CHECK_FALSE(t.find("zz").has_value());
  CHECK_THROWS_AS((void)t.index_of("zz"), invalid_input);
  try {
    (void)t.index_of("zz");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::unknown_id);
    CHECK(e.id() == "zz");
  }
  CHECK_THROWS_AS((void)t.id(3), invalid_input);
}

TEST_CASE("core/account_table: structural mistakes throw at once") {
  CHECK_THROWS_WITH_AS(account_table({"a", "b"}, Eigen::MatrixX2d::Zero(3, 2)),
                       "[territory.size_mismatch] account_table(): coordinates has 3 rows, expected 2 (one per account)",
                       invalid_input);
  account_table t({"a", "b"}, Eigen::MatrixX2d::Zero(2, 2));
  t.add_activity("revenue", Eigen::Vector2d(1, 2));
  CHECK_THROWS_WITH_AS(t.add_activity("workload", Eigen::Vector3d(1, 2, 3)),
                       "[territory.size_mismatch] account_table::add_activity(): column 'workload' has 3 values, "
                       "expected 2 (one per account)",
                       invalid_input);
  try {
    t.add_activity("revenue", Eigen::Vector2d(1, 2));
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::duplicate_id);
    CHECK(e.field() == "activities");
    CHECK(e.id() == "revenue");
  }
  CHECK_THROWS_AS(t.set_attribute("tier", {"A"}), invalid_input);
  CHECK_THROWS_AS(t.set_owners({"x"}), invalid_input);
  CHECK_THROWS_AS(t.set_locked({1, 0, 1}), invalid_input);
  CHECK_THROWS_AS((void)t.activity_column("nope"), invalid_input);
}

TEST_CASE("core/account_table: activities and attributes keep their order") {
  account_table t({"a", "b"}, Eigen::MatrixX2d::Zero(2, 2));
  t.add_activity("revenue", Eigen::Vector2d(1, 2));
  t.add_activity("workload", Eigen::Vector2d(3, 4));
  CHECK(t.activities().rows() == 2);
  CHECK(t.activities().cols() == 2);
  CHECK(t.activities()(1, 1) == 4);
  const std::vector<std::string> pick{"workload", "revenue"};
  const Eigen::MatrixXd s = t.select_activities(pick);
  CHECK(s(0, 0) == 3);
  CHECK(s(0, 1) == 1);
  t.set_attribute("tier", {"A", "B"});
  t.set_attribute("region", {"W", "E"});
  t.set_attribute("tier", {"C", "D"});
  CHECK(t.attribute_names() == std::vector<std::string>{"tier", "region"});
  CHECK(t.attribute("tier")[1] == "D");
}

TEST_CASE("core/plan: checked assignment, sizes and members") {
  plan p(4, 2);
  CHECK_FALSE(p.complete());
  p.assign(0, 1);
  p.assign(1, 0);
  p.assign(2, 1);
  p.assign(3, 1);
  CHECK(p.complete());
  CHECK(p.sizes() == std::vector<std::size_t>{1, 3});
  CHECK(p.members(1) == std::vector<account_index>{0, 2, 3});
  CHECK_THROWS_AS(p.assign(4, 0), invalid_input);
  CHECK_THROWS_AS(p.assign(0, 2), invalid_input);
  try {
    plan bad({0, 5}, 2);
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::out_of_range);
    CHECK(e.field() == "assignment");
    CHECK(e.index() == 1);
  }
}

TEST_CASE("core/random: the same seed gives the same stream; bounds hold") {
  rng a(42);
  rng b(42);
  for (int i = 0; i < 100; ++i) CHECK(a() == b());
  rng c(7);
  std::vector<int> hits(5, 0);
  for (int i = 0; i < 5000; ++i) {
    const auto v = c.uniform_int(-2, 2);
    REQUIRE(v >= -2);
    REQUIRE(v <= 2);
    ++hits[static_cast<std::size_t>(v + 2)];
  }
  for (int h : hits) CHECK(h > 800);  // each of 5 values ~1000 times
  for (int i = 0; i < 1000; ++i) {
    const double u = c.uniform01();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
  }
  CHECK(derive_seed(1, 0) != derive_seed(1, 1));
  // Pinned values: the streams must not change between versions, compilers or standard libraries.
  // derive_seed(0, 0) is SplitMix64's first output from state 0 (0xE220A8397B1DCDAF, the published
  // reference value); the others and every value below were computed by an independent Python
  // implementation of SplitMix64, mt19937_64, Lemire's method and Fisher-Yates, which reproduces
  // the C++ standard's check value (the 10,000th output of mt19937_64 seeded 5489).
  CHECK(derive_seed(0, 0) == 0xE220A8397B1DCDAFULL);
  CHECK(derive_seed(1, 0) == 10451216379200822465ULL);
  CHECK(derive_seed(1, 1) == 13757245211066428519ULL);
  CHECK(derive_seed(default_seed, 1000000) == 11677457636100935717ULL);  // the first ILS run's stream
  rng standard(5489);
  for (int i = 1; i < 10000; ++i) (void)standard();
  CHECK(standard() == 9981545732273789042ULL);  // [rand.predef]: mt19937_64's 10,000th value
  CHECK(rng(default_seed)() == 627854496620170788ULL);
  rng d(default_seed);
  CHECK(d.below(1000) == 34);
  CHECK(d.below(1000) == 665);
  CHECK(d.below(1000) == 443);
  CHECK(rng(11).uniform01() == 0.16571311260445665);
  std::vector<int> v{0, 1, 2, 3, 4, 5, 6, 7};
  rng e(3);
  e.shuffle(v.begin(), v.end());
  CHECK(v == std::vector<int>{0, 5, 7, 2, 6, 3, 1, 4});
}

TEST_CASE("core/progress: observers returning void or bool both adapt") {
  int seen = 0;
  auto cb1 = make_progress_callback([&](const progress&) { ++seen; });
  auto cb2 = make_progress_callback([](const progress& p) { return p.iteration >= 3; });
  static_assert(progress_observer<decltype([](const progress&) {})>);
  static_assert(!progress_observer<decltype([](int) {})>);
  const progress p{.phase = "x", .iteration = 3};
  CHECK_FALSE(cb1(p));
  CHECK(seen == 1);
  CHECK(cb2(p));
  std::stop_source src;
  CHECK_FALSE(should_stop({}, src.get_token(), p));
  src.request_stop();
  CHECK(should_stop({}, src.get_token(), p));
}

TEST_CASE("core/validate: accepts a clean input") {
  const auto t = test::grid_table(4, 5);
  const auto edges = test::grid_edge_ids(4, 5);
  std::vector<edge_ref> refs;
  for (const auto& [a, b] : edges) refs.push_back({a, b});
  const auto r = validate(t, {.edges = refs, .territories = 4});
  CHECK(r.ok());
  CHECK_NOTHROW(r.throw_if_invalid());
}

TEST_CASE("core/validate: collects every kind of problem") {
  Eigen::MatrixX2d xy(5, 2);
  xy << 41, -93, 41, -94, 95, -93, 41, std::numeric_limits<double>::quiet_NaN(), 40, 200;
  account_table t({"a", "b", "a", "", "e"}, xy, coordinate_system::wgs84);
  Eigen::VectorXd rev(5);
  rev << 1, -2, std::numeric_limits<double>::infinity(), 4, 5;
  t.add_activity("revenue", rev);
  t.set_owners({"r1", "", "r1", "", ""});
  t.set_locked({1, 1, 0, 0, 0});
  const std::vector<edge_ref> edges{{"a", "b"}, {"a", "zz"}, {"b", "b"}};
  std::vector<rep> reps(3);
  reps[0].id = "r1";
  reps[1].id = "r1";
  reps[2].id = "r3";
  reps[2].capacity = -0.5;
  const auto r = validate(t, {.edges = edges, .reps = reps, .territories = 9});
  CHECK_FALSE(r.ok());
  CHECK(r.count(errc::duplicate_id) == 2);   // account 'a' twice, rep 'r1' twice
  CHECK(r.count(errc::empty_id) == 1);
  CHECK(r.count(errc::negative_value) == 1);
  CHECK(r.count(errc::non_finite) == 2);     // revenue inf and a NaN coordinate
  CHECK(r.count(errc::unknown_id) == 1);
  CHECK(r.count(errc::self_loop) == 1);
  CHECK(r.count(errc::missing_owner) == 1);
  CHECK(r.count(errc::out_of_range) == 4);   // lat 95, lon 200, capacity, p > n
  bool named = false;
  for (const auto& p : r.problems) {
    if (p.code == errc::negative_value) {
      CHECK(p.field == "revenue");
      CHECK(p.index == 1);
      CHECK(p.id == "b");
      named = true;
    }
  }
  CHECK(named);
  CHECK_THROWS_AS(r.throw_if_invalid(), invalid_input);
  try {
    r.throw_if_invalid();
  } catch (const invalid_input& e) {
    CHECK(std::string(e.what()).find("more problems") != std::string::npos);
  }
}

TEST_CASE("core/validate: p < 1 is rejected, and max_problems truncates") {
  const auto t = test::grid_table(2, 2);
  CHECK(validate(t, {.territories = 0}).count(errc::out_of_range) == 1);
  CHECK(validate(t, {.territories = 4}).ok());
  Eigen::MatrixX2d xy = Eigen::MatrixX2d::Zero(10, 2);
  std::vector<std::string> ids(10, "same");
  account_table dup(ids, xy);
  const auto r = validate(dup, {.max_problems = 3});
  CHECK(r.problems.size() == 3);
  CHECK(r.truncated);
}

TEST_CASE("core/status: every constraint kind names the unit of its slack") {
  using territory::constraint_kind;
  CHECK(territory::slack_unit(constraint_kind::balance) == "fraction");
  CHECK(territory::slack_unit(constraint_kind::workload_cap) == "fraction");
  CHECK(territory::slack_unit(constraint_kind::min_tier) == "accounts");
  CHECK(territory::slack_unit(constraint_kind::max_moves) == "accounts");
  CHECK(territory::slack_unit(constraint_kind::contiguity) == "components");
  CHECK(territory::slack_unit(constraint_kind::empty) == "territories");
  CHECK(territory::slack_unit(constraint_kind::max_distance) == "distance");
  for (int k = 0; k <= static_cast<int>(constraint_kind::forbidden); ++k) {
    CAPTURE(k);
    CHECK(territory::slack_unit(static_cast<constraint_kind>(k)) != "unknown");
  }
}
