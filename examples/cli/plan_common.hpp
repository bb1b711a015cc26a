#pragma once

// What `territory-cli plan` and `rebalance` share: reading the balanced columns and tolerances, the
// output and map-layer flags, and the independent check of a finished plan with the writing of its
// outputs (assignment.csv, report.json, map.svg, report.html) and the exit code.

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include <territory/balance/compactness.hpp>
#include <territory/graph/adjacency.hpp>

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

/// The flags of the count and median constraints, shared by plan and rebalance: --min-count,
/// --median-cap, --median-floor (read by read_run_inputs).
[[nodiscard]] std::vector<flag_spec> count_and_median_flags();

/// `spec` with `extra` inserted after its flag `after` (at the end when absent).
[[nodiscard]] command_spec with_flags_after(command_spec spec, std::string_view after, std::vector<flag_spec> extra);

/// '--compactness diameter|center' (default diameter).
[[nodiscard]] territory::compactness compactness_flag(const std::optional<std::string>& flag);

/// Output paths and map layers of one run.
struct plan_outputs {
  std::string out;
  std::optional<std::string> report, svg, html;
  std::optional<std::string> changes;  ///< rebalance --changes
  map_layers layers;
  bool quiet = false;     ///< --quiet: no progress lines, no map notes
  bool progress = false;  ///< progress lines on stderr: stderr is a terminal or --progress, and not --quiet
};

/// The flags shared by plan and rebalance, checked before any file is read (usage_error): --accounts,
/// --out, --report, --svg, --html (writable, distinct, no input overwritten), --seed, --time-limit,
/// --threads, --max-diameter / --max-drive-hours, --quiet, --progress.
struct run_flags {
  std::string accounts_file;
  plan_outputs outputs;
  std::uint64_t seed = 0;
  unsigned threads = 1;
  double time_limit = default_time_limit;
  std::optional<double> max_diameter, max_drive_hours;
};
/// The search's flags shared by plan, rebalance and scenarios: --time-limit (> 0), --threads (1..1024)
/// and one of --max-diameter / --max-drive-hours (> 0). Throws usage_error naming the flag.
struct search_flags {
  double time_limit = 0;
  unsigned threads = 1;
  std::optional<double> max_diameter, max_drive_hours;
};
[[nodiscard]] search_flags read_search_flags(const args& a);

/// --adjacency, when given: the graph over the accounts, built into `graph`; returns &graph, or nullptr
/// without the flag. Throws usage_error for an empty file name, input_error as load_adjacency.
const territory::adjacency* optional_adjacency(const args& a, const loaded_accounts& acc, territory::adjacency& graph);

[[nodiscard]] run_flags read_run_flags(const args& a);

/// What the inputs own beyond the accounts: the graph and the map layers (run and outputs point here).
struct run_inputs {
  territory::adjacency graph;
  std::vector<geo_feature> units, states;
};

/// Reads and checks every shared input for a run of p territories: balanced columns and tolerances,
/// whole-input validation, --adjacency, --reps, --locks and --min-count, the diameter cap, the map
/// layers; fills run (not its assignment) and outputs.layers. input_error / usage_error naming the
/// file, line and column.
void read_run_inputs(const args& a, const run_flags& f, const loaded_accounts& acc, std::size_t p, plan_run& run,
                     run_inputs& in, plan_outputs& outputs);

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
