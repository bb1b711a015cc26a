#pragma once

/// @file balance.hpp
/// Umbrella header of the `balance/` area: contiguous, balanced, compact partitioning
/// (`partition`, `precheck`, their options and result). See docs/balance.md.

#include "territory/balance/multilevel_mode.hpp"   // IWYU pragma: export
#include "territory/balance/compactness.hpp"       // IWYU pragma: export
#include "territory/balance/constraints.hpp"       // IWYU pragma: export
#include "territory/balance/partition.hpp"         // IWYU pragma: export
#include "territory/balance/partition_options.hpp" // IWYU pragma: export
#include "territory/balance/partition_result.hpp"  // IWYU pragma: export
#include "territory/balance/precheck.hpp"          // IWYU pragma: export
#include "territory/balance/join_islands.hpp"      // IWYU pragma: export
#include "territory/balance/rebalance.hpp"         // IWYU pragma: export
#include "territory/balance/rep_design.hpp"        // IWYU pragma: export
