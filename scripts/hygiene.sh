#!/usr/bin/env bash
# Hygiene build: every public header, with the library's main function templates instantiated
# (tests/hygiene/instantiate.cpp), compiled with -Wall -Wextra -Wpedantic -Wconversion -Wshadow
# -Werror by g++ (build-hygiene-gcc/) and clang++ (build-hygiene-clang/, whose -Wconversion also
# covers sign conversions). Only that one translation unit is built.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
for cxx in g++ clang++; do
  dir=build-hygiene-${cxx%++}
  [[ $cxx == g++ ]] && dir=build-hygiene-gcc
  bash scripts/configure.sh "$dir" -DCMAKE_CXX_COMPILER="$cxx" \
    -DTERRITORY_BUILD_EXAMPLES=OFF -DTERRITORY_BUILD_BENCHMARKS=OFF > /dev/null
  cmake --build "$dir" --target territory_hygiene
  echo "hygiene: $cxx clean"
done
