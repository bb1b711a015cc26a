#pragma once

/// @file multilevel_mode.hpp
/// `territory::multilevel_mode`: whether `partition()` runs its multilevel driver (coarsen the
/// adjacency graph, first by clusters along a space-filling curve, then by heavy-edge matchings;
/// partition the coarsest graph; refine while uncoarsening).
/// See docs/balance.md, section "Multilevel".

#include <cstdint>

namespace territory {

/// Selects the single-level engine or the multilevel driver of `partition()`.
enum class multilevel_mode : std::uint8_t {
  automatic,  ///< multilevel from 100,000 accounts on (measured there: first feasible plan 3x sooner);
              ///< the single-level engine below, so small instances keep their exact plans
  always,     ///< multilevel whenever the graph can be coarsened (tests, experiments)
  never,      ///< always the single-level engine
};

}  // namespace territory
