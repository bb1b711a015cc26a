#pragma once

/// @file drift.hpp
/// The one home of the drift rule: how far a territory's (or rep's) load is from the mean of its group,
/// and when that is an alert. `monitor()` (plan/monitor.hpp) and the routing-level
/// `rebalance_check()` (route/rebalance_check.hpp) both judge deviations with these functions, so the two
/// agree on what "more than 25 % off" means. Depends on `core/` only (so `route/` may use it).
///
/// The rule: deviation d = (value − mean) / mean (0 when the mean is 0); an alert when |d| > threshold,
/// strictly. A load exactly at the threshold is no alert (the same closed band as a plan's tolerance:
/// a territory at (1 + T)·mean meets the band), just over it is one.
///
/// Example:
/// @code
/// const std::vector<double> sums{100, 100, 126, 74};
/// const auto d = territory::drift_from_mean(sums, {}, 0.25);  // d[2].alert and d[3].alert; 25 % would not be
/// @endcode

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "territory/core/error.hpp"

namespace territory {

/// One load compared with the mean of its group.
struct load_drift {
  double value = 0.0;      ///< the load (a territory's sum of a column, a rep's account count, ...)
  double mean = 0.0;       ///< mean load of its group
  double deviation = 0.0;  ///< value / mean − 1, signed (0 when the mean is 0)
  bool alert = false;      ///< |deviation| > threshold
};

/// (value − mean) / mean, i.e. value / mean − 1; 0 when mean <= 0 (nothing to deviate from).
/// Computed as a difference first: for value within a factor 2 of mean the difference is exact, so
/// the deviation is the correctly rounded quotient and 110 against a mean of 100 gives exactly the
/// double 0.1 (value / mean − 1 gives 0.10000000000000009, an alert at a threshold of 0.1).
/// Never throws.
[[nodiscard]] constexpr double relative_deviation(double value, double mean) noexcept {
  return mean > 0.0 ? (value - mean) / mean : 0.0;
}

/// The alert rule: |deviation| > threshold, strictly (at the threshold: no alert). Never throws.
[[nodiscard]] inline bool beyond_threshold(double deviation, double threshold) noexcept {
  return std::abs(deviation) > threshold;
}

/// How far beyond the threshold: max(0, |deviation| − threshold). Never throws.
[[nodiscard]] inline double excess_beyond(double deviation, double threshold) noexcept {
  const double e = std::abs(deviation) - threshold;
  return e > 0.0 ? e : 0.0;
}

/// The mean load of each group: `means[g]` = mean of the values whose `group_of` is g (empty
/// `group_of` = one group). Groups without a member get mean 0.
/// Complexity O(k). Throws invalid_input{errc::size_mismatch} (field "group_of") when group_of is
/// neither empty nor of the size of `values`.
[[nodiscard]] inline std::vector<double> group_means(std::span<const double> values,
                                                     std::span<const std::uint32_t> group_of = {}) {
  if (!group_of.empty() && group_of.size() != values.size()) {
    throw invalid_input(errc::size_mismatch, "group_of",
                        "drift: group_of has " + std::to_string(group_of.size()) + " entries, expected " +
                            std::to_string(values.size()) + " (one per load) or none");
  }
  std::uint32_t groups = values.empty() ? 0U : 1U;
  for (const auto g : group_of) groups = std::max(groups, g + 1);
  std::vector<double> sum(groups, 0.0), members(groups, 0.0);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::uint32_t g = group_of.empty() ? 0U : group_of[i];
    sum[g] += values[i];
    members[g] += 1.0;
  }
  for (std::uint32_t g = 0; g < groups; ++g) {
    if (members[g] > 0) sum[g] /= members[g];
  }
  return sum;
}

/// Every load against the mean of its group (`group_means`) with the alert rule above.
/// Complexity O(k). Throws invalid_input{errc::size_mismatch} (field "group_of") as `group_means`;
/// invalid_input{errc::invalid_parameter} (field "threshold") for a threshold that is NaN or < 0.
[[nodiscard]] inline std::vector<load_drift> drift_from_mean(std::span<const double> values,
                                                            std::span<const std::uint32_t> group_of, double threshold) {
  if (!(threshold >= 0.0)) {
    throw invalid_input(errc::invalid_parameter, "threshold", "drift: the threshold must be >= 0");
  }
  const auto means = group_means(values, group_of);
  std::vector<load_drift> out(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    auto& d = out[i];
    d.value = values[i];
    d.mean = means[group_of.empty() ? 0U : group_of[i]];
    d.deviation = relative_deviation(d.value, d.mean);
    d.alert = beyond_threshold(d.deviation, threshold);
  }
  return out;
}

/// Each load against its own target instead of the plain mean: target_i = share_i / mean(share) ×
/// the mean of all values (e.g. shares = the reps' capacities: a rep at 0.5 is on target with half
/// the mean). `load_drift::mean` then holds that target. Empty `shares` = drift_from_mean(values, {},
/// threshold). Complexity O(k). Throws invalid_input{errc::invalid_parameter} (field "threshold")
/// as drift_from_mean, {errc::size_mismatch} (field "shares") when shares is neither empty nor one
/// per value, {errc::invalid_parameter} (field "shares", index) for a share that is not finite and > 0.
[[nodiscard]] inline std::vector<load_drift> drift_from_targets(std::span<const double> values,
                                                               std::span<const double> shares, double threshold) {
  if (shares.empty()) return drift_from_mean(values, {}, threshold);
  if (shares.size() != values.size()) {
    throw invalid_input(errc::size_mismatch, "shares",
                        "drift: shares has " + std::to_string(shares.size()) + " entries, expected " +
                            std::to_string(values.size()) + " (one per load) or none");
  }
  double total = 0.0;
  for (std::size_t i = 0; i < shares.size(); ++i) {
    if (!std::isfinite(shares[i]) || !(shares[i] > 0.0)) {
      throw invalid_input(errc::invalid_parameter, "shares",
                          "drift: share " + std::to_string(i) + " must be a finite value > 0", i);
    }
    total += shares[i];
  }
  auto out = drift_from_mean(values, {}, threshold);
  const double mean_share = total / static_cast<double>(shares.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    auto& d = out[i];
    d.mean = d.mean * (shares[i] / mean_share);
    d.deviation = relative_deviation(d.value, d.mean);
    d.alert = beyond_threshold(d.deviation, threshold);
  }
  return out;
}

}  // namespace territory
