#pragma once

// A distance policy for the aly2024 instances, whose metric is the shortest-path distance
// over the edge lengths in the whole graph: all-pairs shortest paths are precomputed (O(n²)
// memory: for the n <= 1,000 instances only) and a point is mapped back to its unit by its
// exact coordinates. Points that are not unit locations (a solver's centroids, say) fall
// back to the Euclidean distance, a lower bound of the path length on these instances
// (every edge length equals the Euclidean length of the edge).

#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <queue>
#include <utility>
#include <vector>

#include <territory/balance/partition.hpp>
#include <territory/geo/distance_policy.hpp>

#include "support/ctdp.hpp"

namespace territory::bench {

class graph_distance {
 public:
  graph_distance() = default;
  explicit graph_distance(const instance& inst) {
    auto built = std::make_shared<data>();
    const auto n = inst.size();
    built->n = n;
    built->d.assign(n * n, std::numeric_limits<double>::infinity());
    for (std::size_t i = 0; i < n; ++i) {
      built->index.emplace(std::make_pair(inst.xy(static_cast<Eigen::Index>(i), 0), inst.xy(static_cast<Eigen::Index>(i), 1)), i);
    }
    using item = std::pair<double, account_index>;
    for (std::size_t s = 0; s < n; ++s) {
      double* dist = built->d.data() + s * n;
      std::priority_queue<item, std::vector<item>, std::greater<>> q;
      dist[s] = 0;
      q.push({0.0, static_cast<account_index>(s)});
      while (!q.empty()) {
        auto [dv, v] = q.top();
        q.pop();
        if (dv > dist[v]) continue;
        auto nb = inst.graph.neighbors(v);
        auto len = inst.graph.lengths(v);
        for (std::size_t k = 0; k < nb.size(); ++k) {
          const double nd = dv + (len.empty() ? 1.0 : len[k]);
          if (nd < dist[nb[k]]) {
            dist[nb[k]] = nd;
            q.push({nd, nb[k]});
          }
        }
      }
    }
    data_ = std::move(built);
  }

  [[nodiscard]] double operator()(const point& p, const point& q) const {
    if (data_) {
      const auto a = data_->index.find({p[0], p[1]});
      const auto b = data_->index.find({q[0], q[1]});
      if (a != data_->index.end() && b != data_->index.end()) {
        const double v = data_->d[a->second * data_->n + b->second];
        if (std::isfinite(v)) return v;
      }
    }
    return std::hypot(p[0] - q[0], p[1] - q[1]);
  }

 private:
  struct data {
    std::size_t n = 0;
    std::vector<double> d;
    std::map<std::pair<double, double>, std::size_t> index;
  };
  std::shared_ptr<const data> data_;
};

static_assert(distance_policy<graph_distance>);

}  // namespace territory::bench

// The shortest-path length grows with the Euclidean distance on these instances (each edge is as long
// as its segment): partition() may take its diameters over coordinate hulls (balance/partition.hpp).
template <>
struct territory::hull_distance<territory::bench::graph_distance> : std::true_type {};
