package dev.ddlguard.dialect.mysql;

import static dev.ddlguard.support.TestDatabases.MARIADB_URL;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.support.ServerTestBase;
import dev.ddlguard.support.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the MariaDB rule tests share: a raw admin connection (to build fixtures, read
 * information_schema back and try statements on scratch tables), a log capture for the audit
 * records, unique table names per test (dropped afterwards), and the readbacks that say what a
 * table looks like after a statement.
 */
abstract class MariaDbRulesTestBase extends ServerTestBase {

    /** ER_ALTER_OPERATION_NOT_SUPPORTED and ER_ALTER_OPERATION_NOT_SUPPORTED_REASON: the server refuses the clause. */
    static final List<Integer> REFUSED = List.of(1845, 1846);

    @Override
    protected Connection openAdmin() throws SQLException {
        return TestDatabases.mariadb();
    }

    @Override
    protected String namePrefix() {
        return "ddlg_m";
    }

    /** Tables are dropped in creation order reversed; foreign keys between them must not stop that. */
    @Override
    protected void beforeCleanUp(Connection admin) throws SQLException {
        exec(admin, "SET SESSION foreign_key_checks = 0");
    }
    /** A guarded connection to the test server with ddlguard.* settings as name/value pairs. */
    protected static Connection guarded(String... settings) throws SQLException {
        return TestDatabases.guarded(MARIADB_URL, settings);
    }

    /** Creates a view {@code <prefix>_<suffix>} over {@code select} (dropped after the test) through the raw connection. */
    protected String view(String suffix, String select) throws SQLException {
        String name = p + "_" + suffix;
        exec(admin, "CREATE VIEW " + name + " AS " + select);
        afterwards("DROP VIEW IF EXISTS " + name);
        return name;
    }

    /**
     * Creates {@code <prefix>_<suffix>} through the raw connection ({@code {t}} in the statements
     * stands for its name), runs the further statements (rows, indexes), analyzes it and drops it
     * after the test.
     */
    protected String table(String suffix, String definition, String... then) throws SQLException {
        String name = p + "_" + suffix;
        afterwards("DROP TABLE IF EXISTS " + name);
        exec(admin, "CREATE TABLE " + name + " " + definition.replace("{t}", name));
        for (String sql : then) {
            exec(admin, sql.replace("{t}", name));
        }
        exec(admin, "ANALYZE TABLE " + name);
        return name;
    }

    // ---- the audit record -------------------------------------------------------------------------

    protected static List<String> blocks(JsonNode lock) {
        List<String> out = new ArrayList<>();
        lock.get("blocks").forEach(b -> out.add(b.asText()));
        return out;
    }

    // ---- the server ---------------------------------------------------------------------------------

    /** The error code the server answers the statement with on the raw connection, 0 when it accepts it. */
    /** Whether the table is in the test's database. */
    protected boolean tableExists(String table) throws SQLException {
        return intQuery(
                        admin,
                        "SELECT count(*) FROM information_schema.TABLES WHERE table_schema = DATABASE()"
                                + " AND table_name = '" + table + "'")
                == 1;
    }

    protected int errorCode(String sql) {
        try {
            exec(admin, sql);
            return 0;
        } catch (SQLException e) {
            return e.getErrorCode();
        }
    }

    /** The first value the admin connection reads for the query (for the table-driven cases' readbacks). */
    String adminQuery(String sql) throws SQLException {
        return stringQuery(admin, sql);
    }

    protected int serverVersion() throws SQLException {
        return OnlineDdlMatrix.parseVersion(stringQuery(admin, "SELECT VERSION()"));
    }

    // ---- information_schema readbacks --------------------------------------------------------------

    /** The table's columns in order: {@code name type [not null] [default x] [extra] [as expression]}. */
    protected String columns(String table) throws SQLException {
        return stringQuery(
                admin,
                "SELECT GROUP_CONCAT(CONCAT_WS(' ', COLUMN_NAME, COLUMN_TYPE,"
                        + " IF(IS_NULLABLE = 'NO', 'not null', NULL),"
                        + " IF(COLUMN_DEFAULT IS NULL OR COLUMN_DEFAULT = 'NULL', NULL, CONCAT('default ', COLUMN_DEFAULT)),"
                        + " NULLIF(LOWER(EXTRA), ''), IF(GENERATION_EXPRESSION IS NULL, NULL, CONCAT('as ', GENERATION_EXPRESSION)))"
                        + " ORDER BY ORDINAL_POSITION SEPARATOR ', ')"
                        + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '" + table
                        + "'");
    }

    /** The table's indexes sorted by name: {@code name [unique] [fulltext] (columns)}. */
    protected String indexes(String table) throws SQLException {
        return stringQuery(
                admin,
                "SELECT GROUP_CONCAT(x ORDER BY x SEPARATOR ', ') FROM (SELECT CONCAT(INDEX_NAME,"
                        + " IF(NON_UNIQUE = 0, ' unique', ''), IF(INDEX_TYPE <> 'BTREE', CONCAT(' ', LOWER(INDEX_TYPE)), ''),"
                        + " ' (', GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX), ')') AS x"
                        + " FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '"
                        + table + "'"
                        + " GROUP BY INDEX_NAME, NON_UNIQUE, INDEX_TYPE) s");
    }

    /** The table's constraints (information_schema.TABLE_CONSTRAINTS) sorted: {@code name type}. */
    protected String constraints(String table) throws SQLException {
        return stringQuery(
                admin,
                "SELECT GROUP_CONCAT(CONCAT(CONSTRAINT_NAME, ' ', CONSTRAINT_TYPE) ORDER BY 1 SEPARATOR ', ')"
                        + " FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '"
                        + table + "'");
    }

    protected String tableComment(String table) throws SQLException {
        return stringQuery(
                admin,
                "SELECT TABLE_COMMENT FROM information_schema.TABLES"
                        + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '" + table + "'");
    }

    /** Everything about a table at once, to prove that a blocked or refused statement changed nothing. */
    protected String showCreate(String table) throws SQLException {
        try (Statement st = admin.createStatement();
                ResultSet rs = st.executeQuery("SHOW CREATE TABLE " + table)) {
            rs.next();
            return rs.getString(2);
        }
    }

    /** DATA_LENGTH + INDEX_LENGTH, the size ddlguard.small-table is compared with. */
    protected long bytes(String table) throws SQLException {
        return longQuery(
                admin,
                "SELECT DATA_LENGTH + INDEX_LENGTH FROM information_schema.TABLES"
                        + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '" + table + "'");
    }

    /** The statement on a connection of its own thread, for a second session working while the first waits or runs. */
    protected static CompletableFuture<Void> async(Connection c, String sql) {
        return CompletableFuture.runAsync(() -> {
            try {
                exec(c, sql);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
