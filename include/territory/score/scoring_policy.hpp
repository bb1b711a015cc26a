#pragma once

/// @file scoring_policy.hpp
/// `territory::scoring_policy`: the criteria of a weighted composite score, their
/// normalisers and weights, and the policy for missing values.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "territory/score/normalizer.hpp"

namespace territory {

/// One criterion: a column (by name for account tables, by position for matrices), its
/// weight in the composite and its normaliser.
struct criterion {
  std::string name;
  double weight = 0.0;
  normalizer norm = normalizer::min_max;
};

/// What to do with a missing (NaN) criterion value. There is no silent default.
enum class missing_policy : std::uint8_t {
  reject,                 ///< throw invalid_input naming the account and the criterion
  impute_segment_median,  ///< the median of the criterion over the account's segment
  zero,                   ///< the criterion contributes 0 (normalised) to the composite
};

[[nodiscard]] constexpr std::string_view to_string(missing_policy m) noexcept {
  switch (m) {
    case missing_policy::reject:
      return "reject";
    case missing_policy::impute_segment_median:
      return "impute_segment_median";
    case missing_policy::zero:
      return "zero";
  }
  return "unknown";
}

/// A weighted composite score: Σₖ weightₖ · normₖ(criterionₖ), on 0–100.
///
/// Weights must be finite, >= 0, one per criterion, and sum to 1 within 1e-9 (checked by
/// `score_accounts`). Named accounts get at least `named_floor` on the criterion called
/// `strategic_criterion` (after normalisation). The default-constructed policy is the
/// common sales-ops one: revenue potential 40 %, strategic value 25 %, complexity 20 %,
/// growth 15 %, each min–max normalised, missing values rejected.
struct scoring_policy {
  std::vector<criterion> criteria{{"revenue_potential", 0.40, normalizer::min_max},
                                  {"strategic_value", 0.25, normalizer::min_max},
                                  {"complexity", 0.20, normalizer::min_max},
                                  {"growth", 0.15, normalizer::min_max}};
  missing_policy missing = missing_policy::reject;
  std::string segment_attribute = "segment";            ///< attribute column of segments (account tables)
  double z_clip = 3.0;                                  ///< clip of `normalizer::z_score`, > 0
  std::string strategic_criterion = "strategic_value";  ///< criterion raised for named accounts
  double named_floor = 90.0;                            ///< minimum normalised strategic value of a named account
};

}  // namespace territory
