// partition_grid: split a 20 x 20 map of accounts into 8 connected territories balanced on three
// activities within 5 %, then print what the result object says (feasibility, per-territory
// deviations, diameters, cut edges). Shows: partition(), precheck(), partition_result, iteration limits for
// reproducible runs.

#include <cstdio>
#include <string>
#include <vector>

#include <territory/balance.hpp>
#include <territory/core/random.hpp>

int main() {
  using namespace territory;
  const int rows = 20, cols = 20, n = rows * cols;
  Eigen::MatrixXd activities(n, 3);
  Eigen::MatrixX2d xy(n, 2);
  std::vector<edge> edges;
  rng gen(7);
  for (int i = 0; i < rows; ++i) {
    for (int j = 0; j < cols; ++j) {
      const int k = i * cols + j;
      xy(k, 0) = j * 10.0;  // km
      xy(k, 1) = i * 10.0;
      activities(k, 0) = static_cast<double>(gen.uniform_int(4, 20));  // customers
      activities(k, 1) = static_cast<double>(gen.uniform_int(15, 400));  // demand
      activities(k, 2) = static_cast<double>(gen.uniform_int(15, 100));  // workload
      const auto a = static_cast<account_index>(k);
      if (j + 1 < cols) edges.push_back({a, a + 1});
      if (i + 1 < rows) edges.push_back({a, static_cast<account_index>(a + cols)});
    }
  }
  const auto graph = adjacency::from_edges(n, edges);
  const partition_options options{.territories = 8,
                                  .tolerance = {0.05},
                                  .seed = 1,
                                  .time_limit_seconds = 60.0,
                                  .iteration_limit = 4000,
                                  .activity_names = {"customers", "demand", "workload"}};
  const auto unavoidable = precheck(activities, &graph, options);
  std::printf("precheck: %zu unavoidable violations\n", unavoidable.size());
  const auto r = partition(activities, xy, graph, options);
  std::printf("feasible: %s (stopped: %s)\n", r.feasible() ? "yes" : "no", std::string(to_string(r.why_stopped)).c_str());
  std::printf("territory  accounts  max deviation  diameter  connected\n");
  const auto sizes = r.assignment.sizes();
  for (territory_index t = 0; t < 8; ++t) {
    std::printf("%9u  %8zu  %12.1f%%  %8.0f  %9s\n", t, sizes[t], 100.0 * r.max_deviation(t), r.diameters[t],
                r.contiguous[t] ? "yes" : "no");
  }
  std::printf("cut edges (adjacent accounts in different territories): %zu\n", r.cut_edges);
  for (const auto& v : r.violations) std::printf("violation: %s\n", v.reason.c_str());
  return 0;
}
