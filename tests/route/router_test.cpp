// Tests of route/router.hpp and route/ramp_schedule.hpp: distributors, ramp, state, explanations, departures.
#include <doctest/doctest.h>

#include <chrono>
#include <map>

#include <territory/route/router.hpp>

#include "route/support.hpp"

using namespace territory;
using namespace route_test;
using namespace std::chrono;

namespace {
std::vector<rep> team(std::initializer_list<double> capacities) {
  std::vector<rep> out;
  int i = 0;
  for (const double c : capacities) {
    rep r;
    r.id = "m" + std::to_string(i++);
    r.team = "west";
    r.capacity = c;
    out.push_back(r);
  }
  return out;
}
rule team_rule(std::string id, std::string team_name) {
  rule r = seg(std::move(id), 1, "");
  r.team = std::move(team_name);
  return r;
}
std::map<rep_index, int> tally(router& r, int n) {
  std::map<rep_index, int> out;
  for (int i = 0; i < n; ++i) {
    const std::string id = "a" + std::to_string(i);
    out[r.route({.id = id}).rep] += 1;
  }
  return out;
}
}  // namespace

TEST_CASE("route/ramp_schedule: default steps at their boundaries") {
  const ramp_schedule s;
  const sys_days start = year{2026} / 11 / 2;
  CHECK(s.share(start, start - days{1}) == 0.0);
  CHECK(s.share(start, start) == 0.25);
  CHECK(s.share(start, start + days{6}) == 0.25);
  CHECK(s.share(start, start + days{13}) == 0.25);
  CHECK(s.share(start, start + days{14}) == 0.5);  // week 3
  CHECK(s.share(start, start + days{29}) == 0.5);
  CHECK(s.share(start, start + days{30}) == 1.0);  // after a month
  CHECK(s.share(start, start + days{400}) == 1.0);
  const ramp_schedule custom{{{7, 0.5}, {21, 1.0}}};
  CHECK(custom.share(start, start + days{6}) == 0.0);
  CHECK(custom.share(start, start + days{7}) == 0.5);
  const ramp_schedule bad{{{5, 0.5}, {5, 1.0}}};
  CHECK_THROWS_AS((void)bad.share(start, start), invalid_input);
  const ramp_schedule bad_share{{{0, 1.5}}};
  try {
    bad_share.check();
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::invalid_parameter);
    CHECK(e.field() == "ramp.steps");
  }
}

TEST_CASE("route/router: round robin takes members in turn") {
  router r(rule_table({team_rule("t", "west")}), team({1, 1, 1}));
  std::vector<rep_index> got;
  for (int i = 0; i < 6; ++i) got.push_back(r.route({.id = "x"}).rep);
  CHECK(got == std::vector<rep_index>{0, 1, 2, 0, 1, 2});
}

TEST_CASE("route/router: capacity weighted gives each rep their share, ramp-aware") {
  auto reps = team({1, 1, 1});
  const sys_days today = year{2026} / 11 / 25;
  reps[1].start_date = year_month_day(today - days{3});   // week 1: 25 %
  reps[2].start_date = year_month_day(today - days{20});  // week 3: 50 %
  router r(rule_table({team_rule("t", "west")}), reps, {.policy = distribution::capacity_weighted, .as_of = today});
  CHECK(r.weight(0) == 1000);
  CHECK(r.weight(1) == 250);
  CHECK(r.weight(2) == 500);
  auto t = tally(r, 700);
  CHECK(t[0] == 400);
  CHECK(t[1] == 100);
  CHECK(t[2] == 200);
  // without a date, no ramp: equal shares
  router flat(rule_table({team_rule("t", "west")}), reps, {.policy = distribution::capacity_weighted});
  t = tally(flat, 300);
  CHECK(t[0] == 100);
  CHECK(t[1] == 100);
  CHECK(t[2] == 100);
}

TEST_CASE("route/router: least loaded by count or workload, per unit of capacity") {
  router r(rule_table({team_rule("t", "west")}), team({1, 1, 0.5}), {.policy = distribution::least_loaded});
  r.add_load(0, 10, 0);
  r.add_load(1, 4, 0);
  // load per full capacity: 10, 4, 0 → m2 (2), m2 (4), tie 4/4 → m1, m2 (6), m1 (5 < 6)
  std::vector<rep_index> got;
  for (int i = 0; i < 5; ++i) got.push_back(r.route({.id = "x"}).rep);
  CHECK(got == std::vector<rep_index>{2, 2, 1, 2, 1});
  router w(rule_table({team_rule("t", "west")}), team({1, 1}),
           {.policy = distribution::least_loaded, .least_loaded_by = load_measure::workload});
  CHECK(w.route({.id = "big"}, 10.0).rep == 0);
  CHECK(w.route({.id = "s1"}, 1.0).rep == 1);
  CHECK(w.route({.id = "s2"}, 1.0).rep == 1);
  CHECK(w.snapshot().workload == std::vector<double>{10.0, 2.0});
}

TEST_CASE("route/router: a snapshot restores the exact decision sequence") {
  for (const auto policy : {distribution::round_robin, distribution::least_loaded, distribution::capacity_weighted}) {
    CAPTURE(to_string(policy));
    router r(rule_table({team_rule("t", "west")}), team({1, 0.5, 0.25}), {.policy = policy});
    (void)tally(r, 7);
    const auto snap = r.snapshot();
    std::vector<rep_index> first;
    for (int i = 0; i < 20; ++i) first.push_back(r.route({.id = "x"}).rep);
    r.restore(snap);
    std::vector<rep_index> again;
    for (int i = 0; i < 20; ++i) again.push_back(r.route({.id = "x"}).rep);
    CHECK(first == again);
    CHECK_FALSE(r.snapshot() == snap);
  }
  router r(rule_table({team_rule("t", "west")}), team({1}));
  try {
    r.restore(router_state{});
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::size_mismatch);
    CHECK(e.field() == "state");
  }
}

TEST_CASE("route/router: decisions explain themselves") {
  std::vector<rep> reps = team({1});
  rep ann;
  ann.id = "ann";
  reps.push_back(ann);
  const rule_table t({seg("west", 1, "ann", "West"), seg("west-smb", 2, "ann", "West", "SMB"), team_rule("all", "west"),
                      fallback("default", "ann")});
  router r(t, reps);
  auto e = r.explain({.id = "x", .region = "West", .size_band = "SMB"});
  CHECK(e.decision == route_decision{0, 1});
  CHECK(e.matched == std::vector<rule_index>{0, 2, 1, 3});
  CHECK(e.reason == "rule 'west' (segment, priority 1) won over 'all' (segment, priority 1): same kind and priority (an "
                    "overlap), the earlier row wins; owner 'ann'");
  e = r.explain({.id = "x", .region = "East"});
  CHECK(e.decision.rule == 2);
  CHECK(e.reason == "rule 'all' (segment, priority 1) won over 'default' (default, priority 1): kind 'segment' is tried "
                    "before 'default'; owner 'm0' by round_robin in team 'west'");
  const router empty(rule_table({seg("west", 1, "ann", "West")}), reps);
  e = empty.explain({.id = "x"});
  CHECK_FALSE(e.decision.routed());
  CHECK(e.reason == "no rule matches");
}

TEST_CASE("route/router: a departing rep is skipped and removed from the team") {
  std::vector<rep> reps = team({1, 1});
  rep ann;
  ann.id = "ann";
  reps.push_back(ann);
  router r(rule_table({named("vip", 1, "ann", {"acme"}), team_rule("t", "west")}), reps);
  CHECK(r.route({.id = "acme"}).rep == 2);
  r.depart("ann");
  auto e = r.explain({.id = "acme"});
  CHECK(e.skipped == std::vector<rule_index>{0});
  CHECK(e.decision.rule == 1);
  CHECK(e.reason.rfind("rule 'vip' (named, priority 1) skipped: owner 'ann' has departed; ", 0) == 0);
  r.depart("m0");
  CHECK(r.team_members("west").size() == 1);
  for (int i = 0; i < 3; ++i) CHECK(r.route({.id = "acme"}).rep == 1);
  r.depart("m1");
  CHECK_FALSE(r.route({.id = "acme"}).routed());
  CHECK_THROWS_AS(r.depart("nobody"), invalid_input);
}

TEST_CASE("route/router: bad reps and owners throw at construction") {
  auto reps = team({1, 1});
  reps[1].id = "m0";
  try {
    router r(rule_table({team_rule("t", "west")}), reps);
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::duplicate_id);
    CHECK(e.index() == 1);
  }
  try {
    router r(rule_table({seg("s", 1, "zed")}), team({1}));
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::unknown_id);
    CHECK(e.field() == "rules[0].owner");
    CHECK(e.id() == "zed");
  }
  try {
    router r(rule_table({team_rule("t", "east")}), team({1}));
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::unknown_id);
    CHECK(e.field() == "rules[0].team");
  }
  auto neg = team({-1});
  CHECK_THROWS_AS(router(rule_table({team_rule("t", "west")}), neg), invalid_input);
}

#include <territory/route/interpret.hpp>

TEST_CASE("route/router: explain agrees with route and with the interpreter on random tables") {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    CAPTURE(seed);
    auto rules = random_rules(seed, 60);
    for (std::size_t i = 0; i < rules.size(); i += 4) {  // every 4th rule goes to a team
      rules[i].owner.clear();
      rules[i].team = "t" + std::to_string(i % 3);
    }
    std::vector<rep> reps;
    for (int i = 0; i < 9; ++i) {
      rep r;
      r.id = i < 5 ? "r" + std::to_string(i) : "x" + std::to_string(i);
      r.team = "t" + std::to_string(i % 3);
      r.capacity = 0.25 * (1 + i % 4);
      reps.push_back(r);
    }
    const rule_table table(rules);
    router r(table, reps, {.policy = static_cast<distribution>(seed % 3)});
    r.depart("r1");
    for (const auto& s : random_accounts(derive_seed(seed, 5), 300)) {
      const auto e = r.explain(s.view());
      CHECK(e.matched == matching_rules(table, s.view()));
      const auto d = r.route(s.view());
      REQUIRE(d == e.decision);
      if (d.routed()) {
        CHECK(table[d.rule].owner != "r1");
        CHECK(reps[d.rep].id != "r1");
      }
    }
  }
}
