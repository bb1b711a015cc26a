#pragma once

/// @file interpret.hpp
/// The straightforward rule interpreter: tries every rule in cascade order. It is the
/// reference that `compiled_rules` must agree with (differential test), and fast enough
/// for small tables.

#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "territory/core/error.hpp"
#include "territory/route/rule_table.hpp"
#include "territory/route/routing_account.hpp"

namespace territory {

namespace detail::route {
[[noreturn]] [[gnu::cold]] [[gnu::noinline]] inline void throw_nan_employees(const routing_account& a) {
  throw invalid_input(errc::non_finite, "employees",
                      "route: account '" + std::string(a.id) + "' has a NaN employee count", std::nullopt,
                      std::string(a.id));
}
inline void check_account(const routing_account& a) {
  if (a.employees && std::isnan(*a.employees)) [[unlikely]] throw_nan_employees(a);
}
}  // namespace detail::route

/// Every rule that matches `account`, in cascade order (winner first).
/// Complexity: O(R) rule tests (named rules: O(ids listed)). Allocates the result.
/// Throws: invalid_input{errc::non_finite} (field "employees") if employees is NaN.
/// Determinism: depends only on the table and the account.
[[nodiscard]] inline std::vector<rule_index> matching_rules(const rule_table& table, const routing_account& account) {
  detail::route::check_account(account);
  std::vector<rule_index> out;
  for (const rule_index r : table.cascade()) {
    if (rule_table::matches(table[r], account)) out.push_back(r);
  }
  return out;
}

/// The first rule in cascade order that matches `account` and is eligible
/// (`eligible[r] != 0`; an empty span means every rule is), or `no_rule`.
/// Complexity: O(R) rule tests in the worst case; no allocation.
/// Throws: invalid_input{errc::non_finite} if employees is NaN;
///         invalid_input{errc::size_mismatch} (field "eligible") if eligible is neither empty
///         nor one flag per rule.
[[nodiscard]] inline rule_index first_matching_rule(const rule_table& table, const routing_account& account,
                                                    std::span<const std::uint8_t> eligible = {}) {
  detail::route::check_account(account);
  if (!eligible.empty() && eligible.size() != table.size()) {
    throw invalid_input(errc::size_mismatch, "eligible",
                        "first_matching_rule(): eligible has " + std::to_string(eligible.size()) +
                            " flags, expected " + std::to_string(table.size()) + " (one per rule)");
  }
  for (const rule_index r : table.cascade()) {
    if (!eligible.empty() && eligible[r] == 0) continue;
    if (rule_table::matches(table[r], account)) return r;
  }
  return no_rule;
}

}  // namespace territory
