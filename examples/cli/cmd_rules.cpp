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

int cmd_rules(int argc, char** argv) {
  if (argc < 3) throw usage_error("missing rules subcommand (expected: rules validate --rules FILE [--reps FILE])");
  const std::string sub = argv[2];
  if (sub != "validate") throw usage_error("unknown rules subcommand '" + sub + "' (expected: validate)");
  const args a(argc, argv, 3, {"--rules", "--reps", "--min-employees"}, {"--real-employees", "--missing-employees"});
  const auto rules = load_rules(a.require("--rules"));
  std::vector<territory::rep> reps;
  if (auto f = a.get("--reps")) reps = load_reps(*f);
  territory::rule_validation_options options{.reps = reps};
  options.integral_employees = !a.has("--real-employees");
  options.missing_employees = a.has("--missing-employees");
  if (auto m = a.get_double("--min-employees", -1e300, 1e300)) options.min_employees = *m;
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
