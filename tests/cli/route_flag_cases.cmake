# Flags no other test used (issue 15, "Tests that can fail"): every case reads the output it checks.
# The expected files in data/expected/ were checked by hand against data/route_*.csv:
# - round_robin: team west (bob, cat) alternates on n4, n5; team health (dan, eve) on n1, n2;
# - least_loaded: bob already holds n3 (west-small), so n4 goes to cat, then the tie n5 to bob;
# - capacity_weighted as of 2026-11-25: cat started 2026-11-20, at 25 % of capacity in her first two
#   weeks, so both west-large accounts go to bob; owner rules (n6 -> cat) ignore the ramp;
# - as of 2026-11-01 (before cat's start date) round_robin skips cat for team accounts;
# - --explain: the other matching rules and the reason (kind order, priority, distribution).
set(RD ${CMAKE_CURRENT_SOURCE_DIR}/data)
set(EXP ${RD}/expected)
set(FO ${CMAKE_CURRENT_BINARY_DIR}/flag-out)
file(MAKE_DIRECTORY ${FO})
set(ROUTE route --rules ${RD}/route_rules.csv --reps ${RD}/route_reps.csv --accounts ${RD}/route_accounts.csv)

territory_cli_file_case(route.policy_round_robin 0 "routed 8 of 8 accounts"
  FILE ${FO}/rr.csv EXPECTED ${EXP}/route_round_robin.csv ARGS ${ROUTE} --policy round_robin --out ${FO}/rr.csv)
territory_cli_file_case(route.policy_default_is_round_robin 0 "routed 8 of 8 accounts"
  FILE ${FO}/default.csv EXPECTED ${EXP}/route_round_robin.csv ARGS ${ROUTE} --out ${FO}/default.csv)
territory_cli_file_case(route.policy_least_loaded 0 "routed 8 of 8 accounts"
  FILE ${FO}/ll.csv EXPECTED ${EXP}/route_least_loaded.csv ARGS ${ROUTE} --policy least_loaded --out ${FO}/ll.csv)
territory_cli_file_case(route.policy_capacity_weighted_ramp 0 "routed 8 of 8 accounts"
  FILE ${FO}/cw.csv EXPECTED ${EXP}/route_capacity_weighted_2026-11-25.csv
  ARGS ${ROUTE} --policy capacity_weighted --as-of 2026-11-25 --out ${FO}/cw.csv)
territory_cli_file_case(route.as_of_before_start 0 "routed 8 of 8 accounts"
  FILE ${FO}/before.csv EXPECTED ${EXP}/route_as_of_before_start.csv ARGS ${ROUTE} --as-of 2026-11-01 --out ${FO}/before.csv)
territory_cli_file_case(route.explain_read 0 "routed 8 of 8 accounts"
  FILE ${FO}/explain.csv EXPECTED ${EXP}/route_explain.csv ARGS ${ROUTE} --explain --out ${FO}/explain.csv)
territory_cli_case(route.bad_as_of 1 "--as-of '2026-02-30' is not an ISO 8601 date [(]YYYY-MM-DD[)]"
  OUT ${FO}/bad_as_of.csv PRESERVE ARGS ${ROUTE} --as-of 2026-02-30 --out ${FO}/bad_as_of.csv)

# coverage: the alert path with its --out read back, and the exit-0 path (no alert, no rebalance flag)
territory_cli_file_case(coverage.out_read 2 "alert: territory east contact rate over 30 days is 0%"
  FILE ${FO}/coverage.csv EXPECTED ${EXP}/coverage_alerts.csv
  ARGS coverage --accounts ${RD}/route_owned_accounts.csv --activity ${RD}/route_activity.csv --as-of 2026-11-25 --out ${FO}/coverage.csv)
territory_cli_file_case(coverage.clean_exit_0 0 "territory north: accounts 2, contact rate 30/60/90 d 100%/100%/100%.*diagnosis ok\nterritory south: .*diagnosis ok\n$"
  FILE ${FO}/coverage_clean.csv EXPECTED ${EXP}/coverage_balanced.csv
  ARGS coverage --accounts ${RD}/route_owned_balanced_accounts.csv --activity ${RD}/route_activity_balanced.csv
       --potential value --tolerance 0.1 --out ${FO}/coverage_clean.csv)
# potentials 200 and 210 are 2.4 % off their mean: inside --tolerance 0.1, outside 0.01
territory_cli_case(coverage.tolerance_flags 2 "rebalance: territory north has 2 accounts [(][+]0% of the mean[)] and potential 200 [(]-2% of the mean[)]"
  ARGS coverage --accounts ${RD}/route_owned_balanced_accounts.csv --activity ${RD}/route_activity_balanced.csv
       --potential value --tolerance 0.01)
territory_cli_case(coverage.potential_missing_column 1 "route_owned_balanced_accounts.csv:1: missing required column 'revenue'"
  OUT ${FO}/coverage_missing.csv PRESERVE
  ARGS coverage --accounts ${RD}/route_owned_balanced_accounts.csv --activity ${RD}/route_activity_balanced.csv
       --potential revenue --out ${FO}/coverage_missing.csv)
territory_cli_case(coverage.bad_tolerance 1 "'--tolerance' must be a finite number in \\[0, 10\\], got '-0.5'"
  ARGS coverage --accounts ${RD}/route_owned_accounts.csv --activity ${RD}/route_activity.csv --tolerance -0.5)

# rules validate: employee-count options change the accounts the findings are shown with
set(FINDINGS rules validate --rules ${RD}/route_rules_findings.csv)
territory_cli_case(rules.real_employees 2 "\ngap: no rule matches account region=[(]other[)] size_band=[(]other[)] employees=74[.]5\n"
  ARGS ${FINDINGS} --real-employees)
territory_cli_case(rules.missing_employees 2 "\ngap: no rule matches account region=[(]other[)] size_band=[(]other[)] employees=[(]missing[)]\n.*5 rules: 4 findings"
  ARGS ${FINDINGS} --missing-employees)
territory_cli_case(rules.min_employees 2 "shadowed: rule 'small' matches no account: e[.]g[.] account employees=60 lies outside the possible employee counts.*5 rules: 4 findings"
  ARGS ${FINDINGS} --min-employees 60)
territory_cli_case(rules.min_employees_example 2 "^overlap: rules 'west' and 'smb' [(]segment, priority 2[)] both match account region=West size_band=SMB employees=10 "
  ARGS ${FINDINGS} --min-employees 10)
territory_cli_case(rules.min_employees_bad 1 "'--min-employees' must be a finite number"
  ARGS ${FINDINGS} --min-employees many)

# help and version
territory_cli_case(help 0 "^usage: territory-cli <command> [[]options[]]\n\ncommands:\n  plan --accounts .*\n  validate --accounts .*\n  rules validate --rules .*\n  route --rules .*\n  coverage --accounts .*\n  help [[]COMMAND[]]\n  version\n"
  ARGS help)
territory_cli_case(help_flag 0 "^usage: territory-cli <command>" ARGS --help)
territory_cli_case(version 0 "^territory-cli ${PROJECT_VERSION}\n$" ARGS version)
territory_cli_case(version_flag 0 "^territory-cli ${PROJECT_VERSION}\n$" ARGS --version)
