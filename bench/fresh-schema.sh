#!/usr/bin/env bash
# Issue 15, point 8: a fresh-schema migration of 300 DDL statements, raw driver vs ddlguard, PostgreSQL and
# MariaDB, interleaved; prints and writes results/fresh-schema.txt. About 4 minutes on an idle machine.
# Two figures per server: the steady state (one JVM, 20 warm-up rounds of raw and guarded, about as long as the JMH
# suites' warm-up, then 15 measured rounds taking turns), and the cold first run of a fresh JVM (FS_COLD JVMs of
# each, alternating), which is what a test suite migrating one database per JVM pays.
# Knobs (environment): FS_SERVERS (both | pg | mariadb), FS_ROUNDS (15 measured rounds), FS_WARMUP (20), FS_COLD (7),
# FS_TABLES (100 tables = 300 statements), FS_PG_URL, FS_MARIADB_URL (default db `test` on 127.0.0.1),
# SKIP_BUILD=1 (use the jar already built; otherwise installs the driver from the root and packages the benchmarks).
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd .. && pwd)
mkdir -p results
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    (cd "$ROOT" && mvn -q -B install -DskipTests)
    mvn -q -B package
fi
bench() {
    java -Xms1g -Xmx1g -cp target/benchmarks.jar \
        -Dbench.pg.url="${FS_PG_URL:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres}" \
        -Dbench.mariadb.url="${FS_MARIADB_URL:-jdbc:mariadb://127.0.0.1:3306/test?user=root}" \
        dev.ddlguard.bench.FreshSchemaBench "$@"
}
{
    bench "${FS_SERVERS:-both}" "${FS_ROUNDS:-15}" "${FS_WARMUP:-20}" "${FS_TABLES:-100}"
    for server in pg mariadb; do
        [[ "${FS_SERVERS:-both}" == both || "${FS_SERVERS:-both}" == "$server" ]] || continue
        for ((i = 0; i < ${FS_COLD:-7}; i++)); do
            # Which variant goes first alternates, as in the steady-state rounds.
            if ((i % 2 == 0)); then order="raw guarded"; else order="guarded raw"; fi
            for variant in $order; do bench cold "$server" "$variant" "${FS_TABLES:-100}"; done
        done | python3 -c '
import statistics, sys
runs = {}
for line in sys.stdin:
    _, server, variant, ms = line.split()
    runs.setdefault(variant, []).append(float(ms))
raw, guarded, n = statistics.median(runs["raw"]), statistics.median(runs["guarded"]), len(runs["raw"])
print(f"{server} cold first run of a fresh JVM, {n} JVMs each: raw median {raw:.1f} ms, "
      f"guarded median {guarded:.1f} ms, ratio of medians {guarded / raw:.3f}")
print(f"{server} cold raw ms: " + " ".join(f"{x:.0f}" for x in runs["raw"]))
print(f"{server} cold guarded ms: " + " ".join(f"{x:.0f}" for x in runs["guarded"]))
'
    done
} | tee results/fresh-schema.txt
