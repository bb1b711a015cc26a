#pragma once

/// @file redistribute_book.hpp
/// Lifecycle: a departing rep's book, distributed among the remaining team members balanced
/// by potential and capacity (longest-processing-time greedy). `redistribute_book` does it on a
/// plan and reports the change as the same `plan_delta` as `rebalance()` and `compare_plans()`
/// (plan/delta.hpp), so that `make_change_set()` (plan/change_set.hpp) turns it into a CRM change set.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include "territory/core/error.hpp"
#include "territory/core/ids.hpp"
#include "territory/core/plan.hpp"
#include "territory/plan/delta.hpp"

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

/// A departing owner's book handed over on a plan (`redistribute_book`).
struct book_handover {
  plan assignment;                        ///< the plan after: p - 1 territories, the departing one removed
  std::vector<territory_index> continues; ///< per territory of `assignment`: its index in the current plan
  plan_delta delta;                       ///< compare_plans(current, assignment, potential, {continues})
};

/// Hands the accounts of territory `leaving` of `current` to the other territories with
/// `redistribute_by_potential` (largest potential first, each to the receiver with the least
/// (load + potential) / capacity, where load is the receiver's potential in `current`), and reports
/// the result as a plan of p - 1 territories (the others keep their order) with its `plan_delta`
/// (every move, the potential moved, per territory gained and lost). Routing-level: contiguity is
/// not considered (the territory-level operation is `rebalance()` with `drop`).
/// @param current    the plan in force: one territory per account (or no_territory).
/// @param leaving    the territory whose owner leaves; it is removed from the plan.
/// @param potential  one value per account of `current` (finite, >= 0).
/// @param capacity   one per territory of `current` (the entry of `leaving` is ignored); empty = 1 each.
/// Complexity: O(n + b log b + b·p) for a book of b accounts. Memory O(n + p).
/// Throws: invalid_input{errc::out_of_range} (field "leaving") if it is not a territory of `current`
///   or is its only territory; {errc::size_mismatch} (field "potential" / "capacity") for a wrong
///   length; {errc::non_finite} / {errc::negative_value} (field "potential", index = account);
///   {errc::invalid_parameter} (field "capacity", index = territory) for a receiver's capacity that is
///   not finite and > 0. Unassigned accounts stay unassigned. Determinism: depends only
///   on the input.
[[nodiscard]] inline book_handover redistribute_book(const plan& current, territory_index leaving,
                                                     std::span<const double> potential,
                                                     std::span<const double> capacity = {}) {
  const std::size_t n = current.size();
  const territory_index p = current.territory_count();
  if (leaving >= p || p < 2) {
    throw invalid_input(errc::out_of_range, "leaving",
                        "redistribute_book(): territory " + std::to_string(leaving) + " is not one of the " +
                            std::to_string(p) + " territories of the plan, or the only one");
  }
  if (potential.size() != n) {
    throw invalid_input(errc::size_mismatch, "potential",
                        "redistribute_book(): potential has " + std::to_string(potential.size()) +
                            " values, expected " + std::to_string(n) + " (one per account)");
  }
  if (!capacity.empty() && capacity.size() != p) {
    throw invalid_input(errc::size_mismatch, "capacity",
                        "redistribute_book(): capacity has " + std::to_string(capacity.size()) + " values, expected " +
                            std::to_string(p) + " (one per territory)");
  }
  for (std::size_t a = 0; a < n; ++a) {
    if (!std::isfinite(potential[a]) || potential[a] < 0.0) {
      throw invalid_input(std::isfinite(potential[a]) ? errc::negative_value : errc::non_finite, "potential",
                          "redistribute_book(): potential must be finite and >= 0", a);
    }
  }
  // receivers: every territory but `leaving`, in order; r -> territory of current
  std::vector<territory_index> receiver;
  std::vector<double> cap, load;
  for (territory_index t = 0; t < p; ++t) {
    if (t == leaving) continue;
    receiver.push_back(t);
    cap.push_back(capacity.empty() ? 1.0 : capacity[t]);
    if (!std::isfinite(cap.back()) || cap.back() <= 0.0) {
      throw invalid_input(errc::invalid_parameter, "capacity",
                          "redistribute_book(): the capacity of territory " + std::to_string(t) +
                              " must be finite and > 0",
                          t);
    }
  }
  std::vector<double> sum(p, 0.0), book;
  std::vector<account_index> book_accounts;
  for (std::size_t a = 0; a < n; ++a) {
    const auto t = current[static_cast<account_index>(a)];
    if (t == no_territory) continue;
    if (t == leaving) {
      book_accounts.push_back(static_cast<account_index>(a));
      book.push_back(potential[a]);
    } else {
      sum[t] += potential[a];
    }
  }
  for (auto t : receiver) load.push_back(sum[t]);
  const auto to = redistribute_by_potential(book, cap, load);
  // the plan after: territory t > leaving shifts down by one
  std::vector<territory_index> after(n, no_territory);
  for (std::size_t a = 0; a < n; ++a) {
    const auto t = current[static_cast<account_index>(a)];
    if (t != no_territory && t != leaving) after[a] = t > leaving ? static_cast<territory_index>(t - 1) : t;
  }
  for (std::size_t k = 0; k < book_accounts.size(); ++k) {
    const auto t = receiver[to[k]];
    after[book_accounts[k]] = t > leaving ? static_cast<territory_index>(t - 1) : t;
  }
  book_handover out;
  out.assignment = plan(std::move(after), static_cast<territory_index>(p - 1));
  out.continues = receiver;
  const Eigen::Map<const Eigen::MatrixXd> amounts(potential.data(), static_cast<Eigen::Index>(n), 1);
  out.delta = compare_plans(current, out.assignment, amounts, {.continues = out.continues});
  return out;
}

}  // namespace territory
