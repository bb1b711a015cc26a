#pragma once

/// @file activity_event.hpp
/// One row of an activity log: a contact, or an opportunity opening or closing.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "territory/core/ids.hpp"

namespace territory {

/// What happened (activity_log.csv `kind`).
enum class activity_kind : std::uint8_t { contact, opportunity_open, opportunity_won, opportunity_lost };

[[nodiscard]] constexpr std::string_view to_string(activity_kind k) noexcept {
  switch (k) {
    case activity_kind::contact: return "contact";
    case activity_kind::opportunity_open: return "opportunity_open";
    case activity_kind::opportunity_won: return "opportunity_won";
    case activity_kind::opportunity_lost: return "opportunity_lost";
  }
  return "unknown";
}

[[nodiscard]] constexpr std::optional<activity_kind> parse_activity_kind(std::string_view s) noexcept {
  if (s == "contact") return activity_kind::contact;
  if (s == "opportunity_open") return activity_kind::opportunity_open;
  if (s == "opportunity_won") return activity_kind::opportunity_won;
  if (s == "opportunity_lost") return activity_kind::opportunity_lost;
  return std::nullopt;
}

/// One event. `opportunity` ties an open row to its close (views must outlive the call);
/// `amount` is the opportunity value (0 for contacts).
struct activity_event {
  account_index account = 0;
  std::chrono::sys_days date{};
  activity_kind kind = activity_kind::contact;
  std::string_view opportunity{};
  double amount = 0.0;
};

}  // namespace territory
