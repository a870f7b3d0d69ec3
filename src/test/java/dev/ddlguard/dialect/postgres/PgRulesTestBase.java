package dev.ddlguard.dialect.postgres;

import static dev.ddlguard.support.TestDatabases.PG_URL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.BlockedStatementException;
import dev.ddlguard.support.LogCapture;
import dev.ddlguard.support.TestDatabases;
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
 * What the PostgreSQL rule tests share: a raw admin connection to read the catalog back, a log
 * capture for the audit records, unique object names per test (dropped afterwards), and catalog
 * probes ({@code pg_index.indisvalid}, {@code pg_constraint.convalidated}, {@code relfilenode}, …).
 */
abstract class PgRulesTestBase {

    protected Connection admin;
    protected LogCapture log;
    /** A prefix unique to this test: every object it creates starts with it. */
    protected String p;
    private final List<String> cleanUp = new ArrayList<>();

    @BeforeEach
    void openAdminAndCapture() throws SQLException {
        admin = TestDatabases.postgres();
        p = "ddlg_r" + Long.toHexString(System.nanoTime());
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
            for (int i = cleanUp.size() - 1; i >= 0; i--) {
                exec(c, cleanUp.get(i));
            }
        }
    }

    /** A guarded connection to the test server with ddlguard.* settings as name/value pairs. */
    protected static Connection guarded(String... settings) throws SQLException {
        return TestDatabases.guarded(PG_URL, settings);
    }

    /** Creates a table (dropped after the test) through the raw connection, filled and analyzed. */
    protected String table(String suffix, String columns, String fillSelect) throws SQLException {
        String name = p + "_" + suffix;
        exec(admin, "CREATE TABLE " + name + " (" + columns + ")");
        cleanUp.add("DROP TABLE IF EXISTS " + name + " CASCADE");
        if (fillSelect != null) {
            exec(admin, "INSERT INTO " + name + " " + fillSelect);
        }
        exec(admin, "ANALYZE " + name);
        return name;
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

    /** The fields every record of an existing table has: mode, and rows and bytes read from the live catalog. */
    protected static void assertLockWithSize(JsonNode lock, String mode) {
        assertThat(lock.isObject()).as("lock object").isTrue();
        assertThat(lock.get("mode").asText()).isEqualTo(mode);
        assertThat(lock.get("rows").isNumber()).as("rows from the catalog: " + lock).isTrue();
        assertThat(lock.get("bytes").isNumber()).as("bytes from the catalog: " + lock).isTrue();
        assertThat(lock.get("bytes").asLong()).isPositive();
    }

    /** A rewritten statement's record: rule and action, what ran, and both lock modes (sizes: {@link #assertLockWithSize}). */
    protected static void assertRewritten(JsonNode r, String ruleId, String executedSql, String lockMode, String executedMode) {
        assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("rewritten");
        assertThat(rule(r, ruleId).get("action").asText()).isEqualTo("rewrite");
        assertThat(r.get("executed_sql").asText()).isEqualTo(executedSql);
        assertThat(r.get("outcome").asText()).isEqualTo("ok");
        assertThat(r.get("lock").get("mode").asText()).as("lock").isEqualTo(lockMode);
        assertThat(r.get("executed_lock").get("mode").asText()).as("executed_lock").isEqualTo(executedMode);
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
        String message = caught[0].getMessage();
        assertThat(caught[0].getSQLState()).isEqualTo("XDG01");
        assertThat(message).contains("[" + ruleId + "]").contains(safeSql);
        return message;
    }

    // ---- the catalog ------------------------------------------------------------------------------

    /** pg_index.indisvalid of the index, or null when there is no such index. */
    protected Boolean indexValid(String index) throws SQLException {
        return booleanQuery("SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                + " WHERE c.relname = '" + index + "'");
    }

    protected String indexDef(String index) throws SQLException {
        return stringQuery(admin, "SELECT pg_get_indexdef(c.oid) FROM pg_class c WHERE c.relname = '" + index + "'");
    }

    /** Index names of a table, with their validity: "name:true". */
    protected List<String> indexes(String table) throws SQLException {
        return strings("SELECT c.relname || ':' || i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                + " WHERE i.indrelid = '" + table + "'::regclass ORDER BY 1");
    }

    /** pg_constraint.convalidated of the table's constraint, or null when there is none. */
    protected Boolean constraintValidated(String table, String constraint) throws SQLException {
        return booleanQuery("SELECT convalidated FROM pg_constraint WHERE conrelid = '" + table + "'::regclass"
                + " AND conname = '" + constraint + "'");
    }

    /** Constraints of a table as "name:contype:validated". */
    protected List<String> constraints(String table) throws SQLException {
        return strings("SELECT conname || ':' || contype::text || ':' || convalidated FROM pg_constraint"
                + " WHERE conrelid = '" + table + "'::regclass ORDER BY 1");
    }

    protected long relfilenode(String table) throws SQLException {
        return longQuery(admin, "SELECT relfilenode FROM pg_class WHERE oid = '" + table + "'::regclass");
    }

    /** The column's type from information_schema.columns, spelled like format_type: "character varying(50)". */
    protected String columnType(String table, String column) throws SQLException {
        try (Statement st = admin.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT data_type, character_maximum_length, numeric_precision, numeric_scale FROM information_schema.columns"
                        + " WHERE table_name = '" + table + "' AND column_name = '" + column + "'")) {
            if (!rs.next()) {
                return null;
            }
            String type = rs.getString(1);
            int length = rs.getInt(2);
            if (!rs.wasNull()) {
                return type + "(" + length + ")";
            }
            if (type.equals("numeric")) {
                return type + "(" + rs.getInt(3) + "," + rs.getInt(4) + ")";
            }
            return type;
        }
    }

    protected boolean columnExists(String table, String column) throws SQLException {
        return columnType(table, column) != null;
    }

    protected boolean relationExists(String name) throws SQLException {
        return intQuery(admin, "SELECT count(*) FROM pg_class WHERE relname = '" + name + "'") > 0;
    }

    protected int count(String table) throws SQLException {
        return intQuery(admin, "SELECT count(*) FROM " + table);
    }

    /** Bounded busy-polling (no sleeps): waits until the condition holds, or fails. */
    protected static void await(String what, Check condition) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
        }
    }

    /** A condition on the database, polled by {@link #await}. */
    protected interface Check {
        boolean ok() throws SQLException;
    }

    /** Whether the session waits for a lock it has not been granted (pg_locks). */
    protected boolean waitingForALock(int pid) throws SQLException {
        return intQuery(admin, "SELECT count(*) FROM pg_locks WHERE pid = " + pid + " AND NOT granted") > 0;
    }

    protected static int pid(Connection c) throws SQLException {
        return intQuery(c, "SELECT pg_backend_pid()");
    }

    private Boolean booleanQuery(String sql) throws SQLException {
        try (Statement st = admin.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                return null;
            }
            boolean b = rs.getBoolean(1);
            return rs.wasNull() ? null : b;
        }
    }

    private List<String> strings(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = admin.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    static int intQuery(Connection c, String sql) throws SQLException {
        return (int) longQuery(c, sql);
    }

    static long longQuery(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String stringQuery(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
