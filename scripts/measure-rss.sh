#!/usr/bin/env bash
# Peak resident memory of `territory-cli plan` at 10^4, 10^5 and 10^6 accounts (docs/memory.md):
#   scripts/measure-rss.sh [BUILD_DIR] [SIDES...]   (default: build, sides 100 317 1000)
# For each side s it writes a jittered s×s rook grid (n = s² accounts: id,x,y,revenue,workload; its
# 2s(s−1) shared-border edges) to out/rss/n<s>/ and runs
#   /usr/bin/time -v territory-cli plan --accounts … --adjacency … --territories P
#       --balance revenue,workload --tolerance 0.05 --time-limit T --quiet --out … --report …
# with P = n/1000 (at least 10) and T = 10 s, printing n, edges, P, exit code, wall seconds and the
# maximum resident set size (the whole process: CSV reading, graph, engine, report).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true
sides=("$@")
((${#sides[@]} > 0)) || sides=(100 317 1000)
cli=$build/examples/cli/territory-cli
[[ -x $cli ]] || cli=$(find "$build" -name territory-cli -type f -perm -u+x | head -n 1)
for s in "${sides[@]}"; do
  dir=out/rss/n$s
  mkdir -p "$dir"
  python3 - "$s" "$dir" <<'PY'
import random, sys
side, out = int(sys.argv[1]), sys.argv[2]
rnd = random.Random(side)
with open(f"{out}/accounts.csv", "w") as f:
    f.write("id,x,y,revenue,workload\n")
    for r in range(side):
        for c in range(side):
            f.write(f"a{r*side+c},{c+rnd.uniform(-0.3,0.3):.4f},{r+rnd.uniform(-0.3,0.3):.4f},"
                    f"{rnd.randint(50,150)},{rnd.uniform(1,3):.3f}\n")
with open(f"{out}/adjacency.csv", "w") as f:
    f.write("a,b\n")
    for r in range(side):
        for c in range(side):
            k = r*side+c
            if c+1 < side: f.write(f"a{k},a{k+1}\n")
            if r+1 < side: f.write(f"a{k},a{k+side}\n")
PY
  n=$((s * s))
  p=$((n / 1000 < 10 ? 10 : n / 1000))
  set +e
  /usr/bin/time -v "$cli" plan --accounts "$dir/accounts.csv" --adjacency "$dir/adjacency.csv" --territories "$p" \
    --balance revenue,workload --tolerance 0.05 --time-limit 10 --quiet \
    --out "$dir/assignment.csv" --report "$dir/report.json" > "$dir/stdout.txt" 2> "$dir/time.txt"
  rc=$?
  set -e
  rss=$(grep "Maximum resident set size" "$dir/time.txt" | awk '{print $NF}')
  wall=$(grep "Elapsed (wall clock)" "$dir/time.txt" | awk '{print $NF}')
  echo "n=$n edges=$((2 * s * (s - 1))) p=$p exit=$rc wall=$wall max_rss_mb=$((rss / 1024))"
done
