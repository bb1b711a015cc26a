# territory-cli plan --reps (and --grow-from-reps, at the end): every territory gets one active rep (capacity first, then the distance
# from home to the territory centre); over-capacity and unstaffed territories are violations (exit 2).
# Uses territory_plan_case and PO from plan_cases.cmake (included before this file).
territory_plan_case(reps_staffed 0 "feasible"
  OUT ${PO}/r1.csv FILE ${PO}/r1.json
  FILE_REGEX "\"rep\": \"sw\", \"rep_distance\": 11[.]31"
  ARGS plan --accounts ${GA} --adjacency ${GJ} --reps ${D}/plan_grid_reps.csv --territories 4 --balance revenue
       --tolerance 0.1 --out ${PO}/r1.csv --report ${PO}/r1.json)
territory_plan_case(reps_over_capacity 2 "violation: territory [1-4] carries 1[.]00x a full load but its rep 'se' has capacity 0[.]50 [(]allowed 0[.]55x[)]"
  OUT ${PO}/r2.csv ARGS plan --accounts ${GA} --adjacency ${GJ} --reps ${D}/plan_grid_reps_ramping.csv
       --territories 4 --balance revenue --tolerance 0.1 --out ${PO}/r2.csv)
territory_plan_case(reps_too_few 2 "violation: territory [1-4] has no rep [(]2 active reps for 4 territories[)]"
  OUT ${PO}/r3.csv FILE ${PO}/r3.json FILE_REGEX "\"rep\": null, \"rep_distance\": null"
  ARGS plan --accounts ${GA} --adjacency ${GJ} --reps ${D}/plan_grid_reps_few.csv --territories 4
       --balance revenue --tolerance 0.1 --out ${PO}/r3.csv --report ${PO}/r3.json)
territory_plan_case(reps_other_coordinates 1 "plan_grid_reps_latlon.csv:1: rep homes are given as lat,lon but the accounts as x,y"
  OUT ${PO}/r4.csv ARGS plan --accounts ${GA} --reps ${D}/plan_grid_reps_latlon.csv --territories 2 --out ${PO}/r4.csv)
# --grow-from-reps: one territory per active rep, sized by capacity: the ramping rep 'se' (0.5) gets a
# territory with half a load, within the tolerance of its own target (exit 0, not a capacity violation)
territory_plan_case(reps_grow_ramping 0 "feasible"
  OUT ${PO}/r5.csv FILE ${PO}/r5.json
  FILE_REGEX "\"rep\": \"se\", \"rep_distance\": [0-9.e-]+, \"travel_mean\": [0-9.e-]+, \"travel_max\": [0-9.e-]+, \"target_capacity\": 0[.]5"
  ARGS plan --accounts ${GA} --adjacency ${GJ} --reps ${D}/plan_grid_reps_ramping.csv --grow-from-reps --territories 4
       --balance revenue --tolerance 0.1 --out ${PO}/r5.csv --report ${PO}/r5.json)
territory_plan_case(reps_grow_wrong_count 1 "plan_grid_reps_ramping.csv: 4 active reps but --territories 5; with --grow-from-reps every active rep gets one territory: pass --territories 4"
  OUT ${PO}/r6.csv ARGS plan --accounts ${GA} --adjacency ${GJ} --reps ${D}/plan_grid_reps_ramping.csv --grow-from-reps
       --territories 5 --out ${PO}/r6.csv)
territory_plan_case(reps_grow_needs_reps 1 "'--grow-from-reps' grows the territories from the reps' homes: give '--reps'"
  OUT ${PO}/r7.csv ARGS plan --accounts ${GA} --grow-from-reps --territories 4 --out ${PO}/r7.csv)
# --grow-from-reps with a `needs` column: accounts that need a language end in the territory of a rep
# who speaks it (nw: es and zh; ne: zh); territory t is staffed by rep t
territory_plan_case(reps_grow_skills 0 "feasible"
  OUT ${PO}/r8.csv FILE ${PO}/r8.json
  FILE_REGEX "\"name\": \"skill language:es\", \"kind\": \"skill\", \"holds\": true"
  ARGS plan --accounts ${D}/plan_grid_needs_accounts.csv --adjacency ${GJ} --reps ${D}/plan_grid_reps_skills.csv
       --grow-from-reps --territories 4 --balance revenue --tolerance 0.1 --out ${PO}/r8.csv --report ${PO}/r8.json)
# a skill no rep has: said before the search, then the account is reported in its territory (exit 2)
territory_plan_case(reps_grow_skill_unmet 2 "precheck: 1 account needs language:fr [(]account 'g0_3' [(]Cell 0,3[)] among them[)] but no territory's rep has it"
  OUT ${PO}/r9.csv
  ARGS plan --accounts ${D}/plan_grid_needs_unmet_accounts.csv --adjacency ${GJ} --reps ${D}/plan_grid_reps_skills.csv
       --grow-from-reps --territories 4 --balance revenue --tolerance 0.1 --out ${PO}/r9.csv)
# --objective: weights of the secondary objectives; travel needs the reps' homes, keys are checked
territory_plan_case(objective_travel 0 "feasible"
  OUT ${PO}/r10.csv
  ARGS plan --accounts ${GA} --adjacency ${GJ} --reps ${D}/plan_grid_reps_ramping.csv --grow-from-reps --territories 4
       --balance revenue --tolerance 0.1 --objective compactness=0.5,travel=1,revenue=2 --out ${PO}/r10.csv)
territory_plan_case(objective_travel_needs_homes 1 "'--objective travel=W' needs the reps' homes: give '--reps' and '--grow-from-reps'"
  OUT ${PO}/r11.csv ARGS plan --accounts ${GA} --territories 4 --objective travel=1 --out ${PO}/r11.csv)
territory_plan_case(objective_unknown_key 1 "'--objective': unknown key 'speed' [(]expected one of: compactness, travel, revenue, workload[)]"
  OUT ${PO}/r12.csv ARGS plan --accounts ${GA} --territories 4 --objective speed=1 --out ${PO}/r12.csv)
territory_plan_case(objective_bad_weight 1 "'--objective': the weight of 'compactness' must be a finite number >= 0, got '-1'"
  OUT ${PO}/r13.csv ARGS plan --accounts ${GA} --territories 4 --objective compactness=-1 --out ${PO}/r13.csv)
