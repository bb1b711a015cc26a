#!/usr/bin/env python3
"""CLI-level property check of `territory-cli plan` (issue 15): runs the CLI, then recomputes the
plan's figures from the files alone, independently of the library.

    check_plan_cli.py CLI EXPECT_RC|0|2 [REGEX] [--rerun-same] -- plan --accounts A [--adjacency J] --territories P ...

Checks, for exit 0 or 2: assignment.csv has the header `id,territory`, every account id of the
accounts file exactly once, in input order, territories 1..P; report.json (when --report is given)
has n, p and, per territory, the account count, the sum of every balanced column, its deviation
(sum / mean - 1), max_deviation, the diameter (all pairs: euclidean, or haversine in km), the
centre and the distance to it, the contiguity and the number of pieces (BFS in the adjacency),
all equal to a recomputation from the assignment and the accounts file; the plan-level figures
(totals, means, min, max, gini, cv, max_deviation, max_diameter, noncontiguous_territories,
cut_edges, graph_components) likewise; the violations are exactly the recomputed balance,
contiguity and empty-territory violations (with their amounts); `feasible` is true exactly when
there are none and the exit code is 0 exactly when the plan is feasible. Exit 1 must leave no
output file. REGEX (optional) must match stdout + stderr. --rerun-same: a second run must write a
byte-identical assignment. Python 3 standard library only.
"""

import csv
import json
import math
import os
import re
import subprocess
import sys
from collections import defaultdict, deque

TEXT_COLUMNS = {"id", "name", "state", "tier", "industry", "region", "size_band", "owner", "team", "domain",
                "status", "skills", "start_date", "county", "city", "country", "lat", "lon", "x", "y", "locked"}
EARTH_KM = 6371.0088
DEG = 0.017453292519943295


class Failure(Exception):
    pass


def fail(msg):
    raise Failure(msg)


def close(a, b, rel=1e-9, abs_tol=1e-9):
    if a is None or b is None:
        return a is b
    return abs(a - b) <= max(rel * max(abs(a), abs(b)), abs_tol)


def flag(args, name, default=None):
    if name in args:
        return args[args.index(name) + 1]
    return default


def read_csv(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = [r for r in csv.reader(f) if any(c.strip() for c in r)]
    header = [h.strip() for h in rows[0]]
    return header, rows[1:]


def number(s):
    s = s.strip()
    try:
        return float(s)
    except ValueError:
        return None


def haversine(p, q):
    dlat = (q[0] - p[0]) * DEG
    dlon = (q[1] - p[1]) * DEG
    h = math.sin(dlat / 2) ** 2 + math.cos(p[0] * DEG) * math.cos(q[0] * DEG) * math.sin(dlon / 2) ** 2
    return 2.0 * EARTH_KM * math.asin(min(1.0, math.sqrt(max(0.0, h))))


def euclid(p, q):
    return math.hypot(p[0] - q[0], p[1] - q[1])


def centre(pts, wgs84):
    if not pts:
        return [0.0, 0.0]
    if wgs84:
        x = sum(math.cos(a * DEG) * math.cos(b * DEG) for a, b in pts)
        y = sum(math.cos(a * DEG) * math.sin(b * DEG) for a, b in pts)
        z = sum(math.sin(a * DEG) for a, _ in pts)
        if math.sqrt(x * x + y * y + z * z) < 1e-12 * len(pts):
            return list(pts[0])
        return [math.atan2(z, math.hypot(x, y)) / DEG, math.atan2(y, x) / DEG]
    return [sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)]


def diameter(pts, dist):
    # all pairs over the distinct points (O(k^2); the instances of the tests are small)
    u = sorted(set(pts))
    best = 0.0
    for i in range(len(u)):
        for j in range(i + 1, len(u)):
            best = max(best, dist(u[i], u[j]))
    return best


def gini(v):
    k, total = len(v), sum(v)
    if k < 2 or total <= 0:
        return 0.0
    return sum(abs(a - b) for a in v for b in v) / (2.0 * k * total)


def cv(v):
    mean = sum(v) / len(v)
    if mean == 0:
        return 0.0
    return math.sqrt(sum((x - mean) ** 2 for x in v) / len(v)) / abs(mean)


def pieces(members, adj):
    """Connected pieces of the set `members` in the graph `adj` (BFS)."""
    left = set(members)
    count = 0
    while left:
        count += 1
        start = left.pop()
        queue = deque([start])
        while queue:
            v = queue.popleft()
            for w in adj[v]:
                if w in left:
                    left.remove(w)
                    queue.append(w)
    return count


def reachable(a, adj):
    seen, stack = {a}, [a]
    while stack:
        v = stack.pop()
        for w in adj[v]:
            if w not in seen:
                seen.add(w)
                stack.append(w)
    return seen


def check(cli_args, rc, out):
    accounts_file = flag(cli_args, "--accounts")
    adjacency_file = flag(cli_args, "--adjacency")
    p = int(flag(cli_args, "--territories"))
    out_file = flag(cli_args, "--out")
    report_file = flag(cli_args, "--report")

    header, rows = read_csv(accounts_file)
    ids = [r[header.index("id")].strip() for r in rows]
    wgs84 = not ("x" in header and "y" in header)
    c0, c1 = (header.index("x"), header.index("y")) if not wgs84 else (header.index("lat"), header.index("lon"))
    coords = [(float(r[c0]), float(r[c1])) for r in rows]
    dist = haversine if wgs84 else euclid
    numeric = [h for h in header if h not in TEXT_COLUMNS and all(number(r[header.index(h)]) is not None for r in rows)]
    balance = flag(cli_args, "--balance")
    balance = [c.strip() for c in balance.split(",")] if balance else numeric
    values = {c: [float(r[header.index(c)]) for r in rows] for c in balance}
    tol = {c: 0.05 for c in balance}
    t_flag = flag(cli_args, "--tolerance")
    if t_flag and "=" in t_flag:
        for part in t_flag.split(","):
            k, v = part.split("=")
            tol[k.strip()] = float(v)
    elif t_flag:
        tol = {c: float(t_flag) for c in balance}
    index = {a: i for i, a in enumerate(ids)}
    if len(index) != len(ids):
        fail("the accounts file has duplicate ids, the CLI should have refused it")

    # ---- assignment: every id exactly once, in input order, territories 1..p
    a_header, a_rows = read_csv(out_file)
    if a_header != ["id", "territory"]:
        fail(f"{out_file}: header {a_header}, expected ['id', 'territory']")
    got_ids = [r[0] for r in a_rows]
    if len(got_ids) != len(ids) or set(got_ids) != set(ids):
        missing = set(ids) - set(got_ids)
        fail(f"{out_file}: {len(got_ids)} rows for {len(ids)} accounts; missing {sorted(missing)[:5]}")
    if got_ids != ids:
        fail(f"{out_file}: ids are not in input order (or repeated)")
    terr = []
    for r in a_rows:
        t = int(r[1])
        if not 1 <= t <= p:
            fail(f"{out_file}: account '{r[0]}' in territory {t}, expected 1..{p}")
        terr.append(t)
    members = defaultdict(list)
    for i, t in enumerate(terr):
        members[t].append(i)

    adj = defaultdict(set)
    if adjacency_file:
        j_header, j_rows = read_csv(adjacency_file)
        ca, cb = j_header.index("a"), j_header.index("b")
        for r in j_rows:
            a, b = index[r[ca].strip()], index[r[cb].strip()]
            adj[a].add(b)
            adj[b].add(a)

    if not report_file:
        return
    with open(report_file, encoding="utf-8") as f:
        rep = json.load(f)
    if "--connect-islands" in cli_args:
        # the links the CLI added join different components of the adjacency file, measure what the
        # report says, come shortest first; the plan is then checked against the joined graph
        key = "distance_km" if wgs84 else "distance"
        before = pieces(range(len(ids)), adj)
        if rep.get("graph_components_before") != before:
            fail(f"report: graph_components_before {rep.get('graph_components_before')}, recomputed {before}")
        last = 0.0
        for link in rep["added_links"]:
            a, b = index[link["from"]], index[link["to"]]
            if not close(link[key], dist(coords[a], coords[b]), 1e-9, 1e-6):
                fail(f"report: added link {link} measures {dist(coords[a], coords[b])}")
            if link[key] < last - 1e-9:
                fail(f"report: added links are not shortest first ({link})")
            last = link[key]
            if b in reachable(a, adj):
                fail(f"report: added link {link} joins accounts that were already connected")
            adj[a].add(b)
            adj[b].add(a)
    elif "added_links" in rep:
        fail("report: added_links without --connect-islands")
    for key, want in (("n", len(ids)), ("p", p), ("balance", balance)):
        if rep[key] != want:
            fail(f"report: {key} = {rep[key]!r}, expected {want!r}")
    if rep["tolerance"] != tol:
        fail(f"report: tolerance {rep['tolerance']}, expected {tol}")
    km = "_km" if wgs84 else ""
    totals = {c: sum(values[c]) for c in balance}
    means = {c: totals[c] / p for c in balance}
    sums = {t: {c: sum(values[c][i] for i in members[t]) for c in balance} for t in range(1, p + 1)}
    violations = []  # (kind, territory, subject, amount)
    noncontiguous = 0
    if len(rep["territories"]) != p:
        fail(f"report: {len(rep['territories'])} territories, expected {p}")
    max_dev = max_diam = 0.0
    for t in range(1, p + 1):
        tr = rep["territories"][t - 1]
        where = f"report: territory {t}"
        if tr["id"] != t:
            fail(f"{where}: id {tr['id']}")
        if tr["accounts"] != len(members[t]):
            fail(f"{where}: accounts {tr['accounts']}, recomputed {len(members[t])}")
        if not members[t]:
            violations.append(("empty", t, "", None))
        worst = 0.0
        for c in balance:
            s = sums[t][c]
            if not close(tr["sums"][c], s, rel=1e-12, abs_tol=0.0):
                fail(f"{where}: sum of {c} is {tr['sums'][c]!r}, recomputed {s!r}")
            dev = s / means[c] - 1.0 if means[c] > 0 else 0.0
            if not close(tr["deviation"][c], dev, rel=1e-9, abs_tol=1e-12):
                fail(f"{where}: deviation of {c} is {tr['deviation'][c]!r}, recomputed {dev!r}")
            worst = max(worst, abs(dev))
            if abs(dev) > tol[c] + 1e-9:
                violations.append(("balance", t, c, abs(dev) - tol[c]))
        if not close(tr["max_deviation"], worst, abs_tol=1e-12):
            fail(f"{where}: max_deviation {tr['max_deviation']!r}, recomputed {worst!r}")
        max_dev = max(max_dev, worst)
        pts = [coords[i] for i in members[t]]
        d = diameter(pts, dist)
        if not close(tr["diameter" + km], d, rel=1e-9, abs_tol=1e-9):
            fail(f"{where}: diameter{km} {tr['diameter' + km]!r}, recomputed {d!r}")
        max_diam = max(max_diam, d)
        ctr = centre(pts, wgs84)
        if not (close(tr["centre"][0], ctr[0], abs_tol=1e-9) and close(tr["centre"][1], ctr[1], abs_tol=1e-9)):
            fail(f"{where}: centre {tr['centre']}, recomputed {ctr}")
        dc = sum(dist(q, tuple(ctr)) for q in pts)
        if not close(tr["distance_to_centre" + km], dc, rel=1e-9, abs_tol=1e-6):
            fail(f"{where}: distance_to_centre {tr['distance_to_centre' + km]!r}, recomputed {dc!r}")
        k = pieces(members[t], adj) if adjacency_file else (1 if members[t] else 0)
        if tr["components"] != k or tr["contiguous"] != (k <= 1):
            fail(f"{where}: components {tr['components']} contiguous {tr['contiguous']}, recomputed {k} pieces")
        if k > 1:
            noncontiguous += 1
            violations.append(("contiguity", t, "", float(k - 1)))

    # ---- plan-level figures
    col_sums = {c: [sums[t][c] for t in range(1, p + 1)] for c in balance}
    for key, want in (("totals", totals), ("means", means), ("min", {c: min(col_sums[c]) for c in balance}),
                      ("max", {c: max(col_sums[c]) for c in balance}), ("gini", {c: gini(col_sums[c]) for c in balance}),
                      ("cv", {c: cv(col_sums[c]) for c in balance})):
        for c in balance:
            if not close(rep[key][c], want[c], rel=1e-9, abs_tol=1e-12):
                fail(f"report: {key}[{c}] = {rep[key][c]!r}, recomputed {want[c]!r}")
    if not close(rep["max_deviation"], max_dev, abs_tol=1e-12):
        fail(f"report: max_deviation {rep['max_deviation']!r}, recomputed {max_dev!r}")
    if not close(rep["max_diameter" + km], max_diam):
        fail(f"report: max_diameter {rep['max_diameter' + km]!r}, recomputed {max_diam!r}")
    if rep["noncontiguous_territories"] != noncontiguous:
        fail(f"report: noncontiguous_territories {rep['noncontiguous_territories']}, recomputed {noncontiguous}")
    cut = sum(1 for a in adj for b in adj[a] if a < b and terr[a] != terr[b])
    if rep["cut_edges"] != cut:
        fail(f"report: cut_edges {rep['cut_edges']}, recomputed {cut}")
    comps = pieces(range(len(ids)), adj) if adjacency_file else 1
    if rep["graph_components"] != comps:
        fail(f"report: graph_components {rep['graph_components']}, recomputed {comps}")

    # ---- violations: exactly the recomputed ones; feasible and the exit code agree
    got = sorted((v["kind"], v["territory"], v["subject"]) for v in rep["violations"])
    want = sorted((k, t, s) for k, t, s, _ in violations)
    if got != want:
        fail(f"report: violations {got}, recomputed {want}")
    for v in rep["violations"]:
        for k, t, s, amount in violations:
            if (k, t, s) == (v["kind"], v["territory"], v["subject"]) and amount is not None and not close(v["amount"], amount, abs_tol=1e-12):
                fail(f"report: violation {k} of territory {t} {s}: amount {v['amount']!r}, recomputed {amount!r}")
    if rep["feasible"] != (not violations):
        fail(f"report: feasible {rep['feasible']} with {len(violations)} recomputed violations")
    if (rc == 0) != (not violations):
        fail(f"exit {rc} but {len(violations)} recomputed violations")


def main():
    sep = sys.argv.index("--")
    cli = sys.argv[1]
    expect_rc = {int(x) for x in sys.argv[2].split("|")}  # "0|2": either, as long as it agrees with the plan
    opts = sys.argv[3:sep]
    rerun = "--rerun-same" in opts
    opts = [o for o in opts if o != "--rerun-same"]
    regex = opts[0] if opts else None
    cli_args = sys.argv[sep + 1:]
    outputs = [flag(cli_args, f) for f in ("--out", "--report", "--svg", "--html") if flag(cli_args, f)]
    for path in outputs:
        if os.path.exists(path):
            os.remove(path)
    run = subprocess.run([cli] + cli_args, capture_output=True, text=True, timeout=600)
    text = run.stdout + run.stderr
    try:
        if run.returncode not in expect_rc:
            fail(f"exit {run.returncode}, expected {sys.argv[2]}")
        if regex and not re.search(regex, text, re.S):
            fail(f"output does not match {regex!r}")
        if run.returncode == 1:
            if run.stderr.count("\n") != 1:
                fail("expected exactly one line on stderr")
            for path in outputs:
                if os.path.exists(path):
                    fail(f"output {path} was created on a failed run")
        elif cli_args[0] == "plan":
            check(cli_args, run.returncode, text)
            if rerun:
                out_file = flag(cli_args, "--out")
                with open(out_file, "rb") as f:
                    first = f.read()
                again = subprocess.run([cli] + cli_args, capture_output=True, text=True, timeout=600)
                with open(out_file, "rb") as f:
                    if again.returncode != run.returncode or f.read() != first:
                        fail("a second run with the same seed and threads wrote a different assignment")
    except Failure as e:
        print(f"FAIL: {e}\n--- output:\n{text}")
        return 1
    print(f"ok: exit {run.returncode}\n{text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
