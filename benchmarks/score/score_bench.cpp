// Composite scoring of 10⁴–10⁶ accounts with the default policy (4 criteria, min–max), next
// to the same policy with percentile-rank normalisation, and quantile tiering.
#include <benchmark/benchmark.h>

#include <territory/core/random.hpp>
#include <territory/score/score_accounts.hpp>
#include <territory/score/tier.hpp>

#include "bench_common.hpp"

namespace {

Eigen::MatrixXd criteria(std::size_t n) {
  territory::rng r(42);
  Eigen::MatrixXd m(static_cast<Eigen::Index>(n), 4);
  for (Eigen::Index j = 0; j < 4; ++j) {
    for (Eigen::Index i = 0; i < m.rows(); ++i) m(i, j) = r.uniform_real(0, 1000);
  }
  return m;
}

void BM_score(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto m = criteria(n);
  for (auto _ : state) {
    auto r = territory::score_accounts(m);
    benchmark::DoNotOptimize(r.score.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
  state.SetComplexityN(static_cast<std::int64_t>(n));
}

void BM_score_percentile(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto m = criteria(n);
  territory::scoring_policy p{};
  for (auto& c : p.criteria) c.norm = territory::normalizer::percentile_rank;
  for (auto _ : state) {
    auto r = territory::score_accounts(m, p);
    benchmark::DoNotOptimize(r.score.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
  state.SetComplexityN(static_cast<std::int64_t>(n));
}

void BM_tier_quantiles(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto s = territory::score_accounts(criteria(n)).score;
  for (auto _ : state) {
    auto t = territory::assign_tiers(s, territory::tier_quantiles{});
    benchmark::DoNotOptimize(t.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
  state.SetComplexityN(static_cast<std::int64_t>(n));
}

void sizes(benchmark::internal::Benchmark* b) {
  if (territory::bench::smoke()) {
    b->Arg(10000);
  } else {
    b->RangeMultiplier(10)->Range(10000, 1000000);
  }
}

}  // namespace

BENCHMARK(BM_score)->Apply(sizes)->Complexity(benchmark::oN)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_score_percentile)->Apply(sizes)->Complexity(benchmark::oNLogN)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_tier_quantiles)->Apply(sizes)->Complexity(benchmark::oNLogN)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
