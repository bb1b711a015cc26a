// evaluate_plan (plan/metrics.hpp) on k×k grids cut into b×b square territories, with the
// 4-neighbour graph: accounts/s, for euclidean (hull diameters) and haversine (exact, via the
// convex hull in the gnomonic projection). Reference variant: the all-pairs haversine
// diameter beside the hull, on the smaller sizes.

#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

#include <territory/geo/haversine.hpp>
#include <territory/plan/metrics.hpp>

#include "bench_common.hpp"

namespace {

/// Haversine that evaluate_plan does not recognise: with an unlimited exact_diameter_limit it
/// takes the all-pairs path (the reference beside the gnomonic hull).
struct opaque_haversine {
  double operator()(const territory::point& p, const territory::point& q) const noexcept { return territory::haversine{}(p, q); }
};

struct instance {
  Eigen::MatrixXd acts;
  Eigen::MatrixX2d xy;     // planar km
  Eigen::MatrixX2d latlon; // the same grid as lat/lon near 40°N (≈1 km spacing)
  territory::adjacency graph;
  territory::plan assignment;
};

/// side×side grid, territories are (side/cells)² squares of cells×cells accounts.
instance make(int side, int cells) {
  instance in;
  const int n = side * side;
  const int per_row = (side + cells - 1) / cells;
  in.acts.resize(n, 3);
  in.xy.resize(n, 2);
  in.latlon.resize(n, 2);
  std::vector<territory::territory_index> a(static_cast<std::size_t>(n));
  std::vector<territory::edge> e;
  e.reserve(static_cast<std::size_t>(2 * n));
  for (int i = 0; i < side; ++i) {
    for (int j = 0; j < side; ++j) {
      const int k = i * side + j;
      in.acts(k, 0) = 4 + (i * 7 + j * 13) % 17;
      in.acts(k, 1) = 15 + (i * 31 + j * 17) % 386;
      in.acts(k, 2) = 15 + (i * 11 + j * 29) % 86;
      in.xy(k, 0) = j;
      in.xy(k, 1) = i;
      in.latlon(k, 0) = 40.0 + i * 0.009;
      in.latlon(k, 1) = -100.0 + j * 0.0118;
      a[static_cast<std::size_t>(k)] = static_cast<territory::territory_index>((i / cells) * per_row + j / cells);
      if (j + 1 < side) e.push_back({static_cast<territory::account_index>(k), static_cast<territory::account_index>(k + 1)});
      if (i + 1 < side) e.push_back({static_cast<territory::account_index>(k), static_cast<territory::account_index>(k + side)});
    }
  }
  in.graph = territory::adjacency::from_edges(static_cast<std::size_t>(n), e);
  in.assignment = territory::plan(std::move(a), static_cast<territory::territory_index>(per_row * per_row));
  return in;
}

template <class Distance>
void bm_evaluate(benchmark::State& state) {
  const int side = static_cast<int>(state.range(0));
  const int cells = static_cast<int>(state.range(1));
  const std::size_t limit = state.range(2) != 0 ? static_cast<std::size_t>(-1) : 256;
  const instance in = make(side, cells);
  const auto& coords = std::is_same_v<Distance, territory::euclidean> ? in.xy : in.latlon;
  const territory::plan_metrics_options o{.tolerance = {0.05}, .exact_diameter_limit = limit};
  for (auto _ : state) {
    auto m = territory::evaluate_plan(in.acts, coords, &in.graph, in.assignment, o, Distance{});
    benchmark::DoNotOptimize(m.max_diameter);
  }
  const auto n = static_cast<double>(side) * side;
  state.counters["accounts/s"] = benchmark::Counter(n, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["p"] = static_cast<double>(in.assignment.territory_count());
  state.SetComplexityN(static_cast<benchmark::IterationCount>(n));
}

void sizes(benchmark::internal::Benchmark* b) {
  // side, cells per territory side (territory of cells² accounts), all-pairs flag
  if (territory::bench::smoke()) {
    b->Args({32, 8, 0});
    return;
  }
  for (int side : {32, 100, 316, 1000}) b->Args({side, 10, 0});   // n = 10³ … 10⁶, 100 accounts per territory
  for (int side : {100, 316, 1000}) b->Args({side, 32, 0});        // ~1,000 accounts per territory
}

void reference(benchmark::internal::Benchmark* b) {
  if (territory::bench::smoke()) {
    b->Args({32, 8, 1});
    return;
  }
  for (int side : {100, 316}) b->Args({side, 32, 1});             // all pairs over ~1,000 accounts per territory
}

}  // namespace

BENCHMARK(bm_evaluate<territory::euclidean>)->Name("evaluate_plan/euclidean")->Apply(sizes)->Unit(benchmark::kMillisecond);
BENCHMARK(bm_evaluate<territory::haversine>)->Name("evaluate_plan/haversine")->Apply(sizes)->Unit(benchmark::kMillisecond);
BENCHMARK(bm_evaluate<opaque_haversine>)->Name("evaluate_plan/haversine_all_pairs")->Apply(reference)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
