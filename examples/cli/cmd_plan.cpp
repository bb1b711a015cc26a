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
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>  // isatty: progress lines only on a terminal

#include <fmt/format.h>

#include <territory/balance/compactness.hpp>
#include <territory/balance/join_islands.hpp>
#include <territory/balance/partition.hpp>
#include <territory/balance/rep_design.hpp>
#include <territory/core.hpp>
#include <territory/geo/euclidean.hpp>
#include <territory/geo/haversine.hpp>
#include <territory/graph/components.hpp>
#include <territory/plan/assign_reps.hpp>
#include <territory/plan/metrics.hpp>

#include "args.hpp"
#include "commands.hpp"
#include "csv.hpp"
#include "geojson.hpp"
#include "input.hpp"
#include "output.hpp"
#include "plan_html.hpp"
#include "plan_common.hpp"
#include "plan_constraints.hpp"
#include "plan_report.hpp"
#include "plan_svg.hpp"

namespace territory_cli {

namespace {

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

/// --grow-from-reps: one territory per active rep (territory t sized for the t-th active rep of
/// reps.csv), grown from the account nearest the rep's home, with a target proportional to its
/// capacity (territory::design_from_reps). Locked owners keep their accounts in their rep's territory.
/// Throws input_error when P is not the number of active reps.
template <class Distance>
void design_around_reps(plan_run& run, territory::partition_options& opt, const std::string& reps_file,
                        Distance distance) {
  std::vector<std::string> active;
  for (const auto& r : run.reps) {
    if (r.status == territory::rep_status::active) active.push_back(r.id);
  }
  if (active.size() != opt.territories) {
    throw input_error(fmt::format("{}: {} active rep{} but --territories {}; with --grow-from-reps every active rep gets "
                                  "one territory: pass --territories {}",
                                  reps_file, active.size(), active.size() == 1 ? "" : "s", opt.territories,
                                  active.size()));
  }
  const std::size_t n = run.accounts->size();
  std::vector<territory::territory_index> locked;
  if (!run.business.locked.empty()) {  // owner g of --locks -> the territory of the rep named g
    locked.assign(n, territory::no_territory);
    for (std::size_t a = 0; a < n; ++a) {
      const auto g = run.business.locked[a];
      if (g == territory::no_territory) continue;
      const auto it = std::find(active.begin(), active.end(), run.business.lock_owner[g]);
      locked[a] = static_cast<territory::territory_index>(it - active.begin());  // an active rep (read_run_inputs)
    }
  }
  // skills: an account's `needs` (';'-separated, e.g. language:zh) only in a territory whose rep has it
  std::vector<std::vector<std::string>> needs;
  if (run.accounts->has_attribute("needs")) {
    const auto& cells = run.accounts->attribute("needs");
    needs.resize(n);
    for (std::size_t a = 0; a < n; ++a) needs[a] = split_list(cells[a], ';');
  }
  const auto d = territory::design_from_reps(run.reps, run.accounts->coordinates(), locked, distance, needs);
  d.apply(opt);
  // territory t is sized for rep t: a locked owner's territory is pinned to that rep at staffing, the
  // others are staffed by capacity, then distance from home (the search may move a territory off its seed)
  if (!locked.empty()) {
    std::vector<std::string> owner(active.size());
    for (auto t : locked) {
      if (t != territory::no_territory) owner[t] = active[t];
    }
    run.business.locked = std::move(locked);
    run.business.lock_owner = std::move(owner);
  }
  run.rep_capacity = d.target_shares;
  if (!d.skills.empty()) {  // the territories' identity then matters: territory t is staffed by rep t
    run.pinned_reps.clear();
    for (auto r : d.rep_of) run.pinned_reps.push_back(run.reps[r].id);
  }
}

/// --objective KEY=W[,KEY=W...]: weights of the secondary objectives (territory::objective_weights):
/// `compactness` (boundary length, default 1), `travel` (home-to-account distance, needs
/// --grow-from-reps) and any balanced column (evenness inside its band, default 0). Throws
/// usage_error for an unknown key or a weight that is not a finite number >= 0.
territory::objective_weights objective_flag(const std::string& spec, const std::vector<std::string>& balance, bool homes) {
  territory::objective_weights w;
  for (const auto& part : split_list(spec)) {
    const auto eq = part.find('=');
    if (eq == std::string::npos) throw usage_error("'--objective' expects KEY=W[,KEY=W...], got '" + part + "'");
    const std::string key(trim(std::string_view(part).substr(0, eq)));
    const std::string val(trim(std::string_view(part).substr(eq + 1)));
    char* end = nullptr;
    const double x = std::strtod(val.c_str(), &end);
    if (val.empty() || end != val.c_str() + val.size() || !std::isfinite(x) || x < 0.0) {
      throw usage_error("'--objective': the weight of '" + key + "' must be a finite number >= 0, got '" + val + "'");
    }
    if (key == "compactness") {
      w.compactness = x;
    } else if (key == "travel") {
      if (!homes) throw usage_error("'--objective travel=W' needs the reps' homes: give '--reps' and '--grow-from-reps'");
      w.travel = x;
    } else {
      const auto it = std::find(balance.begin(), balance.end(), key);
      if (it == balance.end()) {
        std::string keys = "compactness, travel";
        for (const auto& b : balance) keys += ", " + b;
        throw usage_error("'--objective': unknown key '" + key + "' (expected one of: " + keys + ")");
      }
      if (w.balance.empty()) w.balance.assign(balance.size(), 0.0);
      w.balance[static_cast<std::size_t>(it - balance.begin())] = x;
    }
  }
  return w;
}

template <class Distance>
int run_plan(plan_run& run, const plan_outputs& outputs, Distance distance) {
  const auto& table = *run.accounts;
  const auto p = static_cast<territory::territory_index>(run.assignment.territory_count());
  territory::partition_options opt{.territories = p,
                                   .tolerance = run.tolerance,
                                   .seed = run.seed,
                                   .threads = run.threads,
                                   .time_limit_seconds = run.time_limit};
  opt.compactness = run.compactness;
  opt.objective = run.objective;
  opt.locked = run.business.locked;
  opt.min_counts = run.business.min_counts;
  opt.median_bounds = run.business.median_bounds;
  opt.max_diameter = run.max_diameter;
  opt.activity_names = run.balance;
  opt.account_ids = table.ids();
  if (run.grow_from_reps) design_around_reps(run, opt, run.reps_file, distance);
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

  return check_and_write(run, outputs, distance, "plan");
}

}  // namespace

const command_spec& plan_spec() {
  static const command_spec spec = with_flags_after(command_spec{
      "plan",
      "Splits the accounts into P territories that are connected in the adjacency graph, balanced on the "
      "chosen activity columns within a tolerance, and compact (territory::partition); then checks the plan "
      "independently (territory::evaluate_plan), which decides the exit code and fills the report.",
      {
          {"--accounts", "FILE", "accounts.csv: id, x,y (planar) or lat,lon (WGS84), numeric activity columns.", "", true},
          {"--adjacency", "FILE", "a,b edges by account id; every territory must be connected in this graph.", ""},
          {"--reps", "FILE", "reps.csv: staff the plan with one active rep per territory (capacity first, then distance "
                             "from home to the territory centre).", ""},
          {"--objective", "KEY=W[,KEY=W...]",
           "Weights of what the plan trades once every hard constraint holds (the widest territory is never "
           "traded): compactness (boundary length, default 1), travel (distance from each rep's home to its "
           "accounts; needs --grow-from-reps, default 0) and each balanced column (evenness inside its band, "
           "default 0), e.g. compactness=0.4,travel=0.6.",
           ""},
          {"--grow-from-reps", "", "With --reps: design the territories around the active reps instead of staffing "
                                   "them afterwards. P must be the number of active reps; territory t belongs to "
                                   "the t-th active rep, grows from the account nearest its home and has a target "
                                   "of its capacity's share of the total (a rep at 0.5 gets half a load); departed "
                                   "reps get none.",
           ""},
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
      "coordinates' unit. See docs/cli.md."}, "--locks", count_and_median_flags());
  return spec;
}

int cmd_plan(int argc, char** argv) {
  const args a(argc, argv, 2, plan_spec());
  // usage first: every flag checked before any file is read
  const auto p = *a.get_int("--territories", 1, static_cast<long long>(territory::max_accounts));
  const auto flags = read_run_flags(a);
  if (a.has("--connect-islands") && !a.has("--adjacency")) {
    throw usage_error("'--connect-islands' joins the components of an adjacency: give '--adjacency'");
  }
  if (a.has("--grow-from-reps") && !a.has("--reps")) {
    throw usage_error("'--grow-from-reps' grows the territories from the reps' homes: give '--reps'");
  }
  const auto compactness = compactness_flag(a.get("--compactness"));
  // inputs: every problem is found before any work
  const auto acc = load_accounts(flags.accounts_file);
  plan_run run;
  run.compactness = compactness;
  run_inputs in;
  plan_outputs outputs = flags.outputs;
  read_run_inputs(a, flags, acc, static_cast<std::size_t>(p), run, in, outputs);
  run.connect_islands = a.has("--connect-islands");
  run.grow_from_reps = a.has("--grow-from-reps");
  if (run.grow_from_reps) run.reps_file = *a.get("--reps");
  if (const auto spec = a.get("--objective")) run.objective = objective_flag(*spec, run.balance, run.grow_from_reps);
  run.assignment = territory::plan(acc.table.size(), static_cast<territory::territory_index>(p));

  if (run.wgs84) return run_plan(run, outputs, territory::haversine{});
  return run_plan(run, outputs, territory::euclidean{});
}

}  // namespace territory_cli
