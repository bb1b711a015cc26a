// territory-cli scenarios: runs the presets (or one row of SCENARIOS.csv per scenario) side by side
// with territory::run_scenarios (plan/scenario.hpp) and writes DIR/<scenario>/assignment.csv,
// DIR/comparison.csv and DIR/report.json (ranking, top 3 with trade-offs). Contract: FORMAT.md,
// docs/cli.md, docs/scenarios.md. Exit 0: every output written (infeasible scenarios are results, said
// in comparison.csv). Exit 1: bad input or usage; one line on stderr; nothing created or touched.

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include <territory/core.hpp>
#include <territory/geo/drive_time.hpp>
#include <territory/geo/euclidean.hpp>
#include <territory/geo/haversine.hpp>
#include <territory/plan/scenario.hpp>

#include "args.hpp"
#include "commands.hpp"
#include "csv.hpp"
#include "input.hpp"
#include "output.hpp"
#include "plan_common.hpp"
#include "plan_constraints.hpp"
#include "plan_report.hpp"

namespace territory_cli {

namespace {

namespace fs = std::filesystem;

/// A scenario name is a directory name: letters, digits, '.', '_', '-', not "." or "..".
bool valid_name(const std::string& s) {
  if (s.empty() || s == "." || s == ".." || s.size() > 100) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

/// KEY=W[;KEY=W...] onto `w` (compactness, travel, or a balanced column). Throws input_error at `where`.
void read_objective(const std::string& cell, const std::vector<std::string>& balance, bool homes,
                    territory::objective_weights& w, const std::string& where) {
  for (const auto& part : split_list(cell, ';')) {
    const auto eq = part.find('=');
    const std::string key(trim(std::string_view(part).substr(0, eq == std::string::npos ? part.size() : eq)));
    const auto v = eq == std::string::npos ? std::nullopt : parse_number(trim(std::string_view(part).substr(eq + 1)));
    if (!v || !std::isfinite(*v) || *v < 0.0) {
      throw input_error(where + "expected KEY=W[;KEY=W...] with W a finite number >= 0, got '" + part + "'");
    }
    if (key == "compactness") {
      w.compactness = *v;
    } else if (key == "travel") {
      if (!homes && *v > 0.0) {
        throw input_error(where + "travel needs the reps' homes in the design: give --reps with one active rep (with "
                                  "a home) per territory");
      }
      w.travel = *v;
    } else {
      const auto it = std::find(balance.begin(), balance.end(), key);
      if (it == balance.end()) {
        std::string keys = "compactness, travel";
        for (const auto& b : balance) keys += ", " + b;
        throw input_error(where + "unknown key '" + key + "' (expected one of: " + keys + ")");
      }
      if (w.balance.empty()) w.balance.assign(balance.size(), 0.0);
      w.balance[static_cast<std::size_t>(it - balance.begin())] = *v;
    }
  }
}

/// The reps of --reps and what a scenario may do with them.
struct rep_inputs {
  const std::vector<territory::rep>* reps = nullptr;  ///< the file's reps (empty without --reps)
  std::size_t active = 0;                             ///< active reps
  bool homes = false;                                 ///< one active rep with a home per territory
};

/// remove_reps: REP[;REP...], each an active rep of --reps, once. Throws input_error at `where`.
std::vector<std::string> read_removed_reps(const std::string& cell, const rep_inputs& ri, const std::string& where) {
  std::vector<std::string> out;
  for (const auto& id : split_list(cell, ';')) {
    const auto& reps = *ri.reps;
    const auto it = std::find_if(reps.begin(), reps.end(), [&](const territory::rep& r) { return r.id == id; });
    if (it == reps.end()) throw input_error(where + "no rep '" + id + "' in --reps to remove");
    if (it->status != territory::rep_status::active) throw input_error(where + "rep '" + id + "' has already departed");
    if (std::find(out.begin(), out.end(), id) != out.end()) throw input_error(where + "rep '" + id + "' is removed twice");
    out.push_back(id);
  }
  return out;
}

/// add_reps: REP@ACCOUNT[*CAPACITY][;...]: a new active rep based at that account's coordinates, at the
/// capacity (default 1). Throws input_error at `where`.
std::vector<territory::rep> read_added_reps(const std::string& cell, const rep_inputs& ri, const territory::account_table& table,
                                            const std::string& where) {
  std::vector<territory::rep> out;
  for (const auto& part : split_list(cell, ';')) {
    const auto at = part.find('@');
    if (at == std::string::npos || at == 0 || at + 1 == part.size()) {
      throw input_error(where + "expected REP@ACCOUNT[*CAPACITY][;...], got '" + part + "'");
    }
    territory::rep r;
    r.id = std::string(trim(std::string_view(part).substr(0, at)));
    if (r.id.empty()) throw input_error(where + "expected REP@ACCOUNT[*CAPACITY][;...], got '" + part + "' (no rep id)");
    std::string account(trim(std::string_view(part).substr(at + 1)));
    if (const auto star = account.rfind('*'); star != std::string::npos) {
      const std::string cap(trim(std::string_view(account).substr(star + 1)));
      const auto x = parse_number(cap);
      if (!x || !std::isfinite(*x) || !(*x > 0.0)) {
        throw input_error(where + "rep '" + r.id + "': capacity must be a finite number > 0, got '" + cap + "'");
      }
      r.capacity = *x;
      account = std::string(trim(std::string_view(account).substr(0, star)));
    }
    const auto& ids = table.ids();
    const auto it = std::find(ids.begin(), ids.end(), account);
    if (it == ids.end()) throw input_error(where + "rep '" + r.id + "': no account '" + account + "' to base the rep at");
    const auto k = static_cast<Eigen::Index>(it - ids.begin());
    r.home = std::array<double, 2>{table.coordinates()(k, 0), table.coordinates()(k, 1)};
    const auto& reps = *ri.reps;
    if (std::any_of(reps.begin(), reps.end(), [&](const territory::rep& q) { return q.id == r.id; }) ||
        std::any_of(out.begin(), out.end(), [&](const territory::rep& q) { return q.id == r.id; })) {
      throw input_error(where + "rep '" + r.id + "' is already a rep: an added rep needs a new id");
    }
    out.push_back(std::move(r));
  }
  return out;
}

/// One row of SCENARIOS.csv per scenario (docs/scenarios.md, "Scenario file").
std::vector<territory::scenario> read_scenarios(const std::string& path, const std::vector<std::string>& balance,
                                                const rep_inputs& ri, const territory::account_table& table, std::size_t p) {
  const bool homes = ri.homes;
  const auto t = read_csv(path);
  const auto name_col = t.require("name");
  static const char* known[] = {"name", "preset", "objective", "territories", "tolerance", "seed",
                                "time_limit", "reps_in_design", "drop", "add_reps", "remove_reps"};
  for (std::size_t c = 0; c < t.header.size(); ++c) {
    if (std::find_if(std::begin(known), std::end(known), [&](const char* k) { return t.header[c] == k; }) == std::end(known)) {
      throw input_error(t.file + ":1: unknown column '" + t.header[c] +
                        "' (columns: name, preset, objective, territories, tolerance, seed, time_limit, reps_in_design, "
                        "drop, add_reps, remove_reps)");
    }
  }
  if (t.rows.empty()) throw input_error(t.file + ": no scenario (one row per scenario after the header)");
  auto cell = [&](const csv_record& r, const char* col) -> std::optional<std::pair<std::string, std::size_t>> {
    const auto c = t.column(col);
    if (!c) return std::nullopt;
    const std::string v(trim(r.fields[*c]));
    if (v.empty()) return std::nullopt;
    return std::make_pair(v, *c);
  };
  std::vector<territory::scenario> out;
  std::map<std::string, std::size_t> lines;
  for (const auto& r : t.rows) {
    const std::string name(trim(r.fields[name_col]));
    if (!valid_name(name)) {
      throw input_error(t.where(r, name_col) + "scenario name '" + name +
                        "' must be 1-100 letters, digits, '.', '_' or '-' (it names a directory)");
    }
    if (const auto it = lines.find(name); it != lines.end()) {
      throw input_error(t.where(r, name_col) + "scenario '" + name + "' is also on line " + std::to_string(it->second));
    }
    lines[name] = r.line;
    // reps in the design: the column, else whenever the reps fit p (as for the presets)
    std::optional<territory::territory_index> rows_p;
    if (const auto v = cell(r, "territories")) {
      const auto x = parse_number(v->first);
      if (!x || *x < 1 || *x != std::floor(*x) || *x > static_cast<double>(territory::max_accounts)) {
        throw input_error(t.where(r, v->second) + "territories must be an integer >= 1, got '" + v->first + "'");
      }
      rows_p = static_cast<territory::territory_index>(*x);
    }
    // what-ifs on the reps: they need the design around the reps
    std::vector<std::string> removed;
    std::vector<territory::rep> added;
    std::optional<std::size_t> rep_col;
    for (const char* col : {"remove_reps", "add_reps"}) {
      const auto v = cell(r, col);
      if (!v) continue;
      rep_col = v->second;
      if (!homes) {
        throw input_error(t.where(r, v->second) + col + " needs --reps with one active rep (with a home) per territory");
      }
      if (col[0] == 'r') removed = read_removed_reps(v->first, ri, t.where(r, v->second));
      else added = read_added_reps(v->first, ri, table, t.where(r, v->second));
    }
    const std::size_t active_reps = ri.active - removed.size() + added.size();
    if (rep_col && active_reps == 0) throw input_error(t.where(r, *rep_col) + "every active rep is removed");
    bool design = homes && (rep_col || !rows_p || *rows_p == active_reps);
    if (const auto v = cell(r, "reps_in_design")) {
      if (v->first != "0" && v->first != "1") throw input_error(t.where(r, v->second) + "reps_in_design must be 0 or 1, got '" + v->first + "'");
      design = v->first == "1";
      if (design && !homes) {
        throw input_error(t.where(r, v->second) + "reps_in_design = 1 needs --reps with one active rep (with a home) per "
                                                  "territory");
      }
      if (!design && rep_col) {
        throw input_error(t.where(r, v->second) + "reps_in_design = 0, but the scenario adds or removes reps (which "
                                                  "needs the design around the reps)");
      }
    }
    auto preset = territory::scenario_preset::custom;
    if (const auto v = cell(r, "preset")) {
      const auto pr = territory::preset_from_string(v->first);
      if (!pr) {
        throw input_error(t.where(r, v->second) + "unknown preset '" + v->first +
                          "' (baseline, revenue, travel, growth, custom)");
      }
      preset = *pr;
    }
    auto s = territory::make_preset(preset, balance, design, name);
    s.reps_in_design = design;
    if (preset == territory::scenario_preset::custom) s.description = "custom weights";
    if (const auto v = cell(r, "objective")) {
      read_objective(v->first, balance, design, s.objective, t.where(r, v->second));
      if (preset != territory::scenario_preset::custom) s.description += "; weights changed: " + v->first;
      else s.description = "custom weights: " + v->first;
    }
    if (rows_p) {
      if (design && *rows_p != active_reps) {
        throw input_error(t.where(r, *t.column("territories")) + "territories " + std::to_string(*rows_p) +
                          " but a design around the reps has one territory per active rep (" + std::to_string(active_reps) +
                          (rep_col ? " after the scenario's rep changes)" : ")"));
      }
      s.territories = *rows_p;
    } else if (!design) {
      s.territories = static_cast<territory::territory_index>(p);
    }
    if (const auto v = cell(r, "tolerance")) {
      std::string spec = v->first;
      std::replace(spec.begin(), spec.end(), ';', ',');
      try {
        s.tolerance = tolerances(spec, balance);
      } catch (const usage_error& e) {
        throw input_error(t.where(r, v->second) + e.what());
      }
    }
    if (const auto v = cell(r, "seed")) {
      const auto x = parse_number(v->first);
      if (!x || *x < 0 || *x != std::floor(*x) || *x > 9.007199254740992e15) {
        throw input_error(t.where(r, v->second) + "seed must be an integer >= 0, got '" + v->first + "'");
      }
      s.seed = static_cast<std::uint64_t>(*x);
    }
    if (const auto v = cell(r, "time_limit")) {
      const auto x = parse_number(v->first);
      if (!x || !std::isfinite(*x) || !(*x > 0)) {
        throw input_error(t.where(r, v->second) + "time_limit must be a number of seconds > 0, got '" + v->first + "'");
      }
      s.time_limit_seconds = *x;
    }
    if (const auto v = cell(r, "drop")) {
      for (const auto& d : split_list(v->first, ';')) {
        if (d == "locks") s.constraints.locks = false;
        else if (d == "min_count") s.constraints.min_counts = false;
        else if (d == "median") s.constraints.median_bounds = false;
        else if (d == "max_diameter") s.constraints.max_diameter = false;
        else {
          throw input_error(t.where(r, v->second) + "unknown constraint '" + d +
                            "' to drop (locks, min_count, median, max_diameter)");
        }
      }
    }
    s.remove_reps = std::move(removed);
    s.add_reps = std::move(added);
    if (rep_col) {
      std::string what;
      for (const auto& id : s.remove_reps) what += (what.empty() ? "" : ", ") + ("without " + id);
      for (const auto& a : s.add_reps) what += (what.empty() ? "" : ", ") + ("with " + a.id);
      s.description += "; reps: " + what;
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::string string_array_json(const std::vector<std::string>& v) {
  std::string s = "[";
  for (std::size_t k = 0; k < v.size(); ++k) s += (k ? ", " : "") + territory_cli::quoted(v[k]);
  return s + "]";
}

std::string columns_json(const std::vector<std::string>& names, const Eigen::VectorXd& v) {
  std::string s = "{";
  for (std::size_t c = 0; c < names.size() && static_cast<Eigen::Index>(c) < v.size(); ++c) {
    s += (c ? ", " : "") + territory_cli::quoted(names[c]) + ": " + json_number(v(static_cast<Eigen::Index>(c)));
  }
  return s + "}";
}

std::string number_or_empty(const std::optional<double>& x) { return x ? json_number(*x) : std::string(); }

struct cli_inputs {
  const loaded_accounts* acc = nullptr;
  std::vector<std::string> balance;
  std::vector<std::string> owners;  ///< the current plan's owners (index = territory of `current`)
  bool wgs84 = false;
  fs::path dir;
  bool quiet = false;
};

template <class Distance>
int run_sweep(const cli_inputs& ci, const territory::adjacency* graph, const territory::scenario_inputs& shared,
              const std::vector<territory::scenario>& scenarios, unsigned threads, Distance distance) {
  const auto& table = ci.acc->table;
  const Eigen::MatrixXd acts = table.select_activities(ci.balance);
  const auto t0 = std::chrono::steady_clock::now();
  // one progress line per finished scenario (stderr; not with --quiet)
  territory::scenario_finished progress;
  if (!ci.quiet) {
    progress = [](const territory::scenario_result& r, std::size_t, std::size_t done, std::size_t total) {
      const std::string how = !r.skipped.empty() ? "skipped"
                              : r.card.feasible  ? fmt::format("feasible, {:.2f} s", r.seconds)
                                                 : fmt::format("no feasible plan, {:.2f} s", r.seconds);
      std::fprintf(stderr, "territory-cli: scenario %zu/%zu '%s' finished: %s\n", done, total, r.name.c_str(), how.c_str());
    };
  }
  const auto sweep =
      territory::run_scenarios(acts, table.coordinates(), graph, shared, scenarios, threads, distance, progress);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const std::string unit = ci.wgs84 ? "_km" : "";
  const auto& names = ci.balance;

  std::vector<std::size_t> rank(scenarios.size(), 0);
  for (std::size_t k = 0; k < sweep.ranking.order.size(); ++k) rank[sweep.ranking.order[k]] = k + 1;

  // comparison.csv: one row per scenario
  std::string csv = "scenario,preset,status,rank,score,feasible,territories,max_deviation,max_diameter" + unit +
                    ",cut_edges,travel" + unit + ",moves";
  for (const auto& c : names) csv += "," + csv_field("gini_" + c);
  for (const auto& c : names) csv += "," + csv_field("cv_" + c);
  for (const auto& c : names) csv += "," + csv_field("min_" + c) + "," + csv_field("max_" + c);
  csv += ",seconds,note\n";
  std::vector<std::pair<fs::path, std::string>> files;
  std::string sj;
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    const auto& s = scenarios[i];
    const auto& r = sweep.results[i];
    const bool ran = r.skipped.empty();
    const auto& m = r.metrics;
    csv += csv_field(s.name) + "," + std::string(territory::to_string(s.preset)) + "," + (ran ? "ran" : "skipped") + ",";
    if (ran) {
      csv += std::to_string(rank[i]) + "," + json_number(sweep.ranking.score[i]) + "," + (r.card.feasible ? "1" : "0") + "," +
             std::to_string(r.assignment.territory_count()) + "," + json_number(m.max_deviation) + "," +
             json_number(m.max_diameter) + "," + std::to_string(m.cut_edges) + "," + number_or_empty(r.card.travel) + "," +
             (r.card.moves ? std::to_string(*r.card.moves) : std::string());
      for (Eigen::Index c = 0; c < m.gini.size(); ++c) csv += "," + json_number(m.gini(c));
      for (Eigen::Index c = 0; c < m.cv.size(); ++c) csv += "," + json_number(m.cv(c));
      for (Eigen::Index c = 0; c < m.min_sums.size(); ++c) csv += "," + json_number(m.min_sums(c)) + "," + json_number(m.max_sums(c));
      csv += "," + fmt::format("{:.3f}", r.seconds) + ",";
      std::string note;
      if (!r.card.feasible) {
        note = m.violations.empty()
                   ? std::string("the engine reports a constraint violated")
                   : fmt::format("{} violation{}: {}", m.violations.size(), m.violations.size() == 1 ? "" : "s",
                                 m.violations.front().reason);
      }
      csv += csv_field(note) + "\n";
    } else {
      csv += ",,,,,,,,";
      for (std::size_t k = 0; k < 4 * names.size(); ++k) csv += ",";
      csv += ",," + csv_field(r.skipped) + "\n";
    }

    // per scenario: assignment.csv (designed around the reps: each territory named by its rep; else by the
    // current owner it continues, else new-k, else 1..p)
    plan_run run;
    run.accounts = &table;
    run.assignment = r.assignment;
    if (ran && !r.rep_ids.empty()) {
      run.territory_names = r.rep_ids;
    } else if (ran && !ci.owners.empty()) {
      std::size_t fresh = 0;
      for (territory::territory_index t = 0; t < r.assignment.territory_count(); ++t) {
        const auto c = r.continues[t];
        if (c != territory::no_territory) {
          run.territory_names.push_back(ci.owners[c]);
          continue;
        }
        std::string id;
        do id = "new-" + std::to_string(++fresh);
        while (std::find(ci.owners.begin(), ci.owners.end(), id) != ci.owners.end());
        run.territory_names.push_back(id);
      }
    }
    if (ran) files.emplace_back(ci.dir / s.name / "assignment.csv", assignment_csv(run));

    // report.json entry
    sj += i == 0 ? "\n    " : ",\n    ";
    sj += "{\"name\": " + territory_cli::quoted(s.name) + ", \"preset\": " + territory_cli::quoted(territory::to_string(s.preset)) +
          ", \"description\": " + territory_cli::quoted(s.description) + ", \"skipped\": " + (ran ? std::string("null") : territory_cli::quoted(r.skipped));
    sj += ",\n     \"weights\": {\"compactness\": " + json_number(s.objective.compactness) +
          ", \"travel\": " + json_number(s.objective.travel) + ", \"balance\": {";
    for (std::size_t c = 0; c < names.size(); ++c) {
      sj += (c ? ", " : "") + territory_cli::quoted(names[c]) + ": " +
            json_number(s.objective.balance.empty() ? 0.0 : s.objective.balance[c]);
    }
    sj += "}}, \"reps_in_design\": " + std::string(s.reps_in_design ? "true" : "false");
    std::vector<std::string> added;
    for (const auto& rp : s.add_reps) added.push_back(rp.id);
    sj += ", \"add_reps\": " + string_array_json(added) + ", \"remove_reps\": " + string_array_json(s.remove_reps);
    if (ran) sj += ", \"territory_reps\": " + (s.reps_in_design ? string_array_json(r.rep_ids) : std::string("null"));
    if (ran) {
      const auto& o = r.options;
      sj += ", \"territories\": " + std::to_string(r.assignment.territory_count()) + ", \"tolerance\": [";
      for (std::size_t c = 0; c < o.tolerance.size(); ++c) sj += (c ? ", " : "") + json_number(o.tolerance[c]);
      sj += "], \"seed\": " + std::to_string(o.seed) + ", \"time_limit\": " + json_number(o.time_limit_seconds);
      sj += ", \"constraints\": {\"locks\": " + std::to_string(o.locked.empty() ? 0 : 1) +
            ", \"min_counts\": " + std::to_string(o.min_counts.size()) + ", \"median_bounds\": " +
            std::to_string(o.median_bounds.size()) + ", \"max_diameter\": " +
            (std::isinf(o.max_diameter) ? std::string("null") : json_number(o.max_diameter)) + "}";
      sj += ",\n     \"rank\": " + std::to_string(rank[i]) + ", \"score\": " + json_number(sweep.ranking.score[i]) +
            ", \"feasible\": " + (r.card.feasible ? "true" : "false") + ", \"engine_feasible\": " +
            (r.engine_feasible ? "true" : "false") + ", \"status\": " + territory_cli::quoted(territory::to_string(r.why_stopped)) +
            ", \"seconds\": " + json_number(r.seconds);
      sj += ",\n     \"metrics\": {\"max_deviation\": " + json_number(m.max_deviation) +
            ", \"max_diameter\": " + json_number(m.max_diameter) + ", \"cut_edges\": " + std::to_string(m.cut_edges) +
            ", \"gini\": " + columns_json(names, m.gini) + ", \"cv\": " + columns_json(names, m.cv) +
            ", \"min\": " + columns_json(names, m.min_sums) + ", \"max\": " + columns_json(names, m.max_sums) + "}";
      sj += ",\n     \"travel\": ";
      if (r.travel) {
        double mx = 0.0;
        for (double x : r.travel->max) mx = std::max(mx, x);
        sj += "{\"total\": " + json_number(*r.card.travel) + ", \"largest\": " + json_number(mx) + "}";
      } else {
        sj += "null";
      }
      sj += ", \"delta\": ";
      if (r.delta) {
        const auto& d = *r.delta;
        sj += "{\"accounts_moved\": " + std::to_string(d.accounts_moved) + ", \"share_moved\": " + json_number(d.share_moved) +
              ", \"moved_share\": " + columns_json(names, d.moved_share) +
              ", \"territories_touched\": " + std::to_string(d.territories_touched) + "}";
      } else {
        sj += "null";
      }
      sj += ",\n     \"violations\": [";
      for (std::size_t k = 0; k < m.violations.size(); ++k) sj += (k ? ", " : "") + territory_cli::quoted(m.violations[k].reason);
      sj += "], \"assignment\": " + territory_cli::quoted(s.name + "/assignment.csv");
      // per territory, named as in assignment.csv: accounts, sums and deviations per column, diameter, travel
      sj += ",\n     \"territories_detail\": [";
      for (std::size_t t = 0; t < m.territories.size(); ++t) {
        const auto& tm = m.territories[t];
        sj += (t ? ",\n       " : "\n       ") + std::string("{\"territory\": ") +
              territory_cli::quoted(territory_label(run, static_cast<territory::territory_index>(t))) +
              ", \"accounts\": " + std::to_string(tm.accounts) + ", \"sums\": " + columns_json(names, tm.sums) +
              ", \"deviation\": " + columns_json(names, tm.deviation) + ", \"diameter\": " + json_number(tm.diameter) +
              ", \"contiguous\": " + (tm.contiguous ? "true" : "false") + ", \"travel\": " +
              (r.travel && t < r.travel->total.size() ? json_number(r.travel->total[t]) : std::string("null")) + "}";
      }
      sj += m.territories.empty() ? "]" : "\n     ]";
    }
    sj += "}";
  }
  std::string j = "{\n  \"command\": \"scenarios\",\n  \"accounts\": " + std::to_string(table.size()) + ",\n  \"balance\": [";
  for (std::size_t c = 0; c < names.size(); ++c) j += (c ? ", " : "") + territory_cli::quoted(names[c]);
  j += "],\n  \"current_plan\": " + std::string(shared.current ? "true" : "false") +
       ",\n  \"threads\": " + std::to_string(threads) + ",\n  \"distance_unit\": " + territory_cli::quoted(ci.wgs84 ? "km" : "") +
       ",\n  \"ranking\": {\"rule\": " +
       territory_cli::quoted("feasible first, then the lowest score: the weighted mean over the measures of (value - best) / "
              "(worst - best) across the scenarios that ran (docs/scenarios.md)") +
       ", \"measures\": [";
  for (std::size_t k = 0; k < sweep.ranking.measures.size(); ++k) j += (k ? ", " : "") + territory_cli::quoted(sweep.ranking.measures[k]);
  j += "], \"order\": [";
  for (std::size_t k = 0; k < sweep.ranking.order.size(); ++k) j += (k ? ", " : "") + territory_cli::quoted(scenarios[sweep.ranking.order[k]].name);
  j += "]},\n  \"top3\": [";
  for (std::size_t k = 0; k < sweep.top3.size(); ++k) j += (k ? ",\n    " : "\n    ") + territory_cli::quoted(sweep.top3[k]);
  j += sweep.top3.empty() ? "]" : "\n  ]";
  j += ",\n  \"scenarios\": [" + sj + "\n  ],\n  \"seconds\": " + json_number(seconds) + "\n}\n";

  // everything is built: now create the directories and write each file atomically
  std::error_code ec;
  fs::create_directories(ci.dir, ec);
  if (ec) throw std::runtime_error("cannot create directory '" + ci.dir.string() + "': " + ec.message());
  for (const auto& [path, text] : files) {
    fs::create_directories(path.parent_path(), ec);
    if (ec) throw std::runtime_error("cannot create directory '" + path.parent_path().string() + "': " + ec.message());
    write_file_atomic(path.string(), text);
  }
  write_file_atomic((ci.dir / "comparison.csv").string(), csv);
  write_file_atomic((ci.dir / "report.json").string(), j);

  std::size_t ran = 0, feasible = 0;
  for (const auto& r : sweep.results) {
    ran += r.skipped.empty() ? 1 : 0;
    feasible += r.skipped.empty() && r.card.feasible ? 1 : 0;
  }
  std::printf("scenarios: %zu scenario%s (%zu ran, %zu feasible) on %u thread%s in %.2f s; best: %s\n", scenarios.size(),
              scenarios.size() == 1 ? "" : "s", ran, feasible, threads, threads == 1 ? "" : "s", seconds,
              sweep.ranking.order.empty() ? "none" : scenarios[sweep.ranking.order.front()].name.c_str());
  for (const auto& line : sweep.top3) std::printf("%s\n", line.c_str());
  if (!ci.quiet) {
    for (const auto& r : sweep.results) {
      if (!r.skipped.empty()) std::fprintf(stderr, "territory-cli: note: scenario '%s' skipped: %s\n", r.name.c_str(), r.skipped.c_str());
    }
  }
  return 0;
}

}  // namespace

const command_spec& scenarios_spec() {
  static const command_spec spec = with_flags_after(command_spec{
      "scenarios",
      "Runs several scenarios side by side (the presets baseline, revenue-optimised, travel-optimised and "
      "growth-focused, or one row of SCENARIOS.csv each; territory::run_scenarios), each a plan of its own, and "
      "writes DIR/<scenario>/assignment.csv, DIR/comparison.csv (one row per scenario: metrics, Gini per balanced "
      "column, moves from the current plan) and DIR/report.json (ranking, top 3 with trade-offs).",
      {
          {"--accounts", "FILE", "accounts.csv: id, x,y or lat,lon, numeric activity columns; an owner column is the "
                                 "current plan (each scenario's moves are counted from it).",
           "", true},
          {"--adjacency", "FILE", "a,b edges by account id; every territory must be connected in this graph.", ""},
          {"--reps", "FILE", "reps.csv: with one active rep (with a home) per territory, the scenarios design the "
                             "territories around the reps (travel is measured and travel-optimised runs); otherwise "
                             "travel-optimised is skipped.",
           ""},
          {"--territories", "P", "Number of territories of every scenario without its own, 1 <= P <= number of "
                                 "accounts.",
           "", true},
          {"--scenarios", "SCENARIOS.csv", "One row per scenario (name, preset, objective, territories, tolerance, seed, "
                                           "time_limit, reps_in_design, drop, add_reps, remove_reps; docs/scenarios.md). "
                                           "Default: the presets.",
           ""},
          {"--balance", "COL[,COL...]", "Activity columns to balance. Default: every numeric column.", ""},
          {"--tolerance", "T|COL=T[,COL=T...]", "Allowed relative deviation from the mean, in [0, 1), for scenarios "
                                                "without their own.",
           fmt::format("{}", default_tolerance)},
          {"--seed", "N", "Seed of every scenario without its own.", std::to_string(territory::default_seed)},
          {"--time-limit", "SECONDS", "Per scenario: sets its search's work budget; the wall clock is only a safety "
                                      "stop, at 4x SECONDS so that a scenario slowed by load still gives its own plan.",
           fmt::format("{}", default_time_limit)},
          {"--threads", "N", "Scenarios run side by side on N threads (each scenario's search on one); the results "
                             "do not depend on N.",
           "1"},
          {"--compactness", "diameter|center", "What every search minimises once balanced and contiguous.", "diameter"},
          {"--locks", "", "Honour the accounts' owner + locked columns (a scenario may drop it).", ""},
          {"--max-diameter", "D", "No two accounts of a territory farther apart than D (a scenario may drop it).", ""},
          {"--max-drive-hours", "H", "The same cap in hours of the library's drive-time estimate; lat,lon input only.",
           ""},
          {"--out-dir", "DIR", "Output directory (created, with one subdirectory per scenario that ran).", "", true},
          {"--quiet", "", "No notes and no progress lines on stderr.", ""},
      },
      "Exit status: 0 every output written (a scenario without a feasible plan is a result, said in "
      "comparison.csv); 1 bad input or usage (one line on stderr, nothing created or touched). See "
      "docs/scenarios.md."}, "--locks", count_and_median_flags());
  return spec;
}

int cmd_scenarios(int argc, char** argv) {
  const args a(argc, argv, 2, scenarios_spec());
  // usage first
  const std::string accounts_file = a.require("--accounts");
  const auto p = static_cast<std::size_t>(*a.get_int("--territories", 1, static_cast<long long>(territory::max_accounts)));
  const auto seed = *a.get_int("--seed", 0, 9223372036854775807LL);
  const auto [time_limit, threads, max_diameter, max_drive_hours] = read_search_flags(a);
  const auto compactness = compactness_flag(a.get("--compactness"));
  const fs::path dir = a.require("--out-dir");
  {
    std::error_code ec;
    if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) {
      throw usage_error("'--out-dir' '" + dir.string() + "' exists and is not a directory");
    }
    const auto parent = dir.has_parent_path() ? dir.parent_path() : fs::path(".");
    if (!fs::exists(dir, ec) && !fs::is_directory(parent, ec)) {
      throw usage_error("'--out-dir': the directory '" + parent.string() + "' that would hold '" + dir.string() +
                        "' does not exist");
    }
  }

  // inputs: every problem is found before any work
  const auto acc = load_accounts(accounts_file);
  cli_inputs ci;
  ci.acc = &acc;
  ci.dir = dir;
  ci.quiet = a.has("--quiet");
  ci.balance = balance_columns(a.get("--balance"), acc);
  ci.wgs84 = acc.table.coordinates_system() == territory::coordinate_system::wgs84;
  const auto report = territory::validate(acc.table, {.territories = p, .nonnegative_columns = ci.balance});
  if (!report.ok()) throw input_error(describe(report.problems.front(), acc, nullptr, "", ""));

  territory::scenario_inputs shared;
  auto& base = shared.base;
  base.territories = static_cast<territory::territory_index>(p);
  base.tolerance = tolerances(a.get("--tolerance"), ci.balance);
  base.seed = static_cast<std::uint64_t>(seed);
  base.time_limit_seconds = time_limit;
  base.compactness = compactness;
  base.activity_names = ci.balance;
  base.account_ids = acc.table.ids();

  territory::adjacency graph;
  const territory::adjacency* g = optional_adjacency(a, acc, graph);
  std::size_t active = 0;
  bool homes = false;
  rep_inputs ri;
  ri.reps = &shared.reps;
  if (const auto rf = a.get("--reps")) {
    if (rf->empty()) throw usage_error("'--reps' needs a file name");
    std::optional<territory::coordinate_system> system;
    shared.reps = load_reps(*rf, &system);
    if (system && *system != acc.table.coordinates_system()) {
      throw input_error(*rf + ":1: rep homes must use the accounts' coordinate system (" + (ci.wgs84 ? "lat,lon" : "x,y") + ")");
    }
    const auto rv = territory::validate(acc.table, {.reps = shared.reps});
    if (!rv.ok()) throw input_error(describe(rv.problems.front(), acc, nullptr, "", *rf));
    bool all_homes = true;
    for (const auto& r : shared.reps) {
      if (r.status != territory::rep_status::active) continue;
      ++active;
      all_homes = all_homes && r.home.has_value();
    }
    homes = active == p && all_homes;
    if (!homes && !ci.quiet) {
      std::fprintf(stderr, "territory-cli: note: %s has %zu active rep%s%s for %zu territories: the scenarios are not "
                   "designed around the reps, and travel-optimised is skipped\n",
                   rf->c_str(), active, active == 1 ? "" : "s", all_homes ? "" : " (not all with a home)", p);
    }
  }
  const auto business = read_business_constraints(
      {a.has("--locks"), a.get_all("--min-count"), a.get_all("--median-cap"), a.get_all("--median-floor")}, acc.table,
      accounts_file, p);
  base.locked = business.locked;
  base.min_counts = business.min_counts;
  base.median_bounds = business.median_bounds;
  if (homes && !business.locked.empty()) {
    // designed around the reps, territory t is the t-th active rep's: a locked owner must be an active rep,
    // and its accounts are locked to that rep's territory (as plan --grow-from-reps --locks)
    std::vector<std::string> active_ids;
    for (const auto& r : shared.reps) {
      if (r.status == territory::rep_status::active) active_ids.push_back(r.id);
    }
    std::vector<territory::territory_index> locked(acc.table.size(), territory::no_territory);
    for (std::size_t k = 0; k < locked.size(); ++k) {
      const auto grp = business.locked[k];
      if (grp == territory::no_territory) continue;
      const auto& owner = business.lock_owner[grp];
      const auto it = std::find(active_ids.begin(), active_ids.end(), owner);
      if (it == active_ids.end()) {
        throw input_error(fmt::format("{}: account '{}' is locked to owner '{}', who is not an active rep of {}: with the "
                                      "scenarios designed around the reps, a locked owner must be an active rep",
                                      accounts_file, acc.table.ids()[k], owner, *a.get("--reps")));
      }
      locked[k] = static_cast<territory::territory_index>(it - active_ids.begin());
    }
    base.locked = std::move(locked);
  }
  if (max_drive_hours) {
    if (!ci.wgs84) throw usage_error("'--max-drive-hours' needs lat,lon coordinates; for x,y input use '--max-diameter'");
    const territory::drive_time dt{};
    base.max_diameter = *max_drive_hours * dt.speed_kmh / dt.road_factor;
  } else if (max_diameter) {
    base.max_diameter = *max_diameter;
  }
  // the current plan: the owner column (owners in order of first appearance)
  const auto& own = acc.table.owners();
  if (!own.empty() && std::all_of(own.begin(), own.end(), [](const std::string& o) { return !o.empty(); })) {
    std::map<std::string, territory::territory_index, std::less<>> index;
    std::vector<territory::territory_index> cur(acc.table.size());
    for (std::size_t k = 0; k < own.size(); ++k) {
      auto it = index.find(own[k]);
      if (it == index.end()) {
        it = index.emplace(own[k], static_cast<territory::territory_index>(ci.owners.size())).first;
        ci.owners.push_back(own[k]);
      }
      cur[k] = it->second;
    }
    shared.current = territory::plan(std::move(cur), static_cast<territory::territory_index>(ci.owners.size()));
    shared.current_owners = ci.owners;  // designed around the reps, a territory continues its own rep's
  } else if (!own.empty() && !ci.quiet) {
    std::fprintf(stderr, "territory-cli: note: column 'owner' is empty for some accounts: no current plan, no moves\n");
  }

  std::vector<territory::scenario> scenarios;
  if (const auto sf = a.get("--scenarios")) {
    if (sf->empty()) throw usage_error("'--scenarios' needs a file name");
    ri.active = active;
    ri.homes = homes;
    scenarios = read_scenarios(*sf, ci.balance, ri, acc.table, p);
  } else {
    scenarios = territory::preset_scenarios(ci.balance, homes);
  }
  territory::validate_scenarios(scenarios, shared, acc.table.size(), ci.balance.size());
  if (ci.wgs84) return run_sweep(ci, g, shared, scenarios, threads, territory::haversine{});
  return run_sweep(ci, g, shared, scenarios, threads, territory::euclidean{});
}

}  // namespace territory_cli
