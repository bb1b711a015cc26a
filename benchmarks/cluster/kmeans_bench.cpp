// k-means on 10⁴–10⁵ points with k = 100 (Hamerly iteration, k-means++ seeding), next to a
// plain Lloyd reference from the same seeding (fixed 20 iterations each, so the per-iteration
// cost is compared), and balanced k-means on 10⁴ points.
#include <benchmark/benchmark.h>

#include <limits>
#include <vector>

#include <territory/cluster/balanced_kmeans.hpp>
#include <territory/cluster/kmeans.hpp>
#include <territory/core/random.hpp>

#include "bench_common.hpp"

namespace {

Eigen::MatrixXd points(std::size_t n) {  // 300 gaussian towns in a 1000 km square
  territory::rng r(42);
  std::vector<std::array<double, 2>> towns(300);
  for (auto& t : towns) t = {r.uniform_real(0, 1000), r.uniform_real(0, 1000)};
  Eigen::MatrixXd p(static_cast<Eigen::Index>(n), 2);
  for (Eigen::Index i = 0; i < p.rows(); ++i) {
    const auto& t = towns[r.below(towns.size())];
    p(i, 0) = t[0] + r.normal(0, 15.0);
    p(i, 1) = t[1] + r.normal(0, 15.0);
  }
  return p;
}

void BM_kmeans(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto k = static_cast<std::size_t>(state.range(1));
  const auto p = points(n);
  std::uint64_t iters = 0;
  for (auto _ : state) {
    const auto r = territory::kmeans(p, k, {.max_iterations = 100});
    iters = r.stats.iterations;
    benchmark::DoNotOptimize(r.objective);
  }
  state.counters["iterations"] = static_cast<double>(iters);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}

void BM_kmeans_hamerly_20(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto k = static_cast<std::size_t>(state.range(1));
  const auto p = points(n);
  const auto ps = territory::detail::make_point_set(p, {}, k, "bench");
  territory::rng gen(1);
  const auto init = territory::detail::kmeanspp(ps, k, gen);
  for (auto _ : state) {
    const auto st = territory::detail::hamerly(ps, k, init, 20, {}, {}, "bench");
    benchmark::DoNotOptimize(st.objective);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}

void BM_kmeans_lloyd_20(benchmark::State& state) {  // reference: plain Lloyd, n·k distances per iteration
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto k = static_cast<std::size_t>(state.range(1));
  const auto p = points(n);
  const auto ps = territory::detail::make_point_set(p, {}, k, "bench");
  territory::rng gen(1);
  const auto init = territory::detail::kmeanspp(ps, k, gen);
  for (auto _ : state) {
    auto c = init;
    std::vector<std::uint32_t> lab(n);
    for (int it = 0; it < 20; ++it) {
      for (std::size_t i = 0; i < n; ++i) {
        double bd = std::numeric_limits<double>::infinity();
        for (std::size_t j = 0; j < k; ++j) {
          const double d = territory::detail::sqdist(ps.row(i), c.data() + 2 * j, 2);
          if (d < bd) {
            bd = d;
            lab[i] = static_cast<std::uint32_t>(j);
          }
        }
      }
      (void)territory::detail::update_centers(ps, k, c, lab);
    }
    benchmark::DoNotOptimize(c.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}

void BM_balanced_kmeans(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto k = static_cast<std::size_t>(state.range(1));
  const auto p = points(n);
  std::vector<double> act(n);
  territory::rng r(3);
  for (auto& a : act) a = 0.5 + r.uniform01();
  double dev = 0;
  for (auto _ : state) {
    const auto res = territory::balanced_kmeans(p, k, act, {.tolerance = 0.05, .max_iterations = 10});
    dev = res.quality.max_deviation;
    benchmark::DoNotOptimize(res.quality.wcss);
  }
  state.counters["max_deviation"] = dev;
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}

void sizes(benchmark::internal::Benchmark* b) {
  if (territory::bench::smoke()) {
    b->Args({1000, 10});
  } else {
    b->Args({10000, 100})->Args({100000, 100});
  }
}

void balanced_sizes(benchmark::internal::Benchmark* b) {
  if (territory::bench::smoke()) {
    b->Args({1000, 5});
  } else {
    b->Args({10000, 20});
  }
}

}  // namespace

BENCHMARK(BM_kmeans)->Apply(sizes)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_kmeans_hamerly_20)->Apply(sizes)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_kmeans_lloyd_20)->Apply(sizes)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_balanced_kmeans)->Apply(balanced_sizes)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
