#pragma once

/// @file route.hpp
/// All of `route/`: rules and the cascade, interpreter and compiled router, team
/// distribution and ramp, rule validation, lifecycle at the routing level, coverage,
/// workload and rebalance analytics. Depends on `core/` only.

#include "territory/route/account_merge.hpp"
#include "territory/route/activity_event.hpp"
#include "territory/route/compiled_rules.hpp"
#include "territory/route/coverage.hpp"
#include "territory/route/distribution.hpp"
#include "territory/route/interpret.hpp"
#include "territory/route/ramp_schedule.hpp"
#include "territory/route/rebalance_check.hpp"
#include "territory/route/redistribute_book.hpp"
#include "territory/route/router.hpp"
#include "territory/route/routing_account.hpp"
#include "territory/route/routing_accounts.hpp"
#include "territory/route/rule.hpp"
#include "territory/route/rule_table.hpp"
#include "territory/route/split_region.hpp"
#include "territory/route/validate_rules.hpp"
#include "territory/route/workload.hpp"
