// territory-cli route: routes new accounts through a rule table (rules.csv) to reps
// (reps.csv) and writes `id,owner,rule` for every account (--explain adds the other
// matching rules and the reason). Exit 0, or 1 on bad input (no output file written).

#include <cstdio>
#include <string>

#include <territory/route/router.hpp>

#include "args.hpp"
#include "commands.hpp"
#include "input.hpp"
#include "output.hpp"
#include "route_io.hpp"

namespace territory_cli {

const command_spec& route_spec() {
  static const command_spec spec{
      "route",
      "Routes new accounts through a rule table to reps: rules are tried by kind (named, industry, segment, "
      "default), then by priority; a rule naming a team distributes its accounts among the team's reps.",
      {
          {"--rules", "FILE", "rules.csv: one rule per row (rule, priority, kind, owner or team, the attributes it "
                              "matches; FORMAT.md).",
           "", true},
          {"--reps", "FILE", "reps.csv: id, capacity, team, start_date, status.", "", true},
          {"--accounts", "FILE", "The accounts to route: id and the routing attributes (industry, region, size_band, "
                                 "employees).",
           "", true},
          {"--out", "ASSIGNMENT.csv", "Output: id,owner,rule for every account (owner and rule empty when no rule "
                                      "matches).",
           "", true},
          {"--explain", "", "Add the other matching rules and the reason to every row.", ""},
          {"--policy", "round_robin|least_loaded|capacity_weighted", "How a team rule distributes its accounts.",
           "round_robin"},
          {"--as-of", "YYYY-MM-DD", "Date at which ramp schedules are evaluated (default: no ramp; weight = capacity).",
           ""},
      },
      "Exit status: 0 every account was routed or reported as unmatched; 1 bad input or usage (one line on "
      "stderr, no output file written)."};
  return spec;
}

int cmd_route(int argc, char** argv) {
  const args a(argc, argv, 2, route_spec());
  const std::string rules_file = a.require("--rules");
  const std::string reps_file = a.require("--reps");
  const std::string accounts_file = a.require("--accounts");
  const std::string out_file = a.require("--out");
  check_writable(out_file);
  territory::router_options options;
  if (auto p = a.get("--policy")) {
    const auto d = territory::parse_distribution(*p);
    if (!d) throw usage_error("--policy '" + *p + "', expected round_robin, least_loaded or capacity_weighted");
    options.policy = *d;
  }
  if (auto d = a.get("--as-of")) {
    const auto day = parse_date(*d);
    if (!day) throw usage_error("--as-of '" + *d + "' is not an ISO 8601 date (YYYY-MM-DD)");
    options.as_of = *day;
  }
  const bool explain = a.has("--explain");

  auto rules = load_rules(rules_file);
  auto reps = load_reps(reps_file);
  const auto accounts = load_routing_accounts(accounts_file);

  std::optional<territory::router> r;
  try {
    r.emplace(rules.table, std::move(reps), options);
  } catch (const territory::invalid_input& e) {
    if (e.field().rfind("rules[", 0) == 0) {
      throw input_error(rules.where(e.field(), e.index().value_or(0)) + std::string(territory::to_string(e.code())) + ": " +
                        e.message().substr(e.message().find("): ") + 3));
    }
    std::string where = reps_file + ": ";
    if (e.index()) {  // reps are the data rows of reps.csv, in order
      const auto t = read_csv(reps_file);
      if (*e.index() < t.rows.size()) {
        where = t.where(t.rows[*e.index()]);
        if (e.field() == "reps.capacity") where += "column 'capacity': ";
        else where += "column 'id': ";
      }
    }
    throw input_error(where + std::string(territory::to_string(e.code())) + ": " + e.message().substr(e.message().find("): ") + 3));
  }

  std::string out = explain ? "id,owner,rule,also_matched,reason\n" : "id,owner,rule\n";
  std::size_t unrouted = 0;
  for (std::size_t i = 0; i < accounts.size(); ++i) {
    const auto acc = accounts.view(i);
    std::string also;
    std::string reason;
    if (explain) {
      const auto e = r->explain(acc);
      for (const auto m : e.matched) {
        if (m == e.decision.rule) continue;
        if (!also.empty()) also += ';';
        also += r->rules()[m].id;
      }
      reason = e.reason;
    }
    const auto d = r->route(acc, accounts.workload[i]);
    out += csv_field(accounts.id[i]);
    out += ',';
    if (d.routed()) {
      out += csv_field(r->reps()[d.rep].id);
      out += ',';
      out += csv_field(r->rules()[d.rule].id);
    } else {
      ++unrouted;
      out += ',';
    }
    if (explain) {
      out += ',';
      out += csv_field(also);
      out += ',';
      out += csv_field(reason);
    }
    out += '\n';
  }
  write_file_atomic(out_file, out);
  std::printf("routed %zu of %zu accounts", accounts.size() - unrouted, accounts.size());
  if (unrouted > 0) std::printf(" (%zu matched no rule: run 'territory-cli rules validate' for gaps)", unrouted);
  std::printf("\n");
  return 0;
}

}  // namespace territory_cli
