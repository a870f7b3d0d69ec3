#!/usr/bin/env bash
# Issue 15, point 8: a fresh-schema migration of 300 DDL statements, raw driver vs ddlguard, PostgreSQL and
# MariaDB, interleaved; prints and writes results/fresh-schema.txt. Under 3 minutes on an idle machine.
# Knobs (environment): FS_SERVERS (both | pg | mariadb), FS_ROUNDS (15 measured rounds), FS_WARMUP (5),
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
java -Xms1g -Xmx1g -cp target/benchmarks.jar \
    -Dbench.pg.url="${FS_PG_URL:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres}" \
    -Dbench.mariadb.url="${FS_MARIADB_URL:-jdbc:mariadb://127.0.0.1:3306/test?user=root}" \
    dev.ddlguard.bench.FreshSchemaBench "${FS_SERVERS:-both}" "${FS_ROUNDS:-15}" "${FS_WARMUP:-5}" "${FS_TABLES:-100}" \
    | tee results/fresh-schema.txt
