#include <doctest/doctest.h>

#include <territory/balance/partition.hpp>
#include <territory/balance/precheck.hpp>

#include "support/grid.hpp"

using namespace territory;

TEST_CASE("balance/partition: a 10x10 grid into 4 territories assigns every account") {
  const auto table = test::grid_table(10, 10);
  const auto edges = test::grid_edges(10, 10);
  const auto g = adjacency::from_edges(100, edges);
  const auto r = partition(table.activities(), table.coordinates(), g, {.territories = 4, .iteration_limit = 1000});
  CHECK(r.assignment.complete());
  CHECK(r.assignment.size() == 100);
  CHECK(r.sums.rows() == 4);
}
