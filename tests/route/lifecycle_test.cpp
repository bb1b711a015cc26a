// Tests of the routing-level lifecycle: route/redistribute_book.hpp, route/split_region.hpp,
// route/account_merge.hpp (departures in the router are in router_test.cpp).
#include <doctest/doctest.h>

#include <territory/route/account_merge.hpp>
#include <territory/route/interpret.hpp>
#include <territory/route/redistribute_book.hpp>
#include <territory/route/split_region.hpp>
#include <territory/route/validate_rules.hpp>

#include "route/support.hpp"

using namespace territory;
using namespace route_test;

TEST_CASE("route/redistribute_book: a departing rep's book balanced by potential and capacity") {
  const std::vector<double> book{50, 10, 40, 30, 20, 10};
  const std::vector<double> cap{1, 1};
  const auto to = redistribute_by_potential(book, cap);
  // LPT: 50→0, 40→1, 30→1, 20→0, 10→0, 10→1  (sums 80 / 80)
  CHECK(to == std::vector<std::uint32_t>{0, 0, 1, 1, 0, 1});
  std::vector<double> sum(2, 0);
  for (std::size_t i = 0; i < book.size(); ++i) sum[to[i]] += book[i];
  CHECK(sum[0] == sum[1]);
  // a half-capacity rep gets about half as much, existing loads count
  const std::vector<double> cap2{1, 0.5};
  const auto to2 = redistribute_by_potential(std::vector<double>(12, 10.0), cap2);
  std::size_t half = 0;
  for (const auto r : to2) half += r;
  CHECK(half == 4);
  const std::vector<double> loaded{100, 0};
  const auto to3 = redistribute_by_potential(std::vector<double>{10, 10}, cap, loaded);
  CHECK(to3 == std::vector<std::uint32_t>{1, 1});
  try {
    (void)redistribute_by_potential(book, std::vector<double>{1, 0});
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::invalid_parameter);
    CHECK(e.field() == "capacity");
    CHECK(e.index() == 1);
  }
}

TEST_CASE("route/split_region: West into West-North and West-South by state, with no gap") {
  const rule_table before({ind("health", 1, "hal", "health"), seg("west-small", 1, "wes", "West", "", 0.0, 49.0),
                           seg("west-large", 1, "wen", "West", "", 50.0, {}), seg("east", 1, "eve", "East"),
                           fallback("default", "dee")});
  REQUIRE(validate_rules(before).ok());
  const std::vector<region_part> parts{{"West-North", {"WA", "OR", "ID"}, "nora", ""},
                                       {"West-South", {"CA", "NV", "AZ"}, "", ""}};
  const auto split = split_region(before, "West", parts);
  CHECK(split.rules.size() == 7);
  CHECK(split.rules[1].id == "west-small/West-North");
  CHECK(split.rules[1].owner == "nora");
  CHECK(split.rules[2].id == "west-small/West-South");
  CHECK(split.rules[2].owner == "wes");
  const auto report = validate_rules(split.rules);
  for (const auto& f : report.findings) MESSAGE(f.message);
  CHECK(report.ok());
  CHECK(split.region_of("West", "OR") == "West-North");
  CHECK(split.region_of("West", "CA") == "West-South");
  CHECK(split.region_of("East", "CA") == "East");
  CHECK(split.region_of("West", "UT") == "West");  // unlisted state: the default catches it
  const std::string region(split.region_of("West", "WA"));
  const routing_account a{.id = "n", .industry = "retail", .region = region, .employees = 10.0};
  CHECK(split.rules[first_matching_rule(split.rules, a)].owner == "nora");
  // without a default, the old region's leftovers are a gap the validator shows
  const rule_table strict({seg("west", 1, "wes", "West"), seg("east", 1, "eve", "East")});
  const auto strict_report = validate_rules(split_region(strict, "West", parts).rules);
  REQUIRE(strict_report.findings.size() == 1);
  CHECK(strict_report.findings[0].kind == rule_finding_kind::gap);
  CHECK(to_string(strict_report.findings[0].example) == "region=(other)");
  try {
    (void)split_region(before, "West", std::vector<region_part>{{"East", {"WA"}, "", ""}});
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::duplicate_id);
    CHECK(e.field() == "parts");
  }
  CHECK_THROWS_AS((void)split_region(before, "West", std::vector<region_part>{{"A", {"WA"}, "", ""}, {"B", {"WA"}, "", ""}}),
                  invalid_input);
}

TEST_CASE("route/account_merge: an active deal's owner wins, then the higher opportunity value") {
  CHECK(merge_owner({"ann", 100, false}, {"bob", 10, true}).keep == 1);
  CHECK(merge_owner({"ann", 100, true}, {"bob", 1000, false}).keep == 0);
  const auto d = merge_owner({"ann", 100, false}, {"bob", 300, false});
  CHECK(d.keep == 1);
  CHECK(d.reason == "higher total opportunity value: 'bob' keeps the account");
  CHECK(merge_owner({"ann", 300, true}, {"bob", 100, true}).keep == 0);
  CHECK(merge_owner({"ann", 5, false}, {"bob", 5, false}).keep == 0);
  try {
    (void)merge_owner({"ann", -1, false}, {"bob", 5, false});
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::negative_value);
    CHECK(e.index() == 0);
  }
}

#include <territory/route.hpp>

TEST_CASE("route/routing_accounts: views of an account table's routing attributes") {
  account_table t({"a", "b"}, Eigen::MatrixX2d::Zero(2, 2));
  t.set_attribute("region", {"West", "East"});
  t.set_attribute("industry", {"health", ""});
  Eigen::VectorXd emp(2);
  emp << 12, std::nan("");
  t.add_activity("employees", emp);
  const auto v = routing_accounts(t);
  REQUIRE(v.size() == 2);
  CHECK(v[0].id == "a");
  CHECK(v[0].region == "West");
  CHECK(v[0].industry == "health");
  CHECK(v[0].size_band.empty());
  CHECK(v[0].employees == 12.0);
  CHECK_FALSE(v[1].employees.has_value());
  const std::vector<double> explicit_emp{1, 2};
  CHECK(routing_accounts(t, explicit_emp)[1].employees == 2.0);
  CHECK_THROWS_AS((void)routing_accounts(t, std::vector<double>{1}), invalid_input);
  const rule_table rules({seg("west", 1, "wes", "West"), fallback("default", "dee")});
  CHECK(first_matching_rule(rules, v[0]) == 0);
  CHECK(first_matching_rule(rules, v[1]) == 1);
}

TEST_CASE("route/redistribute_book: a departing owner's book on a plan, reported as a plan_delta") {
  // 4 territories; territory 1 leaves with 4 accounts of potential 40, 30, 20, 10
  const std::vector<territory_index> a{0, 0, 1, 1, 1, 1, 2, 2, 3, no_territory};
  const plan current(a, 4);
  const std::vector<double> pot{50, 50, 40, 30, 20, 10, 60, 30, 100, 5};
  const auto h = redistribute_book(current, 1, pot);
  REQUIRE(h.assignment.territory_count() == 3);
  CHECK(h.continues == std::vector<territory_index>{0, 2, 3});
  // loads before: t0 = 100, t2 = 90, t3 = 100. LPT: 40 -> t2 (130), 30 -> t0 (130), 20 -> t3 (120), 10 -> t3 (130)
  CHECK(h.assignment[2] == 1);  // territory 2 of current is index 1 after
  CHECK(h.assignment[3] == 0);
  CHECK(h.assignment[4] == 2);
  CHECK(h.assignment[5] == 2);
  CHECK(h.assignment[9] == no_territory);  // unassigned stays unassigned
  for (account_index v : {0u, 1u, 6u, 7u, 8u}) CHECK(h.continues[h.assignment[v]] == current[v]);  // the others stay
  // the delta: exactly the book moved, with its potential; the departing territory dissolved
  REQUIRE(h.delta.accounts_moved == 4);
  CHECK(h.delta.moves[0].account == 2);
  CHECK(h.delta.moves[0].from == 1);
  CHECK(h.delta.moves[0].to == 1);
  CHECK(h.delta.moved_amount(0) == doctest::Approx(100.0));
  CHECK(h.delta.territories[1].after == no_territory);
  CHECK(h.delta.territories[1].lost == 4);
  CHECK(h.delta.territories_touched == 4);
  // the same delta as compare_plans gives for the two plans (one code path)
  const auto again = compare_plans(current, h.assignment, {.continues = h.continues});
  CHECK(again.moves == h.delta.moves);
  // capacity: a half-capacity receiver gets less
  const auto half = redistribute_book(current, 1, pot, std::vector<double>{1, 1, 0.25, 1});
  CHECK(half.assignment[2] != 1);
  // bad input names the field and the index
  CHECK_THROWS_AS((void)redistribute_book(current, 4, pot), invalid_input);
  CHECK_THROWS_AS((void)redistribute_book(plan(a, 1 + 3), 1, std::vector<double>(3, 1.0)), invalid_input);
  try {
    auto bad = pot;
    bad[7] = -1;
    (void)redistribute_book(current, 1, bad);
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::negative_value);
    CHECK(e.field() == "potential");
    CHECK(e.index() == 7);
  }
  try {
    (void)redistribute_book(current, 1, pot, std::vector<double>{1, 1, 0, 1});
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.field() == "capacity");
    CHECK(e.index() == 2);
  }
}
