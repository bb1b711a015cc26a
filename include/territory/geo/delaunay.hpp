#pragma once

/// @file delaunay.hpp
/// `delaunay_adjacency`: an adjacency graph from account coordinates by Delaunay
/// triangulation (the dual of the Voronoi diagram), for data that comes without shared
/// borders. Built with Boost.Polygon's Voronoi builder inside `detail/geo/`.

#include <cstddef>
#include <limits>

#include <Eigen/Core>

#include "territory/detail/geo/delaunay_impl.hpp"
#include "territory/geo/distance_policy.hpp"
#include "territory/geo/euclidean.hpp"
#include "territory/graph/adjacency.hpp"
#include "territory/graph/components.hpp"

namespace territory {

/// Options of `delaunay_adjacency`.
struct delaunay_options {
  /// Triangulation edges longer than this (measured with the distance policy) are dropped,
  /// as the ZIP-area data drops edges above 150 km. Infinity (the default) keeps them all.
  /// Dropping edges may disconnect the graph; `delaunay_report::components` says so.
  double max_edge_length = std::numeric_limits<double>::infinity();
  /// Store each edge's length (distance policy) in the adjacency (`adjacency::lengths`).
  bool store_lengths = false;
};

/// What `delaunay_adjacency` did besides building the graph.
struct delaunay_report {
  std::size_t triangulation_edges = 0;  ///< edges of the triangulation, before the length cut
  std::size_t dropped_edges = 0;        ///< edges removed by `max_edge_length`
  std::size_t duplicate_points = 0;     ///< points that coincided with an earlier point on the grid
  std::size_t degenerate_vertices = 0;  ///< Voronoi vertices of degree > 3 (cocircular points) fanned
  std::size_t components = 0;           ///< connected components of the returned graph
};

/// Builds the Delaunay adjacency of n points.
///
/// The points are scaled (one factor for both axes, preserving angles) onto a
/// 2^30 × 2^30 integer grid, Boost.Polygon's robust Voronoi builder runs on the grid, and
/// every pair of Voronoi-neighbour cells becomes an edge. Where k ≥ 4 points are cocircular
/// (one Voronoi vertex of degree k, e.g. the corners of a square) the k-gon is triangulated
/// by a fan from its smallest account index, so that points in general position and
/// cocircular points alike give a triangulation (3n − 3 − h edges, h = hull size).
/// All collinear points give the path along the line (n − 1 edges).
///
/// The triangulation is planar in the coordinates as given: (lat, lon) degrees are
/// triangulated in the equirectangular plane, which suits regional data (a country, a state)
/// but not data across the antimeridian or near a pole. The distance policy is used only for
/// `max_edge_length` and the stored lengths (e.g. `haversine` with a 150 km cut).
///
/// Duplicate points: points that fall on the same grid cell (identical coordinates, or
/// closer than ~1e-9 of the bounding box) are merged into one Voronoi site, kept by the
/// smallest index among them (the representative). Each other copy is joined to its
/// representative and to every Delaunay neighbour of the representative, so copies are
/// interchangeable in a partition. Deterministic: no jitter, no randomness.
///
/// @param xy n×2 coordinates (x, y), in the unit the distance policy expects.
/// @param options edge-length cut and whether to store lengths.
/// @param distance the distance policy used for the cut and the stored lengths.
/// @param report optional out-parameter; filled when not null.
/// @return a symmetric adjacency of n vertices.
/// Complexity: O(n log n) time, O(n) memory (plus O(d²) per group of d duplicate points).
/// Throws: invalid_input{errc::non_finite} (field "xy", index = row) for a NaN or infinite
///         coordinate; invalid_input{errc::invalid_parameter} (field "max_edge_length") if it
///         is NaN or negative. Nothing is computed before validation.
/// Status: none (always complete).
/// Determinism: fully deterministic; the output depends only on the input.
/// Example:
/// @code
///   Eigen::MatrixX2d xy(4, 2);
///   xy << 0, 0, 1, 0, 0, 1, 1, 1;
///   auto g = territory::delaunay_adjacency(xy);   // 5 edges: the square and one diagonal
/// @endcode
template <distance_policy Distance = euclidean>
[[nodiscard]] adjacency delaunay_adjacency(Eigen::Ref<const Eigen::MatrixX2d> xy, const delaunay_options& options = {},
                                           Distance distance = {}, delaunay_report* report = nullptr) {
  detail::delaunay_validate(xy, options.max_edge_length);
  auto tri = detail::delaunay_edges(xy);
  std::vector<edge> kept;
  std::vector<double> lengths;
  kept.reserve(tri.edges.size());
  if (options.store_lengths) lengths.reserve(tri.edges.size());
  std::size_t dropped = 0;
  const bool cut = options.max_edge_length < std::numeric_limits<double>::infinity();
  for (const edge& e : tri.edges) {
    if (!cut && !options.store_lengths) {
      kept.push_back(e);
      continue;
    }
    const point p{xy(e.a, 0), xy(e.a, 1)};
    const point q{xy(e.b, 0), xy(e.b, 1)};
    const double len = static_cast<double>(distance(p, q));
    if (cut && len > options.max_edge_length) {
      ++dropped;
      continue;
    }
    kept.push_back(e);
    if (options.store_lengths) lengths.push_back(len);
  }
  auto g = adjacency::from_edges(static_cast<std::size_t>(xy.rows()), kept, lengths);
  if (report != nullptr) {
    report->triangulation_edges = tri.edges.size();
    report->dropped_edges = dropped;
    report->duplicate_points = tri.duplicate_points;
    report->degenerate_vertices = tri.degenerate_vertices;
    report->components = connected_components(g).count;
  }
  return g;
}

}  // namespace territory
