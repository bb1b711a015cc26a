#pragma once

/// @file euclidean.hpp
/// Planar Euclidean distance, in the unit of the coordinates (km by convention).

#include <cmath>

#include "territory/geo/distance_policy.hpp"

namespace territory {

/// Planar straight-line distance. O(1). Models `distance_policy`.
struct euclidean {
  [[nodiscard]] double operator()(const point& p, const point& q) const noexcept {
    return std::hypot(p[0] - q[0], p[1] - q[1]);
  }
};

static_assert(distance_policy<euclidean>);

}  // namespace territory
