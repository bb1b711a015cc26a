#pragma once

/// @file assign_reps.hpp
/// `territory::assign_reps`: one rep per territory, chosen so that reps live close to their
/// territories and no rep gets more load than their capacity allows.
///
/// The territories are designed first (`partition()`); this step staffs them. It solves a
/// minimum-cost assignment between territories and active reps (Hungarian method): it first
/// minimises the number of territories whose load exceeds their rep's capacity, then the total
/// distance from each rep's home to the centre of their territory. Territories are not
/// anchored at rep homes while they are designed.
///
/// Example:
/// @code
/// const auto m = territory::evaluate_plan(acts, xy, &graph, result.assignment, {.tolerance = {0.05}});
/// std::vector<territory::point> centres;
/// std::vector<double> loads;
/// for (const auto& t : m.territories) {
///   centres.push_back(t.centre);
///   loads.push_back(1.0 + t.deviation.maxCoeff());
/// }
/// const auto staffed = territory::assign_reps(centres, loads, reps, {.tolerance = 0.05});
/// for (const auto& v : staffed.violations) log(v.reason);
/// @endcode

#include <cstddef>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "territory/core/rep.hpp"
#include "territory/core/status.hpp"
#include "territory/geo/distance_policy.hpp"
#include "territory/geo/euclidean.hpp"

namespace territory {

/// Options of `assign_reps()`. An aggregate: use designated initializers.
struct rep_assignment_options {
  /// A territory of load L fits a rep of capacity c when L <= c·(1 + tolerance). Finite, >= 0.
  double tolerance = 0.05;
  /// Names of the territories in reasons ("territory <name>"); empty = the index; else one per territory.
  std::vector<std::string> territory_names{};
  /// Pinned reps (e.g. the owner of a territory's locked accounts): empty = none; else one per
  /// territory, the id of the active rep it must get, or "" for a free territory. A pin outranks
  /// capacity and distance. Throws invalid_input{errc::unknown_id} (field "pinned", index = territory)
  /// for an id that is no active rep, {errc::duplicate_id} for a rep pinned to two territories.
  std::vector<std::string> pinned{};
};

/// Outcome of `assign_reps()`.
struct rep_assignment {
  static constexpr std::size_t no_rep = std::numeric_limits<std::size_t>::max();
  std::vector<std::size_t> rep_of;        ///< p: index into `reps`, or no_rep for a territory left without one
  std::vector<double> distance;           ///< p: distance from the rep's home to the territory centre
                                          ///< (0 without a rep or for a rep without a home)
  double total_distance = 0.0;            ///< sum of `distance`
  std::vector<std::size_t> unassigned_reps;  ///< active reps that got no territory (more reps than territories)
  /// `capacity` (amount = L/c − (1 + tolerance)) per territory whose load exceeds its rep's
  /// capacity, then `unassigned` (subject "rep", amount = count) when territories are left
  /// without a rep. Empty <=> every territory has a rep that can carry it.
  std::vector<violation> violations;
  [[nodiscard]] bool feasible() const noexcept { return violations.empty(); }
};

/// Gives each territory one active rep (departed reps are skipped), minimising first the number
/// of capacity violations and then the total home-to-centre distance.
///
/// @param centres territory centres, p of them (e.g. `territory_metrics::centre`), in the
///        distance policy's coordinate system.
/// @param loads   p territory loads relative to a full load (1.0 = the mean territory; e.g. the
///        largest `sum / mean` over the balanced activities). Finite, >= 0.
/// @param reps    the reps; capacity finite and > 0. A rep without a `home` (a remote rep) costs no
///        distance anywhere, so such reps take the territories the others live furthest from.
/// @param options tolerance and names for messages.
/// @param distance distance between a home and a centre.
///
/// Complexity: O(p·r) distances plus O(k²·K) for the assignment, k = min(p, r), K = max(p, r),
///   r = active reps. Memory O(p·r).
/// Throws: invalid_input{errc::size_mismatch} (field "loads" / "territory_names") when their sizes
///   differ from centres.size(); {errc::non_finite} (field "centres" / "loads", index = territory);
///   {errc::negative_value} (field "loads", index = territory); {errc::invalid_parameter} (field
///   "tolerance") for a negative or non-finite tolerance; {errc::invalid_parameter} (field "reps",
///   index = rep, id = rep id) for an active rep with non-finite home coordinates or with a
///   capacity that is not finite and > 0. All checks run before any work.
/// Determinism: fully deterministic; among equal-cost assignments the one the Hungarian method
///   reaches with territories and reps in index order.
template <distance_policy Distance = euclidean>
[[nodiscard]] rep_assignment assign_reps(std::span<const point> centres, std::span<const double> loads,
                                         std::span<const rep> reps, const rep_assignment_options& options = {},
                                         Distance distance = {});

}  // namespace territory

#include "territory/detail/plan/assign_reps_impl.hpp"
