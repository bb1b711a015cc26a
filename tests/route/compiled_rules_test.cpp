// Tests of route/compiled_rules.hpp: the differential test against the interpreter.
#include <doctest/doctest.h>

#include <territory/route/compiled_rules.hpp>
#include <territory/route/interpret.hpp>

#include "route/support.hpp"

using namespace territory;
using namespace route_test;

TEST_CASE("route/compiled_rules: identical decisions to the interpreter on random tables") {
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    CAPTURE(seed);
    const int n = seed <= 6 ? 40 : 150;  // > 64 and > 128 rules: several bitset words
    const rule_table t(random_rules(seed, n));
    rng g(derive_seed(seed, 99));
    std::vector<std::uint8_t> eligible(t.size());
    for (auto& f : eligible) f = g.below(4) == 0 ? 0 : 1;
    const compiled_rules all(t);
    const compiled_rules some(t, eligible);
    const auto accounts = random_accounts(derive_seed(seed, 7), 600);
    std::size_t routed = 0;
    for (const auto& s : accounts) {
      const auto a = s.view();
      CAPTURE(s.id);
      const auto expect = matching_rules(t, a);
      REQUIRE(all.matches(a) == expect);
      const rule_index first = expect.empty() ? no_rule : expect.front();
      REQUIRE(all.first_match(a) == first);
      REQUIRE(some.first_match(a) == first_matching_rule(t, a, eligible));
      routed += first != no_rule ? 1 : 0;
    }
    CHECK(routed > 0);
  }
}

TEST_CASE("route/compiled_rules: set_eligible matches a recompiled table") {
  const rule_table t(random_rules(5, 80));
  compiled_rules c(t);
  std::vector<std::uint8_t> eligible(t.size(), 1);
  for (rule_index r = 0; r < t.size(); r += 3) {
    eligible[r] = 0;
    c.set_eligible(r, false);
  }
  for (const auto& s : random_accounts(11, 300)) {
    REQUIRE(c.first_match(s.view()) == first_matching_rule(t, s.view(), eligible));
  }
  CHECK_THROWS_AS(c.set_eligible(static_cast<rule_index>(t.size()), true), invalid_input);
}

TEST_CASE("route/compiled_rules: empty table and boundary employee values") {
  const compiled_rules empty{rule_table{}};
  CHECK(empty.first_match({.id = "x"}) == no_rule);
  const rule_table t({seg("lo", 1, "a", "", "", 10.0, 20.0), seg("hi", 1, "b", "", "", 20.5, {})});
  const compiled_rules c(t);
  for (const double e : {9.999, 10.0, 15.0, 20.0, 20.25, 20.5, 1e9}) {
    CAPTURE(e);
    const routing_account a{.id = "x", .employees = e};
    CHECK(c.first_match(a) == first_matching_rule(t, a));
  }
  CHECK(c.first_match({.id = "x", .employees = 20.0}) == 0);
  CHECK(c.first_match({.id = "x", .employees = 20.25}) == no_rule);
  CHECK(c.first_match({.id = "x", .employees = 21.0}) == 1);
}
