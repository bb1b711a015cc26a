# territory-cli plan business constraints (FORMAT.md: --locks, --min-count, --max-diameter,
# --max-drive-hours): honoured and reported, exit 2 with the violation when they cannot hold,
# exit 1 with a one-line message for a bad flag. Uses territory_plan_case and PO from plan_cases.cmake.
set(GL ${D}/plan_grid_locked.csv)

# locked owners become territories 1, 2, ... in order of first appearance: ne -> 1, sw -> 2
territory_plan_case(locks_honoured 0 "feasible"
  OUT ${PO}/l1.csv FILE ${PO}/l1.csv FILE_REGEX "g0_0,1\ng0_1,1\n.*g5_5,2\n"
  NOT_REGEX "not honoured"
  ARGS plan --accounts ${GL} --adjacency ${GJ} --territories 4 --balance revenue --tolerance 0.1 --locks
       --out ${PO}/l1.csv)
territory_plan_case(locks_not_asked 0 "warning: 3 accounts are marked locked but not honoured: pass --locks"
  OUT ${PO}/l0.csv ARGS plan --accounts ${GL} --adjacency ${GJ} --territories 4 --balance revenue --tolerance 0.1
       --out ${PO}/l0.csv)
# with --reps the territory of a locked owner goes to the rep of that name (ne lives in the far corner)
territory_plan_case(locks_staffed_by_owner 0 "feasible"
  OUT ${PO}/l2.csv FILE ${PO}/l2.json FILE_REGEX "\"id\": 1, [^\n]*\"rep\": \"ne\".*\"id\": 2, [^\n]*\"rep\": \"sw\".*\"name\": \"locks\", \"kind\": \"locked\", \"holds\": true"
  ARGS plan --accounts ${GL} --adjacency ${GJ} --reps ${D}/plan_grid_reps.csv --territories 4 --balance revenue
       --tolerance 0.1 --locks --out ${PO}/l2.csv --report ${PO}/l2.json)
territory_plan_case(locks_apart 2 "note: territory 1 is in 2 pieces because of its locks: the accounts locked to owner 'ne' are not connected.*violation: territory 1"
  OUT ${PO}/l3.csv FILE ${PO}/l3.csv FILE_REGEX "g0_0,1\n.*g5_5,1\n"
  ARGS plan --accounts ${D}/plan_grid_locked_apart.csv --adjacency ${GJ} --territories 4 --balance revenue
       --tolerance 0.1 --locks --out ${PO}/l3.csv)
territory_plan_case(locks_more_owners_than_territories 1 "plan_grid_locked_many.csv: locked accounts name more owners than the 4 territories requested [(]owner 'd' of account 'g5_5' would be territory 5[)]"
  OUT ${PO}/l4.csv ARGS plan --accounts ${D}/plan_grid_locked_many.csv --territories 4 --locks --out ${PO}/l4.csv)
territory_plan_case(locks_owner_not_a_rep 1 "plan_grid_reps_ne_departed.csv: owner 'ne' of locked accounts is not an active rep"
  OUT ${PO}/l5.csv ARGS plan --accounts ${GL} --reps ${D}/plan_grid_reps_ne_departed.csv --territories 4 --locks --out ${PO}/l5.csv)

# minimum counts: 10 A accounts, 4 territories
territory_plan_case(min_count_holds 0 "feasible"
  OUT ${PO}/m1.csv FILE ${PO}/m1.json FILE_REGEX "\"name\": \"min_count tier=A\", \"kind\": \"min_tier\", \"holds\": true, \"slack\": 0, \"unit\": \"accounts\""
  ARGS plan --accounts ${GL} --adjacency ${GJ} --territories 4 --balance revenue --tolerance 0.1 --min-count tier=A:2
       --out ${PO}/m1.csv --report ${PO}/m1.json)
territory_plan_case(min_count_two_flags 2 "precheck: min_count tier=B: 26 accounts of tier=B in all, but 4 territories need at least 7 each [(]28[)]"
  OUT ${PO}/m2.csv ARGS plan --accounts ${GL} --adjacency ${GJ} --territories 4 --balance revenue --tolerance 0.1
       --min-count tier=A:2 --min-count tier=B:7 --out ${PO}/m2.csv)
territory_plan_case(min_count_malformed 1 "'--min-count tier=A': expected COL=VALUE:K, e.g. tier=A:3"
  OUT ${PO}/m3.csv ARGS plan --accounts ${GL} --territories 4 --min-count tier=A --out ${PO}/m3.csv)
territory_plan_case(min_count_bad_k 1 "'--min-count tier=A:0': K must be a whole number from 1"
  OUT ${PO}/m4.csv ARGS plan --accounts ${GL} --territories 4 --min-count tier=A:0 --out ${PO}/m4.csv)
territory_plan_case(min_count_unknown_column 1 "plan_grid_locked.csv: '--min-count segment=A:1': no column 'segment' in the accounts file"
  OUT ${PO}/m5.csv ARGS plan --accounts ${GL} --territories 4 --min-count segment=A:1 --out ${PO}/m5.csv)
territory_plan_case(min_count_numeric_column 0 "feasible"
  OUT ${PO}/m6.csv ARGS plan --accounts ${GL} --adjacency ${GJ} --territories 2 --balance revenue --tolerance 0.1
       --min-count workload=1:2 --out ${PO}/m6.csv)

# hard diameter cap (grid spacing 10: a 3 x 3 block spans 28.3)
territory_plan_case(max_diameter_holds 0 "feasible: .*max diameter (2[0-9]|30)[.]"
  OUT ${PO}/d1.csv FILE ${PO}/d1.json FILE_REGEX "\"name\": \"max_diameter\", \"kind\": \"max_distance\", \"holds\": true, \"slack\": [0-9.e-]+, \"unit\": \"distance\""
  ARGS plan --accounts ${GA} --adjacency ${GJ} --territories 4 --balance revenue --tolerance 0.1 --max-diameter 31
       --compactness center --out ${PO}/d1.csv --report ${PO}/d1.json)
territory_plan_case(max_diameter_impossible 2 "precheck: max diameter 5: at least 5 accounts lie pairwise farther apart than the cap.*violation: territory [1-4]: diameter [0-9.]+ above the cap of 5"
  OUT ${PO}/d2.csv ARGS plan --accounts ${GA} --adjacency ${GJ} --territories 4 --max-diameter 5 --out ${PO}/d2.csv)
territory_plan_case(max_drive_hours_planar 1 "'--max-drive-hours' needs lat,lon coordinates"
  OUT ${PO}/d3.csv ARGS plan --accounts ${GA} --territories 4 --max-drive-hours 2 --out ${PO}/d3.csv)
territory_plan_case(max_diameter_and_hours 1 "give one of '--max-diameter' and '--max-drive-hours', not both"
  OUT ${PO}/d4.csv ARGS plan --accounts ${GA} --territories 4 --max-drive-hours 2 --max-diameter 3 --out ${PO}/d4.csv)
territory_plan_case(max_diameter_not_positive 1 "'--max-diameter' must be > 0"
  OUT ${PO}/d5.csv ARGS plan --accounts ${GA} --territories 4 --max-diameter 0 --out ${PO}/d5.csv)
territory_plan_case(max_drive_hours_iowa 0 "feasible: .*max diameter ([0-9]|[12][0-9]|3[01])[0-9][.][0-9] km"
  OUT ${PO}/d6.csv FILE ${PO}/d6.json FILE_REGEX "\"name\": \"max_diameter\", \"kind\": \"max_distance\", \"holds\": true"
  ARGS plan --accounts ${SHIPPED}/iowa_counties/accounts.csv --adjacency ${SHIPPED}/iowa_counties/adjacency.csv
       --territories 6 --balance population --max-drive-hours 3.75 --time-limit 2 --out ${PO}/d6.csv --report ${PO}/d6.json)

# bounds relative to the median territory (plan_grid_median.csv: the 6 x 6 grid with `visits` = 30 on
# the bottom row and 1 elsewhere, `heavy` = 1000 on one account): a plan of four 3 x 3 quadrants puts
# 96 visits in each bottom quadrant against a median of 52.5; the cap makes every territory reach the
# bottom row
set(GM ${D}/plan_grid_median.csv)
territory_plan_case(median_cap_holds 0 "feasible"
  OUT ${PO}/q1.csv FILE ${PO}/q1.json FILE_REGEX "\"name\": \"median_cap visits\", \"kind\": \"workload_cap\", \"holds\": true, \"slack\": 0[.][0-9]+"
  ARGS plan --accounts ${GM} --adjacency ${GJ} --territories 4 --balance revenue --tolerance 0.1
       --median-cap visits:1.5 --out ${PO}/q1.csv --report ${PO}/q1.json)
territory_plan_case(median_cap_and_floor 0 "feasible"
  OUT ${PO}/q2.csv FILE ${PO}/q2.json
  FILE_REGEX "\"name\": \"median_cap visits\", \"kind\": \"workload_cap\", \"holds\": true.*\"name\": \"median_floor workload\", \"kind\": \"revenue_floor\", \"holds\": true"
  ARGS plan --accounts ${GM} --adjacency ${GJ} --territories 4 --balance revenue --tolerance 0.1
       --median-cap visits:1.5 --median-floor workload:0.6 --out ${PO}/q2.csv --report ${PO}/q2.json)
territory_plan_case(median_cap_impossible 2 "precheck: median_cap heavy: account 'g2_2' [(]Cell 2,2[)] alone holds 1000 of heavy [(]96.6 % of the total[)]; the median territory can hold at most 35 with p = 4.*violation: territory [1-4]: heavy 10[0-9][0-9] is above the cap of 2 x the median"
  OUT ${PO}/q3.csv FILE ${PO}/q3.json FILE_REGEX "\"name\": \"median_cap heavy\", \"kind\": \"workload_cap\", \"holds\": false"
  ARGS plan --accounts ${GM} --adjacency ${GJ} --territories 4 --balance revenue --tolerance 0.1
       --median-cap heavy:2 --out ${PO}/q3.csv --report ${PO}/q3.json)
territory_plan_case(median_cap_malformed 1 "'--median-cap visits': expected COL:F, e.g. workload:1.5"
  OUT ${PO}/q4.csv ARGS plan --accounts ${GM} --territories 4 --median-cap visits --out ${PO}/q4.csv)
territory_plan_case(median_cap_below_one 1 "'--median-cap visits:0.9': F must be a number >= 1, got '0.9'"
  OUT ${PO}/q5.csv ARGS plan --accounts ${GM} --territories 4 --median-cap visits:0.9 --out ${PO}/q5.csv)
territory_plan_case(median_floor_above_one 1 "'--median-floor visits:1.2': F must be a number in [(]0, 1[]], got '1.2'"
  OUT ${PO}/q6.csv ARGS plan --accounts ${GM} --territories 4 --median-floor visits:1.2 --out ${PO}/q6.csv)
territory_plan_case(median_cap_text_column 1 "plan_grid_median.csv: '--median-cap name:1.5': column 'name' is not numeric"
  OUT ${PO}/q7.csv ARGS plan --accounts ${GM} --territories 4 --median-cap name:1.5 --out ${PO}/q7.csv)
territory_plan_case(median_floor_unknown_column 1 "plan_grid_median.csv: '--median-floor sales:0.5': no column 'sales' in the accounts file"
  OUT ${PO}/q8.csv ARGS plan --accounts ${GM} --territories 4 --median-floor sales:0.5 --out ${PO}/q8.csv)
territory_plan_case(median_cap_negative_value 1 "plan_median_negative.csv: account 'g0_0': column 'revenue' is -5, but '--median-cap' needs values >= 0"
  OUT ${PO}/q9.csv ARGS plan --accounts ${D}/plan_median_negative.csv --territories 2 --balance workload --median-cap revenue:1.5 --out ${PO}/q9.csv)
