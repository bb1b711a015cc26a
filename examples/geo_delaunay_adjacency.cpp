// Delaunay adjacency for accounts that come without shared borders: 200 random points,
// the triangulation (at most 3n − 6 edges, connected), and the same graph with long
// edges cut (as the ZIP-area data cuts edges above 150 km), which can split it into
// components that the report counts.
#include <cstdio>

#include <territory/core/random.hpp>
#include <territory/geo/delaunay.hpp>

int main() {
  constexpr int n = 200;
  territory::rng gen(11);
  Eigen::MatrixX2d xy(n, 2);
  for (int i = 0; i < n; ++i) xy.row(i) << gen.uniform_real(0, 100), gen.uniform_real(0, 100);  // km

  territory::delaunay_report full;
  const auto g = territory::delaunay_adjacency(xy, {}, territory::euclidean{}, &full);
  std::printf("%d points: %zu Delaunay edges, 1 component: %s\n", n, g.edge_count(), full.components == 1 ? "yes" : "no");

  territory::delaunay_report cut;
  const auto short_only = territory::delaunay_adjacency(xy, {.max_edge_length = 9.0}, territory::euclidean{}, &cut);
  std::printf("edges <= 9 km: %zu kept, %zu dropped, %zu components\n", short_only.edge_count(), cut.dropped_edges,
              cut.components);
  return 0;
}
