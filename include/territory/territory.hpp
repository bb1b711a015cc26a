#pragma once

/// @file territory.hpp
/// Umbrella header: includes every public header of the library.
/// Each area also has its own umbrella (`territory/core.hpp`, …) for faster builds.

#include "territory/version.hpp"
#include "territory/fwd.hpp"
#include "territory/core.hpp"
#include "territory/graph/adjacency.hpp"
#include "territory/graph/components.hpp"
