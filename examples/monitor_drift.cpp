// monitor_drift: watch a plan in force as its data changes. A 10 x 10 map is split into 4 territories
// (one rep each) balanced on revenue; then the revenue of territory 0 grows until its deviation from
// the mean is 24.5 % (no alert at a drift threshold of 25 %: alerts fire strictly beyond it), then
// 25.5 % (an alert, with the smallest rebalance into the plan's 5 % band), and finally a rep leaves and
// the biggest account churns. Prints each alert's kind, subject, evidence against its threshold and
// the disruption of its recommended rebalance. Shows: monitor(), monitor_options (drift,
// rebalance_tolerance, reps, territory_rep, history, major_value), alert, recommended_rebalance.

#include <cstdio>
#include <string>
#include <vector>

#include <territory/balance.hpp>
#include <territory/core/random.hpp>
#include <territory/plan.hpp>

namespace {

void report(const char* label, const territory::monitor_report& r) {
  std::printf("%s: %zu alert(s), max deviation %.1f %%\n", label, r.alerts.size(), 100.0 * r.metrics.max_deviation);
  for (const auto& a : r.alerts) {
    std::printf("  %s (value %.4g, threshold %.4g): %s\n", std::string(to_string(a.kind)).c_str(), a.value,
                a.threshold, a.evidence.c_str());
    if (a.recommendation == territory::no_index) continue;
    const auto& rec = r.recommendations[a.recommendation];
    std::printf("    recommended: %s\n", rec.scenario.c_str());
    std::printf("    disruption: %zu accounts moved (%.1f %% of revenue), %zu territories touched, %s\n",
                rec.delta.accounts_moved, 100.0 * rec.delta.moved_share(0), rec.delta.territories_touched,
                rec.restores ? "restores every constraint" : "violations left");
  }
}

}  // namespace

int main() {
  using namespace territory;
  const int side = 10, n = side * side;
  const territory_index p = 4;
  Eigen::MatrixXd activities(n, 1);  // revenue potential
  Eigen::MatrixX2d xy(n, 2);
  std::vector<edge> edges;
  rng gen(9);
  for (int i = 0; i < side; ++i) {
    for (int j = 0; j < side; ++j) {
      const int k = i * side + j;
      xy(k, 0) = j * 10.0;  // km
      xy(k, 1) = i * 10.0;
      activities(k, 0) = static_cast<double>(gen.uniform_int(50, 150));
      const auto a = static_cast<account_index>(k);
      if (j + 1 < side) edges.push_back({a, a + 1});
      if (i + 1 < side) edges.push_back({a, static_cast<account_index>(a + side)});
    }
  }
  const auto graph = adjacency::from_edges(n, edges);
  const auto current = partition(activities, xy, graph,
                                 {.territories = p, .tolerance = {0.05}, .seed = 1, .time_limit_seconds = 600.0,
                                  .iteration_limit = 4000, .starts = 4})
                           .assignment;

  std::vector<rep> reps(p);
  const char* names[] = {"ana", "ben", "cho", "dev"};
  for (territory_index t = 0; t < p; ++t) reps[t].id = names[t];
  monitor_options o{.drift = 0.25, .rebalance_tolerance = {0.05}};
  o.reps = reps;
  o.territory_rep = {0, 1, 2, 3};  // territory t is rep t's
  o.activity_names = {"revenue"};
  o.territory_names = {"ana", "ben", "cho", "dev"};
  o.rebalance.time_limit_seconds = 5.0;  // only used if a greedy repair gets stuck (a work budget)

  // Territory 0's accounts grow by the factor f that puts its sum at (1 + d) x the new mean:
  // f S0 / ((T - S0 + f S0) / p) = 1 + d  =>  f = (1 + d)(T - S0) / (S0 (p - 1 - d)).
  const double total = activities.sum();
  double s0 = 0.0;
  for (auto a : current.members(0)) s0 += activities(a, 0);
  auto grown = [&](double d) {
    Eigen::MatrixXd g = activities;
    const double f = (1.0 + d) * (total - s0) / (s0 * (static_cast<double>(p) - 1.0 - d));
    for (auto a : current.members(0)) g(a, 0) *= f;
    return g;
  };
  report("territory 0 at +24.5 %", monitor(grown(0.245), xy, &graph, current, o));
  const auto over = grown(0.255);
  report("territory 0 at +25.5 %", monitor(over, xy, &graph, current, o));

  // Later: ben leaves, and the biggest account (it was worth the most in the previous snapshot) is lost.
  Eigen::Index biggest = 0;
  over.col(0).maxCoeff(&biggest);
  Eigen::MatrixXd later = over;
  later(biggest, 0) = 0.0;
  reps[1].status = rep_status::departed;
  const std::vector<monitor_snapshot> history{{.activities = over, .assignment = current}};
  o.history = history;
  o.major_value = 180.0;  // an account worth more than this in the previous snapshot is major
  report("ben left, biggest account lost", monitor(later, xy, &graph, current, o));
  return 0;
}
