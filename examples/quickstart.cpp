// Quickstart: the embedding example of the README. Builds 36 accounts in memory with their
// revenue potential and shared borders, validates them, and splits them into 3 connected
// territories whose revenue is within 5 % of the mean. No files: the library does no I/O.
#include <cstdio>
#include <string>
#include <vector>

#include <territory/territory.hpp>

int main() {
  std::vector<std::string> ids;
  Eigen::MatrixX2d xy(36, 2);  // planar km (lat/lon: coordinate_system::wgs84 + haversine)
  Eigen::VectorXd revenue(36);
  std::vector<territory::edge> borders;
  for (territory::account_index k = 0; k < 36; ++k) {
    ids.push_back("acc" + std::to_string(k));
    xy.row(k) << 10.0 * (k % 6), 10.0 * (k / 6);
    revenue(k) = 100.0 + 7.0 * (k % 5);
    if (k % 6 < 5) borders.push_back({k, k + 1});
    if (k < 30) borders.push_back({k, k + 6});
  }
  territory::account_table accounts(ids, xy);
  accounts.add_activity("revenue", revenue);
  territory::validate(accounts, {.territories = 3}).throw_if_invalid();  // names field, row and id

  const auto graph = territory::adjacency::from_edges(accounts.size(), borders);
  const auto result = territory::partition(accounts.activities(), accounts.coordinates(), graph,
                                           {.territories = 3, .tolerance = {0.05}, .seed = 1, .iteration_limit = 5000});
  std::printf("feasible: %s\n", result.feasible() ? "yes" : "no");
  for (territory::territory_index t = 0; t < 3; ++t) {
    std::printf("territory %u: %zu accounts, revenue %.0f, diameter %.1f km\n", t, result.assignment.members(t).size(),
                result.sums(t, 0), result.diameters[t]);
  }
  return result.feasible() ? 0 : 2;
}
