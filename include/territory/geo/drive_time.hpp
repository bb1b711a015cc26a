#pragma once

/// @file drive_time.hpp
/// Drive-time model: great-circle distance × road factor ÷ average speed, in hours.

#include "territory/geo/distance_policy.hpp"
#include "territory/geo/haversine.hpp"

namespace territory {

/// Estimated road travel time in **hours** between two WGS84 (lat, lon) points:
/// `haversine(p, q) · road_factor / speed_kmh`.
///
/// The defaults describe a US road trip mixing interstates and state roads: a circuity
/// (road factor) of 1.2 at an average 100 km/h (≈ 62 mph), i.e. 0.012 h per great-circle km.
/// Des Moines → Chicago (≈ 490 km great circle, ≈ 535 km and 5–5.5 h by road) gives ≈ 5.9 h;
/// a 100 km hop gives 1.2 h. Set the members for another model, e.g.
/// `drive_time{.road_factor = 1.4, .speed_kmh = 60}` for rural two-lane roads.
///
/// Complexity: O(1). Never throws. Models `distance_policy` (symmetric, 0 on the same point).
/// Determinism: a pure function of its arguments.
struct drive_time {
  double road_factor = 1.2;  ///< road distance / great-circle distance, >= 1 in practice
  double speed_kmh = 100.0;  ///< average door-to-door speed
  haversine great_circle{};  ///< sphere used for the great-circle part

  [[nodiscard]] double operator()(const point& p, const point& q) const noexcept {
    return great_circle(p, q) * road_factor / speed_kmh;
  }
};

static_assert(distance_policy<drive_time>);

}  // namespace territory
