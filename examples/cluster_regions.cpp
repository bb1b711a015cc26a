// Graph-based region growing from rep home accounts and connectivity-constrained Ward on a
// 12 x 12 grid of accounts whose workload is heavier in the south-west: both give contiguous
// regions; region growing balances by growing the lightest region first.
#include <cstdio>
#include <vector>

#include <territory/cluster/region_growing.hpp>
#include <territory/cluster/ward.hpp>

int main() {
  const int side = 12;
  std::vector<territory::edge> edges;
  Eigen::MatrixXd xy(side * side, 2);
  std::vector<double> workload(side * side);
  for (int i = 0; i < side; ++i) {
    for (int j = 0; j < side; ++j) {
      const auto a = static_cast<territory::account_index>(i * side + j);
      xy(a, 0) = j;
      xy(a, 1) = i;
      workload[a] = (i < side / 2 && j < side / 2) ? 3.0 : 1.0;
      if (j + 1 < side) edges.push_back({a, a + 1});
      if (i + 1 < side) edges.push_back({a, static_cast<territory::account_index>(a + side)});
    }
  }
  const auto graph = territory::adjacency::from_edges(side * side, edges);

  const std::vector<territory::account_index> homes{0, 11, 132, 143, 66};  // four corners and the middle
  const auto grown = territory::grow_regions(graph, homes, workload, {.points = xy});
  std::printf("grow_regions: contiguous %s, workload deviation %.1f %%\n", grown.quality.contiguous ? "yes" : "no",
              100 * grown.quality.max_deviation);
  for (int i = side - 1; i >= 0; --i) {
    std::printf("  ");
    for (int j = 0; j < side; ++j)
      std::printf("%c", static_cast<char>('A' + grown.assignment[static_cast<territory::account_index>(i * side + j)]));
    std::printf("\n");
  }

  const auto tree = territory::ward(xy, 5, {.weights = workload, .connectivity = &graph});
  std::printf("ward: %zu merges, contiguous %s, wcss %.1f, last merge cost %.1f\n", tree.dendrogram.size(),
              tree.quality.contiguous ? "yes" : "no", tree.quality.wcss, tree.dendrogram.back().cost);
  for (int i = side - 1; i >= 0; --i) {
    std::printf("  ");
    for (int j = 0; j < side; ++j)
      std::printf("%c", static_cast<char>('a' + tree.assignment[static_cast<territory::account_index>(i * side + j)]));
    std::printf("\n");
  }
  return 0;
}
