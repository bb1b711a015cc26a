#pragma once

// Borůvka on the component graph: joins the connected components of an adjacency by
// their shortest links. Internal to connect_components() and knn_adjacency().

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "territory/core/error.hpp"
#include "territory/core/ids.hpp"
#include "territory/detail/graph/union_find.hpp"
#include "territory/graph/adjacency.hpp"
#include "territory/graph/components.hpp"

namespace territory::detail {

struct link {
  double length = 0.0;
  account_index a = 0, b = 0;  // a < b
  friend bool operator<(const link& x, const link& y) noexcept {
    return std::tie(x.length, x.a, x.b) < std::tie(y.length, y.a, y.b);
  }
};

inline void check_coordinates(const Eigen::Ref<const Eigen::MatrixX2d>& xy, std::size_t n, const char* who) {
  if (static_cast<std::size_t>(xy.rows()) != n) {
    throw invalid_input(errc::size_mismatch, "coordinates",
                        std::string(who) + ": coordinates has " + std::to_string(xy.rows()) + " rows, expected " +
                            std::to_string(n) + " (one per account)");
  }
  for (Eigen::Index i = 0; i < xy.rows(); ++i) {
    if (!std::isfinite(xy(i, 0)) || !std::isfinite(xy(i, 1))) {
      throw invalid_input(errc::non_finite, "coordinates",
                          std::string(who) + ": coordinates of account " + std::to_string(i) + " are not finite",
                          static_cast<std::size_t>(i));
    }
  }
}

/// `start_round(root)` is called once per round with the current component (root) of every
/// account and returns a callable `f(a, bound)`: the shortest link from account a to an
/// account of another component, or length = +inf if none is within `bound` (inclusive).
template <class StartRound>
std::vector<link> boruvka_links(const adjacency& g, StartRound start_round, std::size_t& components_before) {
  const std::size_t n = g.size();
  const auto comp = connected_components(g);
  components_before = comp.count;
  std::vector<link> added;
  if (comp.count <= 1) return added;
  union_find uf(n);
  // seed the union-find with the existing components (root = smallest vertex)
  std::vector<std::uint32_t> first(comp.count, std::numeric_limits<std::uint32_t>::max());
  for (std::size_t v = 0; v < n; ++v) {
    auto& f = first[comp.label[v]];
    if (f == std::numeric_limits<std::uint32_t>::max())
      f = static_cast<std::uint32_t>(v);
    else
      uf.unite(f, static_cast<std::uint32_t>(v));
  }
  std::size_t count = comp.count;
  std::vector<link> best(n);
  // a point's nearest foreign account stays its nearest foreign account while the two remain
  // in different components (the foreign set only shrinks): cache found links across rounds
  std::vector<link> cache(n, link{std::numeric_limits<double>::infinity(), 0, 0});
  std::vector<std::size_t> csize(n);
  std::vector<std::uint32_t> root(n);
  while (count > 1) {
    std::fill(csize.begin(), csize.end(), 0);
    for (std::size_t v = 0; v < n; ++v) {
      root[v] = uf.find(static_cast<std::uint32_t>(v));
      ++csize[root[v]];
    }
    auto nearest_foreign = start_round(std::span<const std::uint32_t>(root));
    std::uint32_t largest = 0;
    for (std::uint32_t r = 0; r < n; ++r) {
      if (csize[r] > csize[largest]) largest = r;
    }
    const link none{std::numeric_limits<double>::infinity(), 0, 0};
    std::fill(best.begin(), best.end(), none);
    for (std::size_t v = 0; v < n; ++v) {
      const auto r = root[v];
      if (r == largest) continue;
      const link& c = cache[v];
      link l;
      if (std::isfinite(c.length) && root[c.a == v ? c.b : c.a] != r) {
        l = c;
      } else {
        l = nearest_foreign(static_cast<account_index>(v), best[r].length);
        if (l.a > l.b) std::swap(l.a, l.b);
        cache[v] = l;
      }
      if (l < best[r]) best[r] = l;
    }
    std::vector<link> round;
    for (std::size_t r = 0; r < n; ++r) {
      if (std::isfinite(best[r].length)) round.push_back(best[r]);
    }
    std::sort(round.begin(), round.end());
    bool progress = false;
    for (const auto& l : round) {
      if (uf.unite(l.a, l.b)) {
        added.push_back(l);
        --count;
        progress = true;
      }
    }
    if (!progress) break;
  }
  return added;
}

/// The graph plus the added links (with lengths when the graph or `with_lengths` has them).
inline adjacency add_links(const adjacency& g, const std::vector<link>& links, bool with_lengths) {
  std::vector<edge> edges;
  std::vector<double> lens;
  edges.reserve(g.edge_count() + links.size());
  const bool keep = with_lengths || g.has_lengths();
  for (std::size_t v = 0; v < g.size(); ++v) {
    const auto nb = g.neighbors(static_cast<account_index>(v));
    const auto ln = g.lengths(static_cast<account_index>(v));
    for (std::size_t i = 0; i < nb.size(); ++i) {
      if (nb[i] <= v) continue;
      edges.push_back({static_cast<account_index>(v), nb[i]});
      if (keep) lens.push_back(g.has_lengths() ? ln[i] : 1.0);
    }
  }
  for (const auto& l : links) {
    edges.push_back({l.a, l.b});
    if (keep) lens.push_back(l.length);
  }
  return adjacency::from_edges(g.size(), edges, lens);
}

}  // namespace territory::detail
