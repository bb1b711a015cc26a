#!/usr/bin/env python3
"""Makes the drift-monitor measurement input of docs/benchmarks.md ("monitor").

usage: monitor_drift.py ACCOUNTS.csv ASSIGNMENT.csv OUT_DIR [--state TX] [--seed 1]

Writes OUT_DIR/baseline.csv (the accounts with owner = the plan's territory, "T<k>") and
OUT_DIR/drifted.csv (the same plan; population multiplied by a uniform factor in [0.9, 1.1] per
county, seeded, and by 1.3 more in every county of --state). Deterministic for a given seed.
"""
import csv
import random
import sys


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    opts = dict(zip(argv[1::], argv[2::]))
    state = opts.get("--state", "TX")
    seed = int(opts.get("--seed", "1"))
    accounts, assignment, out = args[0], args[1], args[2]
    owner = {}
    with open(assignment, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            owner[row["id"]] = "T" + row["territory"]
    rng = random.Random(seed)
    with open(accounts, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        fields = reader.fieldnames + ["owner"]
    for name, drift in (("baseline", False), ("drifted", True)):
        with open(f"{out}/{name}.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
            w.writeheader()
            for r in rows:
                r2 = dict(r, owner=owner[r["id"]])
                factor = rng.uniform(0.9, 1.1)  # drawn for both files: the same stream each time
                if drift:
                    if r["state"] == state:
                        factor *= 1.3
                    r2["population"] = str(round(float(r["population"]) * factor))
                w.writerow(r2)
            rng = random.Random(seed)


if __name__ == "__main__":
    main(sys.argv)
