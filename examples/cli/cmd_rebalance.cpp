// territory-cli rebalance: restores every hard constraint of the current plan (the accounts' `owner`
// column) while moving as few accounts as it can (territory::rebalance), optionally dissolving
// territories (--drop) and creating new ones (--add); checks the result independently and writes
// assignment.csv, report.json (the plan's fields plus `moves` and `disruption`) and the map. Contract:
// FORMAT.md, docs/cli.md, docs/rebalance.md. Exit 0: every hard constraint met. Exit 2: a plan was
// written with violations. Exit 1: bad input or usage; one line on stderr; no output file touched.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <territory/balance/rebalance.hpp>
#include <territory/core.hpp>
#include <territory/geo/euclidean.hpp>
#include <territory/geo/haversine.hpp>
#include <territory/plan/delta.hpp>

#include "args.hpp"
#include "commands.hpp"
#include "input.hpp"
#include "output.hpp"
#include "plan_common.hpp"
#include "plan_constraints.hpp"
#include "plan_report.hpp"

namespace territory_cli {

namespace {

/// The current plan's territories (owners in order of first appearance) and the request.
struct current_plan {
  std::vector<std::string> owners;                 ///< territory index -> owner id
  territory::plan assignment;                      ///< over owners.size() territories (empty owner: none)
  std::size_t unowned = 0;                         ///< accounts with an empty owner
};

current_plan read_current(const loaded_accounts& acc) {
  const auto& table = acc.table;
  const auto& own = table.owners();
  if (own.empty()) {
    throw input_error(acc.file + ":1: rebalance needs the current plan: column 'owner' (the territory or rep of each "
                      "account) is missing");
  }
  current_plan cp;
  std::map<std::string, territory::territory_index, std::less<>> index;
  std::vector<territory::territory_index> a(table.size(), territory::no_territory);
  for (std::size_t k = 0; k < table.size(); ++k) {
    if (own[k].empty()) {
      ++cp.unowned;
      continue;
    }
    auto it = index.find(own[k]);
    if (it == index.end()) {
      it = index.emplace(own[k], static_cast<territory::territory_index>(cp.owners.size())).first;
      cp.owners.push_back(own[k]);
    }
    a[k] = it->second;
  }
  if (cp.owners.empty()) {
    throw input_error(acc.file + ":1: rebalance needs the current plan, but column 'owner' is empty for every account");
  }
  cp.assignment = territory::plan(std::move(a), static_cast<territory::territory_index>(cp.owners.size()));
  return cp;
}

template <class Distance>
int run_rebalance(plan_run& run, const plan_outputs& outputs, const current_plan& cur,
                  territory::rebalance_plan_options opt, const std::vector<std::string>& names,
                  territory::plan_delta_options reps, Distance distance) {
  const auto& table = *run.accounts;
  const auto t0 = std::chrono::steady_clock::now();
  const territory::rebalance_result res =
      run.graph ? territory::rebalance(run.activities, table.coordinates(), *run.graph, cur.assignment, opt, distance)
                : territory::rebalance(run.activities, table.coordinates(), cur.assignment, opt, distance);
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  run.assignment = res.assignment;
  run.territory_names = names;
  run.why_stopped = res.why_stopped;
  run.engine_feasible = res.feasible();
  run.seconds_to_feasible = -1;
  run.notes.insert(run.notes.end(), res.notes.begin(), res.notes.end());
  run.engine_constraints = res.constraints;
  const auto& d = res.delta;
  run.moves = d.accounts_moved;
  // the label of an entry of the delta: its owner in the current plan, else its new id
  auto before_name = [&](territory::territory_index t) { return t == territory::no_territory ? std::string() : cur.owners[t]; };
  auto after_name = [&](territory::territory_index t) { return t == territory::no_territory ? std::string() : names[t]; };
  std::string mv = "[";
  for (std::size_t i = 0; i < d.moves.size(); ++i) {
    const auto& m = d.moves[i];
    mv += i == 0 ? "\n    " : ",\n    ";
    mv += "{\"id\": " + quoted(table.id(m.account)) + ", \"from\": " +
          (m.from == territory::no_territory ? std::string("null") : quoted(before_name(m.from))) +
          ", \"to\": " + quoted(after_name(m.to)) + "}";
  }
  mv += d.moves.empty() ? "]" : "\n  ]";
  run.moves_json = mv;
  std::string j = ",\n  \"max_moves\": ";
  j += opt.max_moves == std::numeric_limits<std::size_t>::max() ? std::string("null") : std::to_string(opt.max_moves);
  j += ",\n  \"dropped\": [";
  for (std::size_t i = 0; i < opt.drop.size(); ++i) j += (i ? ", " : "") + quoted(cur.owners[opt.drop[i]]);
  j += "],\n  \"added\": [";
  for (std::size_t t = 0, k = 0; t < res.origin.size(); ++t) {
    if (res.origin[t] == territory::no_territory) j += (k++ ? ", " : "") + quoted(names[t]);
  }
  j += "],\n  \"disruption\": {";
  j += "\"accounts_moved\": " + std::to_string(d.accounts_moved);
  j += ", \"share_moved\": " + json_number(d.share_moved);
  j += ", \"moved_sums\": " + column_object(run, d.moved_amount);
  j += ", \"moved_share\": " + column_object(run, d.moved_share);
  j += ", \"moved_cost\": " + json_number(res.moved_cost);
  j += ", \"territories_touched\": " + std::to_string(d.territories_touched);
  j += ", \"budget_reached\": " + std::string(res.budget_reached ? "true" : "false");
  j += ",\n    \"territories\": [";
  for (std::size_t i = 0; i < d.territories.size(); ++i) {
    const auto& e = d.territories[i];
    const std::string status = e.before == territory::no_territory ? "new" : e.after == territory::no_territory ? "dropped" : "kept";
    j += i == 0 ? "\n      " : ",\n      ";
    j += "{\"id\": " + quoted(e.before != territory::no_territory ? before_name(e.before) : after_name(e.after));
    j += ", \"status\": " + quoted(status);
    j += ", \"accounts_before\": " + std::to_string(e.accounts_before) + ", \"accounts_after\": " + std::to_string(e.accounts_after);
    j += ", \"gained\": " + std::to_string(e.gained) + ", \"lost\": " + std::to_string(e.lost);
    j += ", \"gained_sums\": " + column_object(run, e.gained_amount) + ", \"lost_sums\": " + column_object(run, e.lost_amount) + "}";
  }
  j += d.territories.empty() ? "]" : "\n    ]";
  if (!run.reps.empty()) {
    // the same delta, per rep (rep id = owner): one home, plan/delta.hpp
    reps.continues = res.origin;
    const auto dr = territory::compare_plans(cur.assignment, res.assignment, run.activities, reps);
    j += ",\n    \"reps_touched\": " + std::to_string(dr.reps_touched) + ",\n    \"reps\": [";
    for (std::size_t i = 0; i < dr.reps.size(); ++i) {
      const auto& e = dr.reps[i];
      j += i == 0 ? "\n      " : ",\n      ";
      j += "{\"id\": " + quoted(run.reps[e.rep].id) + ", \"gained\": " + std::to_string(e.gained) +
           ", \"lost\": " + std::to_string(e.lost) + ", \"gained_sums\": " + column_object(run, e.gained_amount) +
           ", \"lost_sums\": " + column_object(run, e.lost_amount) + "}";
    }
    j += dr.reps.empty() ? "]" : "\n    ]";
  }
  j += "}";
  run.report_extra = j;
  run.summary_extra = fmt::format(", {} account{} moved ({:.1f} %), {} territor{} touched", d.accounts_moved,
                                  d.accounts_moved == 1 ? "" : "s", 100.0 * d.share_moved, d.territories_touched,
                                  d.territories_touched == 1 ? "y" : "ies");
  return check_and_write(run, outputs, distance, "rebalance");
}

}  // namespace

const command_spec& rebalance_spec() {
  static const command_spec spec{
      "rebalance",
      "Restores every hard constraint of the current plan (the accounts' owner column: balance within the "
      "tolerance, contiguity, locks, minimum counts) while moving as few accounts as it can "
      "(territory::rebalance); --drop dissolves territories into their neighbours, --add creates new ones. A plan "
      "that already meets every constraint comes back unchanged. Then checks the plan independently "
      "(territory::evaluate_plan), which decides the exit code and fills the report.",
      {
          {"--accounts", "FILE", "accounts.csv with the current plan in column owner (empty owner: placed like the "
                                 "accounts of a dropped territory).",
           "", true},
          {"--adjacency", "FILE", "a,b edges by account id; every territory must be connected in this graph.", ""},
          {"--reps", "FILE", "reps.csv: the report lists what each rep (rep id = owner) gains and loses.", ""},
          {"--balance", "COL[,COL...]", "Activity columns to balance. Default: every numeric column.", ""},
          {"--tolerance", "T|COL=T[,COL=T...]",
           "Allowed relative deviation from the mean, in [0, 1), for all columns or per column: every territory's "
           "sum must lie in [(1-T)*total/P, (1+T)*total/P], P the territories after --drop and --add.",
           fmt::format("{}", default_tolerance)},
          {"--max-moves", "M", "At most M accounts end with another owner than now (accounts of dropped territories "
                               "count); when M is too small the best plan within M is written (exit 2).",
           ""},
          {"--drop", "OWNER[,OWNER...]", "Dissolve these territories (a rep who left): their accounts go to the "
                                         "neighbouring territories, balanced by load, contiguity kept.",
           ""},
          {"--add", "K", "Create K new territories (ids new-1 .. new-K), carved from the heaviest territories.", "0"},
          {"--move-cost", "accounts|COL", "What a move costs: one per account, or the account's value in the numeric "
                                          "column COL (e.g. revenue: prefer moving small accounts).",
           "accounts"},
          {"--locks", "", "Honour the accounts' locked column: a locked account stays with its owner.", ""},
          {"--min-count", "COL=VALUE:K", "At least K accounts whose column COL equals VALUE in every territory "
                                         "(tier=A:3).",
           "", false, true},
          {"--median-cap", "COL:F", "Every territory's sum of the numeric column COL at most F x the median "
                                    "territory's (workload:1.5; F >= 1; the median moves with the plan).",
           "", false, true},
          {"--median-floor", "COL:F", "Every territory's sum of the numeric column COL at least F x the median "
                                      "territory's (revenue:0.6; 0 < F <= 1).",
           "", false, true},
          {"--max-diameter", "D", "No two accounts of a territory farther apart than D (km for lat,lon input): "
                                  "checked and reported, not repaired.",
           ""},
          {"--max-drive-hours", "H", "The same cap in hours of the library's drive-time estimate; lat,lon input only.",
           ""},
          {"--seed", "N", "Accepted as in plan; the repair is deterministic and uses no randomness.",
           std::to_string(territory::default_seed)},
          {"--time-limit", "SECONDS", "Accepted as in plan (> 0); the repair ends by its own rules.",
           fmt::format("{}", default_time_limit)},
          {"--threads", "N", "Accepted as in plan, 1 <= N <= 1024; the repair runs on one thread.", "1"},
          {"--out", "ASSIGNMENT.csv", "Output: id,territory for every account (territory = owner id, or new-K).", "",
           true},
          {"--report", "REPORT.json", "Output: the plan report plus moves (id, from, to) and disruption.", ""},
          {"--svg", "MAP.svg", "Output: the map of the rebalanced plan.", ""},
          {"--html", "REPORT.html", "Output: one self-contained page with the map, constraints and territories.", ""},
          {"--boundaries", "SHAPES.geojson", "Polygons for the map (Feature id = account id).", ""},
          {"--states", "STATES.geojson", "Outlines drawn over the units on the map.", ""},
          {"--quiet", "", "No map notes on stderr.", ""},
          {"--progress", "", "Accepted as in plan (the repair prints no progress lines).", ""},
      },
      "Exit status: 0 the plan meets every hard constraint; 2 a plan was written but a hard constraint is violated "
      "(stderr and the report say which and by how much); 1 bad input or usage (one line on stderr, no output file "
      "created or touched). See docs/rebalance.md."};
  return spec;
}

int cmd_rebalance(int argc, char** argv) {
  const args a(argc, argv, 2, rebalance_spec());
  // usage first
  const auto flags = read_run_flags(a);
  const auto max_moves = a.get_int("--max-moves", 0, static_cast<long long>(territory::max_accounts));
  const auto add = *a.get_int("--add", 0, static_cast<long long>(territory::max_accounts));
  std::vector<std::string> drop;
  if (const auto dflag = a.get("--drop")) {
    drop = split_list(*dflag);
    if (drop.empty()) throw usage_error("'--drop' needs at least one owner id");
    for (std::size_t i = 0; i < drop.size(); ++i) {
      for (std::size_t k = 0; k < i; ++k) {
        if (drop[k] == drop[i]) throw usage_error("'--drop' names owner '" + drop[i] + "' twice");
      }
    }
  }
  const std::string move_cost = *a.get("--move-cost");

  // inputs
  const auto acc = load_accounts(flags.accounts_file);
  const auto cur = read_current(acc);
  territory::rebalance_plan_options opt;
  for (const auto& owner : drop) {
    const auto it = std::find(cur.owners.begin(), cur.owners.end(), owner);
    if (it == cur.owners.end()) {
      throw input_error(fmt::format("{}: --drop owner '{}' owns no account (column 'owner' has {} owners, e.g. '{}')",
                                    acc.file, owner, cur.owners.size(), cur.owners.front()));
    }
    opt.drop.push_back(static_cast<territory::territory_index>(it - cur.owners.begin()));
  }
  const std::size_t p0 = cur.owners.size();
  if (drop.size() >= p0 + static_cast<std::size_t>(add)) {
    throw usage_error(fmt::format("'--drop' dissolves all {} territories and '--add' creates none: nothing would be left",
                                  p0));
  }
  const std::size_t p = p0 - drop.size() + static_cast<std::size_t>(add);
  if (p > acc.table.size()) {
    throw input_error(fmt::format("{}: {} territories after --drop and --add, but only {} accounts", acc.file, p,
                                  acc.table.size()));
  }
  // result territory ids: kept owners in order, then new-1 .. new-K (never an existing owner's id)
  std::vector<std::string> names;
  for (std::size_t t = 0; t < p0; ++t) {
    if (std::find(opt.drop.begin(), opt.drop.end(), t) == opt.drop.end()) names.push_back(cur.owners[t]);
  }
  for (long long k = 1, made = 0; made < add; ++k) {
    const std::string id = "new-" + std::to_string(k);
    if (std::find(cur.owners.begin(), cur.owners.end(), id) != cur.owners.end()) continue;
    names.push_back(id);
    ++made;
  }
  if (a.has("--locks")) {  // a locked account of a dropped owner has nowhere to stay
    const auto& lk = acc.table.locked();
    for (std::size_t k = 0; k < lk.size(); ++k) {
      const auto t = cur.assignment[static_cast<territory::account_index>(k)];
      if (lk[k] == 0 || t == territory::no_territory) continue;
      if (std::find(opt.drop.begin(), opt.drop.end(), t) != opt.drop.end()) {
        throw input_error(fmt::format("{}account '{}' is locked to owner '{}', which --drop dissolves; unlock it or "
                                      "keep the owner",
                                      where_account(acc, k), acc.table.id(static_cast<territory::account_index>(k)),
                                      cur.owners[t]));
      }
    }
  }
  plan_run run;
  run_inputs in;
  plan_outputs outputs = flags.outputs;
  read_run_inputs(a, flags, acc, p, run, in, outputs);
  run.staff = false;  // owners are the reps: the report lists their gains and losses, no new staffing
  // locks: an account locked to its owner stays in that owner's territory (current index space for the
  // library; result index space and owner names for the independent check)
  if (!run.business.locked.empty()) {
    opt.locked.assign(acc.table.size(), territory::no_territory);
    std::vector<territory::territory_index> checked(acc.table.size(), territory::no_territory);
    for (std::size_t k = 0; k < acc.table.size(); ++k) {
      if (run.business.locked[k] == territory::no_territory) continue;
      const auto t = cur.assignment[static_cast<territory::account_index>(k)];
      opt.locked[k] = t;
      checked[k] = static_cast<territory::territory_index>(std::find(names.begin(), names.end(), cur.owners[t]) - names.begin());
    }
    run.business.locked = std::move(checked);
    run.business.lock_owner = names;
  }
  opt.tolerance = run.tolerance;
  opt.min_counts = run.business.min_counts;
  opt.median_bounds = run.business.median_bounds;
  opt.max_diameter = run.max_diameter;
  if (max_moves) opt.max_moves = static_cast<std::size_t>(*max_moves);
  opt.add = static_cast<territory::territory_index>(add);
  opt.activity_names = run.balance;
  opt.account_ids = acc.table.ids();
  if (move_cost != "accounts") {
    const auto j = acc.table.find_activity(move_cost);
    if (!j) throw input_error(acc.file + ":1: --move-cost column '" + move_cost + "' is not a numeric column");
    const auto col = acc.table.activities().col(static_cast<Eigen::Index>(*j));
    opt.move_cost.assign(col.data(), col.data() + col.size());
    for (std::size_t k = 0; k < opt.move_cost.size(); ++k) {
      if (!(opt.move_cost[k] >= 0.0)) {
        throw input_error(fmt::format("{}column '{}': move cost {} of account '{}' is negative", where_account(acc, k),
                                      move_cost, opt.move_cost[k], acc.table.id(static_cast<territory::account_index>(k))));
      }
    }
  }
  if (cur.unowned > 0) {
    run.notes.push_back(fmt::format("{} account{} had no owner and {} placed in a neighbouring territory", cur.unowned,
                                    cur.unowned == 1 ? "" : "s", cur.unowned == 1 ? "was" : "were"));
  }
  territory::plan_delta_options reps;
  if (!run.reps.empty()) {
    // per rep: the rep whose id is the territory's owner
    std::vector<std::size_t> rb(p0, territory::plan_delta::no_rep), ra(p, territory::plan_delta::no_rep);
    for (std::size_t r = 0; r < run.reps.size(); ++r) {
      for (std::size_t t = 0; t < p0; ++t) {
        if (cur.owners[t] == run.reps[r].id) rb[t] = r;
      }
      for (std::size_t t = 0; t < p; ++t) {
        if (names[t] == run.reps[r].id) ra[t] = r;
      }
    }
    reps.rep_before = std::move(rb);
    reps.rep_after = std::move(ra);
  }
  if (run.wgs84) return run_rebalance(run, outputs, cur, std::move(opt), names, reps, territory::haversine{});
  return run_rebalance(run, outputs, cur, std::move(opt), names, reps, territory::euclidean{});
}

}  // namespace territory_cli
