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
territory_plan_case(rebalance_drop_locked_owner 1 "account 'g0_0' is locked to owner 'cho', which --drop or --merge dissolves"
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

# --changes: the change set, recomputed independently from the files by check_changes.py (moves, open
# opportunities at --as-of or the log's last date, related records, owners to notify)
function(territory_changes_case name expect_rc)
  if(NOT PYTHON3_FOR_CLI)
    add_test(NAME cli.rebalance.${name} COMMAND ${CMAKE_COMMAND} -E echo "python3 is required for this test (Debian: python3)")
    set_tests_properties(cli.rebalance.${name} PROPERTIES WILL_FAIL TRUE LABELS "cli;plan")
    return()
  endif()
  add_test(NAME cli.rebalance.${name}
    COMMAND ${PYTHON3_FOR_CLI} ${CMAKE_CURRENT_SOURCE_DIR}/check_changes.py $<TARGET_FILE:territory-cli> ${expect_rc} -- ${ARGN})
  set_tests_properties(cli.rebalance.${name} PROPERTIES LABELS "cli;plan")
endfunction()
set(RA ${D}/rebalance_activity.csv)
set(RR ${D}/rebalance_related.csv)
territory_changes_case(changes_drift 0 rebalance --accounts ${RD} ${RB} --out ${PO}/rc1.csv --changes ${PO}/rc1.json
  --activity-log ${RA} --related ${RR} --as-of 2026-11-30)
territory_changes_case(changes_log_last_date 0 rebalance --accounts ${RD} ${RB} --out ${PO}/rc2.csv --changes ${PO}/rc2.json
  --activity-log ${RA})
territory_changes_case(changes_drop 0 rebalance --accounts ${RG} ${RB} --drop cho --out ${PO}/rc3.csv --changes ${PO}/rc3.json
  --activity-log ${RA} --related ${RR})
territory_changes_case(changes_add 0 rebalance --accounts ${RG} --adjacency ${GJ} --balance revenue --tolerance 0.15 --add 1
  --out ${PO}/rc4.csv --changes ${PO}/rc4.json --related ${RR})
territory_changes_case(changes_unchanged 0 rebalance --accounts ${RG} ${RB} --out ${PO}/rc5.csv --changes ${PO}/rc5.json
  --activity-log ${RA})
territory_plan_case(changes_known_values 0 "feasible"
  OUT ${PO}/rc6.csv FILE ${PO}/rc6.json
  FILE_REGEX "\"as_of\": \"2026-11-30\",.*\"opportunities\": .\n    .\"id\": \"opp-1\", \"account\": \"g2_0\", \"amount\": 12000, \"from\": \"cho\", \"to\": \"[a-z]+\".,\n    .\"id\": \"opp-3\", \"account\": \"g2_3\", \"amount\": 500.5,"
  ARGS rebalance --accounts ${RD} ${RB} --out ${PO}/rc6.csv --changes ${PO}/rc6.json --activity-log ${RA} --related ${RR}
       --as-of 2026-11-30)
territory_plan_case(changes_needs_changes 1 "'--activity-log' feeds the change set: give '--changes CHANGES.json' too"
  OUT ${PO}/rc7.csv ARGS rebalance --accounts ${RD} ${RB} --out ${PO}/rc7.csv --activity-log ${RA})
territory_plan_case(changes_bad_as_of 1 "'--as-of' '2026-13-01' is not an ISO 8601 date"
  OUT ${PO}/rc8.csv ARGS rebalance --accounts ${RD} ${RB} --out ${PO}/rc8.csv --changes ${PO}/rc8.json --activity-log ${RA}
       --as-of 2026-13-01)
territory_plan_case(changes_unknown_related_account 1 "rebalance_related_bad.csv:3: column 'account': unknown account id 'zz'"
  OUT ${PO}/rc9.csv ARGS rebalance --accounts ${RD} ${RB} --out ${PO}/rc9.csv --changes ${PO}/rc9.json
       --related ${D}/rebalance_related_bad.csv)
territory_plan_case(changes_same_as_report 1 "'--changes .*rc10.json' names the same file as '--report'"
  OUT ${PO}/rc10.csv ARGS rebalance --accounts ${RD} ${RB} --out ${PO}/rc10.csv --report ${PO}/rc10.json --changes ${PO}/rc10.json)

# --review: a reviewer's lock, unlock, pin and forbid, honoured, then the plan repaired around them
set(RV ${D}/rebalance_review.csv)
territory_plan_case(review_honoured 0 "rebalance: 4 territories .* feasible"
  OUT ${PO}/rv1.csv FILE ${PO}/rv1.csv REPORT ${PO}/rv1.json REPORT_FEASIBLE true
  FILE_REGEX "g0_2,(ana|ben|dev)\n.*g1_2,(ana|ben|cho)\n.*g2_0,cho\n.*g2_3,ben\n"
  ARGS rebalance --accounts ${RL} ${RB} --locks --review ${RV} --out ${PO}/rv1.csv --report ${PO}/rv1.json)
territory_plan_case(review_report 0 "feasible"
  OUT ${PO}/rv2.csv FILE ${PO}/rv2.json
  FILE_REGEX "\"name\": \"forbidden\", \"kind\": \"forbidden\", \"holds\": true.*\"notes\": .\"review .*rebalance_review.csv: 1 lock, 1 unlock, 1 pin, 2 forbid\""
  ARGS rebalance --accounts ${RL} ${RB} --locks --review ${RV} --out ${PO}/rv2.csv --report ${PO}/rv2.json)
territory_plan_case(review_contradiction 1 "rebalance_review_contradict.csv:3: account 'g2_0': 'unlock' contradicts 'lock' on line 2"
  OUT ${PO}/rv3.csv ARGS rebalance --accounts ${RD} ${RB} --review ${D}/rebalance_review_contradict.csv --out ${PO}/rv3.csv)
territory_plan_case(review_pin_forbid 1 "rebalance_review_pin_forbid.csv:4: account 'g2_3': 'forbid ben' contradicts 'pin' on line 2"
  OUT ${PO}/rv4.csv ARGS rebalance --accounts ${RD} ${RB} --review ${D}/rebalance_review_pin_forbid.csv --out ${PO}/rv4.csv)
territory_plan_case(review_bad_action 1 "rebalance_review_bad_action.csv:2: column 'action': 'move', expected lock, unlock, pin or forbid"
  OUT ${PO}/rv5.csv ARGS rebalance --accounts ${RD} ${RB} --review ${D}/rebalance_review_bad_action.csv --out ${PO}/rv5.csv)
territory_plan_case(review_bad_owner 1 "rebalance_review_bad_owner.csv:2: column 'territory': owner 'zed' owns no account"
  OUT ${PO}/rv6.csv ARGS rebalance --accounts ${RD} ${RB} --review ${D}/rebalance_review_bad_owner.csv --out ${PO}/rv6.csv)
territory_plan_case(review_pin_needs_owner 1 "rebalance_review_no_territory.csv:2: column 'territory': 'pin' needs the owner"
  OUT ${PO}/rv7.csv ARGS rebalance --accounts ${RD} ${RB} --review ${D}/rebalance_review_no_territory.csv --out ${PO}/rv7.csv)
territory_plan_case(review_pin_dropped 1 "rebalance_review_pin_dropped.csv:2: account 'g2_3' is kept with owner 'cho', which --drop or --merge dissolves"
  OUT ${PO}/rv8.csv ARGS rebalance --accounts ${RD} ${RB} --drop cho --review ${D}/rebalance_review_pin_dropped.csv
       --out ${PO}/rv8.csv)

# lifecycle: --split OWNER:K and --merge FROM:INTO on the same repair
territory_plan_case(split_owner 0 "rebalance: 5 territories .* feasible"
  OUT ${PO}/ls1.csv FILE ${PO}/ls1.json REPORT ${PO}/ls1.json REPORT_FEASIBLE true
  FILE_REGEX "\"split\": \\[[{]\"id\": \"ana\", \"parts\": \\[\"ana\", \"ana-2\"\\][}]\\]"
  ARGS rebalance --accounts ${RG} --adjacency ${GJ} --balance revenue --tolerance 0.15 --split ana:2 --out ${PO}/ls1.csv
       --report ${PO}/ls1.json)
territory_plan_case(merge_owners 0 "rebalance: 3 territories .* feasible"
  OUT ${PO}/ls2.csv FILE ${PO}/ls2.json REPORT ${PO}/ls2.json REPORT_FEASIBLE true
  FILE_REGEX "\"merged\": \\[[{]\"from\": \"ben\", \"into\": \"ana\"[}]\\]"
  ARGS rebalance --accounts ${RG} ${RB} --merge ben:ana --out ${PO}/ls2.csv --report ${PO}/ls2.json)
territory_plan_case(merge_not_adjacent 1 "'--merge ben:dev': the two territories do not touch in the adjacency"
  OUT ${PO}/ls3.csv ARGS rebalance --accounts ${RG} ${RB} --merge ben:dev --out ${PO}/ls3.csv)
territory_plan_case(split_bad_k 1 "'--split ana:1': expected OWNER:K with an integer K >= 2"
  OUT ${PO}/ls4.csv ARGS rebalance --accounts ${RG} ${RB} --split ana:1 --out ${PO}/ls4.csv)
territory_plan_case(merge_unknown_owner 1 "rebalance_grid_accounts.csv: --merge owner 'zed' owns no account"
  OUT ${PO}/ls5.csv ARGS rebalance --accounts ${RG} ${RB} --merge zed:ana --out ${PO}/ls5.csv)
territory_changes_case(changes_split 0 rebalance --accounts ${RG} --adjacency ${GJ} --balance revenue --tolerance 0.15
  --split ana:2 --out ${PO}/rc11.csv --changes ${PO}/rc11.json --related ${RR})
territory_changes_case(changes_merge 0 rebalance --accounts ${RG} ${RB} --merge ben:ana --out ${PO}/rc12.csv
  --changes ${PO}/rc12.json --activity-log ${RA} --related ${RR})
# --add with a ramping rep: the new territory is carved at its capacity's share (half a load at 0.5)
territory_plan_case(rebalance_add_ramping 0 "rebalance: 5 territories .* feasible"
  OUT ${PO}/rb30.csv FILE ${PO}/rb30.json FILE_REGEX "\"id\": \"new-1\", \"accounts\": [0-9]+, \"revenue\": [34][0-9][0-9][,.]"
  ARGS rebalance --accounts ${RG} --adjacency ${GJ} --balance revenue --tolerance 0.15 --add 1 --add-capacity 0.5
       --out ${PO}/rb30.csv --report ${PO}/rb30.json)
territory_plan_case(rebalance_add_capacity_needs_add 1 "'--add-capacity' sets the capacity of the territories '--add' creates: give '--add'"
  OUT ${PO}/rb31.csv ARGS rebalance --accounts ${RG} --add-capacity 0.5 --out ${PO}/rb31.csv)
territory_plan_case(rebalance_capacity_targets_needs_reps 1 "'--capacity-targets' takes the owners' capacities from reps.csv: give '--reps'"
  OUT ${PO}/rb32.csv ARGS rebalance --accounts ${RG} --capacity-targets --out ${PO}/rb32.csv)
