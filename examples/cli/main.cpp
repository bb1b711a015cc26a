// territory-cli: the command-line front end of the territory library on the CSV exchange
// format (FORMAT.md). Exit codes: 0 success, 1 bad input or usage (one line on stderr),
// 2 a result with violations or findings.

#include <cstdio>
#include <exception>
#include <string_view>

#include <territory/core/error.hpp>
#include <territory/version.hpp>

#include "args.hpp"
#include "commands.hpp"
#include "csv.hpp"

namespace {

constexpr const char* usage_text =
    "usage: territory-cli <command> [options]\n"
    "commands:\n"
    "  validate --accounts FILE [--adjacency FILE] [--reps FILE] [--territories P]\n"
    "  route --rules FILE --reps FILE --accounts FILE --out ASSIGNMENT.csv [--explain]\n"
    "        [--policy round_robin|least_loaded|capacity_weighted] [--as-of YYYY-MM-DD]\n"
    "  rules validate --rules FILE [--reps FILE] [--real-employees] [--min-employees N]\n"
    "                 [--missing-employees]\n"
    "  coverage --accounts FILE --activity FILE [--as-of YYYY-MM-DD] [--potential COLUMN]\n"
    "           [--tolerance T] [--out REPORT.csv]\n"
    "  plan --accounts FILE [--adjacency FILE] [--reps FILE] --territories P\n"
    "       [--balance COL[,COL...]] [--tolerance T | COL=T[,COL=T...]] [--seed N]\n"
    "       [--time-limit SECONDS] [--threads N] --out ASSIGNMENT.csv [--report REPORT.json] [--svg MAP.svg]\n"
    "       [--html REPORT.html] [--boundaries SHAPES.geojson] [--states STATES.geojson] [--quiet]\n"
    "  version\n";

}  // namespace

int main(int argc, char** argv) {
  using namespace territory_cli;
  if (argc < 2) {
    std::fputs("territory-cli: missing command (try: territory-cli help)\n", stderr);
    return 1;
  }
  const std::string_view command = argv[1];
  try {
    if (command == "validate") return cmd_validate(argc, argv);
    if (command == "route") return cmd_route(argc, argv);
    if (command == "rules") return cmd_rules(argc, argv);
    if (command == "coverage") return cmd_coverage(argc, argv);
    if (command == "plan") return cmd_plan(argc, argv);
    if (command == "version" || command == "--version") {
      std::printf("territory-cli %d.%d.%d\n", TERRITORY_VERSION_MAJOR, TERRITORY_VERSION_MINOR, TERRITORY_VERSION_PATCH);
      return 0;
    }
    if (command == "help" || command == "--help" || command == "-h") {
      std::fputs(usage_text, stdout);
      return 0;
    }
    throw usage_error("unknown command '" + std::string(command) + "' (try: territory-cli help)");
  } catch (const usage_error& e) {  // quoted ids and cells are abbreviated: a 10 kB id stays one readable line
    std::fprintf(stderr, "territory-cli: %s\n", abbreviate_quoted(e.what()).c_str());
  } catch (const input_error& e) {
    std::fprintf(stderr, "territory-cli: %s\n", abbreviate_quoted(e.what()).c_str());
  } catch (const territory::invalid_input& e) {
    std::fprintf(stderr, "territory-cli: %s\n", abbreviate_quoted(e.what()).c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "territory-cli: error: %s\n", abbreviate_quoted(e.what()).c_str());
  }
  return 1;
}
