#pragma once

/// @file split_region.hpp
/// Lifecycle: a territory split rewrites the rule table, e.g. West → West-North and
/// West-South by state. Every rule keyed on the old region becomes one rule per part;
/// accounts are relabelled with `split_result::region_of`.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "territory/core/error.hpp"
#include "territory/route/rule_table.hpp"

namespace territory {

/// One part of a split region: its new name, the states it takes, and optionally a new
/// owner or team for the rules that move to it (empty: keep the rule's own).
struct region_part {
  std::string region;
  std::vector<std::string> states;
  std::string owner;
  std::string team;
};

/// The rewritten table and the relabelling of accounts.
struct split_result {
  rule_table rules;
  std::string old_region;
  std::vector<region_part> parts;

  /// New region of an account in (region, state): the part that lists the state, or the
  /// region unchanged (an account of the old region in an unlisted state keeps the old name,
  /// which no rule names any more: `validate_rules` reports what catches it). O(states).
  [[nodiscard]] std::string_view region_of(std::string_view region, std::string_view state) const noexcept {
    if (region != old_region) return region;
    for (const auto& p : parts) {
      for (const auto& s : p.states) {
        if (s == state) return p.region;
      }
    }
    return region;
  }
};

/// Splits `region` into `parts`: each rule with that region is replaced, in place, by one
/// copy per part (id `<id>/<part>`, region = the part, owner/team from the part if given).
/// Complexity: O(R·parts + states²).
/// Throws: invalid_input{errc::invalid_parameter} (field "parts") if there are no parts or a
///   part names both owner and team; invalid_input{errc::empty_id} (field "parts") for an
///   empty part name or old region; invalid_input{errc::duplicate_id} (field "parts") for a
///   part name used twice or already used by another rule, or a state in two parts; and
///   whatever `rule_table` throws for the rewritten rules.
[[nodiscard]] inline split_result split_region(const rule_table& table, std::string_view region,
                                               std::span<const region_part> parts) {
  if (region.empty()) throw invalid_input(errc::empty_id, "region", "split_region(): empty region name");
  if (parts.empty()) throw invalid_input(errc::invalid_parameter, "parts", "split_region(): no parts");
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto& p = parts[i];
    if (p.region.empty()) throw invalid_input(errc::empty_id, "parts", "split_region(): part " + std::to_string(i) + " has no name", i);
    if (!p.owner.empty() && !p.team.empty()) {
      throw invalid_input(errc::invalid_parameter, "parts", "split_region(): part '" + p.region + "' names both an owner and a team", i, p.region);
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (parts[j].region == p.region) throw invalid_input(errc::duplicate_id, "parts", "split_region(): part name '" + p.region + "' used twice", i, p.region);
      for (const auto& s : p.states) {
        for (const auto& t : parts[j].states) {
          if (s == t) throw invalid_input(errc::duplicate_id, "parts", "split_region(): state '" + s + "' is in two parts", i, s);
        }
      }
    }
    for (const auto& r : table.rules()) {
      if (r.region == p.region) {
        throw invalid_input(errc::duplicate_id, "parts", "split_region(): region '" + p.region + "' is already used by rule '" + r.id + "'", i, p.region);
      }
    }
  }
  std::vector<rule> out;
  out.reserve(table.size() + parts.size());
  for (const auto& r : table.rules()) {
    if (r.region != region) {
      out.push_back(r);
      continue;
    }
    for (const auto& p : parts) {
      rule c = r;
      c.id = r.id + "/" + p.region;
      c.region = p.region;
      if (!p.owner.empty() || !p.team.empty()) {
        c.owner = p.owner;
        c.team = p.team;
      }
      out.push_back(std::move(c));
    }
  }
  return {rule_table(std::move(out)), std::string(region), std::vector<region_part>(parts.begin(), parts.end())};
}

}  // namespace territory
