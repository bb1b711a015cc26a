#pragma once

/// @file project_planar.hpp
/// `territory::project_planar`: WGS84 (lat, lon) degrees to planar km, for algorithms that
/// need Euclidean coordinates (k-means, Ward) on regional data.

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>
#include <string>

#include "territory/core/error.hpp"
#include "territory/geo/distance_policy.hpp"

namespace territory {

/// Azimuthal equidistant projection around `center` (default: the spherical mean of the
/// points), in km. Distances from the center are exact great-circle distances; between two
/// points the error is about ρ²/(6R²) for points ρ km from the center: ~0.1 % at 500 km,
/// ~1 % at 1 500 km. It handles the antimeridian and the poles; only points near the antipode
/// of the center are badly distorted (don't project a whole hemisphere).
///
/// @param latlon n×2 (lat, lon) in degrees.
/// @param center centre of the projection, (lat, lon) in degrees; nullopt: the spherical mean of the points.
/// @param radius_km sphere radius in km (default: the mean Earth radius).
/// @return n×2 (x east, y north) in km.
/// Complexity: O(n).
/// Throws: invalid_input{errc::non_finite} (field "coordinates", index = row);
///         invalid_input{errc::out_of_range} (field "coordinates", index = row) for a latitude
///         outside [−90, 90]; (field "center") for a center latitude outside [−90, 90].
/// Determinism: a pure function of its input.
[[nodiscard]] inline Eigen::MatrixX2d project_planar(const Eigen::Ref<const Eigen::MatrixX2d>& latlon,
                                                     std::optional<point> center = std::nullopt,
                                                     double radius_km = 6371.0088) {
  constexpr double deg = 0.017453292519943295;
  const Eigen::Index n = latlon.rows();
  double sx = 0.0, sy = 0.0, sz = 0.0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const double lat = latlon(i, 0), lon = latlon(i, 1);
    if (!std::isfinite(lat) || !std::isfinite(lon)) {
      throw invalid_input(errc::non_finite, "coordinates",
                          "project_planar(): coordinates of account " + std::to_string(i) + " are not finite",
                          static_cast<std::size_t>(i));
    }
    if (lat < -90.0 || lat > 90.0) {
      throw invalid_input(errc::out_of_range, "coordinates",
                          "project_planar(): latitude of account " + std::to_string(i) + " is " + std::to_string(lat) +
                              ", expected a value in [-90, 90]",
                          static_cast<std::size_t>(i));
    }
    sx += std::cos(lat * deg) * std::cos(lon * deg);
    sy += std::cos(lat * deg) * std::sin(lon * deg);
    sz += std::sin(lat * deg);
  }
  point c0{0.0, 0.0};
  if (center) {
    c0 = *center;
    if (!(c0[0] >= -90.0 && c0[0] <= 90.0) || !std::isfinite(c0[1])) {
      throw invalid_input(errc::out_of_range, "center", "project_planar(): center latitude must lie in [-90, 90]");
    }
  } else if (sx != 0.0 || sy != 0.0 || sz != 0.0) {
    c0 = {std::atan2(sz, std::hypot(sx, sy)) / deg, std::atan2(sy, sx) / deg};
  }
  const double p0 = c0[0] * deg, l0 = c0[1] * deg;
  const double sp0 = std::sin(p0), cp0 = std::cos(p0);
  Eigen::MatrixX2d out(n, 2);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double p = latlon(i, 0) * deg, dl = latlon(i, 1) * deg - l0;
    const double sp = std::sin(p), cp = std::cos(p);
    const double cos_c = std::clamp(sp0 * sp + cp0 * cp * std::cos(dl), -1.0, 1.0);
    const double east = cp * std::sin(dl);
    const double north = cp0 * sp - sp0 * cp * std::cos(dl);
    const double c = std::atan2(std::hypot(east, north), cos_c);  // angular distance, stable near 0
    const double s = std::hypot(east, north);
    const double k = s > 0 ? c / s : 1.0;
    out(i, 0) = radius_km * k * east;
    out(i, 1) = radius_km * k * north;
  }
  return out;
}

}  // namespace territory
