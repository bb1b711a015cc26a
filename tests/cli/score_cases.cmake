# territory-cli score: the weighted composite score and the A-D tiers written back as the
# accounts with `score` and `tier` columns (docs/cli.md). Exit 0 / 1; on exit 1 one line naming
# the flag or the file, line and column, and no output file created or touched.
set(SO ${CMAKE_CURRENT_BINARY_DIR}/score-out)
file(MAKE_DIRECTORY ${SO})

# every column and row kept in order, values byte for byte (quotes, commas, a line break and
# spaces inside fields); the existing tier column replaced in place, score appended; CRLF -> LF
territory_cli_file_case(score.quoted_round_trip 0 "score: 5 accounts, tiers A 1, B 1, C 1, D 2; revenue_potential=0.4, strategic_value=0.25, complexity=0.2, growth=0.15, min_max"
  FILE ${SO}/quoted.csv EXPECTED ${D}/expected/score_quoted.csv
  ARGS score --accounts ${D}/score_quoted_accounts.csv --out ${SO}/quoted.csv --tier-quantiles 0.2,0.4,0.6)
# an existing score column is replaced, not duplicated (a second run over its own output is stable)
territory_plan_case(score.replaces_score 0 "score: 2 accounts"
  OUT ${SO}/has.csv FILE ${SO}/has.csv LINES 3
  FILE_REGEX "^id,revenue_potential,strategic_value,complexity,growth,score,tier\na1,100,1,1,1,0.0000,D\na2,200,2,2,2,100.0000,A\n$"
  ARGS score --accounts ${D}/score_has_score.csv --out ${SO}/has.csv --tier-quantiles 0.5,0.5,0.5)
# the library's example policy (examples/score_accounts.cpp): same scores for the accounts it does not name
territory_plan_case(score.example_policy 0 "2 missing values imputed"
  OUT ${SO}/ex.csv FILE ${SO}/ex.csv FILE_REGEX "A001,Acme Inc,acme.com,enterprise,950000,80,60,12,66.3502,B\n.*A008,Wayne Enterprises,[^\n]*,85.2000,A\n"
  ARGS score --accounts ${PROJECT_SOURCE_DIR}/examples/data/score_accounts.csv --out ${SO}/ex.csv --missing impute
       --tier-quantiles 0.2,0.5,0.8)
# one criterion fed by another column: tiers by population rank
territory_plan_case(score.columns_and_thresholds 0 "score: 36 accounts, tiers A [0-9]+, B [0-9]+, C [0-9]+, D [0-9]+; revenue_potential=1 [(]revenue[)], percentile_rank"
  OUT ${SO}/grid.csv FILE ${SO}/grid.csv FILE_REGEX "^id,name,x,y,revenue,workload,score,tier\ng0_0,\"Cell 0,0\",0,0,100,1,[0-9.]+,[ABCD]\n"
  ARGS score --accounts ${GA} --out ${SO}/grid.csv --weights revenue_potential=1 --columns revenue_potential=revenue
       --normalizer percentile_rank --tier-thresholds 90,70,40)
territory_plan_case(score.missing_zero 0 "1 missing values scored as 0"
  OUT ${SO}/mz.csv FILE ${SO}/mz.csv FILE_REGEX "a2,,2,2,2,[0-9.]+,[ABCD]\n"
  ARGS score --accounts ${D}/score_missing_accounts.csv --out ${SO}/mz.csv --missing zero)

# score, then plan with a minimum of A accounts per territory read from the tier column
add_test(NAME cli.score.for_plan COMMAND $<TARGET_FILE:territory-cli> score --accounts ${GA} --out ${SO}/for_plan.csv
  --weights revenue_potential=1 --columns revenue_potential=revenue --tier-quantiles 0.25,0.5,0.75)
# (equal revenues share a tier: 14 A accounts for a 25 % share of 36)
set_tests_properties(cli.score.for_plan PROPERTIES LABELS "cli" FIXTURES_SETUP score_for_plan
  PASS_REGULAR_EXPRESSION "score: 36 accounts, tiers A 14, B 7, C 7, D 8")
territory_plan_case(score.then_min_count 0 "feasible"
  OUT ${SO}/plan.csv FILE ${SO}/plan.json FILE_REGEX "\"name\": \"min_count tier=A\", \"kind\": \"min_tier\", \"holds\": true"
  ARGS plan --accounts ${SO}/for_plan.csv --adjacency ${GJ} --territories 3 --balance revenue --tolerance 0.1
       --min-count tier=A:3 --out ${SO}/plan.csv --report ${SO}/plan.json)
set_tests_properties(cli.plan.score.then_min_count PROPERTIES FIXTURES_REQUIRED score_for_plan)

# ---- exit 1: the flag, or the file, line and column named; no output file (an existing one untouched)
territory_cli_case(score.missing_value 1 "score_missing_accounts.csv:3: column 'revenue_potential': empty value of criterion 'revenue_potential' [(]--missing reject"
  OUT ${SO}/e1.csv PRESERVE ARGS score --accounts ${D}/score_missing_accounts.csv --out ${SO}/e1.csv)
territory_cli_case(score.not_a_number 1 "score_bad_number.csv:3: column 'revenue_potential': 'lots' is not a finite number [(]criterion 'revenue_potential'[)]"
  OUT ${SO}/e2.csv PRESERVE ARGS score --accounts ${D}/score_bad_number.csv --out ${SO}/e2.csv)
territory_cli_case(score.missing_column 1 "plan_grid_accounts.csv:1: missing column 'revenue_potential' of criterion 'revenue_potential' [(]name another with --columns revenue_potential=COLUMN"
  OUT ${SO}/e3.csv ARGS score --accounts ${GA} --out ${SO}/e3.csv)
territory_cli_case(score.weights_sum 1 "'--weights' sum to 0.9, expected 1"
  OUT ${SO}/e4.csv ARGS score --accounts ${GA} --out ${SO}/e4.csv --weights revenue_potential=0.5,growth=0.4)
territory_cli_case(score.weights_negative 1 "'--weights': weight of 'growth' is '-0.1', expected a finite number >= 0"
  OUT ${SO}/e5.csv ARGS score --accounts ${GA} --out ${SO}/e5.csv --weights revenue_potential=1.1,growth=-0.1)
territory_cli_case(score.weights_malformed 1 "'--weights' expects CRITERION=W"
  OUT ${SO}/e6.csv ARGS score --accounts ${GA} --out ${SO}/e6.csv --weights revenue_potential)
territory_cli_case(score.columns_unknown_criterion 1 "'--columns' names criterion 'growth', which has no weight above 0"
  OUT ${SO}/e7.csv ARGS score --accounts ${GA} --out ${SO}/e7.csv --weights revenue_potential=1 --columns growth=revenue)
territory_cli_case(score.text_column 1 "plan_grid_accounts.csv:2: column 'name': 'Cell 0,0' is not a finite number"
  OUT ${SO}/e8.csv ARGS score --accounts ${GA} --out ${SO}/e8.csv --weights revenue_potential=1 --columns revenue_potential=name)
territory_cli_case(score.identity_out_of_range 1 "plan_grid_accounts.csv:2: column 'revenue': .*is 100.000000, expected 0-100|plan_grid_accounts.csv:[0-9]+: column 'revenue': .*expected 0-100"
  OUT ${SO}/e9.csv ARGS score --accounts ${GA} --out ${SO}/e9.csv --weights revenue_potential=1
       --columns revenue_potential=revenue --normalizer identity)
territory_cli_case(score.tiers_both 1 "give one of '--tier-quantiles' and '--tier-thresholds'"
  OUT ${SO}/e10.csv ARGS score --accounts ${GA} --out ${SO}/e10.csv --tier-quantiles 0.1,0.2,0.3 --tier-thresholds 3,2,1)
territory_cli_case(score.quantiles_order 1 "'--tier-quantiles' must satisfy 0 <= A <= B <= C <= 1, got '0.5,0.2,0.9'"
  OUT ${SO}/e11.csv ARGS score --accounts ${GA} --out ${SO}/e11.csv --tier-quantiles 0.5,0.2,0.9)
territory_cli_case(score.out_is_input 1 "'--out .*' names the same file as '--accounts' [(]an input would be overwritten[)]"
  ARGS score --accounts ${D}/score_missing_accounts.csv --out ${D}/score_missing_accounts.csv)
territory_cli_case(score.bad_missing 1 "'--missing' must be reject, impute or zero, got 'drop'"
  OUT ${SO}/e12.csv ARGS score --accounts ${GA} --out ${SO}/e12.csv --missing drop)
