package dev.ddlguard.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.support.H2;
import dev.ddlguard.support.LogCapture;
import dev.ddlguard.support.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, audit truth: DDL inside a transaction that is then rolled back was recorded as done. On
 * PostgreSQL DDL is transactional: its record says {@code "transaction":"open"}, and when that transaction
 * does not commit (rollback(), rollback to a savepoint set before it, close without commit, SQL ROLLBACK
 * or ABORT, a COMMIT of a transaction an error aborted) a second record with {@code "outcome":"rolled_back"}
 * follows. A raw connection checks each time what the database really holds. On H2 and MariaDB DDL commits
 * the open transaction itself: {@code "implicit_commit"}, and a later rollback changes nothing.
 */
class TransactionAuditTest {

    private final String prefix = "txa" + Long.toHexString(System.nanoTime()) + "_";

    @AfterEach
    void dropTables() throws SQLException {
        try (Connection raw = TestDatabases.postgres();
                Statement st = raw.createStatement();
                ResultSet rs = st.executeQuery("SELECT string_agg(quote_ident(relname), ',') FROM pg_class"
                        + " WHERE relkind = 'r' AND relname LIKE '" + prefix + "%'")) {
            rs.next();
            if (rs.getString(1) != null) {
                raw.createStatement().execute("DROP TABLE " + rs.getString(1));
            }
        }
    }

    @Test
    void rollbackOnPostgresRecordsTheHeldDdlAsRolledBack() throws SQLException {
        try (LogCapture log = LogCapture.start();
                Connection g = pg();
                Statement st = g.createStatement()) {
            g.setAutoCommit(false);
            st.execute("CREATE TABLE " + prefix + "a (id int)");
            st.execute("INSERT INTO " + prefix + "a VALUES (1)");
            st.execute("COMMENT ON TABLE " + prefix + "a IS 'x'");
            g.rollback();
            List<JsonNode> audit = log.audit();
            assertThat(audit).hasSize(4);
            assertThat(audit.subList(0, 2)).allSatisfy(r -> {
                assertThat(r.get("outcome").asText()).isEqualTo("ok");
                assertThat(r.get("transaction").asText()).isEqualTo("open");
            });
            assertThat(audit.subList(2, 4))
                    .extracting(r -> r.get("sql").asText())
                    .containsExactly(
                            "CREATE TABLE " + prefix + "a (id int)", "COMMENT ON TABLE " + prefix + "a IS 'x'");
            assertThat(audit.subList(2, 4)).allSatisfy(r -> {
                assertThat(r.get("outcome").asText()).isEqualTo("rolled_back");
                assertThat(r.get("transaction").asText()).isEqualTo("rolled_back");
                assertThat(r.get("note").asText()).contains("rollback()");
            });
            assertThat(exists("a")).isFalse();
            log.clear();
            g.rollback(); // nothing held any more: no record
            assertThat(log.audit()).isEmpty();
        }
    }

    @Test
    void commitOnPostgresLeavesOneRecordAndTheTable() throws SQLException {
        try (LogCapture log = LogCapture.start();
                Connection g = pg();
                Statement st = g.createStatement()) {
            g.setAutoCommit(false);
            st.execute("CREATE TABLE " + prefix + "c (id int)");
            g.commit();
            g.rollback();
            assertThat(log.onlyAudit().get("transaction").asText()).isEqualTo("open");
            assertThat(exists("c")).isTrue();
            log.clear();
            g.setAutoCommit(true);
            st.execute("CREATE TABLE " + prefix + "d (id int)");
            assertThat(log.onlyAudit().get("transaction").asText()).isEqualTo("autocommit");
        }
    }

    @Test
    void setAutoCommitTrueCommitsAndCloseWithoutCommitRollsBack() throws SQLException {
        try (LogCapture log = LogCapture.start()) {
            try (Connection g = pg();
                    Statement st = g.createStatement()) {
                g.setAutoCommit(false);
                st.execute("CREATE TABLE " + prefix + "kept (id int)");
                g.setAutoCommit(true);
            }
            assertThat(log.onlyAudit().get("outcome").asText()).isEqualTo("ok");
            assertThat(exists("kept")).isTrue();
            log.clear();
            try (Connection g = pg();
                    Statement st = g.createStatement()) {
                g.setAutoCommit(false);
                st.execute("CREATE TABLE " + prefix + "lost (id int)");
            }
            assertThat(log.audit()).extracting(r -> r.get("outcome").asText()).containsExactly("ok", "rolled_back");
            assertThat(log.audit().get(1).get("note").asText()).contains("close() without a commit");
            assertThat(exists("lost")).isFalse();
        }
    }

    @Test
    void rollbackToASavepointTakesBackOnlyWhatCameAfterIt() throws SQLException {
        try (LogCapture log = LogCapture.start();
                Connection g = pg();
                Statement st = g.createStatement()) {
            g.setAutoCommit(false);
            Savepoint beforeAll = g.setSavepoint();
            st.execute("CREATE TABLE " + prefix + "s1 (id int)");
            Savepoint sp = g.setSavepoint("after_s1");
            st.execute("CREATE TABLE " + prefix + "s2 (id int)");
            g.rollback(sp);
            st.execute("SAVEPOINT sql_sp");
            st.execute("CREATE TABLE " + prefix + "s3 (id int)");
            st.execute("ROLLBACK TO SAVEPOINT sql_sp");
            st.execute("CREATE TABLE " + prefix + "s4 (id int)");
            g.commit();
            assertThat(rolledBack(log))
                    .containsExactly(
                            "CREATE TABLE " + prefix + "s2 (id int)", "CREATE TABLE " + prefix + "s3 (id int)");
            assertThat(exists("s1")).isTrue();
            assertThat(exists("s2")).isFalse();
            assertThat(exists("s3")).isFalse();
            assertThat(exists("s4")).isTrue();
            assertThat(beforeAll).isNotNull();
        }
    }

    /**
     * A savepoint is one savepoint however it is named: set through JDBC and rolled back to in SQL, set quoted and
     * rolled back to unquoted. A ROLLBACK prepared before any DDL is seen when it runs. (An outside tester's finds:
     * the changes before the savepoint were recorded rolled back, and the prepared ROLLBACK left a record "open".)
     */
    @Test
    void aSavepointNamedEitherWayAndAPreparedRollbackAreFollowed() throws SQLException {
        try (LogCapture log = LogCapture.start();
                Connection g = pg();
                Statement st = g.createStatement()) {
            g.setAutoCommit(false);
            st.execute("CREATE TABLE " + prefix + "n1 (id int)");
            g.setSavepoint("jdbc_named");
            st.execute("CREATE TABLE " + prefix + "n2 (id int)");
            st.execute("ROLLBACK TO SAVEPOINT jdbc_named");
            st.execute("SAVEPOINT \"quoted\"");
            st.execute("CREATE TABLE " + prefix + "n3 (id int)");
            st.execute("ROLLBACK TO quoted");
            g.commit();
            assertThat(rolledBack(log))
                    .containsExactly(
                            "CREATE TABLE " + prefix + "n2 (id int)", "CREATE TABLE " + prefix + "n3 (id int)");
            assertThat(exists("n1")).isTrue();
            assertThat(exists("n2")).isFalse();
            assertThat(exists("n3")).isFalse();

            log.clear();
            try (PreparedStatement rollback = g.prepareStatement("ROLLBACK")) {
                st.execute("CREATE TABLE " + prefix + "n4 (id int)");
                rollback.execute();
            }
            assertThat(rolledBack(log)).containsExactly("CREATE TABLE " + prefix + "n4 (id int)");
            assertThat(exists("n4")).isFalse();
        }
    }

    @Test
    void rollbackToASavepointSetBeforeAnyDdlTakesBackAll() throws SQLException {
        try (LogCapture log = LogCapture.start();
                Connection g = pg();
                Statement st = g.createStatement()) {
            g.setAutoCommit(false);
            Savepoint first = g.setSavepoint();
            st.execute("CREATE TABLE " + prefix + "f1 (id int)");
            st.execute("CREATE TABLE " + prefix + "f2 (id int)");
            g.rollback(first);
            g.commit();
            assertThat(rolledBack(log)).hasSize(2);
            assertThat(exists("f1")).isFalse();
        }
    }

    /** BEGIN and ROLLBACK/ABORT/END sent as SQL on an autocommit connection: pgjdbc's own state shows the open transaction. */
    @Test
    void sqlBeginAndRollbackInAutocommitAreFollowed() throws SQLException {
        try (LogCapture log = LogCapture.start();
                Connection g = pg();
                Statement st = g.createStatement()) {
            st.execute("BEGIN");
            st.execute("CREATE TABLE " + prefix + "b1 (id int)");
            st.execute("  rollback ;");
            st.execute("START TRANSACTION");
            st.execute("CREATE TABLE " + prefix + "b2 (id int)");
            st.execute("ABORT");
            st.execute("BEGIN");
            st.execute("CREATE TABLE " + prefix + "b3 (id int)");
            st.execute("END");
            assertThat(log.audit())
                    .extracting(r -> r.get("transaction").asText())
                    .containsExactly("open", "rolled_back", "open", "rolled_back", "open");
            assertThat(exists("b1")).isFalse();
            assertThat(exists("b2")).isFalse();
            assertThat(exists("b3")).isTrue();
        }
    }

    /** An error aborts a PostgreSQL transaction; its COMMIT then rolls back (the server answers ROLLBACK). */
    @Test
    void commitOfATransactionAnErrorAbortedIsARollback() throws SQLException {
        try (LogCapture log = LogCapture.start();
                Connection g = pg();
                Statement st = g.createStatement()) {
            g.setAutoCommit(false);
            st.execute("CREATE TABLE " + prefix + "aborted (id int)");
            try {
                st.execute("SELECT 1/0");
            } catch (SQLException expected) {
                // 22012 division_by_zero: the transaction is aborted
            }
            try {
                g.commit();
            } catch (SQLException possible) {
                // pgjdbc may be configured to say so (raiseExceptionOnSilentRollback)
            }
            assertThat(rolledBack(log)).containsExactly("CREATE TABLE " + prefix + "aborted (id int)");
            assertThat(log.audit().get(1).get("note").asText()).contains("an error had aborted");
            assertThat(exists("aborted")).isFalse();
        }
    }

    /**
     * pgjdbc's executeQuery of DDL sends it, then throws 02000 "No results were returned by the query": the caller
     * still gets that exception, but the record says what happened on the server (ok, and "open" in a transaction
     * that a rollback then takes back), and a rewrite's follow-up (VALIDATE CONSTRAINT after NOT VALID) still runs.
     * It was recorded as an error with nothing open, and the constraint stayed NOT VALID.
     */
    @Test
    void executeQueryOfDdlOnPostgresIsRecordedAsRunAndItsFollowUpRuns() throws SQLException {
        try (Connection raw = TestDatabases.postgres()) {
            raw.createStatement()
                    .execute("CREATE TABLE " + prefix + "p (id int PRIMARY KEY); INSERT INTO " + prefix
                            + "p VALUES (1); CREATE TABLE " + prefix + "c (p int); INSERT INTO " + prefix
                            + "c VALUES (1)");
        }
        try (LogCapture log = LogCapture.start();
                Connection g = pg();
                Statement st = g.createStatement()) {
            assertThatThrownBy(() -> st.executeQuery("ALTER TABLE " + prefix + "c ADD CONSTRAINT " + prefix
                            + "fk FOREIGN KEY (p) REFERENCES " + prefix + "p (id)"))
                    .isInstanceOf(SQLException.class)
                    .hasMessage("No results were returned by the query.");
            JsonNode r = log.audit().get(0);
            assertThat(r.get("decision").asText()).isEqualTo("rewritten");
            assertThat(r.get("outcome").asText()).isEqualTo("ok");
            assertThat(r.get("error").isNull()).isTrue();
            assertThat(r.get("note").asText()).contains("executeQuery of DDL").contains("the statement ran");
            assertThat(intQuery(
                            "SELECT count(*) FROM pg_constraint WHERE conname = '" + prefix + "fk' AND convalidated"))
                    .isEqualTo(1);
            log.clear();

            g.setAutoCommit(false);
            assertThatThrownBy(() -> st.executeQuery("CREATE TABLE " + prefix + "q (id int)"))
                    .isInstanceOf(SQLException.class)
                    .hasMessage("No results were returned by the query.");
            g.rollback();
            assertThat(log.audit())
                    .extracting(a -> a.get("outcome").asText() + " "
                            + a.get("transaction").asText())
                    .containsExactly("ok open", "rolled_back rolled_back");
            assertThat(exists("q")).isFalse();
        }
    }

    @Test
    void h2CommitsDdlItselfSoARollbackTakesNothingBack() throws SQLException {
        try (H2 db = new H2();
                LogCapture log = LogCapture.start();
                Connection g = db.guarded();
                Statement st = g.createStatement()) {
            g.setAutoCommit(false);
            st.execute("CREATE TABLE held (id INT)");
            g.rollback();
            JsonNode r = log.onlyAudit();
            assertThat(r.get("transaction").asText()).isEqualTo("implicit_commit");
            assertThat(r.get("outcome").asText()).isEqualTo("ok");
            assertThat(db.tableExists("held")).isTrue();
        }
    }

    @Test
    void mariaDbCommitsDdlItselfSoARollbackTakesNothingBack() throws SQLException {
        try (Connection raw = TestDatabases.mariadb();
                LogCapture log = LogCapture.start();
                Connection g = TestDatabases.guarded(TestDatabases.MARIADB_URL);
                Statement st = g.createStatement()) {
            try {
                g.setAutoCommit(false);
                st.execute("CREATE TABLE " + prefix + "m (id int)");
                g.rollback();
                JsonNode r = log.onlyAudit();
                assertThat(r.get("transaction").asText()).isEqualTo("implicit_commit");
                try (ResultSet rs = raw.createStatement()
                        .executeQuery("SELECT COUNT(*) FROM information_schema.tables"
                                + " WHERE table_schema = DATABASE() AND table_name = '" + prefix + "m'")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(1);
                }
            } finally {
                raw.createStatement().execute("DROP TABLE IF EXISTS " + prefix + "m");
            }
        }
    }

    private static Connection pg() throws SQLException {
        return TestDatabases.guarded(TestDatabases.PG_URL);
    }

    private static List<String> rolledBack(LogCapture log) {
        return log.audit().stream()
                .filter(r -> r.get("outcome").asText().equals("rolled_back"))
                .map(r -> r.get("sql").asText())
                .toList();
    }

    private static int intQuery(String sql) throws SQLException {
        try (Connection raw = TestDatabases.postgres();
                ResultSet rs = raw.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private boolean exists(String table) throws SQLException {
        try (Connection raw = TestDatabases.postgres();
                ResultSet rs = raw.createStatement()
                        .executeQuery("SELECT count(*) FROM pg_class WHERE relname = '" + prefix + table + "'")) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }
}
