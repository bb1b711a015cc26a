#!/usr/bin/env bash
# The library's threaded parts under ThreadSanitizer (clang, build-tsan/): the concurrency tests
# (tests/concurrency/: partition() multi-start and cancellation on several threads, an exception on a
# worker thread, k-means restarts, rule tables / compiled rules / adjacency shared without a lock,
# a router shared behind a mutex; docs/concurrency.md), then the fuzz replay of the planner, whose
# inputs use 1 or 2 threads. Only these targets are built.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/configure.sh build-tsan -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTERRITORY_SANITIZE=thread -DTERRITORY_BUILD_EXAMPLES=OFF -DTERRITORY_BUILD_BENCHMARKS=OFF
export CCACHE_NOHASHDIR=1  # see sanitize.sh
cmake --build build-tsan -j "$(nproc)" --target territory_concurrency_tests fuzz_planner
export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:history_size=4
build-tsan/tests/territory_concurrency_tests
build-tsan/tests/fuzz_planner tests/fuzz/corpus/planner
echo "tsan: no report"
