// constraints: a plan with business constraints besides balance and contiguity. On a 12 x 12 map,
// 4 territories balanced on revenue within 5 %, with three key accounts locked to their owners'
// territories, at least 5 A-tier accounts per territory, no territory's workload above 1.05 x the
// median territory's, and no territory wider than 95 km. Prints every constraint's status and slack
// from the result, then a variant that cannot hold (6 A-tier accounts per territory, but too few
// exist) and precheck()'s diagnosis of it. Shows: partition_options::locked, min_counts,
// median_bounds, max_diameter; partition_result::constraints; precheck().

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <territory/balance.hpp>
#include <territory/core/random.hpp>

int main() {
  using namespace territory;
  const int side = 12, n = side * side;
  const territory_index p = 4;
  Eigen::MatrixXd activities(n, 1);  // the balanced column: revenue potential
  Eigen::MatrixX2d xy(n, 2);
  std::vector<edge> edges;
  std::vector<double> workload(n);           // visits per year: capped relative to the median, not balanced
  std::vector<std::uint8_t> tier_a(n, 0);    // A-tier accounts
  rng gen(11);
  for (int i = 0; i < side; ++i) {
    for (int j = 0; j < side; ++j) {
      const int k = i * side + j;
      xy(k, 0) = j * 10.0;  // km
      xy(k, 1) = i * 10.0;
      activities(k, 0) = static_cast<double>(gen.uniform_int(50, 150));
      workload[static_cast<std::size_t>(k)] = static_cast<double>(gen.uniform_int(20, 60));
      tier_a[static_cast<std::size_t>(k)] = k % 7 == 3 ? 1 : 0;  // 21 of the 144, spread over the map
      const auto a = static_cast<account_index>(k);
      if (j + 1 < side) edges.push_back({a, a + 1});
      if (i + 1 < side) edges.push_back({a, static_cast<account_index>(a + side)});
    }
  }
  const auto graph = adjacency::from_edges(n, edges);

  partition_options o{.territories = p,
                      .tolerance = {0.05},
                      .seed = 1,
                      .time_limit_seconds = 600.0,  // a large limit: the iteration budget ends the runs
                      .iteration_limit = 4000,
                      .activity_names = {"revenue"},
                      .starts = 4};
  // Locks: territory t of the result is the territory of the accounts locked to t (the owner's index).
  o.locked.assign(n, no_territory);
  o.locked[0] = 0;    // south-west corner: ana's key account
  o.locked[11] = 1;   // south-east corner: ben's
  o.locked[143] = 2;  // north-east corner: cho's
  o.min_counts = {{.name = "tier=A", .member = tier_a, .min = 5}};
  o.median_bounds = {{.name = "workload", .values = workload, .side = median_side::cap, .factor = 1.05}};
  o.max_diameter = 95.0;  // km

  const auto r = partition(activities, xy, graph, o);
  std::printf("plan: %s (%zu precheck findings)\n", r.feasible() ? "feasible" : "infeasible", r.precheck.size());
  // Each slack in its constraint's unit (slack_unit): balance and median bounds in fractions of the
  // mean territory, min_count in accounts above the minimum, max_diameter in the distance policy's unit
  // (planar units here, which this example reads as km), locks and contiguity 0.
  std::printf("constraint                  status     slack  unit\n");
  for (const auto& c : r.constraints) {
    std::printf("%-27s %-9s  %7.3f  %s\n", c.name.c_str(), c.holds ? "holds" : "VIOLATED", c.slack,
                std::string(slack_unit(c.kind)).c_str());
  }
  for (const auto& v : r.violations) std::printf("violation: %s\n", v.reason.c_str());

  std::vector<double> load(p, 0.0);
  std::vector<int> a_count(p, 0);
  for (account_index a = 0; a < static_cast<account_index>(n); ++a) {
    load[r.assignment[a]] += workload[a];
    a_count[r.assignment[a]] += tier_a[a];
  }
  std::printf("territory  accounts  revenue dev  tier A  workload  diameter (km)  locked here\n");
  for (territory_index t = 0; t < p; ++t) {
    std::string locks;
    for (account_index a : {0u, 11u, 143u}) {
      if (r.assignment[a] == t) locks += (locks.empty() ? "acc" : ", acc") + std::to_string(a);
    }
    std::printf("%9u  %8zu  %9.1f %%  %6d  %8.0f  %13.1f  %s\n", t, r.assignment.members(t).size(),
                100.0 * r.max_deviation(static_cast<Eigen::Index>(t)), a_count[t], load[t], r.diameters[t],
                locks.empty() ? "-" : locks.c_str());
  }

  // An impossible variant: 6 A-tier accounts per territory need 24, only 21 exist; precheck() sees it before
  // any search (partition() would return status::proven_infeasible with the same findings).
  auto impossible = o;
  impossible.min_counts[0].min = 6;
  const auto findings = precheck(activities, &graph, impossible);
  std::printf("variant with min_count tier=A >= 6: %zu precheck finding(s)\n", findings.size());
  for (const auto& v : findings) {
    std::printf("  %s [%s]: %s\n", std::string(to_string(v.kind)).c_str(), v.subject.c_str(), v.reason.c_str());
  }
  // partition() still returns its best plan, flagged: proven_infeasible, with each shortfall named.
  const auto ri = partition(activities, xy, graph, impossible);
  std::printf("partition() on it: %s, stopped: %s\n", ri.feasible() ? "feasible" : "infeasible",
              std::string(to_string(ri.why_stopped)).c_str());
  for (const auto& v : ri.violations) {
    if (v.territory != no_territory) std::printf("  %s\n", v.reason.c_str());
  }
  return r.feasible() && !ri.feasible() ? 0 : 2;
}
