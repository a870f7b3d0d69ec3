package dev.ddlguard.dialect.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.StatementSplitter;
import dev.ddlguard.sql.StatementText;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The advice a block prints, followed on a real PostgreSQL table with rows: the safe SQL from the audit
 * record, placeholders filled as a user would, run statement by statement through the guard. Nothing of it
 * is blocked (the SET NOT NULL after a validated CHECK needs the live catalog to see that it skips the
 * scan), and the table ends as the blocked statement meant.
 */
class PostgresSafeAdviceTest extends PgRulesTestBase {

    @Test
    void theTypeChangePlanRunsThroughTheGuardAndKeepsTheColumnName() throws SQLException {
        String t = table(
                "tc", "id bigint PRIMARY KEY, amount int NOT NULL", "SELECT g, g * 10 FROM generate_series(1, 2000) g");
        try (Connection c = guarded()) {
            String safe =
                    blockedAdvice(c, "ALTER TABLE " + t + " ALTER COLUMN amount TYPE bigint", "change-column-type");
            assertThat(safe).doesNotContain("reads amount_new");
            follow(c, safe);
            exec(c, "INSERT INTO " + t + " (id, amount) VALUES (5000, 7)");
        }
        assertThat(columnType(t, "amount")).isEqualTo("bigint");
        assertThat(columnExists(t, "amount_new")).isFalse();
        assertThat(longQuery(admin, "SELECT sum(amount) FROM " + t)).isEqualTo(10L * 2000 * 2001 / 2 + 7);
    }

    @Test
    void theSetNotNullAdviceRunsThroughTheGuard() throws SQLException {
        String t =
                table("nn", "id bigint PRIMARY KEY, note text", "SELECT g, 'n' || g FROM generate_series(1, 2000) g");
        try (Connection c = guarded()) {
            follow(c, blockedAdvice(c, "ALTER TABLE " + t + " ALTER COLUMN note SET NOT NULL", "set-not-null"));
        }
        assertThat(stringQuery(
                        admin,
                        "SELECT is_nullable FROM information_schema.columns WHERE table_name = '" + t
                                + "' AND column_name = 'note'"))
                .isEqualTo("NO");
    }

    @Test
    void theAddNotNullColumnAdviceRunsThroughTheGuard() throws SQLException {
        String t = table("an", "id bigint PRIMARY KEY", "SELECT g FROM generate_series(1, 2000) g");
        try (Connection c = guarded()) {
            String safe =
                    blockedAdvice(c, "ALTER TABLE " + t + " ADD COLUMN region text NOT NULL", "add-column-not-null");
            follow(c, safe.replace("<value for region>", "'eu'"));
        }
        assertThat(stringQuery(
                        admin,
                        "SELECT is_nullable FROM information_schema.columns WHERE table_name = '" + t
                                + "' AND column_name = 'region'"))
                .isEqualTo("NO");
        assertThat(longQuery(admin, "SELECT count(*) FROM " + t + " WHERE region = 'eu'"))
                .isEqualTo(2000);
    }

    /** Runs the blocked statement, and returns the safe SQL its audit record carries for the rule. */
    private String blockedAdvice(Connection c, String sql, String ruleId) {
        assertBlocked(c, sql, ruleId);
        String safe = rule(onlyAudit(), ruleId).get("safe_sql").asText();
        assertThat(safe).isNotBlank();
        return safe;
    }

    /** Every statement of the advice through the guard; BEGIN/COMMIT as the JDBC calls a migration tool makes. */
    private void follow(Connection c, String safe) throws SQLException {
        List<String> ran = new ArrayList<>();
        for (StatementText text : StatementSplitter.split(safe, SqlSyntax.POSTGRESQL)) {
            String statement = text.text().strip();
            String bare = statement.replaceAll("(?m)^--.*$", "").strip().toUpperCase(Locale.ROOT);
            if (bare.isEmpty()) {
                continue;
            }
            if (bare.equals("BEGIN")) {
                c.setAutoCommit(false);
            } else if (bare.equals("COMMIT")) {
                c.commit();
                c.setAutoCommit(true);
            } else {
                try {
                    exec(c, statement);
                } catch (SQLException e) {
                    throw new AssertionError(
                            "the advice's statement failed (" + e.getSQLState() + "): " + e.getMessage() + "\nafter: "
                                    + ran + "\nadvice:\n" + safe,
                            e);
                }
                ran.add(statement);
            }
        }
        log.clear();
    }
}
