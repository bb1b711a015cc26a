#pragma once

/// @file neighbor.hpp
/// `territory::neighbor`: an account found by a spatial query, with its distance.

#include "territory/core/ids.hpp"

namespace territory {

/// An account found by a spatial query and its distance from the query point
/// (km for planar km and WGS84 data).
struct neighbor {
  account_index index = 0;
  double distance = 0.0;
  friend bool operator==(const neighbor&, const neighbor&) = default;
};

}  // namespace territory
