package dev.ddlguard.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.BlockedStatementException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the rule tests against a real server share, whatever the dialect: a raw admin connection to
 * build fixtures and read the catalog back, a log capture for the audit records, a name prefix
 * unique to the test with the statements that drop what it created, and small query helpers. The
 * dialect subclasses add their catalog readbacks.
 */
public abstract class ServerTestBase {

    protected Connection admin;
    protected LogCapture log;
    /** A prefix unique to this test: every object it creates starts with it. */
    protected String p;

    private final List<String> cleanUp = new ArrayList<>();

    /** A new raw connection to the server under test. */
    protected abstract Connection openAdmin() throws SQLException;

    /** The start of every object name this kind of test creates, e.g. {@code ddlg_r}. */
    protected abstract String namePrefix();

    /** Runs on the admin connection before the clean-up statements (e.g. to relax foreign-key checks). */
    protected void beforeCleanUp(Connection admin) throws SQLException {}

    @BeforeEach
    void openAdminAndCapture() throws SQLException {
        admin = openAdmin();
        p = namePrefix() + Long.toHexString(System.nanoTime());
        log = LogCapture.start();
    }

    @AfterEach
    void dropEverythingCreated() throws SQLException {
        if (log != null) {
            log.close();
        }
        if (admin == null) {
            return;
        }
        try (Connection c = admin) {
            beforeCleanUp(c);
            for (int i = cleanUp.size() - 1; i >= 0; i--) {
                exec(c, cleanUp.get(i));
            }
        }
    }

    /** Registers a statement that undoes something the test creates itself (run last-in, first-out). */
    protected void afterwards(String sql) {
        cleanUp.add(sql);
    }

    // ---- the audit record -------------------------------------------------------------------------

    /** The one audit record written since the last clear, then clears the capture for the next case. */
    protected JsonNode onlyAudit() {
        JsonNode r = log.onlyAudit();
        log.clear();
        return r;
    }

    /** The verdict of one rule in a record, failing when the rule did not match. */
    protected static JsonNode rule(JsonNode record, String id) {
        for (JsonNode r : record.get("rules")) {
            if (r.get("id").asText().equals(id)) {
                return r;
            }
        }
        throw new AssertionError("rule " + id + " not in " + record.get("rules"));
    }

    protected static boolean hasRule(JsonNode record, String id) {
        for (JsonNode r : record.get("rules")) {
            if (r.get("id").asText().equals(id)) {
                return true;
            }
        }
        return false;
    }

    /** A blocked statement's record: nothing ran. */
    protected static void assertBlockedRecord(JsonNode r, String ruleId) {
        assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("blocked");
        assertThat(rule(r, ruleId).get("action").asText()).isEqualTo("block");
        assertThat(r.get("executed_sql").isNull()).isTrue();
        assertThat(r.get("outcome").asText()).isEqualTo("blocked");
        assertThat(r.get("duration_ms").isNull()).isTrue();
    }

    /**
     * Runs the statement through the guard and expects it blocked by the rule: XDG01, the rule id and
     * the given pieces of the safe SQL in the message. Returns the message; the audit record is {@link #onlyAudit()}.
     */
    protected static String assertBlocked(Connection guarded, String sql, String ruleId, String... safeSql) {
        BlockedStatementException[] caught = new BlockedStatementException[1];
        assertThatThrownBy(() -> exec(guarded, sql))
                .isInstanceOf(BlockedStatementException.class)
                .satisfies(e -> caught[0] = (BlockedStatementException) e);
        assertThat(caught[0].getSQLState()).isEqualTo("XDG01");
        assertThat(caught[0].ruleIds()).contains(ruleId);
        assertThat(caught[0].getMessage()).contains("[" + ruleId + "]");
        for (String piece : safeSql) {
            assertThat(caught[0].getMessage()).contains(piece);
        }
        return caught[0].getMessage();
    }

    // ---- waiting ----------------------------------------------------------------------------------

    /** Bounded busy-polling (no sleeps): waits until the condition holds, or fails. */
    public static void await(String what, Check condition) throws SQLException {
        await(what, 5, condition);
    }

    /** As {@link #await(String, Check)}, polling every {@code pollMillis}. */
    public static void await(String what, long pollMillis, Check condition) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(pollMillis); // a poll, not a spin: two cores run the server, the DDL and this test
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    /** A condition on the database, polled by {@link #await}. */
    public interface Check {
        boolean ok() throws SQLException;
    }

    // ---- queries ----------------------------------------------------------------------------------

    protected int count(String table) throws SQLException {
        return intQuery(admin, "SELECT COUNT(*) FROM " + table);
    }

    /** Runs the statements in order on one statement object. */
    public static void exec(Connection c, String... sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    public static long update(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            return st.executeLargeUpdate(sql);
        }
    }

    public static int intQuery(Connection c, String sql) throws SQLException {
        return (int) longQuery(c, sql);
    }

    public static long longQuery(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The first column of the first row, or null when there is no row. */
    public static String stringQuery(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** The first column of every row. */
    public static List<String> strings(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
