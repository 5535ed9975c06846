#!/usr/bin/env python3
"""Median and 90th-percentile |error| of a validate run, per metric, per framework_id, per source and
for one device against several.

    java -jar target/gpupoor.jar validate --format csv > /tmp/v.csv
    scripts/summarize-validation.py catalog/measured.csv /tmp/v.csv mem_training train_max_context

DATA is the measurements file validated (for each row's framework_id and source), RESULTS the
`validate --format csv` output; the metrics to summarize follow (rows with status ok only).
"""
import csv
import statistics
import sys
from collections import defaultdict


def stats(errors):
    e = sorted(abs(x) for x in errors)
    if not e:
        return "-"
    p90 = e[min(len(e) - 1, int(round(0.9 * (len(e) - 1))))]
    return f"n={len(e):3d} median {statistics.median(e):5.1f}% p90 {p90:5.1f}%"


def main(data, results, metrics):
    rows = {r["id"]: r for r in csv.DictReader(open(data, newline=""))}
    ok = [r for r in csv.DictReader(open(results, newline="")) if r["status"] == "ok"]
    for metric in metrics:
        mine = [r for r in ok if r["metric"] == metric]
        print(f"== {metric}: {stats([float(r['error_pct']) for r in mine])}")
        for key in ("framework_id", "source", "n_devices"):
            groups = defaultdict(list)
            for r in mine:
                value = rows[r["id"]][key]
                if key == "n_devices":
                    value = "1 device" if value in ("", "1") else "several devices"
                groups[value.split(" ")[0] if key == "source" else value].append(float(r["error_pct"]))
            for value, errors in sorted(groups.items()):
                print(f"   {key:12s} {value[:80]:80s} {stats(errors)}")


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
