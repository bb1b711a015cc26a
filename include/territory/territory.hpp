#pragma once

/// @file territory.hpp
/// Umbrella header: includes every public header of the library (not the opt-in
/// `territory/format.hpp`). Each area also has its own umbrella (`territory/core.hpp`,
/// `territory/geo.hpp`, …), which builds faster.

#include "territory/version.hpp"
#include "territory/fwd.hpp"
#include "territory/core.hpp"
#include "territory/geo.hpp"
#include "territory/graph.hpp"
#include "territory/score.hpp"
#include "territory/cluster.hpp"
#include "territory/balance.hpp"
#include "territory/plan.hpp"
#include "territory/route.hpp"
