#pragma once

/// @file cluster.hpp
/// Clustering: k-means, balanced k-means, region growing from seeds, Ward, and quality figures.

#include "territory/cluster/balanced_kmeans.hpp"
#include "territory/cluster/cluster_quality.hpp"
#include "territory/cluster/kmeans.hpp"
#include "territory/cluster/region_growing.hpp"
#include "territory/cluster/ward.hpp"
