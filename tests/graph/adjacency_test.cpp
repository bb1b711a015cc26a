// Tests of graph/adjacency.hpp and graph/components.hpp.
#include <doctest/doctest.h>

#include <territory/graph/adjacency.hpp>
#include <territory/graph/components.hpp>

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
