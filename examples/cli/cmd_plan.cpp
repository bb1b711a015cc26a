// territory-cli plan: partitions the accounts into P contiguous, balanced, compact
// territories (territory::partition), checks the plan independently
// (territory::evaluate_plan) and writes assignment.csv, an optional report.json and an
// optional SVG map. The contract (flags, exit codes, report fields) is in FORMAT.md and
// docs/cli.md. Exit 0: feasible plan written. Exit 2: plan written with violations.
// Exit 1: bad input or usage; one line on stderr; no output file created or touched.

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <initializer_list>
#include <limits>
#include <system_error>
#include <utility>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>  // isatty: progress lines only on a terminal

#include <fmt/format.h>

#include <territory/balance/compactness.hpp>
#include <territory/balance/join_islands.hpp>
#include <territory/balance/partition.hpp>
#include <territory/core.hpp>
#include <territory/geo/euclidean.hpp>
#include <territory/geo/haversine.hpp>
#include <territory/graph/components.hpp>
#include <territory/plan/assign_reps.hpp>
#include <territory/plan/metrics.hpp>

#include "args.hpp"
#include "commands.hpp"
#include "geojson.hpp"
#include "input.hpp"
#include "output.hpp"
#include "plan_html.hpp"
#include "plan_constraints.hpp"
#include "plan_report.hpp"
#include "plan_svg.hpp"

namespace territory_cli {

namespace {

constexpr double default_tolerance = 0.05;
constexpr double default_time_limit = 10.0;

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
  return s;
}

/// The balanced columns: --balance, or every numeric column (activities of the table).
std::vector<std::string> balance_columns(const std::optional<std::string>& flag, const loaded_accounts& acc) {
  const auto& numeric = acc.table.activity_names();
  if (!flag) {
    if (numeric.empty()) {
      throw input_error(acc.file + ":1: no numeric column to balance (add one, e.g. 'revenue', or name one with --balance)");
    }
    return numeric;
  }
  const auto cols = split_list(*flag);
  if (cols.empty()) throw usage_error("'--balance' needs at least one column name");
  for (std::size_t i = 0; i < cols.size(); ++i) {
    for (std::size_t k = 0; k < i; ++k) {
      if (cols[k] == cols[i]) throw usage_error("'--balance' names column '" + cols[i] + "' twice");
    }
    if (acc.table.find_activity(cols[i])) continue;
    if (acc.table.has_attribute(cols[i]) || cols[i] == "id" || cols[i] == "owner" || cols[i] == "locked") {
      throw input_error(acc.file + ":1: --balance column '" + cols[i] + "' is not numeric (numeric columns: " +
                        join(numeric) + ")");
    }
    throw input_error(acc.file + ":1: --balance column '" + cols[i] + "' not found (numeric columns: " + join(numeric) + ")");
  }
  return cols;
}

double tolerance_value(std::string_view text, std::string_view what) {
  const auto v = parse_number(text);
  if (!v || !std::isfinite(*v) || *v < 0.0 || *v >= 1.0) {
    throw usage_error("'--tolerance' " + std::string(what) + "'" + std::string(text) +
                      "' is not a number in [0, 1) (e.g. 0.05 for 5 %)");
  }
  return *v;
}

/// --tolerance T (all columns) or col=T,col=T (others: 0.05).
std::vector<double> tolerances(const std::optional<std::string>& flag, const std::vector<std::string>& balance) {
  std::vector<double> out(balance.size(), default_tolerance);
  if (!flag) return out;
  if (flag->find('=') == std::string::npos) {
    const double t = tolerance_value(trim(*flag), "value ");
    std::fill(out.begin(), out.end(), t);
    return out;
  }
  std::vector<char> given(balance.size(), 0);
  std::string_view s = *flag;
  while (true) {
    const auto comma = s.find(',');
    const auto part = trim(s.substr(0, comma));
    const auto eq = part.find('=');
    if (eq == std::string_view::npos) {
      throw usage_error("'--tolerance' expects T or column=T[,column=T...], got '" + std::string(part) + "' in '" + *flag + "'");
    }
    const std::string col(trim(part.substr(0, eq)));
    std::size_t k = 0;
    while (k < balance.size() && balance[k] != col) ++k;
    if (k == balance.size()) {
      throw usage_error("'--tolerance' names column '" + col + "', which is not balanced (balanced: " + join(balance) + ")");
    }
    if (given[k]) throw usage_error("'--tolerance' names column '" + col + "' twice");
    given[k] = 1;
    out[k] = tolerance_value(trim(part.substr(eq + 1)), "for '" + col + "': ");
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return out;
}

/// '--compactness diameter|center' (default diameter).
territory::compactness compactness_flag(const std::optional<std::string>& flag) {
  if (!flag || *flag == "diameter") return territory::compactness::max_diameter;
  if (*flag == "center") return territory::compactness::center_distance;
  throw usage_error("'--compactness' must be 'diameter' or 'center', got '" + *flag + "'");
}

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
std::vector<geo_feature> load_layer(const std::string& path, const plan_run& run, bool units) {
  auto features = load_geojson(path, run.wgs84);
  if (units && !features.empty()) {
    std::size_t matched = 0;
    for (const auto& f : features) matched += run.accounts->find(f.id) ? 1 : 0;
    if (matched == 0) {
      throw input_error(path + ": none of the " + std::to_string(features.size()) + " feature ids is an account id (first: '" +
                        features.front().id + "'); the feature id must be the account id");
    }
  }
  return features;
}

/// "the 3109 accounts with account '01001': 19.63 mean territories of population" for each component,
/// the heaviest first (at most 8, then how many more).
std::string component_list(const territory::island_join& j, const plan_run& run) {
  std::vector<std::size_t> order(j.components.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  auto load = [&](std::size_t k) {
    const auto& v = j.components[k].mean_territories;
    return v.empty() ? 0.0 : *std::max_element(v.begin(), v.end());
  };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return load(x) > load(y); });
  std::string out;
  constexpr std::size_t shown = 8;
  for (std::size_t i = 0; i < order.size() && i < shown; ++i) {
    const auto& c = j.components[order[i]];
    const std::string& id = run.accounts->ids()[c.first];
    out += c.accounts == 1 ? fmt::format("{}account '{}' alone:", i ? "; " : "", id)
                           : fmt::format("{}the {} accounts with account '{}':", i ? "; " : "", c.accounts, id);
    for (std::size_t col = 0; col < c.mean_territories.size(); ++col) {
      out += fmt::format("{} {:.2f}{}", col ? "," : "", c.mean_territories[col],
                         col ? " of " + run.balance[col] : " mean territories of " + run.balance[col]);
    }
  }
  if (order.size() > shown) out += fmt::format("; and {} more", order.size() - shown);
  return out;
}

/// "links (the longest 3699.9 km)".
std::string link_count(const territory::island_join& j, const plan_run& run) {
  double longest = 0.0;
  for (double d : j.added_lengths) longest = std::max(longest, d);
  return fmt::format("link{} (the longest {:.1f}{})", j.added.size() == 1 ? "" : "s", longest, run.wgs84 ? " km" : "");
}

/// Islands: when the adjacency has several components, what they cost the plan. With
/// --connect-islands, the shortest links that leave no impossibility due to the components are
/// added (the graph of the run becomes `joined`); without it, a component impossibility gets a
/// hint that names the components, their loads and the links that would remove it.
template <class Distance>
std::string islands(plan_run& run, const territory::partition_options& opt, Distance distance,
                    territory::adjacency& joined) {
  if (run.graph == nullptr) return {};
  const std::size_t count = territory::connected_components(*run.graph).count;
  run.components_before = count;
  if (count <= 1) return {};
  auto j = territory::join_islands(run.activities, run.accounts->coordinates(), *run.graph, opt, distance);
  const auto& ids = run.accounts->ids();
  if (run.connect_islands) {
    for (std::size_t i = 0; i < j.added.size(); ++i) {
      run.added_links.push_back({ids[j.added[i].a], ids[j.added[i].b], j.added_lengths[i], j.added[i].a, j.added[i].b});
    }
    std::string msg;
    if (j.added.empty()) {
      msg = fmt::format("--connect-islands: the adjacency has {} graph components and none of them makes the plan "
                        "impossible: no link added",
                        count);
    } else {
      msg = fmt::format("--connect-islands: the adjacency has {} graph components ({}); added the {} shortest {}, "
                        "the fewest that remove the impossibility due to the components ({} component{} now):",
                        count, component_list(j, run), j.added.size(), link_count(j, run), j.components_after,
                        j.components_after == 1 ? "" : "s");
      constexpr std::size_t shown = 10;
      for (std::size_t i = 0; i < run.added_links.size() && i < shown; ++i) {
        const auto& l = run.added_links[i];
        msg += fmt::format("{} account '{}' to account '{}' {:.1f}{}", i ? "," : "", l.from, l.to, l.distance,
                           run.wgs84 ? " km" : "");
      }
      if (run.added_links.size() > shown) msg += fmt::format(" and {} more (see added_links)", run.added_links.size() - shown);
    }
    joined = std::move(j.graph);
    run.graph = &joined;
    return with_account_names(msg, *run.accounts);
  }
  if (j.impossible_before == 0) return {};
  return with_account_names(
      fmt::format("the {} graph components of the adjacency make the plan impossible ({}); joining them with the {} "
                  "shortest {} removes that impossibility: pass --connect-islands",
                  count, component_list(j, run), j.added.size(), link_count(j, run)),
      *run.accounts);
}

template <class Distance>
int run_plan(plan_run& run, const plan_outputs& outputs, Distance distance) {
  const auto& out_path = outputs.out;
  const auto& report_path = outputs.report;
  const auto& svg_path = outputs.svg;
  const auto& table = *run.accounts;
  const auto p = static_cast<territory::territory_index>(run.assignment.territory_count());
  territory::partition_options opt{.territories = p,
                                   .tolerance = run.tolerance,
                                   .seed = run.seed,
                                   .threads = run.threads,
                                   .time_limit_seconds = run.time_limit};
  opt.compactness = run.compactness;
  opt.locked = run.business.locked;
  opt.min_counts = run.business.min_counts;
  opt.median_bounds = run.business.median_bounds;
  opt.max_diameter = run.max_diameter;
  opt.activity_names = run.balance;
  opt.account_ids = table.ids();
  if (outputs.progress) {
    // progress on stderr at most once a second (stdout stays the one summary line); the engine
    // reports its best plan so far: objective = balance excess while it has violations, then the
    // compactness measure; "feasible" is progress::violations == 0 (core/progress.hpp)
    opt.on_progress = territory::make_progress_callback(
        [last = -1.0](const territory::progress& pg) mutable {
          const double best = pg.best_objective;
          if (pg.seconds < last + 1.0) return;
          last = pg.seconds;
          std::fprintf(stderr, "territory-cli: progress: %6.1f s  %-8.*s  iteration %-10llu  best objective %-12.6g  feasible %s\n",
                       pg.seconds, static_cast<int>(pg.phase.size()), pg.phase.data(),
                       static_cast<unsigned long long>(pg.iteration), best,
                       pg.violations == 0 ? "yes" : ("no (" + std::to_string(pg.violations) + " violations)").c_str());
          std::fflush(stderr);
        });
  }

  territory::adjacency joined;  // the adjacency plus the links of --connect-islands
  const std::string island_note = islands(run, opt, distance, joined);
  if (run.connect_islands && !island_note.empty()) {
    run.notes.push_back(island_note);
    if (!outputs.quiet) std::fprintf(stderr, "territory-cli: note: %s\n", island_note.c_str());
  }

  const auto t0 = std::chrono::steady_clock::now();
  const territory::partition_result res =
      run.graph ? territory::partition(run.activities, table.coordinates(), *run.graph, opt, distance)
                : territory::partition(run.activities, table.coordinates(), opt, distance);
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  // provable impossibilities: partition() ran precheck once and returns its findings
  run.precheck = res.precheck;
  for (const auto& v : run.precheck) {
    std::fprintf(stderr, "territory-cli: precheck: %s\n", with_account_names(v.reason, table).c_str());
  }
  if (!run.connect_islands && !island_note.empty()) {  // what would make the plan possible
    run.notes.push_back(island_note);
    std::fprintf(stderr, "territory-cli: precheck: %s\n", island_note.c_str());
  }
  if (!run.precheck.empty()) {
    std::fprintf(stderr, "territory-cli: precheck: no plan can meet every constraint; the plan written is the best found\n");
  }
  run.assignment = res.assignment;
  run.why_stopped = res.why_stopped;
  run.engine_feasible = res.feasible();
  run.iterations = res.stats.iterations;
  run.moves = res.stats.moves;
  run.seconds_to_feasible = res.seconds_to_feasible;
  run.notes.insert(run.notes.end(), res.notes.begin(), res.notes.end());  // after the CLI's own notes
  run.engine_constraints = res.constraints;
  for (const auto& v : res.violations) {  // allowed and said: a territory split by its own locks
    if (v.kind != territory::constraint_kind::contiguity || v.reason.find("because of its locks") == std::string::npos) continue;
    const auto t = v.territory;
    const std::string owner = t < run.business.lock_owner.size() ? run.business.lock_owner[t] : std::string("?");
    run.notes.push_back(fmt::format("territory {} is in {} pieces because of its locks: the accounts locked to owner '{}' "
                                    "are not connected, and each piece holds some of them",
                                    territory_id(t), static_cast<std::size_t>(v.amount) + 1, owner));
    std::fprintf(stderr, "territory-cli: note: %s\n", run.notes.back().c_str());
  }

  // the independent check decides the exit code and fills the report
  territory::plan_metrics_options mo{.tolerance = run.tolerance, .activity_names = run.balance};
  mo.territory_names.reserve(p);
  for (territory::territory_index t = 0; t < p; ++t) mo.territory_names.push_back(std::to_string(territory_id(t)));
  run.metrics = territory::evaluate_plan(run.activities, table.coordinates(), run.graph, run.assignment, mo, distance);
  // the business constraints, checked on the plan independently of the engine
  check_business_constraints(run.business, run.assignment, table, run.metrics.violations);
  if (!std::isinf(run.max_diameter)) {
    for (territory::territory_index t = 0; t < p; ++t) {
      const double d = run.metrics.territories[t].diameter;
      if (!(d > run.max_diameter * (1.0 + 1e-9))) continue;
      run.metrics.violations.push_back({territory::constraint_kind::max_distance, t, {}, d - run.max_diameter,
                                        fmt::format("territory {}: diameter {:.1f}{} above the cap of {}", territory_id(t), d,
                                                    run.wgs84 ? " km" : "", run.max_diameter_label)});
    }
  }
  if (run.engine_feasible != run.metrics.feasible()) {
    const std::string msg = std::string("the engine reports the plan ") + (run.engine_feasible ? "feasible" : "infeasible") +
                            " but the independent check finds it " + (run.metrics.feasible() ? "feasible" : "infeasible");
    run.notes.push_back(msg);
    std::fprintf(stderr, "territory-cli: warning: %s\n", msg.c_str());
  }

  if (run.staff) {
    // staff the plan: one active rep per territory, capacity first, then the distance from home to
    // the territory centre; unstaffed or over-capacity territories are hard-constraint violations
    std::vector<territory::point> centres;
    std::vector<double> loads;
    for (const auto& tm : run.metrics.territories) {
      centres.push_back(tm.centre);
      loads.push_back(tm.deviation.size() > 0 ? std::max(0.0, 1.0 + tm.deviation.maxCoeff()) : 1.0);  // heaviest column
    }
    const double cap_tol = run.tolerance.empty() ? 0.05 : *std::max_element(run.tolerance.begin(), run.tolerance.end());
    territory::rep_assignment_options ro{.tolerance = cap_tol, .territory_names = mo.territory_names};
    if (!run.business.lock_owner.empty()) {  // a locked owner's territory goes to the rep named owner
      ro.pinned.assign(p, std::string());
      for (std::size_t g = 0; g < run.business.lock_owner.size(); ++g) ro.pinned[g] = run.business.lock_owner[g];
    }
    run.staffing = territory::assign_reps(centres, loads, run.reps, ro, distance);
    run.metrics.violations.insert(run.metrics.violations.end(), run.staffing.violations.begin(),
                                  run.staffing.violations.end());
    run.notes.push_back("territories were designed first, then staffed: each got an active rep by capacity, then by "
                        "distance from home to its centre (territories are not grown from rep homes)");
  }

  // build everything, then write (each file atomically)
  const std::string csv = assignment_csv(run);
  const std::string report = report_path ? report_json(run) : std::string();
  plan_map map;
  if (svg_path || outputs.html) map = draw_plan_map(run, outputs.layers);
  const std::string html = outputs.html ? plan_html(run, map) : std::string();
  write_file_atomic(out_path, csv);
  if (report_path) write_file_atomic(*report_path, report);
  if (svg_path) write_file_atomic(*svg_path, map.svg);
  if (outputs.html) write_file_atomic(*outputs.html, html);
  if (!outputs.quiet) {
    for (const auto& note : map.notes) std::fprintf(stderr, "territory-cli: map: %s\n", note.c_str());
  }

  const auto& m = run.metrics;
  std::printf("plan: %u territor%s over %zu accounts, %s: max deviation %.2f %%, max diameter %.1f%s, %u graph component%s, "
              "status %s, %.2f s\n",
              p, p == 1 ? "y" : "ies", table.size(), m.feasible() ? "feasible" : "NOT feasible", 100.0 * m.max_deviation, m.max_diameter,
              run.wgs84 ? " km" : "", m.graph_components, m.graph_components == 1 ? "" : "s",
              std::string(territory::to_string(run.why_stopped)).c_str(), run.seconds);
  std::fflush(stdout);
  if (m.feasible()) return 0;
  constexpr std::size_t shown = 25;
  for (std::size_t i = 0; i < m.violations.size() && i < shown; ++i) {
    std::fprintf(stderr, "territory-cli: violation: %s (amount %.4g)\n", m.violations[i].reason.c_str(), m.violations[i].amount);
  }
  if (m.violations.size() > shown) {
    std::fprintf(stderr, "territory-cli: … and %zu more violations (see the report)\n", m.violations.size() - shown);
  }
  return 2;
}

}  // namespace

const command_spec& plan_spec() {
  static const command_spec spec{
      "plan",
      "Splits the accounts into P territories that are connected in the adjacency graph, balanced on the "
      "chosen activity columns within a tolerance, and compact (territory::partition); then checks the plan "
      "independently (territory::evaluate_plan), which decides the exit code and fills the report.",
      {
          {"--accounts", "FILE", "accounts.csv: id, x,y (planar) or lat,lon (WGS84), numeric activity columns.", "", true},
          {"--adjacency", "FILE", "a,b edges by account id; every territory must be connected in this graph.", ""},
          {"--reps", "FILE", "reps.csv: staff the plan with one active rep per territory (capacity first, then distance "
                             "from home to the territory centre).", ""},
          {"--territories", "P", "Number of territories, 1 <= P <= number of accounts.", "", true},
          {"--balance", "COL[,COL...]", "Activity columns to balance. Default: every numeric column.", ""},
          {"--tolerance", "T|COL=T[,COL=T...]",
           "Allowed relative deviation from the mean, in [0, 1), for all columns or per column (unnamed columns "
           "keep the default): every territory's sum must lie in [(1-T)*total/P, (1+T)*total/P].",
           fmt::format("{}", default_tolerance)},
          {"--seed", "N", "Seed of the search: same input, seed, threads and time limit give the same plan.",
           std::to_string(territory::default_seed)},
          {"--time-limit", "SECONDS", "Sets the search's work budget (the same on every machine); the wall clock stops "
                                      "the search at SECONDS only as a safety stop.",
           fmt::format("{}", default_time_limit)},
          {"--threads", "N", "Multi-start threads, 1 <= N <= 1024.", "1"},
          {"--compactness", "diameter|center",
           "What the search minimises once balanced and contiguous: the widest territory's diameter, or the sum "
           "of distances to territory centres.",
           "diameter"},
          {"--out", "ASSIGNMENT.csv", "Output: id,territory for every account.", "", true},
          {"--report", "REPORT.json", "Output: per-territory sums, deviations, diameters, contiguity, violations.", ""},
          {"--svg", "MAP.svg", "Output: the map (territory colours differ between neighbours).", ""},
          {"--html", "REPORT.html", "Output: one self-contained page with the map, constraints, fairness and one row "
                                    "per territory.",
           ""},
          {"--boundaries", "SHAPES.geojson", "Polygons for the map and report (Feature id = account id); accounts "
                                             "without one are drawn as dots.",
           ""},
          {"--states", "STATES.geojson", "Outlines (states, regions) drawn over the units on the map.", ""},
          {"--locks", "", "Honour the accounts' owner + locked columns: every account with locked = 1 stays with the "
                          "other accounts locked to the same owner, accounts locked to different owners are in "
                          "different territories; with --reps that territory is staffed by the rep named owner.",
           ""},
          {"--min-count", "COL=VALUE:K", "At least K accounts whose column COL equals VALUE in every territory "
                                         "(tier=A:3).",
           "", false, true},
          {"--median-cap", "COL:F", "Every territory's sum of the numeric column COL at most F x the median "
                                    "territory's (workload:1.5; F >= 1; the median moves with the plan).",
           "", false, true},
          {"--median-floor", "COL:F", "Every territory's sum of the numeric column COL at least F x the median "
                                      "territory's (revenue:0.6; 0 < F <= 1).",
           "", false, true},
          {"--max-diameter", "D", "No two accounts of a territory farther apart than D (km for lat,lon input, the "
                                  "coordinates' unit for x,y).",
           ""},
          {"--max-drive-hours", "H", "The same cap in hours of the library's drive-time estimate (great-circle km x "
                                     "1.2 road factor / 100 km/h: H hours = H x 83.3 km); lat,lon input only.",
           ""},
          {"--connect-islands", "", "When the components of the adjacency make the plan impossible (islands), add "
                                    "the shortest links between components, the fewest that remove that "
                                    "impossibility; the report lists them (added_links).",
           ""},
          {"--quiet", "", "No progress lines and no map notes on stderr.", ""},
          {"--progress", "", "Progress lines on stderr even when it is not a terminal (by default only on a terminal).", ""},
      },
      "Exit status: 0 a plan meeting every hard constraint was written; 2 a plan was written but a hard "
      "constraint is violated (stderr and the report say which and by how much); 1 bad input or usage (one line "
      "on stderr, no output file created or touched).\n"
      "Distances: lat,lon input uses great-circle km (haversine), x,y input the Euclidean distance in the "
      "coordinates' unit. See docs/cli.md."};
  return spec;
}

int cmd_plan(int argc, char** argv) {
  const args a(argc, argv, 2, plan_spec());
  // usage first: every flag checked before any file is read
  const std::string accounts_file = a.require("--accounts");
  const auto p = *a.get_int("--territories", 1, static_cast<long long>(territory::max_accounts));
  const std::string out_path = a.require("--out");
  const auto report_path = a.get("--report");
  const auto svg_path = a.get("--svg");
  const auto seed = *a.get_int("--seed", 0, 9223372036854775807LL);
  const double time_limit = *a.get_double("--time-limit", 0.0, 1e7);
  if (!(time_limit > 0.0)) throw usage_error("'--time-limit' must be > 0 seconds");
  const auto threads = *a.get_int("--threads", 1, 1024);
  const auto compactness = compactness_flag(a.get("--compactness"));
  if (a.has("--max-diameter") && a.has("--max-drive-hours")) {
    throw usage_error("give one of '--max-diameter' and '--max-drive-hours', not both");
  }
  const auto max_diameter = a.get_double("--max-diameter", 0.0, 1e300);
  const auto max_drive_hours = a.get_double("--max-drive-hours", 0.0, 1e300);
  if (max_diameter && !(*max_diameter > 0.0)) throw usage_error("'--max-diameter' must be > 0");
  if (max_drive_hours && !(*max_drive_hours > 0.0)) throw usage_error("'--max-drive-hours' must be > 0");
  for (const auto* flag : {"--report", "--svg", "--html", "--boundaries", "--states"}) {
    if (a.has(flag) && a.get(flag)->empty()) throw usage_error("'" + std::string(flag) + "' needs a file name");
  }
  if (a.has("--connect-islands") && !a.has("--adjacency")) {
    throw usage_error("'--connect-islands' joins the components of an adjacency: give '--adjacency'");
  }
  check_writable(out_path);
  if (report_path) check_writable(*report_path);
  if (svg_path) check_writable(*svg_path);
  const auto html_path = a.get("--html");
  if (html_path) check_writable(*html_path);
  check_distinct_files(a, {"--out", "--report", "--svg", "--html"},
                       {"--accounts", "--adjacency", "--reps", "--boundaries", "--states"});

  // inputs: every problem is found before any work
  const auto acc = load_accounts(accounts_file);
  plan_run run;
  run.accounts = &acc.table;
  run.accounts_file = accounts_file;
  run.balance = balance_columns(a.get("--balance"), acc);
  run.tolerance = tolerances(a.get("--tolerance"), run.balance);
  run.wgs84 = acc.table.coordinates_system() == territory::coordinate_system::wgs84;
  run.seed = static_cast<std::uint64_t>(seed);
  run.threads = static_cast<unsigned>(threads);
  run.time_limit = time_limit;
  run.compactness = compactness;

  const auto report = territory::validate(acc.table, {.territories = static_cast<std::size_t>(p),
                                                      .nonnegative_columns = run.balance});
  if (!report.ok()) throw input_error(describe(report.problems.front(), acc, nullptr, "", ""));

  territory::adjacency graph;
  if (const auto adj = a.get("--adjacency")) {
    if (adj->empty()) throw usage_error("'--adjacency' needs a file name");
    const auto edges = load_adjacency(*adj, acc);
    graph = territory::adjacency::from_edges(acc.table.size(), edges.edges);
    run.graph = &graph;
    run.adjacency_file = *adj;
  }
  run.connect_islands = a.has("--connect-islands");
  if (const auto reps = a.get("--reps")) {
    // each territory gets the active rep that lives closest (capacity first); see run_plan
    run.staff = true;
    std::optional<territory::coordinate_system> homes;
    run.reps = load_reps(*reps, &homes);
    if (homes && *homes != acc.table.coordinates_system()) {
      const bool planar = *homes == territory::coordinate_system::planar;
      throw input_error(*reps + ":1: rep homes are given as " + (planar ? "x,y" : "lat,lon") + " but the accounts as " +
                        (planar ? "lat,lon" : "x,y") + "; homes must use the accounts' coordinate system");
    }
    const auto rv = territory::validate(acc.table, {.reps = run.reps});
    if (!rv.ok()) throw input_error(describe(rv.problems.front(), acc, nullptr, "", *reps));
  }
  run.business = read_business_constraints(
      {a.has("--locks"), a.get_all("--min-count"), a.get_all("--median-cap"), a.get_all("--median-floor")}, acc.table,
      accounts_file, static_cast<std::size_t>(p));
  if (!a.has("--locks")) {
    std::size_t locked = 0;
    for (auto l : acc.table.locked()) locked += l != 0 ? 1 : 0;
    if (locked > 0) {
      const std::string msg = std::to_string(locked) + " account" + (locked == 1 ? " is" : "s are") +
                              " marked locked but not honoured: pass --locks to keep them with their owner";
      run.notes.push_back(msg);
      std::fprintf(stderr, "territory-cli: warning: %s\n", msg.c_str());
    }
  }
  if (max_drive_hours) {
    if (!run.wgs84) {
      throw usage_error("'--max-drive-hours' needs lat,lon coordinates (the drive-time estimate is great-circle km x "
                        "road factor / speed); for x,y input use '--max-diameter'");
    }
    const territory::drive_time dt{};
    run.max_diameter = *max_drive_hours * dt.speed_kmh / dt.road_factor;  // km of great circle
    run.max_diameter_label = fmt::format("{:g} drive hours ({:.1f} km)", *max_drive_hours, run.max_diameter);
  } else if (max_diameter) {
    run.max_diameter = *max_diameter;
    run.max_diameter_label = fmt::format("{:g}{}", *max_diameter, run.wgs84 ? " km" : "");
  }
  if (run.staff && !run.business.lock_owner.empty()) {
    // the territory of each locked owner is staffed by the rep named owner: it must be an active rep
    for (const auto& owner : run.business.lock_owner) {
      const bool active = std::any_of(run.reps.begin(), run.reps.end(), [&](const territory::rep& r) {
        return r.id == owner && r.status == territory::rep_status::active;
      });
      if (!active) {
        throw input_error(*a.get("--reps") + ": owner '" + owner + "' of locked accounts is not an active rep; with "
                          "--locks and --reps every locked owner must be an active rep");
      }
    }
  }
  // map layers: read (and checked) before any work, even when no map is asked for
  std::vector<geo_feature> units, states;
  plan_outputs outputs{.out = out_path, .report = report_path, .svg = svg_path, .html = html_path, .layers = {}};
  outputs.quiet = a.has("--quiet");
  outputs.progress = !outputs.quiet && (a.has("--progress") || isatty(fileno(stderr)) != 0);
  if (const auto b = a.get("--boundaries")) {
    units = load_layer(*b, run, true);
    outputs.layers.units = &units;
  }
  if (const auto st = a.get("--states")) {
    states = load_layer(*st, run, false);
    outputs.layers.states = &states;
  }
  run.activities = acc.table.select_activities(run.balance);
  run.assignment = territory::plan(acc.table.size(), static_cast<territory::territory_index>(p));

  if (run.wgs84) return run_plan(run, outputs, territory::haversine{});
  return run_plan(run, outputs, territory::euclidean{});
}

}  // namespace territory_cli
