package dev.ddlguard.dialect.mysql;

import static dev.ddlguard.support.TestDatabases.MARIADB_URL;
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
 * What the MariaDB rule tests share: a raw admin connection (to build fixtures, read
 * information_schema back and try statements on scratch tables), a log capture for the audit
 * records, unique table names per test (dropped afterwards), and the readbacks that say what a
 * table looks like after a statement.
 */
abstract class MariaDbRulesTestBase {

    /** ER_ALTER_OPERATION_NOT_SUPPORTED and ER_ALTER_OPERATION_NOT_SUPPORTED_REASON: the server refuses the clause. */
    static final List<Integer> REFUSED = List.of(1845, 1846);

    protected Connection admin;
    protected LogCapture log;
    /** A prefix unique to this test: every table it creates starts with it. */
    protected String p;
    private final List<String> cleanUp = new ArrayList<>();

    @BeforeEach
    void openAdminAndCapture() throws SQLException {
        admin = TestDatabases.mariadb();
        p = "ddlg_m" + Long.toHexString(System.nanoTime());
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
            exec(c, "SET SESSION foreign_key_checks = 0");
            for (int i = cleanUp.size() - 1; i >= 0; i--) {
                exec(c, cleanUp.get(i));
            }
        }
    }

    /** A guarded connection to the test server with ddlguard.* settings as name/value pairs. */
    protected static Connection guarded(String... settings) throws SQLException {
        return TestDatabases.guarded(MARIADB_URL, settings);
    }

    /**
     * Creates {@code <prefix>_<suffix>} through the raw connection ({@code {t}} in the statements
     * stands for its name), runs the further statements (rows, indexes), analyzes it and drops it
     * after the test.
     */
    protected String table(String suffix, String definition, String... then) throws SQLException {
        String name = p + "_" + suffix;
        cleanUp.add("DROP TABLE IF EXISTS " + name);
        exec(admin, "CREATE TABLE " + name + " " + definition.replace("{t}", name));
        for (String sql : then) {
            exec(admin, sql.replace("{t}", name));
        }
        exec(admin, "ANALYZE TABLE " + name);
        return name;
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

    protected static List<String> blocks(JsonNode lock) {
        List<String> out = new ArrayList<>();
        lock.get("blocks").forEach(b -> out.add(b.asText()));
        return out;
    }

    /** A blocked statement's record: nothing ran. */
    protected static void assertBlockedRecord(JsonNode r, String ruleId) {
        assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("blocked");
        assertThat(rule(r, ruleId).get("action").asText()).isEqualTo("block");
        assertThat(r.get("executed_sql").isNull()).isTrue();
        assertThat(r.get("outcome").asText()).isEqualTo("blocked");
        assertThat(r.get("duration_ms").isNull()).isTrue();
    }

    /** Runs the statement through the guard and expects XDG01 naming the rule; returns the message. */
    protected static String assertBlocked(Connection guarded, String sql, String ruleId) {
        BlockedStatementException[] caught = new BlockedStatementException[1];
        assertThatThrownBy(() -> exec(guarded, sql))
                .isInstanceOf(BlockedStatementException.class)
                .satisfies(e -> caught[0] = (BlockedStatementException) e);
        assertThat(caught[0].getSQLState()).isEqualTo("XDG01");
        assertThat(caught[0].ruleIds()).contains(ruleId);
        assertThat(caught[0].getMessage()).contains("[" + ruleId + "]");
        return caught[0].getMessage();
    }

    // ---- the server ---------------------------------------------------------------------------------

    /** The error code the server answers the statement with on the raw connection, 0 when it accepts it. */
    protected int errorCode(String sql) {
        try {
            exec(admin, sql);
            return 0;
        } catch (SQLException e) {
            return e.getErrorCode();
        }
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

    protected int serverVersion() throws SQLException {
        return OnlineDdlMatrix.parseVersion(stringQuery(admin, "SELECT VERSION()"));
    }

    // ---- information_schema readbacks --------------------------------------------------------------

    /** The table's columns in order: {@code name type [not null] [default x] [extra] [as expression]}. */
    protected String columns(String table) throws SQLException {
        return stringQuery(admin, "SELECT GROUP_CONCAT(CONCAT_WS(' ', COLUMN_NAME, COLUMN_TYPE,"
                + " IF(IS_NULLABLE = 'NO', 'not null', NULL),"
                + " IF(COLUMN_DEFAULT IS NULL OR COLUMN_DEFAULT = 'NULL', NULL, CONCAT('default ', COLUMN_DEFAULT)),"
                + " NULLIF(LOWER(EXTRA), ''), IF(GENERATION_EXPRESSION IS NULL, NULL, CONCAT('as ', GENERATION_EXPRESSION)))"
                + " ORDER BY ORDINAL_POSITION SEPARATOR ', ')"
                + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '" + table + "'");
    }

    /** The table's indexes sorted by name: {@code name [unique] [fulltext] (columns)}. */
    protected String indexes(String table) throws SQLException {
        return stringQuery(admin, "SELECT GROUP_CONCAT(x ORDER BY x SEPARATOR ', ') FROM (SELECT CONCAT(INDEX_NAME,"
                + " IF(NON_UNIQUE = 0, ' unique', ''), IF(INDEX_TYPE <> 'BTREE', CONCAT(' ', LOWER(INDEX_TYPE)), ''),"
                + " ' (', GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX), ')') AS x"
                + " FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '" + table + "'"
                + " GROUP BY INDEX_NAME, NON_UNIQUE, INDEX_TYPE) s");
    }

    /** The table's constraints (information_schema.TABLE_CONSTRAINTS) sorted: {@code name type}. */
    protected String constraints(String table) throws SQLException {
        return stringQuery(admin, "SELECT GROUP_CONCAT(CONCAT(CONSTRAINT_NAME, ' ', CONSTRAINT_TYPE) ORDER BY 1 SEPARATOR ', ')"
                + " FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '" + table + "'");
    }

    protected String tableComment(String table) throws SQLException {
        return stringQuery(admin, "SELECT TABLE_COMMENT FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '" + table + "'");
    }

    /** Everything about a table at once, to prove that a blocked or refused statement changed nothing. */
    protected String showCreate(String table) throws SQLException {
        try (Statement st = admin.createStatement(); ResultSet rs = st.executeQuery("SHOW CREATE TABLE " + table)) {
            rs.next();
            return rs.getString(2);
        }
    }

    /** DATA_LENGTH + INDEX_LENGTH, the size ddlguard.small-table is compared with. */
    protected long bytes(String table) throws SQLException {
        return longQuery(admin, "SELECT DATA_LENGTH + INDEX_LENGTH FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '" + table + "'");
    }

    protected int count(String table) throws SQLException {
        return intQuery(admin, "SELECT COUNT(*) FROM " + table);
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    static long update(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            return st.executeLargeUpdate(sql);
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
