# territory-cli plan --reps: every territory gets one active rep (capacity first, then the distance
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
