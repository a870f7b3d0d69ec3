#!/usr/bin/env bash
# A/B of two revisions of the driver with the interleaved harness: did a change make the JDBC hot path slower?
# Usage: bench/ab.sh <revision-a> <revision-b>   (any git revisions; e.g. cc9feb7 HEAD)
# Builds each revision's benchmarks jar once (a detached worktree, `mvn install` of that revision into ~/.m2, then
# the bench module; the current checkout is installed again at the end), then runs, per workload, the JVMs of A and
# B alternately (A, B, A, B, ...), so that what drifts on the machine hits both. Each JVM measures its own
# revision's four variants in turns (Interleaved.java); the figure per revision is the median of DDLGUARD/RAW over
# all rounds of its JVMs, which summarize-ab.py prints with the difference. Writes results/ab/<a>-<b>/.
# Knobs: AB_H2 and AB_PG ("JVMs rounds slice-ms warm-up-s" per revision; default "2 40 200 16" and "2 200 100 10",
# about 25 minutes in all), AB_ONLY (one workload). Run it on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")"
BENCH_DIR=$(pwd)
ROOT=$(cd .. && pwd)
[[ $# == 2 ]] || { echo "usage: bench/ab.sh <revision-a> <revision-b>" >&2; exit 2; }
A=$(git -C "$ROOT" rev-parse --short "$1")
B=$(git -C "$ROOT" rev-parse --short "$2")
OUT="$BENCH_DIR/results/ab/$A-$B"
JARS="$BENCH_DIR/target/ab"
mkdir -p "$OUT" "$JARS"

build() {
    local rev=$1 tree
    [[ -f "$JARS/$rev.jar" ]] && return
    tree=$(mktemp -d)
    git -C "$ROOT" worktree add -q --detach "$tree" "$rev"
    (cd "$tree" && mvn -q -B install -DskipTests -Dspotless.check.skip=true && cd bench && mvn -q -B package)
    cp "$tree/bench/target/benchmarks.jar" "$JARS/$rev.jar"
    git -C "$ROOT" worktree remove --force "$tree"
}
build "$A"
build "$B"
(cd "$ROOT" && mvn -q -B install -DskipTests)   # ~/.m2 holds the current checkout again

JVM_ARGS="-Xms3g -Xmx3g -XX:+AlwaysPreTouch"
{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "a: $A $(git -C "$ROOT" log -1 --format=%s "$A" | cut -c1-100)"
    echo "b: $B $(git -C "$ROOT" log -1 --format=%s "$B" | cut -c1-100)"
    echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUT/machine.txt"
for workload in h2.statementPointSelect h2.preparedPointSelect h2.insertOne h2.insertBatch100 \
        pg.preparedPointSelect pg.insertOne; do
    [[ -z "${AB_ONLY:-}" || "$AB_ONLY" == "$workload" ]] || continue
    if [[ $workload == h2.* ]]; then set -- ${AB_H2:-2 40 200 16}; else set -- ${AB_PG:-2 200 100 10}; fi
    for ((jvm = 1; jvm <= $1; jvm++)); do
        for rev in "$A" "$B"; do
            java $JVM_ARGS -cp "$JARS/$rev.jar" dev.ddlguard.bench.interleaved.Interleaved \
                "$workload" "$OUT/$rev/$workload.$jvm.json" "$2" "$3" "$4" "$jvm" > /dev/null
        done
    done
done
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
python3 summarize-ab.py "$OUT" "$A" "$B" | tee "$OUT/summary.md"
