#pragma once

/// @file redistribute_book.hpp
/// Lifecycle: a departing rep's book, distributed among the remaining team members balanced
/// by potential and capacity (longest-processing-time greedy).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include "territory/core/error.hpp"

namespace territory {

/// Assigns each account of a book to a receiver: accounts by potential descending (ties: the
/// smaller index first), each to the receiver with the least (load + potential) / capacity
/// (ties: the smaller receiver index). `current_load` is each receiver's existing potential.
/// @return receiver index per book account.
/// Complexity: O(b log b + b·r) for b accounts and r receivers.
/// Throws: invalid_input{errc::size_mismatch} (field "current_load") if it is neither empty
///   nor r long; invalid_input{errc::invalid_parameter} (field "capacity") if there is no
///   receiver or a capacity is not finite and > 0; invalid_input{errc::non_finite} /
///   {errc::negative_value} (field "potential"/"current_load", index) for bad values.
/// Determinism: depends only on the input.
[[nodiscard]] inline std::vector<std::uint32_t> redistribute_by_potential(std::span<const double> potential,
                                                                          std::span<const double> capacity,
                                                                          std::span<const double> current_load = {}) {
  if (capacity.empty()) throw invalid_input(errc::invalid_parameter, "capacity", "redistribute_by_potential(): no receiving rep");
  for (std::size_t r = 0; r < capacity.size(); ++r) {
    if (!std::isfinite(capacity[r]) || capacity[r] <= 0) {
      throw invalid_input(errc::invalid_parameter, "capacity", "redistribute_by_potential(): capacity must be finite and > 0", r);
    }
  }
  if (!current_load.empty() && current_load.size() != capacity.size()) {
    throw invalid_input(errc::size_mismatch, "current_load",
                        "redistribute_by_potential(): current_load has " + std::to_string(current_load.size()) +
                            " values, expected " + std::to_string(capacity.size()) + " (one per receiver)");
  }
  auto check = [](std::span<const double> v, const char* field) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (!std::isfinite(v[i])) throw invalid_input(errc::non_finite, field, std::string("redistribute_by_potential(): ") + field + " is not finite", i);
      if (v[i] < 0) throw invalid_input(errc::negative_value, field, std::string("redistribute_by_potential(): ") + field + " is negative", i);
    }
  };
  check(potential, "potential");
  check(current_load, "current_load");
  std::vector<double> load(capacity.size(), 0.0);
  if (!current_load.empty()) std::copy(current_load.begin(), current_load.end(), load.begin());
  std::vector<std::size_t> order(potential.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return potential[a] > potential[b]; });
  std::vector<std::uint32_t> out(potential.size(), 0);
  for (const auto a : order) {
    std::size_t best = 0;
    for (std::size_t r = 1; r < capacity.size(); ++r) {
      if ((load[r] + potential[a]) / capacity[r] < (load[best] + potential[a]) / capacity[best]) best = r;
    }
    out[a] = static_cast<std::uint32_t>(best);
    load[best] += potential[a];
  }
  return out;
}

}  // namespace territory
