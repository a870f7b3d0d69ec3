package dev.ddlguard.dialect.postgres;

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

/**
 * ddlguard.statement-timeout and the deadlock retry on a real PostgreSQL 15: a slow index build is cancelled
 * by the server at the guard's bound, and a DDL statement chosen as a deadlock victim is retried and succeeds.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PostgresTimeoutsTest extends PgRulesTestBase {

    /**
     * An index on an immutable function that sleeps 40 ms per row: building it over 100 rows takes 4 s. With
     * ddlguard.statement-timeout=500ms the server cancels it (57014) well before, the guard says why, drops the
     * INVALID index the cancelled CONCURRENTLY build left, and puts the session's own statement_timeout back.
     */
    @Test
    void aSlowIndexBuildIsCancelledAtTheStatementTimeout() throws SQLException {
        String t = table("slow", "id int PRIMARY KEY", "SELECT g FROM generate_series(1, 100) g");
        String slow = p + "_slow_id";
        exec(
                admin,
                "CREATE FUNCTION " + slow + "(x int) RETURNS int IMMUTABLE LANGUAGE plpgsql AS "
                        + "$$ BEGIN PERFORM pg_sleep(0.04); RETURN x; END $$");
        afterwards("DROP FUNCTION IF EXISTS " + slow + "(int) CASCADE");
        String index = p + "_slow_idx";
        String sql = "CREATE INDEX CONCURRENTLY " + index + " ON " + t + " (" + slow + "(id))";
        try (Connection g = guarded("ddlguard.statement-timeout", "500ms")) {
            exec(g, "SET statement_timeout = '7s'");
            long start = System.nanoTime();
            assertThatThrownBy(() -> exec(g, sql))
                    .isInstanceOf(SQLTimeoutException.class)
                    .hasMessageContaining("ddlguard.statement-timeout (500 ms)")
                    .hasMessageContaining("canceling statement due to statement timeout")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57014"));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                    .as("ms until cancelled")
                    .isLessThan(3_000);
            assertThat(stringQuery(g, "SHOW statement_timeout"))
                    .as("the session's own value, restored")
                    .isEqualTo("7s");
        }
        assertThat(relationExists(index))
                .as("the INVALID index the cancelled build left is dropped")
                .isFalse();
        JsonNode r = onlyAudit();
        assertThat(r.get("outcome").asText()).isEqualTo("error");
        assertThat(r.get("attempts").asInt())
                .as("a statement timeout is not retried")
                .isEqualTo(1);
        assertThat(r.get("error").asText()).contains("ddlguard.statement-timeout");
    }

    /** Off by default: the same session's statement_timeout is left alone. */
    @Test
    void offByDefault() throws SQLException {
        String t = table("quick", "id int", null);
        try (Connection g = guarded()) {
            exec(g, "SET statement_timeout = '7s'");
            exec(g, "ALTER TABLE " + t + " ADD COLUMN note text");
            assertThat(stringQuery(g, "SHOW statement_timeout")).isEqualTo("7s");
        }
        assertThat(onlyAudit().get("outcome").asText()).isEqualTo("ok");
    }

    /**
     * A real deadlock. A second session writes to {@code a} (ROW EXCLUSIVE) and keeps its transaction open. The
     * guarded ADD FOREIGN KEY … NOT VALID takes SHARE ROW EXCLUSIVE on {@code b}, then waits for the same on
     * {@code a}. The second session then writes to {@code b}, which waits for the DDL: a cycle. The DDL's session
     * runs the deadlock check first (deadlock_timeout 100 ms against the second session's 10 s), so it is the one
     * the server aborts (40P01); the guard retries it, the second session's write goes on and commits, and the
     * retry succeeds.
     */
    @Test
    void aDeadlockVictimIsRetriedInAutocommitAndSucceeds() throws Exception {
        String a = table("a", "id int PRIMARY KEY", "SELECT g FROM generate_series(1, 10) g");
        String b = table("b", "id int PRIMARY KEY, a_id int", "SELECT g, g FROM generate_series(1, 10) g");
        String fk = p + "_b_fk";
        try (Connection other = TestDatabases.postgres();
                Connection g = guarded("ddlguard.lock-timeout", "10s", "ddlguard.lock-timeout.retries", "3")) {
            exec(other, "SET deadlock_timeout = '10s'");
            exec(g, "SET deadlock_timeout = '100ms'");
            int ddlPid = pid(g);
            other.setAutoCommit(false);
            exec(other, "INSERT INTO " + a + " VALUES (100)");
            CompletableFuture<Void> ddl = CompletableFuture.runAsync(() -> {
                try {
                    exec(
                            g,
                            "ALTER TABLE " + b + " ADD CONSTRAINT " + fk + " FOREIGN KEY (a_id) REFERENCES " + a
                                    + " (id) NOT VALID");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            await("the DDL waits for its lock on " + a, () -> waitingForALock(ddlPid));
            exec(
                    other,
                    "INSERT INTO " + b + " VALUES (100, 100)"); // waits for the DDL until the server breaks the cycle
            other.commit();
            ddl.get(20, TimeUnit.SECONDS);
        }
        assertThat(constraints(b)).as("name:type:validated").contains(fk + ":f:false");
        assertThat(count(b)).as("the second session's write went through").isEqualTo(11);
        assertThat(log.warnings())
                .anySatisfy(w -> assertThat(w).contains("deadlock").contains("attempt 1 of 4"));
        JsonNode r = onlyAudit();
        assertThat(r.get("outcome").asText()).isEqualTo("ok");
        assertThat(r.get("attempts").asInt()).isEqualTo(2);
    }

    /** Inside a transaction the server has rolled the transaction back: not retried, and the message says so. */
    @Test
    void aDeadlockInsideATransactionIsNotRetried() throws Exception {
        String a = table("a", "id int PRIMARY KEY", "SELECT g FROM generate_series(1, 10) g");
        String b = table("b", "id int PRIMARY KEY, a_id int", "SELECT g, g FROM generate_series(1, 10) g");
        String fk = p + "_b_fk";
        try (Connection other = TestDatabases.postgres();
                Connection g = guarded("ddlguard.lock-timeout", "10s", "ddlguard.lock-timeout.retries", "3")) {
            exec(other, "SET deadlock_timeout = '10s'");
            exec(g, "SET deadlock_timeout = '100ms'");
            int ddlPid = pid(g);
            g.setAutoCommit(false);
            other.setAutoCommit(false);
            exec(other, "INSERT INTO " + a + " VALUES (100)");
            CompletableFuture<Void> ddl = CompletableFuture.runAsync(() -> {
                try {
                    exec(
                            g,
                            "ALTER TABLE " + b + " ADD CONSTRAINT " + fk + " FOREIGN KEY (a_id) REFERENCES " + a
                                    + " (id) NOT VALID");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            await("the DDL waits for its lock on " + a, () -> waitingForALock(ddlPid));
            exec(other, "INSERT INTO " + b + " VALUES (100, 100)");
            other.commit();
            assertThatThrownBy(() -> ddl.get(20, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(org.postgresql.util.PSQLException.class)
                    .hasMessageContaining("deadlock victim")
                    .hasMessageContaining("not retried inside a transaction");
            g.rollback();
        }
        assertThat(constraints(b)).noneMatch(c -> c.startsWith(fk + ":"));
        JsonNode r = onlyAudit();
        assertThat(r.get("outcome").asText()).isEqualTo("error");
        assertThat(r.get("attempts").asInt()).isEqualTo(1);
    }
}
