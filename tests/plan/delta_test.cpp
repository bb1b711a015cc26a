#include <doctest/doctest.h>

#include <vector>

#include <Eigen/Core>

#include <territory/core/error.hpp>
#include <territory/core/plan.hpp>
#include <territory/plan/delta.hpp>

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
