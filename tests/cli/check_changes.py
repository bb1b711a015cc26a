#!/usr/bin/env python3
"""Independent check of `territory-cli rebalance --changes` (issue 12): runs the CLI, then recomputes
the change set from the files alone.

    check_changes.py CLI EXPECT_RC -- rebalance --accounts A ... --out OUT --changes CHANGES
                                      [--activity-log LOG] [--as-of DATE] [--related REL]

Checks: the exit code; `accounts` lists exactly the accounts whose territory in OUT differs from their
`owner` in A (in input order, with from = owner or null, to = territory); `opportunities` lists exactly
the opportunities of LOG opened on or before the as-of date (default: the last date in LOG) and not
won or lost by then, whose account moved, with the amount of the opening row; `related` lists exactly
the rows of REL whose account moved; `notify` has one entry per owner that gained or lost an account
(or was dissolved / is new), with the accounts gained and lost and, per record kind, the counts and
amounts. Python 3 standard library only.
"""

import csv
import json
import subprocess
import sys
from collections import defaultdict


def fail(msg):
    print("check_changes: FAIL: " + msg)
    sys.exit(1)


def flag(args, name, default=None):
    return args[args.index(name) + 1] if name in args else default


def read_csv(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def main():
    cli, expect_rc = sys.argv[1], int(sys.argv[2])
    args = sys.argv[sys.argv.index("--") + 1:]
    proc = subprocess.run([cli] + args, capture_output=True, text=True)
    if proc.returncode != expect_rc:
        fail(f"exit {proc.returncode}, expected {expect_rc}: {proc.stdout}{proc.stderr}")
    accounts = read_csv(flag(args, "--accounts"))
    out = read_csv(flag(args, "--out"))
    with open(flag(args, "--changes"), encoding="utf-8") as f:
        cs = json.load(f)
    if cs.get("format") != "territory-change-set" or cs.get("version") != 1:
        fail("format/version")
    owner = {a["id"]: a.get("owner", "") for a in accounts}
    after = {r["id"]: r["territory"] for r in out}
    if [a["id"] for a in accounts] != [r["id"] for r in out]:
        fail("the assignment does not list every account once, in input order")
    moved = [(a["id"], owner[a["id"]] or None, after[a["id"]]) for a in accounts if after[a["id"]] != owner[a["id"]]]
    got = [(m["id"], m["from"], m["to"]) for m in cs["accounts"]]
    if got != moved:
        fail(f"accounts {got} != recomputed moves {moved}")
    if cs["accounts_moved"] != len(moved):
        fail("accounts_moved")
    move_of = {m[0]: m for m in moved}

    # open opportunities of the moved accounts
    expected_opps = []
    log_path = flag(args, "--activity-log")
    as_of = flag(args, "--as-of")
    if log_path:
        log = read_csv(log_path)
        if as_of is None and log:
            as_of = max(r["date"] for r in log)
        if cs["as_of"] != as_of:
            fail(f"as_of {cs['as_of']} != {as_of}")
        opened, closed = {}, set()
        for r in log:
            if r["kind"] == "contact" or r["date"] > as_of:
                continue
            if r["kind"] == "opportunity_open":
                opened.setdefault(r["opportunity"], r)
            else:
                closed.add(r["opportunity"])
        for oid in sorted(opened):
            r = opened[oid]
            if oid in closed or r["account"] not in move_of:
                continue
            _, frm, to = move_of[r["account"]]
            expected_opps.append((oid, r["account"], float(r["amount"] or 0), frm, to))
    elif cs["as_of"] is not None:
        fail("as_of without an activity log")
    got_opps = [(o["id"], o["account"], float(o["amount"]), o["from"], o["to"]) for o in cs["opportunities"]]
    if got_opps != expected_opps:
        fail(f"opportunities {got_opps} != recomputed {expected_opps}")

    expected_rel = []
    rel_path = flag(args, "--related")
    if rel_path:
        for r in read_csv(rel_path):
            if r["account"] in move_of:
                _, frm, to = move_of[r["account"]]
                expected_rel.append((r["kind"], r["id"], r["account"], frm, to))
    got_rel = [(r["kind"], r["id"], r["account"], r["from"], r["to"]) for r in cs["related"]]
    if got_rel != expected_rel:
        fail(f"related {got_rel} != recomputed {expected_rel}")

    # notices: per owner, accounts gained and lost, and per kind counts and amounts
    gained, lost = defaultdict(list), defaultdict(list)
    tally = defaultdict(lambda: defaultdict(lambda: [0, 0, 0.0, 0.0]))
    for acc, frm, to in moved:
        if frm is not None:
            lost[frm].append(acc)
        gained[to].append(acc)
    for oid, acc, amount, frm, to in expected_opps:
        if frm is not None:
            tally[frm]["opportunity"][1] += 1
            tally[frm]["opportunity"][3] += amount
        tally[to]["opportunity"][0] += 1
        tally[to]["opportunity"][2] += amount
    for kind, rid, acc, frm, to in expected_rel:
        if frm is not None:
            tally[frm][kind][1] += 1
        tally[to][kind][0] += 1
    owners_before = {o for o in owner.values() if o}
    owners_after = set(after.values())
    touched = set(gained) | set(lost) | (owners_before ^ owners_after)
    got_owners = [n["owner"] for n in cs["notify"]]
    if sorted(got_owners) != sorted(touched) or len(set(got_owners)) != len(got_owners):
        fail(f"notify owners {got_owners} != touched {sorted(touched)}")
    for n in cs["notify"]:
        o = n["owner"]
        status = "new" if o not in owners_before else "dropped" if o not in owners_after else "kept"
        if n["status"] != status:
            fail(f"notify {o}: status {n['status']} != {status}")
        if n["accounts_gained"] != gained.get(o, []) or n["accounts_lost"] != lost.get(o, []):
            fail(f"notify {o}: accounts gained/lost {n['accounts_gained']}/{n['accounts_lost']} != "
                 f"{gained.get(o, [])}/{lost.get(o, [])}")
        got_t = {r["kind"]: [r["gained"], r["lost"], r["amount_gained"], r["amount_lost"]] for r in n["records"]}
        exp_t = {k: v for k, v in tally[o].items()}
        if set(got_t) != set(exp_t):
            fail(f"notify {o}: record kinds {sorted(got_t)} != {sorted(exp_t)}")
        for k, v in exp_t.items():
            g = got_t[k]
            if g[0] != v[0] or g[1] != v[1] or abs(g[2] - v[2]) > 1e-6 or abs(g[3] - v[3]) > 1e-6:
                fail(f"notify {o}: {k} {g} != {v}")
    print(f"check_changes: ok: {len(moved)} moves, {len(expected_opps)} opportunities, {len(expected_rel)} related, "
          f"{len(cs['notify'])} owners to notify")


if __name__ == "__main__":
    main()
