// Distances between US cities (haversine, drive time, a travel-time matrix), nearest
// neighbours from the spatial index, and a kNN adjacency whose separate components (the
// West Coast, the Midwest, the East Coast) are joined by their shortest links.
#include <cstdio>
#include <string>
#include <vector>

#include <territory/geo.hpp>

int main() {
  const std::vector<std::string> city{"Seattle",  "Portland",  "San Francisco", "Los Angeles",
                                      "Chicago",  "Milwaukee", "Des Moines",    "Minneapolis",
                                      "New York", "Boston",    "Philadelphia",  "Washington"};
  Eigen::MatrixX2d ll(12, 2);
  ll << 47.6062, -122.3321, 45.5152, -122.6784, 37.7749, -122.4194, 34.0522, -118.2437,  //
      41.8781, -87.6298, 43.0389, -87.9065, 41.5868, -93.6250, 44.9778, -93.2650,        //
      40.7128, -74.0060, 42.3601, -71.0589, 39.9526, -75.1652, 38.9072, -77.0369;
  auto pt = [&](int i) { return territory::point{ll(i, 0), ll(i, 1)}; };

  const territory::haversine gc{};
  const territory::drive_time road{};
  std::printf("Des Moines -> Chicago: %.0f km great circle, %.1f h by road (model)\n", gc(pt(6), pt(4)),
              road(pt(6), pt(4)));
  std::printf("New York -> Los Angeles: %.0f km great circle, %.1f h by road (model)\n", gc(pt(8), pt(3)),
              road(pt(8), pt(3)));

  const std::vector<territory::travel_entry> known{{8, 9, 3.8}, {8, 10, 1.6}, {10, 11, 2.4}};
  const auto times = territory::travel_matrix::sparse(12, known);
  std::printf("matrix: New York -> Philadelphia %.1f h; has Boston -> Washington: %s\n", times.at(8, 10),
              times.contains(9, 11) ? "yes" : "no");

  const territory::spatial_index index(ll, territory::coordinate_system::wgs84);
  std::printf("3 nearest to Milwaukee:");
  for (const auto& nb : index.nearest(pt(5), 4)) {
    if (nb.index != 5) std::printf(" %s (%.0f km)", city[nb.index].c_str(), nb.distance);
  }
  std::printf("\n");

  const auto knn = territory::knn_adjacency(ll, {.k = 2, .system = territory::coordinate_system::wgs84});
  std::printf("kNN (k = 2): %zu components before, %zu joined, %zu edges\n", knn.components_before,
              knn.components_joined, knn.graph.edge_count());
  for (territory::account_index a = 0; a < 12; ++a) {
    const auto nb = knn.graph.neighbors(a);
    const auto len = knn.graph.lengths(a);
    for (std::size_t i = 0; i < nb.size(); ++i) {
      if (nb[i] > a) std::printf("  %s - %s %.0f km\n", city[a].c_str(), city[nb[i]].c_str(), len[i]);
    }
  }
  return 0;
}
