// Tests of plan/scenario.hpp: presets, a sweep equals each scenario run alone, travel and deltas,
// the ranking rule, the trade-off sentences follow the numbers, Gini against hand-computed values,
// and invalid input.

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Core>

#include <territory/core/error.hpp>
#include <territory/core/plan.hpp>
#include <territory/core/rep.hpp>
#include <territory/graph/adjacency.hpp>
#include <territory/plan/metrics.hpp>
#include <territory/plan/scenario.hpp>

#include "support/grid.hpp"

namespace {

using territory::scenario;
using territory::scenario_preset;
using territory::scenario_scorecard;

struct grid_instance {
  territory::account_table table = territory::test::grid_table(10, 10);
  territory::adjacency graph = territory::adjacency::from_edges(100, territory::test::grid_edges(10, 10));
  Eigen::MatrixXd acts = table.activities();
  territory::scenario_inputs in;
  grid_instance() {
    in.base.territories = 4;
    in.base.tolerance = {0.1};
    // work counted in iterations (fixed starts, iteration limit), not seconds: the clock (60 s here)
    // is only a safety stop, so sweeps equal single runs under the sanitizers on a loaded machine too
    in.base.time_limit_seconds = 60.0;
    in.base.iteration_limit = 3000;
    in.base.starts = 2;
    in.base.activity_names = {"revenue", "workload"};
  }
};

scenario_scorecard card(std::string name, double gini, double diameter, std::size_t cut) {
  scenario_scorecard c;
  c.name = std::move(name);
  c.ran = true;
  c.feasible = true;
  c.columns = {"revenue"};
  c.gini = {gini};
  c.max_diameter = diameter;
  c.cut_edges = cut;
  return c;
}

std::vector<territory::territory_index> vec(const territory::plan& pl) {
  const auto a = pl.assignment();
  return {a.begin(), a.end()};
}

scenario named(std::string name) {
  scenario s;
  s.name = std::move(name);
  return s;
}

}  // namespace

TEST_CASE("plan/scenario: Gini equals the textbook definition on hand-computed cases") {
  // {1,2,3,4}: Σ over ordered pairs |xi − xj| = 20; 2 k² mean = 2·16·2.5 = 80 -> 0.25
  CHECK(territory::gini(std::vector<double>{1, 2, 3, 4}) == doctest::Approx(0.25));
  CHECK(territory::gini(std::vector<double>{4, 1, 3, 2}) == doctest::Approx(0.25));  // order does not matter
  CHECK(territory::gini(std::vector<double>{7, 7, 7, 7, 7}) == 0.0);                 // all equal
  CHECK(territory::gini(std::vector<double>{0, 0, 0, 0, 9}) == doctest::Approx(0.8));  // all in one: (p − 1)/p
  CHECK(territory::gini(std::vector<double>{0, 5}) == doctest::Approx(0.5));
  CHECK(territory::gini(std::vector<double>{3}) == 0.0);  // p = 1
  // {0, 1, 2}: ordered pairs 1+2+1 twice = 8; 2·9·1 = 18 -> 4/9
  CHECK(territory::gini(std::vector<double>{0, 1, 2}) == doctest::Approx(4.0 / 9.0));
  // through evaluate_plan: every account in territory 0 of 4 -> 3/4 on every column
  grid_instance g;
  const territory::plan all(std::vector<territory::territory_index>(100, 0), 4);
  const auto m = territory::evaluate_plan(g.acts, g.table.coordinates(), nullptr, all, std::vector<double>{0.05});
  CHECK(m.gini(0) == doctest::Approx(0.75));
  CHECK(m.gini(1) == doctest::Approx(0.75));
}

TEST_CASE("plan/scenario: presets map onto objective weights") {
  const std::vector<std::string> cols = {"population", "Revenue", "growth_accounts"};
  const auto base = territory::make_preset(scenario_preset::baseline, cols, false);
  CHECK(base.name == "baseline");
  CHECK(base.objective.compactness == doctest::Approx(0.25));
  CHECK(base.objective.travel == 0.0);
  CHECK(base.objective.balance == std::vector<double>(3, 0.25));
  const auto rev = territory::make_preset(scenario_preset::revenue, cols, false);
  CHECK(rev.objective.balance[1] == doctest::Approx(0.6));  // "Revenue", case-insensitive
  CHECK(rev.objective.balance[0] == doctest::Approx(0.4 / 3));
  CHECK(rev.objective.compactness == doctest::Approx(0.4 / 3));
  const auto gro = territory::make_preset(scenario_preset::growth, cols, false);
  CHECK(gro.objective.balance[2] == doctest::Approx(0.6));
  CHECK(gro.skip_reason.empty());
  const auto tra = territory::make_preset(scenario_preset::travel, cols, false);
  CHECK(!tra.skip_reason.empty());  // no homes: said, and skipped
  const auto tra_h = territory::make_preset(scenario_preset::travel, cols, true);
  CHECK(tra_h.skip_reason.empty());
  CHECK(tra_h.reps_in_design);
  CHECK(tra_h.objective.travel == doctest::Approx(0.6));
  CHECK(tra_h.objective.compactness == doctest::Approx(0.1));
  // without a revenue column: the first column, said in the description; without growth: skipped
  const std::vector<std::string> plain = {"population", "housing_units"};
  const auto rev2 = territory::make_preset(scenario_preset::revenue, plain, false);
  CHECK(rev2.objective.balance[0] == doctest::Approx(0.6));
  CHECK(rev2.description.find("no revenue column") != std::string::npos);
  CHECK(!territory::make_preset(scenario_preset::growth, plain, false).skip_reason.empty());
  CHECK(territory::preset_scenarios(plain, false).size() == 4);
  CHECK(territory::preset_from_string("revenue") == scenario_preset::revenue);
  CHECK(territory::preset_from_string("travel-optimised") == scenario_preset::travel);
  CHECK(!territory::preset_from_string("fastest"));
}

TEST_CASE("plan/scenario: a sweep's results equal each scenario run alone") {
  grid_instance g;
  std::vector<scenario> sc = territory::preset_scenarios(g.in.base.activity_names, false);
  scenario what_if = named("p5-loose");
  what_if.territories = 5;
  what_if.tolerance = {0.2};
  sc.push_back(what_if);
  scenario seeded = sc[0];
  seeded.name = "baseline-seed7";
  seeded.seed = 7;
  sc.push_back(seeded);
  const auto sweep = territory::run_scenarios(g.acts, g.table.coordinates(), &g.graph, g.in, sc, 2);
  REQUIRE(sweep.results.size() == sc.size());
  for (std::size_t i = 0; i < sc.size(); ++i) {
    CAPTURE(sc[i].name);
    const auto alone = territory::run_scenario(g.acts, g.table.coordinates(), &g.graph, g.in, sc[i]);
    const auto& r = sweep.results[i];
    CHECK(r.name == sc[i].name);
    CHECK(r.skipped == alone.skipped);
    CHECK(vec(r.assignment) == vec(alone.assignment));
    CHECK(r.metrics.max_diameter == alone.metrics.max_diameter);
    CHECK(r.metrics.cut_edges == alone.metrics.cut_edges);
    CHECK(r.card.gini == alone.card.gini);
    CHECK(r.options.threads == 1u);
  }
  // the same sweep on 1 thread gives the same plans
  const auto one = territory::run_scenarios(g.acts, g.table.coordinates(), &g.graph, g.in, sc, 1);
  for (std::size_t i = 0; i < sc.size(); ++i) CHECK(vec(one.results[i].assignment) == vec(sweep.results[i].assignment));
  CHECK(one.ranking.order == sweep.ranking.order);
  CHECK(one.top3 == sweep.top3);
  // travel-optimised is skipped without homes (and not ranked); the p = 5 what-if has 5 territories
  CHECK(!sweep.results[2].skipped.empty());
  CHECK(std::isnan(sweep.ranking.score[2]));
  CHECK(sweep.results[4].assignment.territory_count() == 5);
  CHECK(sweep.ranking.order.size() == sc.size() - 2);  // travel and growth skipped
  CHECK(sweep.top3.size() == 3);
  CHECK(sweep.top3[0].rfind("#1 ", 0) == 0);
}

TEST_CASE("plan/scenario: reps in the design give travel; a current plan gives the delta") {
  grid_instance g;
  const std::array<std::array<double, 2>, 4> homes{{{0, 0}, {9, 0}, {0, 9}, {9, 9}}};
  for (std::size_t k = 0; k < homes.size(); ++k) {
    territory::rep r;
    r.id = std::string(1, static_cast<char>('a' + k));
    r.home = homes[k];
    g.in.reps.push_back(r);
  }
  std::vector<territory::territory_index> cur(100);
  for (std::size_t a = 0; a < 100; ++a) cur[a] = static_cast<territory::territory_index>((a % 10 < 5 ? 0 : 1) + (a < 50 ? 0 : 2));
  g.in.current = territory::plan(cur, 4);
  const auto sc = territory::preset_scenarios(g.in.base.activity_names, true);
  CHECK(sc[2].skip_reason.empty());  // travel-optimised runs with homes
  const auto sweep = territory::run_scenarios(g.acts, g.table.coordinates(), &g.graph, g.in, sc, 2);
  for (const auto& r : sweep.results) {
    if (!r.skipped.empty()) continue;
    REQUIRE(r.travel);
    REQUIRE(r.card.travel);
    REQUIRE(r.delta);
    territory::plan_delta_options dopt;
    dopt.continues = territory::match_territories(*g.in.current, r.assignment);
    CHECK(r.continues == dopt.continues);
    const auto d = territory::compare_plans(*g.in.current, r.assignment, g.acts, dopt);
    CHECK(r.card.moves == d.accounts_moved);
    CHECK(r.options.homes.size() == 4);
  }
  CHECK(std::find(sweep.ranking.measures.begin(), sweep.ranking.measures.end(), "travel") != sweep.ranking.measures.end());
  CHECK(std::find(sweep.ranking.measures.begin(), sweep.ranking.measures.end(), "disruption") !=
        sweep.ranking.measures.end());
}

TEST_CASE("plan/scenario: territories are matched by shared accounts") {
  // after renumbers before's territories 0,1,2 as 2,0,1 and moves one account
  const territory::plan before(std::vector<territory::territory_index>{0, 0, 0, 1, 1, 1, 2, 2, 2}, 3);
  const territory::plan after(std::vector<territory::territory_index>{2, 2, 2, 0, 0, 1, 1, 1, 1}, 3);
  CHECK(territory::match_territories(before, after) == std::vector<territory::territory_index>{1, 2, 0});
  territory::plan_delta_options o;
  o.continues = territory::match_territories(before, after);
  CHECK(territory::compare_plans(before, after, o).accounts_moved == 1);
  CHECK(territory::compare_plans(before, after).accounts_moved == 8);  // by index, all but one "move"
}

TEST_CASE("plan/scenario: ranking is the weighted score of normalised measures") {
  // a: best balance, worst diameter; b: the reverse; c: in the middle on both and the best boundary
  const std::vector<scenario_scorecard> cards = {card("a", 0.01, 300, 100), card("b", 0.03, 100, 100),
                                                 card("c", 0.02, 200, 90)};
  const auto r = territory::rank_scenarios(cards);
  REQUIRE(r.measures == std::vector<std::string>{"balance", "compactness", "boundary"});
  CHECK(r.score[0] == doctest::Approx((0.0 + 1.0 + 1.0) / 3));
  CHECK(r.score[1] == doctest::Approx((1.0 + 0.0 + 1.0) / 3));
  CHECK(r.score[2] == doctest::Approx((0.5 + 0.5 + 0.0) / 3));
  CHECK(r.order == std::vector<std::size_t>{2, 0, 1});  // ties (a, b) by input order
  // weights move the order; infeasible scenarios come last whatever their score
  territory::ranking_weights heavy;
  heavy.balance = 10.0;
  const auto rb = territory::rank_scenarios(cards, heavy);
  CHECK(rb.order.front() == 0);
  auto infeasible = cards;
  infeasible[2].feasible = false;
  CHECK(territory::rank_scenarios(infeasible).order.back() == 2);
  territory::ranking_weights bad;
  bad.travel = -1.0;
  CHECK_THROWS_AS((void)territory::rank_scenarios(cards, bad), territory::invalid_input);
}

TEST_CASE("plan/scenario: the trade-off sentences follow the numbers") {
  std::vector<scenario_scorecard> cards = {card("north", 0.010, 1500, 700), card("south", 0.020, 1600, 700),
                                           card("east", 0.010, 1500, 700)};
  cards[0].moves = 10;
  cards[1].moves = 40;
  cards[2].moves = 10;
  const territory::scenario_ranking order{{0, 1, 2}, {0.0, 1.0, 0.0}, {"balance"}};
  const auto before = territory::tradeoff_summary(cards, order, "km");
  REQUIRE(before.size() == 3);
  CHECK(before[0].find("against south it gains a more even split of revenue (Gini 0.010 vs 0.020), a widest territory "
                       "100 km narrower (1500 km vs 1600 km) and 30 fewer accounts moved from the current plan (10 vs 40) "
                       "and gives up nothing") != std::string::npos);
  CHECK(before[0].find("against east there is no material difference") != std::string::npos);
  // swap north's and south's numbers: the sentence turns round
  std::swap(cards[0].gini, cards[1].gini);
  std::swap(cards[0].max_diameter, cards[1].max_diameter);
  std::swap(cards[0].moves, cards[1].moves);
  const auto after = territory::tradeoff_summary(cards, order, "km");
  CHECK(after[0] != before[0]);
  CHECK(after[0].find("against south it gains nothing and gives up a less even split of revenue (Gini 0.020 vs 0.010), "
                      "a widest territory 100 km wider (1600 km vs 1500 km) and 30 more accounts moved") !=
        std::string::npos);
  // boundaries and feasibility are said too
  cards[1].cut_edges = 900;
  cards[1].feasible = false;
  const auto third = territory::tradeoff_summary(cards, order, "km");
  CHECK(third[0].find("it gains feasibility (it meets every hard constraint; south does not)") != std::string::npos);
  CHECK(third[0].find("22 % shorter boundaries (700 vs 900 shared borders between territories)") != std::string::npos);
  CHECK(third[1].find("#2 south (score 1.00; misses a hard constraint)") == 0);
}

TEST_CASE("plan/scenario: invalid input names the field and the scenario") {
  grid_instance g;
  auto field_index = [&](std::vector<scenario> sc, unsigned threads = 1) {
    try {
      (void)territory::run_scenarios(g.acts, g.table.coordinates(), &g.graph, g.in, sc, threads);
    } catch (const territory::invalid_input& e) {
      return e.field() + ":" + (e.index() ? std::to_string(*e.index()) : std::string("-"));
    }
    return std::string("no throw");
  };
  auto with = [](auto change) {
    scenario s = named("a");
    change(s);
    return std::vector<scenario>{s};
  };
  CHECK(field_index({named("a"), named("a")}) == "scenarios:1");
  CHECK(field_index({named("")}) == "scenarios:0");
  scenario neg = named("b");
  neg.objective.compactness = -1.0;
  CHECK(field_index({named("a"), neg}) == "scenarios:1");
  CHECK(field_index(with([](scenario& s) { s.objective.balance = {1.0}; })) == "scenarios:0");  // 1 weight, 2 columns
  CHECK(field_index(with([](scenario& s) { s.tolerance = {1.0}; })) == "scenarios:0");
  CHECK(field_index(with([](scenario& s) { s.territories = 101; })) == "scenarios:0");
  CHECK(field_index(with([](scenario& s) { s.reps_in_design = true; })) == "scenarios:0");  // no reps
  CHECK(field_index({named("a")}, 0) == "threads:-");
  g.in.current = territory::plan(std::vector<territory::territory_index>(5, 0), 1);
  CHECK(field_index({named("a")}) == "current:-");
}

namespace {

/// Four reps at the corners of the 10x10 grid: a (0,0), b (9,0), c (0,9), d (9,9).
void corner_reps(territory::scenario_inputs& in) {
  const std::array<std::array<double, 2>, 4> homes{{{0, 0}, {9, 0}, {0, 9}, {9, 9}}};
  for (std::size_t k = 0; k < homes.size(); ++k) {
    territory::rep r;
    r.id = std::string(1, static_cast<char>('a' + k));
    r.home = homes[k];
    in.reps.push_back(r);
  }
}

territory::rep new_rep(std::string id, double x, double y, double capacity = 1.0) {
  territory::rep r;
  r.id = std::move(id);
  r.home = std::array<double, 2>{x, y};
  r.capacity = capacity;
  return r;
}

}  // namespace

TEST_CASE("plan/scenario: what-ifs on the reps add and remove territories around them") {
  grid_instance g;
  corner_reps(g.in);
  scenario plus = named("plus-two-east");
  plus.reps_in_design = true;
  plus.add_reps = {new_rep("e1", 9, 4), new_rep("e2", 9, 6, 0.5)};
  scenario minus = named("without-b");
  minus.reps_in_design = true;
  minus.remove_reps = {"b"};

  const auto reps = territory::scenario_reps(plus, g.in.reps);
  REQUIRE(reps.size() == 6);
  CHECK(reps[4].id == "e1");
  CHECK(territory::scenario_reps(minus, g.in.reps)[1].status == territory::rep_status::departed);
  CHECK(g.in.reps[1].status == territory::rep_status::active);  // the shared reps are not touched

  const std::vector<scenario> sc{plus, minus};
  const auto sweep = territory::run_scenarios(g.acts, g.table.coordinates(), &g.graph, g.in, sc, 2);
  const auto& p = sweep.results[0];
  const auto& m = sweep.results[1];
  CHECK(p.assignment.territory_count() == 6);
  CHECK(p.rep_ids == std::vector<std::string>{"a", "b", "c", "d", "e1", "e2"});
  // the half-capacity rep's territory is sized for half a load
  REQUIRE(p.options.target_shares.size() == 6);
  CHECK(p.options.target_shares[5] == 0.5);
  CHECK(p.options.target_shares[4] == 1.0);
  REQUIRE(p.options.homes.size() == 6);
  CHECK((*p.options.homes[4])[0] == 9.0);
  CHECK(m.assignment.territory_count() == 3);
  CHECK(m.rep_ids == std::vector<std::string>{"a", "c", "d"});
  CHECK(p.card.feasible);
  CHECK(m.card.feasible);
  // each what-if equals its run alone
  CHECK(vec(territory::run_scenario(g.acts, g.table.coordinates(), &g.graph, g.in, plus).assignment) == vec(p.assignment));
  // planar distances have no unit unless the caller names one
  REQUIRE(!sweep.top3.empty());
  REQUIRE(sweep.top3[0].find("widest territory") != std::string::npos);
  CHECK(sweep.top3[0].find(" mi") == std::string::npos);
  g.in.distance_unit = "mi";
  const auto miles = territory::run_scenarios(g.acts, g.table.coordinates(), &g.graph, g.in, sc, 1);
  CHECK(miles.top3[0].find(" mi narrower") != std::string::npos);
}

TEST_CASE("plan/scenario: designed around the reps, a territory continues its own rep's current territory") {
  grid_instance g;
  corner_reps(g.in);
  // the current plan: quadrants owned by c (x < 5, y < 5), d, a, b: every rep's home is in another's quadrant
  std::vector<territory::territory_index> cur(100);
  for (std::size_t a = 0; a < 100; ++a) cur[a] = static_cast<territory::territory_index>((a % 10 < 5 ? 0 : 1) + (a < 50 ? 0 : 2));
  g.in.current = territory::plan(cur, 4);
  g.in.current_owners = {"c", "d", "a", "b"};
  scenario s = named("without-b");
  s.reps_in_design = true;
  s.remove_reps = {"b"};
  const auto r = territory::run_scenario(g.acts, g.table.coordinates(), &g.graph, g.in, s);
  REQUIRE(r.rep_ids == std::vector<std::string>{"a", "c", "d"});
  CHECK(r.continues == std::vector<territory::territory_index>{2, 0, 1});  // a, c, d's current territories
  territory::plan_delta_options dopt;
  dopt.continues = r.continues;
  REQUIRE(r.delta);
  CHECK(r.delta->accounts_moved == territory::compare_plans(*g.in.current, r.assignment, g.acts, dopt).accounts_moved);
  // by shared accounts alone the pairing would differ (each rep's territory grows from its own corner)
  CHECK(territory::match_territories(*g.in.current, r.assignment) != r.continues);
  // the owners must name each current territory once
  g.in.current_owners = {"c", "d", "a"};
  CHECK_THROWS_AS(territory::validate_scenarios(std::span<const scenario>(&s, 1), g.in, 100, 2), territory::invalid_input);
  g.in.current_owners = {"c", "d", "a", "a"};
  CHECK_THROWS_AS(territory::validate_scenarios(std::span<const scenario>(&s, 1), g.in, 100, 2), territory::invalid_input);
}

TEST_CASE("plan/scenario: match_territories honours fixed pairs") {
  const territory::plan before(std::vector<territory::territory_index>{0, 0, 0, 1, 1, 1, 2, 2, 2}, 3);
  const territory::plan after(std::vector<territory::territory_index>{0, 0, 0, 1, 1, 1, 2, 2, 2}, 3);
  const std::vector<territory::territory_index> fixed{1, territory::no_territory, territory::no_territory};
  // after 0 continues before 1; after 2 pairs with before 2 by shared accounts; after 1 shares none with before 0
  CHECK(territory::match_territories(before, after, fixed) ==
        std::vector<territory::territory_index>{1, territory::no_territory, 2});
  CHECK_THROWS_AS((void)territory::match_territories(before, after, std::vector<territory::territory_index>{1, 1, 0}),
                  territory::invalid_input);
  CHECK_THROWS_AS((void)territory::match_territories(before, after, std::vector<territory::territory_index>{3, 0, 1}),
                  territory::invalid_input);
  CHECK_THROWS_AS((void)territory::match_territories(before, after, std::vector<territory::territory_index>{0}),
                  territory::invalid_input);
}

TEST_CASE("plan/scenario: a rep what-if renumbers the locks and releases a removed rep's") {
  grid_instance g;
  corner_reps(g.in);
  // account 0 (0,0) locked to rep a (territory 0); account 99 (9,9) to rep d (territory 3); 9 (9,0) to b
  g.in.base.locked.assign(100, territory::no_territory);
  g.in.base.locked[0] = 0;
  g.in.base.locked[9] = 1;
  g.in.base.locked[99] = 3;
  scenario s = named("without-a");
  s.reps_in_design = true;
  s.remove_reps = {"a"};
  const auto o = territory::scenario_options(s, g.in, g.table.coordinates());
  REQUIRE(o.locked.size() == 100);
  CHECK(o.locked[0] == territory::no_territory);  // a's lock released
  CHECK(o.locked[9] == 0);                        // b is now territory 0
  CHECK(o.locked[99] == 2);                       // d is now territory 2
  const auto r = territory::run_scenario(g.acts, g.table.coordinates(), &g.graph, g.in, s);
  CHECK(r.rep_ids == std::vector<std::string>{"b", "c", "d"});
  CHECK(r.assignment[9] == 0);
  CHECK(r.assignment[99] == 2);
  // removing every locked rep leaves no locks at all
  s.remove_reps = {"a", "b", "d"};
  CHECK(territory::scenario_options(s, g.in, g.table.coordinates()).locked.empty());
}

TEST_CASE("plan/scenario: bad rep what-ifs name the scenario and the rep") {
  grid_instance g;
  corner_reps(g.in);
  auto message = [&](scenario s) {
    s.name = "w";
    try {
      territory::validate_scenarios(std::span<const scenario>(&s, 1), g.in, 100, 2);
    } catch (const territory::invalid_input& e) {
      CHECK(e.field() == "scenarios");
      CHECK(e.index() == std::optional<std::size_t>(0));
      return std::string(e.what());
    }
    return std::string("no throw");
  };
  scenario s;
  s.reps_in_design = true;
  auto with = [&](auto change) {
    scenario c = s;
    change(c);
    return message(c);
  };
  CHECK(with([](scenario& c) { c.reps_in_design = false, c.remove_reps = {"a"}; }).find("needs the design around the reps") !=
        std::string::npos);
  CHECK(with([](scenario& c) { c.remove_reps = {"zz"}; }).find("cannot remove rep 'zz': there is no such rep") != std::string::npos);
  CHECK(with([](scenario& c) { c.remove_reps = {"a", "a"}; }).find("rep 'a' is removed twice") != std::string::npos);
  CHECK(with([](scenario& c) { c.remove_reps = {"a", "b", "c", "d"}; }).find("every active rep is removed") !=
        std::string::npos);
  CHECK(with([](scenario& c) { c.add_reps = {new_rep("a", 1, 1)}; }).find("'a': the id is already a rep's") != std::string::npos);
  CHECK(with([](scenario& c) { c.add_reps = {new_rep("x", 1, 1), new_rep("x", 2, 2)}; }).find("'x': the id is already") !=
        std::string::npos);
  CHECK(with([](scenario& c) { c.add_reps = {new_rep("", 1, 1)}; }).find("added rep 1 has no id") != std::string::npos);
  CHECK(with([](scenario& c) { c.add_reps = {new_rep("x", 1, 1, 0.0)}; }).find("capacity 0 is not finite and > 0") !=
        std::string::npos);
  CHECK(with([](scenario& c) {
          c.add_reps = {new_rep("x", 1, 1)};
          c.add_reps[0].home.reset();
        }).find("'x' needs a finite home") != std::string::npos);
  CHECK(with([](scenario& c) {
          c.add_reps = {new_rep("x", 1, 1)};
          c.add_reps[0].status = territory::rep_status::departed;
        }).find("'x' is not active") != std::string::npos);
  CHECK(with([](scenario& c) { c.add_reps = {new_rep("x", 1, 1)}, c.territories = 4; })
            .find("4 territories, but a design around the reps has one per active rep (5)") != std::string::npos);
  CHECK(with([](scenario& c) { c.add_reps = {new_rep("x", 1, 1)}, c.territories = 5; }) == "no throw");
}

TEST_CASE("plan/scenario: a sweep tells of each scenario as it finishes") {
  grid_instance g;
  std::vector<scenario> sc = territory::preset_scenarios(g.in.base.activity_names, false);
  for (unsigned threads : {1u, 2u}) {
    std::vector<std::size_t> seen, counts;
    const auto sweep = territory::run_scenarios(
        g.acts, g.table.coordinates(), &g.graph, g.in, sc, threads, territory::euclidean{},
        [&](const territory::scenario_result& r, std::size_t i, std::size_t done, std::size_t total) {
          CHECK(r.name == sc[i].name);
          CHECK(total == sc.size());
          seen.push_back(i);
          counts.push_back(done);
        });
    std::sort(seen.begin(), seen.end());
    CHECK(seen == std::vector<std::size_t>{0, 1, 2, 3});  // each once, skipped ones too
    CHECK(counts == std::vector<std::size_t>{1, 2, 3, 4});
    CHECK(sweep.results.size() == 4);
  }
  // an exception thrown by the callback comes back from run_scenarios
  CHECK_THROWS_AS((void)territory::run_scenarios(g.acts, g.table.coordinates(), &g.graph, g.in, sc, 2, territory::euclidean{},
                                                 [](const territory::scenario_result&, std::size_t, std::size_t,
                                                    std::size_t) { throw std::runtime_error("stop"); }),
                  std::runtime_error);
}
