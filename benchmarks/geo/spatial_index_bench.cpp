// Spatial index: build and k-nearest-neighbour queries for 10³–10⁵ points (uniform in a
// 1000 km square), next to the brute-force scan it replaces (reference, small sizes only).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <vector>

#include <territory/core/random.hpp>
#include <territory/geo/spatial_index.hpp>

#include "bench_common.hpp"

namespace {

Eigen::MatrixX2d uniform_points(std::size_t n) {
  territory::rng r(42);
  Eigen::MatrixX2d p(static_cast<Eigen::Index>(n), 2);
  for (Eigen::Index i = 0; i < p.rows(); ++i) {
    p(i, 0) = r.uniform_real(0, 1000);
    p(i, 1) = r.uniform_real(0, 1000);
  }
  return p;
}

void BM_spatial_index(benchmark::State& state) {  // build + one 8-NN query per point
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto p = uniform_points(n);
  for (auto _ : state) {
    const territory::spatial_index idx(p);
    std::size_t sum = 0;
    std::vector<territory::neighbor> nb;
    for (Eigen::Index i = 0; i < p.rows(); ++i) {
      idx.nearest_into({p(i, 0), p(i, 1)}, 8, nb);
      sum += nb.back().index;
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
  state.SetComplexityN(static_cast<std::int64_t>(n));
}

void BM_spatial_index_build(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto p = uniform_points(n);
  for (auto _ : state) {
    const territory::spatial_index idx(p);
    benchmark::DoNotOptimize(idx.size());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
  state.SetComplexityN(static_cast<std::int64_t>(n));
}

void BM_spatial_index_radius(benchmark::State& state) {  // radius 20 km: ~1.3 points per query at 10³, ~125 at 10⁵
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto p = uniform_points(n);
  const territory::spatial_index idx(p);
  for (auto _ : state) {
    std::size_t found = 0;
    for (Eigen::Index i = 0; i < p.rows(); ++i) found += idx.within({p(i, 0), p(i, 1)}, 20.0).size();
    benchmark::DoNotOptimize(found);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
  state.SetComplexityN(static_cast<std::int64_t>(n));
}

void BM_brute_force_knn(benchmark::State& state) {  // reference: scan all points per query
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto p = uniform_points(n);
  std::vector<std::pair<double, std::size_t>> d(n);
  for (auto _ : state) {
    std::size_t sum = 0;
    for (Eigen::Index i = 0; i < p.rows(); ++i) {
      for (std::size_t j = 0; j < n; ++j) d[j] = {(p.row(i) - p.row(static_cast<Eigen::Index>(j))).squaredNorm(), j};
      std::partial_sort(d.begin(), d.begin() + 8, d.end());
      sum += d[7].second;
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}

void sizes(benchmark::internal::Benchmark* b) {
  if (territory::bench::smoke()) {
    b->Arg(1000);
  } else {
    b->RangeMultiplier(10)->Range(1000, 100000)->Complexity(benchmark::oNLogN);
  }
}

void small_sizes(benchmark::internal::Benchmark* b) {
  b->Arg(1000);
  if (!territory::bench::smoke()) b->Arg(10000);
}

}  // namespace

BENCHMARK(BM_spatial_index)->Apply(sizes)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_spatial_index_build)->Apply(sizes)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_spatial_index_radius)->Apply(sizes)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_brute_force_knn)->Apply(small_sizes)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
