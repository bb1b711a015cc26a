// territory-cli monitor: the current plan (the accounts' `owner` column) with updated account data gives
// one alert per line on stdout (kind, territory/rep/account/column, evidence, recommended rebalance
// with its disruption), from territory::monitor (plan/monitor.hpp). Contract: FORMAT.md, docs/cli.md,
// docs/monitor.md. Exit 0: no alert. Exit 2: alerts. Exit 1: bad input or usage; one line on stderr;
// the report file is neither created nor touched.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <territory/core.hpp>
#include <territory/geo/euclidean.hpp>
#include <territory/geo/haversine.hpp>
#include <territory/plan/monitor.hpp>

#include "args.hpp"
#include "commands.hpp"
#include "input.hpp"
#include "output.hpp"
#include "plan_common.hpp"
#include "plan_report.hpp"

namespace territory_cli {

namespace {

/// One accounts file with its plan: the owners in order of first appearance.
struct owned_file {
  loaded_accounts acc;
  std::vector<territory::territory_index> territory;  ///< per account, no_territory for an empty owner
};

/// The owner column of `acc` as territory indices; owners not yet in `owners` are appended.
std::vector<territory::territory_index> owner_indices(const loaded_accounts& acc, std::vector<std::string>& owners,
                                                      std::map<std::string, territory::territory_index, std::less<>>& index) {
  const auto& own = acc.table.owners();
  if (own.empty()) {
    throw input_error(acc.file + ":1: monitor needs the plan: column 'owner' (the territory or rep of each account) is "
                      "missing");
  }
  std::vector<territory::territory_index> out(acc.table.size(), territory::no_territory);
  for (std::size_t k = 0; k < own.size(); ++k) {
    if (own[k].empty()) continue;
    auto it = index.find(own[k]);
    if (it == index.end()) {
      it = index.emplace(own[k], static_cast<territory::territory_index>(owners.size())).first;
      owners.push_back(own[k]);
    }
    out[k] = it->second;
  }
  return out;
}

/// --major COL:V
struct major_flag {
  std::string column;
  double value = 0;
};
std::optional<major_flag> read_major(const args& a) {
  const auto f = a.get("--major");
  if (!f) return std::nullopt;
  const auto colon = f->rfind(':');
  const auto v = colon == std::string::npos ? std::nullopt : parse_number(trim(std::string_view(*f).substr(colon + 1)));
  if (colon == std::string::npos || colon == 0 || !v || !std::isfinite(*v) || *v < 0) {
    throw usage_error("'--major' expects COL:VALUE with VALUE a number >= 0 (revenue:100000), got '" + *f + "'");
  }
  return major_flag{std::string(trim(std::string_view(*f).substr(0, colon))), *v};
}

std::vector<double> column_values(const loaded_accounts& acc, const std::string& col, const char* flag) {
  const auto j = acc.table.find_activity(col);
  if (!j) throw input_error(acc.file + ":1: " + flag + " column '" + col + "' is not a numeric column of this file");
  const auto c = acc.table.activities().col(static_cast<Eigen::Index>(*j));
  return {c.data(), c.data() + c.size()};
}

std::string columns_json(const std::vector<std::string>& names, const Eigen::VectorXd& v) {
  std::string s = "{";
  for (std::size_t c = 0; c < names.size(); ++c) {
    s += (c ? ", " : "") + quoted(names[c]) + ": " + json_number(v(static_cast<Eigen::Index>(c)));
  }
  return s + "}";
}

template <class Distance>
int run_monitor(const args& a, const loaded_accounts& acc, const std::vector<owned_file>& previous,
                const std::vector<std::string>& owners, const territory::plan& current, const territory::adjacency* graph,
                const std::vector<std::string>& balance, territory::monitor_options opt,
                const std::vector<territory::rep>& reps, const std::optional<std::string>& report_path, Distance distance) {
  const auto t0 = std::chrono::steady_clock::now();
  const Eigen::MatrixXd acts = acc.table.select_activities(balance);
  std::vector<territory::monitor_snapshot> history;
  for (const auto& pf : previous) {
    territory::monitor_snapshot s;
    s.activities = pf.acc.table.select_activities(balance);
    s.assignment = territory::plan(pf.territory, static_cast<territory::territory_index>(owners.size()));
    s.now.resize(pf.acc.table.size(), territory::no_account);
    for (std::size_t k = 0; k < pf.acc.table.size(); ++k) {
      if (const auto i = acc.table.find(pf.acc.table.id(static_cast<territory::account_index>(k)))) s.now[k] = *i;
    }
    s.ids = pf.acc.table.ids();
    history.push_back(std::move(s));
  }
  if (const auto mj = read_major(a); mj && !history.empty()) {
    history.back().value = column_values(previous.back().acc, mj->column, "--major");
  }
  opt.history = history;
  const auto r = territory::monitor(acts, acc.table.coordinates(), graph, current, opt, distance);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  const std::size_t p = current.territory_count();
  auto result_name = [&](const territory::recommended_rebalance& rec, territory::territory_index t) -> std::string {
    if (t == territory::no_territory) return {};
    const auto o = rec.origin.empty() ? t : rec.origin[t];
    if (o != territory::no_territory) return owners[o];
    std::size_t k = 0;  // the k-th new territory: new-k (never an existing owner's id)
    for (territory::territory_index u = 0; u <= t; ++u) k += rec.origin[u] == territory::no_territory ? 1 : 0;
    for (std::size_t i = 1, made = 0;; ++i) {
      const std::string id = "new-" + std::to_string(i);
      if (std::find(owners.begin(), owners.end(), id) != owners.end()) continue;
      if (++made == k) return id;
    }
  };
  auto subject = [&](const territory::alert& al) -> std::string {
    switch (al.kind) {
      case territory::alert_kind::deviation: return owners[al.territory];
      case territory::alert_kind::rep_departed:
      case territory::alert_kind::rep_joined: return reps[al.rep].id;
      case territory::alert_kind::account_churned: return previous.back().acc.table.id(static_cast<territory::account_index>(al.account));
      case territory::alert_kind::fairness: return balance[al.column];
    }
    return {};
  };
  std::string lines;
  for (const auto& al : r.alerts) {
    // "<kind> <subject>: <evidence>" (the evidence's own "<subject>: " prefix, if any, not repeated)
    const std::string who = subject(al);
    std::string_view ev = al.evidence;
    if (ev.substr(0, who.size() + 2) == who + ": ") ev.remove_prefix(who.size() + 2);
    std::string line = fmt::format("{} {}: {}", territory::to_string(al.kind), who, ev);
    if (al.recommendation != territory::no_index) {
      const auto& rec = r.recommendations[al.recommendation];
      line += fmt::format("; recommended: {}: {} account{} moved ({:.2f} %), {} territor{} touched, {}", rec.scenario,
                          rec.delta.accounts_moved, rec.delta.accounts_moved == 1 ? "" : "s", 100.0 * rec.delta.share_moved,
                          rec.delta.territories_touched, rec.delta.territories_touched == 1 ? "y" : "ies",
                          rec.restores ? "restores every constraint"
                                       : fmt::format("{} violation{} left", rec.violations.size(),
                                                     rec.violations.size() == 1 ? "" : "s"));
    }
    lines += line + "\n";
  }

  if (report_path) {
    std::string j = "{\n  \"command\": \"monitor\",\n  \"accounts\": " + std::to_string(acc.table.size()) +
                    ",\n  \"territories\": " + std::to_string(p) + ",\n  \"balance\": [";
    for (std::size_t c = 0; c < balance.size(); ++c) j += (c ? ", " : "") + quoted(balance[c]);
    j += "],\n  \"drift\": " + json_number(opt.drift) + ",\n  \"tolerance\": [";
    for (std::size_t c = 0; c < opt.rebalance.tolerance.size(); ++c) j += (c ? ", " : "") + json_number(opt.rebalance.tolerance[c]);
    j += "],\n  \"alerts\": [";
    for (std::size_t i = 0; i < r.alerts.size(); ++i) {
      const auto& al = r.alerts[i];
      j += i == 0 ? "\n    " : ",\n    ";
      j += "{\"kind\": " + quoted(territory::to_string(al.kind));
      j += ", \"territory\": " + (al.territory == territory::no_territory ? std::string("null") : quoted(owners[al.territory]));
      j += ", \"rep\": " + (al.rep == territory::no_index ? std::string("null") : quoted(reps[al.rep].id));
      j += ", \"account\": " + (al.account == territory::no_index ? std::string("null") : quoted(subject(al)));
      j += ", \"column\": " + (al.column == territory::no_index ? std::string("null") : quoted(balance[al.column]));
      j += ", \"value\": " + json_number(al.value) + ", \"threshold\": " + json_number(al.threshold) +
           ", \"unit\": " + quoted(std::string(territory::value_unit(al.kind)));
      j += ", \"evidence\": " + quoted(al.evidence);
      j += ", \"recommendation\": " + (al.recommendation == territory::no_index ? std::string("null") : std::to_string(al.recommendation));
      j += "}";
    }
    j += r.alerts.empty() ? "]" : "\n  ]";
    j += ",\n  \"recommendations\": [";
    for (std::size_t i = 0; i < r.recommendations.size(); ++i) {
      const auto& rec = r.recommendations[i];
      const auto& d = rec.delta;
      j += i == 0 ? "\n    " : ",\n    ";
      j += "{\"scenario\": " + quoted(rec.scenario) + ", \"scope\": [";
      for (std::size_t k = 0; k < rec.scope.size(); ++k) j += (k ? ", " : "") + quoted(owners[rec.scope[k]]);
      j += "], \"restores\": " + std::string(rec.restores ? "true" : "false");
      j += ", \"territories_after\": " + std::to_string(rec.assignment.territory_count());
      j += ",\n     \"disruption\": {\"accounts_moved\": " + std::to_string(d.accounts_moved) +
           ", \"share_moved\": " + json_number(d.share_moved) + ", \"moved_sums\": " + columns_json(balance, d.moved_amount) +
           ", \"moved_share\": " + columns_json(balance, d.moved_share) +
           ", \"territories_touched\": " + std::to_string(d.territories_touched) +
           ", \"budget_reached\": " + (rec.budget_reached ? "true" : "false") + "}";
      j += ",\n     \"violations\": [";
      for (std::size_t k = 0; k < rec.violations.size(); ++k) j += (k ? ", " : "") + quoted(rec.violations[k].reason);
      j += "],\n     \"moves\": [";
      for (std::size_t k = 0; k < d.moves.size(); ++k) {
        const auto& mv = d.moves[k];
        j += k ? ", " : "";
        j += "{\"id\": " + quoted(acc.table.id(mv.account)) + ", \"from\": " +
             (mv.from == territory::no_territory ? std::string("null") : quoted(owners[mv.from])) +
             ", \"to\": " + quoted(result_name(rec, mv.to)) + "}";
      }
      j += "]}";
    }
    j += r.recommendations.empty() ? "]" : "\n  ]";
    j += ",\n  \"fairness\": [";
    for (std::size_t i = 0; i < r.fairness.size(); ++i) {
      const auto& f = r.fairness[i];
      j += i == 0 ? "\n    " : ",\n    ";
      j += "{\"snapshot\": " + quoted(i < previous.size() ? previous[i].acc.file : acc.file) +
           ", \"territories\": " + std::to_string(f.territories) + ", \"gini\": " + columns_json(balance, f.gini) +
           ", \"cv\": " + columns_json(balance, f.cv) + "}";
    }
    j += "\n  ],\n  \"seconds\": " + json_number(seconds) + "\n}\n";
    write_file_atomic(*report_path, j);
  }
  std::fputs(lines.c_str(), stdout);
  std::fprintf(stderr, "monitor: %zu territories, drift threshold ±%g %%: %zu alert%s, %zu recommended rebalance%s (%.2f s)\n",
               p, 100.0 * opt.drift, r.alerts.size(), r.alerts.size() == 1 ? "" : "s", r.recommendations.size(),
               r.recommendations.size() == 1 ? "" : "s", seconds);
  return r.alerts.empty() ? 0 : 2;
}

}  // namespace

const command_spec& monitor_spec() {
  static const command_spec spec{
      "monitor",
      "Watches the current plan (the accounts' owner column) against updated account data and prints one alert per "
      "line: kind (deviation, rep_departed, rep_joined, account_churned, fairness), the territory, rep, account or "
      "column, the evidence against its threshold, and a recommended minimal-disruption rebalance with its "
      "disruption (territory::monitor, docs/monitor.md). Alerts fire strictly beyond their thresholds.",
      {
          {"--accounts", "FILE", "accounts.csv with the updated data and the current plan in column owner.", "", true},
          {"--adjacency", "FILE", "a,b edges by account id: the recommended rebalances keep territories connected, and "
                                  "a churned account's neighbour territories are those sharing an edge.",
           ""},
          {"--reps", "FILE", "reps.csv (rep id = owner): a departed rep who owns a territory, or an active rep who owns "
                             "none, is an alert with a drop or add scenario.",
           ""},
          {"--capacity-targets", "", "With --reps: each territory's deviation is taken against its rep's capacity's "
                                     "share (a rep ramping at 0.5 with half a load raises no alert), and the "
                                     "recommendations rebalance to those targets.",
           ""},
          {"--balance", "COL[,COL...]", "Activity columns to watch. Default: every numeric column.", ""},
          {"--drift", "D", "Alert when a territory's sum of a column deviates from the mean by more than D (in [0, 1)).",
           "0.25"},
          {"--tolerance", "T|COL=T[,COL=T...]", "The band the deviation scenario restores, in [0, 1). Default: the "
                                                "drift threshold.",
           ""},
          {"--max-moves", "M", "At most M accounts moved by each recommended rebalance.", ""},
          {"--previous", "FILE", "An earlier accounts.csv with its own owner column (repeatable, oldest first): Gini per "
                                 "column over time; the last one is the previous snapshot for --major.",
           "", false, true},
          {"--major", "COL:VALUE", "Account churn: an account whose COL was above VALUE in the last --previous file and "
                                   "is gone or 0 now is an alert; its territory and neighbours are re-planned.",
           ""},
          {"--max-gini", "G", "Fairness alert when the Gini of a watched column over the territories is above G.", ""},
          {"--as-of", "DATE", "A rep whose start_date is after DATE (YYYY-MM-DD) has not joined yet.", ""},
          {"--report", "REPORT.json", "Output: alerts, recommended rebalances with moves and disruption, fairness per "
                                      "snapshot.",
           ""},
      },
      "Exit status: 0 no alert; 2 alerts (one per line on stdout); 1 bad input or usage (one line on stderr, the "
      "report neither created nor touched). See docs/monitor.md."};
  return spec;
}

int cmd_monitor(int argc, char** argv) {
  const args a(argc, argv, 2, monitor_spec());
  // usage first
  const std::string accounts_file = a.require("--accounts");
  const double drift = *a.get_double("--drift", 0.0, 1.0);
  if (!(drift < 1.0)) throw usage_error("'--drift' must be in [0, 1), got '" + *a.get("--drift") + "'");
  const auto max_moves = a.get_int("--max-moves", 0, static_cast<long long>(territory::max_accounts));
  const auto max_gini = a.get_double("--max-gini", 0.0, 1.0);
  const auto major = read_major(a);
  const auto previous_files = a.get_all("--previous");
  if (major && previous_files.empty()) throw usage_error("'--major' needs the previous snapshot: give '--previous FILE'");
  std::optional<std::chrono::year_month_day> as_of;
  if (const auto d = a.get("--as-of")) {
    const auto day = parse_date(*d);
    if (!day) throw usage_error("'--as-of' '" + *d + "' is not an ISO 8601 date (YYYY-MM-DD)");
    as_of = std::chrono::year_month_day{*day};
  }
  const auto report_path = a.get("--report");
  if (report_path) {
    if (report_path->empty()) throw usage_error("'--report' needs a file name");
    check_writable(*report_path);
    check_distinct_files(a, {"--report"}, {"--accounts", "--adjacency", "--reps"});
    for (const auto& pf : previous_files) {
      if (pf == *report_path) throw usage_error("'--report' and '--previous' name the same file '" + pf + "'");
    }
  }

  // inputs: every problem is found before any work
  const auto acc = load_accounts(accounts_file);
  std::vector<std::string> owners;
  std::map<std::string, territory::territory_index, std::less<>> index;
  auto cur = owner_indices(acc, owners, index);
  if (owners.empty()) {
    throw input_error(acc.file + ":1: monitor needs the plan, but column 'owner' is empty for every account");
  }
  const std::size_t p = owners.size();
  const auto balance = balance_columns(a.get("--balance"), acc);
  const auto report = territory::validate(acc.table, {.territories = p, .nonnegative_columns = balance});
  if (!report.ok()) throw input_error(describe(report.problems.front(), acc, nullptr, "", ""));
  territory::monitor_options opt;
  opt.drift = drift;
  opt.rebalance.tolerance = a.has("--tolerance") ? tolerances(a.get("--tolerance"), balance)
                                                 : std::vector<double>(balance.size(), drift);
  opt.rebalance_tolerance = opt.rebalance.tolerance;
  if (max_moves) opt.rebalance.max_moves = static_cast<std::size_t>(*max_moves);
  opt.rebalance.account_ids = acc.table.ids();
  opt.activity_names = balance;
  opt.territory_names = owners;
  if (max_gini) opt.max_gini = *max_gini;
  opt.as_of = as_of;

  territory::adjacency graph;
  const territory::adjacency* g = optional_adjacency(a, acc, graph);
  std::vector<territory::rep> reps;
  if (const auto rf = a.get("--reps")) {
    if (rf->empty()) throw usage_error("'--reps' needs a file name");
    reps = load_reps(*rf);
    opt.reps = reps;
    const auto rv = territory::validate(acc.table, {.reps = reps});
    if (!rv.ok()) throw input_error(describe(rv.problems.front(), acc, nullptr, "", *rf));
    opt.territory_rep.assign(p, territory::no_index);
    for (std::size_t r = 0; r < reps.size(); ++r) {
      const auto it = index.find(reps[r].id);
      if (it != index.end() && opt.territory_rep[it->second] == territory::no_index) opt.territory_rep[it->second] = r;
    }
    if (a.has("--capacity-targets")) {  // a territory without an active rep counts as a full load
      opt.target_shares.assign(p, 1.0);
      for (std::size_t t = 0; t < p; ++t) {
        const auto r = opt.territory_rep[t];
        if (r != territory::no_index && reps[r].status == territory::rep_status::active) opt.target_shares[t] = reps[r].capacity;
      }
    }
  } else if (a.has("--capacity-targets")) {
    throw usage_error("'--capacity-targets' takes the owners' capacities from reps.csv: give '--reps'");
  }
  // earlier snapshots: the same balanced columns, their own owners (owners gone since get indices >= p)
  std::vector<owned_file> previous;
  for (const auto& pf : previous_files) {
    if (pf.empty()) throw usage_error("'--previous' needs a file name");
    owned_file f{load_accounts(pf), {}};
    for (const auto& col : balance) {
      if (!f.acc.table.find_activity(col)) {
        throw input_error(f.acc.file + ":1: column '" + col + "' (watched in " + acc.file + ") is missing or not numeric");
      }
    }
    const auto v = territory::validate(f.acc.table, {.nonnegative_columns = balance});
    if (!v.ok()) throw input_error(describe(v.problems.front(), f.acc, nullptr, "", ""));
    f.territory = owner_indices(f.acc, owners, index);
    previous.push_back(std::move(f));
  }
  if (major) {
    opt.major_value = major->value;
    opt.value_now = column_values(acc, major->column, "--major");
    (void)column_values(previous.back().acc, major->column, "--major");
  }
  const territory::plan current(std::move(cur), static_cast<territory::territory_index>(p));
  if (acc.table.coordinates_system() == territory::coordinate_system::wgs84) {
    return run_monitor(a, acc, previous, owners, current, g, balance, std::move(opt), reps, report_path,
                       territory::haversine{});
  }
  return run_monitor(a, acc, previous, owners, current, g, balance, std::move(opt), reps, report_path,
                     territory::euclidean{});
}

}  // namespace territory_cli
