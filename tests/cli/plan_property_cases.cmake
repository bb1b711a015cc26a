# CLI-level property test (issue 15): `plan` on several instances, each checked by check_plan_cli.py:
# every account id exactly once (in input order, territories 1..p) and every per-territory and
# plan-level figure of report.json equal to a recomputation from assignment.csv and the input files
# (haversine km for lat/lon, euclidean for x/y), the violations and the exit code consistent with them.
# "0|2": the short work budgets decide whether a plan is feasible; either way it must be reported truly.
set(PR ${CMAKE_CURRENT_BINARY_DIR}/property-out)
file(MAKE_DIRECTORY ${PR})
set(IOWA --accounts ${SHIPPED}/iowa_counties/accounts.csv --adjacency ${SHIPPED}/iowa_counties/adjacency.csv)
set(CLUSTERS --accounts ${D}/prop_clusters_accounts.csv --adjacency ${D}/prop_clusters_adjacency.csv)
set(LATLON --accounts ${D}/prop_latlon_accounts.csv)

territory_checked_plan(plan.property.iowa_p5 "0|2" "plan: 5 territories over 99 accounts"
  ARGS plan ${IOWA} --territories 5 --balance population --time-limit 1 --out ${PR}/iowa5.csv --report ${PR}/iowa5.json)
territory_checked_plan(plan.property.iowa_p12_two_columns "0|2" "plan: 12 territories over 99 accounts"
  ARGS plan ${IOWA} --territories 12 --balance population,housing_units --tolerance population=0.1,housing_units=0.12
       --compactness center --time-limit 1 --out ${PR}/iowa12.csv --report ${PR}/iowa12.json)
# 150 random lat/lon accounts (Pareto revenue), no adjacency: haversine diameters and spherical centres
territory_checked_plan(plan.property.latlon_p4 "0|2" "plan: 4 territories over 150 accounts"
  ARGS plan ${LATLON} --territories 4 --balance revenue,workload --tolerance revenue=0.1,workload=0.08 --time-limit 1
       --out ${PR}/latlon4.csv --report ${PR}/latlon4.json)
territory_checked_plan(plan.property.latlon_p9_threads "0|2" "plan: 9 territories over 150 accounts"
  ARGS plan ${LATLON} --territories 9 --threads 3 --seed 99 --time-limit 1 --out ${PR}/latlon9.csv --report ${PR}/latlon9.json)
# 3 planar clusters joined by 4-nearest-neighbour edges inside each (4 graph components)
foreach(p 4 6 12)
  territory_checked_plan(plan.property.clusters_p${p} "0|2" "plan: ${p} territories over 120 accounts.*4 graph components"
    ARGS plan ${CLUSTERS} --territories ${p} --time-limit 1 --out ${PR}/clusters${p}.csv --report ${PR}/clusters${p}.json)
endforeach()
