#pragma once

/// @file distribution.hpp
/// How a team rule spreads accounts over the team's members.

#include <cstdint>
#include <optional>
#include <string_view>

namespace territory {

/// Distribution of accounts inside a team (every policy skips departed reps and reps whose
/// ramp share is 0; ties go to the member listed first in the reps).
enum class distribution : std::uint8_t {
  round_robin,        ///< members in turn, in reps order
  least_loaded,       ///< the member with the least load per unit of capacity (see `load_measure`)
  capacity_weighted,  ///< smooth weighted round-robin: a rep at capacity × ramp share s gets share s
};

/// What "load" means for `distribution::least_loaded`.
enum class load_measure : std::uint8_t {
  accounts,  ///< number of accounts routed (plus initial load)
  workload,  ///< sum of the workload scores of the accounts routed (plus initial load)
};

[[nodiscard]] constexpr std::string_view to_string(distribution d) noexcept {
  switch (d) {
    case distribution::round_robin: return "round_robin";
    case distribution::least_loaded: return "least_loaded";
    case distribution::capacity_weighted: return "capacity_weighted";
  }
  return "unknown";
}

[[nodiscard]] constexpr std::optional<distribution> parse_distribution(std::string_view s) noexcept {
  if (s == "round_robin") return distribution::round_robin;
  if (s == "least_loaded") return distribution::least_loaded;
  if (s == "capacity_weighted") return distribution::capacity_weighted;
  return std::nullopt;
}

}  // namespace territory
