#!/usr/bin/env bash
# Time-boxed libFuzzer run of every fuzz target (tests/fuzz/<name>_fuzz.cpp), built with clang and
# ASan + UBSan in build-fuzz/:  scripts/fuzz.sh [SECONDS_PER_TARGET]  (default 45; CI: .ci/run).
# Each target starts from tests/fuzz/corpus/<name>/ (read only) and tests/fuzz/<name>.dict when
# present; the inputs it finds go to build-fuzz/corpus/<name>/. A crash, timeout, leak, out-of-memory
# or sanitizer report fails the run, and libFuzzer writes the input to build-fuzz/artifacts/<name>/:
# copy it into tests/fuzz/corpus/<name>/ and the replay test (ctest -L fuzz, g++ build) runs it
# from then on. Worth keeping new coverage: `build-fuzz/tests/fuzz_<name> -merge=1
# tests/fuzz/corpus/<name> build-fuzz/corpus/<name>` adds the inputs that reach new code.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-45}
bash scripts/install-deps.sh
bash scripts/configure.sh build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTERRITORY_FUZZ=ON -DTERRITORY_SANITIZE=address,undefined \
  -DTERRITORY_BUILD_EXAMPLES=OFF -DTERRITORY_BUILD_BENCHMARKS=OFF
names=()
for src in tests/fuzz/*_fuzz.cpp; do
  n=$(basename "$src" .cpp)
  names+=("${n%_fuzz}")
done
cmake --build build-fuzz -j "$(nproc)" --target "${names[@]/#/fuzz_}"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
failed=()
for n in "${names[@]}"; do
  mkdir -p "build-fuzz/corpus/$n" "build-fuzz/artifacts/$n" "tests/fuzz/corpus/$n"
  opts=(-max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 -max_len=4096 -print_final_stats=1
        -artifact_prefix="build-fuzz/artifacts/$n/")
  if [[ -f tests/fuzz/$n.dict ]]; then opts+=(-dict="tests/fuzz/$n.dict"); fi
  echo "fuzz: $n for ${seconds} s"
  if ! "build-fuzz/tests/fuzz_$n" "${opts[@]}" "build-fuzz/corpus/$n" "tests/fuzz/corpus/$n" \
       > "build-fuzz/fuzz_$n.log" 2>&1; then
    failed+=("$n")
    tail -n 60 "build-fuzz/fuzz_$n.log"
    echo "fuzz: $n FAILED; input(s) in build-fuzz/artifacts/$n/ (add to tests/fuzz/corpus/$n/):"
    ls -l "build-fuzz/artifacts/$n/"
  else
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb|cov:" "build-fuzz/fuzz_$n.log" | tail -n 3
  fi
done
if ((${#failed[@]} > 0)); then
  echo "fuzz: findings in ${failed[*]}"
  exit 1
fi
echo "fuzz: ${#names[@]} targets, ${seconds} s each, no finding"
