package dev.ddlguard.reliability;

import static dev.ddlguard.support.ServerTestBase.exec;
import static dev.ddlguard.support.ServerTestBase.stringQuery;
import static dev.ddlguard.support.TestDatabases.PG_URL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.BlockedStatementException;
import dev.ddlguard.support.LogCapture;
import dev.ddlguard.support.ScratchPostgres;
import dev.ddlguard.support.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 8, faults: the live catalog query fails or times out on a real PostgreSQL. The size query
 * ({@code pg_total_relation_size}) takes ACCESS SHARE on the table, so a session holding ACCESS
 * EXCLUSIVE makes it wait: until the caller's own lock_timeout (a failure) or the guard's 2 s query
 * timeout (a cancel). A role whose database revokes that function gets "permission denied". In every
 * case the caller's DDL is judged by the rules and the policy with the size unknown, runs (or is
 * blocked) as it would be, the session's autocommit, lock_timeout and search_path are as before, an
 * open transaction is not aborted, and the audit note says which catalog question went unanswered.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PostgresCatalogFaultsTest {

    private Connection admin;
    private LogCapture log;
    private String schema;
    private String table;

    @BeforeEach
    void createTable() throws SQLException {
        admin = TestDatabases.postgres();
        schema = "ddlg_cf" + Long.toHexString(System.nanoTime());
        table = "orders";
        exec(
                admin,
                "CREATE SCHEMA " + schema,
                "CREATE TABLE " + schema + ".orders (id int PRIMARY KEY, amount int)",
                "INSERT INTO " + schema + ".orders SELECT g, g FROM generate_series(1, 1000) g",
                "ANALYZE " + schema + ".orders");
        log = LogCapture.start();
    }

    @AfterEach
    void dropTable() throws SQLException {
        if (log != null) {
            log.close();
        }
        if (admin != null) {
            try (Connection c = admin) {
                exec(c, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    /** The caller's session: its own lock_timeout, and a search_path that finds the table unqualified. */
    private Connection callerSession(String lockTimeout, String... settings) throws SQLException {
        Connection g = TestDatabases.guarded(PG_URL, settings);
        exec(g, "SET lock_timeout = '" + lockTimeout + "'", "SET search_path = " + schema + ", public");
        return g;
    }

    /** A session holding ACCESS EXCLUSIVE on the table in an open transaction, until {@link Holder#release}. */
    private final class Holder implements AutoCloseable {
        final Connection c = TestDatabases.postgres();

        Holder() throws SQLException {
            c.setAutoCommit(false);
            exec(c, "LOCK TABLE " + schema + ".orders IN ACCESS EXCLUSIVE MODE");
        }

        /** Releases the lock once the caller's backend waits for it with its DDL: the catalog question is over by then. */
        CompletableFuture<Void> releaseWhenWaiting(int callerPid, String ddlStart) {
            return Sessions.inBackground(() -> {
                try (Connection watcher = TestDatabases.postgres()) {
                    Sessions.waitFor(
                            "the caller's DDL to wait for its lock",
                            Duration.ofSeconds(20),
                            () -> "1"
                                    .equals(stringQuery(
                                            watcher,
                                            "SELECT count(*) FROM pg_stat_activity WHERE pid = " + callerPid
                                                    + " AND wait_event_type = 'Lock' AND query LIKE '" + ddlStart
                                                    + "%'")));
                }
                c.commit();
            });
        }

        @Override
        public void close() throws SQLException {
            c.close();
        }
    }

    private static int pid(Connection c) throws SQLException {
        return Integer.parseInt(stringQuery(c, "SELECT pg_backend_pid()"));
    }

    @ParameterizedTest(name = "autocommit {0}")
    @ValueSource(booleans = {true, false})
    void aCatalogQueryThatGivesUpAtTheCallersLockTimeoutLeavesTheDdlToThePolicy(boolean autocommit) throws Exception {
        try (Holder holder = new Holder();
                Connection g = callerSession("300ms", "ddlguard.lock-timeout", "20s")) {
            g.setAutoCommit(autocommit);
            Sessions.State before = Sessions.State.postgres(g);
            CompletableFuture<Void> release = holder.releaseWhenWaiting(pid(g), "ALTER TABLE");

            exec(g, "ALTER TABLE orders ADD COLUMN note text");

            Sessions.join(release, Duration.ofSeconds(20));
            assertThat(Sessions.State.postgres(g)).isEqualTo(before);
            if (!autocommit) {
                assertThat(Sessions.postgresTransactionAborted(g))
                        .as("the caller's transaction is not aborted")
                        .isFalse();
                exec(g, "INSERT INTO orders (id, amount, note) VALUES (5000, 1, 'in the same transaction')");
                g.commit();
            }
        }
        assertThat(stringQuery(admin, "SELECT count(*) FROM " + schema + ".orders WHERE note IS NOT NULL"))
                .isEqualTo(autocommit ? "0" : "1");
        JsonNode r = log.onlyAudit();
        assertThat(r.get("outcome").asText()).isEqualTo("ok");
        assertThat(r.get("lock").get("bytes").isNull())
                .as("no size: %s", r.get("lock"))
                .isTrue();
        assertThat(r.get("note").asText())
                .contains("catalog unavailable, judged without it: size of orders: ")
                .contains("canceling statement due to lock timeout");
        // Questions that take no table lock are still asked: the lock-queue rule names the holder.
        assertThat(r.get("decision").asText()).isEqualTo("warned");
        assertThat(r.get("rules").get(0).get("id").asText()).isEqualTo("lock-queue");
    }

    @ParameterizedTest(name = "autocommit {0}")
    @ValueSource(booleans = {true, false})
    void aCatalogQueryThatHangsIsCancelledAfterTwoSecondsAndTheDdlStillRuns(boolean autocommit) throws Exception {
        try (Holder holder = new Holder();
                Connection g = callerSession("30s", "ddlguard.lock-timeout", "20s")) {
            g.setAutoCommit(autocommit);
            Sessions.State before = Sessions.State.postgres(g);
            int pid = pid(g);
            long start = System.nanoTime();
            long[] waitingAfter = new long[1];
            CompletableFuture<Void> release = Sessions.inBackground(() -> {
                try (Connection watcher = TestDatabases.postgres()) {
                    Sessions.waitFor(
                            "the caller's DDL to wait for its lock",
                            Duration.ofSeconds(20),
                            () -> "1"
                                    .equals(stringQuery(
                                            watcher,
                                            "SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid
                                                    + " AND wait_event_type = 'Lock' AND query LIKE 'ALTER TABLE%'")));
                }
                waitingAfter[0] = System.nanoTime() - start;
                holder.c.commit();
            });

            exec(g, "ALTER TABLE orders ADD COLUMN note text");

            Sessions.join(release, Duration.ofSeconds(20));
            // The catalog waited for its 2 s timeout, once, and not for the caller's 30 s lock_timeout.
            assertThat(TimeUnit.NANOSECONDS.toMillis(waitingAfter[0])).isBetween(1_900L, 6_000L);
            assertThat(Sessions.State.postgres(g)).isEqualTo(before);
            if (!autocommit) {
                assertThat(Sessions.postgresTransactionAborted(g)).isFalse();
                g.commit();
            }
        }
        JsonNode r = log.onlyAudit();
        assertThat(r.get("outcome").asText()).isEqualTo("ok");
        assertThat(r.get("lock").get("bytes").isNull()).isTrue();
        assertThat(r.get("note").asText())
                .contains("catalog unavailable, judged without it: size of orders: ")
                .contains("canceling statement due to user request")
                .contains("later questions that could wait on the table skipped");
    }

    /**
     * An unknown size never counts as small: a type change that ddlguard.small-table would let through
     * on this 1,000-row table stays blocked while the catalog cannot say how big the table is.
     */
    @Test
    void anUnknownSizeIsNeverSmallSoABlockStaysABlock() throws Exception {
        String change = "ALTER TABLE orders ALTER COLUMN amount TYPE bigint";
        try (Holder holder = new Holder();
                Connection g = callerSession("200ms", "ddlguard.small-table", "10MB")) {
            Sessions.State before = Sessions.State.postgres(g);
            assertThatThrownBy(() -> exec(g, change))
                    .isInstanceOf(BlockedStatementException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("XDG01"));
            assertThat(Sessions.State.postgres(g)).isEqualTo(before);
            JsonNode r = log.onlyAudit();
            assertThat(r.get("decision").asText()).isEqualTo("blocked");
            assertThat(r.get("note").asText()).contains("catalog unavailable").contains("size of orders");
            log.clear();

            holder.c.commit();
            exec(g, change); // the catalog answers again: a small table, so the block only warns
            assertThat(log.onlyAudit().get("decision").asText()).isEqualTo("warned");
        }
    }

    /**
     * A database whose administrator revoked pg_total_relation_size from PUBLIC: the role may change its
     * own table but not ask its size. The size query fails with "permission denied" every time.
     */
    @ParameterizedTest(name = "autocommit {0}")
    @ValueSource(booleans = {true, false})
    void aCatalogQueryTheServerRefusesLeavesTheDdlToThePolicy(boolean autocommit) throws Exception {
        try (ScratchPostgres scratch = new ScratchPostgres("catalog")) {
            try (Connection a = scratch.admin()) {
                exec(a, "REVOKE EXECUTE ON FUNCTION pg_total_relation_size(regclass) FROM PUBLIC");
            }
            try (Connection owner = scratch.raw()) {
                exec(
                        owner,
                        "CREATE SCHEMA app",
                        "CREATE TABLE app.orders (id int PRIMARY KEY, amount int)",
                        "INSERT INTO app.orders SELECT g, g FROM generate_series(1, 100) g");
            }
            try (Connection g =
                    DriverManager.getConnection("jdbc:ddlguard:" + scratch.url().substring("jdbc:".length()))) {
                exec(g, "SET lock_timeout = '1500ms'", "SET search_path = app, public");
                g.setAutoCommit(autocommit);
                Sessions.State before = Sessions.State.postgres(g);
                exec(g, "INSERT INTO orders VALUES (1000, 1)");

                exec(g, "ALTER TABLE orders ADD COLUMN note text");
                assertThatThrownBy(() -> exec(g, "DROP TABLE orders")).isInstanceOf(BlockedStatementException.class);
                assertThatThrownBy(() -> exec(g, "ALTER TABLE orders ADD COLUMN note text"))
                        .as("the database's own error")
                        .isNotInstanceOf(BlockedStatementException.class)
                        .satisfies(e ->
                                assertThat(((SQLException) e).getSQLState()).isEqualTo("42701"));
                if (!autocommit) {
                    g.rollback();
                    exec(g, "ALTER TABLE orders ADD COLUMN note text");
                    assertThat(Sessions.postgresTransactionAborted(g)).isFalse();
                    g.commit();
                }
                assertThat(Sessions.State.postgres(g)).isEqualTo(before);
                assertThat(stringQuery(g, "SELECT count(*) FROM orders WHERE id = 1000"))
                        .isEqualTo(autocommit ? "1" : "0");
            }
        }
        var all = log.audit();
        // in a transaction, the rollback adds a rolled_back record for the first ADD COLUMN (issue 13)
        assertThat(all).hasSize(autocommit ? 3 : 5);
        var records = all.stream()
                .filter(r -> !r.get("outcome").asText().equals("rolled_back"))
                .toList();
        if (!autocommit) {
            assertThat(all.get(3).get("outcome").asText()).isEqualTo("rolled_back");
            assertThat(all.get(3).get("sql").asText()).isEqualTo("ALTER TABLE orders ADD COLUMN note text");
        }
        assertThat(records)
                .allSatisfy(r -> assertThat(r.get("note").asText())
                        .contains("catalog unavailable, judged without it: size of orders: ")
                        .contains("permission denied for function pg_total_relation_size"));
        assertThat(records.get(0).get("outcome").asText()).isEqualTo("ok");
        assertThat(records.get(1).get("outcome").asText()).isEqualTo("blocked");
        assertThat(records.get(2).get("outcome").asText()).isEqualTo("error");
    }
}
