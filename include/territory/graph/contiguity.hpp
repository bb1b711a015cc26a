#pragma once

/// @file contiguity.hpp
/// `territory::territory_pieces`: how many connected pieces each territory of a plan has in a graph.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "territory/core/error.hpp"
#include "territory/core/plan.hpp"
#include "territory/graph/adjacency.hpp"

namespace territory {

namespace detail {
/// Pieces per territory for a raw assignment (entries < p or no_territory); unchecked.
/// O(n + e) time, O(n) memory. Shared by `territory_pieces` and the partition engine.
[[nodiscard]] inline std::vector<std::uint32_t> count_pieces(const adjacency& graph,
                                                             std::span<const territory_index> assignment,
                                                             std::size_t territories) {
  const std::size_t n = assignment.size();
  std::vector<std::uint32_t> pieces(territories, 0);
  std::vector<char> seen(n, 0);
  std::vector<account_index> queue;
  for (std::size_t s = 0; s < n; ++s) {
    const auto t = assignment[s];
    if (seen[s] || t == no_territory) continue;
    ++pieces[t];
    queue.clear();
    queue.push_back(static_cast<account_index>(s));
    seen[s] = 1;
    for (std::size_t h = 0; h < queue.size(); ++h) {
      for (auto b : graph.neighbors(queue[h])) {
        if (!seen[b] && assignment[b] == t) {
          seen[b] = 1;
          queue.push_back(b);
        }
      }
    }
  }
  return pieces;
}
}  // namespace detail

/// Number of connected pieces of every territory of `assignment` in `graph` (0 for an empty territory,
/// 1 for a connected one). Unassigned accounts are ignored.
/// Complexity: O(n + e) time, O(n) memory.
/// Throws: invalid_input{errc::size_mismatch} (field "graph") if graph.size() != assignment.size().
/// Determinism: pure function.
[[nodiscard]] inline std::vector<std::uint32_t> territory_pieces(const adjacency& graph, const plan& assignment) {
  const std::size_t n = assignment.size();
  if (graph.size() != n) {
    throw invalid_input(errc::size_mismatch, "graph",
                        "territory_pieces(): graph has " + std::to_string(graph.size()) + " vertices, expected " +
                            std::to_string(n) + " (one per account)");
  }
  return detail::count_pieces(graph, assignment.assignment(), assignment.territory_count());
}

}  // namespace territory
