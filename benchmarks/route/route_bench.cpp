// Routing throughput: the compiled rule table (BM_route_compiled, target >= 10 M accounts/s
// for 1,000 rules on one core) beside the interpreter it must agree with, the full router
// (cascade + team distribution), and validation of 1,000–10,000 rules.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include <territory/core/random.hpp>
#include <territory/route/compiled_rules.hpp>
#include <territory/route/interpret.hpp>
#include <territory/route/router.hpp>
#include <territory/route/validate_rules.hpp>

#include "bench_common.hpp"

namespace {

using namespace territory;

/// A realistic cascade of about `n` rules: 5 % named lists, 10 % industry specialists,
/// the rest a (region, size band, employee range) table, then a default.
std::vector<rule> make_rules(std::size_t n) {
  std::vector<rule> out;
  const std::size_t named = n / 20;
  const std::size_t industries = n / 10;
  for (std::size_t i = 0; i < named; ++i) {
    rule r;
    r.id = "named" + std::to_string(i);
    r.kind = rule_kind::named;
    r.owner = "rep" + std::to_string(i % 50);
    for (int k = 0; k < 4; ++k) r.account_ids.push_back("acct" + std::to_string(i * 97 + static_cast<std::size_t>(k) * 13));
    r.domains.push_back("co" + std::to_string(i) + ".com");
    out.push_back(std::move(r));
  }
  for (std::size_t i = 0; i < industries; ++i) {
    rule r;
    r.id = "industry" + std::to_string(i);
    r.kind = rule_kind::industry;
    r.priority = static_cast<std::int64_t>(i);
    r.team = "team" + std::to_string(i % 10);
    r.industry = "industry" + std::to_string(i);
    r.region = i % 2 == 0 ? "" : "region" + std::to_string(i % 40);
    out.push_back(std::move(r));
  }
  const double cuts[] = {0, 50, 250, 1000, 1e18};
  std::size_t k = 0;
  while (out.size() + 1 < n) {
    rule r;
    r.id = "segment" + std::to_string(k);
    r.kind = rule_kind::segment;
    r.priority = 1;
    r.region = "region" + std::to_string(k / 20);
    r.size_band = "band" + std::to_string((k / 4) % 5);
    r.min_employees = cuts[k % 4];
    r.max_employees = cuts[k % 4 + 1] - 1;
    r.owner = "rep" + std::to_string(k % 50);
    out.push_back(std::move(r));
    ++k;
  }
  rule d;
  d.id = "default";
  d.kind = rule_kind::fallback;
  d.team = "team0";
  out.push_back(std::move(d));
  return out;
}

struct stored {
  std::string id, domain, industry, region, size_band;
  double employees;
};

std::vector<stored> make_accounts(std::size_t n, std::size_t rules) {
  rng g(42);
  std::vector<stored> out(n);
  const std::size_t regions = rules / 20 + 2;
  for (auto& a : out) {
    a.id = "acct" + std::to_string(g.below(rules * 100));
    a.domain = g.below(4) == 0 ? "co" + std::to_string(g.below(rules)) + ".com" : "";
    a.industry = "industry" + std::to_string(g.below(rules / 2 + 1));
    a.region = "region" + std::to_string(g.below(regions));
    a.size_band = "band" + std::to_string(g.below(6));
    a.employees = static_cast<double>(g.below(2000));
  }
  return out;
}

std::vector<routing_account> views(const std::vector<stored>& s) {
  std::vector<routing_account> out;
  out.reserve(s.size());
  for (const auto& a : s) out.push_back({a.id, a.domain, a.industry, a.region, a.size_band, a.employees});
  return out;
}

std::vector<rep> make_reps() {
  std::vector<rep> reps(50);
  for (std::size_t i = 0; i < reps.size(); ++i) {
    reps[i].id = "rep" + std::to_string(i);
    reps[i].team = "team" + std::to_string(i % 10);
  }
  return reps;
}

constexpr std::size_t account_count = 1 << 16;

void BM_route_compiled(benchmark::State& state) {
  const rule_table table(make_rules(static_cast<std::size_t>(state.range(0))));
  const compiled_rules c(table);
  const auto store = make_accounts(account_count, table.size());
  const auto acc = views(store);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(c.first_match(acc[i]));
    i = (i + 1) & (account_count - 1);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_route_interpreted(benchmark::State& state) {
  const rule_table table(make_rules(static_cast<std::size_t>(state.range(0))));
  const auto store = make_accounts(account_count, table.size());
  const auto acc = views(store);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(first_matching_rule(table, acc[i]));
    i = (i + 1) & (account_count - 1);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_router_route(benchmark::State& state) {
  router r(rule_table(make_rules(static_cast<std::size_t>(state.range(0)))), make_reps(),
           {.policy = static_cast<distribution>(state.range(1))});
  const auto store = make_accounts(account_count, r.rules().size());
  const auto acc = views(store);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(r.route(acc[i]));
    i = (i + 1) & (account_count - 1);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::string(to_string(static_cast<distribution>(state.range(1)))));
}

void BM_validate_rules(benchmark::State& state) {
  const rule_table table(make_rules(static_cast<std::size_t>(state.range(0))));
  std::size_t findings = 0;
  for (auto _ : state) {
    const auto r = validate_rules(table);
    findings = r.findings.size();
    benchmark::DoNotOptimize(findings);
  }
  state.counters["findings"] = static_cast<double>(findings);
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetComplexityN(state.range(0));
}

/// An unstructured table: every rule picks random values (or a wildcard) for each attribute
/// and a random employee range, from 30 industries, 40 regions, 6 bands; priorities 1–5.
std::vector<rule> random_rules(std::size_t n) {
  rng g(7);
  std::vector<rule> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    rule& r = out[i];
    r.id = "r" + std::to_string(i);
    r.kind = g.below(3) == 0 ? rule_kind::industry : rule_kind::segment;
    r.priority = static_cast<std::int64_t>(1 + g.below(5));
    r.owner = "rep" + std::to_string(g.below(50));
    if (g.below(3) != 0) r.industry = "industry" + std::to_string(g.below(30));
    if (g.below(3) != 0) r.region = "region" + std::to_string(g.below(40));
    if (g.below(2) != 0) r.size_band = "band" + std::to_string(g.below(6));
    if (g.below(2) != 0) {
      const double lo = static_cast<double>(g.below(1000));
      r.min_employees = lo;
      r.max_employees = lo + static_cast<double>(g.below(1000));
    }
  }
  return out;
}

void BM_validate_rules_random(benchmark::State& state) {
  const rule_table table(random_rules(static_cast<std::size_t>(state.range(0))));
  std::size_t findings = 0;
  for (auto _ : state) {
    const auto r = validate_rules(table);
    findings = r.findings.size();
    benchmark::DoNotOptimize(findings);
  }
  state.counters["findings"] = static_cast<double>(findings);
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void rule_sizes(benchmark::internal::Benchmark* b) {
  if (territory::bench::smoke()) b->Arg(100);
  else b->Arg(100)->Arg(1000)->Arg(10000);
}
void router_sizes(benchmark::internal::Benchmark* b) {
  if (territory::bench::smoke()) {
    b->Args({100, 0});
    return;
  }
  for (int p = 0; p < 3; ++p) b->Args({1000, p});
}
void validate_sizes(benchmark::internal::Benchmark* b) {
  if (territory::bench::smoke()) b->Arg(100);
  else b->Arg(1000)->Arg(10000);
}

}  // namespace

BENCHMARK(BM_route_compiled)->Apply(rule_sizes);
BENCHMARK(BM_route_interpreted)->Apply(rule_sizes);
BENCHMARK(BM_router_route)->Apply(router_sizes);
BENCHMARK(BM_validate_rules)->Apply(validate_sizes)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_validate_rules_random)->Apply(validate_sizes)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
