// territory-cli rules validate: checks a rule table before it goes live. Prints one finding
// per line on stdout, starting with its kind (overlap, gap, shadowed, unknown_owner,
// departed_owner) and naming an example account; a summary goes to stderr.
// Exit 0: no finding. Exit 2: findings. Exit 1: bad input.

#include <cstdio>
#include <string>

#include <territory/route/validate_rules.hpp>

#include "args.hpp"
#include "commands.hpp"
#include "input.hpp"
#include "route_io.hpp"

namespace territory_cli {

const command_spec& rules_validate_spec() {
  static const command_spec spec{
      "rules validate",
      "Checks a rule table before it goes live: prints one finding per line on stdout, starting with its kind "
      "(overlap, gap, shadowed, unknown_owner, departed_owner) and naming an example account that shows it; a "
      "summary goes to stderr.",
      {
          {"--rules", "FILE", "rules.csv (FORMAT.md).", "", true},
          {"--reps", "FILE", "reps.csv: owners that are not reps, or departed, become findings.", ""},
          {"--min-employees", "N", "Smallest possible employee count when looking for gaps.", "0"},
          {"--real-employees", "", "Employee counts may be fractional (by default they are whole numbers, so 49 and "
                                   "50 leave no gap).",
           ""},
          {"--missing-employees", "", "Accounts may have no employee count: a rule set that does not cover them has a "
                                      "gap.",
           ""},
      },
      "Exit status: 0 no finding; 2 findings; 1 bad input or usage (one line on stderr)."};
  return spec;
}

int cmd_rules(int argc, char** argv) {
  if (argc < 3) throw usage_error("missing rules subcommand (expected: rules validate --rules FILE [--reps FILE])");
  const std::string sub = argv[2];
  if (sub == "--help" || sub == "-h") {
    throw help_requested("usage: territory-cli " + rules_validate_spec().synopsis(21) +
                         "\n\nSubcommands of 'rules':\n  validate    " + rules_validate_spec().summary.substr(0, rules_validate_spec().summary.find(':')) +
                         ".\n\nRun 'territory-cli rules validate --help' for its options.\n");
  }
  if (sub != "validate") throw usage_error("unknown rules subcommand '" + sub + "' (expected: validate)");
  const args a(argc, argv, 3, rules_validate_spec());
  const auto rules = load_rules(a.require("--rules"));
  std::vector<territory::rep> reps;
  if (auto f = a.get("--reps")) reps = load_reps(*f);
  territory::rule_validation_options options{.reps = reps};
  options.integral_employees = !a.has("--real-employees");
  options.missing_employees = a.has("--missing-employees");
  options.min_employees = *a.get_double("--min-employees", -1e300, 1e300);
  const auto report = territory::validate_rules(rules.table, options);
  for (const auto& f : report.findings) {
    std::string where;
    if (!f.rules.empty()) where = " [" + rules.file + ":" + std::to_string(rules.lines[f.rules.front()]) + "]";
    std::printf("%s: %s%s\n", std::string(territory::to_string(f.kind)).c_str(), f.message.c_str(), where.c_str());
  }
  if (report.truncated) std::fprintf(stderr, "territory-cli: more findings not listed\n");
  std::fprintf(stderr, "%zu rules: %zu finding%s\n", rules.table.size(), report.findings.size(),
               report.findings.size() == 1 ? "" : "s");
  return report.ok() ? 0 : 2;
}

}  // namespace territory_cli
