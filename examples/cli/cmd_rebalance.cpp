// territory-cli rebalance: restores every hard constraint of the current plan (the accounts' `owner`
// column) while moving as few accounts as it can (territory::rebalance), optionally dissolving
// territories (--drop) and creating new ones (--add); checks the result independently and writes
// assignment.csv, report.json (the plan's fields plus `moves` and `disruption`) and the map. Contract:
// FORMAT.md, docs/cli.md, docs/rebalance.md. Exit 0: every hard constraint met. Exit 2: a plan was
// written with violations. Exit 1: bad input or usage; one line on stderr; no output file touched.

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <functional>
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
#include <territory/plan/change_set.hpp>
#include <territory/plan/delta.hpp>
#include <territory/route/workload.hpp>

#include "args.hpp"
#include "commands.hpp"
#include "input.hpp"
#include "output.hpp"
#include "plan_common.hpp"
#include "plan_constraints.hpp"
#include "plan_report.hpp"
#include "route_io.hpp"

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

/// One row of --review review.csv (`id,action,territory`).
struct review_entry {
  enum class action { lock, unlock, pin, forbid };
  std::size_t account = 0;
  action what = action::lock;
  territory::territory_index territory = territory::no_territory;  ///< current-plan index (lock: the owner)
  std::size_t line = 0;
};

constexpr std::string_view action_name(review_entry::action a) {
  switch (a) {
    case review_entry::action::lock: return "lock";
    case review_entry::action::unlock: return "unlock";
    case review_entry::action::pin: return "pin";
    case review_entry::action::forbid: return "forbid";
  }
  return "?";
}

/// Reads review.csv against the accounts and the current owners. `lock` keeps an account with its
/// owner (territory empty or that owner), `unlock` lets a locked account move (territory empty or its
/// owner), `pin` moves it to the owner named and keeps it there, `forbid` keeps it out of the owner
/// named. input_error naming file, line and column for an unknown id, action or owner, a missing
/// territory, and for rows that contradict each other (naming both lines).
std::vector<review_entry> load_review(const std::string& path, const loaded_accounts& acc, const current_plan& cur) {
  const csv_table t = read_csv(path);
  const auto c_id = t.require("id");
  const auto c_action = t.require("action");
  const auto c_terr = t.column("territory");
  std::vector<review_entry> out;
  for (const auto& r : t.rows) {
    const std::string id(c_id < r.fields.size() ? trim(r.fields[c_id]) : std::string_view());
    const auto k = acc.table.find(id);
    if (!k) throw input_error(t.where(r, c_id) + "unknown account id '" + id + "'");
    const std::string act(c_action < r.fields.size() ? trim(r.fields[c_action]) : std::string_view());
    review_entry e;
    e.account = *k;
    e.line = r.line;
    if (act == "lock") e.what = review_entry::action::lock;
    else if (act == "unlock") e.what = review_entry::action::unlock;
    else if (act == "pin") e.what = review_entry::action::pin;
    else if (act == "forbid") e.what = review_entry::action::forbid;
    else throw input_error(t.where(r, c_action) + "'" + act + "', expected lock, unlock, pin or forbid");
    const std::string terr(c_terr && *c_terr < r.fields.size() ? trim(r.fields[*c_terr]) : std::string_view());
    const auto owner_now = cur.assignment[static_cast<territory::account_index>(*k)];
    territory::territory_index named = territory::no_territory;
    if (!terr.empty()) {
      const auto it = std::find(cur.owners.begin(), cur.owners.end(), terr);
      if (it == cur.owners.end()) {
        throw input_error(t.where(r, *c_terr) + "owner '" + terr + "' owns no account of the current plan");
      }
      named = static_cast<territory::territory_index>(it - cur.owners.begin());
    }
    switch (e.what) {
      case review_entry::action::lock:
      case review_entry::action::unlock:
        if (named != territory::no_territory && named != owner_now) {
          throw input_error(t.where(r, *c_terr) + "'" + act + "' keeps account '" + id + "' with its owner '" +
                            (owner_now == territory::no_territory ? std::string() : cur.owners[owner_now]) +
                            "', not '" + terr + "' (use pin to move it)");
        }
        if (e.what == review_entry::action::lock && owner_now == territory::no_territory) {
          throw input_error(t.where(r, c_action) + "account '" + id + "' has no owner to be locked to (use pin)");
        }
        e.territory = owner_now;
        break;
      case review_entry::action::pin:
      case review_entry::action::forbid:
        if (named == territory::no_territory) {
          throw input_error(t.where(r, c_terr ? *c_terr : c_action) + "'" + act + "' needs the owner in column 'territory'");
        }
        e.territory = named;
        break;
    }
    out.push_back(e);
  }
  // contradictions: per account, one lock state (lock = pin to the owner, unlock, pin T), and no forbid of it
  std::vector<std::size_t> order(out.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return out[x].account < out[y].account; });
  auto state = [](const review_entry& e) {  // (unlock?, territory kept in)
    return std::make_pair(e.what == review_entry::action::unlock, e.territory);
  };
  for (std::size_t b = 0; b < order.size();) {
    std::size_t e = b;
    const review_entry* keep = nullptr;
    while (e < order.size() && out[order[e]].account == out[order[b]].account) ++e;
    for (std::size_t i = b; i < e; ++i) {
      const auto& x = out[order[i]];
      if (x.what == review_entry::action::forbid) continue;
      if (keep != nullptr && state(*keep) != state(x)) {
        throw input_error(fmt::format("{}:{}: account '{}': '{}' contradicts '{}' on line {}", path, x.line,
                                      acc.table.id(static_cast<territory::account_index>(x.account)), action_name(x.what),
                                      action_name(keep->what), keep->line));
      }
      keep = keep ? keep : &x;
    }
    for (std::size_t i = b; i < e && keep != nullptr && keep->what != review_entry::action::unlock; ++i) {
      const auto& x = out[order[i]];
      if (x.what == review_entry::action::forbid && x.territory == keep->territory) {
        throw input_error(fmt::format("{}:{}: account '{}': 'forbid {}' contradicts '{}' on line {}, which keeps it there",
                                      path, x.line, acc.table.id(static_cast<territory::account_index>(x.account)),
                                      cur.owners[x.territory], action_name(keep->what), keep->line));
      }
    }
    b = e;
  }
  return out;
}

/// --changes: the records that follow their account (open opportunities of --activity-log, then the
/// rows of --related) and the date the opportunities are open at.
struct change_inputs {
  bool wanted = false;
  std::vector<territory::account_record> records;
  std::size_t opportunities = 0;                 ///< records[0, opportunities) come from the activity log
  std::optional<std::chrono::sys_days> as_of;    ///< with --activity-log
};

std::string date_string(std::chrono::sys_days d) {
  const std::chrono::year_month_day ymd{d};
  return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

/// The change set as JSON (schema: docs/changes.md).
std::string change_set_json(const territory::change_set& cs, const territory::plan_delta& d, const change_inputs& ci,
                            const territory::account_table& table,
                            const std::function<std::string(territory::territory_index)>& before_name,
                            const std::function<std::string(territory::territory_index)>& after_name) {
  auto owner = [&](territory::territory_index t, bool before) {
    if (t == territory::no_territory) return std::string("null");
    return quoted(before ? before_name(t) : after_name(t));
  };
  std::string j = "{\n  \"format\": \"territory-change-set\",\n  \"version\": 1,\n  \"command\": \"rebalance\",\n";
  j += "  \"as_of\": " + (ci.as_of ? quoted(date_string(*ci.as_of)) : std::string("null")) + ",\n";
  j += "  \"accounts_moved\": " + std::to_string(cs.accounts.size()) + ",\n  \"accounts\": [";
  for (std::size_t i = 0; i < cs.accounts.size(); ++i) {
    const auto& m = cs.accounts[i];
    j += (i ? ",\n    " : "\n    ") + std::string("{\"id\": ") + quoted(table.id(m.account)) +
         ", \"from\": " + owner(m.from, true) + ", \"to\": " + owner(m.to, false) + "}";
  }
  j += cs.accounts.empty() ? "],\n" : "\n  ],\n";
  std::string opp, rel;
  for (const auto& rm : cs.records) {
    const auto& r = ci.records[rm.record];
    std::string& out = rm.record < ci.opportunities ? opp : rel;
    out += out.empty() ? "\n    " : ",\n    ";
    out += "{";
    if (rm.record >= ci.opportunities) out += "\"kind\": " + quoted(r.kind) + ", ";
    out += "\"id\": " + quoted(r.id) + ", \"account\": " + quoted(table.id(r.account));
    if (rm.record < ci.opportunities) out += ", \"amount\": " + json_number(r.amount);
    out += ", \"from\": " + owner(rm.from, true) + ", \"to\": " + owner(rm.to, false) + "}";
  }
  j += "  \"opportunities\": [" + opp + (opp.empty() ? "],\n" : "\n  ],\n");
  j += "  \"related\": [" + rel + (rel.empty() ? "],\n" : "\n  ],\n");
  j += "  \"notify\": [";
  for (std::size_t i = 0; i < cs.notices.size(); ++i) {
    const auto& n = cs.notices[i];
    const auto& e = d.territories[n.entry];
    const std::string status = e.before == territory::no_territory ? "new" : e.after == territory::no_territory ? "dropped" : "kept";
    auto ids = [&](const std::vector<territory::account_index>& v) {
      std::string x = "[";
      for (std::size_t k = 0; k < v.size(); ++k) x += (k ? ", " : "") + quoted(table.id(v[k]));
      return x + "]";
    };
    j += (i ? ",\n    " : "\n    ") + std::string("{\"owner\": ") +
         quoted(e.before != territory::no_territory ? before_name(e.before) : after_name(e.after)) +
         ", \"status\": " + quoted(status) + ", \"accounts_gained\": " + ids(n.gained) +
         ", \"accounts_lost\": " + ids(n.lost) + ", \"records\": [";
    for (std::size_t k = 0; k < n.records.size(); ++k) {
      const auto& t = n.records[k];
      j += (k ? ", " : "") + std::string("{\"kind\": ") + quoted(t.kind) + ", \"gained\": " + std::to_string(t.gained) +
           ", \"lost\": " + std::to_string(t.lost) + ", \"amount_gained\": " + json_number(t.amount_gained) +
           ", \"amount_lost\": " + json_number(t.amount_lost) + "}";
    }
    j += "]}";
  }
  j += cs.notices.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return j;
}

template <class Distance>
int run_rebalance(plan_run& run, const plan_outputs& outputs, const current_plan& cur,
                  territory::rebalance_plan_options opt, const std::vector<std::string>& names,
                  territory::plan_delta_options reps, const change_inputs& changes, Distance distance) {
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
  j += "],\n  \"merged\": [";
  for (std::size_t i = 0; i < opt.merge.size(); ++i) {
    j += (i ? ", " : "") + std::string("{\"from\": ") + quoted(cur.owners[opt.merge[i].from]) +
         ", \"into\": " + quoted(cur.owners[opt.merge[i].into]) + "}";
  }
  j += "],\n  \"split\": [";
  {
    std::size_t next = res.origin.size() - [&] {
      std::size_t k = 0;
      for (const auto& sp : opt.split) k += sp.parts - 1;
      return k;
    }();
    for (std::size_t i = 0; i < opt.split.size(); ++i) {
      j += (i ? ", " : "") + std::string("{\"id\": ") + quoted(cur.owners[opt.split[i].territory]) + ", \"parts\": [" +
           quoted(cur.owners[opt.split[i].territory]);
      for (territory::territory_index k = 1; k < opt.split[i].parts; ++k) j += ", " + quoted(names[next++]);
      j += "]}";
    }
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
  if (changes.wanted) {
    const auto cs = territory::make_change_set(d, changes.records, table.size());
    run.changes_json = change_set_json(cs, d, changes, table, before_name, after_name);
  }
  run.summary_extra = fmt::format(", {} account{} moved ({:.1f} %), {} territor{} touched", d.accounts_moved,
                                  d.accounts_moved == 1 ? "" : "s", 100.0 * d.share_moved, d.territories_touched,
                                  d.territories_touched == 1 ? "y" : "ies");
  return check_and_write(run, outputs, distance, "rebalance");
}

}  // namespace

const command_spec& rebalance_spec() {
  static const command_spec spec = with_flags_after(command_spec{
      "rebalance",
      "Restores every hard constraint of the current plan (the accounts' owner column: balance within the "
      "tolerance, contiguity, locks, minimum counts, median bounds, a review's pins and forbids) while moving as "
      "few accounts as it can (territory::rebalance); --drop, --add, --split and --merge change the territories; "
      "--changes writes the change set for a CRM. A plan that already meets every constraint comes back "
      "unchanged. Then checks the plan independently (territory::evaluate_plan), which decides the exit code and "
      "fills the report.",
      {
          {"--accounts", "FILE", "accounts.csv with the current plan in column owner (empty owner: placed like the "
                                 "accounts of a dropped territory).",
           "", true},
          {"--adjacency", "FILE", "a,b edges by account id; every territory must be connected in this graph.", ""},
          {"--reps", "FILE", "reps.csv: the report lists what each rep (rep id = owner) gains and loses.", ""},
          {"--balance", "COL[,COL...]", "Activity columns to balance. Default: every numeric column.", ""},
          {"--tolerance", "T|COL=T[,COL=T...]",
           "Allowed relative deviation from the mean, in [0, 1), for all columns or per column: every territory's "
           "sum must lie in [(1-T)*total/P, (1+T)*total/P], P the territories after --drop, --add, --split and "
           "--merge.",
           fmt::format("{}", default_tolerance)},
          {"--max-moves", "M", "At most M accounts end with another owner than now (accounts of dropped territories "
                               "count); when M is too small the best plan within M is written (exit 2).",
           ""},
          {"--drop", "OWNER[,OWNER...]", "Dissolve these territories (a rep who left): their accounts go to the "
                                         "neighbouring territories, balanced by load, contiguity kept.",
           ""},
          {"--add", "K", "Create K new territories (ids new-1 .. new-K), carved from the heaviest territories.", "0"},
          {"--add-capacity", "C", "Capacity of the territories --add creates (a new rep ramping at 0.5 gets half a "
                                  "load; without it 1): every territory's target becomes its share of the "
                                  "capacities, 0 < C <= 10.",
           ""},
          {"--capacity-targets", "", "With --reps: every territory's target is proportional to its owner's capacity "
                                     "in reps.csv (owners not listed: 1), instead of equal targets.",
           ""},
          {"--split", "OWNER:K", "Split OWNER's territory into K balanced, contiguous parts: it keeps one, the new "
                                 "ones are OWNER-2 .. OWNER-K, carved from it.",
           "", false, true},
          {"--merge", "FROM:INTO", "Dissolve FROM's territory into the adjacent territory of INTO (two reps' books "
                                   "joined); then the plan is rebalanced.",
           "", false, true},
          {"--move-cost", "accounts|COL", "What a move costs: one per account, or the account's value in the numeric "
                                          "column COL (e.g. revenue: prefer moving small accounts).",
           "accounts"},
          {"--locks", "", "Honour the accounts' locked column: a locked account stays with its owner.", ""},
          {"--review", "REVIEW.csv", "A reviewer's decisions (id,action,territory): lock (stays with its owner), unlock "
                                     "(may move despite --locks), pin (goes to the owner named and stays), forbid (never "
                                     "in the owner named); then the plan is repaired around them (docs/rebalance.md).",
           ""},
          {"--max-diameter", "D", "No two accounts of a territory farther apart than D (km for lat,lon input): "
                                  "checked and reported, not repaired.",
           ""},
          {"--max-drive-hours", "H", "The same cap in hours of the library's drive-time estimate; lat,lon input only.",
           ""},
          {"--seed", "N", "Seed of the search that runs when the greedy repair is stuck with violations (the "
                          "repair itself uses no randomness).",
           std::to_string(territory::default_seed)},
          {"--time-limit", "SECONDS", "Work budget of that search, as in plan (> 0); the greedy repair ends by its "
                                      "own rules.",
           fmt::format("{}", default_time_limit)},
          {"--threads", "N", "Threads of that search, 1 <= N <= 1024; the repair runs on one thread.", "1"},
          {"--out", "ASSIGNMENT.csv", "Output: id,territory for every account (territory = owner id, or new-K).", "",
           true},
          {"--report", "REPORT.json", "Output: the plan report plus moves (id, from, to) and disruption.", ""},
          {"--svg", "MAP.svg", "Output: the map of the rebalanced plan.", ""},
          {"--html", "REPORT.html", "Output: one self-contained page with the map, constraints and territories.", ""},
          {"--changes", "CHANGES.json", "Output: the change set for a CRM integration: account moves, the open "
                                        "opportunities and related records that follow them, the owners to notify "
                                        "(docs/changes.md).",
           ""},
          {"--activity-log", "FILE", "activity_log.csv: the open opportunities of the moved accounts go into the "
                                     "change set (with --changes).",
           ""},
          {"--related", "FILE", "related.csv (account,kind,id): records that follow their account, e.g. contacts and "
                                "tasks (with --changes).",
           ""},
          {"--as-of", "YYYY-MM-DD", "The date the opportunities are open at (default: the last date in the activity "
                                    "log).",
           ""},
          {"--boundaries", "SHAPES.geojson", "Polygons for the map (Feature id = account id).", ""},
          {"--states", "STATES.geojson", "Outlines drawn over the units on the map.", ""},
          {"--quiet", "", "No map notes on stderr.", ""},
          {"--progress", "", "Accepted as in plan (the repair prints no progress lines).", ""},
      },
      "Exit status: 0 the plan meets every hard constraint; 2 a plan was written but a hard constraint is violated "
      "(stderr and the report say which and by how much); 1 bad input or usage (one line on stderr, no output file "
      "created or touched). See docs/rebalance.md."}, "--locks", count_and_median_flags());
  return spec;
}

int cmd_rebalance(int argc, char** argv) {
  const args a(argc, argv, 2, rebalance_spec());
  // usage first
  const auto flags = read_run_flags(a);
  const auto max_moves = a.get_int("--max-moves", 0, static_cast<long long>(territory::max_accounts));
  const auto add = *a.get_int("--add", 0, static_cast<long long>(territory::max_accounts));
  const auto add_capacity = a.get_double("--add-capacity", 0.0, 10.0);
  if (add_capacity && !(*add_capacity > 0.0)) throw usage_error("'--add-capacity' must be > 0");
  if (add_capacity && add == 0) throw usage_error("'--add-capacity' sets the capacity of the territories '--add' creates: give '--add'");
  if (a.has("--capacity-targets") && !a.has("--reps")) {
    throw usage_error("'--capacity-targets' takes the owners' capacities from reps.csv: give '--reps'");
  }
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
  change_inputs changes;
  changes.wanted = a.has("--changes");
  if (changes.wanted) {
    if (a.get("--changes")->empty()) throw usage_error("'--changes' needs a file name");
    check_writable(*a.get("--changes"));
  }
  for (const auto* flag : {"--activity-log", "--related", "--as-of"}) {
    if (a.has(flag) && !changes.wanted) {
      throw usage_error("'" + std::string(flag) + "' feeds the change set: give '--changes CHANGES.json' too");
    }
    if (a.has(flag) && a.get(flag)->empty()) throw usage_error("'" + std::string(flag) + "' needs a value");
  }
  if (a.has("--as-of") && !a.has("--activity-log")) {
    throw usage_error("'--as-of' is the date the opportunities of '--activity-log' are open at: give '--activity-log'");
  }
  if (const auto d = a.get("--as-of")) {
    changes.as_of = parse_date(*d);
    if (!changes.as_of) throw usage_error("'--as-of' '" + *d + "' is not an ISO 8601 date (YYYY-MM-DD)");
  }
  check_distinct_files(a, {"--out", "--report", "--svg", "--html", "--changes"},
                       {"--accounts", "--adjacency", "--reps", "--boundaries", "--states", "--activity-log", "--related",
                        "--review"});

  // inputs
  const auto acc = load_accounts(flags.accounts_file);
  const auto cur = read_current(acc);
  std::vector<review_entry> review;
  if (const auto rv = a.get("--review")) {
    if (rv->empty()) throw usage_error("'--review' needs a file name");
    review = load_review(*rv, acc, cur);
  }
  if (changes.wanted) {
    const auto find = [&](std::string_view id) -> std::optional<std::size_t> {
      const auto k = acc.table.find(id);
      if (!k) return std::nullopt;
      return static_cast<std::size_t>(*k);
    };
    if (const auto log_file = a.get("--activity-log")) {
      const auto log = load_activity(*log_file, find);
      if (!changes.as_of) {  // the last date in the log
        for (const auto& e : log.events) changes.as_of = changes.as_of ? std::max(*changes.as_of, e.date) : e.date;
      }
      if (changes.as_of) {
        for (auto& o : territory::open_opportunities(acc.table.size(), log.events, *changes.as_of)) {
          changes.records.push_back({o.account, "opportunity", std::move(o.id), o.amount});
        }
      }
      changes.opportunities = changes.records.size();
    }
    if (const auto rel = a.get("--related")) {
      for (auto& r : load_related(*rel, find)) changes.records.push_back(std::move(r));
    }
  }
  territory::rebalance_plan_options opt;
  for (const auto& owner : drop) {
    const auto it = std::find(cur.owners.begin(), cur.owners.end(), owner);
    if (it == cur.owners.end()) {
      throw input_error(fmt::format("{}: --drop owner '{}' owns no account (column 'owner' has {} owners, e.g. '{}')",
                                    acc.file, owner, cur.owners.size(), cur.owners.front()));
    }
    opt.drop.push_back(static_cast<territory::territory_index>(it - cur.owners.begin()));
  }
  // lifecycle: --merge FROM:INTO (FROM dissolved into INTO), --split OWNER:K (K parts)
  auto owner_index = [&](const std::string& flag, const std::string& owner) {
    const auto it = std::find(cur.owners.begin(), cur.owners.end(), owner);
    if (it == cur.owners.end()) {
      throw input_error(fmt::format("{}: {} owner '{}' owns no account (column 'owner' has {} owners, e.g. '{}')",
                                    acc.file, flag, owner, cur.owners.size(), cur.owners.front()));
    }
    return static_cast<territory::territory_index>(it - cur.owners.begin());
  };
  auto is_dropped = [&](territory::territory_index t) {
    if (std::find(opt.drop.begin(), opt.drop.end(), t) != opt.drop.end()) return true;
    return std::any_of(opt.merge.begin(), opt.merge.end(), [&](const territory::territory_merge& m) { return m.from == t; });
  };
  for (const auto& spec : a.get_all("--merge")) {
    const auto colon = spec.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == spec.size()) {
      throw usage_error("'--merge " + spec + "': expected FROM:INTO (two owner ids)");
    }
    const auto from = owner_index("--merge", spec.substr(0, colon));
    const auto into = owner_index("--merge", spec.substr(colon + 1));
    if (from == into) throw usage_error("'--merge " + spec + "' merges an owner into itself");
    if (is_dropped(from) || is_dropped(into)) {
      throw usage_error("'--merge " + spec + "': an owner already dissolved by --drop or another --merge");
    }
    for (const auto& m : opt.merge) {
      if (m.into == from) throw usage_error("'--merge " + spec + "': owner '" + cur.owners[from] + "' already receives a merge");
    }
    opt.merge.push_back({from, into});
  }
  std::vector<std::pair<territory::territory_index, long long>> splits;
  for (const auto& spec : a.get_all("--split")) {
    const auto colon = spec.rfind(':');
    long long k = 0;
    if (colon != std::string::npos && colon > 0) {
      const auto num = spec.substr(colon + 1);
      const auto [ptr, ec] = std::from_chars(num.data(), num.data() + num.size(), k);
      if (ec != std::errc{} || ptr != num.data() + num.size()) k = 0;
    }
    if (k < 2 || k > static_cast<long long>(territory::max_accounts)) {
      throw usage_error("'--split " + spec + "': expected OWNER:K with an integer K >= 2");
    }
    const auto t = owner_index("--split", spec.substr(0, colon));
    if (is_dropped(t)) throw usage_error("'--split " + spec + "': owner '" + cur.owners[t] + "' is dissolved");
    for (const auto& sp : splits) {
      if (sp.first == t) throw usage_error("'--split' names owner '" + cur.owners[t] + "' twice");
    }
    splits.emplace_back(t, k);
    opt.split.push_back({t, static_cast<territory::territory_index>(k)});
  }
  std::size_t split_new = 0;
  for (const auto& sp : splits) split_new += static_cast<std::size_t>(sp.second - 1);
  const std::size_t p0 = cur.owners.size();
  if (drop.size() + opt.merge.size() >= p0 + static_cast<std::size_t>(add) + split_new) {
    throw usage_error(fmt::format("'--drop' dissolves all {} territories and '--add' creates none: nothing would be left",
                                  p0));
  }
  const std::size_t p = p0 - drop.size() - opt.merge.size() + static_cast<std::size_t>(add) + split_new;
  if (p > acc.table.size()) {
    throw input_error(fmt::format("{}: {} territories after --drop, --merge, --add and --split, but only {} accounts", acc.file, p,
                                  acc.table.size()));
  }
  // result territory ids: kept owners in order, then new-1 .. new-K (never an existing owner's id)
  std::vector<std::string> names;
  for (std::size_t t = 0; t < p0; ++t) {
    if (!is_dropped(static_cast<territory::territory_index>(t))) names.push_back(cur.owners[t]);
  }
  auto taken = [&](const std::string& id) {
    return std::find(cur.owners.begin(), cur.owners.end(), id) != cur.owners.end() ||
           std::find(names.begin(), names.end(), id) != names.end();
  };
  for (long long k = 1, made = 0; made < add; ++k) {
    const std::string id = "new-" + std::to_string(k);
    if (taken(id)) continue;
    names.push_back(id);
    ++made;
  }
  for (const auto& [t, parts] : splits) {  // the parts of OWNER: OWNER-2 .. OWNER-K (OWNER keeps one)
    for (long long k = 2, made = 1; made < parts; ++k) {
      const std::string id = cur.owners[t] + "-" + std::to_string(k);
      if (taken(id)) continue;
      names.push_back(id);
      ++made;
    }
  }
  plan_run run;
  run_inputs in;
  plan_outputs outputs = flags.outputs;
  if (changes.wanted) outputs.changes = *a.get("--changes");
  read_run_inputs(a, flags, acc, p, run, in, outputs);
  for (const auto& m : opt.merge) {  // a merged territory must be one piece: FROM must touch INTO
    if (run.graph == nullptr) break;
    bool touch = false;
    for (std::size_t v = 0; v < acc.table.size() && !touch; ++v) {
      if (cur.assignment[static_cast<territory::account_index>(v)] != m.from) continue;
      for (auto u : run.graph->neighbors(static_cast<territory::account_index>(v))) touch = touch || cur.assignment[u] == m.into;
    }
    if (!touch) {
      throw usage_error("'--merge " + cur.owners[m.from] + ":" + cur.owners[m.into] + "': the two territories do not touch "
                        "in the adjacency, so the merged territory would be in pieces");
    }
  }
  run.staff = false;  // owners are the reps: the report lists their gains and losses, no new staffing
  // locks: --locks keeps a locked account with its owner; the review locks, unlocks, pins and forbids
  // (current index space for the library; result index space and owner names for the independent check)
  std::vector<territory::territory_index> lock_to(acc.table.size(), territory::no_territory);
  std::vector<std::size_t> lock_line(acc.table.size(), 0);  // review line of a lock, pin or unlock (0: --locks)
  for (std::size_t k = 0; k < acc.table.size() && !run.business.locked.empty(); ++k) {
    if (run.business.locked[k] != territory::no_territory) lock_to[k] = cur.assignment[static_cast<territory::account_index>(k)];
  }
  std::size_t review_count[4] = {0, 0, 0, 0};
  if (!review.empty()) {
    for (const auto& e : review) {
      ++review_count[static_cast<int>(e.what)];
      if (e.what == review_entry::action::forbid) {
        opt.forbidden.push_back({static_cast<territory::account_index>(e.account), e.territory});
        continue;
      }
      lock_to[e.account] = e.what == review_entry::action::unlock ? territory::no_territory : e.territory;
      lock_line[e.account] = e.line;
    }
  }
  if (!review.empty()) {
    run.notes.push_back(fmt::format("review {}: {} lock, {} unlock, {} pin, {} forbid", *a.get("--review"),
                                    review_count[0], review_count[1], review_count[2], review_count[3]));
  }
  bool any_lock = false;
  for (std::size_t k = 0; k < lock_to.size(); ++k) {
    const auto t = lock_to[k];
    if (t == territory::no_territory) continue;
    any_lock = true;
    if (!is_dropped(t)) continue;
    const std::string id = acc.table.id(static_cast<territory::account_index>(k));
    if (lock_line[k] == 0) {  // a locked account of a dropped owner has nowhere to stay
      throw input_error(fmt::format("{}account '{}' is locked to owner '{}', which --drop or --merge dissolves; unlock it or "
                                    "keep the owner",
                                    where_account(acc, k), id, cur.owners[t]));
    }
    throw input_error(fmt::format("{}:{}: account '{}' is kept with owner '{}', which --drop or --merge dissolves", *a.get("--review"),
                                  lock_line[k], id, cur.owners[t]));
  }
  if (any_lock) {
    opt.locked = lock_to;
    std::vector<territory::territory_index> checked(acc.table.size(), territory::no_territory);
    for (std::size_t k = 0; k < acc.table.size(); ++k) {
      if (lock_to[k] == territory::no_territory) continue;
      checked[k] = static_cast<territory::territory_index>(std::find(names.begin(), names.end(), cur.owners[lock_to[k]]) -
                                                           names.begin());
    }
    run.business.locked = std::move(checked);
    run.business.lock_owner = names;
  } else {
    run.business.locked.clear();
  }
  for (const auto& f : opt.forbidden) {  // the independent check, in result indices (a dropped owner: void)
    const auto it = std::find(names.begin(), names.end(), cur.owners[f.territory]);
    if (it == names.end()) continue;
    run.business.forbidden.push_back({f.account, static_cast<territory::territory_index>(it - names.begin())});
  }
  opt.tolerance = run.tolerance;
  opt.min_counts = run.business.min_counts;
  opt.median_bounds = run.business.median_bounds;
  opt.max_diameter = run.max_diameter;
  if (max_moves) opt.max_moves = static_cast<std::size_t>(*max_moves);
  opt.add = static_cast<territory::territory_index>(add);
  if (a.has("--capacity-targets") || add_capacity) {  // targets proportional to capacities (issue 12: ramping reps)
    const std::size_t kept = names.size() - static_cast<std::size_t>(add) - split_new;
    std::vector<double> shares(names.size(), 1.0);
    for (std::size_t t = 0; t < kept && a.has("--capacity-targets"); ++t) {
      for (const auto& r : run.reps) {
        if (r.id == names[t] && r.status == territory::rep_status::active) shares[t] = r.capacity;
      }
    }
    for (std::size_t t = kept; t < kept + static_cast<std::size_t>(add); ++t) shares[t] = add_capacity.value_or(1.0);
    opt.target_shares = shares;
    run.rep_capacity = std::move(shares);  // the independent check takes each territory against its target
  }
  opt.seed = flags.seed;
  opt.threads = flags.threads;
  opt.time_limit_seconds = flags.time_limit;
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
  if (run.wgs84) return run_rebalance(run, outputs, cur, std::move(opt), names, reps, changes, territory::haversine{});
  return run_rebalance(run, outputs, cur, std::move(opt), names, reps, changes, territory::euclidean{});
}

}  // namespace territory_cli
