#pragma once

/// @file components.hpp
/// Connected components of an `adjacency`.

#include <cstdint>
#include <vector>

#include "territory/detail/graph/union_find.hpp"
#include "territory/graph/adjacency.hpp"

namespace territory {

/// Component label of every vertex plus the number of components.
/// Labels are numbered in order of each component's smallest vertex (deterministic).
struct components {
  std::uint32_t count = 0;
  std::vector<std::uint32_t> label;
};

/// Connected components by union-find over the edges in index order (union by the smaller root,
/// path halving), then one labelling pass. Each root is its component's smallest vertex, so the
/// labels are those of a breadth-first search from the smallest unvisited vertex. On a randomly
/// numbered 10^6-vertex Delaunay graph: 0.034 s against 0.10 s for a breadth-first search (whose
/// queue pops are dependent cache misses; the edge scan here reads the graph in order).
/// Complexity: O(e·α(n)) time in practice (O(e log n) worst case), O(n) extra memory. Never throws
/// except std::bad_alloc.
[[nodiscard]] inline components connected_components(const adjacency& graph) {
  const std::size_t n = graph.size();
  detail::union_find sets(n);
  for (std::size_t v = 0; v < n; ++v) {
    for (account_index u : graph.neighbors(static_cast<account_index>(v))) {
      if (u > v) sets.unite(static_cast<std::uint32_t>(v), u);  // each edge once
    }
  }
  components out;
  out.label.resize(n);
  for (std::size_t v = 0; v < n; ++v) {
    const std::uint32_t r = sets.find(static_cast<std::uint32_t>(v));
    out.label[v] = r == v ? out.count++ : out.label[r];  // r < v is labelled already
  }
  return out;
}

}  // namespace territory
