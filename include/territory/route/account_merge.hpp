#pragma once

/// @file account_merge.hpp
/// Lifecycle: which owner keeps an account when two accounts are merged. An active deal's
/// owner wins; otherwise the higher total opportunity value wins; a tie keeps the first.

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "territory/core/error.hpp"

namespace territory {

/// One of the two accounts being merged.
struct merge_side {
  std::string_view owner;
  double opportunity_value = 0.0;  ///< total value of its opportunities
  bool active_deal = false;        ///< it has an open opportunity in progress
};

struct merge_decision {
  std::uint8_t keep = 0;   ///< 0: the first account's owner, 1: the second's
  std::string reason;
};

/// Decides the owner of a merged account.
/// Complexity O(1). Throws invalid_input{errc::non_finite}/{errc::negative_value} (field
/// "opportunity_value", index 0 or 1) for a bad value. Deterministic; ties keep the first.
[[nodiscard]] inline merge_decision merge_owner(const merge_side& first, const merge_side& second) {
  const merge_side* s[2] = {&first, &second};
  for (std::size_t i = 0; i < 2; ++i) {
    if (!std::isfinite(s[i]->opportunity_value)) throw invalid_input(errc::non_finite, "opportunity_value", "merge_owner(): opportunity value is not finite", i);
    if (s[i]->opportunity_value < 0) throw invalid_input(errc::negative_value, "opportunity_value", "merge_owner(): opportunity value is negative", i);
  }
  if (first.active_deal != second.active_deal) {
    const std::uint8_t k = first.active_deal ? 0 : 1;
    return {k, "the owner of the active deal ('" + std::string(s[k]->owner) + "') keeps the account"};
  }
  if (second.opportunity_value > first.opportunity_value) {
    return {1, "higher total opportunity value: '" + std::string(second.owner) + "' keeps the account"};
  }
  if (first.opportunity_value > second.opportunity_value) {
    return {0, "higher total opportunity value: '" + std::string(first.owner) + "' keeps the account"};
  }
  return {0, "equal opportunity value: the first account's owner ('" + std::string(first.owner) + "') keeps it"};
}

}  // namespace territory
