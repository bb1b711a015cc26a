#pragma once

/// @file ward.hpp
/// `territory::ward`: hierarchical agglomerative clustering with Ward linkage, optionally
/// constrained to merge only adjacent clusters; returns the dendrogram and a cut at k.

#include <Eigen/Core>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <numeric>
#include <queue>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "territory/cluster/cluster_quality.hpp"
#include "territory/core/error.hpp"
#include "territory/core/plan.hpp"
#include "territory/core/status.hpp"
#include "territory/detail/cluster/kmeans_impl.hpp"
#include "territory/graph/adjacency.hpp"

namespace territory {

/// One merge of the dendrogram. Cluster ids follow SciPy's convention: 0 … n−1 are the
/// accounts, merge s creates cluster n + s.
struct ward_merge {
  std::uint32_t a = 0;  ///< smaller id of the two merged clusters
  std::uint32_t b = 0;  ///< larger id
  double cost = 0.0;    ///< increase of the weighted within-cluster sum of squares, wa·wb/(wa+wb)·‖ca − cb‖²
  double height = 0.0;  ///< sqrt(2·cost): SciPy's Ward height for unit weights
  std::uint32_t size = 0;  ///< accounts in the new cluster
  friend bool operator==(const ward_merge&, const ward_merge&) = default;
};

/// Options of `ward`.
struct ward_options {
  std::span<const double> weights{};        ///< empty (all 1) or one weight >= 0 per account
  const adjacency* connectivity = nullptr;  ///< if set, only clusters joined by an edge merge
  /// Without `connectivity` every pair of clusters is a candidate: about 16·n² bytes (1 GB at 8,000
  /// accounts). Above this many accounts ward() refuses instead (invalid_input, field "points");
  /// pass a connectivity graph (e.g. geo/knn_adjacency.hpp) or raise the limit knowingly.
  std::size_t max_dense_accounts = 8000;
};

/// Result of `ward`.
struct [[nodiscard]] ward_result {
  std::vector<ward_merge> dendrogram;      ///< n − c merges in order (c = components of the connectivity, else 1)
  plan assignment;                         ///< the cut at k clusters (at c if k < c), labels by smallest account
  cluster_quality quality;                 ///< of the cut: wcss, totals (weights), contiguity on the connectivity
  status why_stopped = status::converged;  ///< converged, or proven_infeasible if k < c
  std::vector<violation> violations;       ///< a `contiguity` violation when k < c
};

/// Labels of the cut of a dendrogram over n accounts at k clusters: the first n − k merges
/// applied (fewer if the dendrogram is shorter). Clusters are numbered in the order of their
/// smallest account.
/// Complexity: O(n α(n)). Throws: invalid_input{errc::out_of_range} (field "k") unless
/// 1 <= k <= n; (field "dendrogram", index = merge) for a merge naming an unknown cluster.
[[nodiscard]] inline plan cut_dendrogram(std::span<const ward_merge> dendrogram, std::size_t n, std::size_t k) {
  if (k < 1 || k > n) {
    throw invalid_input(errc::out_of_range, "k",
                        "cut_dendrogram(): k = " + std::to_string(k) + ", expected between 1 and " + std::to_string(n));
  }
  std::vector<std::uint32_t> parent(n + dendrogram.size());
  std::iota(parent.begin(), parent.end(), 0U);
  auto find = [&](std::uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  const std::size_t merges = std::min(dendrogram.size(), n - k);
  for (std::size_t s = 0; s < merges; ++s) {
    const auto& m = dendrogram[s];
    if (m.a >= n + s || m.b >= n + s) {
      throw invalid_input(errc::out_of_range, "dendrogram",
                          "cut_dendrogram(): merge " + std::to_string(s) + " names a cluster not yet created", s);
    }
    const auto id = static_cast<std::uint32_t>(n + s);
    parent[find(m.a)] = id;
    parent[find(m.b)] = id;
  }
  std::vector<territory_index> label(n, no_territory);
  std::vector<territory_index> of_root(n + dendrogram.size(), no_territory);
  territory_index next = 0;
  for (std::size_t i = 0; i < n; ++i) {
    auto& l = of_root[find(static_cast<std::uint32_t>(i))];
    if (l == no_territory) l = next++;
    label[i] = l;
  }
  return plan(std::move(label), next);
}

/// Ward agglomerative clustering: starting from singletons, repeatedly merges the two
/// clusters (adjacent ones, with a connectivity graph) whose merge increases the weighted
/// within-cluster sum of squares least. Ties go to the pair with the smaller (a, b) ids.
///
/// @param points n×d, one row per account.
/// @param k      clusters of the returned cut, 1 <= k <= n.
/// @param options weights and the optional connectivity graph (`ward_options`).
/// Complexity: with connectivity, O((n + e) log(n + e)) heap operations plus the merging of
/// neighbour lists; without, O(n² log n) time and O(n²) memory (meant for n up to a few thousand).
/// Throws: invalid_input{errc::out_of_range} (field "k"); {errc::out_of_range} (field "points") for
///         more than options.max_dense_accounts accounts without a connectivity graph (O(n²) memory);
///         {errc::non_finite} (field "points");
///         the weight errors of `kmeans` (field "weights"); {errc::size_mismatch} (field
///         "connectivity") if the graph is not over the n accounts.
/// Status: converged; proven_infeasible when the connectivity graph has more than k components
///         (the cut then has one cluster per component, and `violations` says so).
/// Example (examples/cluster_regions.cpp):
/// @code
/// const auto tree = territory::ward(xy, 5, {.weights = workload, .connectivity = &graph});
/// // tree.dendrogram, tree.assignment (cut at 5), tree.quality.contiguous
/// @endcode
/// Determinism: a pure function of its input.
[[nodiscard]] inline ward_result ward(const Eigen::Ref<const Eigen::MatrixXd>& points, std::size_t k,
                                      const ward_options& options = {}) {
  const auto ps = detail::make_point_set(points, options.weights, k, "ward()");
  const std::size_t n = ps.n, d = ps.d;
  const adjacency* g = options.connectivity;
  if (g == nullptr && n > options.max_dense_accounts) {
    throw invalid_input(errc::out_of_range, "points",
                        "ward(): " + std::to_string(n) + " accounts without a connectivity graph need every pair of "
                            "clusters (about " + std::to_string(16 * (n / 1000) * (n / 1000)) +
                            " MB); the limit is " + std::to_string(options.max_dense_accounts) +
                            " (ward_options::max_dense_accounts): pass options.connectivity (e.g. a k-nearest-neighbour "
                            "graph) or raise the limit");
  }
  if (g != nullptr && g->size() != n) {
    throw invalid_input(errc::size_mismatch, "connectivity",
                        "ward(): connectivity has " + std::to_string(g->size()) + " vertices, expected " +
                            std::to_string(n) + " (one per account)");
  }
  const std::size_t cap = 2 * n;
  std::vector<double> centroid(cap * d), weight(cap, 0.0);
  std::vector<std::uint32_t> size(cap, 0);
  std::vector<char> alive(cap, 0);
  std::vector<std::vector<std::uint32_t>> nb(g != nullptr ? cap : 0);
  for (std::size_t i = 0; i < n; ++i) {
    std::copy(ps.row(i), ps.row(i) + d, centroid.begin() + static_cast<std::ptrdiff_t>(i * d));
    weight[i] = ps.w[i];
    size[i] = 1;
    alive[i] = 1;
    if (g != nullptr) {
      const auto ns = g->neighbors(static_cast<account_index>(i));
      nb[i].assign(ns.begin(), ns.end());
    }
  }
  auto cost = [&](std::uint32_t a, std::uint32_t b) {
    const double wa = weight[a], wb = weight[b];
    const double dist = detail::sqdist(centroid.data() + a * d, centroid.data() + b * d, d);
    return wa + wb > 0 ? wa * wb / (wa + wb) * dist : 0.0;
  };
  using cand = std::tuple<double, std::uint32_t, std::uint32_t>;
  std::priority_queue<cand, std::vector<cand>, std::greater<>> heap;
  std::vector<std::uint32_t> active;
  for (std::uint32_t i = 0; i < n; ++i) active.push_back(i);
  if (g != nullptr) {
    for (std::uint32_t i = 0; i < n; ++i) {
      for (auto j : nb[i]) {
        if (i < j) heap.emplace(cost(i, j), i, j);
      }
    }
  } else {
    for (std::uint32_t i = 0; i < n; ++i) {
      for (std::uint32_t j = i + 1; j < n; ++j) heap.emplace(cost(i, j), i, j);
    }
  }
  ward_result out;
  out.dendrogram.reserve(n - 1);
  while (!heap.empty()) {
    const auto [c, a, b] = heap.top();
    heap.pop();
    if (!alive[a] || !alive[b]) continue;
    const auto id = static_cast<std::uint32_t>(n + out.dendrogram.size());
    const double w = weight[a] + weight[b];
    for (std::size_t t = 0; t < d; ++t) {
      const double ca = centroid[a * d + t], cb = centroid[b * d + t];
      centroid[id * d + t] = w > 0 ? (weight[a] * ca + weight[b] * cb) / w
                                   : (static_cast<double>(size[a]) * ca + static_cast<double>(size[b]) * cb) /
                                         static_cast<double>(size[a] + size[b]);
    }
    weight[id] = w;
    size[id] = size[a] + size[b];
    alive[a] = alive[b] = 0;
    alive[id] = 1;
    out.dendrogram.push_back({a, b, c, std::sqrt(2.0 * c), size[id]});
    if (g != nullptr) {
      std::vector<std::uint32_t> merged;
      merged.reserve(nb[a].size() + nb[b].size());
      for (auto x : nb[a])
        if (alive[x]) merged.push_back(x);
      for (auto x : nb[b])
        if (alive[x]) merged.push_back(x);
      std::sort(merged.begin(), merged.end());
      merged.erase(std::unique(merged.begin(), merged.end()), merged.end());
      nb[a].clear();
      nb[a].shrink_to_fit();
      nb[b].clear();
      nb[b].shrink_to_fit();
      for (auto x : merged) {
        nb[x].push_back(id);  // ids grow, so x's list stays sorted after dead entries are skipped
        heap.emplace(cost(x, id), x, id);
      }
      nb[id] = std::move(merged);
    } else {
      std::erase_if(active, [&](std::uint32_t x) { return !alive[x]; });
      for (auto x : active) heap.emplace(cost(x, id), x, id);
      active.push_back(id);
    }
  }
  const std::size_t components = n - out.dendrogram.size();
  out.assignment = cut_dendrogram(out.dendrogram, n, std::max(k, components));
  if (components > k) {
    out.why_stopped = status::proven_infeasible;
    out.violations.push_back({constraint_kind::contiguity, no_territory, "connectivity",
                              static_cast<double>(components - k),
                              "the connectivity graph has " + std::to_string(components) +
                                  " components, so adjacent merges cannot reach " + std::to_string(k) + " clusters"});
  }
  out.quality = evaluate_clusters(out.assignment, points, options.weights, g);
  return out;
}

}  // namespace territory
