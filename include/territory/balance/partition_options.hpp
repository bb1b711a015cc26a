#pragma once

/// @file partition_options.hpp
/// `territory::partition_options`: options of `partition()` and `precheck()` (balance/partition.hpp).

#include <array>
#include <cstdint>
#include <optional>
#include <limits>
#include <stop_token>
#include <string>
#include <vector>

#include "territory/balance/multilevel_mode.hpp"
#include "territory/balance/compactness.hpp"
#include "territory/balance/constraints.hpp"
#include "territory/core/ids.hpp"
#include "territory/core/progress.hpp"
#include "territory/core/random.hpp"

namespace territory {

/// Options of `partition()` and `precheck()`. An aggregate: set with designated initializers.
struct partition_options {
  territory_index territories = 0;          ///< p, required (1 <= p; p > n is reported by precheck)
  std::vector<double> tolerance{};          ///< per activity column; empty = 0.05 for all; size 1 = same for all
  std::uint64_t seed = default_seed;
  /// Threads of the multi-start and of the iterated local search; the plan is a function of the seed
  /// and this count (not of the machine). At most 256 (above: 256, and a note in the result); at most
  /// 4 OS threads per hardware thread run them (the same plan).
  unsigned threads = 1;
  /// Time limit, in seconds (> 0; +inf = none). Its VALUE sets the numbers of starts and kicks and the
  /// work budget (search iterations) of every run; the wall clock only acts as a safety stop at this
  /// limit. status::time_limit when a budget or the clock ended a run.
  double time_limit_seconds = 10.0;
  /// The wall-clock safety stop acts at time_limit_seconds × this factor (>= 1; +inf = never). The work
  /// budgets still derive from time_limit_seconds, so on an idle machine the plan and the run time do
  /// not change; a factor above 1 lets a run on a loaded or slow machine finish its budget (and give the
  /// same plan as on an idle one) at the price of a looser bound on wall time. Scenario sweeps use 4
  /// (plan/scenario.hpp).
  double safety_stop_factor = 1.0;
  /// 0 = none. Per run: each start, each iterated-local-search run and, with the multilevel driver,
  /// each level's search may make this many iterations (not a total for the call).
  std::uint64_t iteration_limit = 0;
  progress_callback on_progress{};          ///< core/progress.hpp; calling thread, first poll then <= every 100 ms
  std::stop_token stop{};
  std::vector<std::string> activity_names{};  ///< optional, one per column: used in violation subjects/reasons
  std::vector<std::string> account_ids{};     ///< optional, one per account: used in precheck reasons
  /// Independent starts (0 = auto: min(clamp(50000/n, 1, 24), max(4, ceil(8 * time_limit))) per thread,
  /// further batches while nothing is feasible, then an iterated local search from the best starts;
  /// docs/balance.md). At most 1024 (above: 1024, and a note); memory O(starts * n).
  unsigned starts = 0;
  bool stop_when_feasible = false;            ///< return at the first feasible plan (skip compactness search)
  unsigned kicks = 0;                         ///< per start: perturbations of the best plan once the compactness
                                              ///< search converges (max_diameter: regrow the widest territory and
                                              ///< every adjacent one; center_distance: it and a neighbour)
  multilevel_mode multilevel = multilevel_mode::automatic;  ///< coarsen / solve / refine driver for large maps:
                                                            ///< automatic = from 100,000 accounts on (balance/multilevel_mode.hpp)
  /// What "compact" means once a plan is feasible (balance/compactness.hpp): the largest territory
  /// diameter (default) or the sum of distances to territory centroids. Also decides between starts.
  ::territory::compactness compactness = ::territory::compactness::max_diameter;
  /// Boundary smoothing after the search (docs/balance.md, "Boundary smoothing"): lowers the number of
  /// cut edges (adjacent accounts in different territories) without breaking balance or contiguity and
  /// without raising the max diameter (center_distance: the sum of distances to the centroids). It gets
  /// the last 10 % of the time limit. Skipped with `stop_when_feasible`; false = off (plans as before).
  bool smooth = true;

  /// Locks (docs/constraints.md): one value per account, empty = none. `no_territory` = free; a
  /// territory index t < p = the account is locked to territory t: it is in territory t in every plan
  /// the engine returns and never moves. Accounts locked to the same index share a territory, accounts
  /// locked to different indices are in different territories. A territory whose locked accounts lie
  /// in different graph components cannot be connected: allowed, and reported (contiguity, "because of
  /// its locks"); the rest of it stays connected to one of its locked pieces. With locks or a starting
  /// plan the single-level engine runs (the multilevel driver does not carry them).
  std::vector<territory_index> locked{};
  /// Hard cap on every territory's diameter (the largest distance between two of its accounts), in the
  /// distance policy's unit (km for haversine, hours for drive_time); +inf = none. Checked on every
  /// move; precheck (inside partition()) says when more than p accounts lie pairwise farther apart.
  /// With a cap the single-level engine runs. > 0, not NaN.
  double max_diameter = std::numeric_limits<double>::infinity();
  /// Minimum counts of a category per territory (balance/constraints.hpp), each a hard constraint.
  std::vector<min_count> min_counts{};
  /// Bounds relative to the median territory (balance/constraints.hpp), each a hard constraint. With
  /// one the single-level engine runs.
  std::vector<median_bound> median_bounds{};
  /// Skills (balance/constraints.hpp), each a hard constraint: an account that needs a skill is only
  /// in territories that allow it. With one the single-level engine runs.
  std::vector<skill_requirement> skills{};
  /// Homes (docs/constraints.md, "Objective weights"): one per territory, the point its rep travels
  /// from (in the coordinates' system), or std::nullopt; empty = none. Used by objective.travel.
  std::vector<std::optional<std::array<double, 2>>> homes{};
  /// Weights of the secondary objectives (balance/constraints.hpp): boundary length, travel from the
  /// homes, evenness of each column inside its band. The defaults give the plans of no weights.
  objective_weights objective{};
  /// Target shares (docs/constraints.md, "Reps in the design"): one positive value per territory, any scale,
  /// empty = equal targets. Territory t's target on every balanced column (and its median bounds) is
  /// share_t / mean(share) times the mean territory's: a rep at capacity 0.5 beside reps at 1 gets half a
  /// load, and the tolerance applies around that target (deviations and violations in the result are
  /// relative to it). Minimum counts stay absolute. With unequal shares the single-level engine runs and
  /// the construction grows regions (no bisection).
  std::vector<double> target_shares{};
  /// Seeds (docs/constraints.md, "Reps in the design"): one account per territory that the construction
  /// grows territory t from (e.g. the account nearest its rep's home; balance/rep_design.hpp), or
  /// no_account for a territory seeded as usual; empty = none. Not a constraint: the search may move
  /// a seed. A territory with locked accounts grows from those instead. Every start is built from the
  /// seeds (free territories get k-means++ seeds). With seeds the single-level engine runs. Distinct
  /// accounts, none locked to another territory.
  std::vector<account_index> seeds{};
  /// A starting plan (one territory < p per account), empty = none: the first start of the search begins
  /// from it instead of a construction (territory t of the result is territory t of this plan, the
  /// territories' identity), the other starts from constructions. Must agree with `locked`.
  std::vector<territory_index> initial_assignment{};
};

}  // namespace territory
