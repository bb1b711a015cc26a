// Tests of route/validate_rules.hpp: one table per finding kind, plus properties on random tables.
#include <doctest/doctest.h>

#include <algorithm>
#include <limits>
#include <set>

#include <territory/route/interpret.hpp>
#include <territory/route/validate_rules.hpp>

#include "route/support.hpp"

using namespace territory;
using namespace route_test;

namespace {
std::vector<rep> team_reps() {
  std::vector<rep> r(4);
  r[0].id = "ann";
  r[1].id = "bob";
  r[2].id = "cat";
  r[2].team = "west";
  r[3].id = "dan";
  r[3].team = "gone";
  r[3].status = rep_status::departed;
  return r;
}
}  // namespace

TEST_CASE("route/validate_rules: a clean cascade has no finding") {
  auto team_rule = seg("west-big", 1, "", "West", "", 50.0, {});
  team_rule.team = "west";
  const rule_table t({named("vip", 1, "ann", {"acme"}), ind("health", 1, "bob", "health"),
                      seg("west-small", 1, "ann", "West", "", 0.0, 49.0), team_rule, fallback("default", "bob")});
  const auto reps = team_reps();
  const auto r = validate_rules(t, {.reps = reps});
  for (const auto& f : r.findings) MESSAGE(to_string(f.kind), ": ", f.message);
  CHECK(r.ok());
  CHECK_FALSE(r.truncated);
}

TEST_CASE("route/validate_rules: overlap at the same kind and priority, with an example account") {
  const rule_table t({seg("west", 2, "ann", "West"), seg("smb", 2, "bob", "", "SMB"), fallback("default", "bob")});
  const auto r = validate_rules(t);
  REQUIRE(r.findings.size() == 1);
  const auto& f = r.findings[0];
  CHECK(f.kind == rule_finding_kind::overlap);
  CHECK(f.rules == std::vector<rule_index>{0, 1});
  CHECK(to_string(f.example) == "region=West size_band=SMB");
  CHECK(f.message == "rules 'west' and 'smb' (segment, priority 2) both match account region=West size_band=SMB");
  const auto m = matching_rules(t, f.example.view());
  CHECK(std::find(m.begin(), m.end(), 0U) != m.end());
  CHECK(std::find(m.begin(), m.end(), 1U) != m.end());
  // different priorities resolve the tie: no finding
  const rule_table ok({seg("west", 1, "ann", "West"), seg("smb", 2, "bob", "", "SMB"), fallback("default", "bob")});
  CHECK(validate_rules(ok).ok());
}

TEST_CASE("route/validate_rules: gaps in employee ranges and missing counts") {
  const rule_table t({seg("small", 1, "ann", "", "", 0.0, 49.0), seg("large", 1, "bob", "", "", 100.0, {})});
  CHECK(validate_rules(t).findings.size() == 1);  // unknown counts are a gap only on request
  const auto r = validate_rules(t, {.missing_employees = true});
  REQUIRE(r.findings.size() == 2);
  CHECK(r.count(rule_finding_kind::gap) == 2);
  CHECK(to_string(r.findings[0].example) == "employees=50");
  CHECK(to_string(r.findings[1].example) == "employees=(missing)");
  CHECK(r.findings[0].message == "no rule matches account employees=50");
  CHECK(first_matching_rule(t, r.findings[0].example.view()) == no_rule);
  // whole numbers: [0,49] and [50,inf) leave no gap between them; real counts do (49.5)
  const rule_table adj({seg("small", 1, "ann", "", "", 0.0, 49.0), seg("large", 1, "bob", "", "", 50.0, {}),
                        seg("unknown", 1, "bob")});
  CHECK(validate_rules(adj).count(rule_finding_kind::gap) == 0);
  const auto real = validate_rules(adj, {.integral_employees = false});
  REQUIRE(real.count(rule_finding_kind::gap) == 0);  // "unknown" (no range) covers 49.5 too
  const rule_table adj2({seg("small", 1, "ann", "", "", 0.0, 49.0), seg("large", 1, "bob", "", "", 50.0, {})});
  const auto real2 = validate_rules(adj2, {.integral_employees = false, .missing_employees = true});
  REQUIRE(real2.count(rule_finding_kind::gap) == 2);
  CHECK(to_string(real2.findings[0].example) == "employees=49.5");
}

TEST_CASE("route/validate_rules: a region no rule names is a gap without a default") {
  const rule_table t({seg("west", 1, "ann", "West"), seg("east", 1, "bob", "East")});
  const auto r = validate_rules(t);
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].kind == rule_finding_kind::gap);
  CHECK(to_string(r.findings[0].example) == "region=(other)");
}

TEST_CASE("route/validate_rules: shadowed rules, by an earlier rule or by matching nothing") {
  const rule_table t({seg("west", 1, "ann", "West"), seg("west-smb", 2, "bob", "West", "SMB"), fallback("default", "bob")});
  const auto r = validate_rules(t);
  REQUIRE(r.findings.size() == 1);
  const auto& f = r.findings[0];
  CHECK(f.kind == rule_finding_kind::shadowed);
  CHECK(f.rules == std::vector<rule_index>{1, 0});
  CHECK(f.message ==
        "rule 'west-smb' never wins: account region=West size_band=SMB matches it but rule 'west' wins, and so for "
        "every account it matches");

  const rule_table none({seg("odd", 1, "ann", "", "", 10.2, 10.8), fallback("default", "bob")});
  const auto r2 = validate_rules(none);
  REQUIRE(r2.findings.size() == 1);
  CHECK(r2.findings[0].kind == rule_finding_kind::shadowed);
  CHECK(r2.findings[0].message.find("matches no account") != std::string::npos);
}

TEST_CASE("route/validate_rules: named rules overlap and shadow per listed id") {
  const rule_table t({named("a", 1, "ann", {"x", "y"}), named("b", 1, "bob", {"y"}), named("c", 2, "bob", {"x"}),
                      fallback("default", "bob")});
  const auto r = validate_rules(t);
  CHECK(r.count(rule_finding_kind::overlap) == 1);
  CHECK(r.count(rule_finding_kind::shadowed) == 2);  // b (tie, earlier row wins) and c
  CHECK(r.findings.size() == 3);
  CHECK(r.findings[0].message == "rules 'a' and 'b' (named, priority 1) both match account id=y");
  CHECK(r.findings[1].rules == std::vector<rule_index>{1, 0});
  CHECK(r.findings[2].rules == std::vector<rule_index>{2, 0});
}

TEST_CASE("route/validate_rules: owners that do not exist or have left") {
  auto team_rule = seg("t-gone", 3, "", "", "SMB");
  team_rule.team = "gone";
  auto team_none = seg("t-none", 4, "", "", "MID");
  team_none.team = "nobody";
  const rule_table t({seg("ghost", 1, "zed", "North"), seg("left", 2, "dan", "South"), team_rule, team_none,
                      fallback("default", "ann")});
  const auto reps = team_reps();
  const auto r = validate_rules(t, {.reps = reps});
  REQUIRE(r.findings.size() == 4);
  CHECK(r.findings[0].kind == rule_finding_kind::unknown_owner);
  CHECK(r.findings[0].message ==
        "rule 'ghost' names owner 'zed', who is not among the reps; it would route account region=North");
  CHECK(r.findings[1].kind == rule_finding_kind::unknown_owner);
  CHECK(r.findings[1].rules == std::vector<rule_index>{3});
  CHECK(r.findings[2].kind == rule_finding_kind::departed_owner);
  CHECK(r.findings[2].rules == std::vector<rule_index>{1});
  CHECK(r.findings[3].kind == rule_finding_kind::departed_owner);
  CHECK(r.findings[3].rules == std::vector<rule_index>{2});
  CHECK(validate_rules(t).ok());  // without reps, owners are not checked
}

TEST_CASE("route/validate_rules: findings agree with the interpreter on random tables") {
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    CAPTURE(seed);
    const rule_table t(random_rules(seed, 30));
    const auto r = validate_rules(t, {.integral_employees = false, .missing_employees = true});
    std::vector<std::uint8_t> shadowed(t.size(), 0);
    bool any_gap = false;
    for (const auto& f : r.findings) {
      CAPTURE(f.message);
      const auto m = matching_rules(t, f.example.view());
      if (f.kind == rule_finding_kind::gap) {
        any_gap = true;
        CHECK(m.empty());
      } else if (f.kind == rule_finding_kind::overlap) {
        CHECK(std::find(m.begin(), m.end(), f.rules[0]) != m.end());
        CHECK(std::find(m.begin(), m.end(), f.rules[1]) != m.end());
        CHECK(t[f.rules[0]].priority == t[f.rules[1]].priority);
      } else if (f.kind == rule_finding_kind::shadowed) {
        shadowed[f.rules[0]] = 1;
        if (f.rules.size() == 2) {
          REQUIRE_FALSE(m.empty());
          CHECK(m.front() == f.rules[1]);
          CHECK(std::find(m.begin(), m.end(), f.rules[0]) != m.end());
        }
      }
    }
    for (const auto& s : random_accounts(derive_seed(seed, 3), 400)) {
      const auto first = first_matching_rule(t, s.view());
      if (first == no_rule) CHECK(any_gap);
      else CHECK(shadowed[first] == 0);
    }
  }
}

TEST_CASE("route/validate_rules: findings equal a brute-force enumeration of the attribute space") {
  for (std::uint64_t seed = 20; seed < 30; ++seed) {
    CAPTURE(seed);
    auto rules = random_rules(seed, 40);
    std::erase_if(rules, [](const rule& r) { return r.kind == rule_kind::named; });
    const rule_table t(std::move(rules));
    // brute force over every class: 5 values per text attribute ("" = other), 0..200 and missing
    std::set<std::pair<rule_index, rule_index>> overlaps;
    std::vector<std::uint8_t> wins(t.size(), 0);
    bool gap = false;
    bool known_gap = false;  // a gap with a known employee count
    const std::vector<std::string> ind{"i0", "i1", "i2", "i3", ""}, reg{"reg0", "reg1", "reg2", "reg3", ""},
        band{"b0", "b1", "b2", ""};
    std::vector<std::optional<double>> emp{std::nullopt};
    for (int e = 0; e <= 200; ++e) emp.emplace_back(e);
    for (const auto& i : ind)
      for (const auto& r : reg)
        for (const auto& b : band)
          for (const auto& e : emp) {
            const routing_account a{.id = "z", .industry = i, .region = r, .size_band = b, .employees = e};
            const auto m = matching_rules(t, a);
            if (m.empty()) {
              gap = true;
              known_gap = known_gap || e.has_value();
              continue;
            }
            wins[m.front()] = 1;
            for (std::size_t x = 0; x < m.size(); ++x)
              for (std::size_t y = x + 1; y < m.size(); ++y)
                if (t[m[x]].kind == t[m[y]].kind && t[m[x]].priority == t[m[y]].priority) overlaps.insert({m[x], m[y]});
          }
    const auto r = validate_rules(t, {.missing_employees = true});
    std::set<std::pair<rule_index, rule_index>> got;
    std::vector<std::uint8_t> shadowed(t.size(), 0);
    for (const auto& f : r.findings) {
      if (f.kind == rule_finding_kind::overlap) {
        const auto p0 = t.position(f.rules[0]);
        const auto p1 = t.position(f.rules[1]);
        got.insert(p0 < p1 ? std::pair{f.rules[0], f.rules[1]} : std::pair{f.rules[1], f.rules[0]});
      }
      if (f.kind == rule_finding_kind::shadowed) shadowed[f.rules[0]] = 1;
    }
    CHECK(got == overlaps);
    CHECK((r.count(rule_finding_kind::gap) > 0) == gap);
    const auto plain = validate_rules(t);  // unknown counts are no gap by default; all else equal
    CHECK((plain.count(rule_finding_kind::gap) > 0) == known_gap);
    CHECK(plain.count(rule_finding_kind::overlap) == r.count(rule_finding_kind::overlap));
    CHECK(plain.count(rule_finding_kind::shadowed) == r.count(rule_finding_kind::shadowed));
    for (rule_index k = 0; k < t.size(); ++k) {
      CAPTURE(k);
      CHECK(shadowed[k] == (wins[k] ? 0 : 1));
    }
  }
}

// Found by tests/fuzz/rules_fuzz.cpp (corpus/rules/crash-*): infinite employee bounds.
TEST_CASE("route/validate_rules: infinite employee bounds (fuzz findings)") {
  const double inf = std::numeric_limits<double>::infinity();
  // [0, +inf] matches every known count: no finite point used to stand for (-inf, +inf], so the
  // rule was reported as matching no account while it wins every account with a count
  const rule_table open({seg("any-count", 1, "ann", "", "", {}, inf), fallback("default", "bob")});
  const auto r = validate_rules(open, {.integral_employees = false, .min_employees = -inf});
  CHECK(r.count(rule_finding_kind::shadowed) == 0);
  const routing_account a{.id = "x", .employees = 12.0};
  CHECK(first_matching_rule(open, a) == 0);
  // [+inf, +inf] holds no finite count: "matches no account", never a shadowing example (the
  // example used to be employees=0, which the rule does not match)
  const rule_table empty({ind("it", 0, "ann", "i3"), seg("inf-only", 1, "bob", "", "b0", inf, inf)});
  const auto r2 = validate_rules(empty, {.integral_employees = false, .min_employees = -inf});
  REQUIRE(r2.count(rule_finding_kind::shadowed) == 1);
  for (const auto& f : r2.findings) {
    if (f.kind != rule_finding_kind::shadowed) continue;
    CHECK(f.rules == std::vector<rule_index>{1});
    CHECK(f.message.find("matches no account") != std::string::npos);
  }
}

// Found by tests/fuzz/rules_fuzz.cpp (corpus/rules/crash-named-shadow-taker.bin): a named rule
// shadowed by an identical earlier one was said to be taken "by" that rule on an example account
// that a third, still earlier rule (employee range [0, 0]) takes first.
TEST_CASE("route/validate_rules: a shadowed named rule's example names the rule that takes it") {
  auto a = named("zero", 0, "ann", {}, {"d0.com"});
  a.min_employees = 0.0;
  a.max_employees = 0.0;
  auto b = named("from-zero", 0, "bob", {}, {"d0.com"});
  b.min_employees = 0.0;
  auto c = b;
  c.id = "same-again";
  const rule_table t({a, b, c});
  const auto r = validate_rules(t);
  bool seen = false;
  for (const auto& f : r.findings) {
    if (f.kind != rule_finding_kind::shadowed || f.rules[0] != 2) continue;
    seen = true;
    REQUIRE(f.rules.size() == 2);
    CHECK(first_matching_rule(t, f.example.view()) == f.rules[1]);
    CHECK(f.message.find("by rule '" + t[f.rules[1]].id + "'") != std::string::npos);
  }
  CHECK(seen);
}

// Found by tests/fuzz/rules_fuzz.cpp (corpus/rules/crash-named-no-count.bin): a named rule whose
// employee range holds no possible count was reported "taken first by an earlier rule" on an example
// it does not match (employees=0 for a range [+inf, +inf]), or not at all when nothing covered it.
TEST_CASE("route/validate_rules: a named rule whose employee range holds no count matches no account") {
  auto odd = named("odd", 0, "ann", {"a1"});
  odd.min_employees = 10.2;  // no whole number in [10.2, 10.8]
  odd.max_employees = 10.8;
  auto inf = named("inf", 0, "bob", {"a1"});
  inf.min_employees = std::numeric_limits<double>::infinity();
  auto any = named("any", 0, "bob", {"a1"});
  any.min_employees = 0.0;
  const rule_table t({any, odd, inf});
  const auto r = validate_rules(t);
  std::vector<rule_index> none;
  for (const auto& f : r.findings) {
    if (f.kind != rule_finding_kind::shadowed) continue;
    CAPTURE(f.message);
    CHECK(f.message.find("matches no account") != std::string::npos);
    CHECK(f.rules.size() == 1);
    none.push_back(f.rules[0]);
  }
  CHECK(none == std::vector<rule_index>{1, 2});
}
