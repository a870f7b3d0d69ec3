#!/usr/bin/env bash
# Flyway's Maven plugin given nothing but a jdbc:ddlguard: URL, on the real PostgreSQL and MariaDB
# (DDLGUARD_TEST_PG_URL / DDLGUARD_TEST_MARIADB_URL, as the tests use): V1 and V2 apply through the
# guard; in a later run V3, which drops the table V2 filled, is blocked and the build fails.
set -euo pipefail
cd "$(dirname "$0")"
pg_url=${DDLGUARD_TEST_PG_URL:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres}
maria_url=${DDLGUARD_TEST_MARIADB_URL:-jdbc:mariadb://127.0.0.1:3306/test?user=root}
database() { sed -E 's#^jdbc:[a-z]+://[^/]+/([^?;]+).*#\1#' <<<"$1"; }
migrations="filesystem:$PWD/src/main/resources/db/migration"

check() { # name, guarded URL, extra Flyway properties…
  local name=$1 url=$2; shift 2
  mvn -q -B flyway:migrate "-Dflyway.url=$url" "$@"
  local out
  if out=$(mvn -B flyway:migrate "-Dflyway.url=$url" "$@" \
      "-Dflyway.locations=$migrations,filesystem:$PWD/src/main/resources/db/unsafe" 2>&1); then
    echo "$name: the Flyway Maven plugin ran V3 (DROP TABLE) through the guard"; exit 1
  fi
  grep -q '\[drop-table\]' <<<"$out" || { echo "$name: V3 failed without the guard's [drop-table]:"; echo "$out" | tail -20; exit 1; }
  echo "$name: Flyway Maven plugin by URL: V1, V2 applied; V3 blocked by [drop-table]"
}

psql -h 127.0.0.1 -U postgres -d "$(database "$pg_url")" -qc 'DROP SCHEMA IF EXISTS ddlguard_flyway_maven CASCADE' 2>/dev/null
check PostgreSQL "jdbc:ddlguard:${pg_url#jdbc:}" -Dflyway.schemas=ddlguard_flyway_maven -Dflyway.postgresql.transactional.lock=false
psql -h 127.0.0.1 -U postgres -d "$(database "$pg_url")" -qc 'DROP SCHEMA IF EXISTS ddlguard_flyway_maven CASCADE' 2>/dev/null

mariadb -h 127.0.0.1 -uroot "$(database "$maria_url")" -e 'DROP TABLE IF EXISTS ddlguard_fm_customers, ddlguard_fm_history'
# the shared test database holds other tables: Flyway baselines it at 0 and applies V1 on
check MariaDB "jdbc:ddlguard:${maria_url#jdbc:}" -Dflyway.baselineOnMigrate=true -Dflyway.baselineVersion=0
mariadb -h 127.0.0.1 -uroot "$(database "$maria_url")" -e 'DROP TABLE IF EXISTS ddlguard_fm_customers, ddlguard_fm_history'
