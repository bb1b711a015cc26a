#pragma once

/// @file connect_components.hpp
/// `territory::connect_components`: makes an adjacency connected by adding the shortest
/// links between its components, and reports how many components were joined.

#include <Eigen/Core>

#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <type_traits>
#include <vector>

#include "territory/core/account_table.hpp"
#include "territory/detail/geo/connect_impl.hpp"
#include "territory/geo/distance_policy.hpp"
#include "territory/geo/drive_time.hpp"
#include "territory/geo/euclidean.hpp"
#include "territory/geo/haversine.hpp"
#include "territory/geo/spatial_index.hpp"
#include "territory/graph/adjacency.hpp"

namespace territory {

/// Result of `connect_components`.
struct connect_result {
  adjacency graph;                    ///< the input graph plus the added links
  std::size_t components_before = 0;  ///< connected components of the input
  std::size_t components_joined = 0;  ///< components merged away (= links added); after: before − joined
  std::vector<edge> added;            ///< the added links (a < b), shortest first within each round
  std::vector<double> added_lengths;  ///< their lengths under the distance policy
};

/// Adds the shortest links between the components of `graph` until it is connected: the
/// added links form a minimum spanning tree of the component graph whose edge weight is
/// the shortest account-to-account distance (Borůvka rounds; ties to the smaller indices).
///
/// @param graph        any adjacency over n accounts (with or without lengths).
/// @param coordinates  n×2, in the coordinate system of `distance`.
/// @param distance     the distance policy measuring a link. `euclidean` (planar) and
///        `haversine` / `drive_time` (WGS84) use a k-d tree; any other policy is evaluated
///        by brute force over all pairs between the smaller components and the rest.
/// @return the connected graph and a report. If `graph` has edge lengths, the new links
///         carry their distance; otherwise the result has no lengths.
/// Complexity: with a k-d tree, O(s log n · log c) for c components whose smaller ones hold
/// s accounts in total, plus O(n + e log e) to rebuild the graph; brute force O(s·n·log c).
/// Throws: invalid_input{errc::size_mismatch} (field "coordinates") if coordinates.rows() !=
///         graph.size(); invalid_input{errc::non_finite} (field "coordinates", index = account).
/// Determinism: a pure function of its input.
template <distance_policy Distance = euclidean>
[[nodiscard]] connect_result connect_components(const adjacency& graph,
                                                const Eigen::Ref<const Eigen::MatrixX2d>& coordinates,
                                                Distance distance = {}) {
  const std::size_t n = graph.size();
  detail::check_coordinates(coordinates, n, "connect_components()");
  auto pt = [&](account_index a) {
    return point{coordinates(static_cast<Eigen::Index>(a), 0), coordinates(static_cast<Eigen::Index>(a), 1)};
  };
  connect_result out;
  std::vector<detail::link> links;
  constexpr bool planar = std::is_same_v<Distance, euclidean>;
  constexpr bool sphere = std::is_same_v<Distance, haversine> || std::is_same_v<Distance, drive_time>;
  if constexpr (planar || sphere) {
    double radius = 6371.0088;
    if constexpr (std::is_same_v<Distance, haversine>) radius = distance.radius_km;
    if constexpr (std::is_same_v<Distance, drive_time>) radius = distance.great_circle.radius_km;
    const spatial_index index(coordinates, planar ? coordinate_system::planar : coordinate_system::wgs84, radius);
    spatial_index::grouping grouping;
    links = detail::boruvka_links(
        graph,
        [&](std::span<const std::uint32_t> root) {
          grouping = index.group_by(root);
          return [&, root](account_index a, double bound) {
            // the index measures km; drive_time links are in hours, so no bound there
            const auto nb = index.nearest_in_other_group(
                pt(a), grouping, root[a],
                std::is_same_v<Distance, drive_time> ? std::numeric_limits<double>::infinity() : bound);
            if (!nb) return detail::link{std::numeric_limits<double>::infinity(), a, a};
            return detail::link{static_cast<double>(distance(pt(a), pt(nb->index))), a, nb->index};
          };
        },
        out.components_before);
  } else {
    links = detail::boruvka_links(
        graph,
        [&](std::span<const std::uint32_t> root) {
          return [&, root](account_index a, double) {
            detail::link best{std::numeric_limits<double>::infinity(), a, a};
            for (std::size_t b = 0; b < n; ++b) {
              if (root[b] == root[a]) continue;
              const double d = static_cast<double>(distance(pt(a), pt(static_cast<account_index>(b))));
              detail::link l{d, std::min<account_index>(a, static_cast<account_index>(b)),
                             std::max<account_index>(a, static_cast<account_index>(b))};
              if (l < best || !std::isfinite(best.length)) best = l;
            }
            return best;
          };
        },
        out.components_before);
  }
  out.graph = detail::add_links(graph, links, false);
  out.components_joined = links.size();
  for (const auto& l : links) {
    out.added.push_back({l.a, l.b});
    out.added_lengths.push_back(l.length);
  }
  return out;
}

}  // namespace territory
