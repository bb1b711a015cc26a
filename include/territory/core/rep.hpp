#pragma once

/// @file rep.hpp
/// Sales reps (territory owners): home base, capacity, team, start date, status, skills.

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace territory {

/// Whether a rep still takes accounts.
enum class rep_status : std::uint8_t { active, departed };

[[nodiscard]] constexpr std::string_view to_string(rep_status s) noexcept {
  return s == rep_status::active ? "active" : "departed";
}

/// One rep. `capacity` 1.0 is a full load; 0.5 a rep at 50 % ramp.
struct rep {
  std::string id;
  std::optional<std::array<double, 2>> home;  ///< same coordinate system as the accounts
  double capacity = 1.0;
  std::string team;
  std::optional<std::chrono::year_month_day> start_date;
  rep_status status = rep_status::active;
  std::vector<std::string> skills;  ///< e.g. languages or industries this rep can serve
  friend bool operator==(const rep&, const rep&) = default;
};

}  // namespace territory
