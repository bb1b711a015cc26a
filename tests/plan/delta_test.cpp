#include <doctest/doctest.h>

#include <chrono>
#include <vector>

#include <Eigen/Core>

#include <territory/core/error.hpp>
#include <territory/core/plan.hpp>
#include <territory/plan/change_set.hpp>
#include <territory/plan/delta.hpp>
#include <territory/route/workload.hpp>

namespace {

using territory::compare_plans;
using territory::no_territory;
using territory::plan;
using territory::territory_index;

}  // namespace

TEST_CASE("compare_plans: identical plans have no moves and touch nothing") {
  const plan a({0, 0, 1, 1, 2}, 3);
  Eigen::MatrixXd acts(5, 1);
  acts << 1, 2, 3, 4, 5;
  const auto d = compare_plans(a, a, acts);
  CHECK(d.accounts_moved == 0);
  CHECK(d.moves.empty());
  CHECK(d.territories_touched == 0);
  CHECK(d.territories.size() == 3);
  CHECK(d.moved_share(0) == 0.0);
  CHECK(d.territories[1].accounts_before == 2);
  CHECK(d.territories[1].accounts_after == 2);
}

TEST_CASE("compare_plans: moves, shares and per-territory gains and losses") {
  const plan a({0, 0, 1, 1, 2}, 3);
  const plan b({0, 1, 1, 2, 2}, 3);
  Eigen::MatrixXd acts(5, 2);
  acts << 1, 0, 2, 0, 3, 0, 4, 0, 5, 0;
  const auto d = compare_plans(a, b, acts);
  REQUIRE(d.accounts_moved == 2);
  CHECK(d.moves[0] == territory::account_move{1, 0, 1});
  CHECK(d.moves[1] == territory::account_move{3, 1, 2});
  CHECK(d.moved_amount(0) == doctest::Approx(6.0));
  CHECK(d.moved_share(0) == doctest::Approx(6.0 / 15.0));
  CHECK(d.moved_share(1) == 0.0);  // an all-zero column: share 0, not NaN
  CHECK(d.share_moved == doctest::Approx(0.4));
  CHECK(d.territories_touched == 3);
  CHECK(d.territories[0].lost == 1);
  CHECK(d.territories[0].gained == 0);
  CHECK(d.territories[1].gained == 1);
  CHECK(d.territories[1].lost == 1);
  CHECK(d.territories[1].gained_amount(0) == doctest::Approx(2.0));
  CHECK(d.territories[1].lost_amount(0) == doctest::Approx(4.0));
  CHECK(d.territories[2].gained == 1);
  CHECK(d.territories[2].accounts_after == 2);
}

TEST_CASE("compare_plans: renumbered, dissolved and new territories through continues") {
  // before: territories 0, 1, 2; after: 0 = old 2, 1 = old 0, 2 = new; old 1 dissolved
  const plan a({0, 0, 1, 1, 2}, 3);
  const plan b({1, 1, 1, 2, 0}, 3);
  const auto d = compare_plans(a, b, {.continues = {2, 0, no_territory}});
  CHECK(d.accounts_moved == 2);  // accounts 2 (old 1 -> old 0) and 3 (old 1 -> new)
  REQUIRE(d.territories.size() == 4);
  CHECK(d.territories[1].after == no_territory);  // dissolved
  CHECK(d.territories[1].lost == 2);
  CHECK(d.territories[3].before == no_territory);  // new
  CHECK(d.territories[3].after == 2);
  CHECK(d.territories[3].gained == 1);
  CHECK(d.territories[2].touched() == false);  // old 2 continued as 0 with the same account
  CHECK(d.territories_touched == 3);
}

TEST_CASE("compare_plans: per-rep gains and losses follow the owner, not the territory id") {
  const plan a({0, 0, 1, 1}, 2);
  const plan b({1, 0, 0, 0}, 2);  // ids swapped, and account 0 stays with rep 7 (territory 1 now)
  Eigen::MatrixXd acts(4, 1);
  acts << 10, 20, 30, 40;
  const auto d = compare_plans(a, b, acts, {.rep_before = {7, 3}, .rep_after = {3, 7}});
  // rep 7 had {0, 1}, has {0}; rep 3 had {2, 3}, has {1, 2, 3}
  REQUIRE(d.reps.size() == 2);
  CHECK(d.reps[0].rep == 3);
  CHECK(d.reps[0].gained == 1);
  CHECK(d.reps[0].gained_amount(0) == doctest::Approx(20.0));
  CHECK(d.reps[1].rep == 7);
  CHECK(d.reps[1].lost == 1);
  CHECK(d.reps_touched == 2);
}

TEST_CASE("compare_plans: bad input names the field") {
  const plan a({0, 1}, 2);
  const plan b({0, 1, 1}, 2);
  auto field_of = [](auto&& f) {
    try {
      f();
    } catch (const territory::invalid_input& e) {
      return e.field();
    }
    return std::string("no throw");
  };
  CHECK(field_of([&] { (void)compare_plans(a, b); }) == "after");
  Eigen::MatrixXd acts(3, 1);
  acts.setOnes();
  CHECK(field_of([&] { (void)compare_plans(a, a, acts); }) == "activities");
  CHECK(field_of([&] { (void)compare_plans(a, a, {.continues = {0}}); }) == "continues");
  CHECK(field_of([&] { (void)compare_plans(a, a, {.continues = {0, 5}}); }) == "continues");
  CHECK(field_of([&] { (void)compare_plans(a, a, {.continues = {0, 0}}); }) == "continues");
  CHECK(field_of([&] { (void)compare_plans(a, a, {.rep_before = {0, 1}}); }) == "rep_after");
}

TEST_CASE("make_change_set: exactly the moved accounts, their records following them, a notice per touched territory") {
  // territory 1 dissolved (its accounts 2, 3 go to 0 and 2), account 4 moves 2 -> new territory 3
  const plan a({0, 0, 1, 1, 2, 2}, 3);
  const plan b({0, 0, 0, 2, 3, 2}, 4);
  territory::plan_delta_options o;
  o.continues = {0, no_territory, 2, no_territory};  // after 0 continues 0, after 2 continues 2; 1, 3 new
  // after territory 1 is unused (new, empty): a new territory with no account is still listed
  const auto d = compare_plans(a, b, Eigen::MatrixXd(), o);
  REQUIRE(d.accounts_moved == 3);
  const std::vector<territory::account_record> recs{
      {.account = 2, .kind = "opportunity", .id = "o1", .amount = 100.0},
      {.account = 0, .kind = "opportunity", .id = "o2", .amount = 50.0},  // account 0 stays: not in the set
      {.account = 4, .kind = "contact", .id = "c1"},
      {.account = 2, .kind = "opportunity", .id = "o3", .amount = 25.0},
  };
  const auto cs = territory::make_change_set(d, recs, 6);
  CHECK(cs.accounts == d.moves);
  REQUIRE(cs.records.size() == 3);
  CHECK(cs.records[0] == territory::record_move{0, 1, 0});
  CHECK(cs.records[1] == territory::record_move{2, 2, 3});
  CHECK(cs.records[2] == territory::record_move{3, 1, 0});
  // notices: entries 0 (gains 2), 1 (dissolved: loses 2, 3), 2 (gains 3 loses 4), then the new ones
  REQUIRE(cs.notices.size() == d.territories_touched);
  const auto& n0 = cs.notices[0];
  CHECK(n0.entry == 0);
  CHECK(n0.gained == std::vector<territory::account_index>{2});
  CHECK(n0.lost.empty());
  REQUIRE(n0.records.size() == 1);
  CHECK(n0.records[0].kind == "opportunity");
  CHECK(n0.records[0].gained == 2);
  CHECK(n0.records[0].amount_gained == 125.0);
  const auto& n1 = cs.notices[1];
  CHECK(n1.lost == std::vector<territory::account_index>{2, 3});
  REQUIRE(n1.records.size() == 1);
  CHECK(n1.records[0].lost == 2);
  CHECK(n1.records[0].amount_lost == 125.0);
  const auto& n2 = cs.notices[2];
  CHECK(n2.gained == std::vector<territory::account_index>{3});
  CHECK(n2.lost == std::vector<territory::account_index>{4});
  REQUIRE(n2.records.size() == 1);
  CHECK(n2.records[0].kind == "contact");
  CHECK(n2.records[0].lost == 1);
  bool new_with_4 = false, new_empty = false;
  for (const auto& n : cs.notices) {
    const auto& e = d.territories[n.entry];
    if (e.before != no_territory) continue;
    new_with_4 = new_with_4 || n.gained == std::vector<territory::account_index>{4};
    new_empty = new_empty || n.gained.empty();
  }
  CHECK(new_with_4);
  CHECK(new_empty);
  // bad records name the field and index
  const std::vector<territory::account_record> bad{{.account = 9, .kind = "task", .id = "t1"}};
  CHECK_THROWS_AS((void)territory::make_change_set(d, bad, 6), territory::invalid_input);
  const std::vector<territory::account_record> noid{{.account = 1, .kind = "task", .id = ""}};
  CHECK_THROWS_AS((void)territory::make_change_set(d, noid, 6), territory::invalid_input);
}

TEST_CASE("open_opportunities: opened on or before the date and not won or lost by then") {
  using namespace std::chrono;
  const sys_days today = sys_days{year{2026} / 11 / 25};
  const std::vector<territory::activity_event> log{
      {0, today - days{10}, territory::activity_kind::opportunity_open, "a", 10.0},
      {1, today - days{9}, territory::activity_kind::opportunity_open, "b", 20.0},
      {1, today - days{2}, territory::activity_kind::opportunity_won, "b", 20.0},
      {2, today - days{1}, territory::activity_kind::opportunity_open, "c", 30.0},
      {2, today + days{1}, territory::activity_kind::opportunity_lost, "c", 0.0},
      {0, today + days{3}, territory::activity_kind::opportunity_open, "d", 40.0},
      {0, today, territory::activity_kind::contact, "", 0.0},
  };
  const auto open = territory::open_opportunities(3, log, today);
  REQUIRE(open.size() == 2);
  CHECK(open[0].id == "a");
  CHECK(open[0].account == 0);
  CHECK(open[0].amount == 10.0);
  CHECK(open[1].id == "c");  // lost only after today
  CHECK(open[1].opened == today - days{1});
  CHECK(territory::open_opportunities(3, log, today - days{3}).size() == 2);  // a and b
  CHECK(territory::open_opportunities(3, log, today + days{5}).size() == 2);  // a and d
}
