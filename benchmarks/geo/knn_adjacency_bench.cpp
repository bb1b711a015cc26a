// kNN adjacency (k = 6, with the connect pass) for 10³–10⁵ points: uniform in a 1000 km
// square, and clustered (many components before the connect pass).
#include <benchmark/benchmark.h>

#include <territory/core/random.hpp>
#include <territory/geo/knn_adjacency.hpp>

#include "bench_common.hpp"

namespace {

Eigen::MatrixX2d points(std::size_t n, bool clustered) {
  territory::rng r(42);
  Eigen::MatrixX2d p(static_cast<Eigen::Index>(n), 2);
  for (Eigen::Index i = 0; i < p.rows(); ++i) {
    if (clustered) {  // 200 tight towns
      const double cx = static_cast<double>((i % 200) % 20) * 50.0, cy = static_cast<double>((i % 200) / 20) * 50.0;
      p(i, 0) = cx + r.normal(0, 2.0);
      p(i, 1) = cy + r.normal(0, 2.0);
    } else {
      p(i, 0) = r.uniform_real(0, 1000);
      p(i, 1) = r.uniform_real(0, 1000);
    }
  }
  return p;
}

void run(benchmark::State& state, bool clustered) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto p = points(n, clustered);
  std::size_t joined = 0;
  for (auto _ : state) {
    const auto r = territory::knn_adjacency(p, {.k = 6});
    joined = r.components_joined;
    benchmark::DoNotOptimize(r.graph.edge_count());
  }
  state.counters["joined"] = static_cast<double>(joined);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
  state.SetComplexityN(static_cast<std::int64_t>(n));
}

void BM_knn_adjacency(benchmark::State& state) { run(state, false); }
void BM_knn_adjacency_clustered(benchmark::State& state) { run(state, true); }

void sizes(benchmark::internal::Benchmark* b) {
  if (territory::bench::smoke()) {
    b->Arg(1000);
  } else {
    b->RangeMultiplier(10)->Range(1000, 100000)->Complexity(benchmark::oNLogN);
  }
}

}  // namespace

BENCHMARK(BM_knn_adjacency)->Apply(sizes)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_knn_adjacency_clustered)->Apply(sizes)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
