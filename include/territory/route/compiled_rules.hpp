#pragma once

/// @file compiled_rules.hpp
/// A rule table compiled for throughput: bitsets per attribute value, so that matching an
/// account costs three dictionary look-ups, one binary search over the employee
/// breakpoints and an AND over R/64 words that stops at the first non-zero word.
///
/// Decisions are identical to the interpreter (`interpret.hpp`), which the differential
/// test checks on random tables and accounts.

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "territory/core/error.hpp"
#include "territory/detail/route/string_dictionary.hpp"
#include "territory/route/interpret.hpp"
#include "territory/route/rule_table.hpp"
#include "territory/route/routing_account.hpp"

namespace territory {

/// Compiled form of a `rule_table`; self-contained (does not refer to the table).
///
/// Complexity: build O(R·(V + B)/64 + ids) words, where V is the number of distinct
/// attribute values and B the number of distinct employee bounds; memory the same.
/// `first_match`: O(|ids matched| + log B + R/64) worst case, no allocation.
/// Throws (constructor): invalid_input{errc::size_mismatch} (field "eligible") if eligible
/// is neither empty nor one flag per rule. `first_match`/`matches`:
/// invalid_input{errc::non_finite} if employees is NaN.
/// Determinism: identical results to `first_matching_rule` / `matching_rules`.
class compiled_rules {
 public:
  compiled_rules() = default;

  explicit compiled_rules(const rule_table& table, std::span<const std::uint8_t> eligible = {}) {
    if (!eligible.empty() && eligible.size() != table.size()) {
      throw invalid_input(errc::size_mismatch, "eligible",
                          "compiled_rules(): eligible has " + std::to_string(eligible.size()) +
                              " flags, expected " + std::to_string(table.size()) + " (one per rule)");
    }
    const std::size_t r_count = table.size();
    words_ = (r_count + 63) / 64;
    order_.assign(table.cascade().begin(), table.cascade().end());
    position_.resize(r_count);
    for (std::size_t p = 0; p < r_count; ++p) position_[order_[p]] = static_cast<rule_index>(p);

    // attribute dictionaries
    for (std::size_t p = 0; p < r_count; ++p) {
      const rule& r = table[order_[p]];
      if (r.kind == rule_kind::named) named_end_ = p + 1;
      for (int a = 0; a < 3; ++a) {
        const std::string& v = attr(r, a);
        if (!v.empty()) dict_[a].insert(v);
      }
    }
    for (int a = 0; a < 3; ++a) {
      masks_[a].assign((dict_[a].size() + 1) * words_, 0);
      for (std::size_t p = 0; p < r_count; ++p) {
        const std::string& v = attr(table[order_[p]], a);
        if (v.empty()) {
          for (std::size_t c = 0; c <= dict_[a].size(); ++c) set(masks_[a].data() + c * words_, p);
        } else {
          set(masks_[a].data() + dict_[a].find(v) * words_, p);
        }
      }
    }
    // employee segments: endpoints E; segment 2i = (E[i-1], E[i]), 2i+1 = [E[i], E[i]]
    for (std::size_t p = 0; p < r_count; ++p) {
      const rule& r = table[order_[p]];
      if (r.min_employees) bounds_.push_back(*r.min_employees);
      if (r.max_employees) bounds_.push_back(*r.max_employees);
    }
    std::sort(bounds_.begin(), bounds_.end());
    bounds_.erase(std::unique(bounds_.begin(), bounds_.end()), bounds_.end());
    const std::size_t segments = 2 * bounds_.size() + 1;
    segment_mask_.resize(segments);
    std::vector<std::uint64_t> m(words_);
    for (std::size_t s = 0; s < segments; ++s) {
      std::fill(m.begin(), m.end(), 0);
      const bool at_bound = (s % 2) == 1;
      const std::size_t i = s / 2;
      for (std::size_t p = 0; p < r_count; ++p) {
        const rule& r = table[order_[p]];
        bool in = true;
        if (at_bound) {
          const double x = bounds_[i];
          in = (!r.min_employees || *r.min_employees <= x) && (!r.max_employees || *r.max_employees >= x);
        } else {
          // open interval (lo, hi) with lo = E[i-1] or -inf, hi = E[i] or +inf
          if (r.min_employees) in = in && i > 0 && *r.min_employees <= bounds_[i - 1];
          if (r.max_employees) in = in && i < bounds_.size() && *r.max_employees >= bounds_[i];
        }
        if (in) set(m.data(), p);
      }
      const std::size_t n_masks = emp_masks_.size() / std::max<std::size_t>(words_, 1);
      if (n_masks > 0 && words_ > 0 && std::equal(m.begin(), m.end(), emp_masks_.end() - static_cast<std::ptrdiff_t>(words_))) {
        segment_mask_[s] = static_cast<std::uint32_t>(n_masks - 1);
      } else {
        emp_masks_.insert(emp_masks_.end(), m.begin(), m.end());
        segment_mask_[s] = static_cast<std::uint32_t>(n_masks);
      }
    }
    std::fill(m.begin(), m.end(), 0);
    for (std::size_t p = 0; p < r_count; ++p) {
      if (!table[order_[p]].has_range()) set(m.data(), p);
    }
    missing_row_ = emp_masks_.size() / std::max<std::size_t>(words_, 1);
    emp_masks_.insert(emp_masks_.end(), m.begin(), m.end());
    // named lists (CSR by id code / domain code)
    for (std::size_t p = 0; p < named_end_; ++p) {
      const rule& r = table[order_[p]];
      for (const auto& s : r.account_ids) ids_.insert(s);
      for (const auto& s : r.domains) domains_.insert(s);
    }
    build_lists(table, ids_, id_start_, id_pos_, true);
    build_lists(table, domains_, domain_start_, domain_pos_, false);
    blocks_ = (words_ + 63) / 64;
    for (int a = 0; a < 3; ++a) sum_[a] = summaries(masks_[a]);
    emp_sum_ = summaries(emp_masks_);
    // eligibility, restricted to non-named positions for the bitset scan
    eligible_.assign(words_, 0);
    for (std::size_t p = 0; p < r_count; ++p) {
      if (eligible.empty() || eligible[order_[p]] != 0) set(eligible_.data(), p);
    }
    rebuild_base();
  }

  [[nodiscard]] std::size_t size() const noexcept { return order_.size(); }

  /// Marks rule r eligible or not (e.g. its owner departed). O(1).
  /// Throws invalid_input{errc::out_of_range} (field "rule") if r >= size().
  void set_eligible(rule_index r, bool on) {
    if (r >= order_.size()) {
      throw invalid_input(errc::out_of_range, "rule", "compiled_rules::set_eligible(): rule " + std::to_string(r) +
                                                          " out of range", r);
    }
    const std::size_t p = position_[r];
    if (on) set(eligible_.data(), p); else eligible_[p / 64] &= ~(std::uint64_t{1} << (p % 64));
    rebuild_base();
  }

  /// First eligible matching rule in cascade order, or `no_rule`. Same as
  /// `first_matching_rule(table, account, eligible)`.
  [[nodiscard]] rule_index first_match(const routing_account& a) const {
    detail::route::check_account(a);
    const std::size_t c0 = dict_[0].find(a.industry);
    const std::size_t c1 = dict_[1].find(a.region);
    const std::size_t c2 = dict_[2].find(a.size_band);
    const std::size_t ce = employee_row(a.employees);
    const std::uint64_t* m0 = masks_[0].data() + c0 * words_;
    const std::uint64_t* m1 = masks_[1].data() + c1 * words_;
    const std::uint64_t* m2 = masks_[2].data() + c2 * words_;
    const std::uint64_t* me = emp_masks_.data() + ce * words_;
    if (named_end_ > 0) {
      std::size_t best = named_end_;
      auto consider = [&](const std::vector<std::uint32_t>& start, const std::vector<std::uint32_t>& pos, std::uint32_t c) {
        if (c == 0) return;
        for (std::uint32_t k = start[c - 1]; k < start[c]; ++k) {
          const std::size_t p = pos[k];
          if (p < best && test(m0, p) && test(m1, p) && test(m2, p) && test(me, p) && test(eligible_.data(), p)) best = p;
        }
      };
      consider(id_start_, id_pos_, ids_.find(a.id));
      if (!a.domain.empty()) consider(domain_start_, domain_pos_, domains_.find(a.domain));
      if (best < named_end_) return order_[best];
    }
    // two levels: a summary bit per word says "this word of the row is non-zero"
    const std::uint64_t* b = base_.data();
    const std::uint64_t* s0 = sum_[0].data() + c0 * blocks_;
    const std::uint64_t* s1 = sum_[1].data() + c1 * blocks_;
    const std::uint64_t* s2 = sum_[2].data() + c2 * blocks_;
    const std::uint64_t* se = emp_sum_.data() + ce * blocks_;
    const std::uint64_t* sb = base_sum_.data();
    for (std::size_t k = 0; k < blocks_; ++k) {
      std::uint64_t cand = s0[k] & s1[k] & s2[k] & se[k] & sb[k];
      while (cand != 0) {
        const std::size_t w = k * 64 + static_cast<std::size_t>(std::countr_zero(cand));
        const std::uint64_t x = m0[w] & m1[w] & m2[w] & me[w] & b[w];
        if (x != 0) return order_[w * 64 + static_cast<std::size_t>(std::countr_zero(x))];
        cand &= cand - 1;
      }
    }
    return no_rule;
  }

  /// Every matching rule (eligible or not) in cascade order. Same as `matching_rules`.
  [[nodiscard]] std::vector<rule_index> matches(const routing_account& a) const {
    detail::route::check_account(a);
    const std::uint64_t* m0 = masks_[0].data() + dict_[0].find(a.industry) * words_;
    const std::uint64_t* m1 = masks_[1].data() + dict_[1].find(a.region) * words_;
    const std::uint64_t* m2 = masks_[2].data() + dict_[2].find(a.size_band) * words_;
    const std::uint64_t* me = employee_mask(a.employees);
    std::vector<std::size_t> named;
    auto collect = [&](const std::vector<std::uint32_t>& start, const std::vector<std::uint32_t>& pos, std::uint32_t c) {
      if (c == 0) return;
      for (std::uint32_t k = start[c - 1]; k < start[c]; ++k) {
        const std::size_t p = pos[k];
        if (test(m0, p) && test(m1, p) && test(m2, p) && test(me, p)) named.push_back(p);
      }
    };
    if (named_end_ > 0) {
      collect(id_start_, id_pos_, ids_.find(a.id));
      if (!a.domain.empty()) collect(domain_start_, domain_pos_, domains_.find(a.domain));
      std::sort(named.begin(), named.end());
      named.erase(std::unique(named.begin(), named.end()), named.end());
    }
    std::vector<rule_index> out;
    for (const auto p : named) out.push_back(order_[p]);
    for (std::size_t w = named_end_ / 64; w < words_; ++w) {
      std::uint64_t x = m0[w] & m1[w] & m2[w] & me[w] & unnamed_[w];
      while (x != 0) {
        out.push_back(order_[w * 64 + static_cast<std::size_t>(std::countr_zero(x))]);
        x &= x - 1;
      }
    }
    return out;
  }

 private:
  // Summary rows: bit w % 64 of block w / 64 is set when word w of the row is non-zero.
  [[nodiscard]] std::vector<std::uint64_t> summaries(const std::vector<std::uint64_t>& rows) const {
    std::vector<std::uint64_t> out;
    if (words_ == 0) return out;
    const std::size_t n = rows.size() / words_;
    out.assign(n * blocks_, 0);
    for (std::size_t r = 0; r < n; ++r) {
      for (std::size_t w = 0; w < words_; ++w) {
        if (rows[r * words_ + w] != 0) out[r * blocks_ + w / 64] |= std::uint64_t{1} << (w % 64);
      }
    }
    return out;
  }

  static const std::string& attr(const rule& r, int a) noexcept {
    return a == 0 ? r.industry : (a == 1 ? r.region : r.size_band);
  }
  static void set(std::uint64_t* m, std::size_t p) noexcept { m[p / 64] |= std::uint64_t{1} << (p % 64); }
  static bool test(const std::uint64_t* m, std::size_t p) noexcept { return ((m[p / 64] >> (p % 64)) & 1U) != 0; }

  // Row of emp_masks_ for an employee count (the last row is "missing").
  [[nodiscard]] std::size_t employee_row(const std::optional<double>& e) const noexcept {
    if (!e) return missing_row_;
    const auto it = std::lower_bound(bounds_.begin(), bounds_.end(), *e);
    const auto i = static_cast<std::size_t>(it - bounds_.begin());
    const std::size_t s = (it != bounds_.end() && *it == *e) ? 2 * i + 1 : 2 * i;
    return segment_mask_[s];
  }
  [[nodiscard]] const std::uint64_t* employee_mask(const std::optional<double>& e) const noexcept {
    return emp_masks_.data() + employee_row(e) * words_;
  }

  void build_lists(const rule_table& table, const detail::route::string_dictionary& d, std::vector<std::uint32_t>& start,
                   std::vector<std::uint32_t>& pos, bool ids) {
    std::vector<std::vector<std::uint32_t>> lists(d.size());
    for (std::size_t p = 0; p < named_end_; ++p) {
      const rule& r = table[order_[p]];
      for (const auto& s : ids ? r.account_ids : r.domains) {
        auto& l = lists[d.find(s) - 1];
        if (l.empty() || l.back() != p) l.push_back(static_cast<std::uint32_t>(p));
      }
    }
    start.assign(1, 0);
    for (const auto& l : lists) {
      pos.insert(pos.end(), l.begin(), l.end());
      start.push_back(static_cast<std::uint32_t>(pos.size()));
    }
  }

  void rebuild_base() {
    unnamed_.assign(words_, ~std::uint64_t{0});
    for (std::size_t p = 0; p < named_end_; ++p) unnamed_[p / 64] &= ~(std::uint64_t{1} << (p % 64));
    const std::size_t tail = order_.size() % 64;
    if (tail != 0 && words_ > 0) unnamed_[words_ - 1] &= (std::uint64_t{1} << tail) - 1;
    base_.resize(words_);
    for (std::size_t w = 0; w < words_; ++w) base_[w] = unnamed_[w] & eligible_[w];
    base_sum_ = summaries(base_);
  }

  std::size_t words_ = 0;
  std::size_t named_end_ = 0;
  std::vector<rule_index> order_;
  std::vector<rule_index> position_;
  detail::route::string_dictionary dict_[3];
  std::vector<std::uint64_t> masks_[3];
  std::vector<double> bounds_;
  std::vector<std::uint32_t> segment_mask_;
  std::vector<std::uint64_t> emp_masks_;
  detail::route::string_dictionary ids_, domains_;
  std::vector<std::uint32_t> id_start_, id_pos_, domain_start_, domain_pos_;
  std::vector<std::uint64_t> eligible_, unnamed_, base_;
  std::size_t blocks_ = 0, missing_row_ = 0;
  std::vector<std::uint64_t> sum_[3], emp_sum_, base_sum_;
};

}  // namespace territory
