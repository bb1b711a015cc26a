#pragma once

/// @file plan.hpp
/// Umbrella header of the `plan` area: metrics of plans (per territory, Gini, CV,
/// violations), independent of how a plan was made; staffing a plan with reps; the delta
/// (disruption) between two plans.

#include "territory/plan/assign_reps.hpp"
#include "territory/plan/change_set.hpp"
#include "territory/plan/delta.hpp"
#include "territory/plan/metrics.hpp"
