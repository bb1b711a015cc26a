# territory-cli monitor: the contract of FORMAT.md (current plan = owner column; one alert per line;
# exit 0 no alert, 2 alerts, 1 bad input with one line on stderr and no report written) and the
# thresholds of docs/monitor.md: at the threshold no alert, just over it an alert. Named after
# rebalance_cases.cmake so that territory_plan_case (plan_cases.cmake) is defined when it is included.
# monitor_accounts.csv: 4 owners of 4 accounts each, revenue sums 125/100/100/75 (mean 100: exactly ±25 %).
set(MA ${D}/monitor_accounts.csv)
set(MJ ${D}/monitor_adjacency.csv)
set(MP ${D}/monitor_previous.csv)    # the same plus account 'big' (cho, revenue 500), gone now
set(MR ${D}/monitor_reps.csv)        # ben departed; eve active, starts 2027-01-04, owns nothing
set(MO ${CMAKE_CURRENT_BINARY_DIR}/monitor-out)
set(MGA ${D}/plan_grid_accounts.csv)       # no owner column
set(MGJ ${D}/plan_grid_adjacency.csv)      # ids of another instance
set(MRG ${D}/rebalance_grid_accounts.csv)  # has a workload column
file(MAKE_DIRECTORY ${MO})

# deviation: at the default 25 % no alert; just under the deviation (26 %) none; just over (24.99 %) two
territory_plan_case(monitor_at_threshold 0 "0 alerts" NOT_REGEX "deviation"
  ARGS monitor --accounts ${MA} --adjacency ${MJ})
territory_plan_case(monitor_under_threshold 0 "0 alerts"
  ARGS monitor --accounts ${MA} --adjacency ${MJ} --drift 0.2501)
territory_plan_case(monitor_over_threshold 2
  "deviation ana: revenue 25 % above the mean [(]125 vs 100[)]; threshold ±24.99 %; recommended: .*restores every constraint\ndeviation dev: revenue 25 % below the mean"
  OUT ${MO}/m1.json FILE ${MO}/m1.json
  FILE_REGEX "\"alerts\": .\n    .\"kind\": \"deviation\", \"territory\": \"ana\", .*\"column\": \"revenue\", \"value\": 0.25, \"threshold\": 0.2499, \"unit\": \"fraction\",.*\"recommendation\": 0.*\"restores\": true.*\"disruption\": .\"accounts_moved\": [1-9],.*\"moves\": ..\"id\": \"m[0-9]_[0-9]\", \"from\": \"[a-z]+\", \"to\": \"[a-z]+\".*\"fairness\": .\n    .\"snapshot\": \"[^\"]*monitor_accounts.csv\", \"territories\": 4, \"gini\": .\"revenue\": 0.09375."
  ARGS monitor --accounts ${MA} --adjacency ${MJ} --drift 0.2499 --report ${MO}/m1.json)
territory_plan_case(monitor_no_adjacency 2 "deviation ana:.*deviation dev:"
  ARGS monitor --accounts ${MA} --drift 0.2499 --balance revenue --tolerance 0.1)
# reps: a departed rep who owns a territory (drop scenario), an active rep who owns none (add scenario)
territory_plan_case(monitor_reps 2
  "rep_departed ben: rep ben has departed and still owns ben [(]4 accounts[)]; recommended: drop ben.*\nrep_joined eve: .*recommended: add a territory for rep eve"
  OUT ${MO}/m2.json FILE ${MO}/m2.json FILE_REGEX "\"kind\": \"rep_joined\", \"territory\": null, \"rep\": \"eve\".*\"territories_after\": 3,.*\"territories_after\": 5,"
  ARGS monitor --accounts ${MA} --adjacency ${MJ} --reps ${MR} --report ${MO}/m2.json)
territory_plan_case(monitor_rep_not_started 2 "rep_departed ben" NOT_REGEX "rep_joined"
  ARGS monitor --accounts ${MA} --adjacency ${MJ} --reps ${MR} --as-of 2027-01-03)
# churn of a major account: strictly above the value; its territory and neighbours re-planned
territory_plan_case(monitor_churn 2
  "account_churned big: account big [(]cho[)] was worth 500 > 499.99 and is gone; recommended: re-plan cho and its 2 neighbours [(]ben, dev[)]"
  ARGS monitor --accounts ${MA} --adjacency ${MJ} --previous ${MP} --major revenue:499.99)
territory_plan_case(monitor_churn_at_value 0 "0 alerts"
  ARGS monitor --accounts ${MA} --adjacency ${MJ} --previous ${MP} --major revenue:500)
# fairness over time: one Gini per snapshot; the alert strictly above --max-gini (current Gini 0.09375)
territory_plan_case(monitor_fairness 2 "fairness revenue: Gini 0.0938 over the territories > 0.09"
  OUT ${MO}/m3.json FILE ${MO}/m3.json
  FILE_REGEX "\"fairness\": .\n    .\"snapshot\": \"[^\"]*monitor_previous.csv\", \"territories\": 4, \"gini\": .\"revenue\": 0.4444444444444444.*\n    .\"snapshot\": \"[^\"]*monitor_accounts.csv\""
  ARGS monitor --accounts ${MA} --adjacency ${MJ} --previous ${MP} --max-gini 0.09 --report ${MO}/m3.json)
territory_plan_case(monitor_fairness_at 0 "0 alerts"
  ARGS monitor --accounts ${MA} --adjacency ${MJ} --max-gini 0.09375)

# ---- exit 1: one line naming the flag, file, line or column; the report neither created nor touched
territory_plan_case(monitor_bad_drift 1 "'--drift' must be in \\[0, 1\\), got '1'"
  OUT ${MO}/e1.json ARGS monitor --accounts ${MA} --drift 1 --report ${MO}/e1.json)
territory_plan_case(monitor_major_without_previous 1 "'--major' needs the previous snapshot: give '--previous FILE'"
  OUT ${MO}/e2.json ARGS monitor --accounts ${MA} --major revenue:5 --report ${MO}/e2.json)
territory_plan_case(monitor_no_owner 1 "plan_grid_accounts.csv:1: monitor needs the plan: column 'owner'"
  OUT ${MO}/e3.json ARGS monitor --accounts ${MGA} --report ${MO}/e3.json)
territory_plan_case(monitor_bad_major 1 "'--major' expects COL:VALUE"
  OUT ${MO}/e4.json ARGS monitor --accounts ${MA} --previous ${MP} --major revenue --report ${MO}/e4.json)
territory_plan_case(monitor_major_column 1 "monitor_accounts.csv:1: --major column 'workload' is not a numeric column"
  OUT ${MO}/e5.json ARGS monitor --accounts ${MA} --previous ${MP} --major workload:5 --report ${MO}/e5.json)
territory_plan_case(monitor_previous_column 1 "monitor_accounts.csv:1: column 'workload' [(]watched in .*rebalance_grid_accounts.csv[)] is missing"
  OUT ${MO}/e6.json ARGS monitor --accounts ${MRG} --balance workload --previous ${MA} --report ${MO}/e6.json)
territory_plan_case(monitor_bad_adjacency 1 "monitor_accounts.csv"
  OUT ${MO}/e7.json ARGS monitor --accounts ${MA} --adjacency ${MGJ} --report ${MO}/e7.json)
territory_plan_case(monitor_unknown_flag 1 "unknown"
  ARGS monitor --accounts ${MA} --out x.csv)
territory_cli_case(monitor.report_kept_usage 1 "'--drift'"
  OUT ${MO}/e8.json PRESERVE ARGS monitor --accounts ${MA} --drift -0.1 --report ${MO}/e8.json)
territory_cli_case(monitor.report_kept_input 1 "monitor_accounts.csv:1: --major column 'workload'"
  OUT ${MO}/e9.json PRESERVE ARGS monitor --accounts ${MA} --previous ${MP} --major workload:5 --report ${MO}/e9.json)
# --capacity-targets: dev's rep works at 0.75, so dev's 75 is on target (80) and ana's 125 is 17 % above
# its target (106.7): at ±20 % no alert, where equal targets alert on ana and dev
territory_plan_case(monitor_capacity_targets_quiet 0 "0 alerts"
  ARGS monitor --accounts ${MA} --reps ${D}/monitor_ramp_reps.csv --drift 0.2 --capacity-targets)
territory_plan_case(monitor_capacity_targets_off 2 "deviation ana: revenue 25 % above the mean.*deviation dev: revenue 25 % below the mean"
  ARGS monitor --accounts ${MA} --reps ${D}/monitor_ramp_reps.csv --drift 0.2)
territory_plan_case(monitor_capacity_targets_alert 2 "deviation ana: revenue 17[.]19 % above its target [(]125 vs 106[.]667[)]"
  ARGS monitor --accounts ${MA} --reps ${D}/monitor_ramp_reps.csv --drift 0.15 --capacity-targets)
territory_plan_case(monitor_capacity_targets_needs_reps 1 "'--capacity-targets' takes the owners' capacities from reps.csv: give '--reps'"
  ARGS monitor --accounts ${MA} --capacity-targets)
