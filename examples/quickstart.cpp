// Quickstart: the embedding example of the README. Builds an account table in memory,
// validates it together with its adjacency, and reports what it found. No files: the
// library does no I/O, the host application owns its data.
#include <cstdio>
#include <string>
#include <vector>

#include <territory/territory.hpp>

int main() {
  // 3 x 3 grid of accounts with revenue potential, neighbours share an edge
  std::vector<std::string> ids;
  Eigen::MatrixX2d xy(9, 2);
  Eigen::VectorXd revenue(9);
  std::vector<territory::edge_ref> borders;
  for (int k = 0; k < 9; ++k) {
    ids.push_back("acc" + std::to_string(k));
    xy.row(k) << k % 3, k / 3;
    revenue(k) = 100.0 + 10.0 * k;
  }
  for (int k = 0; k < 9; ++k) {
    if (k % 3 < 2) borders.push_back({ids[k], ids[k + 1]});
    if (k < 6) borders.push_back({ids[k], ids[k + 3]});
  }
  territory::account_table accounts(ids, xy);  // planar km
  accounts.add_activity("revenue", revenue);

  const auto report = territory::validate(accounts, {.edges = borders, .territories = 3});
  std::printf("%zu accounts, %zu borders, %zu problems\n", accounts.size(), borders.size(),
              report.problems.size());
  return report.ok() ? 0 : 1;
}
