# territory-cli plan: the contract of FORMAT.md (flags, exit codes 0/1/2, report fields).
# Outputs go to the build tree; every exit-1 case checks that its output was not created.
set(PO ${CMAKE_CURRENT_BINARY_DIR}/plan-out)
file(MAKE_DIRECTORY ${PO})
set(GA ${D}/plan_grid_accounts.csv)
set(GJ ${D}/plan_grid_adjacency.csv)

# Like territory_cli_case, with plan_case.cmake's file and report checks.
function(territory_plan_case name expect_rc regex)
  cmake_parse_arguments(ARG "RERUN_SAME" "OUT;FILE;FILE_REGEX;LINES;REPORT;REPORT_FEASIBLE;NOT_REGEX" "ARGS;REPORT_COLUMNS" ${ARGN})
  set(extra "")
  if(DEFINED ARG_REPORT_FEASIBLE)
    list(APPEND extra -DREPORT_FEASIBLE=${ARG_REPORT_FEASIBLE})
  endif()
  add_test(NAME cli.plan.${name}
    COMMAND ${CMAKE_COMMAND}
      -DCLI=$<TARGET_FILE:territory-cli>
      "-DARGS=${ARG_ARGS}"
      -DEXPECT_RC=${expect_rc}
      "-DREGEX=${regex}"
      -DOUT=${ARG_OUT}
      -DFILE=${ARG_FILE}
      "-DFILE_REGEX=${ARG_FILE_REGEX}"
      -DLINES=${ARG_LINES}
      -DREPORT=${ARG_REPORT}
      "-DREPORT_COLUMNS=${ARG_REPORT_COLUMNS}"
      -DRERUN_SAME=${ARG_RERUN_SAME}
      "-DNOT_REGEX=${ARG_NOT_REGEX}"
      ${extra}
      -DWORKDIR=${CMAKE_CURRENT_SOURCE_DIR}/data
      -P ${CMAKE_CURRENT_SOURCE_DIR}/plan_case.cmake)
  set_tests_properties(cli.plan.${name} PROPERTIES LABELS "cli;plan")
endfunction()

# ---- exit 1: usage and input errors, one line naming the flag, file, line or column; no output
territory_plan_case(missing_territories 1 "missing required argument '--territories'"
  OUT ${PO}/e1.csv ARGS plan --accounts ${GA} --out ${PO}/e1.csv)
territory_plan_case(missing_out 1 "missing required argument '--out'"
  ARGS plan --accounts ${GA} --territories 2)
territory_plan_case(p_zero 1 "'--territories' must be an integer in \\[1, [0-9]+\\], got '0'"
  OUT ${PO}/e2.csv ARGS plan --accounts ${GA} --territories 0 --out ${PO}/e2.csv)
territory_plan_case(p_not_a_number 1 "'--territories' must be an integer"
  OUT ${PO}/e3.csv ARGS plan --accounts ${GA} --territories five --out ${PO}/e3.csv)
territory_plan_case(p_above_n 1 "plan_grid_accounts.csv: out_of_range: territories = 37, expected between 1 and the number of accounts [(]36[)]"
  OUT ${PO}/e4.csv ARGS plan --accounts ${GA} --territories 37 --out ${PO}/e4.csv)
territory_plan_case(unknown_balance_column 1 "plan_grid_accounts.csv:1: --balance column 'profit' not found [(]numeric columns: revenue, workload[)]"
  OUT ${PO}/e5.csv ARGS plan --accounts ${GA} --territories 2 --balance revenue,profit --out ${PO}/e5.csv)
territory_plan_case(text_balance_column 1 "--balance column 'name' is not numeric"
  OUT ${PO}/e6.csv ARGS plan --accounts ${GA} --territories 2 --balance name --out ${PO}/e6.csv)
territory_plan_case(malformed_tolerance 1 "'--tolerance' value 'five' is not a number in \\[0, 1\\)"
  OUT ${PO}/e7.csv ARGS plan --accounts ${GA} --territories 2 --tolerance five --out ${PO}/e7.csv)
territory_plan_case(tolerance_out_of_range 1 "'--tolerance' value '1.5' is not a number in \\[0, 1\\)"
  OUT ${PO}/e8.csv ARGS plan --accounts ${GA} --territories 2 --tolerance 1.5 --out ${PO}/e8.csv)
territory_plan_case(tolerance_unknown_column 1 "'--tolerance' names column 'profit', which is not balanced [(]balanced: revenue[)]"
  OUT ${PO}/e9.csv ARGS plan --accounts ${GA} --territories 2 --balance revenue --tolerance revenue=0.1,profit=0.1 --out ${PO}/e9.csv)
territory_plan_case(tolerance_bad_pair 1 "'--tolerance' for 'revenue': 'x' is not a number"
  OUT ${PO}/e10.csv ARGS plan --accounts ${GA} --territories 2 --tolerance revenue=x --out ${PO}/e10.csv)
territory_plan_case(unknown_adjacency_id 1 "plan_bad_adjacency.csv:3: column 'b': unknown account id 'zz'"
  OUT ${PO}/e11.csv ARGS plan --accounts ${GA} --adjacency ${D}/plan_bad_adjacency.csv --territories 2 --out ${PO}/e11.csv)
territory_plan_case(out_dir_missing 1 "output directory '.*no_such_dir' of '.*' does not exist"
  OUT ${PO}/no_such_dir/a.csv ARGS plan --accounts ${GA} --territories 2 --out ${PO}/no_such_dir/a.csv)
territory_plan_case(report_dir_missing 1 "output directory '.*no_such_dir' .*does not exist"
  OUT ${PO}/e12.csv ARGS plan --accounts ${GA} --territories 2 --out ${PO}/e12.csv --report ${PO}/no_such_dir/r.json)
territory_plan_case(out_overwrites_input 1 "'--out .*plan_grid_accounts.csv' names the same file as '--accounts' [(]an input would be overwritten[)]"
  ARGS plan --accounts ${GA} --territories 2 --out ${GA})
territory_plan_case(report_same_as_out 1 "'--report .*e15.csv' names the same file as '--out'"
  OUT ${PO}/e15.csv ARGS plan --accounts ${GA} --territories 2 --out ${PO}/e15.csv --report ${PO}/e15.csv)
territory_plan_case(negative_activity 1 "bad_negative.csv:3: column 'revenue': negative_value"
  OUT ${PO}/e13.csv ARGS plan --accounts ${D}/bad_negative.csv --territories 1 --out ${PO}/e13.csv)
territory_plan_case(duplicate_id 1 "bad_duplicate.csv:4: duplicate_id: account id 'a' at row 2 repeats row 0"
  OUT ${PO}/e16.csv ARGS plan --accounts ${D}/bad_duplicate.csv --territories 1 --out ${PO}/e16.csv)
territory_plan_case(nan_activity 1 "bad_nan.csv:2: column 'revenue': non_finite"
  OUT ${PO}/e17.csv ARGS plan --accounts ${D}/bad_nan.csv --territories 1 --out ${PO}/e17.csv)
territory_plan_case(bad_number 1 "bad_number.csv:3: column 'revenue': 'lots' is not a number"
  OUT ${PO}/e18.csv ARGS plan --accounts ${D}/bad_number.csv --territories 1 --out ${PO}/e18.csv)
territory_plan_case(bad_reps 1 "bad_reps.csv:3: column 'start_date': '2026-13-01' is not an ISO 8601 date"
  OUT ${PO}/e19.csv ARGS plan --accounts ${D}/good_accounts.csv --reps ${D}/bad_reps.csv --territories 2 --out ${PO}/e19.csv)
territory_plan_case(bad_threads 1 "'--threads' must be an integer in \\[1, 1024\\], got '0'"
  OUT ${PO}/e20.csv ARGS plan --accounts ${GA} --territories 2 --threads 0 --out ${PO}/e20.csv)
territory_plan_case(bad_seed 1 "'--seed' must be an integer"
  OUT ${PO}/e21.csv ARGS plan --accounts ${GA} --territories 2 --seed -3 --out ${PO}/e21.csv)
territory_plan_case(bad_time_limit 1 "'--time-limit' must be > 0 seconds"
  OUT ${PO}/e22.csv ARGS plan --accounts ${GA} --territories 2 --time-limit 0 --out ${PO}/e22.csv)
territory_plan_case(unknown_flag 1 "unknown argument '--colour'"
  OUT ${PO}/e14.csv ARGS plan --accounts ${GA} --territories 2 --out ${PO}/e14.csv --colour red)

# ---- exit 0: a small feasible instance; assignment in input order, ids 1..p; report fields
territory_plan_case(grid_feasible 0 "plan: 2 territories over 36 accounts, feasible"
  ARGS plan --accounts ${GA} --adjacency ${GJ} --territories 2 --tolerance 0.1 --seed 7 --time-limit 5
       --out ${PO}/grid.csv --report ${PO}/grid.json --svg ${PO}/grid.svg
  FILE ${PO}/grid.csv FILE_REGEX "^id,territory\ng0_0,[12]\ng0_1,[12]\n" LINES 37
  REPORT ${PO}/grid.json REPORT_FEASIBLE true REPORT_COLUMNS revenue workload RERUN_SAME)
territory_plan_case(grid_two_threads_deterministic 0 "plan: 3 territories over 36 accounts, feasible"
  ARGS plan --accounts ${GA} --adjacency ${GJ} --territories 3 --tolerance 0.1 --seed 11 --threads 2 --time-limit 5
       --out ${PO}/grid_t2.csv
  FILE ${PO}/grid_t2.csv LINES 37 RERUN_SAME)
territory_plan_case(grid_svg 0 "feasible"
  ARGS plan --accounts ${GA} --adjacency ${GJ} --territories 2 --tolerance 0.1 --seed 7 --time-limit 5
       --out ${PO}/grid2.csv --svg ${PO}/grid2.svg
  FILE ${PO}/grid2.svg FILE_REGEX "^<[?]xml.*<svg .*<circle .*</svg>")
territory_plan_case(grid_per_column_tolerance 0 "feasible"
  ARGS plan --accounts ${GA} --adjacency ${GJ} --territories 2 --balance revenue,workload
       --tolerance revenue=0.1,workload=0.2 --time-limit 5 --out ${PO}/grid3.csv --report ${PO}/grid3.json
  FILE ${PO}/grid3.json FILE_REGEX "\"tolerance\": {\"revenue\": 0.1, \"workload\": 0.2}")
territory_plan_case(grid_no_graph 0 "plan: 3 territories over 36 accounts, feasible"
  ARGS plan --accounts ${GA} --territories 3 --balance revenue --tolerance 0.1 --time-limit 5
       --out ${PO}/grid4.csv --report ${PO}/grid4.json
  REPORT ${PO}/grid4.json REPORT_FEASIBLE true REPORT_COLUMNS revenue)

# ---- --compactness: diameter (default) or center; the report names the measure
territory_plan_case(compactness_unknown 1 "'--compactness' must be 'diameter' or 'center', got 'round'"
  OUT ${PO}/e15.csv ARGS plan --accounts ${GA} --territories 2 --compactness round --out ${PO}/e15.csv)
territory_plan_case(grid_compactness_center 0 "plan: 3 territories over 36 accounts, feasible"
  ARGS plan --accounts ${GA} --adjacency ${GJ} --territories 3 --tolerance 0.1 --seed 7 --time-limit 5
       --compactness center --out ${PO}/grid_c.csv --report ${PO}/grid_c.json
  REPORT ${PO}/grid_c.json REPORT_FEASIBLE true REPORT_COLUMNS revenue workload
  FILE ${PO}/grid_c.json FILE_REGEX "\"compactness\": \"center_distance\",")
territory_plan_case(grid_compactness_center_deterministic 0 "plan: 3 territories over 36 accounts, feasible"
  ARGS plan --accounts ${GA} --adjacency ${GJ} --territories 3 --tolerance 0.1 --seed 7 --threads 2 --time-limit 5
       --compactness center --out ${PO}/grid_c2.csv
  FILE ${PO}/grid_c2.csv LINES 37 RERUN_SAME)
territory_plan_case(grid_compactness_default 0 "plan: 3 territories over 36 accounts, feasible"
  ARGS plan --accounts ${GA} --adjacency ${GJ} --territories 3 --tolerance 0.1 --seed 7 --time-limit 5
       --out ${PO}/grid_d.csv --report ${PO}/grid_d.json
  FILE ${PO}/grid_d.json FILE_REGEX "\"compactness\": \"max_diameter\",")

# ---- exit 2: an impossible tolerance, said before searching and listed with amounts
territory_plan_case(outlier_impossible 2 "precheck: account 'o5' [(]Site 5[)] alone holds 3[.]60x the mean revenue [(]allowed 1[.]05x[)].*violation: territory [1-4]: revenue"
  ARGS plan --accounts ${D}/plan_outlier_accounts.csv --territories 4 --time-limit 2
       --out ${PO}/outlier.csv --report ${PO}/outlier.json
  REPORT ${PO}/outlier.json REPORT_FEASIBLE false REPORT_COLUMNS revenue
  FILE ${PO}/outlier.json FILE_REGEX "\"precheck\": \\[\n    {\"kind\": \"balance\", \"territory\": null, \"subject\": \"revenue\", \"amount\": [0-9.e-]+, \"reason\": \"account 'o5' [(]Site 5[)] alone holds")

# ---- a graph of two components (16 and 24 accounts of equal revenue)
set(IA ${D}/plan_islands_accounts.csv)
set(IJ ${D}/plan_islands_adjacency.csv)
territory_plan_case(islands_p5 0 "plan: 5 territories over 40 accounts, feasible.* 2 graph components"
  ARGS plan --accounts ${IA} --adjacency ${IJ} --territories 5 --time-limit 5 --out ${PO}/isl5.csv --report ${PO}/isl5.json
  FILE ${PO}/isl5.json FILE_REGEX "\"graph_components\": 2,")
territory_plan_case(islands_p4 2 "precheck: graph component 0 [(]16 accounts, containing account 'i0_0_0'[)] holds 1[.]60 mean territories of revenue.*no plan can meet every constraint.*violation: territory [1-4]: revenue 20[.]0 % "
  ARGS plan --accounts ${IA} --adjacency ${IJ} --territories 4 --time-limit 5 --out ${PO}/isl4.csv --report ${PO}/isl4.json
  REPORT ${PO}/isl4.json REPORT_FEASIBLE false REPORT_COLUMNS revenue)
territory_plan_case(islands_p1 2 "plan: 1 territory over 40 accounts, NOT feasible.*precheck: the graph has 2 connected components but only 1 territories.*violation: territory 1: 2 disconnected pieces"
  ARGS plan --accounts ${IA} --adjacency ${IJ} --territories 1 --time-limit 5 --out ${PO}/isl1.csv --report ${PO}/isl1.json
  REPORT ${PO}/isl1.json REPORT_FEASIBLE false)

# ---- an island account that would need two territories (issue 10 §4.1: exit 139 before the fix):
# a path of 30 accounts of 10 and an isolated account of 66.7, p = 11, tau = 0.05
territory_plan_case(island_account_p11 2 "plan: 11 territories over 31 accounts, NOT feasible.*precheck: account 'hawaii' alone holds 2[.]00x the mean revenue [(]allowed 1[.]05x[)]"
  ARGS plan --accounts ${D}/plan_island_account_accounts.csv --adjacency ${D}/plan_island_account_adjacency.csv
       --territories 11 --tolerance 0.05 --time-limit 5 --out ${PO}/island_account.csv --report ${PO}/island_account.json
  REPORT ${PO}/island_account.json REPORT_FEASIBLE false REPORT_COLUMNS revenue)

# ---- the shipped data
territory_plan_case(iowa_p5 0 "plan: 5 territories over 99 accounts, feasible"
  ARGS plan --accounts ${SHIPPED}/iowa_counties/accounts.csv --adjacency ${SHIPPED}/iowa_counties/adjacency.csv
       --territories 5 --balance population --tolerance 0.05 --time-limit 10
       --out ${PO}/iowa.csv --report ${PO}/iowa.json
  FILE ${PO}/iowa.csv LINES 100 REPORT ${PO}/iowa.json REPORT_FEASIBLE true REPORT_COLUMNS population)

# US counties (lower 48): the issue's "done when" figures
set(US --accounts ${SHIPPED}/us_counties_lower48/accounts.csv --adjacency ${SHIPPED}/us_counties_lower48/adjacency.csv)
territory_plan_case(us_p20_population 0 "plan: 20 territories over 3109 accounts, feasible"
  ARGS plan ${US} --territories 20 --balance population --tolerance 0.05 --time-limit 10
       --out ${PO}/us20.csv --report ${PO}/us20.json --svg ${PO}/us20.svg
  FILE ${PO}/us20.csv LINES 3110 REPORT ${PO}/us20.json REPORT_FEASIBLE true REPORT_COLUMNS population)
# feasibility comes after ~5 s on one thread; 30 s leaves room on a loaded machine
territory_plan_case(us_p20_population_housing_6pct 0 "plan: 20 territories over 3109 accounts, feasible"
  ARGS plan ${US} --territories 20 --balance population,housing_units --tolerance 0.06 --time-limit 30
       --out ${PO}/us20b.csv --report ${PO}/us20b.json
  REPORT ${PO}/us20b.json REPORT_FEASIBLE true REPORT_COLUMNS population housing_units)
territory_plan_case(us_p50_precheck 2 "precheck: account '06037' [(]Los Angeles County[)] alone holds 1[.]60x the mean population [(]allowed 1[.]05x[)]"
  ARGS plan ${US} --territories 50 --balance population --tolerance 0.05 --time-limit 5
       --out ${PO}/us50.csv --report ${PO}/us50.json
  REPORT ${PO}/us50.json REPORT_FEASIBLE false REPORT_COLUMNS population)
set_tests_properties(cli.plan.us_p20_population cli.plan.us_p20_population_housing_6pct cli.plan.us_p50_precheck
  PROPERTIES LABELS "cli;plan;shipped" TIMEOUT 120)
