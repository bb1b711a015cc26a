// Cost of one local-search step's state work as territories grow: move a boundary account to a
// neighbouring territory and back, then list the boundary accounts of a territory (what the tabu
// step scans for candidates).
//   state      detail::balance::territory_state: boundary sets kept by move(), O(m + deg²) per move,
//              the list is read as is: cost proportional to the boundary (~ sqrt of the territory size)
//   reference  a plain assignment vector; the boundary is found by scanning every member of the
//              territory and its neighbours (what search.hpp did before): proportional to the territory
// Instance: an L x L rook grid, one activity, 4 territories (quadrants), so a territory holds
// L²/4 accounts and has ~L boundary accounts. N = territory size; SetComplexityN lets Google
// Benchmark fit the growth (expected: state ~ sqrt(N), reference ~ N).
// Smoke mode (TERRITORY_BENCH_SMOKE=1): L = 32 and 64 only.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <vector>

#include <Eigen/Core>

#include <territory/core/random.hpp>
#include <territory/detail/balance/problem.hpp>
#include <territory/detail/balance/territory_state.hpp>
#include <territory/graph/adjacency.hpp>

#include "bench_common.hpp"

namespace {

using namespace territory;

struct grid_case {
  adjacency graph;
  detail::balance::problem pr;
  std::vector<territory_index> assign;
};

grid_case make_case(int L) {
  grid_case c;
  const int n = L * L;
  std::vector<edge> edges;
  Eigen::MatrixXd acts = Eigen::MatrixXd::Ones(n, 1);
  Eigen::MatrixX2d xy(n, 2);
  c.assign.resize(static_cast<std::size_t>(n));
  for (int i = 0; i < L; ++i) {
    for (int j = 0; j < L; ++j) {
      const int k = i * L + j;
      xy(k, 0) = j;
      xy(k, 1) = i;
      c.assign[static_cast<std::size_t>(k)] = static_cast<territory_index>((i >= L / 2 ? 2 : 0) + (j >= L / 2 ? 1 : 0));
      if (j + 1 < L) edges.push_back({static_cast<account_index>(k), static_cast<account_index>(k + 1)});
      if (i + 1 < L) edges.push_back({static_cast<account_index>(k), static_cast<account_index>(k + L)});
    }
  }
  c.graph = adjacency::from_edges(static_cast<std::size_t>(n), edges);
  c.pr = detail::balance::make_problem(acts, xy, {0.05}, 4);
  return c;
}

void state_step(benchmark::State& st) {
  const int L = static_cast<int>(st.range(0));
  auto c = make_case(L);
  c.pr.graph = &c.graph;
  detail::balance::territory_state s(c.pr);
  s.init_state(c.assign);
  rng gen(1);
  std::size_t sink = 0;
  for (auto _ : st) {
    const auto& b = s.boundary(0);
    const auto v = b[gen.below(b.size())];
    territory_index to = 0;
    for (auto u : c.graph.neighbors(v)) to = s.assignment()[u] != 0 ? s.assignment()[u] : to;
    s.move(v, to);
    s.move(v, 0);
    for (auto x : s.boundary(0)) sink += x;  // the candidate scan of a tabu step
    benchmark::DoNotOptimize(sink);
  }
  st.SetComplexityN(static_cast<benchmark::IterationCount>(L) * L / 4);
}

void reference_step(benchmark::State& st) {
  const int L = static_cast<int>(st.range(0));
  auto c = make_case(L);
  auto assign = c.assign;
  std::vector<account_index> members;
  for (account_index v = 0; v < assign.size(); ++v) {
    if (assign[v] == 0) members.push_back(v);
  }
  rng gen(1);
  std::size_t sink = 0;
  std::vector<account_index> b;
  for (auto _ : st) {
    b.clear();
    for (auto x : members) {  // boundary of territory 0 by scanning its members
      for (auto u : c.graph.neighbors(x)) {
        if (assign[u] != 0) {
          b.push_back(x);
          break;
        }
      }
    }
    const auto v = b[gen.below(b.size())];
    territory_index to = 0;
    for (auto u : c.graph.neighbors(v)) to = assign[u] != 0 ? assign[u] : to;
    assign[v] = to;
    assign[v] = 0;
    for (auto x : b) sink += x;
    benchmark::DoNotOptimize(sink);
  }
  st.SetComplexityN(static_cast<benchmark::IterationCount>(L) * L / 4);
}

void sizes(benchmark::internal::Benchmark* b) {
  if (territory::bench::smoke()) {
    b->Arg(32)->Arg(64);  // two sizes: the complexity fit needs more than one
  } else {
    for (int L : {32, 64, 128, 256, 512, 1024}) b->Arg(L);
  }
  b->Complexity();
}

BENCHMARK(state_step)->Apply(sizes);
BENCHMARK(reference_step)->Apply(sizes);

}  // namespace

BENCHMARK_MAIN();
