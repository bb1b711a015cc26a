#!/usr/bin/env bash
# Runs the Release partition benchmarks (bench_partition, bench_paper_instances) outside CTest
# and writes Google Benchmark JSON plus a markdown summary (the tables of docs/benchmarks.md).
#
# Usage: scripts/bench_partition.sh [out-dir]        (default: $BUILD_DIR/bench-results/partition-<UTC time>)
#        scripts/bench_partition.sh --summary <dir>  (rewrite <dir>/summary.md from the JSON files there)
# Environment:
#   BUILD_DIR   build directory (default: build-release); configured Release and built if needed
#   CASES       space-separated generator cases to run, each its own process so that max RSS
#               (/usr/bin/time) is per case; default all five:
#               "n500_p10_uniform n2000_p20_clustered n10000_p100_uniform n100000_p500_uniform n1000000_p1000_uniform"
#   SOLVERS     "ours ours_first metis_contig metis" (default all four)
#   PAPER       1 (default) to run bench_paper_instances, 0 to skip it
#   TERRITORY_PAPER_INSTANCES, TERRITORY_BENCH_THREADS, TERRITORY_BENCH_TIME_SCALE: see the benchmarks.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$here/build-release}
summary_only=0
if [ "${1:-}" = "--summary" ]; then summary_only=1; shift; fi
out=${1:-$build/bench-results/partition-$(date -u +%Y%m%dT%H%M%SZ)}
cases=${CASES:-"n500_p10_uniform n2000_p20_clustered n10000_p100_uniform n100000_p500_uniform n1000000_p1000_uniform"}
solvers=${SOLVERS:-"ours ours_first metis_contig metis"}
mkdir -p "$out"

if [ "$summary_only" = 0 ]; then
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
cmake --build "$build" -j2 --target bench_partition bench_paper_instances

{
  echo "date_utc: $(date -u +%FT%TZ)"
  echo "commit: $(git -C "$here" rev-parse HEAD 2>/dev/null || echo unknown)"
  echo "uncommitted tracked changes: $(git -C "$here" status --short --untracked-files=no 2>/dev/null | awk '{print $2}' | tr '\n' ' ')"
  echo "untracked headers: $(git -C "$here" status --short 2>/dev/null | awk '$1 == "??" && $2 ~ /^include\// {print $2}' | tr '\n' ' ')"
  echo "host: $(uname -sr), $(nproc) cores"
  echo "load_before: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/environment.txt"

for c in $cases; do
  for s in $solvers; do
    name="partition_${c}_${s}"
    if [ "$c" = n1000000_p1000_uniform ] && [ "$s" = ours_first ]; then continue; fi  # the 10^6 case runs once
    echo "== $name" >&2
    /usr/bin/time -f '%M %e' -o "$out/$name.time" \
      "$build/benchmarks/bench_partition" --benchmark_filter="^partition/$c/$s/" \
      --benchmark_out="$out/$name.json" --benchmark_out_format=json > "$out/$name.txt" 2>&1 || echo "   failed: see $out/$name.txt" >&2
    echo "load_after_$name: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/environment.txt"
  done
done

if [ "${PAPER:-1}" = 1 ]; then
  echo "== paper instances" >&2
  /usr/bin/time -f '%M %e' -o "$out/paper.time" \
    "$build/benchmarks/bench_paper_instances" --benchmark_out="$out/paper.json" --benchmark_out_format=json \
    > "$out/paper.txt" 2>&1 || echo "   failed: see $out/paper.txt" >&2
fi

fi  # summary_only

python3 - "$out" > "$out/summary.md" <<'PY'
import glob, json, os, re, sys
out = sys.argv[1]
def load(path):
    try:
        with open(path) as f:
            return json.load(f).get("benchmarks", [])
    except Exception:
        return []
def rss(name):
    try:
        kb, secs = open(os.path.join(out, name + ".time")).read().split()[-2:]
        return f"{int(kb) / 1024:.0f} MB"
    except Exception:
        return "-"
print("### Generated CTDP instances (tau = 0.05)\n")
def cpu_s(b, k=1):
    unit = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b.get("time_unit", "ns")]
    return b["cpu_time"] * unit / max(k, 1)
print("Wall seconds are the solver call; cpu s is the benchmark loop's CPU time per instance (the")
print("machine is shared: when cpu s is well below the wall time, the process waited for a core).")
print("solve peak RSS: VmHWM after the benchmark reset the high-water mark just before the first solve")
print("(instances already built, their construction excluded). /usr/bin/time reads the same kernel")
print("high-water mark, so its column is also reset there and shows the solve's peak too.\n")
print("| case | solver | instances | feasible | mean s | cpu s | max s | worst dev | over | under | disconnected | mean max diameter | first feasible s | solve peak RSS | time -v max RSS |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
solver_order = {"ours": 0, "ours_first": 1, "metis_contig": 2, "metis": 3}
def path_key(p):
    m = re.search(r"partition_n(\d+)_p\d+_[a-z]+_(.*)\.json$", p)
    return (int(m.group(1)), solver_order.get(m.group(2), 9)) if m else (0, 9)
for path in sorted(glob.glob(os.path.join(out, "partition_*.json")), key=path_key):
    for b in load(path):
        if b.get("error_occurred"):
            print(f"| {b['name']} | error: {b.get('error_message','')} |"); continue
        _, case, solver = b["name"].split("/")[:3]
        print(f"| {case} | {solver} | {b['instances']:.0f} | {100*b['feasible']:.0f} % | {b['seconds']:.3f} | {cpu_s(b, b['instances']):.3f} | {b['max_seconds']:.3f} | "
              f"{100*b['worst_dev']:.1f} % | {100*b['worst_over']:.1f} % | {100*b['worst_under']:.1f} % | {b['disconnected']:.0f} | "
              f"{b['max_diam']:.1f} | {('%.3f' % b['first_feasible_s']) if 'first_feasible_s' in b else '-'} | {(str(round(b['solve_peak_rss_mb'])) + ' MB') if 'solve_peak_rss_mb' in b else '-'} | {rss(os.path.basename(path)[:-5])} |")
paper = load(os.path.join(out, "paper.json"))
if paper:
    groups = {}
    for b in paper:
        if b.get("error_occurred"): continue
        parts = b["name"].split("/")
        sset, solver = parts[1], parts[3]
        n = b["n"]
        band = "all"
        if sset == "commdis-DL":
            band = "n <= 2,500" if n <= 2500 else "n > 2,500"
        for key in [(sset, band, solver), (sset, "all", solver)] if band != "all" else [(sset, "all", solver)]:
            groups.setdefault(key, []).append(b)
    print("\n### Published instances\n")
    print("Ratios = max diameter (the set's metric) / reference_best_diameter, over the feasible plans only;")
    print("'all' includes the infeasible ones.\n")
    print("| set | sizes | solver | instances | feasible | mean ratio | min ratio | max ratio | mean ratio (all) | mean s | cpu s | max s | worst dev | disconnected (sum) | infeasible before the limit | mean first feasible s |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    order = {"ours": 0, "ours_10s": 1, "ours_sp": 2, "metis_contig": 3, "metis": 4}
    for key in sorted(groups, key=lambda k: (k[0], k[1], order.get(k[2], 9))):
        bs = groups[key]
        r_all = [b["ratio"] for b in bs]
        r = [b["ratio"] for b in bs if b["feasible"] == 1]
        fr = (f"{sum(r)/len(r):.3f} | {min(r):.3f} | {max(r):.3f}") if r else "- | - | -"
        print(f"| {key[0]} | {key[1]} | {key[2]} | {len(bs)} | {sum(b['feasible'] for b in bs):.0f}/{len(bs)} | "
              f"{fr} | {sum(r_all)/len(r_all):.3f} | {sum(b['seconds'] for b in bs)/len(bs):.3f} | {sum(cpu_s(b) for b in bs)/len(bs):.3f} | "
              f"{max(b['seconds'] for b in bs):.3f} | {100*max(b['worst_dev'] for b in bs):.1f} % | {sum(b['disconnected'] for b in bs):.0f} | "
              f"{sum(1 for b in bs if b['feasible'] != 1 and b.get('label', 'time_limit') != 'time_limit') if key[2].startswith('ours') else '-'} | "
              f"{(lambda v: ('%.3f' % (sum(v) / len(v))) if v else '-')([b['first_feasible_s'] for b in bs if b.get('first_feasible_s', -1) >= 0])} |")
    better = [b for b in paper if b["name"].split("/")[3].startswith("ours") and b.get("feasible") == 1 and b["ratio"] < 1 - 1e-9]
    print(f"\nFeasible plans of ours below the best known: {len(better)}" +
          ("".join(f"\n- {b['name'].split('/')[2]} ({b['name'].split('/')[3]}): {b['diameter']:.4f} vs {b['reference']:.4f} ({b['seconds']:.2f} s)" for b in better)))
    if os.path.exists(os.path.join(out, "paper.time")):
        print(f"\nbench_paper_instances max RSS: {rss('paper')}")
PY
cat "$out/summary.md"
echo "results in $out" >&2
