package dev.ddlguard.dialect.postgres;

import static dev.ddlguard.support.TestDatabases.PG_URL;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.support.ServerTestBase;
import dev.ddlguard.support.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * What the PostgreSQL rule tests share: a raw admin connection to read the catalog back, a log
 * capture for the audit records, unique object names per test (dropped afterwards), and catalog
 * probes ({@code pg_index.indisvalid}, {@code pg_constraint.convalidated}, {@code relfilenode}, …).
 */
abstract class PgRulesTestBase extends ServerTestBase {

    @Override
    protected Connection openAdmin() throws SQLException {
        return TestDatabases.postgres();
    }

    @Override
    protected String namePrefix() {
        return "ddlg_r";
    }

    /** A guarded connection to the test server with ddlguard.* settings as name/value pairs. */
    protected static Connection guarded(String... settings) throws SQLException {
        return TestDatabases.guarded(PG_URL, settings);
    }

    /** Runs the statement through the guard: warned by the rule, whose message holds {@code piece}, and run. */
    protected JsonNode assertWarnedAndRun(String sql, String ruleId, String piece) throws SQLException {
        log.clear();
        try (Connection g = guarded()) {
            exec(g, sql);
        }
        JsonNode r = onlyAudit();
        assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("warned");
        assertThat(rule(r, ruleId).get("message").asText()).contains(piece);
        return r;
    }

    /** Creates a schema (dropped with what it holds after the test) through the raw connection. */
    protected String schema(String suffix) throws SQLException {
        String name = p + "_" + suffix;
        exec(admin, "CREATE SCHEMA " + name);
        afterwards("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        return name;
    }

    /** Creates a table (dropped after the test) through the raw connection, filled and analyzed. */
    protected String table(String suffix, String columns, String fillSelect) throws SQLException {
        String name = p + "_" + suffix;
        exec(admin, "CREATE TABLE " + name + " (" + columns + ")");
        afterwards("DROP TABLE IF EXISTS " + name + " CASCADE");
        if (fillSelect != null) {
            exec(admin, "INSERT INTO " + name + " " + fillSelect);
        }
        exec(admin, "ANALYZE " + name);
        return name;
    }

    // ---- the audit record -------------------------------------------------------------------------

    /** The fields every record of an existing table has: mode, and rows and bytes read from the live catalog. */
    protected static void assertLockWithSize(JsonNode lock, String mode) {
        assertThat(lock.isObject()).as("lock object").isTrue();
        assertThat(lock.get("mode").asText()).isEqualTo(mode);
        assertThat(lock.get("rows").isNumber())
                .as("rows from the catalog: " + lock)
                .isTrue();
        assertThat(lock.get("bytes").isNumber())
                .as("bytes from the catalog: " + lock)
                .isTrue();
        assertThat(lock.get("bytes").asLong()).isPositive();
    }

    /** A rewritten statement's record: rule and action, what ran, and both lock modes (sizes: {@link #assertLockWithSize}). */
    protected static void assertRewritten(
            JsonNode r, String ruleId, String executedSql, String lockMode, String executedMode) {
        assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("rewritten");
        assertThat(rule(r, ruleId).get("action").asText()).isEqualTo("rewrite");
        assertThat(r.get("executed_sql").asText()).isEqualTo(executedSql);
        assertThat(r.get("outcome").asText()).isEqualTo("ok");
        assertThat(r.get("lock").get("mode").asText()).as("lock").isEqualTo(lockMode);
        assertThat(r.get("executed_lock").get("mode").asText())
                .as("executed_lock")
                .isEqualTo(executedMode);
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
        return strings(
                admin,
                "SELECT c.relname || ':' || i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                        + " WHERE i.indrelid = '" + table + "'::regclass ORDER BY 1");
    }

    /** pg_constraint.convalidated of the table's constraint, or null when there is none. */
    protected Boolean constraintValidated(String table, String constraint) throws SQLException {
        return booleanQuery("SELECT convalidated FROM pg_constraint WHERE conrelid = '" + table + "'::regclass"
                + " AND conname = '" + constraint + "'");
    }

    /** Constraints of a table as "name:contype:validated". */
    protected List<String> constraints(String table) throws SQLException {
        return strings(
                admin,
                "SELECT conname || ':' || contype::text || ':' || convalidated FROM pg_constraint"
                        + " WHERE conrelid = '" + table + "'::regclass ORDER BY 1");
    }

    protected long relfilenode(String table) throws SQLException {
        return longQuery(admin, "SELECT relfilenode FROM pg_class WHERE oid = '" + table + "'::regclass");
    }

    /** The column's type from information_schema.columns, spelled like format_type: "character varying(50)". */
    protected String columnType(String table, String column) throws SQLException {
        try (Statement st = admin.createStatement();
                ResultSet rs = st.executeQuery(
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

    /** Whether the session waits for a lock it has not been granted (pg_locks). */
    protected boolean waitingForALock(int pid) throws SQLException {
        return intQuery(admin, "SELECT count(*) FROM pg_locks WHERE pid = " + pid + " AND NOT granted") > 0;
    }

    protected static int pid(Connection c) throws SQLException {
        return intQuery(c, "SELECT pg_backend_pid()");
    }

    private Boolean booleanQuery(String sql) throws SQLException {
        try (Statement st = admin.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                return null;
            }
            boolean b = rs.getBoolean(1);
            return rs.wasNull() ? null : b;
        }
    }
}
