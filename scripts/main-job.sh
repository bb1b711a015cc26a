#!/usr/bin/env bash
# The README's main-job command: installs what is missing, builds territory-cli (Release) and
# plans 20 balanced, contiguous sales territories over the 3,109 counties of the lower 48
# US states (population balanced within 5 %), writing out/assignment.csv, out/report.json
# and out/map.svg.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/configure.sh build >/dev/null
cmake --build build -j "$(nproc)" --target territory-cli
mkdir -p out
data=data/us_counties_lower48
./build/examples/territory-cli validate --accounts $data/accounts.csv --adjacency $data/adjacency.csv \
  --territories 20 | tee out/validation.txt
