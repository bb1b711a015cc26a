# territory-cli plan on awkward but valid inputs (issue 15): each run must end in a valid plan (exit 0),
# a plan with named violations (exit 2) or a clear refusal (exit 1, one line, no output file). Every
# plan is checked by check_plan_cli.py, which recomputes every figure of the report from the
# assignment and the input files (ids exactly once, sums, deviations, diameters, centres, contiguity,
# cut edges, violations and their amounts, feasible and the exit code): territory_checked_plan in
# CMakeLists.txt.
set(EO ${CMAKE_CURRENT_BINARY_DIR}/edge-out)
file(MAKE_DIRECTORY ${EO})


set(GRID --accounts ${D}/plan_grid_accounts.csv --adjacency ${D}/plan_grid_adjacency.csv)
set(COMP --accounts ${D}/awkward_components_accounts.csv --adjacency ${D}/awkward_components_adjacency.csv)
set(STAR --accounts ${D}/awkward_star_accounts.csv --adjacency ${D}/awkward_star_adjacency.csv)
set(LIGHT --accounts ${D}/awkward_light_island_accounts.csv --adjacency ${D}/awkward_light_island_adjacency.csv)
set(SAME ${D}/awkward_same_place_accounts.csv)
set(SAMEJ ${D}/awkward_same_place_adjacency.csv)

# ---- p = 1, p = n
territory_checked_plan(plan.awkward.p1 0 "plan: 1 territory over 36 accounts, feasible"
  ARGS plan ${GRID} --territories 1 --time-limit 0.5 --out ${EO}/p1.csv --report ${EO}/p1.json)
territory_checked_plan(plan.awkward.p_equals_n 2 "NOT feasible.*precheck: account 'g0_2' [(]Cell 0,2[)] alone holds 1[.]50x the mean workload"
  ARGS plan ${GRID} --territories 36 --time-limit 0.5 --out ${EO}/pn.csv --report ${EO}/pn.json)
territory_checked_plan(plan.awkward.p_equals_n_equal_weights 0 "plan: 21 territories over 21 accounts, feasible"
  ARGS plan ${STAR} --territories 21 --time-limit 0.5 --out ${EO}/pn_eq.csv --report ${EO}/pn_eq.json)

# ---- graph components: 5 paths of 4 equal accounts
territory_checked_plan(plan.awkward.p_equals_components 0 "plan: 5 territories over 20 accounts, feasible.*5 graph components"
  ARGS plan ${COMP} --territories 5 --time-limit 0.5 --out ${EO}/c5.csv --report ${EO}/c5.json)
territory_checked_plan(plan.awkward.p_twice_components 0 "plan: 10 territories over 20 accounts, feasible"
  ARGS plan ${COMP} --territories 10 --time-limit 0.5 --out ${EO}/c10.csv --report ${EO}/c10.json)
territory_checked_plan(plan.awkward.p_above_components 2 "precheck: graph component 4 [(]4 accounts, containing account 'c4_0'[)] holds 1[.]40 mean territories"
  ARGS plan ${COMP} --territories 7 --time-limit 0.5 --out ${EO}/c7.csv --report ${EO}/c7.json)
territory_checked_plan(plan.awkward.more_components_than_p 2 "precheck: the graph has 5 connected components but only 2 territories are requested.*violation: territory [12]: [0-9] disconnected pieces"
  ARGS plan ${COMP} --territories 2 --time-limit 0.5 --out ${EO}/c2.csv --report ${EO}/c2.json)

# ---- isolated accounts: a light one (0.1 beside 12 accounts of 10); the heavy one is island_account_p11
territory_checked_plan(plan.awkward.light_island 2 "precheck: graph component 1 [(]1 accounts, containing account 'tiny'[)] holds 0[.]00 mean territories"
  ARGS plan ${LIGHT} --territories 3 --time-limit 0.5 --out ${EO}/light.csv --report ${EO}/light.json)
territory_checked_plan(plan.awkward.light_island_no_graph 0 "plan: 3 territories over 13 accounts, feasible"
  ARGS plan --accounts ${D}/awkward_light_island_accounts.csv --territories 3 --tolerance 0.1 --time-limit 0.5
       --out ${EO}/light_free.csv --report ${EO}/light_free.json)

# ---- a star: a hub and 20 leaves; three territories of four can only be single leaves
territory_checked_plan(plan.awkward.star 2 "plan: 4 territories over 21 accounts, NOT feasible.*violation: territory [1-4]: revenue"
  ARGS plan ${STAR} --territories 4 --time-limit 0.5 --out ${EO}/star.csv --report ${EO}/star.json)

# ---- duplicate coordinates: 36 accounts on 4 locations. Without an adjacency the engine's
# nearest-neighbour graph made every location a clique joined to the next by one edge: p = 3 ended
# 50 % off the mean (exit 2) although nothing forbids a balanced plan
territory_checked_plan(plan.awkward.same_place 0 "plan: 3 territories over 36 accounts, feasible"
  ARGS plan --accounts ${SAME} --adjacency ${SAMEJ} --territories 3 --time-limit 0.5 --out ${EO}/same.csv --report ${EO}/same.json)
territory_checked_plan(plan.awkward.same_place_no_graph 0 "plan: 3 territories over 36 accounts, feasible"
  ARGS plan --accounts ${SAME} --territories 3 --time-limit 0.5 --out ${EO}/same_free.csv --report ${EO}/same_free.json)

# ---- 1e15, 1e-15 and all-zero columns
territory_checked_plan(plan.awkward.extreme_values 0 "plan: 3 territories over 36 accounts, feasible"
  ARGS plan --accounts ${D}/awkward_extreme_accounts.csv --adjacency ${SAMEJ} --territories 3 --balance big,tiny,zero
       --time-limit 0.5 --out ${EO}/extreme.csv --report ${EO}/extreme.json)

# ---- one account (planar and lat/lon, with the map and the page)
territory_checked_plan(plan.awkward.one_account 0 "plan: 1 territory over 1 accounts, feasible"
  ARGS plan --accounts ${D}/awkward_one_account.csv --territories 1 --out ${EO}/one.csv --report ${EO}/one.json
       --svg ${EO}/one.svg --html ${EO}/one.html)
territory_checked_plan(plan.awkward.one_account_latlon 0 "plan: 1 territory over 1 accounts, feasible"
  ARGS plan --accounts ${D}/awkward_one_account_latlon.csv --territories 1 --out ${EO}/one_ll.csv --report ${EO}/one_ll.json
       --svg ${EO}/one_ll.svg --html ${EO}/one_ll.html)
territory_checked_plan(plan.awkward.one_account_p2 1 "out_of_range: territories = 2, expected between 1 and the number of accounts [(]1[)]"
  ARGS plan --accounts ${D}/awkward_one_account.csv --territories 2 --out ${EO}/one_p2.csv)

# ---- time limits: 0 is bad_time_limit; above 10^7 s, inf and nan are refused; 10^7 on a small map converges
foreach(limit 1e12 inf nan -1)
  territory_checked_plan(plan.awkward.time_limit_${limit} 1 "'--time-limit' must be a finite number in \\[0, 10000000\\], got '${limit}'"
    ARGS plan ${COMP} --territories 5 --time-limit ${limit} --out ${EO}/tl_${limit}.csv --report ${EO}/tl_${limit}.json)
endforeach()
territory_checked_plan(plan.awkward.time_limit_1e7 0 "plan: 5 territories over 20 accounts, feasible.*status converged"
  ARGS plan ${COMP} --territories 5 --time-limit 1e7 --out ${EO}/tl_big.csv --report ${EO}/tl_big.json)

# ---- 64 threads (the test machine has 2 cores): a valid plan, the same on a second run
territory_checked_plan(plan.awkward.threads_64 0 "plan: 5 territories over 20 accounts, feasible.*status converged" RERUN_SAME
  ARGS plan ${COMP} --territories 5 --threads 64 --time-limit 2 --out ${EO}/t64.csv --report ${EO}/t64.json)
