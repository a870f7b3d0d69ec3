package dev.ddlguard.reliability;

import static dev.ddlguard.support.ServerTestBase.exec;
import static dev.ddlguard.support.ServerTestBase.stringQuery;
import static dev.ddlguard.support.TestDatabases.MARIADB_URL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.BlockedStatementException;
import dev.ddlguard.support.LogCapture;
import dev.ddlguard.support.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 8, faults: the live catalog query fails or times out on a real MariaDB. information_schema
 * opens a table to read its size and indexes, which waits for the table's metadata lock: behind a
 * {@code CREATE OR REPLACE TABLE … SELECT} that is still running, until the caller's own
 * lock_wait_timeout (then MariaDB answers NULL with a warning, not an error) or the guard's 2 s query
 * timeout (max_statement_time). A user without the PROCESS privilege is refused the lock-queue
 * question (information_schema.INNODB_TRX). In every case the DDL is judged by the rules and the
 * policy without those facts, runs (or is blocked) as it would be, autocommit, lock_wait_timeout and
 * the current database are as before, and the audit note says which question went unanswered.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MariaDbCatalogFaultsTest {

    private Connection admin;
    private LogCapture log;
    private String table;

    @BeforeEach
    void createTable() throws SQLException {
        admin = TestDatabases.mariadb();
        table = "ddlg_cf" + Long.toHexString(System.nanoTime());
        exec(
                admin,
                "CREATE TABLE " + table + " (id INT PRIMARY KEY, amount INT)",
                "INSERT INTO " + table + " SELECT seq, seq FROM seq_1_to_1000");
        log = LogCapture.start();
    }

    @AfterEach
    void dropTable() throws SQLException {
        if (log != null) {
            log.close();
        }
        if (admin != null) {
            try (Connection c = admin) {
                exec(c, "DROP TABLE IF EXISTS " + table);
            }
        }
    }

    /**
     * Another session replacing the table ({@code CREATE OR REPLACE TABLE … SELECT}) holds its exclusive
     * metadata lock while its SELECT runs; the SELECT waits for a user lock this test holds.
     */
    private final class Replacer implements AutoCloseable {
        private final String userLock = table + "_lock";
        private final Connection lockOwner = TestDatabases.mariadb();
        private final CompletableFuture<Void> replacing;

        Replacer() throws Exception {
            exec(lockOwner, "SELECT GET_LOCK('" + userLock + "', 0)");
            replacing = Sessions.inBackground(() -> {
                try (Connection c = TestDatabases.mariadb()) {
                    exec(
                            c,
                            "CREATE OR REPLACE TABLE " + table + " (id INT PRIMARY KEY, amount INT)"
                                    + " SELECT 1 AS id, 1 AS amount FROM DUAL WHERE GET_LOCK('" + userLock
                                    + "', 30) IS NOT NULL");
                }
            });
            Sessions.waitFor(
                    "the replacing session to hold the table",
                    Duration.ofSeconds(10),
                    () -> "1"
                            .equals(stringQuery(
                                    admin,
                                    "SELECT count(*) FROM information_schema.PROCESSLIST WHERE STATE = 'User lock' AND INFO LIKE 'CREATE OR REPLACE TABLE "
                                            + table + "%'")));
        }

        /** Lets the replacement finish once the caller's DDL waits for the metadata lock: the catalog questions are over. */
        CompletableFuture<Void> finishWhenWaiting(long callerId) {
            return Sessions.inBackground(() -> {
                try (Connection watcher = TestDatabases.mariadb()) {
                    Sessions.waitFor(
                            "the caller's DDL to wait for the metadata lock",
                            Duration.ofSeconds(20),
                            () -> "1"
                                    .equals(
                                            stringQuery(
                                                    watcher,
                                                    "SELECT count(*) FROM information_schema.PROCESSLIST WHERE ID = "
                                                            + callerId
                                                            + " AND STATE = 'Waiting for table metadata lock' AND INFO LIKE 'ALTER TABLE%'")));
                }
                finish();
            });
        }

        void finish() throws Exception {
            exec(lockOwner, "SELECT RELEASE_LOCK('" + userLock + "')");
            Sessions.join(replacing, Duration.ofSeconds(10));
        }

        @Override
        public void close() throws SQLException {
            lockOwner.close(); // releases the user lock if a test failed half-way
        }
    }

    private Connection callerSession(int lockWaitTimeout, String... settings) throws SQLException {
        Connection g = TestDatabases.guarded(MARIADB_URL, settings);
        exec(g, "SET SESSION lock_wait_timeout = " + lockWaitTimeout);
        return g;
    }

    private static long connectionId(Connection c) throws SQLException {
        return Long.parseLong(stringQuery(c, "SELECT CONNECTION_ID()"));
    }

    @ParameterizedTest(name = "autocommit {0}")
    @ValueSource(booleans = {true, false})
    void aCatalogQueryThatGivesUpAtTheCallersLockWaitTimeoutLeavesTheDdlToThePolicy(boolean autocommit)
            throws Exception {
        try (Replacer replacer = new Replacer();
                Connection g = callerSession(1, "ddlguard.lock-timeout", "20s")) {
            g.setAutoCommit(autocommit);
            Sessions.State before = Sessions.State.mariadb(g);
            CompletableFuture<Void> finished = replacer.finishWhenWaiting(connectionId(g));

            exec(g, "ALTER TABLE " + table + " ADD COLUMN note TEXT");

            Sessions.join(finished, Duration.ofSeconds(20));
            assertThat(Sessions.State.mariadb(g)).isEqualTo(before);
            exec(g, "INSERT INTO " + table + " VALUES (2, 2, 'after the fault')");
            if (!autocommit) {
                g.commit();
            }
        }
        assertThat(stringQuery(admin, "SELECT count(*) FROM " + table + " WHERE note IS NOT NULL"))
                .isEqualTo("1");
        JsonNode r = log.onlyAudit();
        assertThat(r.get("outcome").asText()).isEqualTo("ok");
        assertThat(r.get("decision").asText()).isEqualTo("rewritten");
        assertThat(r.get("lock").get("bytes").isNull())
                .as("no size, not 0 bytes: %s", r.get("lock"))
                .isTrue();
        assertThat(r.get("lock").get("rows").isNull()).isTrue();
        assertThat(r.get("note").asText())
                .contains("catalog unavailable, judged without it: size of " + table + ": ")
                .contains("Lock wait timeout exceeded")
                .contains("later questions that could wait on the table skipped");
    }

    @Test
    void aCatalogQueryThatHangsIsStoppedAfterTwoSecondsAndTheDdlStillRuns() throws Exception {
        try (Replacer replacer = new Replacer();
                Connection g = callerSession(60, "ddlguard.lock-timeout", "20s")) {
            Sessions.State before = Sessions.State.mariadb(g);
            long id = connectionId(g);
            long start = System.nanoTime();
            long[] waitingAfter = new long[1];
            CompletableFuture<Void> finished = Sessions.inBackground(() -> {
                try (Connection watcher = TestDatabases.mariadb()) {
                    Sessions.waitFor(
                            "the caller's DDL to wait for the metadata lock",
                            Duration.ofSeconds(20),
                            () -> "1"
                                    .equals(
                                            stringQuery(
                                                    watcher,
                                                    "SELECT count(*) FROM information_schema.PROCESSLIST WHERE ID = "
                                                            + id
                                                            + " AND STATE = 'Waiting for table metadata lock' AND INFO LIKE 'ALTER TABLE%'")));
                }
                waitingAfter[0] = System.nanoTime() - start;
                replacer.finish();
            });

            exec(g, "ALTER TABLE " + table + " ADD COLUMN note TEXT");

            Sessions.join(finished, Duration.ofSeconds(20));
            // One 2 s wait for the size; the index and column questions behind it are skipped, not waited for.
            assertThat(TimeUnit.NANOSECONDS.toMillis(waitingAfter[0])).isBetween(1_900L, 6_000L);
            assertThat(Sessions.State.mariadb(g)).isEqualTo(before);
        }
        JsonNode r = log.onlyAudit();
        assertThat(r.get("outcome").asText()).isEqualTo("ok");
        assertThat(r.get("lock").get("bytes").isNull()).isTrue();
        assertThat(r.get("note").asText())
                .contains("catalog unavailable, judged without it: size of " + table + ": ")
                .contains("max_statement_time exceeded");
    }

    /** An unknown size is never small: a type change ddlguard.small-table would let through stays blocked. */
    @Test
    void anUnknownSizeIsNeverSmallSoABlockStaysABlock() throws Exception {
        String change = "ALTER TABLE " + table + " MODIFY amount BIGINT";
        try (Replacer replacer = new Replacer();
                Connection g = callerSession(1, "ddlguard.small-table", "10MB")) {
            Sessions.State before = Sessions.State.mariadb(g);
            assertThatThrownBy(() -> exec(g, change))
                    .isInstanceOf(BlockedStatementException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("XDG01"));
            assertThat(Sessions.State.mariadb(g)).isEqualTo(before);
            JsonNode r = log.onlyAudit();
            assertThat(r.get("decision").asText()).isEqualTo("blocked");
            assertThat(r.get("note").asText()).contains("catalog unavailable").contains("size of " + table);
            log.clear();

            replacer.finish();
            exec(g, change); // the catalog answers again: a small table, so the block only warns
            assertThat(log.onlyAudit().get("decision").asText()).isEqualTo("warned");
        }
    }

    /**
     * An index whose uniqueness the catalog could not say is taken as unique: dropping it is judged as dropping a
     * unique key (drop-constraint blocks), not let through as a plain index. Once the catalog answers, a plain
     * index drops.
     */
    @Test
    void anIndexOfUnknownUniquenessIsTakenAsUniqueSoItsDropIsJudged() throws Exception {
        exec(admin, "ALTER TABLE " + table + " ADD KEY amount_ix (amount)");
        String drop = "ALTER TABLE " + table + " DROP INDEX amount_ix";
        try (Replacer replacer = new Replacer();
                Connection g = callerSession(1)) {
            assertThatThrownBy(() -> exec(g, drop))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("drop-constraint")
                    .hasMessageContaining("drops unique index amount_ix");
            JsonNode r = log.onlyAudit();
            assertThat(r.get("decision").asText()).isEqualTo("blocked");
            assertThat(r.get("note").asText()).contains("catalog unavailable").contains("size of " + table);
            log.clear();

            replacer.finish(); // the replacement has no amount_ix: put a plain one back
            exec(admin, "ALTER TABLE " + table + " ADD KEY amount_ix (amount)");
            exec(g, drop);
            assertThat(log.onlyAudit().get("outcome").asText()).isEqualTo("ok");
        }
        assertThat(stringQuery(
                        admin,
                        "SELECT count(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
                                + " AND TABLE_NAME = '" + table + "' AND INDEX_NAME = 'amount_ix'"))
                .isEqualTo("0");
    }

    /** A user with every privilege on the database but not PROCESS: information_schema.INNODB_TRX is refused. */
    @ParameterizedTest(name = "autocommit {0}")
    @ValueSource(booleans = {true, false})
    void aCatalogQueryTheServerRefusesLeavesTheDdlToThePolicy(boolean autocommit) throws Exception {
        String user = "ddlg_np" + Long.toHexString(System.nanoTime());
        String password = UUID.randomUUID().toString();
        String database = stringQuery(admin, "SELECT DATABASE()");
        exec(
                admin,
                "CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + password + "'",
                "GRANT ALL PRIVILEGES ON `" + database + "`.* TO '" + user + "'@'%'");
        String url =
                MARIADB_URL.replaceAll("([?&])(user|password)=[^&]*&?", "$1").replaceAll("[?&]$", "");
        url += (url.contains("?") ? "&" : "?") + "user=" + user + "&password=" + password;
        try (Connection g = DriverManager.getConnection("jdbc:ddlguard:" + url.substring("jdbc:".length()))) {
            exec(g, "SET SESSION lock_wait_timeout = 7");
            g.setAutoCommit(autocommit);
            Sessions.State before = Sessions.State.mariadb(g);
            exec(g, "INSERT INTO " + table + " VALUES (5000, 1)");

            exec(g, "ALTER TABLE " + table + " ADD COLUMN note TEXT");
            assertThatThrownBy(() -> exec(g, "DROP TABLE " + table)).isInstanceOf(BlockedStatementException.class);
            assertThatThrownBy(() -> exec(g, "ALTER TABLE " + table + " ADD COLUMN note TEXT"))
                    .as("the database's own error")
                    .isNotInstanceOf(BlockedStatementException.class)
                    .satisfies(
                            e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1060));
            assertThat(Sessions.State.mariadb(g)).isEqualTo(before);
        } finally {
            exec(admin, "DROP USER '" + user + "'@'%'");
        }
        List<JsonNode> records = log.audit();
        assertThat(records).extracting(r -> r.get("outcome").asText()).containsExactly("ok", "blocked", "error");
        assertThat(records)
                .allSatisfy(r -> assertThat(r.get("note").asText())
                        .contains("catalog unavailable, judged without it: sessions holding " + table + ": ")
                        .contains("PROCESS privilege"));
        assertThat(stringQuery(admin, "SELECT count(*) FROM " + table + " WHERE id = 5000"))
                .isEqualTo("1");
    }
}
