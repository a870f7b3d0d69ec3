package dev.ddlguard.dialect.postgres;

import static dev.ddlguard.support.TestDatabases.PG_URL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.BlockedStatementException;
import dev.ddlguard.support.LogCapture;
import dev.ddlguard.support.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The driver core on a real PostgreSQL: what reached the server, which lock was taken, the
 * session's lock_timeout, catalog figures, and a second connection writing while DDL runs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PostgresGuardTest {

    private Connection admin;
    private LogCapture log;
    private String table;

    @BeforeEach
    void setUp() throws SQLException {
        admin = TestDatabases.postgres();
        table = "ddlguard_it_" + Long.toHexString(System.nanoTime());
        exec(admin, "CREATE TABLE " + table + " (id bigint PRIMARY KEY, customer_id int, note text)");
        exec(admin, "INSERT INTO " + table + " SELECT g, g % 100, 'n' || g FROM generate_series(1, 5000) g");
        exec(admin, "ANALYZE " + table);
        log = LogCapture.start();
    }

    @AfterEach
    void tearDown() throws SQLException {
        if (log != null) {
            log.close();
        }
        if (admin != null) {
            exec(admin, "DROP TABLE IF EXISTS " + table + " CASCADE");
            admin.close();
        }
    }

    @Test
    void createIndexIsRewrittenToConcurrentlyAndWritesGoOnWhileItBuilds() throws Exception {
        try (Connection holder = TestDatabases.postgres();
                Connection writer = TestDatabases.postgres();
                Connection guarded = TestDatabases.guarded(PG_URL)) {
            int guardedPid = intQuery(guarded, "SELECT pg_backend_pid()");
            // An open transaction: CREATE INDEX CONCURRENTLY must wait for it before finishing its build.
            holder.setAutoCommit(false);
            exec(holder, "INSERT INTO " + table + " VALUES (100001, 1, 'held')");

            CompletableFuture<Void> build = CompletableFuture.runAsync(() -> {
                try {
                    exec(guarded, "CREATE INDEX " + table + "_customer ON " + table + " (customer_id)");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            awaitWaiting(guardedPid);

            // The lock held while the build waits: SHARE UPDATE EXCLUSIVE (CONCURRENTLY), never SHARE.
            assertThat(locksOf(guardedPid)).contains("ShareUpdateExclusiveLock").doesNotContain("ShareLock:" + table);
            // A second connection writes to the table meanwhile: a plain CREATE INDEX would block it.
            exec(writer, "SET statement_timeout = '5s'");
            exec(writer, "INSERT INTO " + table + " VALUES (100002, 2, 'written during the build')");

            holder.commit();
            build.get(30, TimeUnit.SECONDS);
        }
        assertThat(intQuery(
                        admin,
                        "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                                + " WHERE c.relname = '" + table + "_customer' AND i.indisvalid"))
                .isEqualTo(1);
        JsonNode r = log.onlyAudit();
        assertThat(r.get("decision").asText()).isEqualTo("rewritten");
        assertThat(r.get("executed_sql").asText())
                .isEqualTo("CREATE INDEX CONCURRENTLY " + table + "_customer ON " + table + " (customer_id)");
        assertThat(r.get("lock").get("mode").asText()).isEqualTo("SHARE");
        assertThat(r.get("lock").get("blocks")).extracting(JsonNode::asText).containsExactly("writes");
        assertThat(r.get("executed_lock").get("mode").asText()).isEqualTo("SHARE UPDATE EXCLUSIVE");
        assertThat(r.get("executed_lock").get("blocks")).isEmpty();
        assertThat(r.get("lock").get("rows").asLong()).isEqualTo(5000);
        assertThat(r.get("lock").get("bytes").asLong()).isGreaterThan(100_000);
        assertThat(r.get("lock").get("estimated_ms").isNumber()).isTrue();
    }

    @Test
    void theServerReceivedTheRewrittenText() throws SQLException {
        try (Connection guarded = TestDatabases.guarded(PG_URL, "ddlguard.lock-timeout.concurrent", "off")) {
            int pid = intQuery(guarded, "SELECT pg_backend_pid()");
            exec(guarded, "create /* keep me */ unique index  " + table + "_note on " + table + " (note)");
            try (Statement st = admin.createStatement();
                    ResultSet rs = st.executeQuery("SELECT query FROM pg_stat_activity WHERE pid = " + pid)) {
                rs.next();
                assertThat(rs.getString(1))
                        .isEqualTo("create /* keep me */ unique index CONCURRENTLY  " + table + "_note on " + table
                                + " (note)");
            }
        }
    }

    @Test
    void insideATransactionTheIndexIsBlockedAndNothingIsSent() throws SQLException {
        try (Connection guarded = TestDatabases.guarded(PG_URL)) {
            guarded.setAutoCommit(false);
            assertThatThrownBy(() -> exec(guarded, "CREATE INDEX " + table + "_c ON " + table + " (customer_id)"))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("cannot run inside a transaction block")
                    .hasMessageContaining("executeInTransaction=false");
            // The transaction is still healthy: nothing reached the server to abort it.
            assertThat(intQuery(guarded, "SELECT count(*) FROM " + table)).isEqualTo(5000);
            guarded.rollback();
        }
        assertThat(intQuery(admin, "SELECT count(*) FROM pg_class WHERE relname = '" + table + "_c'"))
                .isZero();
    }

    @Test
    void lockTimeoutIsSetAroundTheStatementRetriedAndRestored() throws SQLException {
        try (Connection holder = TestDatabases.postgres();
                Connection guarded = TestDatabases.guarded(
                        PG_URL, "ddlguard.lock-timeout", "200ms", "ddlguard.lock-timeout.retries", "1")) {
            exec(guarded, "SET lock_timeout = '0'"); // PostgreSQL's default: wait forever
            holder.setAutoCommit(false);
            exec(holder, "SELECT count(*) FROM " + table); // ACCESS SHARE until commit
            assertThatThrownBy(() -> exec(guarded, "ALTER TABLE " + table + " ADD COLUMN shipped_at timestamptz"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("55P03"));
            assertThat(stringQuery(guarded, "SHOW lock_timeout")).as("restored").isEqualTo("0");
            holder.rollback();
        }
        JsonNode r = log.onlyAudit();
        assertThat(r.get("attempts").asInt()).isEqualTo(2);
        assertThat(r.get("outcome").asText()).isEqualTo("error");
        assertThat(r.get("error").asText()).contains("lock timeout");
        assertThat(r.get("lock").get("mode").asText()).isEqualTo("ACCESS EXCLUSIVE");
    }

    @Test
    void dropTableIsBlockedOnTheServerToo() throws SQLException {
        try (Connection guarded = TestDatabases.guarded(PG_URL)) {
            assertThatThrownBy(() -> exec(guarded, "DROP TABLE " + table))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("ACCESS EXCLUSIVE on " + table)
                    .hasMessageContaining("~5000 rows");
        }
        assertThat(intQuery(admin, "SELECT count(*) FROM " + table)).isEqualTo(5000);
    }

    @Test
    void droppingAForeignKeyReportsTheParentItLocks() throws SQLException {
        exec(
                admin,
                "CREATE TABLE " + table + "_child (id int, parent_id bigint CONSTRAINT " + table + "_fk REFERENCES "
                        + table + " (id))");
        try (Connection guarded = TestDatabases.guarded(PG_URL)) {
            assertThatThrownBy(() -> exec(guarded, "DROP TABLE " + table + "_child"))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("also ACCESS EXCLUSIVE on " + table);
            assertThatThrownBy(() -> exec(guarded, "ALTER TABLE " + table + "_child DROP CONSTRAINT " + table + "_fk"))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("[drop-constraint]")
                    .hasMessageContaining("also ACCESS EXCLUSIVE on " + table);
        } finally {
            exec(admin, "DROP TABLE IF EXISTS " + table + "_child");
        }
        List<JsonNode> records = log.audit();
        assertThat(records)
                .hasSize(2)
                .allSatisfy(r -> assertThat(r.get("lock").get("other_tables")).anySatisfy(o -> {
                    assertThat(o.get("table").asText()).isEqualTo(table);
                    assertThat(o.get("mode").asText()).isEqualTo("ACCESS EXCLUSIVE");
                }));
    }

    @Test
    void setNotNullIsSafeOnceAValidatedCheckProvesIt() throws SQLException {
        exec(admin, "UPDATE " + table + " SET note = 'x' WHERE note IS NULL");
        try (Connection guarded = TestDatabases.guarded(PG_URL)) {
            assertThatThrownBy(() -> exec(guarded, "ALTER TABLE " + table + " ALTER COLUMN note SET NOT NULL"))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("[set-not-null]");
            exec(
                    admin,
                    "ALTER TABLE " + table + " ADD CONSTRAINT " + table
                            + "_note_nn CHECK (note IS NOT NULL) NOT VALID");
            exec(admin, "ALTER TABLE " + table + " VALIDATE CONSTRAINT " + table + "_note_nn");
            exec(guarded, "ALTER TABLE " + table + " ALTER COLUMN note SET NOT NULL");
        }
        assertThat(intQuery(
                        admin,
                        "SELECT count(*) FROM pg_attribute WHERE attrelid = '" + table
                                + "'::regclass AND attname = 'note' AND attnotnull"))
                .isEqualTo(1);
        assertThat(log.audit()).extracting(r -> r.get("decision").asText()).containsExactly("blocked", "allowed");
    }

    @Test
    void aTableCreatedInThisTransactionIsNobodyElsesToWaitOn() throws SQLException {
        String fresh = table + "_fresh";
        try (Connection guarded = TestDatabases.guarded(PG_URL)) {
            guarded.setAutoCommit(false);
            exec(guarded, "CREATE TABLE " + fresh + " (id int NOT NULL, v text)");
            exec(guarded, "ALTER TABLE " + fresh + " ADD CONSTRAINT " + fresh + "_pk PRIMARY KEY (id)");
            exec(guarded, "CREATE INDEX " + fresh + "_v ON " + fresh + " (v)");
            guarded.commit();
            // The same statements on a table that already existed are judged as usual.
            assertThatThrownBy(() -> exec(guarded, "CREATE INDEX " + table + "_v ON " + table + " (note)"))
                    .isInstanceOf(BlockedStatementException.class);
            guarded.rollback();
            // … also after a GRANT and REVOKE on a system column rewrote its catalog row in this transaction (an
            // outside tester's old table then counted as new, and its DROP TABLE was allowed)
            exec(guarded, "GRANT SELECT (ctid, xmin, tableoid) ON " + table + " TO PUBLIC");
            exec(guarded, "REVOKE SELECT (ctid, xmin, tableoid) ON " + table + " FROM PUBLIC");
            assertThatThrownBy(() -> exec(guarded, "DROP TABLE " + table))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("drop-table");
            guarded.rollback();
        } finally {
            exec(admin, "DROP TABLE IF EXISTS " + fresh);
        }
        assertThat(log.audit())
                .extracting(r -> r.get("decision").asText())
                .containsSubsequence("allowed", "allowed", "allowed", "blocked", "blocked");
        assertThat(log.audit())
                .filteredOn(r -> r.get("sql").asText().equals("DROP TABLE " + table))
                .extracting(r -> r.get("decision").asText())
                .containsExactly("blocked");
        assertThat(log.audit().get(2).get("rules").get(0).get("message").asText())
                .contains("created in this transaction");
    }

    /**
     * DROP COLUMN IF EXISTS of a column the table has not is a no-op, not judged; one whose name the server cuts to 63
     * bytes names the column those 63 bytes name (an outside tester's 66-character name was judged absent and dropped
     * it).
     */
    @Test
    void dropColumnOrConstraintIfExistsIsANoOpOnlyWhenTheServerFindsNone() throws SQLException {
        String c63 = "c".repeat(63);
        exec(admin, "ALTER TABLE " + table + " ADD COLUMN " + c63 + " int DEFAULT 1");
        try (Connection guarded = TestDatabases.guarded(PG_URL)) {
            exec(guarded, "ALTER TABLE " + table + " DROP COLUMN IF EXISTS no_such_column");
            exec(guarded, "ALTER TABLE " + table + " DROP CONSTRAINT IF EXISTS no_such_constraint");
            assertThatThrownBy(() -> exec(guarded, "ALTER TABLE " + table + " DROP COLUMN IF EXISTS " + c63 + "zzz"))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("drop-column");
        }
        assertThat(intQuery(
                        admin,
                        "SELECT count(*) FROM pg_attribute WHERE attrelid = '" + table + "'::regclass AND attname = '"
                                + c63 + "' AND NOT attisdropped"))
                .isEqualTo(1);
        assertThat(log.audit().get(0).get("note").asText()).contains("a no-op the server skips");
        assertThat(log.audit().get(1).get("note").asText()).contains("DROP CONSTRAINT IF EXISTS no_such_constraint");
    }

    @Test
    void smallTableTurnsALockBlockIntoAWarning() throws SQLException {
        String[] settings = {"ddlguard.rule.require-concurrent-index", "block", "ddlguard.small-table", "10MB"};
        try (Connection guarded = TestDatabases.guarded(PG_URL, settings)) {
            exec(guarded, "CREATE INDEX " + table + "_small ON " + table + " (customer_id)");
        }
        assertThat(log.onlyAudit().get("decision").asText()).isEqualTo("warned");
        assertThat(log.onlyAudit().get("rules").get(0).get("message").asText()).contains("small-table");
        log.clear();
        try (Connection guarded = TestDatabases.guarded(
                PG_URL, "ddlguard.rule.require-concurrent-index", "block", "ddlguard.small-table", "8kB")) {
            assertThatThrownBy(() -> exec(guarded, "CREATE INDEX " + table + "_big ON " + table + " (customer_id)"))
                    .isInstanceOf(BlockedStatementException.class);
        }
    }

    @Test
    void catalogLookupInsideATransactionKeepsTheTransactionIntact() throws SQLException {
        try (Connection guarded = TestDatabases.guarded(PG_URL)) {
            guarded.setAutoCommit(false);
            exec(guarded, "INSERT INTO " + table + " VALUES (200001, 1, 'in tx')");
            exec(guarded, "ALTER TABLE " + table + " ADD COLUMN shipped_at timestamptz");
            assertThat(intQuery(guarded, "SELECT count(*) FROM " + table)).isEqualTo(5001);
            guarded.rollback();
        }
        assertThat(intQuery(admin, "SELECT count(*) FROM " + table)).isEqualTo(5000);
        assertThat(intQuery(
                        admin,
                        "SELECT count(*) FROM information_schema.columns WHERE table_name = '" + table
                                + "' AND column_name = 'shipped_at'"))
                .isZero();
        var records = log.audit();
        assertThat(records).hasSize(2);
        assertThat(records.get(0).get("lock").get("rows").asLong()).isEqualTo(5000);
        assertThat(records.get(0).get("transaction").asText()).isEqualTo("open");
        assertThat(records.get(1).get("outcome").asText())
                .as("the rollback took it back")
                .isEqualTo("rolled_back");
    }

    private void awaitWaiting(int pid) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (intQuery(admin, "SELECT count(*) FROM pg_locks WHERE pid = " + pid + " AND NOT granted") > 0) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("the index build never waited for the open transaction");
    }

    private String locksOf(int pid) throws SQLException {
        StringBuilder locks = new StringBuilder();
        try (Statement st = admin.createStatement();
                ResultSet rs = st.executeQuery("SELECT l.mode || ':' || coalesce(c.relname, l.locktype) FROM pg_locks l"
                        + " LEFT JOIN pg_class c ON c.oid = l.relation WHERE l.pid = " + pid + " AND l.granted")) {
            while (rs.next()) {
                locks.append(rs.getString(1)).append(' ');
            }
        }
        return locks.toString();
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    static int intQuery(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static String stringQuery(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
