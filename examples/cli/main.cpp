// territory-cli: the command-line front end of the territory library on the CSV exchange
// format (FORMAT.md). Exit codes: 0 success, 1 bad input or usage (one line on stderr),
// 2 a result with violations or findings. `help` and every command's `--help` are generated
// from the commands' flag tables (commands.hpp), the same tables that parse the flags.

#include <cstdio>
#include <exception>
#include <string>
#include <string_view>

#include <territory/core/error.hpp>
#include <territory/version.hpp>

#include "args.hpp"
#include "commands.hpp"
#include "csv.hpp"

namespace {

using namespace territory_cli;

/// Every command: the word that selects it, its handler and its flag table.
struct command {
  std::string_view word;
  int (*run)(int, char**);
  const command_spec& (*spec)();
};

constexpr command commands[] = {
    {"plan", cmd_plan, plan_spec},
    {"rebalance", cmd_rebalance, rebalance_spec},
    {"scenarios", cmd_scenarios, scenarios_spec},
    {"monitor", cmd_monitor, monitor_spec},
    {"validate", cmd_validate, validate_spec},
    {"rules", cmd_rules, rules_validate_spec},
    {"route", cmd_route, route_spec},
    {"coverage", cmd_coverage, coverage_spec},
    {"score", cmd_score, score_spec},
};

std::string usage_text() {
  std::string out = "usage: territory-cli <command> [options]\n\ncommands:\n";
  for (const auto& c : commands) out += "  " + c.spec().synopsis(2) + "\n";
  out += "  help [COMMAND]\n  version\n\n";
  out += "Run 'territory-cli COMMAND --help' (or -h) for what each option does and its default.\n"
         "Exit status: 0 success; 2 a result with violations or findings; 1 bad input or usage (one line on stderr).\n";
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs("territory-cli: missing command (try: territory-cli help)\n", stderr);
    return 1;
  }
  const std::string_view word = argv[1];
  try {
    for (const auto& c : commands) {
      if (word == c.word) return c.run(argc, argv);
    }
    if (word == "version" || word == "--version") {
      std::printf("territory-cli %d.%d.%d\n", TERRITORY_VERSION_MAJOR, TERRITORY_VERSION_MINOR, TERRITORY_VERSION_PATCH);
      return 0;
    }
    if (word == "help" || word == "--help" || word == "-h") {
      if (argc > 2) {  // help COMMAND = COMMAND --help
        const std::string_view topic = argv[2];
        for (const auto& c : commands) {
          if (topic == c.word) throw help_requested(c.spec().help());
        }
        throw usage_error("unknown command '" + std::string(topic) + "' (try: territory-cli help)");
      }
      std::fputs(usage_text().c_str(), stdout);
      return 0;
    }
    throw usage_error("unknown command '" + std::string(word) + "' (try: territory-cli help)");
  } catch (const help_requested& h) {
    std::fputs(h.text().c_str(), stdout);
    return 0;
  } catch (const usage_error& e) {  // quoted ids and cells are abbreviated: a 10 kB id stays one readable line
    std::fprintf(stderr, "territory-cli: %s\n", one_line(abbreviate_quoted(e.what())).c_str());
  } catch (const input_error& e) {
    std::fprintf(stderr, "territory-cli: %s\n", one_line(abbreviate_quoted(e.what())).c_str());
  } catch (const territory::invalid_input& e) {
    std::fprintf(stderr, "territory-cli: %s\n", one_line(abbreviate_quoted(e.what())).c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "territory-cli: error: %s\n", one_line(abbreviate_quoted(e.what())).c_str());
  }
  return 1;
}
