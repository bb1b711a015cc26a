// Tests of graph/adjacency.hpp and graph/components.hpp.
#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include <territory/graph/adjacency.hpp>
#include <territory/graph/components.hpp>
#include <territory/core/random.hpp>

#include "support/grid.hpp"

using namespace territory;

TEST_CASE("graph/adjacency: CSR is symmetric, sorted and free of duplicates") {
  const std::vector<edge> edges{{0, 1}, {1, 0}, {2, 1}, {0, 1}, {3, 2}};
  const auto g = adjacency::from_edges(5, edges);
  CHECK(g.size() == 5);
  CHECK(g.edge_count() == 3);
  CHECK(std::vector<account_index>(g.neighbors(1).begin(), g.neighbors(1).end()) == std::vector<account_index>{0, 2});
  CHECK(g.degree(4) == 0);
  CHECK(g.connected(2, 3));
  CHECK_FALSE(g.connected(0, 3));
}

TEST_CASE("graph/adjacency: parallel edges keep the shortest length") {
  const std::vector<edge> edges{{0, 1}, {1, 0}};
  const std::vector<double> len{5.0, 2.0};
  const auto g = adjacency::from_edges(2, edges, len);
  REQUIRE(g.has_lengths());
  CHECK(g.lengths(0)[0] == 2.0);
  CHECK(g.lengths(1)[0] == 2.0);
}

TEST_CASE("graph/adjacency: bad edges throw naming the edge") {
  const std::vector<edge> out_of_range{{0, 1}, {1, 9}};
  try {
    (void)adjacency::from_edges(3, out_of_range);
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::out_of_range);
    CHECK(e.field() == "edges");
    CHECK(e.index() == 1);
  }
  const std::vector<edge> loop{{2, 2}};
  CHECK_THROWS_WITH_AS((void)adjacency::from_edges(3, loop),
                       "[territory.self_loop] adjacency::from_edges(): edge 0 joins account 2 to itself", invalid_input);
  const std::vector<edge> one{{0, 1}};
  const std::vector<double> neg{-1.0};
  CHECK_THROWS_AS((void)adjacency::from_edges(2, one, neg), invalid_input);
  const std::vector<double> two{1.0, 2.0};
  CHECK_THROWS_AS((void)adjacency::from_edges(2, one, two), invalid_input);
}

TEST_CASE("graph/components: labels follow the smallest vertex") {
  const std::vector<edge> edges{{3, 4}, {0, 2}};
  const auto g = adjacency::from_edges(5, edges);
  const auto c = connected_components(g);
  CHECK(c.count == 3);
  CHECK(c.label == std::vector<std::uint32_t>{0, 1, 0, 2, 2});
  const auto grid = adjacency::from_edges(12, test::grid_edges(3, 4));
  CHECK(connected_components(grid).count == 1);
}

namespace {
/// Reference labelling: breadth-first search from the smallest unvisited vertex.
std::vector<std::uint32_t> bfs_labels(const adjacency& g, std::uint32_t& count) {
  std::vector<std::uint32_t> label(g.size(), UINT32_MAX);
  count = 0;
  for (std::size_t s = 0; s < g.size(); ++s) {
    if (label[s] != UINT32_MAX) continue;
    std::vector<account_index> queue{static_cast<account_index>(s)};
    label[s] = count;
    for (std::size_t h = 0; h < queue.size(); ++h) {
      for (auto w : g.neighbors(queue[h])) {
        if (label[w] == UINT32_MAX) {
          label[w] = count;
          queue.push_back(w);
        }
      }
    }
    ++count;
  }
  return label;
}
}  // namespace

TEST_CASE("graph/components: union-find gives the breadth-first labels on random graphs") {
  // sparse random graphs on randomly chosen vertex pairs: many components of every size, roots
  // merged in every order (a later vertex's tree joining an earlier one and the reverse)
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    territory::rng gen(seed);
    const std::size_t n = 50 + gen.below(400);
    const std::size_t e = gen.below(n + n / 2);
    std::vector<edge> edges;
    for (std::size_t i = 0; i < e; ++i) {
      const auto a = static_cast<account_index>(gen.below(n)), b = static_cast<account_index>(gen.below(n));
      if (a != b) edges.push_back({a, b});
    }
    const auto g = adjacency::from_edges(n, edges);
    std::uint32_t count = 0;
    const auto expect = bfs_labels(g, count);
    const auto c = connected_components(g);
    CHECK(c.count == count);
    CHECK(c.label == expect);
  }
}
