package dev.ddlguard.reliability;

import static dev.ddlguard.support.ServerTestBase.exec;
import static dev.ddlguard.support.ServerTestBase.stringQuery;
import static dev.ddlguard.support.TestDatabases.PG_URL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.BlockedStatementException;
import dev.ddlguard.support.LogCapture;
import dev.ddlguard.support.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 8, faults: a rewrite that sends two statements fails between them. On PostgreSQL a CHECK is
 * added {@code NOT VALID} (committed at once, in autocommit) and then validated by a second
 * statement. If the second fails on a healthy connection, the guard takes the first back (the
 * migration can simply be re-run); if the connection is gone, it cannot, and the NOT VALID constraint
 * stays — in both cases the caller gets the database's own error and the audit note says what ran,
 * what failed and what was left. (MariaDB has no two-statement rewrite: each is one ALTER.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MidRewriteFaultsTest {

    /** The audit note of a rewrite whose VALIDATE failed on a healthy connection and was taken back. */
    private static final String VALIDATE_FAILED_AND_TAKEN_BACK = "the first statement ran; follow-up 1 of 1 failed "
            + "(ALTER TABLE orders VALIDATE CONSTRAINT orders_amount_positive); took back the first: ALTER TABLE orders "
            + "DROP CONSTRAINT IF EXISTS orders_amount_positive";

    private Connection admin;
    private LogCapture log;
    private String schema;

    @BeforeEach
    void createTable() throws SQLException {
        admin = TestDatabases.postgres();
        schema = "ddlg_mr" + Long.toHexString(System.nanoTime());
        exec(
                admin,
                "CREATE SCHEMA " + schema,
                "CREATE TABLE " + schema + ".orders (id int PRIMARY KEY, amount int)",
                "INSERT INTO " + schema + ".orders SELECT g, g FROM generate_series(1, 200) g",
                // Validating a CHECK calls it once per row: 200 rows take 10 s, long enough to be caught at it.
                "CREATE FUNCTION " + schema + ".slowly_positive(v int) RETURNS boolean LANGUAGE plpgsql AS"
                        + " $$ BEGIN PERFORM pg_sleep(0.05); RETURN v > 0; END $$");
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

    private Connection callerSession() throws SQLException {
        Connection g = TestDatabases.guarded(PG_URL);
        exec(g, "SET lock_timeout = '1500ms'", "SET search_path = " + schema + ", public");
        return g;
    }

    /** pg_constraint's view of a constraint: "valid", "not valid", or "absent". */
    private String constraint(String name) throws SQLException {
        String validated = stringQuery(
                admin,
                "SELECT convalidated FROM pg_constraint WHERE conname = '" + name + "' AND conrelid = '" + schema
                        + ".orders'::regclass");
        return validated == null ? "absent" : validated.equals("t") ? "valid" : "not valid";
    }

    @Test
    void aConnectionDroppedDuringValidateLeavesTheNotValidConstraintAndTheRecordSaysSo() throws Exception {
        String sql = "ALTER TABLE orders ADD CONSTRAINT orders_amount_positive CHECK (slowly_positive(amount))";
        SQLException failure;
        try (Connection g = callerSession()) {
            int pid = Integer.parseInt(stringQuery(g, "SELECT pg_backend_pid()"));
            CompletableFuture<Void> terminated = Sessions.inBackground(() -> {
                try (Connection killer = TestDatabases.postgres()) {
                    Sessions.waitFor(
                            "the caller's backend to run VALIDATE CONSTRAINT",
                            Duration.ofSeconds(20),
                            () -> "1"
                                    .equals(
                                            stringQuery(
                                                    killer,
                                                    "SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid
                                                            + " AND state = 'active' AND query LIKE '%VALIDATE CONSTRAINT orders_amount_positive'")));
                    exec(killer, "SELECT pg_terminate_backend(" + pid + ")");
                }
            });

            failure = catchThrowableOfType(() -> exec(g, sql), SQLException.class);

            Sessions.join(terminated, Duration.ofSeconds(20));
            assertThat(g.isValid(2)).as("the caller's connection is gone").isFalse();
        }
        assertThat((Throwable) failure)
                .as("the database's own error")
                .isNotNull()
                .isNotInstanceOf(BlockedStatementException.class);
        assertThat(failure.getSQLState()).as(failure.toString()).matches("57.*|08.*");
        assertThat(constraint("orders_amount_positive"))
                .as("the first statement committed; nothing could take it back")
                .isEqualTo("not valid");

        JsonNode r = log.onlyAudit();
        assertThat(r.get("decision").asText()).isEqualTo("rewritten");
        assertThat(r.get("executed_sql").asText())
                .isEqualTo(sql + " NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_amount_positive");
        assertThat(r.get("outcome").asText()).isEqualTo("error");
        assertThat(r.get("error").asText()).contains("terminating connection due to administrator command");
        assertThat(r.get("note").asText())
                .startsWith(
                        "the first statement ran; follow-up 1 of 1 failed (ALTER TABLE orders VALIDATE CONSTRAINT orders_amount_positive)")
                .contains(
                        "taking back the first (ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_amount_positive) failed too")
                .endsWith("the first statement's change stays");
        log.clear();

        // A new connection from the same driver works normally, and can finish the job.
        try (Connection g = callerSession()) {
            exec(
                    g,
                    "ALTER TABLE orders DROP CONSTRAINT orders_amount_positive",
                    "ALTER TABLE orders ADD CONSTRAINT orders_amount_positive CHECK (amount > 0)");
            assertThat(stringQuery(g, "SHOW lock_timeout")).isEqualTo("1500ms");
        }
        assertThat(constraint("orders_amount_positive")).isEqualTo("valid");
        assertThat(log.audit()).extracting(r2 -> r2.get("outcome").asText()).containsExactly("ok", "ok");
    }

    @Test
    void aValidateThatFindsABadRowTakesTheFirstStatementBackAndLeavesTheSessionAsItWas() throws Exception {
        exec(admin, "UPDATE " + schema + ".orders SET amount = -1 WHERE id = 7");
        try (Connection g = callerSession()) {
            Sessions.State before = Sessions.State.postgres(g);

            SQLException failure = catchThrowableOfType(
                    () -> exec(g, "ALTER TABLE orders ADD CONSTRAINT orders_amount_positive CHECK (amount > 0)"),
                    SQLException.class);

            assertThat((Throwable) failure).isNotNull().isNotInstanceOf(BlockedStatementException.class);
            assertThat(failure.getSQLState())
                    .as("check_violation, from the database")
                    .isEqualTo("23514");
            assertThat(Sessions.State.postgres(g)).isEqualTo(before);
            exec(g, "UPDATE orders SET amount = 7 WHERE id = 7");
            exec(g, "ALTER TABLE orders ADD CONSTRAINT orders_amount_positive CHECK (amount > 0)"); // the re-run works
            assertThat(Sessions.State.postgres(g)).isEqualTo(before);
        }
        assertThat(constraint("orders_amount_positive")).isEqualTo("valid");
        JsonNode r = log.audit().get(0);
        assertThat(r.get("outcome").asText()).isEqualTo("error");
        assertThat(r.get("error").asText()).contains("orders_amount_positive").contains("violated");
        assertThat(r.get("note").asText()).isEqualTo(VALIDATE_FAILED_AND_TAKEN_BACK);
        assertThat(log.audit().get(1).get("outcome").asText()).isEqualTo("ok");
    }

    /**
     * The caller's query timeout bounds the follow-up too: VALIDATE scans the table, and a statement the
     * caller allowed one second must not run on for ten behind its back.
     */
    @Test
    void aValidateLongerThanTheCallersQueryTimeoutIsCancelledAndTakenBack() throws Exception {
        String sql = "ALTER TABLE orders ADD CONSTRAINT orders_amount_positive CHECK (slowly_positive(amount))";
        try (Connection g = callerSession();
                Statement st = g.createStatement()) {
            st.setQueryTimeout(1);
            long start = System.nanoTime();

            SQLException failure = catchThrowableOfType(() -> st.execute(sql), SQLException.class);

            assertThat((Throwable) failure).isNotNull().isNotInstanceOf(BlockedStatementException.class);
            assertThat(failure.getSQLState())
                    .as("query_canceled, from the database: " + failure)
                    .isEqualTo("57014");
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("VALIDATE alone takes 10 s")
                    .isLessThan(Duration.ofSeconds(6));
            assertThat(g.isValid(2)).isTrue();
        }
        assertThat(constraint("orders_amount_positive")).isEqualTo("absent");
        JsonNode r = log.onlyAudit();
        assertThat(r.get("outcome").asText()).isEqualTo("error");
        assertThat(r.get("note").asText()).isEqualTo(VALIDATE_FAILED_AND_TAKEN_BACK);
    }

    /** The same through a batch: the batch's query timeout bounds its entries' follow-ups. */
    @Test
    void aBatchValidateLongerThanTheQueryTimeoutIsCancelledAndTakenBack() throws Exception {
        try (Connection g = callerSession();
                Statement st = g.createStatement()) {
            st.setQueryTimeout(1);
            st.addBatch("ALTER TABLE orders ADD CONSTRAINT orders_amount_positive CHECK (slowly_positive(amount))");

            SQLException failure = catchThrowableOfType(st::executeBatch, SQLException.class);

            assertThat((Throwable) failure).isNotNull().isNotInstanceOf(BlockedStatementException.class);
            assertThat(failure.getSQLState()).as(failure.toString()).isEqualTo("57014");
        }
        assertThat(constraint("orders_amount_positive")).isEqualTo("absent");
        assertThat(log.onlyAudit().get("note").asText())
                .endsWith("took back the first: ALTER TABLE orders DROP "
                        + "CONSTRAINT IF EXISTS orders_amount_positive");
    }

    /** The same through a batch: the other DDL of the batch ran and says so; the failing one is taken back. */
    @Test
    void aValidateThatFailsInABatchIsTakenBackToo() throws Exception {
        exec(admin, "UPDATE " + schema + ".orders SET amount = -1 WHERE id = 7");
        try (Connection g = callerSession();
                Statement st = g.createStatement()) {
            Sessions.State before = Sessions.State.postgres(g);
            st.addBatch("ALTER TABLE orders ADD COLUMN note text");
            st.addBatch("ALTER TABLE orders ADD CONSTRAINT orders_amount_positive CHECK (amount > 0)");

            SQLException failure = catchThrowableOfType(st::executeBatch, SQLException.class);

            assertThat((Throwable) failure).isNotNull().isNotInstanceOf(BlockedStatementException.class);
            assertThat(failure.getSQLState()).isEqualTo("23514");
            assertThat(Sessions.State.postgres(g)).isEqualTo(before);
        }
        assertThat(constraint("orders_amount_positive")).isEqualTo("absent");
        assertThat(stringQuery(
                        admin,
                        "SELECT count(*) FROM information_schema.columns WHERE table_schema = '" + schema
                                + "' AND table_name = 'orders' AND column_name = 'note'"))
                .isEqualTo("1");
        var records = log.audit();
        assertThat(records).extracting(r -> r.get("outcome").asText()).containsExactly("ok", "error");
        assertThat(records.get(1).get("note").asText()).isEqualTo(VALIDATE_FAILED_AND_TAKEN_BACK);
    }
}
