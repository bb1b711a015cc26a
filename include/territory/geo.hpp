#pragma once

/// @file geo.hpp
/// Geography: distance policies, travel-time matrix, spatial index, kNN adjacency and the
/// pass that connects components by their shortest links.

#include "territory/geo/connect_components.hpp"
#include "territory/geo/delaunay.hpp"
#include "territory/geo/distance_policy.hpp"
#include "territory/geo/drive_time.hpp"
#include "territory/geo/euclidean.hpp"
#include "territory/geo/haversine.hpp"
#include "territory/geo/knn_adjacency.hpp"
#include "territory/geo/neighbor.hpp"
#include "territory/geo/project_planar.hpp"
#include "territory/geo/snap_to_accounts.hpp"
#include "territory/geo/spatial_index.hpp"
#include "territory/geo/travel_matrix.hpp"
