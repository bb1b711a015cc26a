#pragma once

/// @file snap_to_accounts.hpp
/// `territory::snap_to_accounts`: the distinct accounts nearest to given locations (e.g. rep
/// homes), to seed region growing or anchor territories.

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "territory/core/error.hpp"
#include "territory/core/ids.hpp"
#include "territory/geo/distance_policy.hpp"
#include "territory/geo/spatial_index.hpp"

namespace territory {

/// For each location in order, the nearest account not already taken by an earlier location
/// (ties: smaller index). Locations are in the index's coordinate system.
/// @return one distinct account per location.
/// Complexity: O(h·(log n + h)) expected for h locations.
/// Throws: invalid_input{errc::out_of_range} (field "locations") if there are more locations
///         than accounts; invalid_input{errc::non_finite} (field "query") for a bad location.
/// Determinism: a pure function of its input.
[[nodiscard]] inline std::vector<account_index> snap_to_accounts(const spatial_index& index,
                                                                 std::span<const point> locations) {
  if (locations.size() > index.size()) {
    throw invalid_input(errc::out_of_range, "locations",
                        "snap_to_accounts(): " + std::to_string(locations.size()) + " locations for " +
                            std::to_string(index.size()) + " accounts, expected at most one per account");
  }
  std::vector<account_index> out;
  out.reserve(locations.size());
  std::vector<neighbor> nb;
  for (const auto& q : locations) {
    index.nearest_into(q, 1, nb, [&](account_index a) {
      for (auto t : out) {
        if (t == a) return false;
      }
      return true;
    });
    out.push_back(nb.front().index);
  }
  return out;
}

}  // namespace territory
