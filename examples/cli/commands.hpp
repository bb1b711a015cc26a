#pragma once

// Subcommands of territory-cli. Each returns the process exit code:
// 0 success, 1 bad input or usage (thrown as usage_error/input_error/invalid_input and
// turned into one line on stderr by main), 2 a result with findings or violations.
// Each command's flags are one table (`*_spec()`, defined next to the command): its parser
// and its `--help` both come from it.

#include "args.hpp"

namespace territory_cli {

int cmd_validate(int argc, char** argv);
int cmd_route(int argc, char** argv);
int cmd_rules(int argc, char** argv);
int cmd_coverage(int argc, char** argv);
int cmd_plan(int argc, char** argv);
int cmd_score(int argc, char** argv);
int cmd_rebalance(int argc, char** argv);
int cmd_monitor(int argc, char** argv);
int cmd_scenarios(int argc, char** argv);

const command_spec& validate_spec();
const command_spec& route_spec();
const command_spec& rules_validate_spec();
const command_spec& coverage_spec();
const command_spec& plan_spec();
const command_spec& score_spec();
const command_spec& rebalance_spec();
const command_spec& monitor_spec();
const command_spec& scenarios_spec();

}  // namespace territory_cli
