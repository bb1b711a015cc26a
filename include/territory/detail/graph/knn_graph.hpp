#pragma once

// k-nearest-neighbour graph on planar coordinates (uniform grid buckets), with its connected
// components joined by short edges so that the result is connected. Used by partition() when the
// caller gives no adjacency. Coordinates are treated as planar (fine for lat/lon at territory scale).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "territory/graph/adjacency.hpp"
#include "territory/graph/components.hpp"

namespace territory::detail::graph {

/// Complexity: about O(n k log k) for evenly spread points; joining c components costs O(n) per round,
/// O(log c) rounds.
inline adjacency knn_graph(const Eigen::Ref<const Eigen::MatrixX2d>& xy, std::size_t k) {
  const auto n = static_cast<std::size_t>(xy.rows());
  std::vector<edge> edges;
  if (n <= 1) return adjacency::from_edges(n, edges);
  double minx = xy.col(0).minCoeff(), maxx = xy.col(0).maxCoeff();
  double miny = xy.col(1).minCoeff(), maxy = xy.col(1).maxCoeff();
  const double w = std::max(maxx - minx, 1e-12), h = std::max(maxy - miny, 1e-12);
  const auto side = static_cast<std::size_t>(std::max(1.0, std::floor(std::sqrt(static_cast<double>(n) / 2.0))));
  auto cell_of = [&](double x, double y) {
    auto cx = std::min(side - 1, static_cast<std::size_t>((x - minx) / w * static_cast<double>(side)));
    auto cy = std::min(side - 1, static_cast<std::size_t>((y - miny) / h * static_cast<double>(side)));
    return std::pair{cx, cy};
  };
  std::vector<std::size_t> start(side * side + 1, 0);
  std::vector<account_index> items(n);
  for (std::size_t a = 0; a < n; ++a) {
    auto [cx, cy] = cell_of(xy(static_cast<Eigen::Index>(a), 0), xy(static_cast<Eigen::Index>(a), 1));
    ++start[cy * side + cx + 1];
  }
  for (std::size_t i = 1; i < start.size(); ++i) start[i] += start[i - 1];
  {
    auto fill = start;
    for (std::size_t a = 0; a < n; ++a) {
      auto [cx, cy] = cell_of(xy(static_cast<Eigen::Index>(a), 0), xy(static_cast<Eigen::Index>(a), 1));
      items[fill[cy * side + cx]++] = static_cast<account_index>(a);
    }
  }
  const std::size_t kk = std::min(k, n - 1);
  std::vector<std::pair<double, account_index>> cand;
  for (std::size_t a = 0; a < n; ++a) {
    const double x = xy(static_cast<Eigen::Index>(a), 0), y = xy(static_cast<Eigen::Index>(a), 1);
    auto [cx, cy] = cell_of(x, y);
    for (std::size_t ring = 1;; ++ring) {
      cand.clear();
      const std::size_t x0 = cx >= ring ? cx - ring : 0, x1 = std::min(side - 1, cx + ring);
      const std::size_t y0 = cy >= ring ? cy - ring : 0, y1 = std::min(side - 1, cy + ring);
      for (std::size_t yy = y0; yy <= y1; ++yy) {
        for (std::size_t xx = x0; xx <= x1; ++xx) {
          for (std::size_t i = start[yy * side + xx]; i < start[yy * side + xx + 1]; ++i) {
            const auto b = items[i];
            if (b == a) continue;
            const double dx = xy(b, 0) - x, dy = xy(b, 1) - y;
            cand.push_back({dx * dx + dy * dy, b});
          }
        }
      }
      const bool whole = x0 == 0 && y0 == 0 && x1 == side - 1 && y1 == side - 1;
      if (cand.size() >= kk) {
        std::partial_sort(cand.begin(), cand.begin() + static_cast<std::ptrdiff_t>(kk), cand.end());
        // exact when the k-th neighbour lies within the searched square
        const double reach = static_cast<double>(ring) * std::min(w, h) / static_cast<double>(side);
        if (whole || cand[kk - 1].first <= reach * reach) break;
      } else if (whole) {
        std::sort(cand.begin(), cand.end());
        break;
      }
    }
    for (std::size_t i = 0; i < std::min(kk, cand.size()); ++i) {
      edges.push_back({static_cast<account_index>(std::min<std::size_t>(a, cand[i].second)),
                       static_cast<account_index>(std::max<std::size_t>(a, cand[i].second))});
    }
  }
  // Join components: each round links every component but the first to its closest outside account
  // (from the account of the component nearest to the outside one found from its first account).
  for (;;) {
    auto g = adjacency::from_edges(n, edges);
    const auto comp = connected_components(g);
    if (comp.count <= 1) return g;
    std::vector<account_index> first(comp.count, 0);
    for (std::size_t a = n; a-- > 0;) first[comp.label[a]] = static_cast<account_index>(a);
    for (std::uint32_t c = 1; c < comp.count; ++c) {
      auto nearest = [&](account_index from, bool inside) {
        account_index best = from;
        double bd = std::numeric_limits<double>::max();
        for (std::size_t b = 0; b < n; ++b) {
          if ((comp.label[b] == c) != inside) continue;
          const double dx = xy(static_cast<Eigen::Index>(b), 0) - xy(from, 0);
          const double dy = xy(static_cast<Eigen::Index>(b), 1) - xy(from, 1);
          const double d = dx * dx + dy * dy;
          if (d < bd) {
            bd = d;
            best = static_cast<account_index>(b);
          }
        }
        return best;
      };
      const auto out = nearest(first[c], false);
      const auto in = nearest(out, true);
      edges.push_back({std::min(in, out), std::max(in, out)});
    }
  }
}

}  // namespace territory::detail::graph
