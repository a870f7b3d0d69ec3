package dev.ddlguard.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddlguard.cli.plan.Planner;
import dev.ddlguard.dialect.Dialect;
import dev.ddlguard.dialect.Dialects;
import dev.ddlguard.dialect.postgres.PostgresDialect;
import dev.ddlguard.engine.StatementJudge;
import dev.ddlguard.policy.PolicyResolver;
import dev.ddlguard.policy.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The expand-contract advice is the plan {@code ddlguard plan} prints, so the two never disagree. That every
 * rule's safe alternative passes the guard is checked on every triggering row of the case tables
 * ({@link RuleCasesTest#theSafeAlternativePassesTheGuard}).
 */
class SafeAdviceTest {

    private static final Dialect PG = new PostgresDialect();

    /** The expand-contract rules print, for PostgreSQL, exactly the plan {@code ddlguard plan} prints. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            rename-column       | ALTER TABLE orders RENAME COLUMN note TO remark
            rename-table        | ALTER TABLE orders RENAME TO purchases
            add-column-not-null | ALTER TABLE orders ADD COLUMN region text NOT NULL
            change-column-type  | ALTER TABLE orders ALTER COLUMN amount TYPE bigint
            """)
    void theExpandContractAdviceIsWhatPlanPrints(String rule, String sql) {
        assertThat(safeSql(sql, rule))
                .isEqualTo(Planner.plan(sql, Target.POSTGRESQL, Planner.DEFAULT_BATCH_SIZE)
                        .render());
    }

    @Test
    void theTypeChangeAdviceIsThePlanAndKeepsTheColumnName() {
        String safe = safeSql("ALTER TABLE orders ALTER COLUMN amount TYPE bigint", "change-column-type");
        // the application never reads amount_new: the contract swaps it in under the old name
        assertThat(safe)
                .doesNotContain("reads amount_new")
                .contains("ddlguard:allow drop-column")
                .contains("ddlguard:allow rename-column")
                .contains("RENAME COLUMN amount_new TO amount");
    }

    @Test
    void theDropTableAdviceKeepsACopyOfEveryTableItDrops() {
        assertThat(safeSql("DROP TABLE orders, app.\"Refunds\"", "drop-table"))
                .contains("CREATE TABLE orders_backup AS SELECT * FROM orders;")
                .contains("CREATE TABLE app.\"Refunds_backup\" AS SELECT * FROM app.\"Refunds\";");
    }

    private static String safeSql(String sql, String rule) {
        StatementJudge judge = new StatementJudge(PolicyResolver.resolveFile(null, Dialects.ruleIds()), PG, PG);
        RuleVerdict verdict =
                judge.judge(sql, StatementJudge.Context.offline(true)).statements().get(0).verdicts().stream()
                        .filter(v -> v.ruleId().equals(rule))
                        .findFirst()
                        .orElseThrow();
        return verdict.safeSql();
    }
}
