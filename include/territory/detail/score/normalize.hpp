#pragma once

// Column normalisers of score_accounts(), on finite values (missing values are handled
// before). Each maps onto 0–100; a constant column maps to 50.

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "territory/core/error.hpp"
#include "territory/score/normalizer.hpp"

namespace territory::detail {

/// Normalises `col` in place; `valid[i] == false` entries are skipped (left untouched) and
/// excluded from the statistics. An empty `valid` means every entry is valid.
inline void normalize_column(Eigen::Ref<Eigen::VectorXd> col, normalizer how, double z_clip,
                             const std::vector<char>& valid, const std::string& field,
                             const std::vector<std::string>* ids) {
  const auto n = static_cast<std::size_t>(col.size());
  const bool all_valid = std::all_of(valid.begin(), valid.end(), [](char v) { return v != 0; });
  auto ok = [&](std::size_t i) { return valid.empty() || valid[i] != 0; };
  switch (how) {
    case normalizer::identity: {
      for (std::size_t i = 0; i < n; ++i) {
        const double v = col(static_cast<Eigen::Index>(i));
        if (ok(i) && (v < 0 || v > 100)) {
          throw invalid_input(errc::out_of_range, field,
                              "score_accounts(): " + field + " of account " +
                                  (ids ? "'" + (*ids)[i] + "'" : std::to_string(i)) + " is " + std::to_string(v) +
                                  ", expected 0-100 (normalizer::identity)",
                              i, ids ? (*ids)[i] : std::string());
        }
      }
      return;
    }
    case normalizer::min_max: {
      double lo = std::numeric_limits<double>::infinity(), hi = -lo;
      if (all_valid) {
        lo = col.minCoeff();
        hi = col.maxCoeff();
      } else {
        for (std::size_t i = 0; i < n; ++i) {
          if (!ok(i)) continue;
          lo = std::min(lo, col(static_cast<Eigen::Index>(i)));
          hi = std::max(hi, col(static_cast<Eigen::Index>(i)));
        }
      }
      if (!(hi > lo)) {
        for (std::size_t i = 0; i < n; ++i)
          if (ok(i)) col(static_cast<Eigen::Index>(i)) = 50.0;
        return;
      }
      const double f = 100.0 / (hi - lo);
      if (all_valid) {
        col = (col.array() - lo) * f;
      } else {
        for (std::size_t i = 0; i < n; ++i)
          if (ok(i)) col(static_cast<Eigen::Index>(i)) = (col(static_cast<Eigen::Index>(i)) - lo) * f;
      }
      return;
    }
    case normalizer::z_score: {
      double sum = 0, sq = 0;
      std::size_t m = 0;
      for (std::size_t i = 0; i < n; ++i) {
        if (!ok(i)) continue;
        sum += col(static_cast<Eigen::Index>(i));
        ++m;
      }
      const double mean = m ? sum / static_cast<double>(m) : 0.0;
      for (std::size_t i = 0; i < n; ++i) {
        if (!ok(i)) continue;
        const double d = col(static_cast<Eigen::Index>(i)) - mean;
        sq += d * d;
      }
      const double sd = m ? std::sqrt(sq / static_cast<double>(m)) : 0.0;
      for (std::size_t i = 0; i < n; ++i) {
        if (!ok(i)) continue;
        double z = sd > 0 ? (col(static_cast<Eigen::Index>(i)) - mean) / sd : 0.0;
        z = std::clamp(z, -z_clip, z_clip);
        col(static_cast<Eigen::Index>(i)) = 50.0 + 50.0 * z / z_clip;
      }
      return;
    }
    case normalizer::percentile_rank: {
      std::vector<std::pair<double, std::size_t>> idx;
      idx.reserve(n);
      for (std::size_t i = 0; i < n; ++i)
        if (ok(i)) idx.emplace_back(col(static_cast<Eigen::Index>(i)), i);
      std::sort(idx.begin(), idx.end());
      const std::size_t m = idx.size();
      for (std::size_t s = 0; s < m;) {
        std::size_t e = s;
        while (e < m && idx[e].first == idx[s].first) ++e;
        const double mid = static_cast<double>(s) + static_cast<double>(e - s - 1) / 2.0;
        const double pr = m > 1 ? 100.0 * mid / static_cast<double>(m - 1) : 50.0;
        for (std::size_t t = s; t < e; ++t) col(static_cast<Eigen::Index>(idx[t].second)) = pr;
        s = e;
      }
      return;
    }
  }
}

/// Median of `v` (sorted copy; mean of the two middle values for even sizes).
inline double median(std::vector<double> v) {
  const std::size_t m = v.size();
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(m / 2), v.end());
  const double hi = v[m / 2];
  if (m % 2 == 1) return hi;
  return (*std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(m / 2)) + hi) / 2.0;
}

}  // namespace territory::detail
