#pragma once

// territory-cli plan --svg: a quick-look map of a plan. Accounts are dots coloured by
// territory (greedy colouring of the territory adjacency over a fixed qualitative palette,
// so neighbouring territories differ), edges inside a territory are drawn faintly in its
// colour, and each adjacency edge between two territories contributes a short dark segment
// across its midpoint, which together trace the borders. Lat/lon input is drawn in an
// equirectangular projection scaled by the cosine of the mean latitude. A legend lists
// every territory (up to 60) with its accounts and balanced sums.

#include <string>

#include "plan_report.hpp"

namespace territory_cli {

/// The SVG document of the map.
[[nodiscard]] std::string plan_svg(const plan_run& run);

}  // namespace territory_cli
