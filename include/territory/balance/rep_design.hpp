#pragma once

/// @file rep_design.hpp
/// `territory::design_from_reps`: reps in the design, not after it. One territory per active rep,
/// grown from the rep's home, with a target proportional to the rep's capacity (a rep at 0.5 gets
/// half a load). The result fills `partition_options` (territories, target_shares, seeds, locked) so
/// that `partition()` designs the plan around the reps. Homes are where the construction starts,
/// not hard anchors (several reps in one metro would wall each other in): the search may move a
/// territory away from its home, so staff the result with `assign_reps` (capacity first, then
/// distance; pin the reps of locked accounts), which gives the half-size territory to the half-capacity
/// rep and every other territory to the nearest rep of its size.
///
/// Example:
/// @code
/// auto d = territory::design_from_reps(reps, table.coordinates(), {}, territory::haversine{});
/// territory::partition_options o{.tolerance = {0.05}};
/// d.apply(o);                       // territories, target_shares, seeds at the homes
/// const auto r = territory::partition(acts, table.coordinates(), graph, o, territory::haversine{});
/// // then staff r.assignment's territories with assign_reps (loads relative to each capacity)
/// @endcode

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "territory/balance/partition_options.hpp"
#include "territory/core/ids.hpp"
#include "territory/core/rep.hpp"
#include "territory/geo/distance_policy.hpp"

namespace territory {

/// A design around the active reps: territory t is sized for `reps[rep_of[t]]` and grows from its home.
struct rep_design {
  std::vector<std::size_t> rep_of;          ///< p: index into the reps of territory t's rep (active reps, input order)
  std::vector<double> target_shares;        ///< p: the reps' capacities (partition_options::target_shares)
  /// p: the account territory t grows from (partition_options::seeds), the one nearest its rep's home
  /// (the nearest one not seeding an earlier rep when two reps live by the same account), or
  /// no_account: a rep without a home, or one whose territory holds locked accounts (it grows from
  /// those).
  std::vector<account_index> seeds;
  std::vector<territory_index> locked;      ///< the caller's locks (partition_options::locked), as given
  std::vector<std::size_t> departed;        ///< indices of the reps left out (status departed)
  /// The accounts' needs against the reps' skills (partition_options::skills; skill_requirements),
  /// empty without needs. With skills, staff territory t with reps[rep_of[t]] (pin every territory).
  std::vector<skill_requirement> skills;
  std::vector<std::optional<std::array<double, 2>>> homes;  ///< p: the reps' homes (partition_options::homes)

  /// Sets `territories`, `target_shares`, `seeds`, `locked`, `skills` and `homes` of `o` (the
  /// objective's weights stay the caller's: `o.objective.travel` > 0 pulls accounts towards the homes).
  /// O(n + p).
  void apply(partition_options& o) const {
    o.territories = static_cast<territory_index>(rep_of.size());
    o.target_shares = target_shares;
    o.seeds = seeds;
    o.locked = locked;
    o.skills = skills;
    o.homes = homes;
  }
};

/// Designs one territory per active rep (departed reps get none).
///
/// @param reps        the reps; an active rep's capacity must be finite and > 0, its home (when
///                    given) finite and in the accounts' coordinate system.
/// @param coordinates n×2, the accounts' coordinates in the distance policy's system.
/// @param locked      the caller's locks in territory indices of this design (territory t = the
///                    t-th active rep), one per account, or empty = none. A territory with a
///                    locked account gets no seed: it grows from its locks.
/// @param distance    distance between a home and an account.
/// @param needs       the skills each account needs (e.g. {"language:zh"}), one list per account, or
///                    empty = none: `skills` of the design, and a seed is never an account whose
///                    needs its rep lacks.
///
/// Complexity: O(r·n) distances, r = active reps. Memory O(n + r).
/// Throws: invalid_input{errc::invalid_parameter} (field "reps", index = rep, id = rep id) for an
///   active rep whose capacity is not finite and > 0 or whose home is not finite; {errc::out_of_range}
///   (field "reps") when no rep is active or when there are more active reps than accounts;
///   {errc::size_mismatch} (field "locked" / "needs") when `locked` or `needs` is neither empty nor
///   one per account; {errc::out_of_range} (field "locked", index = account) for a lock to
///   a territory >= the number of active reps. All checks run before any work.
/// Determinism: fully deterministic (ties between accounts go to the lower index).
template <distance_policy Distance>
[[nodiscard]] rep_design design_from_reps(std::span<const rep> reps, Eigen::Ref<const Eigen::MatrixX2d> coordinates,
                                          const std::vector<territory_index>& locked, Distance distance,
                                          const std::vector<std::vector<std::string>>& needs = {});

/// Skill requirements of a design (partition_options::skills): for every skill some account needs,
/// in order of first appearance, the accounts that need it and the territories whose rep has it.
/// `needs` holds one list of skills per account (empty = none). With skills the territories' identity
/// matters: staff territory t with `reps[d.rep_of[t]]` (pin every territory in assign_reps).
/// O(n·k + p·s), k = skills per account, s = skills per rep. Throws invalid_input{errc::size_mismatch}
/// (field "needs") when needs is neither empty nor one list per account (`n`).
[[nodiscard]] std::vector<skill_requirement> skill_requirements(const rep_design& d, std::span<const rep> reps,
                                                                const std::vector<std::vector<std::string>>& needs,
                                                                std::size_t n);

/// Travel of each territory from its rep's home: the sum, mean and largest distance from the home to
/// the territory's accounts (0 for a territory without a home or without accounts).
struct home_travel {
  std::vector<double> total;  ///< p
  std::vector<double> mean;   ///< p
  std::vector<double> max;    ///< p
};

/// Home-to-account distances of a plan. `homes[t]` is territory t's home, or std::nullopt.
/// O(n) distances. Throws invalid_input{errc::size_mismatch} (field "coordinates" / "homes") when
/// sizes disagree, {errc::out_of_range} (field "assignment", index = account) for a territory
/// >= homes.size() (no_territory is skipped).
template <distance_policy Distance>
[[nodiscard]] home_travel travel_from_homes(std::span<const territory_index> assignment,
                                            Eigen::Ref<const Eigen::MatrixX2d> coordinates,
                                            const std::vector<std::optional<point>>& homes, Distance distance);

}  // namespace territory

#include "territory/detail/balance/rep_design_impl.hpp"
