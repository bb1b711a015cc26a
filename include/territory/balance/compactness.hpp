#pragma once

/// @file compactness.hpp
/// `territory::compactness`: which compactness measure `partition()` minimises once a plan meets
/// every hard constraint (`partition_options::compactness`).

#include <cstdint>
#include <optional>
#include <string_view>

namespace territory {

/// The compactness measure `partition()` minimises after balance and contiguity hold. Both are
/// evaluated under the call's `Distance` policy and both are reported in every `partition_result`
/// (`max_diameter`, `sum_center_distance`); this choice says which one the search optimises and
/// which one decides between starts.
///
/// - `max_diameter` (default): minimise the largest territory diameter (the largest distance between
///   two accounts of one territory): "no rep drives more than X between two of their accounts".
///   Gliesch, Ritt & Moreira 2018; the measure of the commdis and aly2024 instances.
/// - `center_distance`: minimise the sum over accounts of the distance to their territory's centre
///   (the centroid of its accounts' coordinates): "total travel from a central office", the
///   p-median-like measure of Ríos-Mercado & Fernández 2009. Rounder, tighter territories on
///   average; the widest territory may be wider than under `max_diameter`.
///
/// An enum rather than a policy type: a measure must be evaluated incrementally inside the search
/// (per move, in O(1) or O(hull)), which a user-written callable cannot offer cheaply.
enum class compactness : std::uint8_t {
  max_diameter,     ///< minimise max over territories of the territory diameter
  center_distance,  ///< minimise the sum over accounts of the distance to their territory centroid
};

/// "max_diameter" / "center_distance".
[[nodiscard]] constexpr std::string_view to_string(compactness c) noexcept {
  switch (c) {
    case compactness::max_diameter: return "max_diameter";
    case compactness::center_distance: return "center_distance";
  }
  return "unknown";
}

/// Parses the names of `to_string`; std::nullopt for anything else. Complexity O(1). Throws nothing.
[[nodiscard]] constexpr std::optional<compactness> compactness_from_string(std::string_view s) noexcept {
  if (s == "max_diameter") return compactness::max_diameter;
  if (s == "center_distance") return compactness::center_distance;
  return std::nullopt;
}

}  // namespace territory
