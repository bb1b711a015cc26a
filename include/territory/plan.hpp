#pragma once

/// @file plan.hpp
/// Umbrella header of the `plan` area: metrics of plans (per territory, Gini, CV,
/// violations), independent of how a plan was made.

#include "territory/plan/metrics.hpp"
