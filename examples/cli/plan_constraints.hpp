#pragma once

// Business constraints of `territory-cli plan` (FORMAT.md: --locks, --min-count, --median-cap,
// --median-floor): from the flags and
// the accounts table to partition_options, and their independent check on the written plan.

#include <cstddef>
#include <string>
#include <vector>

#include <territory/balance/constraints.hpp>
#include <territory/balance/partition_options.hpp>
#include <territory/core/account_table.hpp>
#include <territory/core/plan.hpp>
#include <territory/core/status.hpp>

namespace territory_cli {

struct business_constraints {
  std::vector<territory::territory_index> locked;  ///< per account, empty without --locks
  std::vector<std::string> lock_owner;             ///< owner of each locked territory index
  std::vector<territory::min_count> min_counts;    ///< one per --min-count
  std::vector<territory::median_bound> median_bounds;  ///< one per --median-cap / --median-floor
  /// rebalance --review: (account, territory) pairs the account must not end in (result indices).
  std::vector<territory::forbidden_territory> forbidden;
};

/// The flags' specs, as given (repeatable flags: every occurrence).
struct business_specs {
  bool locks = false;
  std::vector<std::string> min_count;     ///< COL=VALUE:K
  std::vector<std::string> median_cap;    ///< COL:F
  std::vector<std::string> median_floor;  ///< COL:F
};

/// Reads `--locks` (the accounts' owner + locked columns: distinct owners of locked accounts become
/// territories 0, 1, ... in order of first appearance), every `--min-count COL=VALUE:K` and every
/// `--median-cap COL:F` / `--median-floor COL:F` (COL a numeric column, balanced or not).
/// Throws usage_error for a malformed spec or factor (a cap below 1, a floor outside (0, 1]),
/// input_error (naming the file, column, owner or account) for a locked account without owner, more
/// locked owners than territories, an unknown or non-numeric column, or a negative value.
[[nodiscard]] business_constraints read_business_constraints(const business_specs& specs,
                                                             const territory::account_table& accounts,
                                                             const std::string& accounts_file, std::size_t territories);

/// The independent check of the plan against the locks, minimum counts and median bounds (violations
/// appended). `names`: territory ids as written (empty = 1..p). `shares`: target shares per territory
/// (--grow-from-reps: the reps' capacities; empty = equal), the median bounds then compare each
/// territory's sum per unit of its share, as the engine does.
void check_business_constraints(const business_constraints& bc, const territory::plan& assignment,
                                const territory::account_table& accounts, std::vector<territory::violation>& out,
                                const std::vector<std::string>& names = {}, const std::vector<double>& shares = {});

}  // namespace territory_cli
