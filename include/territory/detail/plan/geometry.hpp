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

namespace territory::detail::plan {

/// True for distance policies that read (lat, lon) in degrees: `haversine`, and any policy
/// that declares `static constexpr bool wgs84 = true;`.
template <class D>
inline constexpr bool wgs84_distance =
    std::is_same_v<std::remove_cvref_t<D>, territory::haversine> ||
    requires { requires static_cast<bool>(std::remove_cvref_t<D>::wgs84); };

/// True for the planar Euclidean policy, for which the hull diameter is exact.
template <class D>
inline constexpr bool euclidean_distance = std::is_same_v<std::remove_cvref_t<D>, territory::euclidean>;

/// Longitude difference folded into (−180, 180].
[[nodiscard]] inline double wrap_degrees(double d) noexcept {
  while (d > 180.0) d -= 360.0;
  while (d <= -180.0) d += 360.0;
  return d;
}

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

/// Planar stand-in of `pts` for the hull: the points themselves, or for (lat, lon) a local
/// equirectangular projection around the mean latitude and the first longitude
/// (antimeridian-safe).
template <class Distance>
[[nodiscard]] std::vector<point> hull_plane(std::span<const point> pts) {
  std::vector<point> out(pts.begin(), pts.end());
  if constexpr (wgs84_distance<Distance>) {
    if (pts.empty()) return out;
    double lat = 0.0;
    for (const auto& p : pts) lat += p[0];
    lat /= static_cast<double>(pts.size());
    const double c = std::cos(lat * 0.017453292519943295);
    const double lon0 = pts.front()[1];
    for (std::size_t i = 0; i < pts.size(); ++i) out[i] = point{wrap_degrees(pts[i][1] - lon0) * c, pts[i][0]};
  }
  return out;
}

/// Diameter of a point set by `d`: all pairs when k <= exact_limit, otherwise the pair
/// scan over the convex hull of a planar stand-in (exact for Euclidean, and for any norm on
/// planar coordinates; approximate for great-circle distances). `exact` is cleared when
/// the result is an approximation.
template <class Distance>
[[nodiscard]] double diameter(std::span<const point> pts, const Distance& d, std::size_t exact_limit, bool& exact) {
  if (pts.size() < 2) return 0.0;
  if (!euclidean_distance<Distance> && pts.size() <= exact_limit) return pair_scan_diameter(pts, d);
  const auto plane = hull_plane<Distance>(pts);
  const auto hull = convex_hull(plane);
  std::vector<point> hp;
  hp.reserve(hull.size());
  for (std::size_t i : hull) hp.push_back(pts[i]);
  if (!euclidean_distance<Distance>) exact = false;
  return pair_scan_diameter(std::span<const point>(hp), d);
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

}  // namespace territory::detail::plan
