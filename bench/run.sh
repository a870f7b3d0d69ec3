#!/usr/bin/env bash
# Builds the driver and the benchmarks, runs every JMH benchmark (with -prof gc) and the
# lint-beside-squawk comparison, and writes results/jmh.json, results/lint-hyperfine.json and
# results/summary.md. About 21 minutes on 2 cores. Needs PostgreSQL on 127.0.0.1:5432 (db test,
# user postgres), npm (for squawk-cli) and hyperfine (apt-get install -y hyperfine).
#
# Knobs (environment): FORKS (2), WI (8 warm-up iterations of WT=1s), I (5 iterations of IT=2s),
# BENCH (a JMH regexp, default all), SKIP_BUILD=1, SKIP_LINT=1.
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

if [[ "${SKIP_LINT:-0}" != 1 ]]; then
    # JVM start included. Both exit non-zero when they find something, hence -i.
    hyperfine -N -i --warmup 2 --runs 10 --export-json "$RESULTS/lint-hyperfine.json" \
        -n squawk "tools/node_modules/.bin/squawk $(ls "$CORPUS"/*.sql | tr '\n' ' ')" \
        -n ddlguard "java -jar $ROOT/target/ddlguard-0.1.0-SNAPSHOT-cli.jar lint $CORPUS" \
        > "$RESULTS/lint-hyperfine.txt"
fi

java -jar target/benchmarks.jar "${BENCH:-.*}" \
    -f "${FORKS:-2}" -wi "${WI:-8}" -w "${WT:-1}s" -i "${I:-5}" -r "${IT:-2}s" \
    -jvmArgsAppend "-Xms3g -Xmx3g -Dbench.corpus=$CORPUS" \
    -prof gc -rf json -rff "$RESULTS/jmh.json" | tee "$RESULTS/jmh.txt"

python3 summarize.py "$RESULTS"
echo "wrote $RESULTS/summary.md"
