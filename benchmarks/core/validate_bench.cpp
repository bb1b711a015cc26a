// Whole-input validation: accounts/s for 10³–10⁶ accounts with 3 activities and a
// grid adjacency given by id.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include <territory/core.hpp>

#include "bench_common.hpp"

namespace {

void BM_validate(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<std::string> ids(n);
  for (std::size_t i = 0; i < n; ++i) ids[i] = "acc" + std::to_string(i);
  territory::account_table t(ids, Eigen::MatrixX2d::Random(static_cast<Eigen::Index>(n), 2));
  for (const char* name : {"a1", "a2", "a3"}) {
    t.add_activity(name, Eigen::VectorXd::Random(static_cast<Eigen::Index>(n)).cwiseAbs());
  }
  std::vector<territory::edge_ref> edges;
  edges.reserve(n);
  for (std::size_t i = 0; i + 1 < n; ++i) edges.push_back({ids[i], ids[i + 1]});
  for (auto _ : state) {
    auto r = territory::validate(t, {.edges = edges, .territories = 10});
    benchmark::DoNotOptimize(r);
    if (!r.ok()) territory::bench::wrong_claim(state, "validate() reports problems in a valid input");
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
  state.SetComplexityN(static_cast<std::int64_t>(n));
}

void sizes(benchmark::internal::Benchmark* b) {
  if (territory::bench::smoke()) {
    b->Arg(1000);
  } else {
    b->RangeMultiplier(10)->Range(1000, 1000000)->Complexity(benchmark::oN);
  }
}

}  // namespace

BENCHMARK(BM_validate)->Apply(sizes)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
