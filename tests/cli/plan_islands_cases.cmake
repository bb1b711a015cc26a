# territory-cli plan --connect-islands (issue 11 §8): when the components of the adjacency make a
# plan impossible, the precheck names the components, their loads and the links that would help;
# the flag adds the shortest such links (report: added_links) and the plan is checked against the
# joined graph by check_plan_cli.py. Uses territory_checked_plan (CMakeLists.txt) and
# territory_plan_case (plan_cases.cmake).
set(XO ${CMAKE_CURRENT_BINARY_DIR}/islands-out)
file(MAKE_DIRECTORY ${XO})
set(LIGHT_ISLAND --accounts ${D}/awkward_light_island_accounts.csv --adjacency ${D}/awkward_light_island_adjacency.csv)

# without the flag: the diagnosis says what would make the plan possible
territory_plan_case(islands.hint 2 "precheck: the 2 graph components of the adjacency make the plan impossible [(]the 12 accounts with account 'p0': 3[.]00 mean territories of revenue; account 'tiny' alone: 0[.]00 mean territories of revenue[)]; joining them with the 1 shortest link [(]the longest 634[.]1[)] removes that impossibility: pass --connect-islands"
  ARGS plan ${LIGHT_ISLAND} --territories 3 --time-limit 0.5 --out ${XO}/hint.csv --report ${XO}/hint.json
  FILE ${XO}/hint.json FILE_REGEX "\"notes\": .*pass --connect-islands")
# with it: one link (tiny to p11, the nearest account), a feasible plan, the link in the report
territory_checked_plan(plan.islands.light 0 "plan: 3 territories over 13 accounts, feasible.*note: --connect-islands: the adjacency has 2 graph components .*; added the 1 shortest link [(]the longest 634[.]1[)], the fewest that remove the impossibility due to the components [(]1 component now[)]: account 'p11' to account 'tiny' 634[.]1"
  ARGS plan ${LIGHT_ISLAND} --territories 3 --time-limit 0.5 --connect-islands --out ${XO}/light.csv --report ${XO}/light.json)
territory_plan_case(islands.light_report 0 "feasible"
  ARGS plan ${LIGHT_ISLAND} --territories 3 --time-limit 0.5 --connect-islands --out ${XO}/light2.csv --report ${XO}/light2.json
  FILE ${XO}/light2.json FILE_REGEX "\"graph_components\": 1,\n  \"graph_components_before\": 2,\n  \"added_links\": \\[{\"from\": \"p11\", \"to\": \"tiny\", \"distance\": 634[.]1[0-9]*}\\],"
  REPORT ${XO}/light2.json REPORT_FEASIBLE true)
# the map draws the added link and says so in its key
territory_plan_case(islands.map 0 "feasible"
  ARGS plan ${LIGHT_ISLAND} --territories 3 --time-limit 0.5 --connect-islands --out ${XO}/map.csv --svg ${XO}/map.svg
  FILE ${XO}/map.svg FILE_REGEX "stroke-dasharray=\"5 3\"><path d=\"M[0-9.]+ [0-9.]+L[0-9.]+ [0-9.]+\"><title>added link p11 - tiny</title>.*1 link added by --connect-islands")
# two components of 1.6 and 2.4 mean territories at p = 4: one link of 97 joins them
territory_checked_plan(plan.islands.two_blocks 0 "plan: 4 territories over 40 accounts, feasible.* 1 graph component.*link [(]the longest 97[.]0[)]"
  ARGS plan --accounts ${D}/plan_islands_accounts.csv --adjacency ${D}/plan_islands_adjacency.csv --territories 4
       --time-limit 2 --connect-islands --out ${XO}/two.csv --report ${XO}/two.json)
# p below the number of components: the links make it possible
territory_checked_plan(plan.islands.p_below_components 0 "plan: 2 territories over 20 accounts, feasible"
  ARGS plan --accounts ${D}/awkward_components_accounts.csv --adjacency ${D}/awkward_components_adjacency.csv
       --territories 2 --time-limit 0.5 --connect-islands --out ${XO}/c2.csv --report ${XO}/c2.json)
# components that each hold whole territories: nothing to join, nothing added
territory_checked_plan(plan.islands.nothing_to_join 0 "plan: 5 territories over 20 accounts, feasible.*5 graph components.*none of them makes the plan impossible: no link added"
  ARGS plan --accounts ${D}/awkward_components_accounts.csv --adjacency ${D}/awkward_components_adjacency.csv
       --territories 5 --time-limit 0.5 --connect-islands --out ${XO}/c5.csv --report ${XO}/c5.json)
# a connected graph: the flag changes nothing
territory_checked_plan(plan.islands.connected 0 "plan: 4 territories over 36 accounts, feasible"
  ARGS plan --accounts ${D}/plan_grid_accounts.csv --adjacency ${D}/plan_grid_adjacency.csv --territories 4
       --balance revenue --tolerance 0.1 --time-limit 0.5 --connect-islands --out ${XO}/grid.csv --report ${XO}/grid.json)
# the flag needs an adjacency: exit 1 before any file is read, no output
territory_plan_case(islands.needs_adjacency 1 "'--connect-islands' joins the components of an adjacency: give '--adjacency'"
  OUT ${XO}/e1.csv ARGS plan --accounts ${D}/does_not_exist.csv --territories 2 --connect-islands --out ${XO}/e1.csv)
