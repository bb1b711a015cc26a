#pragma once

/// @file normalizer.hpp
/// How a raw criterion column is brought to the 0–100 scale before weighting.

#include <cstdint>
#include <string_view>

namespace territory {

/// Per-criterion normaliser. Every mode maps onto 0–100; a constant column maps to 50
/// (it says nothing about the accounts, so it shifts every score alike).
enum class normalizer : std::uint8_t {
  min_max,          ///< 100·(v − min)/(max − min)
  percentile_rank,  ///< 100·(\#less + (\#equal − 1)/2)/(n − 1): mid-rank, robust to outliers
  z_score,          ///< z = (v − mean)/sd (population sd), clipped to ±z_clip, then 50 + 50·z/z_clip
  identity,         ///< values already on 0–100 (checked)
};

[[nodiscard]] constexpr std::string_view to_string(normalizer n) noexcept {
  switch (n) {
    case normalizer::min_max:
      return "min_max";
    case normalizer::percentile_rank:
      return "percentile_rank";
    case normalizer::z_score:
      return "z_score";
    case normalizer::identity:
      return "identity";
  }
  return "unknown";
}

}  // namespace territory
