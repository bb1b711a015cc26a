#pragma once

/// @file distance_policy.hpp
/// The `distance_policy` concept: how far apart two points are.
///
/// A distance policy is a small copyable object `d` with
/// @code
///   double x = d(p, q);   // p, q: std::array<double, 2> in the policy's coordinate system
/// @endcode
/// Semantic rules the compiler cannot check: the result is finite and >= 0, `d(p, p) == 0`,
/// and `d(p, q) == d(q, p)` (symmetric). The unit is the policy's own (km for `euclidean`
/// on planar km and for `haversine`; hours for drive-time models). Expected cost: O(1), a
/// few nanoseconds to ~50 ns per call; algorithms call it O(n·k) to O(n²) times.
///
/// Shipped models: `euclidean` (planar), `haversine` (WGS84 great circle), `drive_time`
/// (hours: great circle × road factor ÷ speed), `travel_matrix` (user-supplied times between
/// accounts, points built with `travel_matrix::index_points`).
///
/// Example model:
/// @code
/// struct manhattan {
///   double operator()(const std::array<double, 2>& p, const std::array<double, 2>& q) const noexcept {
///     return std::abs(p[0] - q[0]) + std::abs(p[1] - q[1]);
///   }
/// };
/// static_assert(territory::distance_policy<manhattan>);
/// @endcode

#include <array>
#include <concepts>

namespace territory {

/// A point: (x, y) in km for planar data, (lat, lon) in degrees for WGS84 data.
using point = std::array<double, 2>;

/// See the file comment.
template <class D>
concept distance_policy = std::copy_constructible<D> && requires(const D& d, const point& p, const point& q) {
  { d(p, q) } -> std::convertible_to<double>;
};

}  // namespace territory
