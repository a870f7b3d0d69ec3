package dev.ddlguard.intercept;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.BlockedStatementException;
import dev.ddlguard.support.H2;
import dev.ddlguard.support.LogCapture;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every JDBC path by which SQL reaches the server, on H2: blocked DDL never arrives (the table is
 * still there), allowed DDL runs, and each leaves exactly one audit record.
 */
class ExecutionPathsTest {

    /** One way of sending a single SQL string. */
    interface Path {
        void run(Connection c, String sql) throws SQLException;
    }

    static Stream<Arguments> paths() {
        return Stream.of(
                Arguments.of("Statement.execute", (Path)
                        (c, sql) -> c.createStatement().execute(sql)),
                Arguments.of("Statement.execute(keys)", (Path)
                        (c, sql) -> c.createStatement().execute(sql, Statement.RETURN_GENERATED_KEYS)),
                Arguments.of("Statement.execute(int[])", (Path)
                        (c, sql) -> c.createStatement().execute(sql, new int[] {1})),
                Arguments.of("Statement.execute(String[])", (Path)
                        (c, sql) -> c.createStatement().execute(sql, new String[] {"ID"})),
                Arguments.of("Statement.executeUpdate", (Path)
                        (c, sql) -> c.createStatement().executeUpdate(sql)),
                Arguments.of("Statement.executeUpdate(keys)", (Path)
                        (c, sql) -> c.createStatement().executeUpdate(sql, Statement.RETURN_GENERATED_KEYS)),
                Arguments.of("Statement.executeUpdate(int[])", (Path)
                        (c, sql) -> c.createStatement().executeUpdate(sql, new int[] {1})),
                Arguments.of("Statement.executeUpdate(String[])", (Path)
                        (c, sql) -> c.createStatement().executeUpdate(sql, new String[] {"ID"})),
                Arguments.of("Statement.executeLargeUpdate", (Path)
                        (c, sql) -> c.createStatement().executeLargeUpdate(sql)),
                Arguments.of("Statement.executeLargeUpdate(keys)", (Path)
                        (c, sql) -> c.createStatement().executeLargeUpdate(sql, Statement.NO_GENERATED_KEYS)),
                Arguments.of("Statement.addBatch+executeBatch", (Path) (c, sql) -> {
                    Statement st = c.createStatement();
                    st.addBatch(sql);
                    st.executeBatch();
                }),
                Arguments.of("Statement.addBatch+executeLargeBatch", (Path) (c, sql) -> {
                    Statement st = c.createStatement();
                    st.addBatch(sql);
                    st.executeLargeBatch();
                }),
                Arguments.of("PreparedStatement.execute", (Path)
                        (c, sql) -> c.prepareStatement(sql).execute()),
                Arguments.of("PreparedStatement.executeUpdate", (Path)
                        (c, sql) -> c.prepareStatement(sql).executeUpdate()),
                Arguments.of("PreparedStatement.executeLargeUpdate", (Path)
                        (c, sql) -> c.prepareStatement(sql).executeLargeUpdate()),
                Arguments.of("prepareStatement(keys)", (Path) (c, sql) ->
                        c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS).execute()),
                Arguments.of("prepareStatement(int[])", (Path)
                        (c, sql) -> c.prepareStatement(sql, new int[] {1}).execute()),
                Arguments.of("prepareStatement(String[])", (Path)
                        (c, sql) -> c.prepareStatement(sql, new String[] {"ID"}).execute()),
                Arguments.of("prepareStatement(type,concurrency)", (Path)
                        (c, sql) -> c.prepareStatement(sql, 1003, 1007).execute()),
                Arguments.of(
                        "prepareCall", (Path) (c, sql) -> c.prepareCall(sql).execute()),
                Arguments.of("prepareCall(type,concurrency)", (Path)
                        (c, sql) -> c.prepareCall(sql, 1003, 1007).execute()));
    }

    private H2 db;
    private LogCapture log;

    @BeforeEach
    void setUp() throws SQLException {
        db = new H2();
        db.setup("CREATE TABLE orders(id INT PRIMARY KEY, note VARCHAR(20))", "INSERT INTO orders VALUES (1, 'a')");
        log = LogCapture.start();
    }

    @AfterEach
    void tearDown() throws SQLException {
        log.close();
        db.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void blockedDdlNeverReachesTheDatabase(String name, Path path) throws SQLException {
        try (Connection c = db.guarded()) {
            assertThatThrownBy(() -> path.run(c, "DROP TABLE orders"))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("[drop-table]")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("XDG01"));
        }
        assertThat(db.tableExists("orders")).as("table survives").isTrue();
        JsonNode record = log.onlyAudit();
        assertThat(record.get("decision").asText()).isEqualTo("blocked");
        assertThat(record.get("outcome").asText()).isEqualTo("blocked");
        assertThat(record.get("executed_sql").isNull()).isTrue();
        assertThat(record.get("duration_ms").isNull()).isTrue();
        assertThat(record.get("rules").get(0).get("id").asText()).isEqualTo("drop-table");
        assertThat(record.get("sql").asText()).isEqualTo("DROP TABLE orders");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void allowedDdlRunsAndIsAudited(String name, Path path) throws SQLException {
        try (Connection c = db.guarded()) {
            path.run(c, "ALTER TABLE orders ADD COLUMN shipped_at TIMESTAMP");
        }
        assertThat(db.columnExists("orders", "shipped_at")).isTrue();
        JsonNode record = log.onlyAudit();
        assertThat(record.get("decision").asText()).isEqualTo("allowed");
        assertThat(record.get("outcome").asText()).isEqualTo("ok");
        assertThat(record.get("executed_sql").asText()).isEqualTo("ALTER TABLE orders ADD COLUMN shipped_at TIMESTAMP");
        assertThat(record.get("duration_ms").isNumber()).isTrue();
        assertThat(record.get("lock").get("table").asText()).isEqualTo("orders");
        assertThat(record.get("lock").get("rows").asLong()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void failingDdlIsAuditedWithTheDatabaseError(String name, Path path) throws SQLException {
        try (Connection c = db.guarded()) {
            assertThatThrownBy(() -> path.run(c, "ALTER TABLE missing ADD COLUMN x INT"))
                    .isInstanceOf(SQLException.class)
                    .isNotInstanceOf(BlockedStatementException.class);
        }
        JsonNode record = log.onlyAudit();
        assertThat(record.get("outcome").asText()).isEqualTo("error");
        assertThat(record.get("error").asText()).containsIgnoringCase("MISSING");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void nonDdlPassesWithoutAudit(String name, Path path) throws SQLException {
        try (Connection c = db.guarded()) {
            path.run(c, "UPDATE orders SET note = 'DROP TABLE orders' WHERE id = 1");
        }
        assertThat(db.count("SELECT COUNT(*) FROM orders WHERE note = 'DROP TABLE orders'"))
                .isEqualTo(1);
        assertThat(log.audit()).isEmpty();
    }

    @Test
    void executeQueryWithDdlIsJudgedToo() throws SQLException {
        try (Connection c = db.guarded();
                Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeQuery("DROP TABLE orders"))
                    .isInstanceOf(BlockedStatementException.class);
        }
        assertThat(db.tableExists("orders")).isTrue();
    }

    @Test
    void blockedPrepareFailsBeforeTheStatementExists() throws SQLException {
        try (Connection c = db.guarded()) {
            assertThatThrownBy(() -> c.prepareStatement("DROP TABLE orders"))
                    .isInstanceOf(BlockedStatementException.class);
            assertThatThrownBy(() -> c.prepareCall("DROP TABLE orders")).isInstanceOf(BlockedStatementException.class);
        }
        assertThat(db.tableExists("orders")).isTrue();
        assertThat(log.audit()).hasSize(2);
    }

    @Test
    void preparedDdlExecutedTwiceLeavesTwoRecords() throws SQLException {
        db.setup("CREATE TABLE scratch(id INT)");
        try (Connection c = db.guarded();
                PreparedStatement ps = c.prepareStatement("CREATE INDEX IF NOT EXISTS scratch_id ON scratch(id)")) {
            ps.execute();
            ps.execute();
        }
        assertThat(db.indexExists("scratch_id")).isTrue();
        assertThat(log.audit())
                .hasSize(2)
                .allSatisfy(r -> assertThat(r.get("outcome").asText()).isEqualTo("ok"));
    }

    /** Issue 13: a prepared DDL statement added to a batch ran with no record at all; each entry runs it, each is audited. */
    @Test
    void preparedDdlInABatchLeavesOneRecordPerEntry() throws SQLException {
        try (Connection c = db.guarded();
                PreparedStatement ps = c.prepareStatement("COMMENT ON TABLE orders IS ?")) {
            ps.setString(1, "first");
            ps.addBatch();
            ps.setString(1, "second");
            ps.addBatch();
            ps.executeBatch();
            ps.setString(1, "third");
            ps.addBatch();
            ps.clearBatch();
            ps.executeBatch();
        }
        assertThat(
                        db.count(
                                "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'ORDERS' AND REMARKS = 'second'"))
                .isEqualTo(1);
        assertThat(log.audit()).hasSize(2).allSatisfy(r -> {
            assertThat(r.get("sql").asText()).isEqualTo("COMMENT ON TABLE orders IS ?");
            assertThat(r.get("outcome").asText()).isEqualTo("ok");
        });
    }

    @Test
    void statementsLeadBackOnlyToTheGuardedConnection() throws SQLException {
        try (Connection c = db.guarded();
                Statement st = c.createStatement();
                PreparedStatement ps = c.prepareStatement("SELECT 1");
                CallableStatement cs = c.prepareCall("SELECT 1")) {
            for (Statement s : new Statement[] {st, ps, cs}) {
                assertThat(s.getConnection()).isSameAs(c);
                assertThatThrownBy(() -> s.getConnection().createStatement().execute("DROP TABLE orders"))
                        .isInstanceOf(BlockedStatementException.class);
            }
        }
        assertThat(db.tableExists("orders")).isTrue();
    }

    @Test
    void batchOfDmlWithDdlInsideAuditsTheDdlWithItsOutcome() throws SQLException {
        try (Connection c = db.guarded();
                Statement st = c.createStatement()) {
            st.addBatch("INSERT INTO orders VALUES (2, 'b')");
            st.addBatch("CREATE TABLE audit_trail(id INT)");
            st.addBatch("INSERT INTO orders VALUES (3, 'c')");
            assertThatThrownBy(() -> st.addBatch("ALTER TABLE orders DROP COLUMN note"))
                    .isInstanceOf(BlockedStatementException.class);
            int[] counts = st.executeBatch();
            assertThat(counts).hasSize(3);
        }
        assertThat(db.count("SELECT COUNT(*) FROM orders")).isEqualTo(3);
        assertThat(db.tableExists("audit_trail")).isTrue();
        assertThat(db.columnExists("orders", "note")).isTrue();
        assertThat(log.audit())
                .extracting(
                        r -> r.get("decision").asText() + "/" + r.get("outcome").asText())
                .containsExactly("blocked/blocked", "allowed/ok");
    }

    @Test
    void clearedBatchLeavesNoRecordForItsDdl() throws SQLException {
        try (Connection c = db.guarded();
                Statement st = c.createStatement()) {
            st.addBatch("CREATE TABLE never(id INT)");
            st.clearBatch();
            st.addBatch("INSERT INTO orders VALUES (2, 'b')");
            st.executeBatch();
        }
        assertThat(db.tableExists("never")).isFalse();
        assertThat(log.audit()).isEmpty();
    }
}
