#pragma once

/// @file haversine.hpp
/// Great-circle distance on a sphere between WGS84 (lat, lon) points, in km.
///
/// Correct across the antimeridian (longitudes are differenced through the sine, so
/// 179.9° and −179.9° are 0.2° apart) and near the poles; the argument of asin is clamped
/// so antipodal points do not produce NaN.

#include <algorithm>
#include <cmath>

#include "territory/geo/distance_policy.hpp"

namespace territory {

/// Haversine distance in km on a sphere of `radius_km` (default: mean Earth radius, 6371.0088 km).
/// O(1). Models `distance_policy`. Error vs. the WGS84 ellipsoid: up to ~0.5 %.
struct haversine {
  double radius_km = 6371.0088;

  [[nodiscard]] double operator()(const point& p, const point& q) const noexcept {
    constexpr double deg = 0.017453292519943295;
    const double dlat = (q[0] - p[0]) * deg;
    const double dlon = (q[1] - p[1]) * deg;
    const double s1 = std::sin(dlat / 2);
    const double s2 = std::sin(dlon / 2);
    const double h = s1 * s1 + std::cos(p[0] * deg) * std::cos(q[0] * deg) * s2 * s2;
    return 2.0 * radius_km * std::asin(std::min(1.0, std::sqrt(std::max(0.0, h))));
  }
};

static_assert(distance_policy<haversine>);

}  // namespace territory
