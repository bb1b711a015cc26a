#pragma once

/// @file rule_table.hpp
/// A checked table of routing rules in cascade order.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "territory/core/error.hpp"
#include "territory/route/rule.hpp"
#include "territory/route/routing_account.hpp"

namespace territory {

/// Index of a rule in its `rule_table` (its row in the input).
using rule_index = std::uint32_t;

/// No rule matched.
inline constexpr rule_index no_rule = std::numeric_limits<rule_index>::max();

/// An immutable, checked list of rules plus their cascade order: by kind (`named`,
/// `industry`, `segment`, `default`), then priority ascending, then input row (ties go to
/// the smaller index, and are reported as overlaps by `validate_rules`).
///
/// Complexity: O(R log R + total ids) to build.
/// Throws (field `rules[i].<column>`, index i, id = rule id):
///   invalid_input{errc::empty_id} for an empty rule id or an empty named id/domain;
///   invalid_input{errc::duplicate_id} for a rule id used twice;
///   invalid_input{errc::invalid_parameter} when a rule names both or neither of owner and
///     team, a `named` rule lists no id or domain, or another kind lists some;
///   invalid_input{errc::non_finite} for a NaN employee bound;
///   invalid_input{errc::out_of_range} when min_employees > max_employees;
///   invalid_input{errc::out_of_range} (field "rules") for more rules than rule_index holds.
/// Determinism: the order depends only on the rules.
class rule_table {
 public:
  rule_table() = default;

  explicit rule_table(std::vector<rule> rules) : rules_(std::move(rules)) {
    check();
    order_.resize(rules_.size());
    std::iota(order_.begin(), order_.end(), rule_index{0});
    std::stable_sort(order_.begin(), order_.end(), [&](rule_index a, rule_index b) {
      const auto& ra = rules_[a];
      const auto& rb = rules_[b];
      if (ra.kind != rb.kind) return ra.kind < rb.kind;
      return ra.priority < rb.priority;
    });
    position_.resize(rules_.size());
    for (std::size_t p = 0; p < order_.size(); ++p) position_[order_[p]] = static_cast<rule_index>(p);
  }

  [[nodiscard]] std::size_t size() const noexcept { return rules_.size(); }
  [[nodiscard]] bool empty() const noexcept { return rules_.empty(); }
  [[nodiscard]] const rule& operator[](rule_index r) const noexcept { return rules_[r]; }
  [[nodiscard]] std::span<const rule> rules() const noexcept { return rules_; }

  /// Rule indices in cascade order (the order in which they are tried).
  [[nodiscard]] std::span<const rule_index> cascade() const noexcept { return order_; }
  /// Position of rule r in the cascade.
  [[nodiscard]] rule_index position(rule_index r) const noexcept { return position_[r]; }

  /// Index of the rule with this id, if any. O(R).
  [[nodiscard]] std::optional<rule_index> find(std::string_view id) const {
    for (std::size_t r = 0; r < rules_.size(); ++r) {
      if (rules_[r].id == id) return static_cast<rule_index>(r);
    }
    return std::nullopt;
  }

  /// True when rule r matches the account (see `rule.hpp`). O(|account_ids| + |domains|)
  /// for named rules, O(1) otherwise.
  [[nodiscard]] static bool matches(const rule& r, const routing_account& a) noexcept {
    if (r.kind == rule_kind::named) {
      bool hit = std::find(r.account_ids.begin(), r.account_ids.end(), a.id) != r.account_ids.end();
      if (!hit && !a.domain.empty()) hit = std::find(r.domains.begin(), r.domains.end(), a.domain) != r.domains.end();
      if (!hit) return false;
    }
    if (!r.industry.empty() && r.industry != a.industry) return false;
    if (!r.region.empty() && r.region != a.region) return false;
    if (!r.size_band.empty() && r.size_band != a.size_band) return false;
    if (r.has_range()) {
      if (!a.employees) return false;
      if (r.min_employees && *a.employees < *r.min_employees) return false;
      if (r.max_employees && *a.employees > *r.max_employees) return false;
    }
    return true;
  }

 private:
  [[noreturn]] void fail(errc code, std::size_t i, const std::string& column, const std::string& what) const {
    throw invalid_input(code, "rules[" + std::to_string(i) + "]." + column,
                        "rule_table(): rule " + std::to_string(i) + " ('" + rules_[i].id + "'): " + what, i,
                        rules_[i].id);
  }

  void check() const {
    if (rules_.size() >= static_cast<std::size_t>(no_rule)) {
      throw invalid_input(errc::out_of_range, "rules", "rule_table(): more rules than rule_index can address");
    }
    std::unordered_map<std::string_view, std::size_t> seen;
    seen.reserve(rules_.size());
    for (std::size_t i = 0; i < rules_.size(); ++i) {
      const rule& r = rules_[i];
      if (r.id.empty()) fail(errc::empty_id, i, "rule", "empty rule id");
      if (auto [it, fresh] = seen.try_emplace(r.id, i); !fresh) {
        fail(errc::duplicate_id, i, "rule", "rule id used before by rule " + std::to_string(it->second));
      }
      if (r.owner.empty() == r.team.empty()) {
        fail(errc::invalid_parameter, i, "owner",
             r.owner.empty() ? "names neither an owner nor a team, expected exactly one"
                             : "names both owner '" + r.owner + "' and team '" + r.team + "', expected exactly one");
      }
      if (r.kind == rule_kind::named) {
        if (r.account_ids.empty() && r.domains.empty()) {
          fail(errc::invalid_parameter, i, "account_ids", "a named rule must list account ids or domains");
        }
        for (const auto& s : r.account_ids) {
          if (s.empty()) fail(errc::empty_id, i, "account_ids", "empty account id in the list");
        }
        for (const auto& s : r.domains) {
          if (s.empty()) fail(errc::empty_id, i, "domains", "empty domain in the list");
        }
      } else if (!r.account_ids.empty() || !r.domains.empty()) {
        fail(errc::invalid_parameter, i, r.account_ids.empty() ? "domains" : "account_ids",
             "only named rules list account ids or domains, this one is '" + std::string(to_string(r.kind)) + "'");
      }
      if (r.min_employees && std::isnan(*r.min_employees)) fail(errc::non_finite, i, "min_employees", "min_employees is NaN");
      if (r.max_employees && std::isnan(*r.max_employees)) fail(errc::non_finite, i, "max_employees", "max_employees is NaN");
      if (r.min_employees && r.max_employees && *r.min_employees > *r.max_employees) {
        fail(errc::out_of_range, i, "min_employees",
             "min_employees " + fmt_number(*r.min_employees) + " > max_employees " + fmt_number(*r.max_employees));
      }
    }
  }

  static std::string fmt_number(double v) {
    if (std::isfinite(v) && v == std::floor(v) && std::abs(v) < 1e15) return std::to_string(static_cast<long long>(v));
    return std::to_string(v);
  }

  std::vector<rule> rules_;
  std::vector<rule_index> order_;
  std::vector<rule_index> position_;
};

}  // namespace territory
