#pragma once

/// @file travel_matrix.hpp
/// A user-supplied travel-time (or distance) matrix between accounts, dense or sparse,
/// usable wherever a `distance_policy` is expected.

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "territory/core/error.hpp"
#include "territory/core/ids.hpp"
#include "territory/geo/distance_policy.hpp"

namespace territory {

/// One known travel time of a sparse matrix: from account `from` to account `to`.
struct travel_entry {
  account_index from = 0;
  account_index to = 0;
  double value = 0.0;
};

/// Travel times between accounts, from a dense n×n matrix or a sparse list of pairs.
///
/// As a `distance_policy`, a point's first coordinate is the account index: build the
/// coordinate matrix with `travel_matrix::index_points(n)` (account a at (a, 0)) and pass
/// it to any algorithm together with the matrix. `at(a, b)` looks a pair up directly.
///
/// The diagonal is always 0. A sparse matrix built with `symmetric = true` (the default)
/// answers (b, a) from an entry (a, b). Copies share the data (cheap to pass by value).
///
/// Complexity: dense O(1) per lookup, sparse O(log s) for s entries.
/// Throws (lookups): invalid_input{errc::unknown_id} (field "travel_matrix") on a missing
/// pair, naming both accounts; invalid_input{errc::out_of_range} for an index >= size().
/// Determinism: pure lookups.
class travel_matrix {
 public:
  travel_matrix() = default;

  /// Dense matrix; `times(a, b)` is the time from a to b.
  /// Complexity: O(n²) validation.
  /// Throws: invalid_input{errc::size_mismatch} (field "times") if not square;
  ///         invalid_input{errc::non_finite} / {errc::negative_value} (field "times",
  ///         index = row) for a bad entry.
  [[nodiscard]] static travel_matrix dense(Eigen::MatrixXd times) {
    if (times.rows() != times.cols()) {
      throw invalid_input(errc::size_mismatch, "times",
                          "travel_matrix::dense(): times is " + std::to_string(times.rows()) + "x" +
                              std::to_string(times.cols()) + ", expected a square matrix");
    }
    for (Eigen::Index j = 0; j < times.cols(); ++j) {
      for (Eigen::Index i = 0; i < times.rows(); ++i) {
        check_value(times(i, j), "times", static_cast<std::size_t>(i), static_cast<std::size_t>(j));
      }
    }
    travel_matrix m;
    auto d = std::make_shared<data>();
    d->n = static_cast<std::size_t>(times.rows());
    d->dense = std::move(times);
    d->is_dense = true;
    m.data_ = std::move(d);
    return m;
  }

  /// Sparse matrix over n accounts from known pairs; later duplicates of a pair are rejected.
  /// Complexity: O(s log s).
  /// Throws: invalid_input{errc::out_of_range} (field "entries", index = entry) for an
  ///         account >= n; {errc::non_finite}/{errc::negative_value} for a bad value;
  ///         {errc::duplicate_id} if a pair (or, when symmetric, its reverse) appears twice
  ///         with different values.
  [[nodiscard]] static travel_matrix sparse(std::size_t n, std::span<const travel_entry> entries,
                                            bool symmetric = true) {
    std::vector<std::pair<std::uint64_t, double>> kv;
    kv.reserve(entries.size() * (symmetric ? 2 : 1));
    for (std::size_t e = 0; e < entries.size(); ++e) {
      const auto& t = entries[e];
      if (t.from >= n || t.to >= n) {
        throw invalid_input(errc::out_of_range, "entries",
                            "travel_matrix::sparse(): entry " + std::to_string(e) + " (" + std::to_string(t.from) +
                                " -> " + std::to_string(t.to) + ") names an account outside [0, " + std::to_string(n) +
                                ")",
                            e);
      }
      check_value(t.value, "entries", e, e);
      kv.emplace_back(key(n, t.from, t.to), t.value);
      if (symmetric && t.from != t.to) kv.emplace_back(key(n, t.to, t.from), t.value);
    }
    std::sort(kv.begin(), kv.end());
    std::vector<std::pair<std::uint64_t, double>> uniq;
    uniq.reserve(kv.size());
    for (const auto& x : kv) {
      if (!uniq.empty() && uniq.back().first == x.first) {
        if (uniq.back().second != x.second) {
          const auto from = static_cast<std::size_t>(x.first / n);
          const auto to = static_cast<std::size_t>(x.first % n);
          throw invalid_input(errc::duplicate_id, "entries",
                              "travel_matrix::sparse(): the pair " + std::to_string(from) + " -> " +
                                  std::to_string(to) + " is given twice with different values",
                              from);
        }
        continue;
      }
      uniq.push_back(x);
    }
    travel_matrix m;
    auto d = std::make_shared<data>();
    d->n = n;
    d->keys.reserve(uniq.size());
    d->values.reserve(uniq.size());
    for (const auto& [k, v] : uniq) {
      d->keys.push_back(k);
      d->values.push_back(v);
    }
    m.data_ = std::move(d);
    return m;
  }

  /// n×2 coordinates with account a at (a, 0), for use with algorithms taking coordinates.
  [[nodiscard]] static Eigen::MatrixX2d index_points(std::size_t n) {
    Eigen::MatrixX2d p = Eigen::MatrixX2d::Zero(static_cast<Eigen::Index>(n), 2);
    for (std::size_t a = 0; a < n; ++a) p(static_cast<Eigen::Index>(a), 0) = static_cast<double>(a);
    return p;
  }

  /// Number of accounts.
  [[nodiscard]] std::size_t size() const noexcept { return data_ ? data_->n : 0; }
  [[nodiscard]] bool is_dense() const noexcept { return data_ && data_->is_dense; }

  /// True if the time from a to b is known (always for a == b < size()).
  [[nodiscard]] bool contains(account_index a, account_index b) const noexcept {
    if (a >= size() || b >= size()) return false;
    if (a == b || data_->is_dense) return true;
    return std::binary_search(data_->keys.begin(), data_->keys.end(), key(data_->n, a, b));
  }

  /// Time from a to b. See the class comment for the throws.
  [[nodiscard]] double at(account_index a, account_index b) const {
    const std::size_t n = size();
    if (a >= n || b >= n) {
      throw invalid_input(
          errc::out_of_range, "travel_matrix",
          "travel_matrix: account " + std::to_string(a >= n ? a : b) + " outside [0, " + std::to_string(n) + ")",
          a >= n ? a : b);
    }
    if (a == b) return 0.0;
    if (data_->is_dense) return data_->dense(a, b);
    const auto k = key(n, a, b);
    const auto it = std::lower_bound(data_->keys.begin(), data_->keys.end(), k);
    if (it == data_->keys.end() || *it != k) {
      throw invalid_input(
          errc::unknown_id, "travel_matrix",
          "travel_matrix: no travel time from account " + std::to_string(a) + " to account " + std::to_string(b), a);
    }
    return data_->values[static_cast<std::size_t>(it - data_->keys.begin())];
  }

  /// `distance_policy` interface: p[0] and q[0] are account indices (see `index_points`).
  /// Throws invalid_input{errc::out_of_range} if a coordinate is not an index < size().
  [[nodiscard]] double operator()(const point& p, const point& q) const { return at(to_index(p[0]), to_index(q[0])); }

 private:
  struct data {
    std::size_t n = 0;
    bool is_dense = false;
    Eigen::MatrixXd dense;
    std::vector<std::uint64_t> keys;
    std::vector<double> values;
  };

  static std::uint64_t key(std::size_t n, std::size_t a, std::size_t b) noexcept {
    return static_cast<std::uint64_t>(a) * static_cast<std::uint64_t>(n) + static_cast<std::uint64_t>(b);
  }

  account_index to_index(double x) const {
    if (!(x >= 0) || x >= static_cast<double>(size()) || std::floor(x) != x) {
      throw invalid_input(errc::out_of_range, "travel_matrix",
                          "travel_matrix: coordinate " + std::to_string(x) + " is not an account index in [0, " +
                              std::to_string(size()) + ") (build points with travel_matrix::index_points)");
    }
    return static_cast<account_index>(x);
  }

  static void check_value(double v, const char* field, std::size_t i, std::size_t j) {
    if (!std::isfinite(v)) {
      throw invalid_input(errc::non_finite, field,
                          std::string("travel_matrix: ") + field + " entry (" + std::to_string(i) + ", " +
                              std::to_string(j) + ") is not finite",
                          i);
    }
    if (v < 0) {
      throw invalid_input(errc::negative_value, field,
                          std::string("travel_matrix: ") + field + " entry (" + std::to_string(i) + ", " +
                              std::to_string(j) + ") is negative",
                          i);
    }
  }

  std::shared_ptr<const data> data_;
};

static_assert(distance_policy<travel_matrix>);

}  // namespace territory
