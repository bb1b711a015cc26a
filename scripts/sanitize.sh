#!/usr/bin/env bash
# Builds the tests, examples and territory-cli with AddressSanitizer + UndefinedBehaviorSanitizer
# and runs the unit, CLI and example tests under them (benchmarks, consumer builds and the
# long time-limited plans on the shipped US data are left to the Release run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# -O1 -g1 (line tables only): the sanitizers' usual level; the build is about a third faster than at -O2 -g
# and the tests take a little longer. CCACHE_NOHASHDIR: with debug info, ccache would otherwise hash the
# build directory's path and miss in every fresh clone.
bash scripts/configure.sh build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" \
  -DTERRITORY_SANITIZE=address,undefined -DTERRITORY_BUILD_BENCHMARKS=OFF
export CCACHE_NOHASHDIR=1
cmake --build build-asan -j "$(nproc)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build-asan --output-on-failure -j "$(nproc)" -LE "consumer|build|shipped"
