#pragma once

// What `territory-cli plan` and `rebalance` share: reading the balanced columns and tolerances, the
// output and map-layer flags, and the independent check of a finished plan with the writing of its
// outputs (assignment.csv, report.json, map.svg, report.html) and the exit code.

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include <territory/balance/compactness.hpp>

#include "args.hpp"
#include "geojson.hpp"
#include "input.hpp"
#include "plan_report.hpp"
#include "plan_svg.hpp"

namespace territory_cli {

constexpr double default_tolerance = 0.05;
constexpr double default_time_limit = 10.0;

/// The balanced columns: --balance, or every numeric column (activities of the table).
/// usage_error / input_error naming the column.
[[nodiscard]] std::vector<std::string> balance_columns(const std::optional<std::string>& flag, const loaded_accounts& acc);

/// --tolerance T (all columns) or col=T,col=T (others: 0.05). usage_error for a bad value.
[[nodiscard]] std::vector<double> tolerances(const std::optional<std::string>& flag, const std::vector<std::string>& balance);

/// Outputs must be distinct files, none of them an input (a typo must not overwrite accounts.csv).
void check_distinct_files(const args& a, std::initializer_list<const char*> outputs,
                          std::initializer_list<const char*> inputs);

/// '--compactness diameter|center' (default diameter).
[[nodiscard]] territory::compactness compactness_flag(const std::optional<std::string>& flag);

/// Output paths and map layers of one run.
struct plan_outputs {
  std::string out;
  std::optional<std::string> report, svg, html;
  map_layers layers;
  bool quiet = false;     ///< --quiet: no progress lines, no map notes
  bool progress = false;  ///< progress lines on stderr: stderr is a terminal or --progress, and not --quiet
};

/// --boundaries / --states: polygons keyed by id. For --boundaries, at least one feature id must
/// be an account id (else the file is surely the wrong one); features of other ids are ignored.
[[nodiscard]] std::vector<geo_feature> load_layer(const std::string& path, const plan_run& run, bool units);

/// The independent check of run.assignment (territory::evaluate_plan, the business constraints, the
/// diameter cap, staffing with --reps), then every output written atomically, the summary line on
/// stdout ("<verb>: ...") and the violations on stderr. Returns the exit code: 0 feasible, 2 not.
/// Instantiated for territory::haversine and territory::euclidean.
template <class Distance>
int check_and_write(plan_run& run, const plan_outputs& outputs, const Distance& distance, const char* verb);

}  // namespace territory_cli
