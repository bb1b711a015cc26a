#include "territory/geo/distance_policy.hpp"
#include "territory/geo/euclidean.hpp"
#include "territory/geo/haversine.hpp"
