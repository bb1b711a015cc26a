#pragma once

/// @file graph.hpp
/// Umbrella header of the `graph/` area: the CSR `adjacency`, connected components and
/// territory contiguity checks.

#include "territory/graph/adjacency.hpp"   // IWYU pragma: export
#include "territory/graph/components.hpp"  // IWYU pragma: export
#include "territory/graph/contiguity.hpp"  // IWYU pragma: export
