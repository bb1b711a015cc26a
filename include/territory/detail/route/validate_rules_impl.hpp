#pragma once

// Bodies of route/validate_rules.hpp.

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "territory/core/error.hpp"
#include "territory/detail/route/string_dictionary.hpp"
#include "territory/route/validate_rules.hpp"

namespace territory {

namespace detail::route {

inline std::string format_count(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::abs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  std::string s = std::to_string(v);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

class rule_validator {
 public:
  rule_validator(const rule_table& t, const rule_validation_options& o) : t_(t), o_(o) {
    if (std::isnan(o.min_employees) || o.min_employees == HUGE_VAL) {
      throw invalid_input(errc::invalid_parameter, "min_employees", "validate_rules(): min_employees must be finite or -infinity");
    }
  }

  rule_validation_report run() {
    check_owners();
    check_named();
    check_attributes();
    rule_validation_report rep;
    for (auto* list : {&unknown_, &departed_, &overlap_, &gap_, &shadowed_}) {
      for (auto& f : *list) rep.findings.push_back(std::move(f));
    }
    rep.truncated = truncated_;
    return rep;
  }

 private:
  // ---- helpers --------------------------------------------------------------------------
  void add(std::vector<rule_finding>& list, rule_finding f) {
    if (list.size() >= o_.max_findings) {
      truncated_ = true;
      return;
    }
    list.push_back(std::move(f));
  }

  [[nodiscard]] std::string name(rule_index r) const { return "'" + t_[r].id + "'"; }

  [[nodiscard]] double lowest(const rule& r) const {
    double lo = r.min_employees.value_or(o_.min_employees);
    lo = std::max(lo, o_.min_employees);
    if (o_.integral_employees) lo = std::ceil(lo);
    if (!std::isfinite(lo)) lo = r.max_employees ? *r.max_employees : 0.0;
    return lo;
  }

  [[nodiscard]] example_account example_for(rule_index ri) const {
    const rule& r = t_[ri];
    example_account e;
    if (!r.account_ids.empty()) e.id = r.account_ids.front();
    else if (!r.domains.empty()) e.domain = r.domains.front();
    if (!r.industry.empty()) e.industry = r.industry;
    if (!r.region.empty()) e.region = r.region;
    if (!r.size_band.empty()) e.size_band = r.size_band;
    if (r.has_range()) {
      e.employees_any = false;
      e.employees = lowest(r);
    }
    return e;
  }

  // ---- owners ---------------------------------------------------------------------------
  void check_owners() {
    if (o_.reps.empty()) return;
    for (rule_index i = 0; i < t_.size(); ++i) {
      const rule& r = t_[i];
      if (!r.owner.empty()) {
        const rep* p = nullptr;
        for (const auto& x : o_.reps) {
          if (x.id == r.owner) {
            p = &x;
            break;
          }
        }
        if (p == nullptr) {
          const auto ex = example_for(i);
          add(unknown_, {rule_finding_kind::unknown_owner, {i}, ex,
                         "rule " + name(i) + " names owner '" + r.owner + "', who is not among the reps; it would route account " + to_string(ex)});
        } else if (p->status == rep_status::departed) {
          const auto ex = example_for(i);
          add(departed_, {rule_finding_kind::departed_owner, {i}, ex,
                          "rule " + name(i) + " names owner '" + r.owner + "', who has departed; it would route account " + to_string(ex)});
        }
      } else {
        std::size_t members = 0;
        std::size_t active = 0;
        for (const auto& x : o_.reps) {
          if (x.team != r.team) continue;
          ++members;
          active += x.status == rep_status::active ? 1 : 0;
        }
        if (members == 0) {
          const auto ex = example_for(i);
          add(unknown_, {rule_finding_kind::unknown_owner, {i}, ex,
                         "rule " + name(i) + " names team '" + r.team + "', to which no rep belongs; it would route account " + to_string(ex)});
        } else if (active == 0) {
          const auto ex = example_for(i);
          add(departed_, {rule_finding_kind::departed_owner, {i}, ex,
                          "rule " + name(i) + " names team '" + r.team + "', whose reps have all departed; it would route account " + to_string(ex)});
        }
      }
    }
  }

  // ---- named rules: per listed id / domain -----------------------------------------------
  static bool compatible(const rule& a, const rule& b) {
    auto eq = [](const std::string& x, const std::string& y) { return x.empty() || y.empty() || x == y; };
    if (!eq(a.industry, b.industry) || !eq(a.region, b.region) || !eq(a.size_band, b.size_band)) return false;
    const double lo = std::max(a.min_employees.value_or(-HUGE_VAL), b.min_employees.value_or(-HUGE_VAL));
    const double hi = std::min(a.max_employees.value_or(HUGE_VAL), b.max_employees.value_or(HUGE_VAL));
    return lo <= hi;
  }
  static bool covers(const rule& e, const rule& r) {
    auto cov = [](const std::string& x, const std::string& y) { return x.empty() || x == y; };
    if (!cov(e.industry, r.industry) || !cov(e.region, r.region) || !cov(e.size_band, r.size_band)) return false;
    if (e.min_employees && !(r.min_employees && *r.min_employees >= *e.min_employees)) return false;
    if (e.max_employees && !(r.max_employees && *r.max_employees <= *e.max_employees)) return false;
    return true;
  }

  void check_named() {
    std::map<std::pair<int, std::string>, std::vector<rule_index>> keys;  // (0 id | 1 domain, key) -> rules in cascade order
    for (const rule_index r : t_.cascade()) {
      const rule& x = t_[r];
      if (x.kind != rule_kind::named) break;
      for (const auto& s : x.account_ids) {
        auto& l = keys[{0, s}];
        if (l.empty() || l.back() != r) l.push_back(r);
      }
      for (const auto& s : x.domains) {
        auto& l = keys[{1, s}];
        if (l.empty() || l.back() != r) l.push_back(r);
      }
    }
    std::vector<std::uint8_t> wins(t_.size(), 0);
    std::vector<rule_index> beaten_by(t_.size(), no_rule);
    std::vector<std::pair<int, std::string>> beaten_key(t_.size());
    std::set<std::pair<rule_index, rule_index>> seen;
    for (const auto& [key, list] : keys) {
      for (std::size_t i = 0; i < list.size(); ++i) {
        const rule& r = t_[list[i]];
        rule_index cover = no_rule;
        for (std::size_t j = 0; j < i && cover == no_rule; ++j) {
          if (covers(t_[list[j]], r)) cover = list[j];
        }
        if (cover == no_rule) wins[list[i]] = 1;
        else if (beaten_by[list[i]] == no_rule) {
          beaten_by[list[i]] = cover;
          beaten_key[list[i]] = key;
        }
        for (std::size_t j = 0; j < i; ++j) {
          const rule& a = t_[list[j]];
          if (a.priority != r.priority || !compatible(a, r)) continue;
          if (!seen.insert({list[j], list[i]}).second) continue;
          example_account ex;
          (key.first == 0 ? ex.id : ex.domain) = key.second;
          auto merge = [](const std::string& x, const std::string& y) -> std::optional<std::string> {
            if (!x.empty()) return x;
            if (!y.empty()) return y;
            return std::nullopt;
          };
          ex.industry = merge(a.industry, r.industry);
          ex.region = merge(a.region, r.region);
          ex.size_band = merge(a.size_band, r.size_band);
          if (a.has_range() || r.has_range()) {
            ex.employees_any = false;
            ex.employees = std::max(a.min_employees.value_or(-HUGE_VAL), r.min_employees.value_or(-HUGE_VAL));
            if (!std::isfinite(*ex.employees)) ex.employees = std::min(a.max_employees.value_or(HUGE_VAL), r.max_employees.value_or(HUGE_VAL));
          }
          add(overlap_, {rule_finding_kind::overlap, {list[j], list[i]}, ex,
                         "rules " + name(list[j]) + " and " + name(list[i]) + " (named, priority " + std::to_string(r.priority) +
                             ") both match account " + to_string(ex)});
        }
      }
    }
    for (const rule_index r : t_.cascade()) {
      if (t_[r].kind != rule_kind::named) break;
      // an employee range that holds no possible count: the rule matches no account at all
      const bool no_count = t_[r].has_range() && !lowest_in(t_[r].min_employees.value_or(-HUGE_VAL),
                                                             t_[r].max_employees.value_or(HUGE_VAL));
      if (no_count) {
        const auto e = example_for(r);
        add(shadowed_named_, {rule_finding_kind::shadowed, {r}, e,
                              "rule " + name(r) + " matches no account: e.g. account " + to_string(e) +
                                  " lies outside the possible employee counts"});
        continue;
      }
      if (wins[r] || beaten_by[r] == no_rule) continue;
      example_account ex = example_for(r);
      ex.id.clear();
      ex.domain.clear();
      (beaten_key[r].first == 0 ? ex.id : ex.domain) = beaten_key[r].second;
      // the rule that takes this example: beaten_by[r] covers r, but an earlier rule may take the
      // example first (e.g. one whose employee range holds the example's count)
      rule_index taker = beaten_by[r];
      for (const rule_index q : t_.cascade()) {
        if (rule_table::matches(t_[q], ex.view())) {
          taker = q;
          break;
        }
      }
      add(shadowed_named_, {rule_finding_kind::shadowed, {r, taker}, ex,
                            "rule " + name(r) + " never wins: every account it names is taken first by an earlier rule, e.g. account " +
                                to_string(ex) + " by rule " + name(taker)});
    }
  }

  // ---- attribute rules: depth-first search over attribute classes ------------------------
  void check_attributes() {
    // local index j = cascade position - first_
    const auto casc = t_.cascade();
    first_ = 0;
    while (first_ < casc.size() && t_[casc[first_]].kind == rule_kind::named) ++first_;
    n_ = casc.size() - first_;
    words_ = (n_ + 63) / 64;
    rules_.resize(n_);
    for (std::size_t j = 0; j < n_; ++j) rules_[j] = casc[first_ + j];
    for (auto& c : code_) c.assign(n_, 0);
    depth_.assign(n_, -1);
    for (std::size_t j = 0; j < n_; ++j) {
      const rule& r = t_[rules_[j]];
      for (int a = 0; a < 3; ++a) {
        const std::string& v = attr(r, a);
        if (!v.empty()) {
          code_[a][j] = dict_[a].insert(v);
          depth_[j] = a;
        }
      }
      if (r.has_range()) depth_[j] = 3;
    }
    for (int a = 0; a < 3; ++a) {
      masks_[a].assign((dict_[a].size() + 1) * words_, 0);
      stamp_[a].assign(dict_[a].size() + 1, 0);
      for (std::size_t j = 0; j < n_; ++j) {
        if (code_[a][j] == 0) {
          for (std::size_t c = 0; c <= dict_[a].size(); ++c) set(&masks_[a][c * words_], j);
        } else {
          set(&masks_[a][code_[a][j] * words_], j);
        }
      }
    }
    wins_.assign(n_, 0);
    first_example_.assign(n_, std::nullopt);
    first_winner_.assign(n_, no_rule);
    std::vector<std::uint64_t> all(words_, ~std::uint64_t{0});
    if (n_ % 64 != 0 && words_ > 0) all.back() = (std::uint64_t{1} << (n_ % 64)) - 1;
    example_account ex;
    visit(0, all, {}, ex);
    for (std::size_t j = 0; j < n_; ++j) {
      const rule_index r = rules_[j];
      if (wins_[j]) continue;
      if (first_example_[j]) {
        const auto& e = *first_example_[j];
        add(shadowed_, {rule_finding_kind::shadowed, {r, first_winner_[j]}, e,
                        "rule " + name(r) + " never wins: account " + to_string(e) + " matches it but rule " + name(first_winner_[j]) +
                            " wins, and so for every account it matches"});
      } else {
        const auto e = example_for(r);
        add(shadowed_, {rule_finding_kind::shadowed, {r}, e,
                        "rule " + name(r) + " matches no account: e.g. account " + to_string(e) + " lies outside the possible employee counts"});
      }
    }
    for (auto& f : shadowed_named_) add(shadowed_, std::move(f));
  }

  static const std::string& attr(const rule& r, int a) noexcept {
    return a == 0 ? r.industry : (a == 1 ? r.region : r.size_band);
  }
  static void set(std::uint64_t* m, std::size_t p) noexcept { m[p / 64] |= std::uint64_t{1} << (p % 64); }

  template <class F>
  void for_bits(const std::vector<std::uint64_t>& s, F&& f) const {
    for (std::size_t w = 0; w < s.size(); ++w) {
      std::uint64_t x = s[w];
      while (x != 0) {
        f(w * 64 + static_cast<std::size_t>(std::countr_zero(x)));
        x &= x - 1;
      }
    }
  }

  void gap(const example_account& ex) {
    add(gap_, {rule_finding_kind::gap, {}, ex, "no rule matches account " + to_string(ex)});
  }

  // `s`: rules matching every account of this class. For each attribute fixed to a real
  // value on the path, `namers` holds the rules of `s` that name that value. A class in
  // which one of these sets is empty has the same match set as the class with that
  // attribute set to "other", which the search visits anyway: it is skipped.
  using bitset = std::vector<std::uint64_t>;

  void visit(int level, const bitset& s, const std::vector<bitset>& namers, example_account& ex) {
    const bool novel = !namers.empty();
    std::vector<std::size_t> members;
    for_bits(s, [&](std::size_t j) { members.push_back(j); });
    if (members.empty()) {
      if (!novel) gap(ex);
      return;
    }
    bool deeper = false;
    for (const auto j : members) deeper = deeper || depth_[j] >= level;
    if (!deeper) {
      leaf(members, ex);
      return;
    }
    if (novel && depth_[members.front()] < level) {  // the winner everywhere below is fixed
      dominated(level, members, namers, ex);
      return;
    }
    if (level == 3) {
      employees(members, namers, ex);
      return;
    }
    ++stamp_gen_[level];
    std::vector<std::uint32_t> values;
    for (const auto j : members) {
      const auto c = code_[level][j];
      if (c != 0 && stamp_[level][c] != stamp_gen_[level]) {
        stamp_[level][c] = stamp_gen_[level];
        values.push_back(c);
      }
    }
    if (values.empty()) {  // no rule left here names this attribute: any value, no split
      visit(level + 1, s, namers, ex);
      return;
    }
    std::sort(values.begin(), values.end());
    values.push_back(0);  // "other"
    std::optional<std::string>& slot = level == 0 ? ex.industry : (level == 1 ? ex.region : ex.size_band);
    bitset child(words_);
    std::vector<bitset> sub(namers.size(), bitset(words_));
    const std::uint64_t* wild = &masks_[level][0];
    for (const auto c : values) {
      const std::uint64_t* m = &masks_[level][c * words_];
      for (std::size_t w = 0; w < words_; ++w) child[w] = s[w] & m[w];
      bool redundant = false;
      for (std::size_t k = 0; k < namers.size() && !redundant; ++k) {
        std::uint64_t any = 0;
        for (std::size_t w = 0; w < words_; ++w) any |= (sub[k][w] = namers[k][w] & child[w]);
        redundant = any == 0;
      }
      if (redundant) continue;
      if (c != 0) {
        sub.emplace_back(words_);
        for (std::size_t w = 0; w < words_; ++w) sub.back()[w] = child[w] & ~wild[w];
      }
      slot = c == 0 ? std::string() : dict_[level].key(c);
      visit(level + 1, child, sub, ex);
      if (c != 0) sub.pop_back();
    }
    slot.reset();
  }

  [[nodiscard]] static bool test(const std::vector<std::uint64_t>& m, std::size_t j) noexcept {
    return ((m[j / 64] >> (j % 64)) & 1U) != 0;
  }

  // Lowest employee count in [lo, hi] ∩ domain (whole numbers if integral), if any.
  [[nodiscard]] std::optional<double> lowest_in(double lo, double hi) const {
    lo = std::max(lo, o_.min_employees);
    if (o_.integral_employees) {
      lo = std::ceil(lo);
      hi = std::floor(hi);
    }
    // counts are finite: a range [+inf, +inf] or [-inf, -inf] holds none
    if (!(lo <= hi) || lo == HUGE_VAL || hi == -HUGE_VAL) return std::nullopt;
    if (!std::isfinite(lo)) return std::isfinite(hi) ? std::optional<double>(hi) : std::optional<double>(0.0);
    return lo;
  }

  // Fills attributes from `level` on with the constraints of rules a and b (b may equal a);
  // false when they have no account in common there.
  [[nodiscard]] bool merge_below(int level, const rule& a, const rule& b, example_account& e) const {
    for (int k = level; k < 3; ++k) {
      const std::string& x = attr(a, k);
      const std::string& y = attr(b, k);
      if (!x.empty() && !y.empty() && x != y) return false;
      std::optional<std::string>& slot = k == 0 ? e.industry : (k == 1 ? e.region : e.size_band);
      if (!x.empty()) slot = x;
      else if (!y.empty()) slot = y;
      else slot.reset();
    }
    if (a.has_range() || b.has_range()) {
      const double lo = std::max(a.min_employees.value_or(-HUGE_VAL), b.min_employees.value_or(-HUGE_VAL));
      const double hi = std::min(a.max_employees.value_or(HUGE_VAL), b.max_employees.value_or(HUGE_VAL));
      const auto x = lowest_in(lo, hi);
      if (!x) return false;
      e.employees_any = false;
      e.employees = x;
    } else {
      e.employees_any = true;
      e.employees.reset();
    }
    return true;
  }

  // Every class below has the first member as winner: record it, the examples, and the
  // overlaps that involve a namer of each fixed value (others are found on other paths).
  void dominated(int level, const std::vector<std::size_t>& members, const std::vector<bitset>& namers,
                 const example_account& ex) {
    const std::size_t w = members.front();
    wins_[w] = 1;
    example_account e = ex;
    for (const auto j : members) {
      if (first_example_[j]) continue;
      const rule& r = t_[rules_[j]];
      if (merge_below(level, r, r, e)) {
        first_example_[j] = e;
        first_winner_[j] = rules_[w];
      }
    }
    auto needed = [&](std::size_t x, std::size_t y) {
      for (const auto& n : namers) {
        if (!test(n, x) && !test(n, y)) return false;
      }
      return true;
    };
    if (overlaps_full()) return;
    for (const auto& n : namers) {
      for_bits(n, [&](std::size_t x) {
        const rule& g = t_[rules_[x]];
        // the (kind, priority) group of x among the members
        auto it = std::lower_bound(members.begin(), members.end(), x);
        auto b = it;
        while (b != members.begin() && t_[rules_[*(b - 1)]].kind == g.kind && t_[rules_[*(b - 1)]].priority == g.priority) --b;
        for (auto y = b; y != members.end() && t_[rules_[*y]].kind == g.kind && t_[rules_[*y]].priority == g.priority; ++y) {
          if (*y == x || !needed(x, *y)) continue;
          const std::size_t lo = std::min(x, *y);
          const std::size_t hi = std::max(x, *y);
          if (seen_overlap_.count({lo, hi}) != 0) continue;
          if (!merge_below(level, t_[rules_[lo]], t_[rules_[hi]], e)) continue;
          seen_overlap_.insert({lo, hi});
          add_overlap(lo, hi, e);
        }
      });
    }
  }

  // Once the overlap list is full, pairs are no longer looked for (the report says truncated).
  [[nodiscard]] bool overlaps_full() {
    if (overlap_.size() < o_.max_findings) return false;
    truncated_ = true;
    return true;
  }

  void add_overlap(std::size_t lo, std::size_t hi, const example_account& ex) {
    const rule& a = t_[rules_[lo]];
    add(overlap_, {rule_finding_kind::overlap, {rules_[lo], rules_[hi]}, ex,
                   "rules " + name(rules_[lo]) + " and " + name(rules_[hi]) + " (" + std::string(to_string(a.kind)) +
                       ", priority " + std::to_string(a.priority) + ") both match account " + to_string(ex)});
  }

  [[nodiscard]] static bool contains(const rule& r, const std::optional<double>& x) {
    if (!r.has_range()) return true;
    if (!x) return false;
    return (!r.min_employees || *x >= *r.min_employees) && (!r.max_employees || *x <= *r.max_employees);
  }

  void employees(const std::vector<std::size_t>& members, const std::vector<bitset>& namers, example_account& ex) {
    std::vector<double> cand;
    const double dmin = o_.min_employees;
    if (o_.integral_employees) {
      for (const auto j : members) {
        const rule& r = t_[rules_[j]];
        if (r.min_employees) cand.push_back(std::ceil(*r.min_employees));
        if (r.max_employees) cand.push_back(std::floor(*r.max_employees) + 1);
      }
      if (std::isfinite(dmin)) cand.push_back(std::ceil(dmin));
    } else {
      std::vector<double> e;
      for (const auto j : members) {
        const rule& r = t_[rules_[j]];
        if (r.min_employees) e.push_back(*r.min_employees);
        if (r.max_employees) e.push_back(*r.max_employees);
      }
      std::sort(e.begin(), e.end());
      e.erase(std::unique(e.begin(), e.end()), e.end());
      for (std::size_t i = 0; i < e.size(); ++i) {
        cand.push_back(e[i]);
        if (i + 1 < e.size()) cand.push_back(e[i] + (e[i + 1] - e[i]) / 2);
      }
      // above the largest finite bound (a bound of +inf leaves no finite point above it)
      for (auto it = e.rbegin(); it != e.rend(); ++it) {
        if (std::isfinite(*it)) {
          cand.push_back(*it + 1);
          break;
        }
      }
      if (std::isfinite(dmin)) cand.push_back(dmin);
    }
    if (!std::isfinite(dmin)) {
      double lo = HUGE_VAL;
      for (const double c : cand) if (std::isfinite(c)) lo = std::min(lo, c);
      // below the smallest finite bound; with only infinite bounds every finite count is alike
      cand.push_back(std::isfinite(lo) ? lo - 1 : 0.0);
    }
    std::erase_if(cand, [&](double c) { return !std::isfinite(c) || c < dmin; });
    std::sort(cand.begin(), cand.end());
    cand.erase(std::unique(cand.begin(), cand.end()), cand.end());
    std::vector<std::optional<double>> points(cand.begin(), cand.end());
    points.emplace_back(std::nullopt);  // employee count unknown (a gap there only with missing_employees)
    std::vector<std::size_t> sub;
    ex.employees_any = false;
    for (const auto& x : points) {
      sub.clear();
      for (const auto j : members) {
        if (contains(t_[rules_[j]], x)) sub.push_back(j);
      }
      ex.employees = x;
      bool redundant = false;
      for (const auto& n : namers) {
        redundant = redundant || std::none_of(sub.begin(), sub.end(), [&](std::size_t j) { return test(n, j); });
      }
      if (redundant) continue;
      if (!sub.empty()) leaf(sub, ex);
      else if (x || o_.missing_employees) gap(ex);
    }
    ex.employees_any = true;
    ex.employees.reset();
  }

  void leaf(const std::vector<std::size_t>& members, const example_account& ex) {
    const std::size_t w = members.front();
    wins_[w] = 1;
    std::size_t begin = 0;  // first member of the current (kind, priority) group
    for (std::size_t x = 0; x < members.size(); ++x) {
      const std::size_t j = members[x];
      if (!first_example_[j]) {
        first_example_[j] = ex;
        first_winner_[j] = rules_[w];
      }
      const rule& a = t_[rules_[members[begin]]];
      const rule& b = t_[rules_[j]];
      if (a.kind != b.kind || a.priority != b.priority) {
        begin = x;
        continue;
      }
      if (overlaps_full()) continue;
      for (std::size_t y = begin; y < x; ++y) {
        if (seen_overlap_.insert({members[y], j}).second) add_overlap(members[y], j, ex);
      }
    }
  }

  const rule_table& t_;
  const rule_validation_options& o_;
  bool truncated_ = false;
  std::vector<rule_finding> unknown_, departed_, overlap_, gap_, shadowed_, shadowed_named_;
  std::set<std::pair<std::size_t, std::size_t>> seen_overlap_;
  std::size_t first_ = 0, n_ = 0, words_ = 0;
  std::vector<rule_index> rules_;
  std::vector<std::uint32_t> code_[3];  // per attribute (like dict_ and masks_), per rule
  std::vector<int> depth_;
  string_dictionary dict_[3];
  std::vector<std::uint64_t> masks_[3];
  std::vector<std::uint32_t> stamp_[3];
  std::uint32_t stamp_gen_[3] = {0, 0, 0};
  std::vector<std::uint8_t> wins_;
  std::vector<std::optional<example_account>> first_example_;
  std::vector<rule_index> first_winner_;
};

}  // namespace detail::route

inline std::string to_string(const example_account& e) {
  std::string s;
  auto add = [&](const char* k, const std::string& v) {
    if (!s.empty()) s += ' ';
    s += k;
    s += '=';
    s += v;
  };
  if (!e.id.empty()) add("id", e.id);
  if (!e.domain.empty()) add("domain", e.domain);
  if (e.industry) add("industry", e.industry->empty() ? "(other)" : *e.industry);
  if (e.region) add("region", e.region->empty() ? "(other)" : *e.region);
  if (e.size_band) add("size_band", e.size_band->empty() ? "(other)" : *e.size_band);
  if (!e.employees_any) add("employees", e.employees ? detail::route::format_count(*e.employees) : "(missing)");
  if (s.empty()) s = "(any)";
  return s;
}

inline rule_validation_report validate_rules(const rule_table& table, const rule_validation_options& options) {
  return detail::route::rule_validator(table, options).run();
}

}  // namespace territory
