#pragma once

/// @file components.hpp
/// Connected components of an `adjacency`, optionally restricted to a subset of vertices.

#include <cstdint>
#include <vector>

#include "territory/graph/adjacency.hpp"

namespace territory {

/// Component label of every vertex plus the number of components.
/// Labels are numbered in order of each component's smallest vertex (deterministic).
struct components {
  std::uint32_t count = 0;
  std::vector<std::uint32_t> label;
};

/// Connected components by breadth-first search.
/// Complexity: O(n + e) time, O(n) extra memory. Never throws except std::bad_alloc.
[[nodiscard]] inline components connected_components(const adjacency& graph) {
  const std::size_t n = graph.size();
  components out;
  constexpr auto unseen = static_cast<std::uint32_t>(-1);
  out.label.assign(n, unseen);
  std::vector<account_index> queue;
  queue.reserve(n);
  for (std::size_t s = 0; s < n; ++s) {
    if (out.label[s] != unseen) continue;
    const std::uint32_t c = out.count++;
    queue.clear();
    queue.push_back(static_cast<account_index>(s));
    out.label[s] = c;
    for (std::size_t head = 0; head < queue.size(); ++head) {
      for (account_index w : graph.neighbors(queue[head])) {
        if (out.label[w] == unseen) {
          out.label[w] = c;
          queue.push_back(w);
        }
      }
    }
  }
  return out;
}

}  // namespace territory
