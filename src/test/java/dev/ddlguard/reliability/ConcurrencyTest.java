package dev.ddlguard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.BlockedStatementException;
import dev.ddlguard.DdlGuard;
import dev.ddlguard.support.H2;
import dev.ddlguard.support.LogCapture;
import dev.ddlguard.support.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 8: 16 threads on their own guarded connections and 8 sharing one wrapped DataSource send
 * thousands of mixed DML/DDL statements to one H2 database. Each thread's tables carry a unique
 * prefix, so the audit records can be counted per thread: exactly one per DDL statement, none lost,
 * none duplicated, each with the outcome the caller saw.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConcurrencyTest {

    private static final int DRIVER_THREADS = 16;
    private static final int DATASOURCE_THREADS = 8;
    private static final int ROUNDS = Integer.getInteger("rounds", 25);

    /** What one thread sent and saw: DDL count per outcome (ok, blocked, error), and DML sent. */
    record Tally(String prefix, Map<String, Integer> ddl, int dml) {}

    interface ConnectionSource {
        Connection get() throws SQLException;
    }

    @Test
    void oneAuditRecordPerDdlStatementUnderLoad() throws Exception {
        try (H2 db = new H2();
                LogCapture log = LogCapture.start()) {
            db.setup("CREATE TABLE keep_old (id INT)"); // outside the guard: not a table of this run
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL(db.rawUrl());
            DataSource shared = DdlGuard.wrap(h2);

            ExecutorService pool = Executors.newFixedThreadPool(DRIVER_THREADS + DATASOURCE_THREADS);
            List<Future<Tally>> futures = new ArrayList<>();
            for (int t = 0; t < DRIVER_THREADS; t++) {
                futures.add(pool.submit(worker("drv" + t + "x", db::guarded)));
            }
            for (int t = 0; t < DATASOURCE_THREADS; t++) {
                futures.add(pool.submit(worker("ds" + t + "x", shared::getConnection)));
            }
            List<Tally> tallies = new ArrayList<>();
            for (Future<Tally> f : futures) {
                tallies.add(f.get(25, TimeUnit.SECONDS));
            }
            pool.shutdown();

            List<JsonNode> audit = log.audit();
            int ddlSent = 0;
            int dmlSent = 0;
            for (Tally tally : tallies) {
                Map<String, Integer> seen = new HashMap<>();
                for (JsonNode r : audit) {
                    if (r.get("sql").asText().contains(" " + tally.prefix())) {
                        seen.merge(r.get("outcome").asText(), 1, Integer::sum);
                    }
                }
                assertThat(seen)
                        .as("audit records of %s by outcome", tally.prefix())
                        .isEqualTo(tally.ddl());
                ddlSent += tally.ddl().values().stream()
                        .mapToInt(Integer::intValue)
                        .sum();
                dmlSent += tally.dml();
            }
            assertThat(audit).as("no record for anything else, none duplicated").hasSize(ddlSent);
            assertThat(ddlSent + dmlSent).as("thousands of statements").isGreaterThan(3000);
            assertThat(tallies)
                    .allSatisfy(
                            t -> assertThat(t.ddl().getOrDefault("blocked", 0)).isEqualTo(ROUNDS / 5));
        }
    }

    /**
     * Per round: create a table, DML on it, comment on it, index it, then drop it (every fifth drop
     * without an allow comment and together with a table from before the run, so it is blocked and the
     * table stays, under its own name; a table of this run alone may be dropped).
     */
    private static Callable<Tally> worker(String prefix, ConnectionSource source) {
        return () -> {
            Map<String, Integer> ddl = new HashMap<>();
            int dml = 0;
            for (int round = 0; round < ROUNDS; round++) {
                // the shared DataSource hands out a fresh connection every round; the others keep theirs
                try (Connection c = source.get();
                        Statement st = c.createStatement()) {
                    String table = prefix + round;
                    ddl(st, "CREATE TABLE " + table + " (id INT PRIMARY KEY, v VARCHAR(20))", ddl);
                    st.executeUpdate("INSERT INTO " + table + " VALUES (1, 'a'), (2, 'b')");
                    // (no ALTER TABLE … ADD COLUMN here: H2 copies the table for it under its database-wide
                    // monitor, and concurrent copies from 24 sessions stall H2 itself for minutes)
                    ddl(st, "COMMENT ON TABLE " + table + " IS 'churn'", ddl);
                    st.executeUpdate("UPDATE " + table + " SET v = 'c'");
                    st.executeQuery("SELECT COUNT(*) FROM " + table).close();
                    st.executeUpdate("DELETE FROM " + table + " WHERE id = 1");
                    ddl(st, "CREATE INDEX " + table + "_v ON " + table + " (v)", ddl);
                    dml += 4;
                    if (round % 5 == 0) {
                        ddl(st, "DROP TABLE " + table + ", keep_old", ddl); // blocked: drop-table
                    } else {
                        ddl(st, "/* ddlguard:allow drop-table test churn */ DROP TABLE " + table, ddl);
                    }
                }
            }
            return new Tally(prefix, ddl, dml);
        };
    }

    private static void ddl(Statement st, String sql, Map<String, Integer> tally) {
        String outcome;
        try {
            st.execute(sql);
            outcome = "ok";
        } catch (BlockedStatementException e) {
            outcome = "blocked";
        } catch (SQLException e) {
            outcome = "error";
        }
        tally.merge(outcome, 1, Integer::sum);
    }

    private static final int SHARED_THREADS = 8;
    private static final int SHARED_DDL_PER_THREAD = Integer.getInteger("sharedDdl", 12);

    /**
     * Issue 13: one connection used by 8 threads at once (JDBC allows a connection to be used from several
     * threads; pools hand one connection to one thread at a time, but nothing stops an application).
     * prepareStatement's judgement used to be parked in one field of the connection, where another thread's
     * prepare took or replaced it: 32 to 47 records for 100 DDL statements. Each statement must leave exactly
     * one record, with its own SQL, whatever the interleaving. Repeated, since an interleaving is luck.
     */
    @RepeatedTest(5)
    void oneConnectionSharedByEightThreadsOnH2() throws Exception {
        try (H2 db = new H2();
                Connection shared = db.guarded()) {
            sharedConnection(shared, "h2s");
            try (Connection raw = db.raw();
                    ResultSet rs = raw.createStatement()
                            .executeQuery(
                                    "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME LIKE 'H2S%'")) {
                rs.next();
                assertThat(rs.getInt(1))
                        .as("tables created and not dropped (every third)")
                        .isEqualTo(expectedTablesLeft());
            }
        }
    }

    @RepeatedTest(3)
    void oneConnectionSharedByEightThreadsOnPostgres() throws Exception {
        String prefix = "pgs" + Long.toHexString(System.nanoTime());
        try (Connection raw = TestDatabases.postgres();
                Connection shared = TestDatabases.guarded(
                        TestDatabases.PG_URL, "ddlguard.lock-timeout", "1s", "ddlguard.statement-timeout", "30s")) {
            try {
                String timeouts =
                        "SELECT current_setting('lock_timeout') || ' ' || current_setting('statement_timeout')";
                String before = one(shared, timeouts);
                sharedConnection(shared, prefix);
                // the timeouts the guard sets around each DDL statement are the session's again: threads that
                // interleaved their save and restore left them set for the application's own queries
                assertThat(one(shared, timeouts)).isEqualTo(before);
                try (ResultSet rs = raw.createStatement()
                        .executeQuery("SELECT count(*) FROM pg_class WHERE relkind = 'r' AND relname LIKE '" + prefix
                                + "%'")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(expectedTablesLeft());
                }
            } finally {
                try (Statement st = raw.createStatement();
                        ResultSet rs = st.executeQuery("SELECT string_agg(quote_ident(relname), ',') FROM pg_class"
                                + " WHERE relkind = 'r' AND relname LIKE '" + prefix + "%'")) {
                    rs.next();
                    if (rs.getString(1) != null) {
                        raw.createStatement().execute("DROP TABLE " + rs.getString(1));
                    }
                }
            }
        }
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static int expectedTablesLeft() {
        int perThread = 0;
        for (int i = 0; i < SHARED_DDL_PER_THREAD; i++) {
            perThread += i % 3 == 2 ? 0 : 1;
        }
        return SHARED_THREADS * perThread;
    }

    /**
     * Each thread, released together: per round a CREATE TABLE through prepareStatement (every other one) or
     * a plain statement, an insert through a prepared statement, a COMMENT through prepareStatement, and
     * every third round a DROP of that table. Then every DDL statement sent has exactly one record.
     */
    private static void sharedConnection(Connection shared, String prefix) throws Exception {
        try (LogCapture log = LogCapture.start()) {
            CyclicBarrier start = new CyclicBarrier(SHARED_THREADS);
            ExecutorService pool = Executors.newFixedThreadPool(SHARED_THREADS);
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < SHARED_THREADS; t++) {
                String threadPrefix = prefix + "_t" + t + "_";
                futures.add(pool.submit(() -> {
                    List<String> sent = new ArrayList<>();
                    start.await();
                    for (int i = 0; i < SHARED_DDL_PER_THREAD; i++) {
                        String table = threadPrefix + i;
                        String create = "CREATE TABLE " + table + " (id INT)";
                        if (i % 2 == 0) {
                            try (PreparedStatement ps = shared.prepareStatement(create)) {
                                ps.execute();
                            }
                        } else {
                            try (Statement st = shared.createStatement()) {
                                st.execute(create);
                            }
                        }
                        sent.add(create);
                        try (PreparedStatement insert =
                                shared.prepareStatement("INSERT INTO " + table + " VALUES (?)")) {
                            insert.setInt(1, i);
                            insert.executeUpdate();
                        }
                        String comment = "COMMENT ON TABLE " + table + " IS 'shared'";
                        try (PreparedStatement ps = shared.prepareStatement(comment)) {
                            ps.executeUpdate();
                        }
                        sent.add(comment);
                        if (i % 3 == 2) {
                            String drop = "/* ddlguard:allow drop-table test */ DROP TABLE " + table;
                            try (PreparedStatement ps = shared.prepareStatement(drop)) {
                                ps.execute();
                            }
                            sent.add(drop);
                        }
                    }
                    return sent;
                }));
            }
            List<String> sent = new ArrayList<>();
            for (Future<List<String>> f : futures) {
                sent.addAll(f.get(25, TimeUnit.SECONDS));
            }
            pool.shutdown();

            Map<String, Integer> recordsPerSql = new HashMap<>();
            for (JsonNode r : log.audit()) {
                assertThat(r.get("outcome").asText())
                        .as("record of %s", r.get("sql"))
                        .isEqualTo("ok");
                recordsPerSql.merge(r.get("sql").asText(), 1, Integer::sum);
            }
            Map<String, Integer> expected = new HashMap<>();
            sent.forEach(sql -> expected.put(sql, 1));
            assertThat(recordsPerSql)
                    .as("exactly one record per DDL statement, each with its own SQL")
                    .isEqualTo(expected);
            assertThat(sent).hasSize(SHARED_THREADS * (2 * SHARED_DDL_PER_THREAD + SHARED_DDL_PER_THREAD / 3));
        }
    }
}
