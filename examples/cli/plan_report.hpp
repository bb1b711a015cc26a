#pragma once

// territory-cli plan: the data of one run and the writers of its outputs
// (assignment.csv, report.json). The SVG map writer is in plan_svg.hpp.

#include <cstdint>
#include <string>
#include <string_view>
#include <limits>
#include <vector>

#include <Eigen/Core>

#include "plan_constraints.hpp"
#include <territory/core/account_table.hpp>
#include <territory/core/status.hpp>
#include <territory/graph/adjacency.hpp>
#include <territory/core/rep.hpp>
#include <territory/plan/assign_reps.hpp>
#include <territory/balance/compactness.hpp>
#include <territory/plan/metrics.hpp>

namespace territory_cli {

/// Everything the writers need about one `plan` run.
struct plan_run {
  const territory::account_table* accounts = nullptr;
  const territory::adjacency* graph = nullptr;       ///< null without --adjacency
  std::string accounts_file;
  std::string adjacency_file;
  std::vector<std::string> balance;                  ///< balanced column names, in order
  Eigen::MatrixXd activities;                        ///< n × balance.size()
  std::vector<double> tolerance;                     ///< one per balanced column
  bool wgs84 = false;                                ///< lat/lon input: distances in km (haversine)
  territory::plan assignment;
  territory::plan_metrics metrics;                   ///< from evaluate_plan (the independent checker)
  std::vector<territory::violation> precheck;        ///< provable impossibilities found before searching
  std::vector<std::string> notes;                    ///< engine notes and CLI remarks
  bool staff = false;                                ///< --reps given: give every territory a rep
  std::vector<territory::rep> reps;                  ///< from --reps
  territory::rep_assignment staffing;                ///< one rep per territory (only with --reps)
  /// --grow-from-reps: territory t is sized for the t-th active rep and grown from its home, its target
  /// proportional to its capacity; per territory: that rep's capacity (empty without the flag)
  std::vector<double> rep_capacity;
  bool grow_from_reps = false;                       ///< --grow-from-reps given
  territory::objective_weights objective;            ///< --objective
  std::vector<std::string> pinned_reps;              ///< --grow-from-reps with skills: territory t is staffed by rep t
  std::string reps_file;                             ///< --reps (for messages)
  std::vector<double> travel_mean, travel_max;       ///< with --reps: home-to-account distance per territory
  territory::status why_stopped = territory::status::converged;
  bool engine_feasible = true;                       ///< the engine's own verdict
  std::uint64_t seed = 0;
  unsigned threads = 1;
  double time_limit = 0;
  territory::compactness compactness = territory::compactness::max_diameter;  ///< --compactness
  double seconds = 0;                                ///< wall time of the search
  double seconds_to_feasible = -1;                   ///< engine: time to its first feasible plan (-1: never)
  std::uint64_t iterations = 0;
  std::uint64_t moves = 0;
  business_constraints business;                     ///< --locks, --min-count
  double max_diameter = std::numeric_limits<double>::infinity();  ///< --max-diameter / --max-drive-hours (km for lat,lon)
  std::string max_diameter_label;                    ///< how the cap was given ("6 drive hours (500.0 km)")
  std::vector<territory::constraint_status> engine_constraints;  ///< partition_result::constraints
  /// A link that --connect-islands added to the adjacency (account ids, distance in km for lat,lon).
  struct added_link {
    std::string from, to;
    double distance = 0;
    territory::account_index a = 0, b = 0;  ///< the accounts it joins
  };
  bool connect_islands = false;                      ///< --connect-islands given
  std::size_t components_before = 0;                 ///< graph components of the adjacency file (with --connect-islands)
  std::vector<added_link> added_links;               ///< the links --connect-islands added, shortest first
  std::vector<std::string> territory_names;          ///< rebalance: the territory ids (owners); empty = 1..p
  std::string summary_extra;                         ///< appended to the summary line on stdout
  std::string moves_json;                            ///< rebalance: the "moves" list (else "moves" is the engine's count)
  std::string report_extra;                          ///< more report fields: `"key": value` lines, each ",\n"-led
  std::string changes_json;                          ///< rebalance --changes: the change set (written with the outputs)
};

/// Territory id as written to the outputs: territories are numbered 1..p.
[[nodiscard]] inline std::uint64_t territory_id(territory::territory_index t) { return std::uint64_t{t} + 1; }

/// Territory id as written to the outputs: its name (rebalance: the owner), else 1..p.
[[nodiscard]] inline std::string territory_label(const plan_run& run, territory::territory_index t) {
  return t < run.territory_names.size() ? run.territory_names[t] : std::to_string(territory_id(t));
}

/// The territory id as a JSON value: a number (1..p) or, with names, a string.
[[nodiscard]] std::string territory_json(const plan_run& run, territory::territory_index t);

/// `s` as a JSON string literal (escaped, in quotes).
[[nodiscard]] std::string quoted(std::string_view s);

/// `{"col": value, ...}` over the balanced columns of the run.
[[nodiscard]] std::string column_object(const plan_run& run, const Eigen::VectorXd& v);

/// Shortest decimal text that reads back as the same double; "null" if not finite.
[[nodiscard]] std::string json_number(double x);

/// `id,territory` for every account, in input order.
[[nodiscard]] std::string assignment_csv(const plan_run& run);

/// The report (FORMAT.md fields plus p, n, tolerance, graph components, status, iterations, …).
[[nodiscard]] std::string report_json(const plan_run& run);

/// Replaces "account '<id>'" in a sentence by "account '<id>' (<name>)" when the accounts have a name column.
[[nodiscard]] std::string with_account_names(const std::string& reason, const territory::account_table& accounts);

}  // namespace territory_cli
