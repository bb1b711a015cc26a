# territory-cli scenarios: the contract of FORMAT.md (DIR/<scenario>/assignment.csv, DIR/comparison.csv
# one row per scenario, DIR/report.json; exit 0) and docs/scenarios.md (presets, the scenario file,
# skipped presets, exit 1 with one line and nothing created). Named after plan_cases.cmake so that
# territory_plan_case is defined when it is included.
set(SA ${D}/rebalance_grid_accounts.csv)   # 36 cells, revenue + workload, owner = the current plan
set(SJ ${D}/plan_grid_adjacency.csv)
set(SR ${D}/plan_grid_reps.csv)            # 4 reps with homes in the corners
set(SO ${CMAKE_CURRENT_BINARY_DIR}/scenarios-out)
file(MAKE_DIRECTORY ${SO})

# the presets: travel-optimised skipped without reps, growth-focused without a growth column
territory_plan_case(scenarios_presets 0
  "scenarios: 4 scenarios [(]2 ran, 2 feasible[)] on 1 thread.*#1 .*#2 .*scenario 'travel-optimised' skipped: travel-optimised needs the reps' homes"
  FILE ${SO}/presets/comparison.csv LINES 5
  FILE_REGEX "^scenario,preset,status,rank,score,feasible,territories,max_deviation,max_diameter,cut_edges,travel,moves,gini_revenue,gini_workload,cv_revenue,cv_workload,min_revenue,max_revenue,min_workload,max_workload,seconds,note\nbaseline,baseline,ran,[12],[0-9.e-]+,1,4,[^\n]*\n.*travel-optimised,travel-optimised,skipped,,,,,,,,,,,,,,,,,,,travel-optimised needs"
  ARGS scenarios --accounts ${SA} --adjacency ${SJ} --territories 4 --time-limit 0.3 --out-dir ${SO}/presets)
territory_plan_case(scenarios_presets_report 0 "best: "
  FILE ${SO}/presets2/report.json
  FILE_REGEX "\"command\": \"scenarios\".*\"ranking\": .\"rule\": \"feasible first.*\"order\": .\"[a-z-]+\", \"[a-z-]+\".*\"top3\": .\n    \"#1 .*\"scenarios\": .*\"name\": \"baseline\", \"preset\": \"baseline\".*\"weights\": .\"compactness\": 0.3333333333333333.*\"delta\": .\"accounts_moved\": [0-9]+"
  ARGS scenarios --accounts ${SA} --adjacency ${SJ} --territories 4 --time-limit 0.3 --threads 2 --out-dir ${SO}/presets2)
# the same seed gives the same plans (2 threads)
territory_plan_case(scenarios_rerun_same 0 "scenarios: "
  FILE ${SO}/rerun/revenue-optimised/assignment.csv LINES 37 RERUN_SAME
  FILE_REGEX "^id,territory\ng0_0,[a-z]+\n"
  ARGS scenarios --accounts ${SA} --adjacency ${SJ} --territories 4 --time-limit 0.3 --threads 2 --out-dir ${SO}/rerun)
# with one rep (with a home) per territory: designed around the reps, travel measured and optimised
territory_plan_case(scenarios_reps 0 "3 ran"
  FILE ${SO}/reps/report.json
  FILE_REGEX "\"name\": \"travel-optimised\".*\"weights\": .\"compactness\": 0.13333333333333333, \"travel\": 0.6.*\"reps_in_design\": true.*\"travel\": .\"total\": [0-9.]+"
  ARGS scenarios --accounts ${SA} --adjacency ${SJ} --reps ${SR} --territories 4 --time-limit 0.3 --out-dir ${SO}/reps)
# --locks with the design around the reps: a locked owner's accounts stay in that rep's territory (territory t =
# the t-th active rep: sw, se, nw, ne; named by its rep in assignment.csv), in every scenario
territory_plan_case(scenarios_reps_locks 0 "3 ran, 3 feasible"
  FILE ${SO}/reps_locks/travel-optimised/assignment.csv
  FILE_REGEX "\ng0_0,ne\ng0_1,ne\n.*\ng5_5,sw\n"
  ARGS scenarios --accounts ${D}/plan_grid_locked.csv --adjacency ${SJ} --balance revenue --reps ${SR} --locks
       --territories 4 --time-limit 0.3 --out-dir ${SO}/reps_locks)
territory_plan_case(scenarios_reps_locks_baseline 0 "3 ran"
  FILE ${SO}/reps_locks2/baseline/assignment.csv
  FILE_REGEX "\ng0_0,ne\ng0_1,ne\n.*\ng5_5,sw\n"
  ARGS scenarios --accounts ${D}/plan_grid_locked.csv --adjacency ${SJ} --balance revenue --reps ${SR} --locks
       --territories 4 --time-limit 0.3 --out-dir ${SO}/reps_locks2)
territory_plan_case(scenarios_reps_locks_unknown_owner 1
  "scenarios_locked_unknown_rep.csv: account 'g0_0' is locked to owner 'zed', who is not an active rep of .*plan_grid_reps.csv"
  OUT ${SO}/e_locks ARGS scenarios --accounts ${D}/scenarios_locked_unknown_rep.csv --adjacency ${SJ} --balance revenue
       --reps ${SR} --locks --territories 4 --out-dir ${SO}/e_locks)
# a scenario file: own p, tolerance, seed, time limit, weights
territory_plan_case(scenarios_file 0 "4 scenarios [(]4 ran"
  FILE ${SO}/file/comparison.csv
  FILE_REGEX "\nwide,custom,ran,[1-4],[^,]*,[01],3,.*\np5,custom,ran,[1-4],[^,]*,[01],5,"
  ARGS scenarios --accounts ${SA} --adjacency ${SJ} --territories 4 --scenarios ${D}/scenarios_grid.csv --time-limit 0.3
       --out-dir ${SO}/file)
territory_plan_case(scenarios_file_assignment 0 "4 ran"
  FILE ${SO}/file2/p5/assignment.csv LINES 37
  ARGS scenarios --accounts ${SA} --adjacency ${SJ} --territories 4 --scenarios ${D}/scenarios_grid.csv --time-limit 0.3
       --out-dir ${SO}/file2)

# ---- exit 1: one line naming the flag, file, line or column; the output directory not created
territory_plan_case(scenarios_missing_out_dir 1 "missing required argument '--out-dir'"
  ARGS scenarios --accounts ${SA} --territories 4)
territory_plan_case(scenarios_out_dir_parent 1 "'--out-dir': the directory '.*no-such-dir' that would hold"
  ARGS scenarios --accounts ${SA} --territories 4 --out-dir ${SO}/no-such-dir/x)
territory_plan_case(scenarios_bad_preset 1 "scenarios_bad_preset.csv:3: column 'preset': unknown preset 'fastest'"
  OUT ${SO}/e1 ARGS scenarios --accounts ${SA} --territories 4 --scenarios ${D}/scenarios_bad_preset.csv --out-dir ${SO}/e1)
territory_plan_case(scenarios_duplicate 1 "scenarios_duplicate.csv:4: column 'name': scenario 'a' is also on line 2"
  OUT ${SO}/e2 ARGS scenarios --accounts ${SA} --territories 4 --scenarios ${D}/scenarios_duplicate.csv --out-dir ${SO}/e2)
territory_plan_case(scenarios_travel_without_reps 1 "scenarios_travel.csv:2: column 'objective': travel needs the reps' homes"
  OUT ${SO}/e3 ARGS scenarios --accounts ${SA} --territories 4 --scenarios ${D}/scenarios_travel.csv --out-dir ${SO}/e3)
territory_plan_case(scenarios_too_many_territories 1 "rebalance_grid_accounts.csv: out_of_range: territories = 40, expected between 1 and the number of accounts [(]36[)]"
  OUT ${SO}/e4 ARGS scenarios --accounts ${SA} --territories 40 --out-dir ${SO}/e4)
territory_plan_case(scenarios_out_dir_is_file 1 "'--out-dir' '.*rebalance_grid_accounts.csv' exists and is not a directory"
  ARGS scenarios --accounts ${SA} --territories 4 --out-dir ${SA})

# ---- what-ifs on the reps (add_reps REP@ACCOUNT[*CAPACITY], remove_reps REP): one territory per active rep after
# the changes; report.json names each territory's rep; one progress line per finished scenario on stderr
territory_plan_case(scenarios_reps_whatif 0
  "4 scenarios [(]4 ran.*territory-cli: scenario [1-4]/4 'two-more-centre' finished: "
  FILE ${SO}/reps_whatif/report.json
  FILE_REGEX "\"name\": \"two-more-centre\".*\"add_reps\": .\"c1\", \"c2\"., \"remove_reps\": .., \"territory_reps\": .\"sw\", \"se\", \"nw\", \"ne\", \"c1\", \"c2\".*\"territories\": 6.*\"name\": \"without-ne\".*\"remove_reps\": .\"ne\"., \"territory_reps\": .\"sw\", \"se\", \"nw\"., \"territories\": 3"
  ARGS scenarios --accounts ${SA} --adjacency ${SJ} --reps ${SR} --territories 4 --scenarios ${D}/scenarios_reps_whatif.csv
       --time-limit 0.3 --threads 2 --out-dir ${SO}/reps_whatif)
territory_plan_case(scenarios_reps_whatif_comparison 0 "4 ran"
  FILE ${SO}/reps_whatif2/comparison.csv
  FILE_REGEX "\ntwo-more-centre,baseline,ran,[1-4],[^,]*,[01],6,.*\nwithout-ne,travel-optimised,ran,[1-4],[^,]*,[01],3,.*\nswap-sw,custom,ran,[1-4],[^,]*,[01],4,"
  NOT_REGEX "finished"
  ARGS scenarios --accounts ${SA} --adjacency ${SJ} --reps ${SR} --territories 4 --scenarios ${D}/scenarios_reps_whatif.csv
       --time-limit 0.3 --quiet --out-dir ${SO}/reps_whatif2)
territory_plan_case(scenarios_reps_unknown 1 "scenarios_reps_unknown.csv:3: column 'remove_reps': no rep 'zed' in --reps to remove"
  OUT ${SO}/e5 ARGS scenarios --accounts ${SA} --reps ${SR} --territories 4 --scenarios ${D}/scenarios_reps_unknown.csv
       --out-dir ${SO}/e5)
territory_plan_case(scenarios_reps_no_account 1
  "scenarios_reps_no_account.csv:2: column 'add_reps': rep 'c1': no account 'g9_9' to base the rep at"
  OUT ${SO}/e6 ARGS scenarios --accounts ${SA} --reps ${SR} --territories 4 --scenarios ${D}/scenarios_reps_no_account.csv
       --out-dir ${SO}/e6)
territory_plan_case(scenarios_reps_bad_capacity 1
  "scenarios_reps_bad_capacity.csv:2: column 'add_reps': rep 'c1': capacity must be a finite number > 0, got '-1'"
  OUT ${SO}/e7 ARGS scenarios --accounts ${SA} --reps ${SR} --territories 4 --scenarios ${D}/scenarios_reps_bad_capacity.csv
       --out-dir ${SO}/e7)
territory_plan_case(scenarios_reps_not_in_design 1
  "scenarios_reps_not_in_design.csv:2: column 'reps_in_design': reps_in_design = 0, but the scenario adds or removes reps"
  OUT ${SO}/e8 ARGS scenarios --accounts ${SA} --reps ${SR} --territories 4 --scenarios ${D}/scenarios_reps_not_in_design.csv
       --out-dir ${SO}/e8)
territory_plan_case(scenarios_reps_wrong_p 1
  "scenarios_reps_wrong_p.csv:2: column 'territories': territories 4 but a design around the reps has one territory per active rep [(]5 after the scenario's rep changes[)]"
  OUT ${SO}/e9 ARGS scenarios --accounts ${SA} --reps ${SR} --territories 4 --scenarios ${D}/scenarios_reps_wrong_p.csv
       --out-dir ${SO}/e9)
territory_plan_case(scenarios_reps_without_reps 1
  "scenarios_reps_no_account.csv:2: column 'add_reps': add_reps needs --reps with one active rep [(]with a home[)] per territory"
  OUT ${SO}/e10 ARGS scenarios --accounts ${SA} --territories 4 --scenarios ${D}/scenarios_reps_no_account.csv
       --out-dir ${SO}/e10)
# per territory in report.json, named as in assignment.csv (by rep in a design around the reps)
territory_plan_case(scenarios_reps_whatif_detail 0 "4 ran"
  FILE ${SO}/reps_whatif3/report.json
  FILE_REGEX "\"name\": \"without-ne\".*\"territories_detail\": .\n +{\"territory\": \"sw\", \"accounts\": [0-9]+, \"sums\": {\"revenue\": [0-9.e+]+, \"workload\": [0-9.e+]+}, \"deviation\": {\"revenue\": [-0-9.e]+, \"workload\": [-0-9.e]+}, \"diameter\": [0-9.e]+, \"contiguous\": true, \"travel\": [0-9.e+]+}"
  ARGS scenarios --accounts ${SA} --adjacency ${SJ} --reps ${SR} --territories 4 --scenarios ${D}/scenarios_reps_whatif.csv
       --time-limit 0.3 --quiet --out-dir ${SO}/reps_whatif3)
