// Tests of route/rule_table.hpp and route/interpret.hpp: checks at the boundary, cascade order, matching.
#include <doctest/doctest.h>

#include <territory/route/interpret.hpp>
#include <territory/route/rule_table.hpp>

#include "route/support.hpp"

using namespace territory;
using namespace route_test;

namespace {
template <class F>
invalid_input thrown(F&& f) {
  try {
    f();
  } catch (const invalid_input& e) {
    return e;
  }
  FAIL("expected invalid_input");
  return invalid_input(errc::invalid_parameter, "", "");
}
}  // namespace

TEST_CASE("route/rule_table: malformed rules throw naming the rule and column") {
  auto e = thrown([] { (void)rule_table({seg("", 1, "bob")}); });
  CHECK(e.code() == errc::empty_id);
  CHECK(e.field() == "rules[0].rule");

  e = thrown([] { (void)rule_table({seg("a", 1, "bob"), seg("a", 2, "amy")}); });
  CHECK(e.code() == errc::duplicate_id);
  CHECK(e.index() == 1);
  CHECK(e.id() == "a");

  auto both = seg("b", 1, "bob");
  both.team = "west";
  e = thrown([&] { (void)rule_table({both}); });
  CHECK(e.code() == errc::invalid_parameter);
  CHECK(e.field() == "rules[0].owner");
  CHECK(std::string(e.what()) ==
        "[territory.invalid_parameter] rule_table(): rule 0 ('b'): names both owner 'bob' and team 'west', expected "
        "exactly one");

  e = thrown([] { (void)rule_table({seg("c", 1, "")}); });
  CHECK(e.code() == errc::invalid_parameter);

  e = thrown([] { (void)rule_table({seg("d", 1, "bob", "", "", 50.0, 10.0)}); });
  CHECK(e.code() == errc::out_of_range);
  CHECK(e.field() == "rules[0].min_employees");

  e = thrown([] { (void)rule_table({seg("n", 1, "bob", "", "", std::nan(""), {})}); });
  CHECK(e.code() == errc::non_finite);

  auto empty_named = named("e", 1, "bob", {});
  e = thrown([&] { (void)rule_table({empty_named}); });
  CHECK(e.code() == errc::invalid_parameter);
  CHECK(e.field() == "rules[0].account_ids");

  auto seg_ids = seg("f", 1, "bob");
  seg_ids.account_ids = {"x"};
  e = thrown([&] { (void)rule_table({seg_ids}); });
  CHECK(e.code() == errc::invalid_parameter);
}

TEST_CASE("route/rule_table: cascade order is kind, then priority, then row") {
  const rule_table t({fallback("def", "z"), seg("s2", 2, "a"), seg("s1", 1, "b"), ind("i9", 9, "c", "tech"),
                      named("n5", 5, "d", {"x"}), seg("s1b", 1, "e")});
  const std::vector<rule_index> expect{4, 3, 2, 5, 1, 0};
  CHECK(std::vector<rule_index>(t.cascade().begin(), t.cascade().end()) == expect);
  CHECK(t.position(0) == 5);
  CHECK(t.find("s1b") == 5);
  CHECK_FALSE(t.find("nope").has_value());
}

TEST_CASE("route/interpret: every layer matches as documented") {
  const rule_table t({named("vip", 1, "ann", {"acme"}, {"acme.com"}), ind("health", 1, "hal", "health"),
                      seg("west-smb", 1, "wes", "West", "SMB", 0.0, 49.0), seg("west", 2, "wen", "West"),
                      fallback("default", "dee")});
  stored_account a{"acme", "", "health", "West", "SMB", 10.0};
  CHECK(first_matching_rule(t, a.view()) == 0);
  CHECK(matching_rules(t, a.view()) == std::vector<rule_index>{0, 1, 2, 3, 4});
  a.id = "other";
  a.domain = "acme.com";
  CHECK(first_matching_rule(t, a.view()) == 0);  // by domain
  a.domain = "";
  CHECK(first_matching_rule(t, a.view()) == 1);  // industry specialist
  a.industry = "retail";
  CHECK(first_matching_rule(t, a.view()) == 2);
  a.employees = 50.0;  // outside [0, 49]
  CHECK(first_matching_rule(t, a.view()) == 3);
  a.employees.reset();  // a rule with a range needs employees
  CHECK(first_matching_rule(t, a.view()) == 3);
  a.region = "East";
  CHECK(first_matching_rule(t, a.view()) == 4);
  CHECK(matching_rules(t, a.view()) == std::vector<rule_index>{4});
  // eligibility skips a rule
  const std::vector<std::uint8_t> eligible{1, 1, 1, 1, 0};
  CHECK(first_matching_rule(t, a.view(), eligible) == no_rule);
  // range bounds are inclusive
  a.region = "West";
  a.employees = 49.0;
  CHECK(first_matching_rule(t, a.view()) == 2);
  a.employees = 0.0;
  CHECK(first_matching_rule(t, a.view()) == 2);
  a.employees = std::nan("");
  auto e = thrown([&] { (void)first_matching_rule(t, a.view()); });
  CHECK(e.code() == errc::non_finite);
  CHECK(e.field() == "employees");
}
