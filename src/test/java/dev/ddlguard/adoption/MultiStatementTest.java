package dev.ddlguard.adoption;

import static dev.ddlguard.support.TestDatabases.PG_URL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.BlockedStatementException;
import dev.ddlguard.support.LogCapture;
import dev.ddlguard.support.ServerTestBase;
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
 * Multi-statement strings on a real PostgreSQL (issue 15, point 3), and a CONCURRENTLY build that
 * would wait forever for the caller's own idle transaction (point 4).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MultiStatementTest {

    private Connection admin;
    private LogCapture log;
    private String m;

    @BeforeEach
    void setUp() throws SQLException {
        admin = TestDatabases.postgres();
        m = "ms_" + Long.toHexString(System.nanoTime());
        exec(admin, "CREATE TABLE " + m + " (id bigint PRIMARY KEY, x int)");
        exec(admin, "INSERT INTO " + m + " SELECT g, g % 100 FROM generate_series(1, 20000) g");
        exec(admin, "ANALYZE " + m);
        log = LogCapture.start();
    }

    @AfterEach
    void tearDown() throws SQLException {
        log.close();
        exec(admin, "DROP TABLE IF EXISTS " + m + ", " + m + "_a3 CASCADE");
        admin.close();
    }

    @Test
    void twoIndexBuildsInOneStringAreSentOneByOneAsConcurrently() throws SQLException {
        try (Connection g = TestDatabases.guarded(PG_URL);
                Statement st = g.createStatement()) {
            boolean rows =
                    st.execute("CREATE INDEX " + m + "_a ON " + m + " (x); CREATE INDEX " + m + "_b ON " + m + " (x)");
            assertThat(rows).isFalse();
            assertThat(st.getUpdateCount()).isZero();
        }
        assertThat(validIndexes()).containsExactly(m + "_a", m + "_b");
        List<JsonNode> records = log.audit();
        assertThat(records).hasSize(2).allSatisfy(r -> {
            assertThat(r.get("decision").asText()).isEqualTo("rewritten");
            assertThat(r.get("executed_sql").asText()).contains("CREATE INDEX CONCURRENTLY");
            assertThat(r.get("outcome").asText()).isEqualTo("ok");
            assertThat(r.get("note").asText()).contains("one statement at a time");
        });
    }

    @Test
    void aConcurrentlyStringMixedWithAQueryIsRefusedBeforeAnythingRuns() throws SQLException {
        try (Connection g = TestDatabases.guarded(PG_URL);
                Statement st = g.createStatement()) {
            assertThatThrownBy(() -> st.execute("CREATE INDEX " + m + "_a ON " + m + " (x); SELECT count(*) FROM " + m))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("Nothing was run");
        }
        assertThat(validIndexes()).isEmpty();
        assertThat(log.onlyAudit().get("outcome").asText()).isEqualTo("error");
    }

    @Test
    void aTableCreatedEarlierInTheSameStringIsNewForTheStatementsAfterIt() throws SQLException {
        String a3 = m + "_a3";
        try (Connection g = TestDatabases.guarded(PG_URL);
                Statement st = g.createStatement()) {
            g.setAutoCommit(false);
            st.execute("CREATE TABLE " + a3 + " (id int, x int); CREATE INDEX " + a3 + "_x ON " + a3 + " (x)");
            g.commit();
            // The same index on the old table in one string with it stays blocked in a transaction.
            assertThatThrownBy(() -> st.execute(
                            "CREATE TABLE " + m + "_other (id int); CREATE INDEX " + m + "_x ON " + m + " (x)"))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("require-concurrent-index");
            g.rollback();
        }
        assertThat(count("SELECT count(*) FROM pg_indexes WHERE indexname = '" + a3 + "_x'"))
                .isEqualTo(1);
        JsonNode index = log.audit().get(1);
        assertThat(index.get("decision").asText()).isEqualTo("allowed");
        assertThat(index.get("rules").get(0).get("message").asText())
                .contains("created earlier in the same SQL string");
    }

    /**
     * PostgreSQL: a temporary table created earlier in the same string is the string's own (an outside tester's staging
     * table, created, filled and dropped in one string, was blocked); the permanent table of its name, named with its
     * schema, is not.
     */
    @Test
    void aTemporaryTableOfTheSameStringIsItsOwnAndThePermanentOneIsNot() throws SQLException {
        try (Connection g = TestDatabases.guarded(PG_URL);
                Statement st = g.createStatement()) {
            st.execute("CREATE TEMP TABLE " + m + "_load (id int); INSERT INTO " + m + "_load SELECT id FROM " + m
                    + " LIMIT 5; DROP TABLE " + m + "_load");
            assertThatThrownBy(() -> st.execute("CREATE TEMP TABLE " + m + " (id int); DROP TABLE public." + m))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("drop-table");
        }
        assertThat(count("SELECT count(*) FROM public." + m)).isEqualTo(20000);
    }

    /**
     * A string with one blocked statement sends nothing: the allowed statement's record says so, with no executed_sql
     * (an outside tester's: it named the SQL as executed).
     */
    @Test
    void theAllowedStatementOfABlockedStringIsRecordedAsNotSent() throws SQLException {
        try (Connection g = TestDatabases.guarded(PG_URL);
                Statement st = g.createStatement()) {
            assertThatThrownBy(() -> st.execute("ALTER TABLE " + m + " ADD COLUMN y int; DROP TABLE " + m))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("drop-table");
        }
        assertThat(count("SELECT count(*) FROM information_schema.columns WHERE table_name = '" + m + "'"
                        + " AND column_name = 'y'"))
                .isZero();
        List<JsonNode> records = log.audit();
        assertThat(records).hasSize(2).allSatisfy(r -> {
            assertThat(r.get("outcome").asText()).isEqualTo("blocked");
            assertThat(r.get("executed_sql").isNull()).as(r.toString()).isTrue();
        });
        assertThat(records.get(0).get("decision").asText()).isEqualTo("allowed");
        assertThat(records.get(0).get("note").asText()).contains("not sent");
    }

    /**
     * Every statement of a string is judged before any of it runs: what the catalog says of a relation an earlier
     * statement of it altered or renamed is from before that statement. A review's finds: the second type change was
     * judged from varchar(10) (a no-op) and rewrote the table; a unique index renamed, then dropped IF EXISTS under its
     * new name, "did not exist" and went.
     */
    @Test
    void whatAnEarlierStatementOfTheStringChangedIsNotJudgedFromTheCatalogsOldAnswer() throws SQLException {
        exec(admin, "ALTER TABLE " + m + " ADD COLUMN v varchar(10)");
        exec(admin, "CREATE UNIQUE INDEX " + m + "_u ON " + m + " (x, id)");
        long file = count("SELECT pg_relation_filenode('" + m + "')");
        try (Connection g = TestDatabases.guarded(PG_URL);
                Statement st = g.createStatement()) {
            assertThatThrownBy(() -> st.execute("ALTER TABLE " + m + " ALTER COLUMN v TYPE varchar(20); ALTER TABLE "
                            + m + " ALTER COLUMN v TYPE varchar(10)"))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("change-column-type")
                    .hasMessageContaining("its current type could not be read");
            assertThatThrownBy(() -> st.execute(
                            "ALTER INDEX " + m + "_u RENAME TO " + m + "_u2; DROP INDEX IF EXISTS " + m + "_u2"))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("drop-constraint")
                    .hasMessageContaining("unique index " + m + "_u2");
            assertThatThrownBy(() -> st.execute("ALTER TABLE " + m + " RENAME TO " + m
                            + "_r /* ddlguard:allow rename-table moving it */; DROP TABLE IF EXISTS " + m + "_r"))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("drop-table");
            // a batch's entries run as one transaction too, each judged as it is added, before any runs
            st.addBatch("ALTER INDEX " + m + "_u RENAME TO " + m + "_u3");
            assertThatThrownBy(() -> st.addBatch("DROP INDEX IF EXISTS " + m + "_u3"))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("drop-constraint");
            st.clearBatch();
            // on its own, the widening is no rewrite
            st.execute("ALTER TABLE " + m + " ALTER COLUMN v TYPE varchar(20)");
        }
        assertThat(count("SELECT pg_relation_filenode('" + m + "')")).isEqualTo(file);
        assertThat(count("SELECT count(*) FROM pg_indexes WHERE indexname = '" + m + "_u'"))
                .isEqualTo(1);
        assertThat(log.audit())
                .filteredOn(r -> r.get("decision").asText().equals("blocked"))
                .extracting(r -> r.get("rules").get(0).get("id").asText())
                .containsExactly("change-column-type", "drop-constraint", "drop-table", "drop-constraint");
    }

    @Test
    void dropIndexIfExistsOfNothingInATransactionIsAllowedWithANote() throws SQLException {
        exec(admin, "CREATE INDEX " + m + "_real ON " + m + " (x)");
        try (Connection g = TestDatabases.guarded(PG_URL)) {
            g.setAutoCommit(false);
            exec(g, "DROP INDEX IF EXISTS " + m + "_no_such_index");
            exec(g, "DROP TABLE IF EXISTS " + m + "_no_such_table");
            assertThatThrownBy(() -> exec(g, "DROP INDEX IF EXISTS " + m + "_real"))
                    .isInstanceOf(BlockedStatementException.class);
            g.rollback();
        }
        assertThat(log.audit())
                .filteredOn(r -> !r.get("outcome").asText().equals("rolled_back"))
                .extracting(r -> r.get("decision").asText())
                .containsExactly("allowed", "allowed", "blocked");
        assertThat(log.audit().get(0).get("rules").get(0).get("message").asText())
                .contains("IF EXISTS makes this a no-op");
        assertThat(validIndexes()).containsExactly(m + "_real");
    }

    /**
     * The race FlywayTest met on a loaded machine: at the guard's first look, Flyway's lock connection was still
     * running its last catalog read (state active), so the build was sent and waited forever. The first look now
     * takes a running own transaction too; the second, a moment later, needs it idle.
     */
    @Test
    void aConcurrentBuildFailsAtOnceWhenTheOwnTransactionWasStillRunningAStatementAtFirst() throws Exception {
        try (Connection own = TestDatabases.postgres();
                // a hang, if the build were sent, ends at the socket timeout instead of never
                Connection g = TestDatabases.guarded(PG_URL + "&socketTimeout=15")) {
            own.setAutoCommit(false);
            own.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            exec(own, "SELECT count(*) FROM " + m);
            CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
                try {
                    exec(own, "SELECT pg_sleep(0.6)");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            ServerTestBase.await(
                    "the own transaction runs a statement",
                    () -> count(
                                    "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'SELECT pg_sleep%'")
                            == 1);
            assertThatThrownBy(() -> exec(g, "CREATE INDEX " + m + "_r ON " + m + " (x)"))
                    .hasMessageContaining("would wait forever")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("55P03"));
            running.get(10, TimeUnit.SECONDS);
            assertThat(validIndexes()).isEmpty();
            own.rollback();
        }
    }

    @Test
    void aConcurrentBuildThatWouldWaitForeverOnTheSameUsersIdleTransactionFailsAtOnce() throws SQLException {
        try (Connection idle = TestDatabases.postgres();
                Connection g = TestDatabases.guarded(PG_URL)) {
            // Like Flyway's lock connection: same user, a transaction holding a snapshot, idle.
            idle.setAutoCommit(false);
            idle.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            exec(idle, "SELECT pg_advisory_xact_lock(4242)");
            exec(idle, "SELECT count(*) FROM " + m);
            long start = System.nanoTime();
            assertThatThrownBy(() -> exec(g, "CREATE INDEX " + m + "_a ON " + m + " (x)"))
                    .hasMessageContaining("would wait forever")
                    .hasMessageContaining("idle in transaction")
                    .hasMessageContaining("postgresql.transactional.lock=false")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("55P03"));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(10_000);
            assertThat(validIndexes()).isEmpty();
            idle.rollback();
            // With the idle transaction gone, the same statement runs.
            exec(g, "CREATE INDEX " + m + "_a ON " + m + " (x)");
        }
        assertThat(validIndexes()).containsExactly(m + "_a");
    }

    @Test
    void aBusySessionOfAnotherKindIsWaitedForAsUsual() throws Exception {
        try (Connection open = TestDatabases.postgres();
                Connection g = TestDatabases.guarded(
                        PG_URL, "ddlguard.lock-timeout.concurrent", "1s", "ddlguard.lock-timeout.retries", "0")) {
            // Active, not idle: a long query holding a snapshot. The build waits for it (bounded by the timeout).
            long busy = ServerTestBase.longQuery(open, "SELECT pg_backend_pid()");
            Thread query = new Thread(() -> {
                try {
                    exec(open, "SELECT pg_sleep(4)");
                } catch (SQLException ignored) {
                    // cancelled at the end of the test
                }
            });
            query.start();
            try (Connection watch = TestDatabases.postgres()) { // the query is running before the build starts
                ServerTestBase.await(
                        "the long query to run",
                        () -> ServerTestBase.longQuery(
                                        watch,
                                        "SELECT count(*) FROM pg_stat_activity WHERE pid = " + busy
                                                + " AND state = 'active'")
                                == 1);
            }
            assertThatThrownBy(() -> exec(g, "CREATE INDEX " + m + "_a ON " + m + " (x)"))
                    .hasMessageNotContaining("would wait forever")
                    .hasMessageContaining("lock timeout");
            query.join();
        }
    }

    private List<String> validIndexes() throws SQLException {
        try (Statement st = admin.createStatement();
                ResultSet rs = st.executeQuery("SELECT c.relname FROM pg_index i"
                        + " JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = '" + m
                        + "'::regclass AND i.indisvalid"
                        + " AND NOT i.indisprimary ORDER BY 1")) {
            java.util.ArrayList<String> names = new java.util.ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        }
    }

    private long count(String sql) throws SQLException {
        try (Statement st = admin.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
