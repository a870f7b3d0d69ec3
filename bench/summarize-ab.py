"""Prints the A/B table of bench/ab.sh: per workload, each revision's ddlguard/raw throughput ratio (median of the
per-round ratios over all its JVMs, with the JVMs' own medians beside it) and B's ratio over A's.

Usage: python3 summarize-ab.py <results/ab/a-b> <a> <b>
"""
import json
import pathlib
import statistics
import sys

out, a, b = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3]


def ratios(rev, workload):
    per_jvm = []
    for f in sorted((out / rev).glob(workload + ".*.json")):
        rounds = json.loads(f.read_text())["throughput"]
        per_jvm.append([r["DDLGUARD"] / r["RAW"] for r in rounds])
    return per_jvm


workloads = sorted({f.name.rsplit(".", 2)[0] for f in (out / a).glob("*.json")})
print(open(out / "machine.txt").read().strip())
print()
print("ddlguard throughput / raw driver throughput, paired within each round (higher is better; 1.0 = raw speed)")
print()
print(f"| workload | {a} | {b} | {b} / {a} |")
print("|---|---|---|---|")
for w in workloads:
    cells = []
    medians = []
    for rev in (a, b):
        per_jvm = ratios(rev, w)
        pooled = [x for jvm in per_jvm for x in jvm]
        m = statistics.median(pooled)
        medians.append(m)
        cells.append(f"{m:.3f} (JVMs: {', '.join(f'{statistics.median(j):.3f}' for j in per_jvm)})")
    print(f"| {w} | {cells[0]} | {cells[1]} | {medians[1] / medians[0]:.3f} |")
