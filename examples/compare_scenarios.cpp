// compare_scenarios: several candidate plans side by side. On a 12 x 12 map with a revenue and a
// growth column and 4 reps with homes, the four presets (baseline, revenue-, travel-, growth-focused)
// and a what-if (the baseline with a 10 % tolerance instead of 5 %) run as a sweep on 2 threads; each
// plan is measured (Gini and CV per column, widest territory, boundary length, travel from the reps'
// homes) and compared with the plan in force, then ranked, with the "top 3 with trade-offs" text.
// Shows: preset_scenarios(), make_preset(), scenario_inputs, run_scenarios(), scenario_result,
// sweep_result (ranking, top3).

#include <array>
#include <cstdio>
#include <string>
#include <vector>

#include <territory/balance.hpp>
#include <territory/core/random.hpp>
#include <territory/plan.hpp>

int main() {
  using namespace territory;
  const int side = 12, n = side * side;
  Eigen::MatrixXd activities(n, 2);  // revenue potential, growth potential (higher in the east)
  Eigen::MatrixX2d xy(n, 2);
  std::vector<edge> edges;
  rng gen(21);
  for (int i = 0; i < side; ++i) {
    for (int j = 0; j < side; ++j) {
      const int k = i * side + j;
      xy(k, 0) = j * 10.0;  // km
      xy(k, 1) = i * 10.0;
      activities(k, 0) = static_cast<double>(gen.uniform_int(50, 150));
      activities(k, 1) = static_cast<double>(gen.uniform_int(0, 10) + j);
      const auto a = static_cast<account_index>(k);
      if (j + 1 < side) edges.push_back({a, a + 1});
      if (i + 1 < side) edges.push_back({a, static_cast<account_index>(a + side)});
    }
  }
  const auto graph = adjacency::from_edges(n, edges);

  scenario_inputs in;
  // Every scenario starts from this base; the iteration budget (not the clock) ends each run, so the
  // plans are the same on an idle or a loaded machine. Each scenario's partition() runs on one thread.
  in.base = {.territories = 4, .tolerance = {0.05}, .seed = 1, .time_limit_seconds = 600.0, .iteration_limit = 3000,
             .activity_names = {"revenue", "growth"}, .starts = 4};
  const std::array<std::array<double, 2>, 4> homes{{{15, 20}, {95, 15}, {20, 100}, {100, 95}}};
  for (std::size_t r = 0; r < homes.size(); ++r) {
    rep p;
    p.id = std::string("rep") + std::to_string(r);
    p.home = homes[r];
    in.reps.push_back(p);
  }
  in.current = partition(activities, xy, graph, in.base).assignment;  // the plan in force (no reps in its design)

  // With homes, every preset designs around the reps: one territory each, grown from the homes.
  auto scenarios = preset_scenarios(in.base.activity_names, true);
  auto loose = make_preset(scenario_preset::baseline, in.base.activity_names, true, "baseline-tol10");
  loose.tolerance = {0.10};  // what-if: a looser balance band
  scenarios.push_back(loose);

  const auto sweep = run_scenarios(activities, xy, &graph, in, scenarios, 2);

  std::printf("scenario            feasible  gini rev  cv rev  gini gro  cv gro  widest km  cut edges  travel km"
              "  moved\n");
  for (const auto& r : sweep.results) {
    if (!r.skipped.empty()) {
      std::printf("%-18s  skipped: %s\n", r.name.c_str(), r.skipped.c_str());
      continue;
    }
    const auto& m = r.metrics;
    std::printf("%-18s  %8s  %8.3f  %6.3f  %8.3f  %6.3f  %9.1f  %9zu  %9.0f  %5zu\n", r.name.c_str(),
                r.card.feasible ? "yes" : "no", m.gini(0), m.cv(0), m.gini(1), m.cv(1), m.max_diameter, m.cut_edges,
                r.card.travel.value_or(0.0), r.card.moves.value_or(0));
  }

  std::string measures;
  for (const auto& s : sweep.ranking.measures) measures += (measures.empty() ? "" : ", ") + s;
  std::printf("\nranking (score 0 = best on every measure; measures: %s):\n", measures.c_str());
  for (std::size_t k = 0; k < sweep.ranking.order.size(); ++k) {
    const auto i = sweep.ranking.order[k];
    std::printf("  %zu. %-18s %.3f\n", k + 1, sweep.results[i].name.c_str(), sweep.ranking.score[i]);
  }
  // sweep.top3 holds these sentences already, with distances unitless under the euclidean policy;
  // our coordinates are km, so write them again from the scorecards with the unit.
  std::vector<scenario_scorecard> cards;
  for (const auto& r : sweep.results) cards.push_back(r.card);
  std::printf("\ntop 3 with trade-offs:\n");
  for (const auto& line : tradeoff_summary(cards, sweep.ranking, "km")) std::printf("- %s\n", line.c_str());
  return 0;
}
