package dev.ddlguard.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.support.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ddlguard.statement-timeout (max_statement_time) and the deadlock retry (1213) on a real MariaDB 10.11. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MariaDbTimeoutsTest extends MariaDbRulesTestBase {

    /** CREATE TABLE … AS SELECT SLEEP(0.05) over 100 rows takes 5 s; the server interrupts it at 500 ms (1969). */
    @Test
    void aSlowCreateTableAsSelectIsInterruptedAtTheStatementTimeout() throws SQLException {
        String t = p + "_slow";
        afterwards("DROP TABLE IF EXISTS " + t);
        try (Connection g = guarded("ddlguard.statement-timeout", "500ms")) {
            exec(g, "SET SESSION max_statement_time = 7");
            long start = System.nanoTime();
            assertThatThrownBy(() -> exec(g, "CREATE TABLE " + t + " AS SELECT SLEEP(0.05) AS s FROM seq_1_to_100"))
                    .isInstanceOf(SQLTimeoutException.class)
                    .hasMessageContaining("ddlguard.statement-timeout (500 ms)")
                    .hasMessageContaining("max_statement_time exceeded")
                    .satisfies(
                            e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1969));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                    .as("ms until interrupted")
                    .isLessThan(3_000);
            assertThat(stringQuery(g, "SELECT @@SESSION.max_statement_time"))
                    .as("restored")
                    .startsWith("7");
        }
        assertThat(intQuery(
                        admin,
                        "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE()"
                                + " AND table_name = '" + t + "'"))
                .isZero();
        JsonNode r = onlyAudit();
        assertThat(r.get("outcome").asText()).isEqualTo("error");
        assertThat(r.get("attempts").asInt()).isEqualTo(1);
        assertThat(r.get("error").asText()).contains("ddlguard.statement-timeout");
    }

    /**
     * A real InnoDB deadlock. A second session updates many rows of {@code big} and row 2 of {@code a}, and keeps
     * its transaction open. The guarded CREATE TABLE … AS SELECT … FOR UPDATE locks row 1 of {@code a}, then waits
     * for row 2. The second session then updates row 1: a cycle, which InnoDB breaks at once by rolling back the
     * lighter transaction, the DDL's (1213). The guard retries it; the second session commits; the retry succeeds.
     */
    /**
     * MariaDB's WAIT n is the statement's own lock wait: longer than ddlguard.lock-timeout it would queue readers behind
     * it that long (an outside tester's WAIT 30 did, 29 s): blocked by timeout-override, nothing sent; a shorter one runs.
     */
    @Test
    void aWaitClauseLongerThanTheGuardsLockTimeoutIsBlocked() throws SQLException {
        String t = table("wt", "(id int PRIMARY KEY)", "INSERT INTO {t} VALUES (1)");
        try (Connection g = guarded()) {
            assertBlocked(g, "ALTER TABLE " + t + " WAIT 30 ADD COLUMN c INT", "timeout-override");
            assertBlocked(g, "ALTER TABLE " + t + " WAIT /**/ 30 ADD COLUMN c INT", "timeout-override");
            exec(g, "ALTER TABLE " + t + " WAIT 2 ADD COLUMN d INT");
        }
        assertThat(columns(t)).isEqualTo("id int(11) not null, d int(11)");
    }

    /**
     * A lock timeout is retried by sending the string again: in a string that holds other statements, those before the
     * DDL ran and would run again (an outside tester's UPDATE n = n + 1 ran four times, and the caller saw a failure).
     * Not retried then, and the message says why; the same DDL alone is retried.
     */
    @Test
    void aStringWithOtherStatementsIsNotSentAgainAfterALockTimeout() throws SQLException {
        String counter = table("counter", "(n int)", "INSERT INTO {t} VALUES (0)");
        String busy = table("busy", "(id int PRIMARY KEY)", "INSERT INTO {t} VALUES (1)");
        try (Connection reader = TestDatabases.mariadb();
                Connection g = TestDatabases.guarded(
                        TestDatabases.MARIADB_URL + (TestDatabases.MARIADB_URL.contains("?") ? "&" : "?")
                                + "allowMultiQueries=true",
                        "ddlguard.lock-timeout",
                        "1s",
                        "ddlguard.lock-timeout.retries",
                        "2")) {
            reader.setAutoCommit(false);
            exec(reader, "SELECT * FROM " + busy); // holds a shared metadata lock until it ends
            assertThatThrownBy(() ->
                            exec(g, "UPDATE " + counter + " SET n = n + 1; ALTER TABLE " + busy + " ADD COLUMN c INT"))
                    .hasMessageContaining("after 1000 ms, once")
                    .hasMessageContaining("not retried: the string holds other statements");
            assertThat(intQuery(admin, "SELECT n FROM " + counter)).isEqualTo(1);
            assertThat(onlyAudit().get("attempts").asInt()).isEqualTo(1);

            assertThatThrownBy(() -> exec(g, "ALTER TABLE " + busy + " ADD COLUMN c INT"))
                    .hasMessageContaining("after 1000 ms, 3 times");
            reader.rollback();
        }
    }

    @Test
    void aDeadlockVictimIsRetriedInAutocommitAndSucceeds() throws Exception {
        String a = table(
                "a", "(id int PRIMARY KEY, v int) ENGINE=InnoDB", "INSERT INTO {t} SELECT seq, seq FROM seq_1_to_10");
        String big = table(
                "big",
                "(id int PRIMARY KEY, v int) ENGINE=InnoDB",
                "INSERT INTO {t} SELECT seq, seq FROM seq_1_to_500");
        String copy = p + "_copy";
        afterwards("DROP TABLE IF EXISTS " + copy);
        try (Connection other = TestDatabases.mariadb();
                Connection g = guarded("ddlguard.lock-timeout", "10s", "ddlguard.lock-timeout.retries", "3")) {
            exec(g, "SET SESSION innodb_lock_wait_timeout = 20");
            int ddlId = intQuery(g, "SELECT CONNECTION_ID()");
            other.setAutoCommit(false);
            exec(other, "UPDATE " + big + " SET v = v + 1", "UPDATE " + a + " SET v = v + 1 WHERE id = 2");
            CompletableFuture<Void> ddl = CompletableFuture.runAsync(() -> {
                try {
                    exec(
                            g,
                            "/* ddlguard:allow copy-locks-source the deadlock needs its row locks */ CREATE TABLE "
                                    + copy + " AS SELECT id, v FROM " + a
                                    + " WHERE id IN (1, 2) ORDER BY id FOR UPDATE");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            // InnoDB refreshes information_schema.innodb_trx only when it was last read over 100 ms ago:
            // polling it faster than that reads the same stale cache forever.
            await("the DDL waits for row 2 of " + a, 150, () -> {
                if (ddl.isDone()) {
                    ddl.join(); // rethrows its failure
                    throw new AssertionError("the DDL finished without waiting for row 2");
                }
                return intQuery(
                                admin,
                                "SELECT count(*) FROM information_schema.innodb_trx WHERE trx_mysql_thread_id = "
                                        + ddlId + " AND trx_state = 'LOCK WAIT'")
                        > 0;
            });
            exec(other, "UPDATE " + a + " SET v = v + 1 WHERE id = 1"); // closes the cycle
            other.commit();
            ddl.get(20, TimeUnit.SECONDS);
        }
        assertThat(intQuery(admin, "SELECT count(*) FROM " + copy)).isEqualTo(2);
        assertThat(intQuery(admin, "SELECT v FROM " + copy + " WHERE id = 1"))
                .as("read after the other session's commit")
                .isEqualTo(2);
        assertThat(log.warnings())
                .anySatisfy(w -> assertThat(w).contains("deadlock").contains("attempt 1 of 4"));
        JsonNode r = onlyAudit();
        assertThat(r.get("outcome").asText()).isEqualTo("ok");
        assertThat(r.get("attempts").asInt()).isEqualTo(2);
    }
}
