#pragma once

/// @file knn_adjacency.hpp
/// `territory::knn_adjacency`: a symmetric k-nearest-neighbour graph over account
/// coordinates, for when the user has no shared borders; optionally made connected.

#include <Eigen/Core>

#include <cstddef>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "territory/core/account_table.hpp"
#include "territory/core/error.hpp"
#include "territory/detail/geo/connect_impl.hpp"
#include "territory/geo/spatial_index.hpp"
#include "territory/graph/adjacency.hpp"

namespace territory {

/// Options of `knn_adjacency`.
struct knn_options {
  std::size_t k = 6;                                     ///< neighbours per account (>= 1; capped at n − 1)
  coordinate_system system = coordinate_system::planar;  ///< planar km (Euclidean) or WGS84 (haversine)
  double radius_km = 6371.0088;                          ///< sphere radius for WGS84
  bool connect = true;                                   ///< join components by their shortest links
};

/// Result of `knn_adjacency`.
struct knn_result {
  adjacency graph;                    ///< edge lengths = distances in km
  std::size_t components_before = 0;  ///< components of the plain kNN graph
  std::size_t components_joined = 0;  ///< links added by the connect pass (0 if `connect` is false)
};

/// Symmetric kNN graph: {a, b} is an edge if b is among the k nearest accounts of a or a
/// among those of b (ties to the smaller index). With `connect`, the components are then
/// joined by their shortest links (as `connect_components` does), so the graph is connected.
///
/// @param coordinates n×2, (x, y) km or (lat, lon) degrees according to `options.system`.
/// @param options k, coordinate system, sphere radius and whether to join the components (`knn_options`).
/// Complexity: O(n log n + n·k log k) expected, plus O(s log n · log c) for the connect pass
/// (s accounts outside the largest of c components); memory O(n·k).
/// Throws: invalid_input{errc::out_of_range} (field "k") if k == 0; the coordinate errors
///         of `spatial_index` (field "coordinates").
/// Example (examples/geo_knn_adjacency.cpp):
/// @code
/// const auto knn = territory::knn_adjacency(ll, {.k = 2, .system = territory::coordinate_system::wgs84});
/// // knn.graph (lengths in km), knn.components_before, knn.components_joined
/// @endcode
/// Determinism: a pure function of its input.
[[nodiscard]] inline knn_result knn_adjacency(const Eigen::Ref<const Eigen::MatrixX2d>& coordinates,
                                              const knn_options& options = {}) {
  if (options.k == 0) {
    throw invalid_input(errc::out_of_range, "k", "knn_adjacency(): k = 0, expected at least 1");
  }
  const spatial_index index(coordinates, options.system, options.radius_km);
  const std::size_t n = index.size();
  auto pt = [&](account_index a) {
    return point{coordinates(static_cast<Eigen::Index>(a), 0), coordinates(static_cast<Eigen::Index>(a), 1)};
  };
  std::vector<edge> edges;
  std::vector<double> lens;
  edges.reserve(n * options.k);
  lens.reserve(n * options.k);
  std::vector<neighbor> nb;
  nb.reserve(options.k + 1);
  for (std::size_t a = 0; a < n; ++a) {
    const auto ai = static_cast<account_index>(a);
    index.nearest_into(pt(ai), options.k, nb, [ai](account_index b) { return b != ai; });
    for (const auto& x : nb) {
      edges.push_back({std::min(ai, x.index), std::max(ai, x.index)});
      lens.push_back(x.distance);
    }
  }
  knn_result out;
  out.graph = adjacency::from_edges(n, edges, lens);
  if (!options.connect) {
    out.components_before = connected_components(out.graph).count;
    return out;
  }
  spatial_index::grouping grouping;
  const auto links = detail::boruvka_links(
      out.graph,
      [&](std::span<const std::uint32_t> root) {
        grouping = index.group_by(root);
        return [&, root](account_index a, double bound) {
          const auto other = index.nearest_in_other_group(pt(a), grouping, root[a], bound);
          if (!other) return detail::link{std::numeric_limits<double>::infinity(), a, a};
          return detail::link{other->distance, a, other->index};
        };
      },
      out.components_before);
  if (!links.empty()) out.graph = detail::add_links(out.graph, links, true);
  out.components_joined = links.size();
  return out;
}

}  // namespace territory
