#pragma once

// Internals of kmeans() and balanced_kmeans(): validation, k-means++ seeding and
// Hamerly's accelerated Lloyd iteration on weighted points.

#include <Eigen/Core>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <stop_token>
#include <string>
#include <vector>

#include "territory/core/error.hpp"
#include "territory/core/ids.hpp"
#include "territory/core/progress.hpp"
#include "territory/core/random.hpp"
#include "territory/core/status.hpp"

namespace territory::detail {

/// Points copied into a contiguous row-per-point buffer (n × d).
struct point_set {
  std::size_t n = 0, d = 0;
  std::vector<double> x;  // x[i*d + c]
  std::vector<double> w;  // weights
  const double* row(std::size_t i) const noexcept { return x.data() + i * d; }
};

inline void check_weights(std::span<const double> weights, std::size_t n, const char* who, const char* field) {
  if (weights.empty()) return;
  if (weights.size() != n) {
    throw invalid_input(errc::size_mismatch, field,
                        std::string(who) + ": " + field + " has " + std::to_string(weights.size()) +
                            " values, expected " + std::to_string(n) + " (one per point)");
  }
  double total = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(weights[i])) {
      throw invalid_input(errc::non_finite, field,
                          std::string(who) + ": " + field + " of point " + std::to_string(i) + " is not finite", i);
    }
    if (weights[i] < 0) {
      throw invalid_input(errc::negative_value, field,
                          std::string(who) + ": " + field + " of point " + std::to_string(i) + " is negative", i);
    }
    total += weights[i];
  }
  if (!(total > 0)) {
    throw invalid_input(errc::invalid_parameter, field,
                        std::string(who) + ": " + field + " sum to 0, expected a positive total");
  }
}

inline point_set make_point_set(const Eigen::Ref<const Eigen::MatrixXd>& points, std::span<const double> weights,
                                std::size_t k, const char* who, const char* weight_field = "weights") {
  const auto n = static_cast<std::size_t>(points.rows());
  if (n > max_accounts) {
    throw invalid_input(errc::out_of_range, "points",
                        std::string(who) + ": more points than account_index can address");
  }
  if (points.cols() < 1) {
    throw invalid_input(errc::size_mismatch, "points",
                        std::string(who) + ": points has no column, expected n×d with d >= 1");
  }
  if (k < 1 || k > n) {
    throw invalid_input(errc::out_of_range, "k",
                        std::string(who) + ": k = " + std::to_string(k) +
                            ", expected between 1 and the number of points (" + std::to_string(n) + ")");
  }
  if (k > std::numeric_limits<std::uint32_t>::max() - 1) {
    throw invalid_input(errc::out_of_range, "k", std::string(who) + ": k too large");
  }
  check_weights(weights, n, who, weight_field);
  point_set ps;
  ps.n = n;
  ps.d = static_cast<std::size_t>(points.cols());
  ps.x.resize(n * ps.d);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t c = 0; c < ps.d; ++c) {
      const double v = points(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c));
      if (!std::isfinite(v)) {
        throw invalid_input(errc::non_finite, "points",
                            std::string(who) + ": point " + std::to_string(i) + " has a coordinate that is not finite",
                            i);
      }
      ps.x[i * ps.d + c] = v;
    }
  }
  ps.w.assign(weights.begin(), weights.end());
  if (ps.w.empty()) ps.w.assign(n, 1.0);
  return ps;
}

inline double sqdist(const double* a, const double* b, std::size_t d) noexcept {
  double s = 0.0;
  for (std::size_t c = 0; c < d; ++c) {
    const double t = a[c] - b[c];
    s += t * t;
  }
  return s;
}

/// k-means++ seeding (D² sampling weighted by the point weights). Returns k × d centers.
inline std::vector<double> kmeanspp(const point_set& ps, std::size_t k, rng& r) {
  const std::size_t n = ps.n, d = ps.d;
  std::vector<double> c(k * d);
  std::vector<double> best(n, std::numeric_limits<double>::infinity());
  std::vector<char> chosen(n, 0);
  auto pick = [&](std::size_t j, std::size_t i) {
    chosen[i] = 1;
    std::copy(ps.row(i), ps.row(i) + d, c.begin() + static_cast<std::ptrdiff_t>(j * d));
    for (std::size_t q = 0; q < n; ++q) best[q] = std::min(best[q], sqdist(ps.row(q), ps.row(i), d));
  };
  auto sample = [&](auto score) -> std::size_t {
    double total = 0.0;
    for (std::size_t i = 0; i < n; ++i) total += score(i);
    if (total > 0) {
      const double u = r.uniform01() * total;
      double acc = 0.0;
      std::size_t last = n;
      for (std::size_t i = 0; i < n; ++i) {
        const double s = score(i);
        if (s <= 0) continue;
        last = i;
        acc += s;
        if (u < acc) return i;
      }
      if (last < n) return last;
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (!chosen[i]) return i;  // all remaining points coincide with centers: smallest index
    }
    return 0;
  };
  pick(0, sample([&](std::size_t i) { return ps.w[i]; }));
  for (std::size_t j = 1; j < k; ++j) {
    pick(j, sample([&](std::size_t i) { return chosen[i] ? 0.0 : ps.w[i] * best[i]; }));
  }
  return c;
}

struct lloyd_state {
  std::vector<double> centers;       // k × d
  std::vector<std::uint32_t> label;  // n
  double objective = 0.0;
  status why = status::converged;
  std::uint64_t iterations = 0;
  std::vector<double> trace;
};

/// Weighted objective Σ w ‖x − c(label)‖².
inline double objective(const point_set& ps, const std::vector<double>& centers,
                        const std::vector<std::uint32_t>& label) {
  double s = 0.0;
  for (std::size_t i = 0; i < ps.n; ++i) s += ps.w[i] * sqdist(ps.row(i), centers.data() + label[i] * ps.d, ps.d);
  return s;
}

/// Recomputes centers as weighted means; clusters without weight keep their plain mean, and
/// clusters without points take the point of largest w·dist² from a cluster of >= 2 points.
/// Returns true if an empty cluster was refilled (labels changed).
inline bool update_centers(const point_set& ps, std::size_t k, std::vector<double>& centers,
                           std::vector<std::uint32_t>& label) {
  const std::size_t d = ps.d;
  bool refilled = false;
  for (int pass = 0; pass < 2; ++pass) {
    std::vector<double> sum(k * d, 0.0), plain(k * d, 0.0), wsum(k, 0.0);
    std::vector<std::size_t> cnt(k, 0);
    for (std::size_t i = 0; i < ps.n; ++i) {
      const auto j = label[i];
      for (std::size_t c = 0; c < d; ++c) {
        sum[j * d + c] += ps.w[i] * ps.row(i)[c];
        plain[j * d + c] += ps.row(i)[c];
      }
      wsum[j] += ps.w[i];
      ++cnt[j];
    }
    bool empty = false;
    for (std::size_t j = 0; j < k; ++j) {
      if (cnt[j] == 0) {
        empty = true;
        continue;
      }
      for (std::size_t c = 0; c < d; ++c) {
        centers[j * d + c] = wsum[j] > 0 ? sum[j * d + c] / wsum[j] : plain[j * d + c] / static_cast<double>(cnt[j]);
      }
    }
    if (!empty || pass == 1) return refilled;
    for (std::size_t j = 0; j < k; ++j) {
      if (cnt[j] != 0) continue;
      std::size_t far = ps.n;
      double far_cost = -1.0;
      for (std::size_t i = 0; i < ps.n; ++i) {
        if (cnt[label[i]] < 2) continue;
        const double cost = ps.w[i] * sqdist(ps.row(i), centers.data() + label[i] * d, d);
        if (cost > far_cost) {
          far_cost = cost;
          far = i;
        }
      }
      if (far == ps.n) continue;
      --cnt[label[far]];
      label[far] = static_cast<std::uint32_t>(j);
      cnt[j] = 1;
      refilled = true;
    }
  }
  return refilled;
}

/// Hamerly's algorithm from the given centers. Objective trace: one entry after each
/// center update (non-increasing).
inline lloyd_state hamerly(const point_set& ps, std::size_t k, std::vector<double> centers, std::size_t max_iterations,
                           const progress_callback& callback, const std::stop_token& stop, std::string_view phase) {
  const std::size_t n = ps.n, d = ps.d;
  const auto t0 = std::chrono::steady_clock::now();
  lloyd_state st;
  st.label.assign(n, 0);
  std::vector<double> upper(n), lower(n), s(k), moved(k);
  auto full = [&](std::size_t i) {
    double d1 = std::numeric_limits<double>::infinity(), d2 = d1;
    std::uint32_t b = 0;
    for (std::size_t j = 0; j < k; ++j) {
      const double v = sqdist(ps.row(i), centers.data() + j * d, d);
      if (v < d1) {
        d2 = d1;
        d1 = v;
        b = static_cast<std::uint32_t>(j);
      } else if (v < d2) {
        d2 = v;
      }
    }
    const bool changed = st.label[i] != b;
    st.label[i] = b;
    upper[i] = std::sqrt(d1);
    lower[i] = k > 1 ? std::sqrt(d2) : std::numeric_limits<double>::infinity();
    return changed;
  };
  for (std::size_t i = 0; i < n; ++i) (void)full(i);
  std::vector<double> old(centers.size());
  st.why = status::iteration_limit;
  for (std::size_t it = 0; it < max_iterations; ++it) {
    // update step
    old = centers;
    const bool refilled = update_centers(ps, k, centers, st.label);
    st.objective = objective(ps, centers, st.label);
    st.trace.push_back(st.objective);
    ++st.iterations;
    double pmax = 0.0, pmax2 = 0.0;
    std::size_t jmax = 0;
    for (std::size_t j = 0; j < k; ++j) {
      moved[j] = std::sqrt(sqdist(old.data() + j * d, centers.data() + j * d, d));
      if (moved[j] > pmax) {
        pmax2 = pmax;
        pmax = moved[j];
        jmax = j;
      } else if (moved[j] > pmax2) {
        pmax2 = moved[j];
      }
    }
    for (std::size_t i = 0; i < n; ++i) {
      upper[i] += moved[st.label[i]];
      lower[i] -= st.label[i] == jmax ? pmax2 : pmax;
    }
    if (refilled) std::fill(lower.begin(), lower.end(), 0.0);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (should_stop(callback, stop, progress{phase, st.iterations, secs, st.objective, 0})) {
      st.why = status::cancelled;
      break;
    }
    // assignment step
    for (std::size_t j = 0; j < k; ++j) {
      double m = std::numeric_limits<double>::infinity();
      for (std::size_t q = 0; q < k; ++q) {
        if (q != j) m = std::min(m, sqdist(centers.data() + j * d, centers.data() + q * d, d));
      }
      s[j] = 0.5 * std::sqrt(m);
    }
    std::size_t changed = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double m = std::max(s[st.label[i]], lower[i]);
      if (upper[i] <= m) continue;
      upper[i] = std::sqrt(sqdist(ps.row(i), centers.data() + st.label[i] * d, d));
      if (upper[i] <= m) continue;
      if (full(i)) ++changed;
    }
    if (changed == 0 && !refilled) {
      st.why = status::converged;
      break;
    }
  }
  if (st.why != status::converged || st.trace.empty()) {
    // labels may have changed after the last center update: make centers consistent
    (void)update_centers(ps, k, centers, st.label);
    st.objective = objective(ps, centers, st.label);
    if (st.trace.empty() || st.objective < st.trace.back()) st.trace.push_back(st.objective);
  }
  st.centers = std::move(centers);
  return st;
}

}  // namespace territory::detail
