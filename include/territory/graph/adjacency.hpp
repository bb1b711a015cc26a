#pragma once

/// @file adjacency.hpp
/// `territory::adjacency`: the library's only public graph type, an undirected graph in
/// compressed sparse row (CSR) form over account indices, with optional edge lengths.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "territory/core/error.hpp"
#include "territory/core/ids.hpp"
#include "territory/detail/huge_pages.hpp"

namespace territory {

namespace detail {
struct adjacency_access;  // the engine's unchecked CSR constructor (detail/graph/csr.hpp)
}  // namespace detail

/// An undirected edge between two accounts.
struct edge {
  account_index a = 0;
  account_index b = 0;
  friend bool operator==(const edge&, const edge&) = default;
};

/// Undirected graph in CSR form. Each edge is stored in both directions; neighbour lists
/// are sorted by index and free of duplicates.
class adjacency {
 public:
  adjacency() = default;

  /// Builds the graph of `n` vertices from an edge list. Parallel edges are merged
  /// (keeping the shortest length); both orientations of an edge count as one.
  /// @param n number of vertices (accounts).
  /// @param edges undirected edges by account index, each endpoint < n.
  /// @param lengths empty, or one non-negative finite length per edge.
  /// Complexity: O(n + e log e).
  /// Throws: invalid_input{errc::out_of_range} (field "edges", index = edge) for an endpoint >= n;
  ///         invalid_input{errc::self_loop} (field "edges", index = edge) for a == b;
  ///         invalid_input{errc::size_mismatch} (field "lengths") if lengths is neither empty
  ///         nor of the size of edges;
  ///         invalid_input{errc::non_finite} / {errc::negative_value} (field "lengths") for a bad length.
  [[nodiscard]] static adjacency from_edges(std::size_t n, std::span<const edge> edges,
                                            std::span<const double> lengths = {}) {
    if (!lengths.empty() && lengths.size() != edges.size()) {
      throw invalid_input(errc::size_mismatch, "lengths",
                          "adjacency::from_edges(): lengths has " + std::to_string(lengths.size()) +
                              " values, expected " + std::to_string(edges.size()) + " (one per edge)");
    }
    for (std::size_t i = 0; i < edges.size(); ++i) {
      const auto [a, b] = edges[i];
      if (a >= n || b >= n) {
        throw invalid_input(errc::out_of_range, "edges",
                            "adjacency::from_edges(): edge " + std::to_string(i) + " (" + std::to_string(a) +
                                ", " + std::to_string(b) + ") has an endpoint outside [0, " +
                                std::to_string(n) + ")",
                            i);
      }
      if (a == b) {
        throw invalid_input(errc::self_loop, "edges",
                            "adjacency::from_edges(): edge " + std::to_string(i) + " joins account " +
                                std::to_string(a) + " to itself",
                            i);
      }
      if (!lengths.empty()) {
        if (!std::isfinite(lengths[i])) {
          throw invalid_input(errc::non_finite, "lengths",
                              "adjacency::from_edges(): length of edge " + std::to_string(i) + " is not finite", i);
        }
        if (lengths[i] < 0) {
          throw invalid_input(errc::negative_value, "lengths",
                              "adjacency::from_edges(): length of edge " + std::to_string(i) + " is negative", i);
        }
      }
    }
    struct half {
      account_index from, to;
      double len;
    };
    std::vector<half> halves;
    halves.reserve(edges.size() * 2);
    for (std::size_t i = 0; i < edges.size(); ++i) {
      const double len = lengths.empty() ? 1.0 : lengths[i];
      halves.push_back({edges[i].a, edges[i].b, len});
      halves.push_back({edges[i].b, edges[i].a, len});
    }
    std::sort(halves.begin(), halves.end(), [](const half& x, const half& y) {
      if (x.from != y.from) return x.from < y.from;
      if (x.to != y.to) return x.to < y.to;
      return x.len < y.len;
    });
    adjacency g;
    g.offsets_.assign(n + 1, 0);
    g.targets_.reserve(halves.size());
    if (!lengths.empty()) g.lengths_.reserve(halves.size());
    for (std::size_t i = 0; i < halves.size(); ++i) {
      if (i > 0 && halves[i].from == halves[i - 1].from && halves[i].to == halves[i - 1].to) continue;
      g.targets_.push_back(halves[i].to);
      if (!lengths.empty()) g.lengths_.push_back(halves[i].len);
      ++g.offsets_[halves[i].from + 1];
    }
    std::partial_sum(g.offsets_.begin(), g.offsets_.end(), g.offsets_.begin());
    return g;
  }

  /// Number of vertices (accounts).
  [[nodiscard]] std::size_t size() const noexcept { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  /// Number of undirected edges.
  [[nodiscard]] std::size_t edge_count() const noexcept { return targets_.size() / 2; }
  [[nodiscard]] bool has_lengths() const noexcept { return !lengths_.empty(); }

  /// Sorted neighbours of v. Unchecked: v < size().
  [[nodiscard]] std::span<const account_index> neighbors(account_index v) const noexcept {
    return {targets_.data() + offsets_[v], targets_.data() + offsets_[v + 1]};
  }
  /// Lengths of the edges to `neighbors(v)`, in the same order; empty without lengths.
  [[nodiscard]] std::span<const double> lengths(account_index v) const noexcept {
    if (lengths_.empty()) return {};
    return {lengths_.data() + offsets_[v], lengths_.data() + offsets_[v + 1]};
  }
  [[nodiscard]] std::size_t degree(account_index v) const noexcept { return offsets_[v + 1] - offsets_[v]; }

  /// True if {a, b} is an edge. O(log deg(a)).
  [[nodiscard]] bool connected(account_index a, account_index b) const noexcept {
    auto nb = neighbors(a);
    return std::binary_search(nb.begin(), nb.end(), b);
  }

  /// Raw CSR arrays: neighbours of v are targets()[offsets()[v] .. offsets()[v+1]).
  [[nodiscard]] std::span<const std::size_t> offsets() const noexcept { return offsets_; }
  [[nodiscard]] std::span<const account_index> targets() const noexcept { return targets_; }

 private:
  friend struct detail::adjacency_access;
  // on huge pages when large (detail/huge_pages.hpp): a 10^6-account graph is ~35 MB
  detail::huge_vector<std::size_t> offsets_;
  detail::huge_vector<account_index> targets_;
  detail::huge_vector<double> lengths_;
};

}  // namespace territory
