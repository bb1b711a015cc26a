#pragma once

/// @file tier.hpp
/// Tiers A/B/C/D from scores, by thresholds or by quantiles, with a named-account override.

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "territory/core/error.hpp"
#include "territory/core/ids.hpp"

namespace territory {

/// Account tier, A best.
enum class tier : std::uint8_t { a, b, c, d };

/// "A", "B", "C" or "D".
[[nodiscard]] constexpr std::string_view to_string(tier t) noexcept {
  switch (t) {
    case tier::a:
      return "A";
    case tier::b:
      return "B";
    case tier::c:
      return "C";
    case tier::d:
      return "D";
  }
  return "?";
}

/// Score thresholds: score >= a → A, >= b → B, >= c → C, else D. Requires a >= b >= c.
struct tier_thresholds {
  double a = 80.0;
  double b = 60.0;
  double c = 40.0;
};

/// Cumulative shares from the top: the best `a` (e.g. 10 %) → A, the next up to `b` → B, up
/// to `c` → C, the rest D. Requires 0 <= a <= b <= c <= 1.
struct tier_quantiles {
  double a = 0.10;
  double b = 0.30;
  double c = 0.60;
};

namespace detail {

inline void check_scores(const Eigen::Ref<const Eigen::VectorXd>& scores, std::span<const account_index> named) {
  for (Eigen::Index i = 0; i < scores.size(); ++i) {
    if (!std::isfinite(scores(i))) {
      throw invalid_input(errc::non_finite, "scores",
                          "assign_tiers(): score of account " + std::to_string(i) + " is not finite",
                          static_cast<std::size_t>(i));
    }
  }
  for (std::size_t i = 0; i < named.size(); ++i) {
    if (named[i] >= static_cast<std::size_t>(scores.size())) {
      throw invalid_input(errc::out_of_range, "named",
                          "assign_tiers(): named account " + std::to_string(named[i]) + " outside [0, " +
                              std::to_string(scores.size()) + ")",
                          i);
    }
  }
}

}  // namespace detail

/// Tiers by score thresholds; named accounts are A whatever their score.
/// Complexity: O(n). Throws: invalid_input{errc::invalid_parameter} (field "thresholds")
/// unless a >= b >= c (all finite); {errc::non_finite} (field "scores", index);
/// {errc::out_of_range} (field "named", index = position).
[[nodiscard]] inline std::vector<tier> assign_tiers(const Eigen::Ref<const Eigen::VectorXd>& scores,
                                                    const tier_thresholds& thresholds,
                                                    std::span<const account_index> named = {}) {
  if (!(std::isfinite(thresholds.a) && std::isfinite(thresholds.c) && thresholds.a >= thresholds.b &&
        thresholds.b >= thresholds.c)) {
    throw invalid_input(errc::invalid_parameter, "thresholds",
                        "assign_tiers(): thresholds must be finite with a >= b >= c");
  }
  detail::check_scores(scores, named);
  std::vector<tier> out(static_cast<std::size_t>(scores.size()));
  for (Eigen::Index i = 0; i < scores.size(); ++i) {
    const double s = scores(i);
    out[static_cast<std::size_t>(i)] = s >= thresholds.a   ? tier::a
                                       : s >= thresholds.b ? tier::b
                                       : s >= thresholds.c ? tier::c
                                                           : tier::d;
  }
  for (auto a : named) out[a] = tier::a;
  return out;
}

/// Tiers by quantiles: accounts ranked by score (descending; ties by index); the first
/// ⌈a·n⌉ are A, up to ⌈b·n⌉ B, up to ⌈c·n⌉ C, the rest D. Accounts whose score equals that
/// of the last account of a tier join that tier (equal scores never get different tiers), so
/// a tier may hold a little more than its share. Named accounts are A.
/// Complexity: O(n log n). Throws: invalid_input{errc::invalid_parameter} (field
/// "quantiles") unless 0 <= a <= b <= c <= 1; as the threshold form otherwise.
[[nodiscard]] inline std::vector<tier> assign_tiers(const Eigen::Ref<const Eigen::VectorXd>& scores,
                                                    const tier_quantiles& quantiles,
                                                    std::span<const account_index> named = {}) {
  if (!(quantiles.a >= 0 && quantiles.a <= quantiles.b && quantiles.b <= quantiles.c && quantiles.c <= 1)) {
    throw invalid_input(errc::invalid_parameter, "quantiles",
                        "assign_tiers(): quantiles must satisfy 0 <= a <= b <= c <= 1");
  }
  detail::check_scores(scores, named);
  const auto n = static_cast<std::size_t>(scores.size());
  std::vector<std::pair<double, std::size_t>> ranked(n);  // (−score, index): descending score, ties by index
  for (std::size_t i = 0; i < n; ++i) ranked[i] = {-scores(static_cast<Eigen::Index>(i)), i};
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = ranked[i].second;
  auto count = [&](double q) {
    return std::min(n, static_cast<std::size_t>(std::ceil(q * static_cast<double>(n) - 1e-9)));
  };
  const std::size_t ends[3] = {count(quantiles.a), count(quantiles.b), count(quantiles.c)};
  std::vector<tier> out(n, tier::d);
  std::size_t r = 0;
  for (int t = 0; t < 3; ++t) {
    const std::size_t end = ends[t];
    const auto tt = static_cast<tier>(t);
    for (; r < end; ++r) out[order[r]] = tt;
    if (r > 0) {
      // ties with the last account of this tier join it
      const double last = scores(static_cast<Eigen::Index>(order[r - 1]));
      for (; r < n && scores(static_cast<Eigen::Index>(order[r])) == last && out[order[r - 1]] == tt; ++r)
        out[order[r]] = tt;
    }
  }
  for (auto a : named) out[a] = tier::a;
  return out;
}

}  // namespace territory
