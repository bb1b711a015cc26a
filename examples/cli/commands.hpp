#pragma once

// Subcommands of territory-cli. Each returns the process exit code:
// 0 success, 1 bad input or usage (thrown as usage_error/input_error/invalid_input and
// turned into one line on stderr by main), 2 a result with findings or violations.

namespace territory_cli {

int cmd_validate(int argc, char** argv);
int cmd_route(int argc, char** argv);
int cmd_rules(int argc, char** argv);
int cmd_coverage(int argc, char** argv);
int cmd_plan(int argc, char** argv);

}  // namespace territory_cli
