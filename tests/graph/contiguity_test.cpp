#include <doctest/doctest.h>

#include <vector>

#include <territory/graph/contiguity.hpp>

using namespace territory;

TEST_CASE("graph/contiguity: pieces of each territory on a path graph") {
  // path 0-1-2-3-4-5; territory 0 = {0, 1, 4}, territory 1 = {2, 3}, territory 2 = {5}, territory 3 empty
  const auto g = adjacency::from_edges(6, std::vector<edge>{{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}});
  const plan pl({0, 0, 1, 1, 0, 2}, 4);
  const auto pieces = territory_pieces(g, pl);
  REQUIRE(pieces.size() == 4);
  CHECK(pieces[0] == 2);
  CHECK(pieces[1] == 1);
  CHECK(pieces[2] == 1);
  CHECK(pieces[3] == 0);
}

TEST_CASE("graph/contiguity: size mismatch throws") {
  const auto g = adjacency::from_edges(3, std::vector<edge>{{0, 1}});
  try {
    (void)territory_pieces(g, plan({0, 0}, 1));
    FAIL("expected invalid_input");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::size_mismatch);
    CHECK(e.field() == "graph");
  }
}
