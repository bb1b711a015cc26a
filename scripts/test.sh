#!/usr/bin/env bash
# The README's test command: installs what is missing, builds everything (library headers,
# tests, examples, territory-cli, benchmarks) and runs the whole CTest suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/configure.sh build
jobs=$(nproc)
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"
