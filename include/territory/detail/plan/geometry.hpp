#pragma once

/// @file geometry.hpp
/// Internals of plan metrics: convex hulls, territory diameters and centres.
/// Not part of the public API.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <span>
#include <type_traits>
#include <vector>

#include "territory/geo/distance_policy.hpp"
#include "territory/geo/euclidean.hpp"
#include "territory/geo/haversine.hpp"

namespace territory::detail::metrics {

/// True for distance policies that read (lat, lon) in degrees: `haversine`, and any policy
/// that declares `static constexpr bool wgs84 = true;`.
template <class D>
inline constexpr bool wgs84_distance =
    std::is_same_v<std::remove_cvref_t<D>, territory::haversine> ||
    requires { requires static_cast<bool>(std::remove_cvref_t<D>::wgs84); };

/// True for the planar Euclidean policy, for which the hull diameter is exact.
template <class D>
inline constexpr bool euclidean_distance = std::is_same_v<std::remove_cvref_t<D>, territory::euclidean>;

/// Indices (into `pts`) of the convex hull vertices, counter-clockwise, collinear points
/// dropped (Andrew's monotone chain). Fewer than 3 distinct points give those points.
/// Complexity O(k log k). Deterministic: ties broken by index.
[[nodiscard]] inline std::vector<std::size_t> convex_hull(std::span<const point> pts) {
  std::vector<std::size_t> order(pts.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (pts[a][0] != pts[b][0]) return pts[a][0] < pts[b][0];
    if (pts[a][1] != pts[b][1]) return pts[a][1] < pts[b][1];
    return a < b;
  });
  // drop exact duplicates (keep the smallest index)
  std::vector<std::size_t> u;
  u.reserve(order.size());
  for (std::size_t i : order) {
    if (!u.empty() && pts[u.back()] == pts[i]) continue;
    u.push_back(i);
  }
  if (u.size() < 3) return u;
  auto cross = [&](std::size_t o, std::size_t a, std::size_t b) {
    return (pts[a][0] - pts[o][0]) * (pts[b][1] - pts[o][1]) - (pts[a][1] - pts[o][1]) * (pts[b][0] - pts[o][0]);
  };
  std::vector<std::size_t> hull(2 * u.size());
  std::size_t k = 0;
  for (std::size_t i = 0; i < u.size(); ++i) {
    while (k >= 2 && cross(hull[k - 2], hull[k - 1], u[i]) <= 0) --k;
    hull[k++] = u[i];
  }
  for (std::size_t i = u.size() - 1, t = k + 1; i-- > 0;) {
    while (k >= t && cross(hull[k - 2], hull[k - 1], u[i]) <= 0) --k;
    hull[k++] = u[i];
  }
  hull.resize(k - 1);
  return hull;
}

/// Maximum distance over all pairs of `pts` by `d`. O(k²) calls of d.
template <class Distance>
[[nodiscard]] double pair_scan_diameter(std::span<const point> pts, const Distance& d) {
  double best = 0.0;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    for (std::size_t j = i + 1; j < pts.size(); ++j) best = std::max(best, static_cast<double>(d(pts[i], pts[j])));
  }
  return best;
}

/// Unit vector of a (lat, lon) point in degrees.
[[nodiscard]] inline std::array<double, 3> unit_vector(const point& p) noexcept {
  constexpr double deg = 0.017453292519943295;
  const double la = p[0] * deg, lo = p[1] * deg;
  return {std::cos(la) * std::cos(lo), std::cos(la) * std::sin(lo), std::sin(la)};
}

/// Gnomonic projection of (lat, lon) points around their normalised mean unit vector:
/// great circles become straight lines, so the planar convex hull is the spherical one.
/// Returns false (and leaves `out` unspecified) when a point is not in the open hemisphere
/// around the centre, where the projection does not exist.
[[nodiscard]] inline bool gnomonic(std::span<const point> pts, std::vector<point>& out) {
  std::array<double, 3> c{0.0, 0.0, 0.0};
  std::vector<std::array<double, 3>> v(pts.size());
  for (std::size_t i = 0; i < pts.size(); ++i) {
    v[i] = unit_vector(pts[i]);
    for (int k = 0; k < 3; ++k) c[static_cast<std::size_t>(k)] += v[i][static_cast<std::size_t>(k)];
  }
  const double r = std::sqrt(c[0] * c[0] + c[1] * c[1] + c[2] * c[2]);
  if (!(r > 1e-9 * static_cast<double>(pts.size()))) return false;
  for (auto& x : c) x /= r;
  const double h = std::hypot(c[0], c[1]);
  // east and north unit vectors of the tangent plane at c (any basis at the poles)
  const std::array<double, 3> east = h > 1e-12 ? std::array<double, 3>{-c[1] / h, c[0] / h, 0.0} : std::array<double, 3>{0.0, 1.0, 0.0};
  const std::array<double, 3> north{c[1] * east[2] - c[2] * east[1], c[2] * east[0] - c[0] * east[2],
                                    c[0] * east[1] - c[1] * east[0]};
  out.resize(pts.size());
  for (std::size_t i = 0; i < pts.size(); ++i) {
    const double d = v[i][0] * c[0] + v[i][1] * c[1] + v[i][2] * c[2];
    if (!(d > 1e-9)) return false;
    out[i] = point{(v[i][0] * east[0] + v[i][1] * east[1] + v[i][2] * east[2]) / d,
                   (v[i][0] * north[0] + v[i][1] * north[1] + v[i][2] * north[2]) / d};
  }
  return true;
}

/// Diameter of a point set by `d`, and whether it is exact:
/// - `euclidean`: convex hull, then all pairs of hull vertices (exact);
/// - `haversine`: convex hull in the gnomonic projection (= the spherical convex hull), then
///   all pairs of its vertices: exact whenever the vertices are pairwise less than a quarter
///   great circle apart (the distance to a hull vertex is then quasi-convex along great
///   circles, so the farthest pair is a pair of vertices); otherwise all pairs;
/// - any other policy: all pairs when k <= exact_limit; above, the pair scan over the hull of
///   a planar stand-in (gnomonic for WGS84 policies, the coordinates otherwise): exact for
///   any norm on planar coordinates, an approximation otherwise (`exact` is cleared).
template <class Distance>
[[nodiscard]] double diameter(std::span<const point> pts, const Distance& d, std::size_t exact_limit, bool& exact) {
  if (pts.size() < 2) return 0.0;
  auto over_hull = [&](std::span<const point> plane) {
    const auto hull = convex_hull(plane);
    std::vector<point> hp;
    hp.reserve(hull.size());
    for (std::size_t i : hull) hp.push_back(pts[i]);
    return pair_scan_diameter(std::span<const point>(hp), d);
  };
  if constexpr (euclidean_distance<Distance>) {
    return over_hull(pts);
  } else if constexpr (std::is_same_v<std::remove_cvref_t<Distance>, territory::haversine>) {
    std::vector<point> plane;
    if (gnomonic(pts, plane)) {
      const double best = over_hull(plane);
      if (best < 0.5 * 3.141592653589793 * d.radius_km * (1.0 - 1e-9)) return best;
    }
    return pair_scan_diameter(pts, d);
  } else {
    if (pts.size() <= exact_limit) return pair_scan_diameter(pts, d);
    std::vector<point> plane(pts.begin(), pts.end());
    if constexpr (wgs84_distance<Distance>) {
      if (!gnomonic(pts, plane)) return pair_scan_diameter(pts, d);
    }
    exact = false;
    return over_hull(plane);
  }
}

/// Centre of a point set: the coordinate mean for planar data; for (lat, lon) the mean of
/// the unit vectors projected back onto the sphere (antimeridian-safe), or the first point
/// when the vectors cancel out.
template <class Distance>
[[nodiscard]] point centre(std::span<const point> pts) {
  if (pts.empty()) return point{0.0, 0.0};
  if constexpr (wgs84_distance<Distance>) {
    constexpr double deg = 0.017453292519943295;
    double x = 0.0, y = 0.0, z = 0.0;
    for (const auto& p : pts) {
      const double la = p[0] * deg;
      const double lo = p[1] * deg;
      x += std::cos(la) * std::cos(lo);
      y += std::cos(la) * std::sin(lo);
      z += std::sin(la);
    }
    const double r = std::sqrt(x * x + y * y + z * z);
    if (r < 1e-12 * static_cast<double>(pts.size())) return pts.front();
    return point{std::atan2(z, std::hypot(x, y)) / deg, std::atan2(y, x) / deg};
  } else {
    double x = 0.0, y = 0.0;
    for (const auto& p : pts) {
      x += p[0];
      y += p[1];
    }
    const auto k = static_cast<double>(pts.size());
    return point{x / k, y / k};
  }
}

}  // namespace territory::detail::metrics
