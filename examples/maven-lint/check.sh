#!/usr/bin/env bash
# ddlguard's lint as a Maven goal (dev.ddlguard:ddlguard-maven-plugin, bound to verify), no database:
# `mvn verify` passes on the safe migrations and writes target/ddlguard/lint.sarif; with -Punsafe,
# which adds db/unsafe (a CREATE INDEX inside Flyway's transaction), it fails naming the rule; a path
# that does not exist fails the build too, instead of linting nothing.
set -euo pipefail
cd "$(dirname "$0")"
sarif=target/ddlguard/lint.sarif

rm -rf target
mvn -q -B verify
[[ -s $sarif ]] || { echo "maven-lint: the safe build left no $sarif"; exit 1; }
grep -q '"results":\[\]' "$sarif" || { echo "maven-lint: the safe build's $sarif has results:"; cat "$sarif"; exit 1; }
echo "maven-lint: mvn verify passed on db/migration (3 safe migrations), $sarif written"

rm -rf target
if out=$(mvn -q -B verify -Punsafe 2>&1); then
  echo "maven-lint: mvn verify -Punsafe passed on a CREATE INDEX that blocks writes"; exit 1
fi
grep -q 'V4__index_created_at.sql:3: block require-concurrent-index: ' <<<"$out" \
  || { echo "maven-lint: the unsafe build failed without naming require-concurrent-index:"; echo "$out" | tail -20; exit 1; }
grep -q '"ruleId":"require-concurrent-index"' "$sarif" \
  || { echo "maven-lint: the unsafe build's $sarif does not hold require-concurrent-index"; exit 1; }
echo "maven-lint: mvn verify -Punsafe failed: V4__index_created_at.sql:3: block require-concurrent-index (in $sarif too)"

if out=$(mvn -q -B verify -Dddlguard.lint.paths=src/main/resources/db/no-such-folder 2>&1); then
  echo "maven-lint: mvn verify passed on a path that does not exist"; exit 1
fi
grep -q 'no-such-folder: no such file or directory' <<<"$out" \
  || { echo "maven-lint: the missing path failed without saying so:"; echo "$out" | tail -20; exit 1; }
echo "maven-lint: mvn verify on a missing path failed: no such file or directory"
