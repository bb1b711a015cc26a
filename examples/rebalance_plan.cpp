// rebalance_plan: keep a plan in force when the data changes, moving as few accounts as possible.
// A 12 x 12 map is split into 4 territories balanced on revenue and visits; then the north-east
// region grows by 30 % in revenue. rebalance() restores the 5 % band from the current plan and its
// disruption (accounts moved, share of each column moved, territories touched) is set against a fresh
// plan's; then a rep leaves (drop a territory), and a move budget (max_moves) smaller than the repair
// needs. Shows: rebalance(), rebalance_plan_options (drop, max_moves, search), rebalance_result
// (delta, origin, budget_reached, notes), compare_plans(), match_territories().

#include <cstdio>
#include <vector>

#include <territory/balance.hpp>
#include <territory/core/random.hpp>
#include <territory/plan.hpp>

namespace {

// One line of disruption: how many accounts moved, how much of each column moved with them, and how
// many territories gained or lost an account.
void print_delta(const char* what, const territory::plan_delta& d) {
  std::printf("%-26s %3zu accounts moved (%4.1f %%), revenue %4.1f %%, visits %4.1f %%, %zu territories touched\n",
              what, d.accounts_moved, 100.0 * d.share_moved, 100.0 * d.moved_share(0), 100.0 * d.moved_share(1),
              d.territories_touched);
}

}  // namespace

int main() {
  using namespace territory;
  const int side = 12, n = side * side;
  Eigen::MatrixXd activities(n, 2);  // revenue potential, visits per year
  Eigen::MatrixX2d xy(n, 2);
  std::vector<edge> edges;
  rng gen(5);
  for (int i = 0; i < side; ++i) {
    for (int j = 0; j < side; ++j) {
      const int k = i * side + j;
      xy(k, 0) = j * 10.0;  // km
      xy(k, 1) = i * 10.0;
      activities(k, 0) = static_cast<double>(gen.uniform_int(50, 150));
      activities(k, 1) = static_cast<double>(gen.uniform_int(4, 12));
      const auto a = static_cast<account_index>(k);
      if (j + 1 < side) edges.push_back({a, a + 1});
      if (i + 1 < side) edges.push_back({a, static_cast<account_index>(a + side)});
    }
  }
  const auto graph = adjacency::from_edges(n, edges);
  const partition_options po{.territories = 4,
                             .tolerance = {0.05},
                             .seed = 1,
                             .time_limit_seconds = 600.0,  // the iteration budget, not the clock, ends the runs
                             .iteration_limit = 4000,
                             .starts = 4};
  const auto current = partition(activities, xy, graph, po).assignment;

  // The north-east region (a quarter of the map) grows: +30 % revenue potential.
  Eigen::MatrixXd grown = activities;
  for (int k = 0; k < n; ++k) {
    if (xy(k, 0) >= 60.0 && xy(k, 1) >= 60.0) grown(k, 0) *= 1.3;
  }
  const auto before =
      evaluate_plan(grown, xy, &graph, current, {.tolerance = {0.05}, .activity_names = {"revenue", "visits"}});
  std::printf("current plan on the new data: max deviation %.1f %% (band 5 %%)\n", 100.0 * before.max_deviation);
  for (const auto& v : before.violations) std::printf("  violation: %s\n", v.reason.c_str());

  // rebalance(): restore the band from the current plan. time_limit_seconds only matters when the
  // greedy repair gets stuck and the engine's search takes over (its work budget derives from it).
  const rebalance_plan_options ro{
      .tolerance = {0.05}, .activity_names = {"revenue", "visits"}, .time_limit_seconds = 5.0};
  const auto r = rebalance(grown, xy, graph, current, ro);
  std::printf("rebalanced: %s\n", r.feasible() ? "feasible" : "infeasible");
  print_delta("rebalance:", r.delta);
  for (std::size_t i = 0; i < r.delta.moves.size() && i < 4; ++i) {
    const auto& m = r.delta.moves[i];
    std::printf("  account %3u (%3.0f, %3.0f km): territory %u -> %u\n", m.account, xy(m.account, 0), xy(m.account, 1),
                m.from, r.origin[m.to]);
  }
  for (const auto& note : r.notes) std::printf("  note: %s\n", note.c_str());

  // The same delta from compare_plans() on any two plans; for a fresh plan, match its arbitrary territory
  // numbers to the current ones first. On this small regular map a fresh plan from the same seed lands
  // close to the current one; on real maps it moves far more (docs/rebalance.md).
  const auto fresh = partition(grown, xy, graph, po).assignment;
  const auto fresh_delta = compare_plans(current, fresh, grown, {.continues = match_territories(current, fresh)});
  print_delta("fresh plan instead:", fresh_delta);

  // A rep leaves: dissolve territory 2; its accounts go to the neighbours, then the band is restored.
  rebalance_plan_options leave = ro;
  leave.drop = {2};
  const auto d = rebalance(grown, xy, graph, current, leave);
  std::printf("territory 2 dropped: %s, %u territories\n", d.feasible() ? "feasible" : "infeasible",
              d.assignment.territory_count());
  print_delta("drop territory 2:", d.delta);
  for (const auto& c : d.delta.territories) {
    if (c.after == no_territory) {
      std::printf("  territory %u dissolved: %zu accounts handed over\n", c.before, c.lost);
    } else {
      std::printf("  territory %u: %zu -> %zu accounts (+%zu, -%zu)\n", c.before, c.accounts_before, c.accounts_after,
                  c.gained, c.lost);
    }
  }

  // A move budget below what the repair needs: the best plan within it, with its violations and a
  // note. search = false: the greedy repair alone (no clock, no search).
  rebalance_plan_options tight = ro;
  tight.max_moves = r.delta.accounts_moved / 2;
  tight.search = false;
  const auto b = rebalance(grown, xy, graph, current, tight);
  std::printf("max_moves %zu: %s, budget reached: %s, max deviation %.1f %%\n", tight.max_moves,
              b.feasible() ? "feasible" : "infeasible", b.budget_reached ? "yes" : "no",
              100.0 * b.max_deviation.maxCoeff());
  print_delta("within the budget:", b.delta);
  for (const auto& v : b.violations) std::printf("  violation: %s\n", v.reason.c_str());
  for (const auto& note : b.notes) std::printf("  note: %s\n", note.c_str());
  return r.feasible() && d.feasible() ? 0 : 2;
}
