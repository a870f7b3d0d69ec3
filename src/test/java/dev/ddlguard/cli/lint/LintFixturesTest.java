package dev.ddlguard.cli.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddlguard.engine.Decision;
import dev.ddlguard.policy.Policy;
import dev.ddlguard.policy.Target;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Lints the hand-written migrations under src/test/resources/lint and checks every finding. */
class LintFixturesTest {

    static final String ROOT = "src/test/resources/lint/";

    static LintResult lint(Target target, String... paths) {
        return Linter.lint(
                List.of(paths).stream().map(p -> Path.of(ROOT + p)).toList(),
                new LintOptions(target, Policy.defaults()));
    }

    /** One line per finding: file:line decision rule=action…, then the context flags that are set. */
    static List<String> describe(LintResult result) {
        return result.findings().stream()
                .map(f -> f.file().substring(ROOT.length()) + ":" + f.line() + " "
                        + f.decision().value()
                        + f.rules().stream()
                                .map(v -> " " + v.ruleId() + "=" + v.action().value())
                                .collect(Collectors.joining())
                        + (f.inTransaction() ? " [tx]" : "") + (f.lockTimeoutSet() ? " [lock_timeout]" : ""))
                .toList();
    }

    @Test
    void flywayFolder() {
        LintResult result = lint(Target.POSTGRESQL, "flyway");
        assertThat(describe(result))
                .containsExactly(
                        "flyway/V1__create.sql:2 allowed [tx]",
                        "flyway/V1__create.sql:7 allowed [tx]",
                        // In Flyway's transaction the CONCURRENTLY rewrite is impossible, so the rule blocks.
                        "flyway/V2__index.sql:2 blocked require-concurrent-index=block [tx]",
                        // executeInTransaction=false in V3__index_concurrently.sql.conf: the rewrite is possible.
                        "flyway/V3__index_concurrently.sql:3 rewritten require-concurrent-index=rewrite [lock_timeout]",
                        "flyway/V4__drop.sql:1 blocked drop-table=block [tx]",
                        "flyway/V4__drop.sql:4 allowed drop-table=allow [tx]");
        assertThat(result.findings().get(3).rewrittenSql())
                .isEqualTo("CREATE INDEX CONCURRENTLY orders_created_idx ON orders (created_at)");
        assertThat(result.findings().get(3).executedLock().mode()).isEqualTo("SHARE UPDATE EXCLUSIVE");
        assertThat(result.findings().get(2).rules().get(0).message()).contains("cannot be used here");
        assertThat(result.findings().get(5).rules().get(0).message())
                .contains("allowed by comment: archived to cold storage in OPS-412");
        assertThat(result.files()).isEqualTo(4);
        assertThat(result.statements()).isEqualTo(7); // the SET in V3 is read but is not DDL
        assertThat(result.errors()).isEmpty();
        assertThat(result.exitCode()).isEqualTo(1);
    }

    @Test
    void liquibaseChangesetsEachDecideTheirTransaction() {
        assertThat(describe(lint(Target.POSTGRESQL, "liquibase")))
                .containsExactly(
                        "liquibase/changelog.sql:5 blocked require-concurrent-index=block [tx]",
                        "liquibase/changelog.sql:9 rewritten require-concurrent-index=rewrite");
        // the --rollback DROP INDEX lines are never judged
    }

    @Test
    void plainScriptsOpenTheirOwnTransaction() {
        assertThat(describe(lint(Target.POSTGRESQL, "plain")))
                .containsExactly(
                        "plain/explicit_transaction.sql:2 blocked concurrently-in-transaction=block [tx]",
                        "plain/explicit_transaction.sql:5 allowed");
    }

    @Test
    void mariadbOnlineDdl() {
        LintResult result = lint(Target.MARIADB, "mariadb");
        assertThat(describe(result))
                .containsExactly(
                        "mariadb/orders.sql:1 rewritten require-online-ddl=rewrite",
                        "mariadb/orders.sql:3 blocked no-online-ddl-path=block");
        assertThat(result.findings().get(0).rewrittenSql())
                .isEqualTo(
                        "ALTER TABLE orders ADD INDEX orders_customer_idx (customer_id), ALGORITHM=NOCOPY, LOCK=NONE");
    }

    @Test
    void noDatabaseMeansNoSize() {
        LintResult result = lint(Target.POSTGRESQL, "flyway", "liquibase", "plain");
        assertThat(result.findings()).allSatisfy(f -> {
            assertThat(f.lock()).isNotNull();
            assertThat(f.lock().rows()).isNull();
            assertThat(f.lock().bytes()).isNull();
            assertThat(f.note()).startsWith(Linter.NO_DATABASE);
        });
    }

    @Test
    void exitCodes() {
        LintResult safe = lint(Target.POSTGRESQL, "safe");
        assertThat(describe(safe))
                .containsExactly("safe/V1__create.sql:1 allowed [tx]", "safe/V2__add_column.sql:2 allowed [tx]");
        assertThat(safe.exitCode()).isZero();
        assertThat(safe.anyBlocked()).isFalse();

        assertThat(lint(Target.POSTGRESQL, "flyway").exitCode()).isEqualTo(1);

        LintResult missing = lint(Target.POSTGRESQL, "safe", "no-such-folder");
        assertThat(missing.errors())
                .containsExactly(new InputError(ROOT + "no-such-folder", "no such file or directory"));
        assertThat(missing.findings()).hasSize(2); // the readable input is still linted
        assertThat(missing.exitCode()).isEqualTo(2);
    }

    @Test
    void countsPerDecision() {
        LintResult result = lint(Target.POSTGRESQL, "flyway", "liquibase", "plain");
        assertThat(result.findings()).hasSize(10);
        assertThat(result.count(Decision.BLOCKED)).isEqualTo(4);
        assertThat(result.count(Decision.REWRITTEN)).isEqualTo(2);
        assertThat(result.count(Decision.ALLOWED)).isEqualTo(4);
    }

    @Test
    void autoTargetMeansPostgresql() {
        assertThat(new LintOptions(Target.AUTO, Policy.defaults()).effectiveTarget())
                .isEqualTo(Target.POSTGRESQL);
        assertThat(describe(lint(Target.AUTO, "plain"))).isEqualTo(describe(lint(Target.POSTGRESQL, "plain")));
    }
}
