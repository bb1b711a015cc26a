# territory-cli plan: maps and reports (--boundaries, --states, --html, --quiet, progress lines),
# and the HTML report rendered in headless Chromium (check_html_report.py).
set(MO ${CMAKE_CURRENT_BINARY_DIR}/plan-map-out)
file(MAKE_DIRECTORY ${MO})
set(GS ${D}/plan_grid_shapes.geojson)
set(IA ${SHIPPED}/iowa_counties)

function(territory_map_case name expect_rc regex)
  cmake_parse_arguments(ARG "" "OUT;FILE;FILE_REGEX;NOT_REGEX" "ARGS" ${ARGN})
  add_test(NAME cli.plan.${name}
    COMMAND ${CMAKE_COMMAND}
      -DCLI=$<TARGET_FILE:territory-cli>
      "-DARGS=${ARG_ARGS}"
      -DEXPECT_RC=${expect_rc}
      "-DREGEX=${regex}"
      "-DNOT_REGEX=${ARG_NOT_REGEX}"
      -DOUT=${ARG_OUT}
      -DFILE=${ARG_FILE}
      "-DFILE_REGEX=${ARG_FILE_REGEX}"
      -DWORKDIR=${CMAKE_CURRENT_SOURCE_DIR}/data
      -P ${CMAKE_CURRENT_SOURCE_DIR}/plan_case.cmake)
  set_tests_properties(cli.plan.${name} PROPERTIES LABELS "cli;plan;map")
endfunction()

# ---- exit 1: a bad or foreign GeoJSON file is one line naming the feature; no output written
territory_map_case(boundaries_bad_coordinate 1
  "plan_bad_shapes.geojson: feature 1 [(]id 'g0_1'[)]: polygon ring 0 position 1: coordinate 1 is not a number"
  OUT ${MO}/bad.html ARGS plan --accounts ${GA} --territories 2 --boundaries ${D}/plan_bad_shapes.geojson
       --out ${MO}/bad.csv --html ${MO}/bad.html)
territory_map_case(boundaries_foreign_ids 1
  "plan_foreign_shapes.geojson: none of the 2 feature ids is an account id [(]first: 'zz1'[)]"
  OUT ${MO}/foreign.csv ARGS plan --accounts ${GA} --territories 2 --boundaries ${D}/plan_foreign_shapes.geojson
       --out ${MO}/foreign.csv --svg ${MO}/foreign.svg)
territory_map_case(boundaries_missing_file 1 "no_such_shapes.geojson: cannot open file"
  OUT ${MO}/missing.csv ARGS plan --accounts ${GA} --territories 2 --boundaries ${D}/no_such_shapes.geojson
       --out ${MO}/missing.csv)
territory_map_case(states_bad_json 1 "plan_grid_accounts.csv: not valid JSON: parse error at line 1"
  OUT ${MO}/badjson.csv ARGS plan --accounts ${GA} --territories 2 --states ${GA} --out ${MO}/badjson.csv)
territory_map_case(html_same_as_out 1 "'--html .*grid.csv' names the same file as '--out'"
  ARGS plan --accounts ${GA} --territories 2 --out ${MO}/grid.csv --html ${MO}/grid.csv)
territory_map_case(html_empty_name 1 "'--html' needs a"
  OUT ${MO}/e.csv ARGS plan --accounts ${GA} --territories 2 --out ${MO}/e.csv --html "")

# ---- exit 0: planar polygons (one MultiPolygon, one account without a polygon: a dot)
territory_map_case(grid_boundaries_svg 0 "plan: 3 territories over 36 accounts, feasible"
  ARGS plan --accounts ${GA} --adjacency ${GJ} --territories 3 --tolerance 0.1 --seed 7 --time-limit 5
       --boundaries ${GS} --out ${MO}/grid.csv --svg ${MO}/grid.svg
  FILE ${MO}/grid.svg
  FILE_REGEX "^<[?]xml.*<svg .*<path fill=\"#[0-9a-f]+\" d=\"M.*stroke-width=\"1.8\".*<circle .*territory boundary.*1 account without a polygon.*</svg>")
# lat/lon: the Iowa counties with state lines, the HTML report, progress on stderr on a terminal or with --progress, never with --quiet
territory_map_case(iowa_html 0 "plan: 6 territories over 99 accounts, feasible"
  ARGS plan --accounts ${IA}/accounts.csv --adjacency ${IA}/adjacency.csv --territories 6 --balance population
       --seed 1 --time-limit 5 --boundaries ${IA}/shapes.geojson --states ${SHIPPED}/us_counties_lower48/states.geojson
       --quiet --out ${MO}/iowa.csv --svg ${MO}/iowa.svg --html ${MO}/iowa.html
  NOT_REGEX "progress"
  FILE ${MO}/iowa.html
  FILE_REGEX "^<!DOCTYPE html>.*Feasible: every hard constraint is met.*<svg .*Gini[(]population[)].*state line.*id=\"constraints-table\".*balance of <b>population</b>.*contiguity.*id=\"fairness-table\".*id=\"territory-table\".*drive hours.*<tr class=\"territory-row\">.*<tr class=\"territory-row\">.*<tr class=\"territory-row\">.*<tr class=\"territory-row\">.*<tr class=\"territory-row\">.*<tr class=\"territory-row\">.*</table>")
territory_map_case(progress_lines 0 "territory-cli: progress: +[0-9.]+ s .*iteration [0-9]+ .*best objective [-0-9.e+]+ .*feasible (yes|no)"
  ARGS plan --accounts ${IA}/accounts.csv --adjacency ${IA}/adjacency.csv --territories 6 --balance population
       --seed 1 --time-limit 5 --progress --out ${MO}/iowa_progress.csv)
territory_map_case(progress_off_when_not_a_terminal 0 "plan: 6 territories over 99 accounts"
  ARGS plan --accounts ${IA}/accounts.csv --adjacency ${IA}/adjacency.csv --territories 6 --balance population
       --seed 1 --time-limit 5 --out ${MO}/iowa_noprogress.csv
  NOT_REGEX "progress")
set_tests_properties(cli.plan.iowa_html PROPERTIES FIXTURES_SETUP iowa_html_report)

# ---- the report in a real browser: headless Chromium renders it; the DOM has the 6 territory
# rows and the screenshot is not blank. Chromium missing = failure (CI installs it).
find_program(CHROMIUM NAMES chromium chromium-browser google-chrome)
find_program(PYTHON3_FOR_CLI python3)
add_test(NAME cli.plan.html_render
  COMMAND ${PYTHON3_FOR_CLI} ${CMAKE_CURRENT_SOURCE_DIR}/check_html_report.py "${CHROMIUM}" ${MO}/iowa.html 6 ${MO}/iowa_report.png)
set_tests_properties(cli.plan.html_render PROPERTIES FIXTURES_REQUIRED iowa_html_report LABELS "cli;plan;map;browser"
  TIMEOUT 400 PASS_REGULAR_EXPRESSION "check_html_report: ok" FAIL_REGULAR_EXPRESSION "FAIL")

# with --reps: rep homes on the map (triangles with the rep id), the rep column in the report
territory_map_case(grid_reps_map_html 0 "plan: 4 territories over 36 accounts, feasible"
  ARGS plan --accounts ${GA} --adjacency ${GJ} --reps ${D}/plan_grid_reps.csv --territories 4 --balance revenue
       --tolerance 0.1 --seed 7 --time-limit 5 --quiet --boundaries ${GS}
       --out ${MO}/grid_reps.csv --html ${MO}/grid_reps.html
  FILE ${MO}/grid_reps.html
  FILE_REGEX "<title>rep sw</title></path>.*>sw</text>.*rep home.*staffing: one active rep per territory.*<th class=\"l\">rep</th>.*<td class=\"l\">(sw|se|nw|ne)</td>")
