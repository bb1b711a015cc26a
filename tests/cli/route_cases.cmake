# territory-cli route / rules validate / coverage contract cases (FORMAT.md).
set(RD ${CMAKE_CURRENT_SOURCE_DIR}/data)
set(ROUT ${CMAKE_CURRENT_BINARY_DIR}/route_out.csv)

territory_cli_case(route_basic 0 "routed 8 of 8 accounts"
  ARGS route --rules ${RD}/route_rules.csv --reps ${RD}/route_reps.csv --accounts ${RD}/route_accounts.csv --out ${ROUT})
territory_cli_case(route_explain 0 "routed 8 of 8 accounts"
  ARGS route --rules ${RD}/route_rules.csv --reps ${RD}/route_reps.csv --accounts ${RD}/route_accounts.csv --out ${ROUT}.explain.csv --explain)
territory_cli_case(route_unknown_owner 1 "route_rules_unknown_owner.csv:3: column 'owner': unknown_id: rule 'b' names owner 'zed'"
  ARGS route --rules ${RD}/route_rules_unknown_owner.csv --reps ${RD}/route_reps.csv --accounts ${RD}/route_accounts.csv --out ${ROUT}.fail1.csv
  OUT ${ROUT}.fail1.csv)
territory_cli_case(route_bad_employees 1 "route_accounts_bad.csv:3: column 'employees': 'many' is not a finite number"
  ARGS route --rules ${RD}/route_rules.csv --reps ${RD}/route_reps.csv --accounts ${RD}/route_accounts_bad.csv --out ${ROUT}.fail2.csv
  OUT ${ROUT}.fail2.csv)
territory_cli_case(route_bad_kind 1 "route_rules_bad_kind.csv:3: column 'kind': 'regional', expected named, industry, segment or default"
  ARGS route --rules ${RD}/route_rules_bad_kind.csv --reps ${RD}/route_reps.csv --accounts ${RD}/route_accounts.csv --out ${ROUT}.fail3.csv
  OUT ${ROUT}.fail3.csv)
territory_cli_case(route_bad_policy 1 "--policy 'fastest'"
  ARGS route --rules ${RD}/route_rules.csv --reps ${RD}/route_reps.csv --accounts ${RD}/route_accounts.csv --out ${ROUT}.fail4.csv --policy fastest
  OUT ${ROUT}.fail4.csv)
territory_cli_case(route_missing_rules 1 "missing required argument '--rules'"
  ARGS route --reps ${RD}/route_reps.csv --accounts ${RD}/route_accounts.csv --out ${ROUT}.fail5.csv)

territory_cli_case(rules_validate_clean 0 "6 rules: 0 findings"
  ARGS rules validate --rules ${RD}/route_rules.csv --reps ${RD}/route_reps.csv)
territory_cli_case(rules_validate_overlap 2 "\noverlap: rules 'west' and 'smb' [(]segment, priority 2[)] both match account region=West size_band=SMB"
  ARGS rules validate --rules ${RD}/route_rules_findings.csv --reps ${RD}/route_reps.csv)
territory_cli_case(rules_validate_gap 2 "\ngap: no rule matches account region=[(]other[)] size_band=[(]other[)] employees=50\n"
  ARGS rules validate --rules ${RD}/route_rules_findings.csv)
territory_cli_case(rules_validate_shadowed 2 "\nshadowed: rule 'west-smb' never wins"
  ARGS rules validate --rules ${RD}/route_rules_findings.csv)
territory_cli_case(rules_validate_unknown_owner 2 "^unknown_owner: rule 'west-smb' names owner 'zed'"
  ARGS rules validate --rules ${RD}/route_rules_findings.csv --reps ${RD}/route_reps.csv)
territory_cli_case(rules_validate_bad_range 1 "route_rules_bad_range.csv:2: column 'min_employees': out_of_range"
  ARGS rules validate --rules ${RD}/route_rules_bad_range.csv)
territory_cli_case(rules_validate_bad_owner 1 "route_rules_bad_owner.csv:2: column 'owner': invalid_parameter: rule 'a' names both owner 'ann' and team 'west'"
  ARGS rules validate --rules ${RD}/route_rules_bad_owner.csv)
territory_cli_case(rules_validate_bad_priority 1 "route_rules_bad_priority.csv:2: column 'priority': 'first' is not an integer priority"
  ARGS rules validate --rules ${RD}/route_rules_bad_priority.csv)
territory_cli_case(rules_validate_duplicate 1 "route_rules_dup.csv:3: column 'rule': duplicate rule id 'a' [(]first on line 2[)]"
  ARGS rules validate --rules ${RD}/route_rules_dup.csv)
territory_cli_case(rules_unknown_subcommand 1 "unknown rules subcommand 'check'"
  ARGS rules check --rules ${RD}/route_rules.csv)

set(COUT ${CMAKE_CURRENT_BINARY_DIR}/coverage_out.csv)
territory_cli_case(coverage_alerts 2 "territory west: accounts 4, contact rate 30/60/90 d 50%/75%/75%.*alert: territory east contact rate over 30 days is 0% [(]below 50%[)].*rebalance: territory west has 4 accounts [(][+]50% of the mean[)].*move: account a2 from west to north"
  ARGS coverage --accounts ${RD}/route_owned_accounts.csv --activity ${RD}/route_activity.csv --out ${COUT})
territory_cli_case(coverage_diagnosis 2 "territory east: .*diagnosis needs_support.*territory north: .*diagnosis low_potential"
  ARGS coverage --accounts ${RD}/route_owned_accounts.csv --activity ${RD}/route_activity.csv --as-of 2026-11-25)
territory_cli_case(coverage_bad_date 1 "route_activity_bad.csv:3: column 'date': '2026-11-31' is not an ISO 8601 date"
  ARGS coverage --accounts ${RD}/route_owned_accounts.csv --activity ${RD}/route_activity_bad.csv --out ${COUT}.fail.csv
  OUT ${COUT}.fail.csv)
territory_cli_case(coverage_missing_owner 1 "route_accounts.csv:1: missing required column 'owner'"
  ARGS coverage --accounts ${RD}/route_accounts.csv --activity ${RD}/route_activity.csv)
territory_cli_case(route_duplicate_rep 1 "route_reps_dup.csv:4: column 'id': duplicate_id: rep id 'ann' is used twice"
  ARGS route --rules ${RD}/route_rules.csv --reps ${RD}/route_reps_dup.csv --accounts ${RD}/route_accounts.csv --out ${ROUT}.fail6.csv
  OUT ${ROUT}.fail6.csv)
