#pragma once
// Helpers for the route tests: rule builders and random tables/accounts.
#include <chrono>
#include <string>
#include <vector>

#include <territory/core/random.hpp>
#include <territory/route/rule.hpp>
#include <territory/route/routing_account.hpp>

namespace route_test {

inline territory::rule seg(std::string id, std::int64_t prio, std::string owner, std::string region = {},
                           std::string band = {}, std::optional<double> lo = {}, std::optional<double> hi = {}) {
  territory::rule r;
  r.id = std::move(id);
  r.priority = prio;
  r.kind = territory::rule_kind::segment;
  r.owner = std::move(owner);
  r.region = std::move(region);
  r.size_band = std::move(band);
  r.min_employees = lo;
  r.max_employees = hi;
  return r;
}

inline territory::rule ind(std::string id, std::int64_t prio, std::string owner, std::string industry) {
  territory::rule r;
  r.id = std::move(id);
  r.priority = prio;
  r.kind = territory::rule_kind::industry;
  r.owner = std::move(owner);
  r.industry = std::move(industry);
  return r;
}

inline territory::rule named(std::string id, std::int64_t prio, std::string owner, std::vector<std::string> ids,
                             std::vector<std::string> domains = {}) {
  territory::rule r;
  r.id = std::move(id);
  r.priority = prio;
  r.kind = territory::rule_kind::named;
  r.owner = std::move(owner);
  r.account_ids = std::move(ids);
  r.domains = std::move(domains);
  return r;
}

inline territory::rule fallback(std::string id, std::string owner) {
  territory::rule r;
  r.id = std::move(id);
  r.kind = territory::rule_kind::fallback;
  r.owner = std::move(owner);
  return r;
}

/// Account attribute storage (the routing_account views point into it).
struct stored_account {
  std::string id, domain, industry, region, size_band;
  std::optional<double> employees;
  [[nodiscard]] territory::routing_account view() const { return {id, domain, industry, region, size_band, employees}; }
};

inline std::string pick(territory::rng& g, const char* prefix, int n) {
  const auto k = g.below(static_cast<std::uint64_t>(n) + 1);
  if (k == static_cast<std::uint64_t>(n)) return {};
  return prefix + std::to_string(k);
}

/// A random table of `n` rules over small value sets (so rules overlap and shadow), owners r0..r4.
inline std::vector<territory::rule> random_rules(std::uint64_t seed, int n) {
  territory::rng g(seed);
  std::vector<territory::rule> out;
  for (int i = 0; i < n; ++i) {
    territory::rule r;
    r.id = "rule" + std::to_string(i);
    r.kind = static_cast<territory::rule_kind>(g.below(4));
    r.priority = static_cast<std::int64_t>(g.below(4));
    r.owner = "r" + std::to_string(g.below(5));
    if (r.kind == territory::rule_kind::named) {
      const auto k = 1 + g.below(3);
      for (std::uint64_t j = 0; j < k; ++j) r.account_ids.push_back("a" + std::to_string(g.below(40)));
      if (g.below(3) == 0) r.domains.push_back("d" + std::to_string(g.below(5)) + ".com");
    }
    if (r.kind != territory::rule_kind::fallback) {
      if (g.below(2) == 0) r.industry = pick(g, "i", 4);
      if (g.below(2) == 0) r.region = pick(g, "reg", 4);
      if (g.below(2) == 0) r.size_band = pick(g, "b", 3);
      if (g.below(2) == 0) {
        const double lo = static_cast<double>(g.below(100));
        const double hi = lo + static_cast<double>(g.below(100));
        if (g.below(3) != 0) r.min_employees = lo;
        if (g.below(3) != 0) r.max_employees = hi;
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

inline std::vector<stored_account> random_accounts(std::uint64_t seed, int n) {
  territory::rng g(seed);
  std::vector<stored_account> out;
  for (int i = 0; i < n; ++i) {
    stored_account a;
    a.id = "a" + std::to_string(g.below(50));
    if (g.below(2) == 0) a.domain = "d" + std::to_string(g.below(6)) + ".com";
    a.industry = pick(g, "i", 5);
    a.region = pick(g, "reg", 5);
    a.size_band = pick(g, "b", 4);
    if (g.below(5) != 0) a.employees = static_cast<double>(g.below(220)) - 10.0 + (g.below(4) == 0 ? 0.5 : 0.0);
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace route_test
