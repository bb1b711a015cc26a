#!/usr/bin/env bash
# The README's main-job command: installs what is missing, builds territory-cli (Release) and
# plans 20 balanced, contiguous sales territories over the 3,109 counties of the lower 48
# US states (real shared-border adjacency, population balanced within 5 %), writing
#   out/assignment.csv  id,territory for every county
#   out/report.json     per-territory sums, deviations, diameters (km), contiguity, violations
#   out/map.svg         the territories on a map: county polygons, territory boundaries, state lines
#   out/report.html     one self-contained page: the map, every constraint with its slack,
#                       fairness per column, one row per territory (open it in a browser)
# Progress lines (elapsed, best objective, feasible yes/no) go to stderr about once a second.
# Exit code as territory-cli's: 0 feasible plan, 2 plan with violations, 1 bad input.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/configure.sh build >/dev/null
cmake --build build -j "$(nproc)" --target territory-cli
mkdir -p out
data=data/us_counties_lower48
./build/examples/territory-cli validate --accounts $data/accounts.csv --adjacency $data/adjacency.csv \
  --territories 20 > out/validation.txt
./build/examples/territory-cli plan --accounts $data/accounts.csv --adjacency $data/adjacency.csv \
  --territories 20 --balance population --tolerance 0.05 --seed 1 --time-limit 40 \
  --boundaries $data/shapes.geojson --states $data/states.geojson \
  --out out/assignment.csv --report out/report.json --svg out/map.svg --html out/report.html
echo "main-job: wrote out/assignment.csv, out/report.json, out/map.svg, out/report.html (validation in out/validation.txt)"
