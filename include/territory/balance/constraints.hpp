#pragma once

/// @file constraints.hpp
/// Business constraints of `partition()` beyond balance and contiguity (docs/constraints.md):
/// locked accounts (`partition_options::locked`) and minimum counts of a category per territory
/// (`territory::min_count`). Every one is a hard constraint: checked in the search, reported in
/// `partition_result::constraints` with its slack, or in `violations` with its amount.

#include <cstdint>
#include <string>
#include <vector>

#include "territory/core/ids.hpp"
#include "territory/core/status.hpp"

namespace territory {

/// At least `min` accounts with `member[a] != 0` in every territory (e.g. "tier=A": 3 A-tier
/// accounts per territory). `constraint_kind::min_tier` when violated, with the missing count as
/// the amount.
struct min_count {
  std::string name;                   ///< how reports name it, e.g. "tier=A"
  std::vector<std::uint8_t> member;   ///< one per account: 1 = the account counts
  std::uint32_t min = 0;              ///< K >= 1
};

/// The state of one hard constraint in a result: whether it holds, and its slack (how far the
/// tightest territory is inside the bound) or, when violated, the total amount of its violations.
struct constraint_status {
  constraint_kind kind = constraint_kind::balance;
  std::string name;     ///< "balance population", "contiguity", "locks", "min_count tier=A", ...
  bool holds = true;
  /// holds: the smallest slack over the territories, in the constraint's unit (balance: fraction
  /// of the mean inside the band; min_count: accounts above K; locks and contiguity: 0).
  /// violated: the largest single violation amount (as in `violation::amount`).
  double slack = 0.0;
  std::size_t violated_territories = 0;  ///< territories (or accounts, for locks) in violation
};

}  // namespace territory
