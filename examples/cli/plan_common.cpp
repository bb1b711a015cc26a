// What `territory-cli plan` and `rebalance` share (plan_common.hpp).

#include "plan_common.hpp"

#include <algorithm>
#include <map>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <system_error>
#include <utility>

#include <unistd.h>  // isatty: progress lines only on a terminal

#include <fmt/format.h>

#include <territory/core.hpp>
#include <territory/geo/drive_time.hpp>
#include <territory/geo/euclidean.hpp>
#include <territory/geo/haversine.hpp>
#include <territory/balance/rep_design.hpp>
#include <territory/plan/assign_reps.hpp>
#include <territory/plan/metrics.hpp>

#include "output.hpp"
#include "plan_constraints.hpp"
#include "plan_html.hpp"

namespace territory_cli {

namespace {

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
  return s;
}

}  // namespace

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

std::vector<flag_spec> count_and_median_flags() {
  return {
      {"--min-count", "COL=VALUE:K", "At least K accounts whose column COL equals VALUE in every territory "
                                     "(tier=A:3).",
       "", false, true},
      {"--median-cap", "COL:F", "Every territory's sum of the numeric column COL at most F x the median "
                                "territory's (workload:1.5; F >= 1; the median moves with the plan).",
       "", false, true},
      {"--median-floor", "COL:F", "Every territory's sum of the numeric column COL at least F x the median "
                                  "territory's (revenue:0.6; 0 < F <= 1).",
       "", false, true},
  };
}

command_spec with_flags_after(command_spec spec, std::string_view after, std::vector<flag_spec> extra) {
  auto it = std::find_if(spec.flags.begin(), spec.flags.end(), [&](const flag_spec& f) { return f.name == after; });
  if (it != spec.flags.end()) ++it;
  spec.flags.insert(it, std::make_move_iterator(extra.begin()), std::make_move_iterator(extra.end()));
  return spec;
}

/// '--compactness diameter|center' (default diameter).
territory::compactness compactness_flag(const std::optional<std::string>& flag) {
  if (!flag || *flag == "diameter") return territory::compactness::max_diameter;
  if (*flag == "center") return territory::compactness::center_distance;
  throw usage_error("'--compactness' must be 'diameter' or 'center', got '" + *flag + "'");
}

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


search_flags read_search_flags(const args& a) {
  search_flags f;
  f.time_limit = *a.get_double("--time-limit", 0.0, 1e7);
  if (!(f.time_limit > 0.0)) throw usage_error("'--time-limit' must be > 0 seconds");
  f.threads = static_cast<unsigned>(*a.get_int("--threads", 1, 1024));
  if (a.has("--max-diameter") && a.has("--max-drive-hours")) {
    throw usage_error("give one of '--max-diameter' and '--max-drive-hours', not both");
  }
  f.max_diameter = a.get_double("--max-diameter", 0.0, 1e300);
  f.max_drive_hours = a.get_double("--max-drive-hours", 0.0, 1e300);
  if (f.max_diameter && !(*f.max_diameter > 0.0)) throw usage_error("'--max-diameter' must be > 0");
  if (f.max_drive_hours && !(*f.max_drive_hours > 0.0)) throw usage_error("'--max-drive-hours' must be > 0");
  return f;
}

const territory::adjacency* optional_adjacency(const args& a, const loaded_accounts& acc, territory::adjacency& graph) {
  const auto adj = a.get("--adjacency");
  if (!adj) return nullptr;
  if (adj->empty()) throw usage_error("'--adjacency' needs a file name");
  graph = territory::adjacency::from_edges(acc.table.size(), load_adjacency(*adj, acc).edges);
  return &graph;
}

run_flags read_run_flags(const args& a) {
  const std::string accounts_file = a.require("--accounts");
  const std::string out_path = a.require("--out");
  const auto report_path = a.get("--report");
  const auto svg_path = a.get("--svg");
  const auto seed = *a.get_int("--seed", 0, 9223372036854775807LL);
  const auto [time_limit, threads, max_diameter, max_drive_hours] = read_search_flags(a);
  for (const auto* flag : {"--report", "--svg", "--html", "--boundaries", "--states"}) {
    if (a.has(flag) && a.get(flag)->empty()) throw usage_error("'" + std::string(flag) + "' needs a file name");
  }
  check_writable(out_path);
  if (report_path) check_writable(*report_path);
  if (svg_path) check_writable(*svg_path);
  const auto html_path = a.get("--html");
  if (html_path) check_writable(*html_path);
  check_distinct_files(a, {"--out", "--report", "--svg", "--html"},
                       {"--accounts", "--adjacency", "--reps", "--boundaries", "--states"});

  run_flags f;
  f.accounts_file = accounts_file;
  f.outputs = plan_outputs{.out = out_path, .report = report_path, .svg = svg_path, .html = html_path, .changes = {}, .layers = {}};
  f.outputs.quiet = a.has("--quiet");
  f.outputs.progress = !f.outputs.quiet && (a.has("--progress") || isatty(fileno(stderr)) != 0);
  f.seed = static_cast<std::uint64_t>(seed);
  f.threads = static_cast<unsigned>(threads);
  f.time_limit = time_limit;
  f.max_diameter = max_diameter;
  f.max_drive_hours = max_drive_hours;
  return f;
}

void read_run_inputs(const args& a, const run_flags& f, const loaded_accounts& acc, std::size_t p, plan_run& run,
                     run_inputs& in, plan_outputs& outputs) {
  // inputs: every problem is found before any work
  run.accounts = &acc.table;
  run.accounts_file = f.accounts_file;
  run.balance = balance_columns(a.get("--balance"), acc);
  run.tolerance = tolerances(a.get("--tolerance"), run.balance);
  run.wgs84 = acc.table.coordinates_system() == territory::coordinate_system::wgs84;
  run.seed = f.seed;
  run.threads = f.threads;
  run.time_limit = f.time_limit;

  const auto report = territory::validate(acc.table, {.territories = p,
                                                      .nonnegative_columns = run.balance});
  if (!report.ok()) throw input_error(describe(report.problems.front(), acc, nullptr, "", ""));

  if (const auto adj = a.get("--adjacency")) {
    if (adj->empty()) throw usage_error("'--adjacency' needs a file name");
    const auto edges = load_adjacency(*adj, acc);
    in.graph = territory::adjacency::from_edges(acc.table.size(), edges.edges);
    run.graph = &in.graph;
    run.adjacency_file = *adj;
  }
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
      f.accounts_file, p);
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
  if (const auto& max_drive_hours = f.max_drive_hours) {
    if (!run.wgs84) {
      throw usage_error("'--max-drive-hours' needs lat,lon coordinates (the drive-time estimate is great-circle km x "
                        "road factor / speed); for x,y input use '--max-diameter'");
    }
    const territory::drive_time dt{};
    run.max_diameter = *max_drive_hours * dt.speed_kmh / dt.road_factor;  // km of great circle
    run.max_diameter_label = fmt::format("{:g} drive hours ({:.1f} km)", *max_drive_hours, run.max_diameter);
  } else if (const auto& max_diameter = f.max_diameter) {
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
  if (const auto b = a.get("--boundaries")) {
    in.units = load_layer(*b, run, true);
    outputs.layers.units = &in.units;
  }
  if (const auto st = a.get("--states")) {
    in.states = load_layer(*st, run, false);
    outputs.layers.states = &in.states;
  }
  run.activities = acc.table.select_activities(run.balance);

}

template <class Distance>
int check_and_write(plan_run& run, const plan_outputs& outputs, const Distance& distance, const char* verb) {
  const auto& out_path = outputs.out;
  const auto& report_path = outputs.report;
  const auto& svg_path = outputs.svg;
  const auto& table = *run.accounts;
  const auto p = static_cast<territory::territory_index>(run.assignment.territory_count());
  // the independent check decides the exit code and fills the report
  territory::plan_metrics_options mo{.tolerance = run.tolerance, .activity_names = run.balance};
  mo.target_shares = run.rep_capacity;  // --grow-from-reps: each territory against its rep's share
  mo.territory_names.reserve(p);
  for (territory::territory_index t = 0; t < p; ++t) mo.territory_names.push_back(territory_label(run, t));
  run.metrics = territory::evaluate_plan(run.activities, table.coordinates(), run.graph, run.assignment, mo, distance);
  // the business constraints, checked on the plan independently of the engine
  check_business_constraints(run.business, run.assignment, table, run.metrics.violations, run.territory_names,
                             run.rep_capacity);
  if (!std::isinf(run.max_diameter)) {
    for (territory::territory_index t = 0; t < p; ++t) {
      const double d = run.metrics.territories[t].diameter;
      if (!(d > run.max_diameter * (1.0 + 1e-9))) continue;
      run.metrics.violations.push_back({territory::constraint_kind::max_distance, t, {}, d - run.max_diameter,
                                        fmt::format("territory {}: diameter {:.1f}{} above the cap of {}", territory_label(run, t), d,
                                                    run.wgs84 ? " km" : "", run.max_diameter_label)});
    }
  }
  // skills (--grow-from-reps with a `needs` column), checked on the plan itself: every account's needs
  // against the skills of the rep its territory was designed for (and is staffed by: pinned below)
  if (!run.pinned_reps.empty() && table.has_attribute("needs")) {
    const auto& cells = table.attribute("needs");
    std::vector<std::map<std::string, std::pair<std::size_t, std::string>>> lacking(p);  // skill -> (count, first id)
    for (std::size_t a = 0; a < table.size(); ++a) {
      const auto t = run.assignment[static_cast<territory::account_index>(a)];
      const auto it = std::find_if(run.reps.begin(), run.reps.end(),
                                   [&](const territory::rep& r) { return r.id == run.pinned_reps[t]; });
      for (const auto& skill : split_list(cells[a], ';')) {
        if (it != run.reps.end() && std::find(it->skills.begin(), it->skills.end(), skill) != it->skills.end()) continue;
        auto& e = lacking[t][skill];
        if (e.first++ == 0) e.second = table.id(static_cast<territory::account_index>(a));
      }
    }
    for (territory::territory_index t = 0; t < p; ++t) {
      for (const auto& [skill, e] : lacking[t]) {
        run.metrics.violations.push_back(
            {territory::constraint_kind::skill, t, skill, static_cast<double>(e.first),
             fmt::format("territory {}: {} account{} need{} {} (account '{}' among them), which its rep '{}' lacks",
                         territory_label(run, t), e.first, e.first == 1 ? "" : "s", e.first == 1 ? "s" : "", skill,
                         e.second, run.pinned_reps[t])});
      }
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
    const bool grown = !run.rep_capacity.empty();
    for (territory::territory_index t = 0; t < p; ++t) {
      const auto& tm = run.metrics.territories[t];
      centres.push_back(tm.centre);
      // load relative to a full load: with --grow-from-reps a full load is total / (sum of capacities),
      // so territory t's load is its capacity x (1 + its deviation from its own target)
      const double rel = tm.deviation.size() > 0 ? std::max(0.0, 1.0 + tm.deviation.maxCoeff()) : 1.0;  // heaviest column
      loads.push_back(grown ? run.rep_capacity[t] * rel : rel);
    }
    const double cap_tol = run.tolerance.empty() ? 0.05 : *std::max_element(run.tolerance.begin(), run.tolerance.end());
    territory::rep_assignment_options ro{.tolerance = cap_tol, .territory_names = mo.territory_names};
    if (!run.business.lock_owner.empty()) {  // a locked owner's territory goes to the rep named owner
      ro.pinned.assign(p, std::string());
      for (std::size_t g = 0; g < run.business.lock_owner.size(); ++g) ro.pinned[g] = run.business.lock_owner[g];
    }
    if (!run.pinned_reps.empty()) ro.pinned = run.pinned_reps;  // skills: territory t was designed for rep t
    run.staffing = territory::assign_reps(centres, loads, run.reps, ro, distance);
    run.metrics.violations.insert(run.metrics.violations.end(), run.staffing.violations.begin(),
                                  run.staffing.violations.end());
    // travel: how far each rep drives from home to the accounts of its territory
    std::vector<std::optional<territory::point>> homes(p);
    for (territory::territory_index t = 0; t < p; ++t) {
      const auto r = run.staffing.rep_of[t];
      if (r != territory::rep_assignment::no_rep && run.reps[r].home) homes[t] = *run.reps[r].home;
    }
    const auto tr = territory::travel_from_homes(run.assignment.assignment(), table.coordinates(), homes, distance);
    run.travel_mean = tr.mean;
    run.travel_max = tr.max;
    run.notes.push_back(grown ? "territories were grown from the active reps' homes (from the account nearest each "
                                "home, or from the rep's locked accounts), each with a target proportional to its "
                                "rep's capacity, then staffed by capacity and distance from home (--grow-from-reps)"
                              : "territories were designed first, then staffed: each got an active rep by capacity, "
                                "then by distance from home to its centre (territories are not grown from rep homes; "
                                "--grow-from-reps does that)");
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
  if (outputs.changes) write_file_atomic(*outputs.changes, run.changes_json);
  if (!outputs.quiet) {
    for (const auto& note : map.notes) std::fprintf(stderr, "territory-cli: map: %s\n", note.c_str());
  }

  const auto& m = run.metrics;
  std::printf("%s: %u territor%s over %zu accounts, %s: max deviation %.2f %%, max diameter %.1f%s, %u graph component%s, "
              "status %s, %.2f s%s\n",
              verb, p, p == 1 ? "y" : "ies", table.size(), m.feasible() ? "feasible" : "NOT feasible", 100.0 * m.max_deviation, m.max_diameter,
              run.wgs84 ? " km" : "", m.graph_components, m.graph_components == 1 ? "" : "s",
              std::string(territory::to_string(run.why_stopped)).c_str(), run.seconds, run.summary_extra.c_str());
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


template int check_and_write<territory::haversine>(plan_run&, const plan_outputs&, const territory::haversine&, const char*);
template int check_and_write<territory::euclidean>(plan_run&, const plan_outputs&, const territory::euclidean&, const char*);

}  // namespace territory_cli
