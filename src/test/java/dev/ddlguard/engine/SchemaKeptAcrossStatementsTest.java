package dev.ddlguard.engine;

import static dev.ddlguard.support.TestDatabases.PG_URL;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.support.LogCapture;
import dev.ddlguard.support.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The guard keeps PostgreSQL's current schema between DDL statements (asking it is a round trip, issue 15
 * point 8), and must never judge or record a statement in a schema the session has left. Every way the
 * session's schema can change between two DDL statements is tried on the real server: SET as SQL, a function
 * call in a prepared SELECT prepared before the DDL, a rollback undoing a SET, {@code setSchema}, a DO block,
 * a batch, and the driver's own connection through {@code unwrap}. After each, the next DDL's audit record
 * names the schema the server really used, and the table exists there.
 *
 * <p>What is at stake beyond the record: a table this run created is exempt from the size-bound rules. With a
 * stale schema, {@code CREATE INDEX ON orders} would be judged against the run's new {@code orders} in one
 * schema while the server builds it on an old, populated {@code orders} in another, without CONCURRENTLY.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SchemaKeptAcrossStatementsTest {

    private final String a = "skept_a_" + Long.toHexString(System.nanoTime());
    private final String b = "skept_b_" + Long.toHexString(System.nanoTime());
    private LogCapture log;

    @BeforeEach
    void schemas() throws SQLException {
        try (Connection admin = TestDatabases.postgres();
                Statement st = admin.createStatement()) {
            st.execute("CREATE SCHEMA " + a);
            st.execute("CREATE SCHEMA " + b);
        }
        log = LogCapture.start();
    }

    @AfterEach
    void drop() throws SQLException {
        log.close();
        try (Connection admin = TestDatabases.postgres();
                Statement st = admin.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + a + " CASCADE");
            st.execute("DROP SCHEMA IF EXISTS " + b + " CASCADE");
        }
    }

    @Test
    void everyWayTheSchemaChangesIsSeenByTheNextDdl() throws SQLException {
        try (Connection g = TestDatabases.guarded(PG_URL);
                Statement st = g.createStatement()) {
            g.setSchema(a);
            PreparedStatement setPath = g.prepareStatement("SELECT set_config('search_path', ?, false)");
            st.execute("CREATE TABLE t1 (id int)");
            st.execute("CREATE TABLE t2 (id int)"); // the schema kept: asked for t1, not again
            assertRecordedIn("t1", a);
            assertRecordedIn("t2", a);

            st.execute("SET search_path TO " + b);
            st.execute("CREATE TABLE t3 (id int)");
            assertRecordedIn("t3", b);

            // prepared before the DDL above, executed after it: the guard judged it at prepare time only
            setPath.setString(1, a);
            try (ResultSet rs = setPath.executeQuery()) {
                rs.next();
            }
            st.execute("CREATE TABLE t4 (id int)");
            assertRecordedIn("t4", a);

            g.setAutoCommit(false);
            st.execute("SET search_path TO " + b);
            st.execute("CREATE TABLE t5 (id int)");
            assertRecordedIn("t5", b);
            g.rollback(); // takes back the SET and t5
            st.execute("CREATE TABLE t6 (id int)");
            assertRecordedIn("t6", a);
            g.commit();
            g.setAutoCommit(true);

            g.setSchema(b);
            st.execute("CREATE TABLE t7 (id int)");
            assertRecordedIn("t7", b);

            st.execute("DO $$ BEGIN PERFORM set_config('search_path', '" + a + "', false); END $$");
            st.execute("CREATE TABLE t8 (id int)");
            assertRecordedIn("t8", a);

            st.addBatch("SET search_path TO " + b);
            st.executeBatch();
            st.execute("CREATE TABLE t9 (id int)");
            assertRecordedIn("t9", b);

            try (Statement unseen = g.unwrap(Connection.class).createStatement()) {
                unseen.execute("SET search_path TO " + a);
            }
            st.execute("CREATE TABLE t10 (id int)");
            assertRecordedIn("t10", a);
            setPath.close();
        }
        assertThat(tablesIn(a)).containsExactlyInAnyOrder("t1", "t2", "t4", "t6", "t8", "t10");
        assertThat(tablesIn(b)).containsExactlyInAnyOrder("t3", "t7", "t9");
    }

    /**
     * The run's new {@code orders} in one schema does not exempt an index on the populated {@code orders} of
     * another once a prepared statement moved the session there: the build is rewritten to CONCURRENTLY.
     */
    @Test
    void aRunCreatedTableInTheOldSchemaDoesNotExemptTheTableInTheNewOne() throws SQLException {
        try (Connection admin = TestDatabases.postgres();
                Statement st = admin.createStatement()) {
            st.execute("CREATE TABLE " + a + ".orders (id int, note text)");
            st.execute("INSERT INTO " + a + ".orders SELECT g, 'x' FROM generate_series(1, 1000) g");
            st.execute("ANALYZE " + a + ".orders");
        }
        try (Connection g = TestDatabases.guarded(PG_URL);
                Statement st = g.createStatement()) {
            g.setSchema(b);
            PreparedStatement setPath = g.prepareStatement("SELECT set_config('search_path', ?, false)");
            st.execute("CREATE TABLE orders (id int, note text)"); // new: this run's, in b
            setPath.setString(1, a);
            try (ResultSet rs = setPath.executeQuery()) {
                rs.next();
            }
            st.execute("CREATE INDEX orders_note ON orders (note)");
            setPath.close();
        }
        JsonNode index = log.audit().stream()
                .filter(r -> r.get("sql").asText().startsWith("CREATE INDEX"))
                .findFirst()
                .orElseThrow();
        assertThat(index.get("schema").asText()).isEqualTo(a);
        assertThat(index.get("decision").asText()).as(index.toString()).isEqualTo("rewritten");
        assertThat(index.get("rewritten_sql").asText()).contains("CONCURRENTLY");
    }

    private void assertRecordedIn(String table, String schema) {
        List<JsonNode> records = log.audit();
        JsonNode record = records.stream()
                .filter(r -> r.get("sql").asText().equals("CREATE TABLE " + table + " (id int)"))
                .reduce((first, second) -> second)
                .orElseThrow(() -> new AssertionError("no record for " + table + ": " + records));
        assertThat(record.get("schema").asText()).as(record.toString()).isEqualTo(schema);
    }

    private List<String> tablesIn(String schema) throws SQLException {
        try (Connection admin = TestDatabases.postgres();
                PreparedStatement ps = admin.prepareStatement("SELECT tablename FROM pg_tables WHERE schemaname = ?")) {
            ps.setString(1, schema);
            List<String> names = new java.util.ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        }
    }
}
