// rebalance() (balance/rebalance.hpp, docs/rebalance.md): minimal-disruption repair of a plan, drop and
// add. Every result is checked independently here (balance bands and pieces recomputed from the plan).

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stop_token>
#include <string>
#include <vector>

#include <territory/balance/partition.hpp>
#include <territory/balance/rebalance.hpp>
#include <territory/core/error.hpp>
#include <territory/core/random.hpp>
#include <territory/detail/balance/rebalance_impl.hpp>

#include "support/grid.hpp"
#include "support/instances.hpp"

using namespace territory;

namespace {

test::instance grid(int rows, int cols, std::uint64_t seed, int columns = 1) {
  std::vector<test::activity_range> cols_spec{{4, 20, true}, {15, 100, false}};
  cols_spec.resize(static_cast<std::size_t>(columns));
  return test::jittered_grid(rows, cols, seed, 1, cols_spec);
}

/// Independent check of the balance band of every column.
bool balanced(const Eigen::MatrixXd& acts, const plan& pl, double tau) {
  const auto p = pl.territory_count();
  for (Eigen::Index j = 0; j < acts.cols(); ++j) {
    const double mean = acts.col(j).sum() / static_cast<double>(p);
    std::vector<double> s(p, 0.0);
    for (account_index a = 0; a < pl.size(); ++a) s[pl[a]] += acts(a, j);
    for (double x : s) {
      if (std::abs(x / mean - 1.0) > tau + 1e-9) return false;
    }
  }
  return true;
}

bool connected(const adjacency& g, const plan& pl) {
  for (territory_index t = 0; t < pl.territory_count(); ++t) {
    if (test::territory_pieces(g, pl, t) != 1) return false;
  }
  return true;
}

std::size_t moved(const plan& a, const plan& b) {
  std::size_t k = 0;
  for (account_index i = 0; i < a.size(); ++i) k += a[i] != b[i] ? 1 : 0;
  return k;
}

/// A feasible starting plan of the instance (partition, stop at the first feasible plan).
plan start_plan(const test::instance& in, territory_index p, std::uint64_t seed) {
  partition_options o{.territories = p, .tolerance = {0.05}, .seed = seed, .time_limit_seconds = 600, .iteration_limit = 50000, .starts = 4};
  o.stop_when_feasible = true;
  const auto r = partition(in.acts, in.xy, in.graph, o, euclidean{});
  REQUIRE(r.feasible());
  return r.assignment;
}

/// Scales the activities of the accounts left of x0 by f.
Eigen::MatrixXd drift_west(const test::instance& in, double x0, double f) {
  Eigen::MatrixXd a = in.acts;
  for (Eigen::Index k = 0; k < a.rows(); ++k) {
    if (in.xy(k, 0) < x0) a.row(k) *= f;
  }
  return a;
}

}  // namespace

TEST_CASE("rebalance: a plan that meets every constraint comes back unchanged with zero moves") {
  const auto in = grid(16, 16, 5, 2);
  const auto cur = start_plan(in, 6, 1);
  const auto r = rebalance(in.acts, in.xy, in.graph, cur, {.tolerance = {0.05}}, euclidean{});
  CHECK(r.feasible());
  CHECK(r.delta.accounts_moved == 0);
  CHECK(r.delta.moves.empty());
  CHECK(r.delta.territories_touched == 0);
  CHECK(r.assignment == cur);
  REQUIRE(r.origin.size() == 6);
  for (territory_index t = 0; t < 6; ++t) CHECK(r.origin[t] == t);
}

TEST_CASE("rebalance: a drifted plan is restored with few moves; the delta lists exactly the moved accounts") {
  const auto in = grid(20, 20, 7);
  const auto cur = start_plan(in, 8, 3);
  const auto acts = drift_west(in, 5.0, 1.3);
  REQUIRE_FALSE(balanced(acts, cur, 0.05));  // the drift broke the plan
  const auto r = rebalance(acts, in.xy, in.graph, cur, {.tolerance = {0.05}}, euclidean{});
  CHECK(r.feasible());
  CHECK(balanced(acts, r.assignment, 0.05));
  CHECK(connected(in.graph, r.assignment));
  const auto k = moved(cur, r.assignment);
  CHECK(k == r.delta.accounts_moved);
  CHECK(k > 0);
  CHECK(k <= 60);  // 15 % of the accounts; a fresh plan moves most of them
  for (const auto& mv : r.delta.moves) {
    CHECK(cur[mv.account] == mv.from);
    CHECK(r.assignment[mv.account] == mv.to);
  }
  CHECK(r.moved_cost == doctest::Approx(static_cast<double>(k)));
}

TEST_CASE("rebalance: property over random grids: feasible when partition finds the drifted data feasible, moves <= max_moves") {
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    CAPTURE(seed);
    const auto in = grid(14, 14, seed);
    const auto p = static_cast<territory_index>(4 + seed % 4);
    const auto cur = start_plan(in, p, seed);
    // every account drifts by a random +-10 %, and a random corner grows by 10-40 %
    rng gen(seed * 77);
    Eigen::MatrixXd acts = in.acts;
    const double cx = gen.uniform_real(3.0, 10.0), cy = gen.uniform_real(3.0, 10.0), grow = gen.uniform_real(1.1, 1.4);
    const bool east = gen.below(2) == 0;
    for (Eigen::Index k = 0; k < acts.rows(); ++k) {
      acts(k, 0) *= gen.uniform_real(0.9, 1.1);
      if ((east ? in.xy(k, 0) > cx : in.xy(k, 0) < cx) && in.xy(k, 1) < cy) acts(k, 0) *= grow;
    }
    const auto full = rebalance(acts, in.xy, in.graph, cur, {.tolerance = {0.05}}, euclidean{});
    partition_options po{.territories = p, .tolerance = {0.05}, .seed = seed, .time_limit_seconds = 600, .iteration_limit = 50000, .starts = 4};
    po.stop_when_feasible = true;
    if (partition(acts, in.xy, in.graph, po, euclidean{}).feasible()) {
      CHECK(full.feasible());
      CHECK(balanced(acts, full.assignment, 0.05) == full.feasible());
    }
    CHECK(connected(in.graph, full.assignment));
    // a budget below what the repair needs is never exceeded
    const std::size_t budget = full.delta.accounts_moved / 2;
    const auto capped = rebalance(acts, in.xy, in.graph, cur, {.tolerance = {0.05}, .max_moves = budget}, euclidean{});
    CHECK(moved(cur, capped.assignment) <= budget);
    CHECK(connected(in.graph, capped.assignment));
    if (full.delta.accounts_moved > 0 && budget < full.delta.accounts_moved && !capped.feasible()) {
      CHECK(capped.budget_reached);
      CHECK_FALSE(capped.notes.empty());
    }
  }
}

TEST_CASE("rebalance: a budget too small returns the best plan within it, with what is violated") {
  const auto in = grid(20, 20, 7);
  const auto cur = start_plan(in, 8, 3);
  const auto acts = drift_west(in, 5.0, 1.3);
  const auto r = rebalance(acts, in.xy, in.graph, cur, {.tolerance = {0.05}, .max_moves = 2}, euclidean{});
  CHECK(r.delta.accounts_moved <= 2);
  CHECK_FALSE(r.feasible());
  CHECK(r.budget_reached);
  bool balance_violated = false;
  for (const auto& v : r.violations) balance_violated = balance_violated || v.kind == constraint_kind::balance;
  CHECK(balance_violated);
  const auto it = std::find_if(r.constraints.begin(), r.constraints.end(),
                               [](const constraint_status& c) { return c.name == "max_moves"; });
  REQUIRE(it != r.constraints.end());
  CHECK(it->holds);
}

TEST_CASE("rebalance: locked accounts never move; a lock elsewhere moves the account there") {
  const auto in = grid(20, 20, 11);
  const auto cur = start_plan(in, 8, 5);
  const auto acts = drift_west(in, 6.0, 1.3);
  rebalance_plan_options o{.tolerance = {0.05}};
  o.locked.assign(cur.size(), no_territory);
  // lock every account of the boundary of the first territory that sits west (where the drift is)
  std::size_t locks = 0;
  for (account_index a = 0; a < cur.size(); ++a) {
    if (in.xy(a, 0) < 6.0 && a % 3 == 0) {
      o.locked[a] = cur[a];
      ++locks;
    }
  }
  REQUIRE(locks > 10);
  const auto r = rebalance(acts, in.xy, in.graph, cur, o, euclidean{});
  for (account_index a = 0; a < cur.size(); ++a) {
    if (o.locked[a] != no_territory) CHECK(r.assignment[a] == cur[a]);
  }
  const auto* st = [&]() -> const constraint_status* {
    for (const auto& c : r.constraints) {
      if (c.name == "locks") return &c;
    }
    return nullptr;
  }();
  REQUIRE(st != nullptr);
  CHECK(st->holds);
}

TEST_CASE("rebalance: drop dissolves territories into their neighbours, balanced and connected") {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    CAPTURE(seed);
    const auto in = grid(16, 16, seed);
    const auto cur = start_plan(in, 7, seed);
    const territory_index gone = static_cast<territory_index>(seed % 7);
    const auto r = rebalance(in.acts, in.xy, in.graph, cur, {.tolerance = {0.05}, .drop = {gone}}, euclidean{});
    REQUIRE(r.assignment.territory_count() == 6);
    CHECK(r.assignment.complete());
    CHECK(r.feasible());
    CHECK(balanced(in.acts, r.assignment, 0.05));
    CHECK(connected(in.graph, r.assignment));
    REQUIRE(r.origin.size() == 6);
    CHECK(std::find(r.origin.begin(), r.origin.end(), gone) == r.origin.end());
    // every account of the dropped territory moved; the others mostly stayed
    std::size_t of_gone = 0;
    for (account_index a = 0; a < cur.size(); ++a) of_gone += cur[a] == gone ? 1 : 0;
    CHECK(r.delta.accounts_moved >= of_gone);
    CHECK(r.delta.accounts_moved <= of_gone + cur.size() / 4);
  }
}

TEST_CASE("rebalance: orphan placement variants never end with more moves than the plain rule alone") {
  // drops (one or two territories, with locks and a revenue move cost) and unassigned accounts; the
  // shape step off, so that the counts compared are those of the repair and consolidation
  std::size_t total_plain = 0, total_variants = 0;
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    CAPTURE(seed);
    const auto in = grid(18, 18, seed + 40, seed % 2 == 0 ? 2 : 1);
    const auto cur0 = start_plan(in, 8, seed);
    rebalance_plan_options o{.tolerance = {0.05}, .smooth = false, .seed = seed};
    o.drop = {static_cast<territory_index>(seed % 8)};
    if (seed % 3 == 0) o.drop.push_back(static_cast<territory_index>((seed + 3) % 8));
    std::vector<territory_index> cur(cur0.assignment().begin(), cur0.assignment().end());
    if (seed == 5) {
      for (std::size_t v = 0; v < cur.size(); v += 41) cur[v] = no_territory;  // unassigned: placed like orphans
    }
    if (seed >= 4) {
      std::vector<territory_index> locked(cur.size(), no_territory);
      for (std::size_t v = 7; v < cur.size(); v += 53) {
        if (cur[v] != no_territory && std::find(o.drop.begin(), o.drop.end(), cur[v]) == o.drop.end()) locked[v] = cur[v];
      }
      o.locked = locked;
    }
    if (seed == 6) o.move_cost.assign(in.acts.col(0).data(), in.acts.col(0).data() + in.acts.rows());
    const plan current(cur, 8);
    auto one = o;
    one.placements = 1;
    const auto r = rebalance(in.acts, in.xy, in.graph, current, o, euclidean{});
    const auto plain = rebalance(in.acts, in.xy, in.graph, current, one, euclidean{});
    REQUIRE(plain.feasible());
    CHECK(r.feasible());
    CHECK(r.assignment.complete());
    CHECK(balanced(in.acts, r.assignment, 0.05));
    CHECK(connected(in.graph, r.assignment));
    CHECK(r.delta.accounts_moved <= plain.delta.accounts_moved);
    if (!o.locked.empty()) {
      for (std::size_t v = 0; v < cur.size(); ++v) {
        if (o.locked[v] != no_territory) CHECK(r.origin[r.assignment[static_cast<account_index>(v)]] == o.locked[v]);
      }
    }
    // deterministic for the seed
    CHECK(rebalance(in.acts, in.xy, in.graph, current, o, euclidean{}).assignment == r.assignment);
    total_plain += plain.delta.accounts_moved;
    total_variants += r.delta.accounts_moved;
  }
  MESSAGE("moves over the six instances: plain rule ", total_plain, ", with the variants ", total_variants);
  CHECK(total_variants < total_plain);  // the variants find fewer moves somewhere
}

TEST_CASE("rebalance: add creates new connected territories and restores balance") {
  const auto in = grid(16, 16, 9);
  const auto cur = start_plan(in, 5, 2);
  const auto r = rebalance(in.acts, in.xy, in.graph, cur, {.tolerance = {0.05}, .add = 2}, euclidean{});
  REQUIRE(r.assignment.territory_count() == 7);
  CHECK(r.origin[5] == no_territory);
  CHECK(r.origin[6] == no_territory);
  CHECK(r.feasible());
  CHECK(balanced(in.acts, r.assignment, 0.05));
  CHECK(connected(in.graph, r.assignment));
  const auto sizes = r.assignment.sizes();
  CHECK(sizes[5] > 0);
  CHECK(sizes[6] > 0);
}

TEST_CASE("rebalance: add with a ramping rep: the new territory is carved at half a load (target shares)") {
  const auto in = grid(16, 16, 9);
  const auto cur = start_plan(in, 5, 2);
  const std::vector<double> share{1.0, 1.0, 1.0, 1.0, 1.0, 0.5};
  const auto r = rebalance(in.acts, in.xy, in.graph, cur, {.tolerance = {0.05}, .target_shares = share, .add = 1}, euclidean{});
  REQUIRE(r.assignment.territory_count() == 6);
  CHECK(r.feasible());
  CHECK(connected(in.graph, r.assignment));
  // independent: every territory within 5 % of its own target (share / mean share x the mean)
  const double mean_share = 5.5 / 6.0;
  for (Eigen::Index j = 0; j < in.acts.cols(); ++j) {
    const double mean = in.acts.col(j).sum() / 6.0;
    std::vector<double> sum(6, 0.0);
    for (account_index a = 0; a < r.assignment.size(); ++a) sum[r.assignment[a]] += in.acts(a, j);
    for (std::size_t t = 0; t < 6; ++t) CHECK(std::abs(sum[t] / (mean * share[t] / mean_share) - 1.0) <= 0.05 + 1e-9);
  }
  // equal shares are no shares: the plan of the call without them
  const auto eq = rebalance(in.acts, in.xy, in.graph, cur, {.tolerance = {0.05}, .target_shares = std::vector<double>(6, 2.0), .add = 1}, euclidean{});
  const auto no = rebalance(in.acts, in.xy, in.graph, cur, {.tolerance = {0.05}, .add = 1}, euclidean{});
  CHECK(std::equal(eq.assignment.assignment().begin(), eq.assignment.assignment().end(), no.assignment.assignment().begin()));
}

TEST_CASE("rebalance: bad input throws invalid_input naming the field") {
  const auto in = grid(8, 8, 1);
  const auto cur = start_plan(in, 4, 1);
  auto field_of = [&](const rebalance_plan_options& o, const plan& pl) {
    try {
      (void)rebalance(in.acts, in.xy, in.graph, pl, o, euclidean{});
    } catch (const invalid_input& e) {
      return e.field();
    }
    return std::string("no throw");
  };
  CHECK(field_of({.drop = {4}}, cur) == "drop");
  CHECK(field_of({.drop = {1, 1}}, cur) == "drop");
  CHECK(field_of({.drop = {0, 1, 2, 3}}, cur) == "drop");
  CHECK(field_of({.add = 100}, cur) == "add");
  CHECK(field_of({.placements = 0}, cur) == "placements");
  CHECK(field_of({.tolerance = {1.5}}, cur) == "tolerance");
  CHECK(field_of({.move_cost = {1.0}}, cur) == "move_cost");
  std::vector<double> neg(cur.size(), 1.0);
  neg[3] = -1.0;
  CHECK(field_of({.move_cost = neg}, cur) == "move_cost");
  std::vector<territory_index> lk(cur.size(), no_territory);
  lk[0] = cur[0];
  CHECK(field_of({.locked = lk, .drop = {cur[0]}}, cur) == "locked");
  CHECK(field_of({}, plan(std::vector<territory_index>(3, 0), 1)) == "current");
}

TEST_CASE("rebalance: a minimum count that the plan misses is restored, and reported") {
  const auto in = grid(16, 16, 13);
  const auto cur = start_plan(in, 5, 4);
  min_count mc{"tier=A", std::vector<std::uint8_t>(cur.size(), 0), 0};
  for (account_index a = 0; a < cur.size(); ++a) mc.member[a] = a % 5 == 0 ? 1 : 0;
  std::vector<std::uint32_t> count(5, 0);
  for (account_index a = 0; a < cur.size(); ++a) count[cur[a]] += mc.member[a];
  mc.min = *std::min_element(count.begin(), count.end()) + 1;  // the poorest territory misses one
  const auto r = rebalance(in.acts, in.xy, in.graph, cur, {.tolerance = {0.05}, .min_counts = {mc}}, euclidean{});
  std::fill(count.begin(), count.end(), 0);
  for (account_index a = 0; a < cur.size(); ++a) count[r.assignment[a]] += mc.member[a];
  CHECK(*std::min_element(count.begin(), count.end()) >= mc.min);
  CHECK(r.feasible());
  CHECK(balanced(in.acts, r.assignment, 0.05));
  CHECK(connected(in.graph, r.assignment));
  CHECK(r.delta.accounts_moved > 0);
  CHECK(r.delta.accounts_moved <= 30);
  const auto it = std::find_if(r.constraints.begin(), r.constraints.end(),
                               [](const constraint_status& c) { return c.name == "min_count tier=A"; });
  REQUIRE(it != r.constraints.end());
  CHECK(it->holds);
}

namespace {
/// Independent check of a median bound: every territory's sum of `v` against factor × the median sum.
bool meets_median(const std::vector<double>& v, const plan& pl, median_side side, double factor) {
  std::vector<double> s(pl.territory_count(), 0.0);
  for (account_index a = 0; a < pl.size(); ++a) s[pl[a]] += v[a];
  std::vector<double> sorted = s;
  std::sort(sorted.begin(), sorted.end());
  const std::size_t p = sorted.size();
  const double med = p % 2 == 1 ? sorted[p / 2] : 0.5 * (sorted[p / 2 - 1] + sorted[p / 2]);
  for (double x : s) {
    if (side == median_side::cap ? x > factor * med * (1.0 + 1e-9) : x < factor * med * (1.0 - 1e-9)) return false;
  }
  return true;
}
}  // namespace

TEST_CASE("rebalance: a median cap or floor that the plan misses is restored, balance and contiguity kept") {
  const auto in = grid(16, 16, 17);
  const auto cur = start_plan(in, 5, 2);
  std::vector<double> work(cur.size());
  rng gen(99);
  for (auto& w : work) w = gen.uniform_real(0.0, 10.0);
  std::vector<double> s(5, 0.0);
  for (account_index a = 0; a < cur.size(); ++a) s[cur[a]] += work[a];
  std::vector<double> sorted = s;
  std::sort(sorted.begin(), sorted.end());
  const double med = sorted[2];
  for (const auto side : {median_side::cap, median_side::floor}) {
    CAPTURE(static_cast<int>(side));
    // a bound the plan misses by a little: just inside the widest territory's ratio to the median
    const double factor = side == median_side::cap ? std::max(1.0, 0.5 * (1.0 + sorted[4] / med))
                                                   : std::min(1.0, 0.5 * (1.0 + sorted[0] / med));
    REQUIRE_FALSE(meets_median(work, cur, side, factor));
    const median_bound b{"work", work, side, factor};
    const auto r = rebalance(in.acts, in.xy, in.graph, cur, {.tolerance = {0.05}, .median_bounds = {b}}, euclidean{});
    CHECK(r.feasible());
    CHECK(meets_median(work, r.assignment, side, factor));
    CHECK(balanced(in.acts, r.assignment, 0.05));
    CHECK(connected(in.graph, r.assignment));
    CHECK(r.delta.accounts_moved > 0);
    CHECK(r.delta.accounts_moved <= 40);
    const std::string name = std::string(side == median_side::cap ? "median_cap" : "median_floor") + " work";
    const auto it = std::find_if(r.constraints.begin(), r.constraints.end(),
                                 [&](const constraint_status& c) { return c.name == name; });
    REQUIRE(it != r.constraints.end());
    CHECK(it->holds);
  }
}

TEST_CASE("rebalance: forbidden territories are left and never entered; the rest stays as stable as it can") {
  const auto in = grid(16, 16, 23);
  const auto cur = start_plan(in, 5, 6);
  // forbid 6 border accounts their own territory, and each of their neighbours' territories one account
  std::vector<forbidden_territory> forb;
  std::size_t own = 0;
  for (account_index v = 0; v < cur.size() && own < 6; v += 11) {
    for (auto u : in.graph.neighbors(v)) {
      if (cur[u] == cur[v]) continue;
      forb.push_back({v, cur[v]});  // must leave
      forb.push_back({u, cur[v]});  // must not come in (stays where it is)
      ++own;
      break;
    }
  }
  REQUIRE(own == 6);
  const auto r = rebalance(in.acts, in.xy, in.graph, cur, {.tolerance = {0.05}, .forbidden = forb}, euclidean{});
  for (const auto& f : forb) CHECK(r.assignment[f.account] != f.territory);
  CHECK(r.feasible());
  CHECK(balanced(in.acts, r.assignment, 0.05));
  CHECK(connected(in.graph, r.assignment));
  CHECK(r.delta.accounts_moved >= 6);
  CHECK(r.delta.accounts_moved <= 40);
  const auto it = std::find_if(r.constraints.begin(), r.constraints.end(),
                               [](const constraint_status& c) { return c.kind == constraint_kind::forbidden; });
  REQUIRE(it != r.constraints.end());
  CHECK(it->holds);
  // a lock and a forbid of the same territory contradict; an entry outside the plan is out of range
  std::vector<territory_index> locked(cur.size(), no_territory);
  locked[0] = cur[0];
  CHECK_THROWS_AS((void)rebalance(in.acts, in.xy, in.graph, cur,
                                  {.tolerance = {0.05}, .locked = locked, .forbidden = {{0, cur[0]}}}, euclidean{}),
                  invalid_input);
  CHECK_THROWS_AS((void)rebalance(in.acts, in.xy, in.graph, cur, {.tolerance = {0.05}, .forbidden = {{0, 9}}}, euclidean{}),
                  invalid_input);
  CHECK_THROWS_AS((void)rebalance(in.acts, in.xy, in.graph, cur, {.tolerance = {0.05}, .forbidden = {{100000, 0}}},
                                  euclidean{}),
                  invalid_input);
}

TEST_CASE("rebalance: when the greedy repair is stuck, the search from its plan restores every constraint") {
  // a territory of three heavy accounts (9 each, mean 22): any one leaving puts it far under its band
  auto in = grid(8, 8, 29);
  in.acts.setOnes();
  for (account_index v : {0u, 1u, 2u}) in.acts(v, 0) = 9.0;
  std::vector<territory_index> a(64);
  for (std::size_t v = 0; v < 64; ++v) {
    const std::size_t r = v / 8, c = v % 8;
    a[v] = r == 0 && c < 3 ? 0 : r <= 3 ? 1 : r <= 5 ? 2 : 3;
  }
  const plan cur(a, 4);
  REQUIRE_FALSE(balanced(in.acts, cur, 0.05));
  const auto greedy = rebalance(in.acts, in.xy, in.graph, cur, {.tolerance = {0.05}, .search = false}, euclidean{});
  // a work budget (iterations per run), not a clock: the same plan on a loaded or sanitized build
  const rebalance_plan_options budget{.tolerance = {0.05}, .time_limit_seconds = 600, .iteration_limit = 20000};
  const auto r = rebalance(in.acts, in.xy, in.graph, cur, budget, euclidean{});
  REQUIRE_FALSE(greedy.feasible());  // the case this test is about: single moves, chains and exchanges fail
  CHECK(r.feasible());
  CHECK(std::any_of(r.notes.begin(), r.notes.end(),
                    [](const std::string& x) { return x.find("the engine's search from its plan") != std::string::npos; }));
  CHECK(balanced(in.acts, r.assignment, 0.05));
  CHECK(connected(in.graph, r.assignment));
  CHECK(r.delta.accounts_moved == moved(cur, r.assignment));
  CHECK(rebalance(in.acts, in.xy, in.graph, cur, budget, euclidean{}).assignment == r.assignment);
}

TEST_CASE("rebalance: the shape step shortens boundaries without adding moves, widening or breaking a constraint") {
  // the same rebalance with and without the shape step (smooth), on drops and drifts with locks, forbids
  // and a revenue move cost; everything recomputed here from the plans
  auto cut = [](const adjacency& g, const plan& pl) {
    std::size_t c = 0;
    for (account_index v = 0; v < pl.size(); ++v) {
      for (auto u : g.neighbors(v)) c += (u > v && pl[u] != pl[v]) ? 1 : 0;
    }
    return c;
  };
  auto widest = [](const Eigen::MatrixX2d& xy, const plan& pl) {
    double d = 0.0;
    for (account_index a = 0; a < pl.size(); ++a) {
      for (account_index b = a + 1; b < pl.size(); ++b) {
        if (pl[a] == pl[b]) d = std::max(d, (xy.row(a) - xy.row(b)).norm());
      }
    }
    return d;
  };
  std::size_t cut_on = 0, cut_off = 0;
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    CAPTURE(seed);
    const auto in = grid(16, 16, seed, 2);
    const auto cur = start_plan(in, 7, seed);
    const auto gone = static_cast<territory_index>(seed % 7);
    rebalance_plan_options o{.tolerance = {0.05}};
    Eigen::MatrixXd acts = in.acts;
    if (seed % 2 == 0) {
      o.drop = {gone};
    } else {
      acts = drift_west(in, 40.0, 1.3);
    }
    std::vector<territory_index> locked(cur.size(), no_territory);
    for (account_index v = 3; v < cur.size(); v += 37) {
      if (cur[v] != gone || seed % 2 == 1) locked[v] = cur[v];
    }
    o.locked = locked;
    if (seed % 3 == 0) {  // forbid two accounts a neighbouring territory
      for (account_index v = 5, k = 0; v < cur.size() && k < 2; v += 29) {
        for (auto u : in.graph.neighbors(v)) {
          if (cur[u] != cur[v] && cur[u] != gone && locked[v] == no_territory) {
            o.forbidden.push_back({v, cur[u]});
            ++k;
            break;
          }
        }
      }
    }
    if (seed >= 5) o.move_cost.assign(in.acts.col(0).data(), in.acts.col(0).data() + in.acts.rows());
    auto off = o;
    off.smooth = false;
    const auto r = rebalance(acts, in.xy, in.graph, cur, o, euclidean{});
    const auto raw = rebalance(acts, in.xy, in.graph, cur, off, euclidean{});
    CHECK(r.delta.accounts_moved <= raw.delta.accounts_moved);
    CHECK(r.moved_cost <= raw.moved_cost * (1.0 + 1e-12));
    CHECK(widest(in.xy, r.assignment) <= widest(in.xy, raw.assignment) * (1.0 + 1e-12));
    CHECK(cut(in.graph, r.assignment) <= cut(in.graph, raw.assignment));
    if (raw.feasible()) {
      CHECK(r.feasible());
      CHECK(balanced(acts, r.assignment, 0.05));
      CHECK(connected(in.graph, r.assignment));
    }
    for (account_index v = 0; v < cur.size(); ++v) {
      if (locked[v] != no_territory) CHECK(r.origin[r.assignment[v]] == locked[v]);
    }
    for (const auto& f : o.forbidden) CHECK(r.origin[r.assignment[f.account]] != f.territory);
    cut_on += cut(in.graph, r.assignment);
    cut_off += cut(in.graph, raw.assignment);
    // deterministic
    CHECK(rebalance(acts, in.xy, in.graph, cur, o, euclidean{}).assignment == r.assignment);
  }
  CHECK(cut_on < cut_off);  // the step does shorten boundaries on these instances
  MESSAGE("cut edges over the 6 instances: ", cut_off, " without the shape step, ", cut_on, " with it");
}

TEST_CASE("rebalance: split a territory into balanced contiguous parts; merge two adjacent territories") {
  const auto in = grid(16, 16, 31);
  const auto cur = start_plan(in, 4, 8);
  SUBCASE("split territory 0 in 3") {
    const auto r = rebalance(in.acts, in.xy, in.graph, cur, {.tolerance = {0.05}, .split = {{0, 3}}}, euclidean{});
    REQUIRE(r.assignment.territory_count() == 6);
    CHECK(r.origin[0] == 0);
    CHECK(r.origin[4] == no_territory);
    CHECK(r.origin[5] == no_territory);
    CHECK(r.feasible());
    CHECK(balanced(in.acts, r.assignment, 0.05));
    CHECK(connected(in.graph, r.assignment));
    // territory 0's book is divided among its parts (0, 4, 5), each part holding some of it; the parts
    // then grow to the smaller mean of 6 territories from the neighbours
    std::size_t kept = 0, size0 = 0;
    std::vector<std::size_t> in_part(6, 0);
    for (account_index v = 0; v < cur.size(); ++v) {
      if (cur[v] != 0) continue;
      ++size0;
      ++in_part[r.assignment[v]];
      kept += r.assignment[v] == 0 || r.assignment[v] >= 4 ? 1 : 0;
    }
    CHECK(static_cast<double>(kept) >= 0.9 * static_cast<double>(size0));
    CHECK(in_part[0] > 0);
    CHECK(in_part[4] > 0);
    CHECK(in_part[5] > 0);
  }
  SUBCASE("merge: a territory into an adjacent one") {
    territory_index nb = no_territory;  // a territory adjacent to territory 1
    for (account_index v = 0; v < cur.size() && nb == no_territory; ++v) {
      if (cur[v] != 1) continue;
      for (auto u : in.graph.neighbors(v)) {
        if (cur[u] != 1) nb = cur[u];
      }
    }
    REQUIRE(nb != no_territory);
    const auto r = rebalance(in.acts, in.xy, in.graph, cur, {.tolerance = {0.05}, .merge = {{1, nb}}}, euclidean{});
    REQUIRE(r.assignment.territory_count() == 3);
    for (auto o : r.origin) CHECK(o != 1);
    CHECK(r.feasible());
    CHECK(balanced(in.acts, r.assignment, 0.05));
    CHECK(connected(in.graph, r.assignment));
  }
  SUBCASE("bad requests name the field") {
    CHECK_THROWS_AS((void)rebalance(in.acts, in.xy, in.graph, cur, {.split = {{0, 1}}}, euclidean{}), invalid_input);
    CHECK_THROWS_AS((void)rebalance(in.acts, in.xy, in.graph, cur, {.split = {{7, 2}}}, euclidean{}), invalid_input);
    CHECK_THROWS_AS((void)rebalance(in.acts, in.xy, in.graph, cur, {.merge = {{2, 2}}}, euclidean{}), invalid_input);
    CHECK_THROWS_AS((void)rebalance(in.acts, in.xy, in.graph, cur, {.drop = {0}, .split = {{0, 2}}}, euclidean{}),
                    invalid_input);
  }
}

TEST_CASE("rebalance: consolidation replaces two moved accounts by one that carries their load") {
  // 3 x 4 grid, columns 0-1 territory 0 (A), columns 2-3 territory 1 (B) in the current plan:
  //    0  1 |  2  3        A: 0, 4, 8 and 9 weigh 10, 1 and 5 weigh 5 (A = 50, over its band)
  //    4  5 |  6  7        B: every account weighs 5 (B = 30, under)
  //    8  9 | 10 11        mean 40, tolerance 5 %: band [38, 42]
  // The repair's state moved 1 and 5 to B (A = 40, B = 40); moving 9 alone gives the same sums, and
  // no single account of weight 5 would do.
  const auto g = adjacency::from_edges(12, test::grid_edges(3, 4));
  Eigen::MatrixXd acts = Eigen::MatrixXd::Constant(12, 1, 5.0);
  for (int k : {0, 4, 8, 9}) acts(k, 0) = 10.0;
  Eigen::MatrixX2d xy(12, 2);
  for (int k = 0; k < 12; ++k) {
    xy(k, 0) = k % 4;
    xy(k, 1) = k / 4;
  }
  namespace tb = territory::detail::balance;
  auto pr = tb::make_problem(acts, xy, {0.05}, 2);
  pr.graph = &g;
  const std::vector<territory_index> orig{0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1};
  auto state = orig;
  state[1] = state[5] = 1;
  const tb::forbid_set none(std::vector<std::pair<account_index, territory_index>>{});
  const std::stop_source src;
  for (const bool cheap : {true, false}) {
    CAPTURE(cheap);
    // with a move cost, the one account must cost less than the two it replaces
    std::vector<double> cost;
    if (!cheap) cost = {1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 1, 1};
    tb::rebalancer<euclidean> rb(pr, orig, cost, 100, none, src.get_token(), euclidean{});
    rb.load(state);
    rb.set_moved(2);
    REQUIRE(rb.total_excess() <= 1e-12);
    rb.consolidate();
    CHECK(rb.total_excess() <= 1e-12);
    const auto a = rb.assignment();
    std::size_t moved = 0;
    for (std::size_t v = 0; v < a.size(); ++v) moved += a[v] != orig[v] ? 1 : 0;
    CHECK(moved == rb.moved());
    if (cheap) {
      CHECK(moved == 1);
      CHECK(a[9] == 1);
      CHECK(a[1] == 0);
      CHECK(a[5] == 0);
    } else {
      CHECK(a == state);  // account 9 costs 3, more than 1 and 5 together: no trade
    }
  }
}
