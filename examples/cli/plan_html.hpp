#pragma once

// territory-cli plan --html: one self-contained HTML page (no script, no network access:
// inline CSS and the map as inline SVG) that a sales-ops lead can open and forward:
//   - the verdict (feasible or not) and the key figures of the run,
//   - the map (plan_svg.hpp),
//   - every hard constraint with its status and slack: balance per column (worst deviation
//     against the tolerance), contiguity, assignment, staffing with --reps, then each violation,
//   - fairness per balanced column: total, mean, min, max, max/min, Gini, CV,
//   - one row per territory: accounts, each balanced sum and its deviation, diameter (km and
//     drive hours from territory::drive_time for lat/lon data), contiguity, rep, and the count
//     of A-tier accounts when the accounts have a `tier` column.

#include <string>

#include "plan_report.hpp"
#include "plan_svg.hpp"

namespace territory_cli {

/// The HTML document of the report; `map` is the map drawn for the same run.
[[nodiscard]] std::string plan_html(const plan_run& run, const plan_map& map);

}  // namespace territory_cli
