# territory-cli rebalance: the contract of FORMAT.md (current plan = owner column, territory ids = owners
# plus new-K, --max-moves, --drop, --add, exit codes 0/1/2, report with moves and disruption).
# Uses territory_plan_case (plan_cases.cmake: exit code, message, no output file on exit 1, file checks).
set(RG ${D}/rebalance_grid_accounts.csv)        # a balanced plan of 4 owners (ana, ben, cho, dev)
set(RD ${D}/rebalance_grid_drift.csv)           # the same with revenue x1.6 in the first two rows
set(RL ${D}/rebalance_grid_drift_locked.csv)    # the drift, four accounts of cho and two of dev locked
set(RB --adjacency ${GJ} --balance revenue --tolerance 0.1)

territory_plan_case(rebalance_unchanged 0 "rebalance: 4 territories .* feasible.* 0 accounts moved"
  OUT ${PO}/rb1.csv FILE ${PO}/rb1.json FILE_REGEX "\"moves\": \\[\\],.*\"accounts_moved\": 0,"
  ARGS rebalance --accounts ${RG} ${RB} --out ${PO}/rb1.csv --report ${PO}/rb1.json)
territory_plan_case(rebalance_owner_ids 0 "feasible"
  OUT ${PO}/rb2.csv FILE ${PO}/rb2.csv FILE_REGEX "^id,territory\ng0_0,cho\n"
  ARGS rebalance --accounts ${RG} ${RB} --out ${PO}/rb2.csv)
territory_plan_case(rebalance_drift 0 "feasible.* [1-9] accounts? moved"
  OUT ${PO}/rb3.csv FILE ${PO}/rb3.json REPORT ${PO}/rb3.json REPORT_FEASIBLE true
  FILE_REGEX "\"moves\": .\n    .\"id\": \"g[0-9]_[0-9]\", \"from\": \"[a-z]+\", \"to\": \"[a-z]+\".*\"disruption\": .\"accounts_moved\": [1-9],.*\"moved_share\": .\"revenue\": 0[.][0-9]+"
  ARGS rebalance --accounts ${RD} ${RB} --out ${PO}/rb3.csv --report ${PO}/rb3.json)
territory_plan_case(rebalance_max_moves 2 "NOT feasible.* 1 account moved.*violation: territory (ana|ben|cho|dev): revenue"
  OUT ${PO}/rb4.csv FILE ${PO}/rb4.json FILE_REGEX "the move budget [(]1 accounts[)] stopped the repair.*\"max_moves\": 1,.*\"budget_reached\": true"
  ARGS rebalance --accounts ${RD} ${RB} --max-moves 1 --out ${PO}/rb4.csv --report ${PO}/rb4.json)
territory_plan_case(rebalance_max_moves_zero 2 "NOT feasible.* 0 accounts moved"
  OUT ${PO}/rb5.csv ARGS rebalance --accounts ${RD} ${RB} --max-moves 0 --out ${PO}/rb5.csv)
territory_plan_case(rebalance_locks 0 "feasible"
  OUT ${PO}/rb6.csv FILE ${PO}/rb6.csv
  FILE_REGEX "g0_0,cho\ng0_1,cho\n.*g0_5,dev\ng1_0,cho\ng1_1,cho\n.*g1_5,dev\n"
  ARGS rebalance --accounts ${RL} ${RB} --locks --out ${PO}/rb6.csv)
territory_plan_case(rebalance_drop 0 "rebalance: 3 territories .* feasible"
  OUT ${PO}/rb7.csv FILE ${PO}/rb7.json
  FILE_REGEX "\"dropped\": \\[\"ben\"\\],.*[{]\"id\": \"ben\", \"status\": \"dropped\", \"accounts_before\": [0-9]+, \"accounts_after\": 0"
  ARGS rebalance --accounts ${RG} ${RB} --drop ben --out ${PO}/rb7.csv --report ${PO}/rb7.json)
territory_plan_case(rebalance_add 0 "rebalance: 5 territories .* feasible"
  OUT ${PO}/rb8.csv FILE ${PO}/rb8.json FILE_REGEX "\"added\": \\[\"new-1\"\\],.*[{]\"id\": \"new-1\", \"status\": \"new\""
  ARGS rebalance --accounts ${RG} --adjacency ${GJ} --balance revenue --tolerance 0.15 --add 1 --out ${PO}/rb8.csv
       --report ${PO}/rb8.json)
territory_plan_case(rebalance_unknown_drop 1 "rebalance_grid_accounts.csv: --drop owner 'zed' owns no account"
  OUT ${PO}/rb9.csv ARGS rebalance --accounts ${RG} ${RB} --drop zed --out ${PO}/rb9.csv)
territory_plan_case(rebalance_drop_twice 1 "'--drop' names owner 'ana' twice"
  OUT ${PO}/rb10.csv ARGS rebalance --accounts ${RG} ${RB} --drop ana,ana --out ${PO}/rb10.csv)
territory_plan_case(rebalance_drop_all 1 "'--drop' dissolves all 4 territories and '--add' creates none"
  OUT ${PO}/rb11.csv ARGS rebalance --accounts ${RG} ${RB} --drop ana,ben,cho,dev --out ${PO}/rb11.csv)
territory_plan_case(rebalance_add_negative 1 "'--add' must be an integer in \\[0, [0-9]+\\], got '-1'"
  OUT ${PO}/rb12.csv ARGS rebalance --accounts ${RG} ${RB} --add -1 --out ${PO}/rb12.csv)
territory_plan_case(rebalance_no_owner_column 1 "plan_grid_accounts.csv:1: rebalance needs the current plan: column 'owner'"
  OUT ${PO}/rb13.csv ARGS rebalance --accounts ${GA} ${RB} --out ${PO}/rb13.csv)
territory_plan_case(rebalance_drop_locked_owner 1 "account 'g0_0' is locked to owner 'cho', which --drop dissolves"
  OUT ${PO}/rb14.csv ARGS rebalance --accounts ${RL} ${RB} --locks --drop cho --out ${PO}/rb14.csv)
territory_plan_case(rebalance_bad_move_cost 1 "--move-cost column 'profit' is not a numeric column"
  OUT ${PO}/rb15.csv ARGS rebalance --accounts ${RD} ${RB} --move-cost profit --out ${PO}/rb15.csv)
territory_plan_case(rebalance_max_moves_bad 1 "'--max-moves' must be an integer"
  OUT ${PO}/rb16.csv ARGS rebalance --accounts ${RD} ${RB} --max-moves many --out ${PO}/rb16.csv)
territory_plan_case(rebalance_missing_out 1 "missing required argument '--out'"
  ARGS rebalance --accounts ${RG} ${RB})
territory_plan_case(rebalance_move_cost_revenue 0 "feasible"
  OUT ${PO}/rb17.csv FILE ${PO}/rb17.json FILE_REGEX "\"moved_cost\": [1-9][0-9]+"
  ARGS rebalance --accounts ${RD} ${RB} --move-cost revenue --out ${PO}/rb17.csv --report ${PO}/rb17.json)
# with --reps (rep id = owner): per-rep gains and losses, from the same delta
territory_plan_case(rebalance_reps 0 "feasible"
  OUT ${PO}/rb18.csv FILE ${PO}/rb18.json
  FILE_REGEX "\"reps_touched\": [1-9],\n    \"reps\": .\n      .\"id\": \"(ana|ben|cho|dev)\", \"gained\": [0-9]+, \"lost\": [0-9]+, \"gained_sums\": .\"revenue\": [0-9]+."
  ARGS rebalance --accounts ${RD} ${RB} --reps ${D}/rebalance_grid_reps.csv --out ${PO}/rb18.csv --report ${PO}/rb18.json)
# a territory under the median floor of workload: it must gain workload without gaining revenue
# (moves alone break the revenue band; the repair exchanges border accounts)
territory_plan_case(rebalance_median_floor 0 "rebalance: 4 territories .* feasible.* [1-9] accounts moved"
  OUT ${PO}/rb_med.csv FILE ${PO}/rb_med.json REPORT ${PO}/rb_med.json REPORT_FEASIBLE true
  FILE_REGEX "\"median_floor workload\", \"kind\": \"revenue_floor\", \"holds\": true"
  ARGS rebalance --accounts ${D}/rebalance_grid_median.csv ${RB} --median-floor workload:0.7 --out ${PO}/rb_med.csv
       --report ${PO}/rb_med.json)
territory_plan_case(rebalance_median_bad 1 "'--median-cap workload:0.5': F must be a number >= 1, got '0.5'"
  OUT ${PO}/rb_med2.csv ARGS rebalance --accounts ${RG} ${RB} --median-cap workload:0.5 --out ${PO}/rb_med2.csv)
