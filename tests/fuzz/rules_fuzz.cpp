// Fuzz target: the rule-table checks, the rule compiler and the rule validator on a small table
// built from bytes (0..16 rules over small value sets, so that rules overlap, shadow and leave
// gaps; employee bounds at awkward values: 0, 49.5, 50, ±inf, NaN; duplicate and empty ids;
// rules with both or neither of owner and team). rule_table() must either accept the table or
// throw invalid_input naming `rules[i].<column>` with i < the number of rules. On an accepted
// table:
//   - compiled_rules (with random eligibility) decides every account exactly as the interpreter
//     (matching_rules, first_matching_rule), and set_eligible keeps it so;
//   - validate_rules' findings are true of their example accounts: a gap's example matches no
//     rule, an overlap's example matches both rules (same kind and priority), a shadowing
//     example's first match is the shadowing rule; an account whose winner was reported shadowed
//     is a contradiction, an account that matches nothing with no gap reported is one too (the
//     options make every such account visible: real-valued employee counts, unknown counts;
//     employee counts are finite for the validator, so accounts with ±inf are left out there);
//   - unknown_owner / departed_owner findings name a rule whose owner or team is unknown / departed.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <territory/route/compiled_rules.hpp>
#include <territory/route/interpret.hpp>
#include <territory/route/validate_rules.hpp>

#include "fuzz/fuzz_support.hpp"

namespace {
using reader = territory_fuzz::byte_reader;

[[noreturn]] void fail(const std::string& what) { territory_fuzz::fail("rules_fuzz", what); }

std::string value(reader& r, const char* prefix) {
  const auto b = r.byte() % 5;
  return b == 4 ? std::string() : prefix + std::to_string(b);
}

std::optional<double> bound(reader& r) {
  switch (r.byte() % 12) {
    case 0: return 0.0;
    case 1: return 49.5;
    case 2: return 50.0;
    case 3: return 100.0;
    case 4: return std::numeric_limits<double>::infinity();
    case 5: return -std::numeric_limits<double>::infinity();
    case 6: return r.byte() % 8 == 0 ? std::optional<double>(std::numeric_limits<double>::quiet_NaN()) : std::nullopt;
    case 7: return static_cast<double>(r.byte());
    default: return std::nullopt;
  }
}

std::optional<double> employees(reader& r) {
  switch (r.byte() % 10) {
    case 0: return std::nullopt;
    case 1: return 49.5;
    case 2: return 50.0;
    case 3: return -0.0;
    case 4: return std::numeric_limits<double>::infinity();
    case 5: return -1.0;
    default: return static_cast<double>(r.byte());
  }
}

struct stored {
  std::string id, domain, industry, region, size_band;
  std::optional<double> employees;
  [[nodiscard]] territory::routing_account view() const { return {id, domain, industry, region, size_band, employees}; }
};

bool contains(const std::vector<territory::rule_index>& v, territory::rule_index x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace territory;
  reader r{data, size};
  const std::size_t count = r.byte() % 17;
  std::vector<rule> rules(count);
  for (std::size_t i = 0; i < count; ++i) {
    rule& x = rules[i];
    const auto b = r.byte();
    x.id = b % 23 == 0 ? std::string() : (b % 19 == 0 ? "dup" : "rule" + std::to_string(i));
    x.kind = static_cast<rule_kind>(r.byte() % 4);
    x.priority = static_cast<std::int64_t>(r.byte() % 3) - (r.byte() % 16 == 0 ? 1000 : 0);
    const auto who = r.byte() % 16;
    if (who < 10) x.owner = "r" + std::to_string(who % 4);  // r3 is not a rep, r2 has departed
    else if (who < 14) x.team = "t" + std::to_string(who % 3);  // t2 has no rep
    else if (who == 14) x.owner = "r0", x.team = "t0";       // both: refused
    if (x.kind == rule_kind::named) {
      const std::size_t k = r.byte() % 4U;
      for (std::size_t j = 0; j < k; ++j) x.account_ids.push_back(value(r, "a"));
      if (r.byte() % 3 == 0) x.domains.push_back(value(r, "d"));
    } else if (r.byte() % 32 == 0) {
      x.account_ids.push_back("a0");  // refused: only named rules list ids
    }
    if (x.kind != rule_kind::fallback || r.byte() % 8 == 0) {
      x.industry = value(r, "i");
      x.region = value(r, "g");
      x.size_band = value(r, "b");
      x.min_employees = bound(r);
      x.max_employees = bound(r);
    }
  }

  std::optional<rule_table> table;
  try {
    table.emplace(rules);
  } catch (const invalid_input& e) {
    const std::string field = e.field();
    if (field != "rules" && (field.rfind("rules[", 0) != 0 || !e.index() || *e.index() >= count)) {
      fail("rule_table() threw an error that names no rule");
    }
    return 0;
  }
  const rule_table& t = *table;

  std::vector<std::uint8_t> eligible(t.size());
  for (auto& f : eligible) f = r.byte() % 4 == 0 ? 0 : 1;
  const compiled_rules all(t);
  compiled_rules some(t, eligible);
  const std::size_t accounts = 1 + r.byte() % 32;
  std::vector<stored> acc(accounts);
  for (auto& a : acc) {
    a.id = value(r, "a");
    a.domain = value(r, "d");
    a.industry = value(r, "i");
    a.region = value(r, "g");
    a.size_band = value(r, "b");
    a.employees = employees(r);
  }
  for (const auto& s : acc) {
    const auto a = s.view();
    const auto expect = matching_rules(t, a);
    if (all.matches(a) != expect) fail("compiled matches differ from the interpreter");
    if (all.first_match(a) != (expect.empty() ? no_rule : expect.front())) fail("compiled first_match differs");
    if (some.first_match(a) != first_matching_rule(t, a, eligible)) fail("compiled first_match with eligibility differs");
  }
  if (!t.empty()) {
    const auto k = static_cast<rule_index>(r.byte() % t.size());
    eligible[k] = eligible[k] ? 0 : 1;
    some.set_eligible(k, eligible[k] != 0);
    for (const auto& s : acc) {
      if (some.first_match(s.view()) != first_matching_rule(t, s.view(), eligible)) fail("set_eligible broke a decision");
    }
  }

  std::vector<rep> reps(3);
  reps[0].id = "r0";
  reps[0].team = "t0";
  reps[1].id = "r1";
  reps[1].team = "t1";
  reps[2].id = "r2";
  reps[2].team = "t1";
  reps[2].status = rep_status::departed;
  const auto report = validate_rules(t, {.reps = reps, .integral_employees = false,
                                         .min_employees = -std::numeric_limits<double>::infinity(),
                                         .missing_employees = true});
  std::vector<std::uint8_t> shadowed(t.size(), 0);
  bool any_gap = false;
  for (const auto& f : report.findings) {
    if (f.kind == rule_finding_kind::gap) {
      any_gap = true;
      if (!matching_rules(t, f.example.view()).empty()) fail("a gap's example matches a rule");
      continue;
    }
    if (f.rules.empty() || f.rules[0] >= t.size()) fail("a finding names no rule");
    const rule& subject = t[f.rules[0]];
    switch (f.kind) {
      case rule_finding_kind::unknown_owner:
        if (subject.owner == "r0" || subject.owner == "r1" || subject.owner == "r2" || subject.team == "t0" ||
            subject.team == "t1") {
          fail("unknown_owner for a known owner or team");
        }
        break;
      case rule_finding_kind::departed_owner:
        if (subject.owner != "r2") fail("departed_owner for an active owner or team");
        break;
      case rule_finding_kind::gap:
        break;
      case rule_finding_kind::overlap: {
        if (f.rules.size() < 2 || f.rules[1] >= t.size()) fail("an overlap names one rule");
        const auto m = matching_rules(t, f.example.view());
        if (!contains(m, f.rules[0]) || !contains(m, f.rules[1])) fail("an overlap's example misses a rule");
        if (t[f.rules[0]].kind != t[f.rules[1]].kind || t[f.rules[0]].priority != t[f.rules[1]].priority) {
          fail("an overlap of rules of different kind or priority");
        }
        break;
      }
      case rule_finding_kind::shadowed:
        shadowed[f.rules[0]] = 1;
        if (f.rules.size() >= 2) {
          const auto m = matching_rules(t, f.example.view());
          if (m.empty() || m.front() != f.rules[1] || !contains(m, f.rules[0])) fail("a shadowing example is wrong");
        }
        break;
    }
  }
  if (report.truncated) return 0;
  for (const auto& s : acc) {
    if (s.employees && !std::isfinite(*s.employees)) continue;  // validate_rules considers finite counts
    const auto first = first_matching_rule(t, s.view());
    if (first == no_rule && !any_gap) fail("an account matches no rule but no gap is reported");
    if (first != no_rule && shadowed[first]) fail("a rule reported shadowed wins an account");
  }
  return 0;
}
