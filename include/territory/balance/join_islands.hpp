#pragma once

/// @file join_islands.hpp
/// `territory::join_islands`: when the components of an adjacency make a plan impossible
/// (islands: Alaska, Hawaii and Puerto Rico among the US counties), the loads of the
/// components and the shortest links that remove the impossibility.

#include <Eigen/Core>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "territory/balance/partition_options.hpp"
#include "territory/balance/precheck.hpp"
#include "territory/core/ids.hpp"
#include "territory/detail/geo/connect_impl.hpp"
#include "territory/geo/connect_components.hpp"
#include "territory/geo/distance_policy.hpp"
#include "territory/geo/euclidean.hpp"
#include "territory/graph/adjacency.hpp"

namespace territory {

/// One connected component of an adjacency and its load.
struct component_load {
  std::size_t accounts = 0;               ///< accounts in the component
  account_index first = 0;                ///< its smallest account index (names it in messages)
  std::vector<double> mean_territories;   ///< per activity column: component sum ÷ (column total ÷ p); 0 for an all-zero column
};

/// How many links `join_islands` adds.
enum class island_mode : std::uint8_t {
  as_needed,    ///< the shortest links first, stopping as soon as precheck finds no impossibility due to the components
  connect_all,  ///< every link of the shortest join: one component
};

[[nodiscard]] constexpr std::string_view to_string(island_mode m) noexcept {
  return m == island_mode::as_needed ? "as_needed" : "connect_all";
}

/// Result of `join_islands`.
struct island_join {
  adjacency graph;                         ///< the input graph plus `added`
  std::vector<component_load> components;  ///< the components of the input graph, ordered by smallest account
  std::vector<edge> added;                 ///< the links added, shortest first (a < b)
  std::vector<double> added_lengths;       ///< their lengths under the distance policy
  std::size_t components_after = 0;        ///< connected components of `graph`
  std::size_t impossible_before = 0;       ///< precheck findings due to the components of the input graph
  std::size_t links_for_one = 0;           ///< links that make the input graph one component (components − 1)
};

/// Joins the connected components of `graph` by their shortest links, as far as a plan needs.
///
/// The candidate links are those of `connect_components` (a minimum spanning tree of the
/// component graph under `distance`), taken shortest first: a prefix of them is the shortest
/// forest with that many links. With `island_mode::as_needed` the shortest prefix after which
/// `precheck` finds no violation due to the components (p below the number of components, a
/// component whose load no whole number of territories can balance, a component with too few
/// accounts of a `min_counts` category, component counts that cannot sum to p) is added; none if
/// there is no such violation. Those violations only disappear as components merge (a merged
/// component can take the sum of the parts' territory counts), so the prefix is found by
/// bisection. With `island_mode::connect_all` every link is added. Either way, precheck finds
/// no component violation on the result (one component has none); violations that do not come
/// from the components (an account above the tolerance on its own, too few category accounts
/// overall) are left for precheck and the search to report.
///
/// @param activities n × m, as for `partition()`.
/// @param coordinates n × 2 in the coordinate system of `distance`.
/// @param graph the adjacency over the n accounts.
/// @param options the `partition_options` of the planned call (territories, tolerance, min_counts).
/// @param distance the distance policy that measures a link (`haversine` for lat/lon).
/// @param mode as_needed (default) or connect_all.
/// Complexity: O(n·m + n·k + e) for the loads and the first precheck; when links are searched,
/// `connect_components`, plus O((n·m + n·k + e) · log c) for the prechecks of the
/// bisection over c components (k = min_counts), plus O(e log e) to build the result.
/// Throws: as `precheck` for malformed activities, graph or options (invalid_input naming the field);
/// invalid_input{errc::size_mismatch} / {errc::non_finite} (field "coordinates") for coordinates of the
/// wrong size or not finite.
/// Determinism: a pure function of its inputs.
template <distance_policy Distance = euclidean>
[[nodiscard]] island_join join_islands(const Eigen::Ref<const Eigen::MatrixXd>& activities,
                                       const Eigen::Ref<const Eigen::MatrixX2d>& coordinates, const adjacency& graph,
                                       const partition_options& options, Distance distance = {},
                                       island_mode mode = island_mode::as_needed) {
  detail::balance::validate_common(activities, &graph, options, "join_islands()");
  detail::check_coordinates(coordinates, graph.size(), "join_islands()");
  island_join out;
  const auto shares = detail::balance::component_activity(activities, graph);
  const Eigen::RowVectorXd total = activities.colwise().sum();
  const double p = static_cast<double>(options.territories);
  out.components.resize(shares.comp.count);
  for (std::size_t k = 0; k < shares.comp.count; ++k) {
    auto& c = out.components[k];
    c.accounts = shares.size[k];
    c.first = shares.first[k];
    c.mean_territories.assign(static_cast<std::size_t>(activities.cols()), 0.0);
    for (Eigen::Index j = 0; j < activities.cols(); ++j) {
      if (total(j) > 0.0) c.mean_territories[static_cast<std::size_t>(j)] = shares.sums(static_cast<Eigen::Index>(k), j) / total(j) * p;
    }
  }
  // components by smallest account (the labels of connected_components need not be in that order)
  std::sort(out.components.begin(), out.components.end(),
            [](const component_load& x, const component_load& y) { return x.first < y.first; });
  out.graph = graph;
  out.components_after = shares.comp.count;
  if (shares.comp.count <= 1) return out;
  out.links_for_one = shares.comp.count - 1;

  const std::size_t base = precheck(activities, nullptr, options).size();
  auto impossible = [&](const adjacency& g) { return precheck(activities, &g, options).size() - base; };
  out.impossible_before = impossible(graph);
  if (mode == island_mode::as_needed && out.impossible_before == 0) return out;  // nothing to join: no link search

  const auto joined = connect_components(graph, coordinates, distance);
  std::vector<detail::link> links;
  links.reserve(joined.added.size());
  for (std::size_t i = 0; i < joined.added.size(); ++i) {
    links.push_back({joined.added_lengths[i], joined.added[i].a, joined.added[i].b});
  }
  std::sort(links.begin(), links.end());
  auto with_prefix = [&](std::size_t count) {
    return detail::add_links(graph, std::vector<detail::link>(links.begin(), links.begin() + static_cast<std::ptrdiff_t>(count)),
                             false);
  };
  std::size_t take = links.size();
  if (mode == island_mode::as_needed) {
    std::size_t lo = 0, hi = links.size();  // impossible(lo) > 0, impossible(hi) == 0
    while (hi - lo > 1) {
      const std::size_t mid = lo + (hi - lo) / 2;
      if (impossible(with_prefix(mid)) == 0) hi = mid;
      else lo = mid;
    }
    take = hi;
  }
  if (take > 0) out.graph = with_prefix(take);
  for (std::size_t i = 0; i < take; ++i) {
    out.added.push_back({links[i].a, links[i].b});
    out.added_lengths.push_back(links[i].length);
  }
  out.components_after = shares.comp.count - take;
  return out;
}

}  // namespace territory
