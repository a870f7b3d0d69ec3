#!/usr/bin/env bash
# Builds the driver and the benchmarks, runs every JMH benchmark (with -prof gc), the interleaved
# harness (paired throughput ratios) and the lint-beside-squawk comparison, and writes
# results/jmh.json, results/interleaved/*.json, results/lint-hyperfine.json and results/summary.md.
# About 65 minutes on 2 cores; run it on an otherwise idle machine. Needs PostgreSQL on
# 127.0.0.1:5432 (db test, user postgres), npm (for squawk-cli) and hyperfine (apt-get install -y hyperfine).
#
# Knobs (environment), for the JMH interception suites: FORKS (2), WI (12 warm-up iterations of
# WT=2s), I (8 iterations of IT=2s), BENCH (a JMH regexp, default H2Bench|PgBench); for the
# interleaved harness: AB_H2 and AB_PG, each "JVMs rounds slice-ms warm-up-s" (default "3 60 200 24"
# and "2 400 100 10"), AB_ONLY (a workload, e.g. pg.insertOne);
# SKIP_BUILD=1, SKIP_LINT=1, SKIP_JMH=1 (the interception suites), SKIP_MICRO=1, SKIP_INTERLEAVED=1,
# SKIP_FRESH=1 (the fresh-schema DDL migration, which also needs MariaDB on 127.0.0.1:3306, db test, user root).
set -euo pipefail
cd "$(dirname "$0")"
BENCH_DIR=$(pwd)
ROOT=$(cd .. && pwd)
CORPUS=$(cd "$ROOT/../shared/corpus/pg-migrations" && pwd)
RESULTS="$BENCH_DIR/results"
mkdir -p "$RESULTS"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    (cd "$ROOT" && mvn -q -B install -DskipTests)          # driver jar + the -cli jar
    mvn -q -B package
    [[ -x tools/node_modules/.bin/squawk ]] || npm install --silent --prefix tools squawk-cli
fi

{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "cores: $(nproc)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
    echo "jdk: $(java -version 2>&1 | sed -n 2p)"
    echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "squawk: $(tools/node_modules/.bin/squawk --version 2>&1)"
    echo "postgres: $(psql -h 127.0.0.1 -U postgres -d test -Atc 'show server_version' 2>/dev/null || echo unknown)"
} > "$RESULTS/machine.txt"

if [[ "${SKIP_LINT:-0}" != 1 ]] && ! command -v hyperfine > /dev/null; then
    if [[ $(id -u) == 0 ]] && command -v apt-get > /dev/null; then
        apt-get install -y -q hyperfine > /dev/null || { apt-get update -q > /dev/null && apt-get install -y -q hyperfine > /dev/null; }
    else
        echo "run.sh: hyperfine is missing (apt-get install -y hyperfine), or run with SKIP_LINT=1" >&2
        exit 1
    fi
fi
if [[ "${SKIP_LINT:-0}" != 1 ]]; then
    # JVM start included. Both exit non-zero when they find something, hence -i.
    hyperfine -N -i --warmup 2 --runs 10 --export-json "$RESULTS/lint-hyperfine.json" \
        -n squawk "tools/node_modules/.bin/squawk $(ls "$CORPUS"/*.sql | tr '\n' ' ')" \
        -n ddlguard "java -jar $ROOT/target/ddlguard-0.1.0-SNAPSHOT-cli.jar lint $CORPUS" \
        > "$RESULTS/lint-hyperfine.txt"
fi

# The interception suites (H2Bench, PgBench) need a long warm-up: H2's statement path changes
# speed several-fold while C2 settles, around 8 s into a fork (seen in results/rerun/jmh.txt).
# The DDL micro-benchmarks (JudgeBench, PreFilterBench, LintBench) settle in a few seconds.
JVM_ARGS="-Xms3g -Xmx3g -XX:+AlwaysPreTouch -Dbench.corpus=$CORPUS"
if [[ "${SKIP_JMH:-0}" != 1 ]]; then
    java -jar target/benchmarks.jar "${BENCH:-H2Bench|PgBench}" \
        -f "${FORKS:-2}" -wi "${WI:-12}" -w "${WT:-2}s" -i "${I:-8}" -r "${IT:-2}s" \
        -jvmArgsAppend "$JVM_ARGS" \
        -prof gc -rf json -rff "$RESULTS/jmh-interception.json" | tee "$RESULTS/jmh.txt"
fi
if [[ "${SKIP_MICRO:-0}" != 1 ]]; then
    java -jar target/benchmarks.jar 'JudgeBench|PreFilterBench|LintBench' \
        -f 2 -wi 8 -w 1s -i 5 -r 2s \
        -jvmArgsAppend "$JVM_ARGS" \
        -prof gc -rf json -rff "$RESULTS/jmh-micro.json" | tee -a "$RESULTS/jmh.txt"
fi
# The interleaved harness: per workload, a few JVMs, each running the four variants in turns
# (see Interleaved.java). Its ratios are the ones the targets are judged on.
if [[ "${SKIP_INTERLEAVED:-0}" != 1 ]]; then
    rm -rf "$RESULTS/interleaved"
    : > "$RESULTS/interleaved.txt"
    for workload in h2.statementPointSelect h2.preparedPointSelect h2.insertOne h2.insertBatch100 \
            pg.preparedPointSelect pg.insertOne; do
        [[ -z "${AB_ONLY:-}" || "$AB_ONLY" == "$workload" ]] || continue
        if [[ $workload == h2.* ]]; then set -- ${AB_H2:-3 60 200 24}; else set -- ${AB_PG:-2 400 100 10}; fi
        for ((jvm = 1; jvm <= $1; jvm++)); do
            java $JVM_ARGS -cp target/benchmarks.jar dev.ddlguard.bench.interleaved.Interleaved \
                "$workload" "$RESULTS/interleaved/$workload.$jvm.json" "$2" "$3" "$4" "$jvm" \
                >> "$RESULTS/interleaved.txt"
        done
    done
fi

# Issue 15, point 8: the fresh-schema migration, raw vs guarded, PostgreSQL and MariaDB (see fresh-schema.sh).
if [[ "${SKIP_FRESH:-0}" != 1 ]]; then
    SKIP_BUILD=1 ./fresh-schema.sh
fi

python3 - "$RESULTS" <<'PY'
import json, sys, pathlib
res = pathlib.Path(sys.argv[1])
runs = []
for name in ("jmh-interception.json", "jmh-micro.json"):
    if (res / name).exists():
        runs += json.loads((res / name).read_text())
(res / "jmh.json").write_text(json.dumps(runs, indent=1))
PY

python3 summarize.py "$RESULTS"
echo "wrote $RESULTS/summary.md"
