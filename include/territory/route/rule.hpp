#pragma once

/// @file rule.hpp
/// One routing rule of the cascade: its kind (layer), priority, target (an owner or a
/// team) and the account attributes it matches.
///
/// An account matches a rule when every non-empty attribute of the rule (`industry`,
/// `region`, `size_band`) equals the account's, compared exactly; its `employees` lies in
/// `[min_employees, max_employees]` where those are given (an account without `employees`
/// then does not match); and, for a `named` rule, its id is one of `account_ids` or its
/// domain one of `domains`.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace territory {

/// The layer of a rule. Layers are tried in this order; inside a layer, by priority.
enum class rule_kind : std::uint8_t {
  named,     ///< named-account list: matches account ids or domains
  industry,  ///< industry specialists
  segment,   ///< territory table keyed by (region, size band) and an employee range
  fallback,  ///< the default rule (`default` in rules.csv)
};

/// Name of a kind as written in rules.csv (`named`, `industry`, `segment`, `default`).
[[nodiscard]] constexpr std::string_view to_string(rule_kind k) noexcept {
  switch (k) {
    case rule_kind::named: return "named";
    case rule_kind::industry: return "industry";
    case rule_kind::segment: return "segment";
    case rule_kind::fallback: return "default";
  }
  return "unknown";
}

/// Kind named by `s` (`named`, `industry`, `segment`, `default`), or nullopt.
[[nodiscard]] constexpr std::optional<rule_kind> parse_rule_kind(std::string_view s) noexcept {
  if (s == "named") return rule_kind::named;
  if (s == "industry") return rule_kind::industry;
  if (s == "segment") return rule_kind::segment;
  if (s == "default") return rule_kind::fallback;
  return std::nullopt;
}

/// One rule. Exactly one of `owner` (a rep id) and `team` (a team name) is non-empty;
/// empty attributes match any value. Checked by `rule_table`.
struct rule {
  std::string id{};                         ///< unique, non-empty
  std::int64_t priority = 1;              ///< inside a kind, smaller first
  rule_kind kind = rule_kind::segment;
  std::string owner{};                      ///< rep id, or empty when `team` is set
  std::string team{};                       ///< team name, or empty when `owner` is set
  std::string industry{};                   ///< empty = any
  std::string region{};                     ///< empty = any
  std::string size_band{};                  ///< empty = any
  std::optional<double> min_employees{};    ///< inclusive lower bound, if any
  std::optional<double> max_employees{};    ///< inclusive upper bound, if any
  std::vector<std::string> account_ids{};   ///< `named` rules: the account ids it claims
  std::vector<std::string> domains{};       ///< `named` rules: the account domains it claims

  /// True when the rule constrains the employee count.
  [[nodiscard]] bool has_range() const noexcept { return min_employees.has_value() || max_employees.has_value(); }
};

}  // namespace territory
