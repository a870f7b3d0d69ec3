package dev.ddlguard.dialect.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.support.PgServers;
import dev.ddlguard.support.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every version-dependent PostgreSQL rule on both sides of its version boundary, on real servers of each major
 * version of {@code test.pg.versions} (issue 17; {@link PgServers}). Each test first proves on the raw server
 * what the version does (a rewrite seen in {@code pg_class.relfilenode}, a refusal's SQLSTATE, the server's own
 * DEBUG1 message), then that the guard, reading the version from the connection, judges it accordingly:
 *
 * <ul>
 *   <li>11: a constant DEFAULT on ADD COLUMN stops rewriting the table (add-column-rewrites-table);
 *   <li>12: ALTER TYPE … ADD VALUE runs in a transaction block (enum-value-in-transaction); SET NOT NULL uses a
 *       validated CHECK (col IS NOT NULL) instead of scanning (set-not-null); REINDEX CONCURRENTLY exists
 *       (require-concurrent-reindex rewrites); timestamp to timestamptz in a UTC session keeps the file
 *       (change-column-type);
 *   <li>12: ATTACH PARTITION locks the parent SHARE UPDATE EXCLUSIVE, no longer ACCESS EXCLUSIVE (the lock model's
 *       version data, as the audit record shows it);
 *   <li>14: DETACH PARTITION … CONCURRENTLY exists (require-concurrent-detach rewrites);
 *   <li>17: ALTER COLUMN … SET EXPRESSION recomputes a stored generated column into a new file (table-rewrite);
 *   <li>18: a virtual generated column (the default kind) is added without writing anything
 *       (add-column-rewrites-table stays quiet; STORED is still blocked).
 * </ul>
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ParameterizedClass(name = "PostgreSQL {0}")
@MethodSource("majors")
class PostgresVersionBoundaryTest extends PgRulesTestBase {

    @Parameter
    int major;

    static List<Integer> majors() {
        return PgServers.versions();
    }

    @Override
    protected Connection openAdmin() throws SQLException {
        return PgServers.connect(major);
    }

    private Connection guardedHere() throws SQLException {
        return TestDatabases.guarded(PgServers.url(major));
    }

    /** A filled, analyzed table of this test (dropped afterwards). */
    private String filled(String suffix, String columns, String fill) throws SQLException {
        return table(suffix, columns, fill + " FROM generate_series(1, 2000) g");
    }

    // ---- 11: fast defaults ----------------------------------------------------------------------------

    @Test
    void addColumnWithAConstantDefaultRewritesOnlyBefore11() throws SQLException {
        String raw = filled("raw", "id int", "SELECT g");
        long rawFile = relfilenode(raw);
        exec(admin, "ALTER TABLE " + raw + " ADD COLUMN c int DEFAULT 0");
        boolean rewrites = relfilenode(raw) != rawFile;
        assertThat(rewrites)
                .as("PostgreSQL %d rewrites on ADD COLUMN … DEFAULT", major)
                .isEqualTo(major < 11);

        String t = filled("t", "id int", "SELECT g");
        long file = relfilenode(t);
        String sql = "ALTER TABLE " + t + " ADD COLUMN c int DEFAULT 0";
        try (Connection g = guardedHere()) {
            if (rewrites) {
                assertThat(assertBlocked(g, sql, "add-column-rewrites-table")).contains("before PostgreSQL 11");
                assertBlockedRecord(onlyAudit(), "add-column-rewrites-table");
                assertThat(columnExists(t, "c")).isFalse();
            } else {
                exec(g, sql);
                JsonNode r = onlyAudit();
                assertThat(hasRule(r, "add-column-rewrites-table"))
                        .as(r.toString())
                        .isFalse();
                assertThat(r.get("lock").get("work").asText()).isEqualTo("metadata");
                assertThat(columnExists(t, "c")).isTrue();
            }
        }
        assertThat(relfilenode(t)).isEqualTo(file);
    }

    // ---- 12 -------------------------------------------------------------------------------------------

    @Test
    void enumValueInATransactionIsRefusedOnlyBefore12() throws SQLException {
        String raw = p + "_raw_mood";
        String type = p + "_mood";
        exec(admin, "CREATE TYPE " + raw + " AS ENUM ('calm')", "CREATE TYPE " + type + " AS ENUM ('calm')");
        afterwards("DROP TYPE IF EXISTS " + raw);
        afterwards("DROP TYPE IF EXISTS " + type);
        boolean refused;
        try (Connection c = PgServers.connect(major)) {
            c.setAutoCommit(false);
            refused = sqlState(() -> exec(c, "ALTER TYPE " + raw + " ADD VALUE 'sad'")) != null;
            c.rollback();
        }
        assertThat(refused)
                .as("PostgreSQL %d refuses ADD VALUE in a transaction block", major)
                .isEqualTo(major < 12);

        try (Connection g = guardedHere()) {
            g.setAutoCommit(false);
            if (refused) {
                assertBlocked(g, "ALTER TYPE " + type + " ADD VALUE 'sad'", "enum-value-in-transaction");
                g.rollback();
                assertBlockedRecord(onlyAudit(), "enum-value-in-transaction");
            } else {
                exec(g, "ALTER TYPE " + type + " ADD VALUE 'sad'");
                g.commit();
                JsonNode r = onlyAudit();
                assertThat(hasRule(r, "enum-value-in-transaction"))
                        .as(r.toString())
                        .isFalse();
                assertThat(r.get("outcome").asText()).isEqualTo("ok");
            }
        }
        assertThat(stringQuery(
                        admin,
                        "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum" + " WHERE enumtypid = '"
                                + type + "'::regtype"))
                .isEqualTo(refused ? "calm" : "calm,sad");
    }

    @Test
    void setNotNullSkipsItsScanForAValidatedCheckFrom12() throws SQLException {
        String raw = filled("raw", "id int, a int", "SELECT g, g");
        String t = filled("t", "id int, a int", "SELECT g, g");
        for (String table : List.of(raw, t)) {
            exec(admin, "ALTER TABLE " + table + " ADD CONSTRAINT " + table + "_nn CHECK (a IS NOT NULL)");
        }
        // The server says so itself at DEBUG1 (12+: "existing constraints on column … are sufficient to prove …").
        List<String> notices = new ArrayList<>();
        try (Connection c = PgServers.connect(major)) {
            exec(c, "SET client_min_messages = debug1");
            try (var st = c.createStatement()) {
                st.execute("ALTER TABLE " + raw + " ALTER COLUMN a SET NOT NULL");
                for (SQLWarning w = st.getWarnings(); w != null; w = w.getNextWarning()) {
                    notices.add(w.getMessage());
                }
            }
        }
        boolean skipsScan = notices.stream().anyMatch(n -> n.contains("sufficient to prove"));
        assertThat(skipsScan)
                .as("PostgreSQL %d skips the scan (%s)", major, notices)
                .isEqualTo(major >= 12);

        String sql = "ALTER TABLE " + t + " ALTER COLUMN a SET NOT NULL";
        try (Connection g = guardedHere()) {
            if (skipsScan) {
                exec(g, sql);
                JsonNode r = onlyAudit();
                assertThat(hasRule(r, "set-not-null")).as(r.toString()).isFalse();
            } else {
                assertBlocked(g, sql, "set-not-null");
                assertBlockedRecord(onlyAudit(), "set-not-null");
            }
        }
        assertThat(stringQuery(
                        admin,
                        "SELECT attnotnull::text FROM pg_attribute WHERE attrelid = '" + t
                                + "'::regclass AND attname = 'a'"))
                .isEqualTo(skipsScan ? "true" : "false");
    }

    @Test
    void reindexIsRewrittenToConcurrentlyFrom12AndBlockedBefore() throws SQLException {
        String t = filled("t", "id int, a int", "SELECT g, g");
        exec(admin, "CREATE INDEX " + t + "_a ON " + t + " (a)");
        String state = sqlState(() -> exec(admin, "REINDEX INDEX CONCURRENTLY " + t + "_a"));
        boolean concurrently = state == null;
        assertThat(concurrently)
                .as("PostgreSQL %d has REINDEX CONCURRENTLY (%s)", major, state)
                .isEqualTo(major >= 12);
        if (!concurrently) {
            assertThat(state).as("a syntax error").isEqualTo("42601");
        }
        long indexFile = relfilenode(t + "_a");
        try (Connection g = guardedHere()) {
            if (concurrently) {
                exec(g, "REINDEX INDEX " + t + "_a");
                JsonNode r = onlyAudit();
                assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("rewritten");
                assertThat(r.get("executed_sql").asText()).isEqualTo("REINDEX INDEX CONCURRENTLY " + t + "_a");
                assertThat(relfilenode(t + "_a")).as("rebuilt").isNotEqualTo(indexFile);
                assertThat(indexValid(t + "_a")).isTrue();
            } else {
                assertThat(assertBlocked(g, "REINDEX INDEX " + t + "_a", "require-concurrent-reindex"))
                        .contains("no safe rewrite exists");
                assertBlockedRecord(onlyAudit(), "require-concurrent-reindex");
                assertThat(relfilenode(t + "_a")).as("not rebuilt").isEqualTo(indexFile);
            }
        }
    }

    @Test
    void timestampToTimestamptzInUtcKeepsTheFileFrom12() throws SQLException {
        String raw =
                filled("raw", "id int, seen timestamp", "SELECT g, timestamp '2024-01-01' + g * interval '1 minute'");
        String t = filled("t", "id int, seen timestamp", "SELECT g, timestamp '2024-01-01' + g * interval '1 minute'");
        long rawFile = relfilenode(raw);
        try (Connection c = PgServers.connect(major)) {
            exec(c, "SET TimeZone = 'UTC'", "ALTER TABLE " + raw + " ALTER COLUMN seen TYPE timestamptz");
        }
        boolean rewrites = relfilenode(raw) != rawFile;
        assertThat(rewrites)
                .as("PostgreSQL %d rewrites timestamp → timestamptz in UTC", major)
                .isEqualTo(major < 12);

        long file = relfilenode(t);
        String sql = "ALTER TABLE " + t + " ALTER COLUMN seen TYPE timestamptz";
        try (Connection g = guardedHere()) {
            exec(g, "SET TimeZone = 'UTC'");
            log.clear();
            if (rewrites) {
                assertBlocked(g, sql, "change-column-type");
                assertBlockedRecord(onlyAudit(), "change-column-type");
            } else {
                exec(g, sql);
                JsonNode r = onlyAudit();
                assertThat(hasRule(r, "change-column-type")).as(r.toString()).isFalse();
                assertThat(columnType(t, "seen")).isEqualTo("timestamp with time zone");
            }
        }
        assertThat(relfilenode(t)).isEqualTo(file);
    }

    /**
     * The lock model's version data (PgLockVersions) as the guard records it: ATTACH PARTITION locks the parent
     * ACCESS EXCLUSIVE before 12, so a plain read of the parent waits; SHARE UPDATE EXCLUSIVE from 12, so it does not.
     */
    @Test
    void attachPartitionBlocksReadsOfTheParentOnlyBefore12() throws SQLException {
        String parent = p + "_pt";
        exec(
                admin,
                "CREATE TABLE " + parent + " (id int, k int) PARTITION BY RANGE (k)",
                "CREATE TABLE " + parent + "_1 PARTITION OF " + parent + " FOR VALUES FROM (0) TO (10)",
                "CREATE TABLE " + parent + "_2 (id int, k int)",
                "INSERT INTO " + parent + "_2 SELECT g, 10 + g % 10 FROM generate_series(1, 2000) g");
        afterwards("DROP TABLE IF EXISTS " + parent + "_2, " + parent + "_1, " + parent);
        String attach = "ALTER TABLE " + parent + " ATTACH PARTITION " + parent + "_2 FOR VALUES FROM (10) TO (20)";
        String readerState;
        try (Connection c = PgServers.connect(major);
                Connection reader = PgServers.connect(major)) {
            c.setAutoCommit(false);
            exec(c, attach);
            // lock_timeout only ends a wait for a lock: a read that is not blocked is never cut short.
            exec(reader, "SET lock_timeout = '100ms'");
            readerState = sqlState(() -> exec(reader, "SELECT 1 FROM " + parent + " WHERE false"));
            c.rollback();
        }
        boolean readsWait = "55P03".equals(readerState);
        assertThat(readsWait)
                .as("PostgreSQL %d: a read of the parent waits behind ATTACH (%s)", major, readerState)
                .isEqualTo(major < 12);

        try (Connection g = guardedHere()) {
            exec(g, attach);
        }
        JsonNode r = onlyAudit();
        assertThat(r.get("outcome").asText()).as(r.toString()).isEqualTo("ok");
        assertThat(r.get("lock").get("table").asText()).isEqualTo(parent);
        assertThat(r.get("lock").get("mode").asText())
                .isEqualTo(readsWait ? "ACCESS EXCLUSIVE" : "SHARE UPDATE EXCLUSIVE");
        assertThat(r.get("lock").get("blocks").toString()).contains(readsWait ? "reads" : "[]");
        assertThat(intQuery(admin, "SELECT count(*) FROM pg_inherits WHERE inhrelid = '" + parent + "_2'::regclass"))
                .isEqualTo(1);
    }

    // ---- 14: DETACH PARTITION … CONCURRENTLY ----------------------------------------------------------

    @Test
    void detachPartitionIsRewrittenToConcurrentlyFrom14AndBlockedBefore() throws SQLException {
        String parent = p + "_pt";
        exec(
                admin,
                "CREATE TABLE " + parent + " (id int, k int) PARTITION BY RANGE (k)",
                "CREATE TABLE " + parent + "_1 PARTITION OF " + parent + " FOR VALUES FROM (0) TO (10)",
                "CREATE TABLE " + parent + "_2 PARTITION OF " + parent + " FOR VALUES FROM (10) TO (20)",
                "INSERT INTO " + parent + " SELECT g, g % 20 FROM generate_series(1, 2000) g");
        afterwards("DROP TABLE IF EXISTS " + parent + "_1, " + parent + "_2, " + parent);
        String state = sqlState(
                () -> exec(admin, "ALTER TABLE " + parent + " DETACH PARTITION " + parent + "_2 CONCURRENTLY"));
        boolean concurrently = state == null;
        assertThat(concurrently)
                .as("PostgreSQL %d has DETACH … CONCURRENTLY (%s)", major, state)
                .isEqualTo(major >= 14);
        if (!concurrently) {
            assertThat(state).as("a syntax error").isEqualTo("42601");
        }
        String sql = "ALTER TABLE " + parent + " DETACH PARTITION " + parent + "_1";
        try (Connection g = guardedHere()) {
            if (concurrently) {
                exec(g, sql);
                JsonNode r = onlyAudit();
                assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("rewritten");
                assertThat(r.get("executed_sql").asText()).isEqualTo(sql + " CONCURRENTLY");
            } else {
                assertBlocked(g, sql, "require-concurrent-detach");
                assertBlockedRecord(onlyAudit(), "require-concurrent-detach");
            }
        }
        assertThat(intQuery(admin, "SELECT count(*) FROM pg_inherits WHERE inhrelid = '" + parent + "_1'::regclass"))
                .as("still a partition")
                .isEqualTo(concurrently ? 0 : 1);
    }

    // ---- 17: SET EXPRESSION; 18: virtual generated columns --------------------------------------------

    @Test
    void setExpressionRewritesAStoredGeneratedColumnFrom17() throws SQLException {
        org.junit.jupiter.api.Assumptions.assumeTrue(major >= 12, "generated columns exist from 12");
        String raw = filled("raw", "id int, d int GENERATED ALWAYS AS (id * 2) STORED", "SELECT g");
        String t = filled("t", "id int, d int GENERATED ALWAYS AS (id * 2) STORED", "SELECT g");
        long rawFile = relfilenode(raw);
        String state = sqlState(() -> exec(admin, "ALTER TABLE " + raw + " ALTER COLUMN d SET EXPRESSION AS (id * 3)"));
        assertThat(state == null)
                .as("PostgreSQL %d has SET EXPRESSION (%s)", major, state)
                .isEqualTo(major >= 17);
        if (state != null) {
            assertThat(state).as("a syntax error").isEqualTo("42601");
            return;
        }
        assertThat(relfilenode(raw))
                .as("the stored column's table is rewritten")
                .isNotEqualTo(rawFile);
        long file = relfilenode(t);
        try (Connection g = guardedHere()) {
            assertThat(assertBlocked(
                            g, "ALTER TABLE " + t + " ALTER COLUMN d SET EXPRESSION AS (id * 3)", "table-rewrite"))
                    .contains("rewrites");
            JsonNode r = onlyAudit();
            assertBlockedRecord(r, "table-rewrite");
            assertThat(r.get("lock").get("work").asText()).isEqualTo("rewrite");
        }
        assertThat(relfilenode(t)).isEqualTo(file);
    }

    @Test
    void aVirtualGeneratedColumnIsAddedWithoutARewriteFrom18() throws SQLException {
        String raw = filled("raw", "id int", "SELECT g");
        String t = filled("t", "id int", "SELECT g");
        long rawFile = relfilenode(raw);
        String state =
                sqlState(() -> exec(admin, "ALTER TABLE " + raw + " ADD COLUMN d int GENERATED ALWAYS AS (id * 2)"));
        assertThat(state == null)
                .as("PostgreSQL %d has virtual generated columns (%s)", major, state)
                .isEqualTo(major >= 18);
        if (state != null) {
            assertThat(state)
                    .as("a syntax error: STORED is required, or no generated columns at all")
                    .isEqualTo("42601");
            return;
        }
        assertThat(relfilenode(raw)).as("nothing written").isEqualTo(rawFile);
        long file = relfilenode(t);
        try (Connection g = guardedHere()) {
            exec(g, "ALTER TABLE " + t + " ADD COLUMN d int GENERATED ALWAYS AS (id * 2) VIRTUAL");
            JsonNode r = onlyAudit();
            assertThat(hasRule(r, "add-column-rewrites-table")).as(r.toString()).isFalse();
            assertThat(r.get("lock").get("work").asText()).isEqualTo("metadata");
            // The stored kind is still a rewrite, and still blocked.
            assertBlocked(
                    g,
                    "ALTER TABLE " + t + " ADD COLUMN e int GENERATED ALWAYS AS (id * 2) STORED",
                    "add-column-rewrites-table");
            assertBlockedRecord(onlyAudit(), "add-column-rewrites-table");
        }
        assertThat(relfilenode(t)).isEqualTo(file);
        assertThat(intQuery(admin, "SELECT sum(d)::int FROM " + t)).isEqualTo(2001 * 2000);
    }

    private interface SqlRun {
        void run() throws SQLException;
    }

    /** The SQLSTATE the statement failed with, or null when it ran. */
    private static String sqlState(SqlRun run) {
        try {
            run.run();
            return null;
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }
}
