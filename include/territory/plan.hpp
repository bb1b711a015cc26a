#pragma once

/// @file plan.hpp
/// Umbrella header of the `plan` area: metrics of plans (per territory, Gini, CV,
/// violations), independent of how a plan was made; staffing a plan with reps; the delta
/// (disruption) between two plans; the drift rule and the drift monitor (alerts with recommended
/// rebalances, fairness over time); scenarios and what-if sweeps (ranking, top-3 trade-offs).

#include "territory/plan/assign_reps.hpp"
#include "territory/plan/change_set.hpp"
#include "territory/plan/delta.hpp"
#include "territory/plan/drift.hpp"
#include "territory/plan/metrics.hpp"
#include "territory/plan/monitor.hpp"
#include "territory/plan/scenario.hpp"
