// staff_territories: design 6 territories on a 12 x 12 map, then give each one a rep: the
// minimum-cost assignment first respects rep capacities (a rep at 50 % ramp cannot carry a full
// territory), then keeps reps close to their territories. A departed rep is skipped; a remote
// rep (no home) takes what the others live furthest from. Shows: partition(), evaluate_plan(),
// assign_reps(), and how staffing problems come back as violations.

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <territory/balance.hpp>
#include <territory/core/random.hpp>
#include <territory/plan.hpp>

int main() {
  using namespace territory;
  const int side = 12, n = side * side;
  Eigen::MatrixXd activities(n, 1);
  Eigen::MatrixX2d xy(n, 2);
  std::vector<edge> edges;
  rng gen(3);
  for (int i = 0; i < side; ++i) {
    for (int j = 0; j < side; ++j) {
      const int k = i * side + j;
      xy(k, 0) = j * 10.0;  // km
      xy(k, 1) = i * 10.0;
      activities(k, 0) = static_cast<double>(gen.uniform_int(50, 150));  // revenue potential
      const auto a = static_cast<account_index>(k);
      if (j + 1 < side) edges.push_back({a, a + 1});
      if (i + 1 < side) edges.push_back({a, static_cast<account_index>(a + side)});
    }
  }
  const auto graph = adjacency::from_edges(n, edges);
  const auto r = partition(activities, xy, graph,
                           {.territories = 6, .tolerance = {0.05}, .seed = 1, .iteration_limit = 3000});
  const auto m = evaluate_plan(activities, xy, &graph, r.assignment, {.tolerance = {0.05}});
  std::printf("plan: %s, max deviation %.1f %%\n", m.feasible() ? "feasible" : "infeasible", 100.0 * m.max_deviation);

  auto make = [](std::string id, double x, double y, double capacity) {
    rep p;
    p.id = std::move(id);
    p.home = std::array<double, 2>{x, y};
    p.capacity = capacity;
    return p;
  };
  std::vector<rep> reps{make("ana", 5, 5, 1.0),    make("ben", 105, 5, 1.0), make("cho", 5, 105, 1.0),
                        make("dev", 105, 105, 1.0), make("eli", 55, 55, 0.5), make("fay", 60, 0, 1.0),
                        make("gus", 55, 60, 1.0)};
  reps[5].status = rep_status::departed;  // fay left
  reps[6].home.reset();                   // gus works remotely

  std::vector<point> centres;
  std::vector<double> loads;
  for (const auto& t : m.territories) {
    centres.push_back(t.centre);
    loads.push_back(1.0 + t.deviation.maxCoeff());  // the heaviest balanced column
  }
  const auto staffed = assign_reps(centres, loads, reps, {.tolerance = 0.05});
  std::printf("territory  centre (km)   load  rep  home-to-centre (km)\n");
  for (std::size_t t = 0; t < centres.size(); ++t) {
    const auto k = staffed.rep_of[t];
    const std::string who = k == rep_assignment::no_rep ? "-" : reps[k].id;
    std::printf("%9zu  (%4.0f, %4.0f)  %4.2f  %-3s  %6.1f\n", t, centres[t][0], centres[t][1], loads[t], who.c_str(),
                staffed.distance[t]);
  }
  for (auto k : staffed.unassigned_reps) std::printf("without territory: %s\n", reps[k].id.c_str());
  for (const auto& v : staffed.violations) std::printf("violation: %s\n", v.reason.c_str());
  return 0;
}
