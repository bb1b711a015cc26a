// design_around_reps: territories designed around the reps instead of staffed afterwards. One
// territory per active rep (a departed rep gets none), each grown from the account nearest its rep's
// home, each with a target proportional to its rep's capacity (a rep ramping at 0.5 gets half a
// load), accounts that need Spanish only with a rep who speaks it, and a travel weight that pulls
// accounts towards their rep's home. Shows: design_from_reps(), partition_options::objective,
// partition(), the constraint statuses, travel_from_homes().

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <territory/balance.hpp>
#include <territory/core/random.hpp>

int main() {
  using namespace territory;
  const int side = 14, n = side * side;
  Eigen::MatrixXd activities(n, 1);
  Eigen::MatrixX2d xy(n, 2);
  std::vector<edge> edges;
  std::vector<std::vector<std::string>> needs(n);
  rng gen(7);
  for (int i = 0; i < side; ++i) {
    for (int j = 0; j < side; ++j) {
      const int k = i * side + j;
      xy(k, 0) = j * 10.0;  // km
      xy(k, 1) = i * 10.0;
      activities(k, 0) = static_cast<double>(gen.uniform_int(50, 150));  // revenue potential
      if (i >= 10 && j <= 3) needs[static_cast<std::size_t>(k)] = {"language:es"};  // the north-west corner
      const auto a = static_cast<account_index>(k);
      if (j + 1 < side) edges.push_back({a, a + 1});
      if (i + 1 < side) edges.push_back({a, static_cast<account_index>(a + side)});
    }
  }
  const auto graph = adjacency::from_edges(n, edges);

  auto make = [](std::string id, double x, double y, double capacity, std::vector<std::string> skills) {
    rep p;
    p.id = std::move(id);
    p.home = std::array<double, 2>{x, y};
    p.capacity = capacity;
    p.skills = std::move(skills);
    return p;
  };
  std::vector<rep> reps{make("ana", 10, 10, 1.0, {}), make("ben", 120, 10, 1.0, {}),
                        make("cho", 10, 120, 1.0, {"language:es"}), make("dev", 120, 120, 1.0, {}),
                        make("eli", 65, 65, 0.5, {}), make("fay", 60, 0, 1.0, {})};
  reps[5].status = rep_status::departed;  // fay left: no territory

  // one territory per active rep: targets = capacities, seeds at the homes, the Spanish requirement
  const auto design = design_from_reps(reps, xy, {}, euclidean{}, needs);
  partition_options o{.tolerance = {0.05}, .seed = 1, .iteration_limit = 4000};
  design.apply(o);
  o.objective.travel = 1.0;  // besides boundary length: keep accounts near their rep's home
  const auto r = partition(activities, xy, graph, o, euclidean{});
  std::printf("plan: %s, %zu territories for %zu reps (%zu departed)\n", r.feasible() ? "feasible" : "infeasible",
              static_cast<std::size_t>(o.territories), reps.size(), design.departed.size());
  for (const auto& c : r.constraints) std::printf("  %-28s %s\n", c.name.c_str(), c.holds ? "holds" : "violated");

  const auto travel = travel_from_homes(r.assignment.assignment(), xy, o.homes, euclidean{});
  const double total = activities.sum();
  std::printf("territory  rep  capacity  revenue  share of total  deviation from target  Spanish  mean travel (km)\n");
  for (territory_index t = 0; t < o.territories; ++t) {
    double revenue = 0.0;
    int spanish = 0;
    for (account_index a = 0; a < static_cast<account_index>(n); ++a) {
      if (r.assignment[a] != t) continue;
      revenue += activities(a, 0);
      spanish += needs[a].empty() ? 0 : 1;
    }
    const auto& rp = reps[design.rep_of[t]];
    std::printf("%9u  %-3s  %8.1f  %7.0f  %13.1f %%  %20.1f %%  %7d  %16.1f\n", t, rp.id.c_str(), rp.capacity, revenue,
                100.0 * revenue / total, 100.0 * r.max_deviation(static_cast<Eigen::Index>(t)), spanish, travel.mean[t]);
  }
  return 0;
}
