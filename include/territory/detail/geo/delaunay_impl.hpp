#pragma once

/// @file delaunay_impl.hpp
/// Internals of `geo/delaunay.hpp`: validation and the Boost.Polygon Voronoi adaptation.
/// Boost.Polygon stays here; nothing of it appears in a public signature.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>
#include <boost/polygon/voronoi.hpp>

#include "territory/core/error.hpp"
#include "territory/core/ids.hpp"
#include "territory/graph/adjacency.hpp"

namespace territory::detail {

/// Throws invalid_input for non-finite coordinates or a bad edge-length cut.
inline void delaunay_validate(const Eigen::Ref<const Eigen::MatrixX2d>& xy, double max_edge_length) {
  if (std::isnan(max_edge_length) || max_edge_length < 0) {
    throw invalid_input(errc::invalid_parameter, "max_edge_length",
                        "delaunay_adjacency(): max_edge_length must be >= 0 (infinity keeps every edge), got " +
                            std::to_string(max_edge_length));
  }
  if (static_cast<std::uint64_t>(xy.rows()) >= static_cast<std::uint64_t>(no_territory)) {
    throw invalid_input(errc::out_of_range, "xy",
                        "delaunay_adjacency(): " + std::to_string(xy.rows()) + " points exceed the account index range");
  }
  for (Eigen::Index i = 0; i < xy.rows(); ++i) {
    if (!std::isfinite(xy(i, 0)) || !std::isfinite(xy(i, 1))) {
      throw invalid_input(errc::non_finite, "xy",
                          "delaunay_adjacency(): point " + std::to_string(i) + " has a NaN or infinite coordinate",
                          static_cast<std::size_t>(i));
    }
  }
}

/// Triangulation edges (a < b, sorted, unique) plus counts for the report.
struct delaunay_triangulation {
  std::vector<edge> edges;
  std::size_t duplicate_points = 0;
  std::size_t degenerate_vertices = 0;
};

/// Side of the integer grid the points are scaled onto (Boost.Polygon takes int32 input).
inline constexpr double delaunay_grid = 1073741824.0;  // 2^30

/// Delaunay edges of the points (see `delaunay_adjacency` for duplicates and cocircular points).
/// Complexity: O(n log n).
[[nodiscard]] inline delaunay_triangulation delaunay_edges(const Eigen::Ref<const Eigen::MatrixX2d>& xy) {
  delaunay_triangulation out;
  const auto n = static_cast<std::size_t>(xy.rows());
  if (n < 2) return out;

  // 1. Scale onto the integer grid, one factor for both axes.
  const double x0 = xy.col(0).minCoeff();
  const double y0 = xy.col(1).minCoeff();
  const double span = std::max(xy.col(0).maxCoeff() - x0, xy.col(1).maxCoeff() - y0);
  const double scale = span > 0 ? delaunay_grid / span : 0.0;
  struct site {
    std::int32_t x, y;
    account_index index;
  };
  std::vector<site> sites(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    sites[i] = {static_cast<std::int32_t>(std::llround((xy(r, 0) - x0) * scale)) - (1 << 29),
                static_cast<std::int32_t>(std::llround((xy(r, 1) - y0) * scale)) - (1 << 29),
                static_cast<account_index>(i)};
  }

  // 2. Merge duplicates: the smallest index of each grid cell is the representative.
  std::vector<site> sorted = sites;
  std::sort(sorted.begin(), sorted.end(), [](const site& a, const site& b) {
    if (a.x != b.x) return a.x < b.x;
    if (a.y != b.y) return a.y < b.y;
    return a.index < b.index;
  });
  std::vector<boost::polygon::point_data<std::int32_t>> unique_points;
  std::vector<account_index> unique_index;  // voronoi source index -> account
  std::vector<std::vector<account_index>> copies;  // per unique site: the other copies
  unique_points.reserve(n);
  unique_index.reserve(n);
  for (std::size_t k = 0; k < n; ++k) {
    if (k > 0 && sorted[k].x == sorted[k - 1].x && sorted[k].y == sorted[k - 1].y) {
      copies.back().push_back(sorted[k].index);
      ++out.duplicate_points;
      continue;
    }
    unique_points.emplace_back(sorted[k].x, sorted[k].y);
    unique_index.push_back(sorted[k].index);
    copies.emplace_back();
  }

  std::vector<edge> edges;
  auto add = [&edges](account_index a, account_index b) {
    if (a == b) return;
    edges.push_back(a < b ? edge{a, b} : edge{b, a});
  };

  // 3. Voronoi diagram of the unique sites; neighbouring cells give Delaunay edges.
  if (unique_points.size() >= 2) {
    boost::polygon::voronoi_diagram<double> vd;
    boost::polygon::construct_voronoi(unique_points.begin(), unique_points.end(), &vd);
    for (const auto& e : vd.edges()) {
      const std::size_t a = e.cell()->source_index();
      const std::size_t b = e.twin()->cell()->source_index();
      if (a < b) add(unique_index[a], unique_index[b]);
    }
    // Cocircular points: a vertex of degree k >= 4 leaves a k-gon; fan it from its
    // smallest account index.
    std::vector<account_index> ring;
    for (const auto& v : vd.vertices()) {
      ring.clear();
      const auto* start = v.incident_edge();
      const auto* e = start;
      do {
        ring.push_back(unique_index[e->cell()->source_index()]);
        e = e->rot_next();
      } while (e != start);
      if (ring.size() <= 3) continue;
      ++out.degenerate_vertices;
      const auto k = ring.size();
      const auto apex = static_cast<std::size_t>(std::min_element(ring.begin(), ring.end()) - ring.begin());
      for (std::size_t step = 2; step + 1 < k; ++step) add(ring[apex], ring[(apex + step) % k]);
    }
  }

  // 4. Copies of a duplicate point: joined to the representative, to each other and to the
  //    representative's Delaunay neighbours.
  if (out.duplicate_points > 0) {
    std::vector<std::vector<account_index>> nb(n);
    for (const edge& e : edges) {
      nb[e.a].push_back(e.b);
      nb[e.b].push_back(e.a);
    }
    for (std::size_t u = 0; u < unique_index.size(); ++u) {
      const account_index rep = unique_index[u];
      for (account_index c : copies[u]) {
        add(rep, c);
        for (account_index w : nb[rep]) add(c, w);
        for (account_index c2 : copies[u]) {
          if (c < c2) add(c, c2);
        }
      }
    }
  }

  std::sort(edges.begin(), edges.end(), [](const edge& a, const edge& b) {
    return a.a != b.a ? a.a < b.a : a.b < b.b;
  });
  edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
  out.edges = std::move(edges);
  return out;
}

}  // namespace territory::detail
