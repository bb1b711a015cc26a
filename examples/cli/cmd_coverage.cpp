// territory-cli coverage: coverage, performance and workload balance per territory from an
// activity log (FORMAT.md activity_log.csv) and the accounts' current owners.
// Prints one line per territory, then `alert:` lines (contact rate below 50 %),
// `rebalance:` lines (account count or potential > 20 % from the mean) and suggested
// `move:` lines. Exit 0: nothing to flag. Exit 2: alerts or rebalance flags. Exit 1: bad input.

#include <cmath>
#include <cstdio>
#include <string>

#include <fmt/format.h>

#include <territory/route/coverage.hpp>
#include <territory/route/rebalance_check.hpp>

#include "args.hpp"
#include "commands.hpp"
#include "output.hpp"
#include "route_io.hpp"

namespace territory_cli {

namespace {
std::string pct(double v) { return std::isnan(v) ? std::string("n/a") : fmt::format("{:.0f}%", 100.0 * v); }
std::string num(double v) { return std::isnan(v) ? std::string() : fmt::format("{:.6g}", v); }
}  // namespace

const command_spec& coverage_spec() {
  static const command_spec spec{
      "coverage",
      "Coverage, performance and workload balance per territory from an activity log and the accounts' current "
      "owners: one line per territory, then alert: lines (30-day contact rate below 50 %), rebalance: lines "
      "(account count or potential farther than the tolerance from the mean) and suggested move: lines.",
      {
          {"--accounts", "FILE", "accounts.csv with an owner column (the current territory).", "", true},
          {"--activity", "FILE", "activity_log.csv: account,date,kind,opportunity,amount.", "", true},
          {"--as-of", "YYYY-MM-DD", "Reference date of the contact rates (default: the last date in the log, never the "
                                    "clock).",
           ""},
          {"--potential", "COLUMN", "Numeric column of account potential (default: the column 'potential' when "
                                    "present; a named column must exist).",
           ""},
          {"--tolerance", "T", "Relative deviation from the mean, in [0, 10], above which a territory is flagged for "
                               "rebalancing.",
           "0.2"},
          {"--out", "REPORT.csv", "Output: one row per territory with every figure.", ""},
      },
      "Exit status: 0 nothing to flag; 2 alerts or rebalance flags; 1 bad input or usage (one line on stderr)."};
  return spec;
}

int cmd_coverage(int argc, char** argv) {
  const args a(argc, argv, 2, coverage_spec());
  const std::string accounts_file = a.require("--accounts");
  const std::string activity_file = a.require("--activity");
  const auto out_file = a.get("--out");
  if (out_file) check_writable(*out_file);
  const auto potential_col = a.get("--potential");
  const double tolerance = *a.get_double("--tolerance", 0.0, 10.0);
  std::optional<std::chrono::sys_days> as_of;
  if (auto d = a.get("--as-of")) {
    as_of = parse_date(*d);
    if (!as_of) throw usage_error("--as-of '" + *d + "' is not an ISO 8601 date (YYYY-MM-DD)");
  }
  const auto acc = load_owned_accounts(accounts_file, potential_col.value_or("potential"), potential_col.has_value());
  const auto log = load_activity(activity_file, acc);
  if (!as_of) {  // default: the last day of the log (never the clock)
    as_of = std::chrono::sys_days{};
    for (const auto& e : log.events) as_of = std::max(*as_of, e.date);
  }
  const territory::plan owners(acc.territory, static_cast<territory::territory_index>(acc.territory_names.size()));
  const auto report = territory::coverage(owners, log.events,
                                          {.as_of = *as_of, .potential = acc.potential, .potential_tolerance = tolerance});

  std::string csv = "territory,accounts,contact_rate_30,contact_rate_60,contact_rate_90,penetration,open_opportunities,"
                    "open_pipeline,won,lost,win_rate,average_cycle_days,potential,alert,diagnosis\n";
  std::string alerts;
  for (std::size_t t = 0; t < report.territories.size(); ++t) {
    const auto& c = report.territories[t];
    const std::string& name = acc.territory_names[t];
    std::printf("territory %s: accounts %zu, contact rate 30/60/90 d %s/%s/%s, penetration %s, open pipeline %s (%zu), "
                "win rate %s, cycle %s d, diagnosis %s\n",
                name.c_str(), c.accounts, pct(c.contact_rate[0]).c_str(), pct(c.contact_rate[1]).c_str(),
                pct(c.contact_rate[2]).c_str(), pct(c.penetration).c_str(), num(c.open_pipeline).c_str(),
                c.open_opportunities, pct(c.win_rate).c_str(), std::isnan(c.average_cycle_days) ? "n/a" : num(c.average_cycle_days).c_str(),
                std::string(territory::to_string(c.diagnosis)).c_str());
    if (c.alert) alerts += "alert: territory " + name + " contact rate over 30 days is " + pct(c.contact_rate[0]) + " (below 50%)\n";
    csv += csv_field(name) + "," + std::to_string(c.accounts) + "," + num(c.contact_rate[0]) + "," + num(c.contact_rate[1]) + "," +
           num(c.contact_rate[2]) + "," + num(c.penetration) + "," + std::to_string(c.open_opportunities) + "," +
           num(c.open_pipeline) + "," + std::to_string(c.won) + "," + std::to_string(c.lost) + "," + num(c.win_rate) + "," +
           num(c.average_cycle_days) + "," + num(c.potential) + "," + (c.alert ? "1" : "0") + "," +
           std::string(territory::to_string(c.diagnosis)) + "\n";
  }
  std::fputs(alerts.c_str(), stdout);
  std::vector<double> pot = acc.potential;
  if (pot.empty()) pot.assign(acc.id.size(), 0.0);
  const auto rb = territory::rebalance_check(owners, pot, {.tolerance = tolerance});
  for (std::size_t t = 0; t < rb.territories.size(); ++t) {
    const auto& l = rb.territories[t];
    if (!l.flagged) continue;
    std::printf("rebalance: territory %s has %zu accounts (%+.0f%% of the mean) and potential %s (%+.0f%% of the mean)\n",
                acc.territory_names[t].c_str(), l.accounts, 100.0 * l.account_deviation, num(l.potential).c_str(),
                100.0 * l.potential_deviation);
  }
  for (const auto& m : rb.moves) {
    std::printf("move: account %s from %s to %s\n", acc.id[m.account].c_str(), acc.territory_names[m.from].c_str(),
                acc.territory_names[m.to].c_str());
  }
  if (out_file) write_file_atomic(*out_file, csv);
  return report.alerts() > 0 || rb.needed() ? 2 : 0;
}

}  // namespace territory_cli
