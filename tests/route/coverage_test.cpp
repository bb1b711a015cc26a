// Tests of route/coverage.hpp, route/workload.hpp and route/rebalance_check.hpp.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>

#include <territory/route/coverage.hpp>
#include <territory/route/rebalance_check.hpp>
#include <territory/route/workload.hpp>

using namespace territory;
using namespace std::chrono;

namespace {
const sys_days today = year{2026} / 11 / 25;
activity_event contact(account_index a, int days_ago) { return {a, today - days{days_ago}, activity_kind::contact, {}, 0}; }
activity_event opp(account_index a, int days_ago, activity_kind k, std::string_view id, double amount) {
  return {a, today - days{days_ago}, k, id, amount};
}
}  // namespace

TEST_CASE("route/coverage: contact rates per window, penetration, pipeline, win rate and cycle") {
  // territory 0: accounts 0..3, territory 1: accounts 4..5
  const plan owners({0, 0, 0, 0, 1, 1}, 2);
  const std::vector<activity_event> log{
      contact(0, 0),   contact(1, 29), contact(2, 30), contact(3, 89), contact(3, 95), contact(4, 10),
      contact(5, -3),  // in the future: ignored
      opp(0, 50, activity_kind::opportunity_open, "o1", 100), opp(0, 20, activity_kind::opportunity_won, "o1", 120),
      opp(1, 40, activity_kind::opportunity_open, "o2", 50), opp(1, 10, activity_kind::opportunity_lost, "o2", 0),
      opp(2, 5, activity_kind::opportunity_open, "o3", 70), opp(4, 5, activity_kind::opportunity_open, "o4", 30),
      opp(4, 1, activity_kind::opportunity_lost, "o4", 0)};
  const auto r = coverage(owners, log, {.as_of = today});
  REQUIRE(r.territories.size() == 2);
  const auto& t0 = r.territories[0];
  CHECK(t0.accounts == 4);
  CHECK(t0.contacted == std::array<std::size_t, 3>{2, 3, 4});  // day 29 is inside 30 days, day 30 is not
  CHECK(t0.contact_rate[0] == doctest::Approx(0.5));
  CHECK_FALSE(t0.alert);  // 50 % is not below 50 %
  CHECK(t0.penetrated == 1);
  CHECK(t0.penetration == doctest::Approx(0.25));
  CHECK(t0.open_opportunities == 1);
  CHECK(t0.open_pipeline == doctest::Approx(70));
  CHECK(t0.won == 1);
  CHECK(t0.lost == 1);
  CHECK(t0.won_amount == doctest::Approx(120));
  CHECK(t0.win_rate == doctest::Approx(0.5));
  CHECK(t0.average_cycle_days == doctest::Approx(30.0));  // (30 + 30) / 2
  const auto& t1 = r.territories[1];
  CHECK(t1.contacted[2] == 1);
  CHECK(t1.contact_rate[0] == doctest::Approx(0.5));
  CHECK(t1.win_rate == doctest::Approx(0.0));
  CHECK(t1.diagnosis == coverage_diagnosis::needs_support);  // 0 % < 0.8 × pooled 33 %
  CHECK(r.pooled_win_rate == doctest::Approx(1.0 / 3.0));
}

TEST_CASE("route/coverage: alert below 50 % and low potential told from needs support") {
  const plan owners({0, 0, 1, 1, 2, 2}, 3);
  const std::vector<double> potential{100, 100, 100, 100, 20, 20};
  const std::vector<activity_event> log{contact(0, 1), contact(1, 1), contact(3, 45), contact(4, 1), contact(5, 2)};
  const auto r = coverage(owners, log, {.as_of = today, .potential = potential});
  CHECK_FALSE(r.territories[0].alert);
  CHECK(r.territories[0].diagnosis == coverage_diagnosis::ok);
  CHECK(r.territories[1].alert);  // nobody contacted in 30 days
  CHECK(r.territories[1].contact_rate[2] == doctest::Approx(0.5));
  CHECK(r.territories[1].diagnosis == coverage_diagnosis::needs_support);
  CHECK(r.territories[2].potential == doctest::Approx(40));
  CHECK(r.territories[2].diagnosis == coverage_diagnosis::low_potential);
  CHECK(r.alerts() == 1);
  // the 90-day window as the alert window: territory 1 is at 50 %, no alert
  const auto r90 = coverage(owners, log, {.as_of = today, .alert_window = 2});
  CHECK(r90.alerts() == 0);
}

TEST_CASE("route/coverage: bad logs throw naming the event") {
  const plan owners({0, 0}, 1);
  auto expect = [&](const std::vector<activity_event>& log, errc code, const char* field) {
    try {
      (void)coverage(owners, log, {.as_of = today});
      FAIL("expected a throw");
    } catch (const invalid_input& e) {
      CHECK(e.code() == code);
      CHECK(e.field() == field);
    }
  };
  expect({contact(5, 1)}, errc::out_of_range, "log.account");
  expect({opp(0, 1, activity_kind::opportunity_open, "", 1)}, errc::empty_id, "log.opportunity");
  expect({opp(0, 1, activity_kind::opportunity_open, "x", -1)}, errc::negative_value, "log.amount");
  expect({opp(0, 1, activity_kind::opportunity_open, "x", std::nan(""))}, errc::non_finite, "log.amount");
  expect({opp(0, 3, activity_kind::opportunity_open, "x", 1), opp(0, 2, activity_kind::opportunity_open, "x", 1)},
         errc::duplicate_id, "log.opportunity");
  expect({opp(0, 1, activity_kind::opportunity_open, "x", 1), opp(0, 5, activity_kind::opportunity_won, "x", 1)},
         errc::out_of_range, "log.date");
}

TEST_CASE("route/workload: weighted score per account and per territory") {
  const std::vector<double> complexity{10, 20, 0};
  const std::vector<double> opps{1, 0, 2};
  const std::vector<double> act{4, 4, 4};
  const auto s = workload_scores(complexity, opps, act, {.complexity = 1, .open_opportunities = 10, .activity_requirement = 0.5});
  CHECK(s == std::vector<double>{22, 22, 22});
  const auto t = territory_workload(plan({0, 1, 1}, 2), s);
  CHECK(t == std::vector<double>{22, 44});
  CHECK(workload_scores(complexity, {}, {}) == complexity);
  const std::vector<activity_event> log{opp(0, 9, activity_kind::opportunity_open, "a", 1),
                                        opp(2, 8, activity_kind::opportunity_open, "b", 1),
                                        opp(2, 7, activity_kind::opportunity_open, "c", 1),
                                        opp(2, 3, activity_kind::opportunity_won, "c", 1),
                                        opp(1, -2, activity_kind::opportunity_open, "d", 1), contact(1, 1)};
  CHECK(open_opportunity_counts(3, log, today) == std::vector<double>{1, 0, 1});
  CHECK(open_opportunity_counts(3, log, today - days{5}) == std::vector<double>{1, 0, 2});
  CHECK_THROWS_AS((void)open_opportunity_counts(2, log, today), invalid_input);
  CHECK_THROWS_AS((void)workload_scores(complexity, std::vector<double>{1}, {}), invalid_input);
  CHECK_THROWS_AS((void)workload_scores(std::vector<double>{-1}, {}, {}), invalid_input);
}

TEST_CASE("route/rebalance_check: flags deviations over 20 % and suggests moves that remove them") {
  // territory 0 holds 6 accounts, 1 and 2 hold 2 each: mean 3.33
  const plan owners({0, 0, 0, 0, 0, 0, 1, 1, 2, 2}, 3);
  const std::vector<double> pot(10, 10.0);
  const auto r = rebalance_check(owners, pot);
  CHECK(r.needed());
  CHECK(r.territories[0].flagged);
  CHECK(r.territories[0].account_deviation == doctest::Approx(0.8));
  CHECK(r.territories[1].flagged);
  REQUIRE(r.moves.size() == 2);
  CHECK(r.moves[0] == suggested_move{0, 0, 1});
  CHECK(r.moves[1] == suggested_move{1, 0, 2});
  CHECK(r.excess_before > 0);
  CHECK(r.excess_after == doctest::Approx(0.0));
  // balanced: nothing to do
  const auto ok = rebalance_check(plan({0, 1, 2}, 3), std::vector<double>{5, 5, 5.5});
  CHECK_FALSE(ok.needed());
  CHECK(ok.moves.empty());
  // locked accounts and teams constrain the moves
  const std::vector<std::uint8_t> locked{1, 1, 1, 1, 1, 1, 0, 0, 0, 0};
  const auto pinned = rebalance_check(owners, pot, {.locked = locked});
  CHECK(pinned.needed());
  CHECK(pinned.moves.empty());  // nothing may leave territory 0, and 1 and 2 are equal
  const std::vector<std::uint32_t> teams{0, 1, 1};
  const auto split = rebalance_check(owners, pot, {.team_of = teams});
  CHECK_FALSE(split.territories[0].flagged);  // alone in its team
  CHECK(split.moves.empty());
}

TEST_CASE("route/rebalance_check: the drift rule of plan/drift.hpp (strictly beyond the tolerance)") {
  // counts 5, 4, 3: mean 4, deviations +25 % and −25 % exactly
  const plan owners({0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2}, 3);
  const std::vector<double> pot(12, 0.0);
  const auto at = rebalance_check(owners, pot, {.tolerance = 0.25});
  CHECK_FALSE(at.needed());
  CHECK(at.territories[0].account_deviation == 0.25);
  const auto over = rebalance_check(owners, pot, {.tolerance = 0.2499});
  CHECK(over.territories[0].flagged);
  CHECK(over.territories[2].flagged);
  CHECK_FALSE(over.territories[1].flagged);
  // the same verdicts as the shared rule
  const auto d = territory::drift_from_mean(std::vector<double>{5, 4, 3}, {}, 0.2499);
  for (std::size_t t = 0; t < 3; ++t) CHECK(over.territories[t].flagged == d[t].alert);
}
