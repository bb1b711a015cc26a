#!/usr/bin/env bash
# Runs every Google Benchmark binary of a Release build and writes one JSON file per binary
# to bench-results/<git-commit>/, for comparison between commits, e.g. with
#   python3 -m json.tool bench-results/<commit>/bench_validate.json
# or Google Benchmark's tools/compare.py (not shipped by Debian).
# Usage: scripts/bench.sh [BUILD_DIR] [extra benchmark flags...]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
outdir=bench-results/$commit
mkdir -p "$outdir"
for b in "$build"/benchmarks/bench_*; do
  [[ -x $b ]] || continue
  name=$(basename "$b")
  echo "== $name"
  "$b" --benchmark_out="$outdir/$name.json" --benchmark_out_format=json "$@"
done
echo "results in $outdir"
