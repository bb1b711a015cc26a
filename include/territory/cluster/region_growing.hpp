#pragma once

/// @file region_growing.hpp
/// `territory::grow_regions`: graph-based region growing from given seed accounts (e.g. the
/// accounts nearest to the reps' homes), contiguous by construction, lightest region first.

#include <Eigen/Core>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <queue>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "territory/cluster/cluster_quality.hpp"
#include "territory/core/error.hpp"
#include "territory/core/plan.hpp"
#include "territory/core/status.hpp"
#include "territory/graph/adjacency.hpp"

namespace territory {

/// Options of `grow_regions`.
struct region_growing_options {
  /// Optional n×d coordinates: only used to report the wcss in `quality` (0-row: skipped).
  Eigen::MatrixXd points{};
};

/// Result of `grow_regions`.
struct [[nodiscard]] region_growing_result {
  plan assignment;                         ///< region r ↔ seeds[r]; `no_territory` for unreached accounts
  cluster_quality quality;                 ///< totals per region, max_deviation, contiguity (always true), wcss
  std::vector<account_index> unreached;    ///< accounts in components without a seed, increasing
  status why_stopped = status::converged;  ///< always converged (the growth is exhaustive)
  [[nodiscard]] bool complete() const noexcept { return unreached.empty(); }
};

/// Grows one region per seed over `graph`. At each step the region with the smallest activity
/// total (ties: smaller region index) that still has an unassigned neighbour takes its
/// closest one: by shortest-path length from its seed when the graph has edge lengths, else
/// by hop count (ties: smaller account index). Each region is connected by construction, and
/// every account reachable from some seed is assigned.
///
/// @param graph    adjacency over the n accounts.
/// @param seeds    p distinct accounts; region r starts at seeds[r].
/// @param activity empty (count accounts) or one value >= 0 per account.
/// @param options optional coordinates, used only for the wcss in `quality` (`region_growing_options`).
/// Complexity: O((n + e) log n) time, O(n + p) memory.
/// Throws: invalid_input{errc::out_of_range} (field "seeds", index = position) for a seed >= n
///         or an empty seed list; {errc::duplicate_id} (field "seeds", index = position) for a
///         repeated seed; {errc::size_mismatch} / {errc::non_finite} / {errc::negative_value}
///         (field "activity", index = account); {errc::size_mismatch} (field "points").
/// Status: converged.
/// Example (examples/cluster_regions.cpp):
/// @code
/// const std::vector<territory::account_index> homes{0, 11, 132, 143, 66};
/// const auto grown = territory::grow_regions(graph, homes, workload, {.points = xy});
/// @endcode
/// Determinism: a pure function of its input.
[[nodiscard]] inline region_growing_result grow_regions(const adjacency& graph, std::span<const account_index> seeds,
                                                        std::span<const double> activity = {},
                                                        const region_growing_options& options = {}) {
  const std::size_t n = graph.size();
  const std::size_t p = seeds.size();
  if (p == 0) throw invalid_input(errc::out_of_range, "seeds", "grow_regions(): no seeds, expected at least one");
  if (!activity.empty() && activity.size() != n) {
    throw invalid_input(errc::size_mismatch, "activity",
                        "grow_regions(): activity has " + std::to_string(activity.size()) + " values, expected " +
                            std::to_string(n) + " (one per account)");
  }
  for (std::size_t i = 0; i < activity.size(); ++i) {
    if (!std::isfinite(activity[i])) {
      throw invalid_input(errc::non_finite, "activity",
                          "grow_regions(): activity of account " + std::to_string(i) + " is not finite", i);
    }
    if (activity[i] < 0) {
      throw invalid_input(errc::negative_value, "activity",
                          "grow_regions(): activity of account " + std::to_string(i) + " is negative", i);
    }
  }
  if (options.points.rows() != 0 && static_cast<std::size_t>(options.points.rows()) != n) {
    throw invalid_input(errc::size_mismatch, "points",
                        "grow_regions(): points has " + std::to_string(options.points.rows()) + " rows, expected " +
                            std::to_string(n) + " (one per account)");
  }
  std::vector<territory_index> region(n, no_territory);
  for (std::size_t r = 0; r < p; ++r) {
    if (seeds[r] >= n) {
      throw invalid_input(errc::out_of_range, "seeds",
                          "grow_regions(): seed " + std::to_string(r) + " is account " + std::to_string(seeds[r]) +
                              ", outside [0, " + std::to_string(n) + ")",
                          r);
    }
    if (region[seeds[r]] != no_territory) {
      throw invalid_input(errc::duplicate_id, "seeds",
                          "grow_regions(): account " + std::to_string(seeds[r]) + " is the seed of regions " +
                              std::to_string(region[seeds[r]]) + " and " + std::to_string(r),
                          r);
    }
    region[seeds[r]] = static_cast<territory_index>(r);
  }
  auto w = [&](account_index a) { return activity.empty() ? 1.0 : activity[a]; };
  // per-region frontier: min-heap of (distance from seed, account)
  using item = std::pair<double, account_index>;
  using frontier = std::priority_queue<item, std::vector<item>, std::greater<>>;
  std::vector<frontier> front(p);
  std::vector<double> total(p, 0.0);
  std::vector<double> dist(
      n, std::numeric_limits<double>::infinity());  // best known distance from the owning region's seed
  auto push_neighbours = [&](territory_index r, account_index a, double da) {
    const auto nb = graph.neighbors(a);
    const auto ln = graph.lengths(a);
    for (std::size_t i = 0; i < nb.size(); ++i) {
      if (region[nb[i]] != no_territory) continue;
      front[r].emplace(da + (ln.empty() ? 1.0 : ln[i]), nb[i]);
    }
  };
  std::priority_queue<std::tuple<double, territory_index>, std::vector<std::tuple<double, territory_index>>,
                      std::greater<>>
      open;
  for (std::size_t r = 0; r < p; ++r) {
    total[r] = w(seeds[r]);
    dist[seeds[r]] = 0.0;
  }
  for (std::size_t r = 0; r < p; ++r) {
    push_neighbours(static_cast<territory_index>(r), seeds[r], 0.0);
    open.emplace(total[r], static_cast<territory_index>(r));
  }
  while (!open.empty()) {
    const auto [t, r] = open.top();
    open.pop();
    if (t != total[r]) continue;  // stale
    auto& f = front[r];
    while (!f.empty() && region[f.top().second] != no_territory) f.pop();
    if (f.empty()) continue;  // closed: no unassigned neighbour left
    const auto [da, a] = f.top();
    f.pop();
    region[a] = r;
    dist[a] = da;
    total[r] += w(a);
    push_neighbours(r, a, da);
    open.emplace(total[r], r);
  }
  region_growing_result out;
  for (std::size_t a = 0; a < n; ++a) {
    if (region[a] == no_territory) out.unreached.push_back(static_cast<account_index>(a));
  }
  out.assignment = plan(std::move(region), static_cast<territory_index>(p));
  out.quality = evaluate_clusters(out.assignment, options.points, activity, &graph);
  return out;
}

}  // namespace territory
