package dev.ddlguard.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * Statements a MariaDB migration can run that reach past one table, on a real server: {@code SET STATEMENT … FOR}
 * runs the statement after FOR (the guard used to see only a SET and pass it, DROP and all), {@code SET GLOBAL}
 * changes every session of the server, {@code INSTALL SONAME} loads a library into it, {@code SET sql_log_bin = 0} keeps the session's statements from
 * the replicas, {@code PURGE BINARY LOGS} deletes what they and point-in-time recovery read. The server-wide ones are never
 * run by these tests: each is blocked, and the server's state is read back unchanged.
 */
class MariaDbServerReachTest extends MariaDbRulesTestBase {

    @Test
    void setStatementForDropIsJudgedAsTheDropItRuns() throws SQLException {
        String t = table("sst", "(id int PRIMARY KEY)", "INSERT INTO {t} VALUES (1)");
        String sql = "SET STATEMENT max_statement_time = 100 FOR DROP TABLE " + t;
        try (Connection g = guarded()) {
            assertBlocked(g, sql, "drop-table", "CREATE TABLE " + t + "_backup");
        }
        assertBlockedRecord(onlyAudit(), "drop-table");
        assertThat(count(t)).isEqualTo(1);

        exec(admin, sql); // raw: the SET runs the DROP
        assertThat(tableExists(t)).isFalse();
    }

    /** The rewrite of the statement after FOR reaches the server inside the SET STATEMENT, which keeps its options. */
    @Test
    void setStatementForAnIndexIsSentWithTheOnlineClause() throws SQLException {
        String t = table("ssi", "(id int PRIMARY KEY, a int)", "INSERT INTO {t} VALUES (1, 10), (2, 20)");
        try (Connection g = guarded()) {
            exec(g, "SET STATEMENT lock_wait_timeout = 5 FOR ALTER TABLE " + t + " ADD INDEX i_a (a)");
        }
        JsonNode r = onlyAudit();
        assertThat(r.get("decision").asText()).isEqualTo("rewritten");
        assertThat(r.get("executed_sql").asText())
                .isEqualTo("SET STATEMENT lock_wait_timeout = 5 FOR ALTER TABLE " + t
                        + " ADD INDEX i_a (a), ALGORITHM=NOCOPY, LOCK=NONE");
        assertThat(indexes(t)).contains("i_a (a)");
    }

    @Test
    void setGlobalReadOnlyIsBlockedAndTheServerStaysWritable() throws SQLException {
        int before = intQuery(admin, "SELECT @@global.read_only");
        try (Connection g = guarded()) {
            String message = assertBlocked(g, "SET GLOBAL read_only = 1", "close-database");
            assertThat(message).contains("[set-global]").contains("read-only for every session");
        }
        JsonNode r = onlyAudit();
        assertBlockedRecord(r, "close-database");
        assertBlockedRecord(r, "set-global");
        assertThat(intQuery(admin, "SELECT @@global.read_only"))
                .isEqualTo(before)
                .isZero();
    }

    /** Any server-wide setting: the value every new session would start with stays as it was. */
    @Test
    void setGlobalOfASettingIsBlockedInAnySpelling() throws SQLException {
        long before = longQuery(admin, "SELECT @@global.max_connections");
        try (Connection g = guarded()) {
            assertBlocked(g, "set @@GLOBAL.max_connections = " + (before + 1), "set-global");
            onlyAudit();
            assertBlocked(g, "SET SESSION sql_mode = 'ANSI', GLOBAL max_connections = 1", "set-global");
            onlyAudit();
            assertBlocked(g, "/*!40101 SET GLOBAL max_connections = 2 */", "set-global");
            onlyAudit();
            // the session's own settings are the driver's business, unjudged and unaudited
            exec(g, "SET SESSION sql_mode = 'ANSI_QUOTES'");
            assertThat(stringQuery(g, "SELECT @@session.sql_mode")).isEqualTo("ANSI_QUOTES");
        }
        assertThat(log.audit()).isEmpty();
        assertThat(longQuery(admin, "SELECT @@global.max_connections")).isEqualTo(before);
    }

    /** MySQL's procedure body may be one bare statement: created unjudged, it drops the table at its first CALL. */
    @Test
    void aProcedureWhoseBodyIsABareDropIsUnanalyzable() throws SQLException {
        String t = table("prc", "(id int PRIMARY KEY)", "INSERT INTO {t} VALUES (1)");
        String create = "CREATE PROCEDURE " + t + "_p() DROP TABLE " + t;
        afterwards("DROP PROCEDURE IF EXISTS " + t + "_p");
        try (Connection g = guarded()) {
            assertBlocked(g, create, "unanalyzable");
        }
        assertBlockedRecord(onlyAudit(), "unanalyzable");

        exec(admin, create, "CALL " + t + "_p()"); // raw: the procedure is created, and its call drops the table
        assertThat(tableExists(t)).isFalse();
    }

    /** The session's later statements would leave the binary log, and replicas would never see them. */
    @Test
    void leavingTheBinaryLogIsBlockedAndTheSessionStillLogs() throws SQLException {
        try (Connection g = guarded()) {
            assertBlocked(g, "SET sql_log_bin = 0", "skip-binlog");
            assertBlockedRecord(onlyAudit(), "skip-binlog");
            assertThat(intQuery(g, "SELECT @@session.sql_log_bin")).isEqualTo(1);
            // nothing older than 2000 to delete even if it ran: the guard stops it before the server
            assertBlocked(g, "PURGE BINARY LOGS BEFORE '2000-01-01 00:00:00'", "server-administration");
            assertBlockedRecord(onlyAudit(), "server-administration");
        }
    }

    @Test
    void installingAPluginIsBlockedAndNothingIsLoaded() throws SQLException {
        String loaded = "SELECT count(*) FROM information_schema.PLUGINS WHERE PLUGIN_LIBRARY = 'ha_blackhole.so'";
        assertThat(intQuery(admin, loaded)).isZero();
        try (Connection g = guarded()) {
            assertBlocked(g, "INSTALL SONAME 'ha_blackhole'", "server-plugin");
        }
        assertBlockedRecord(onlyAudit(), "server-plugin");
        assertThat(intQuery(admin, loaded)).isZero();
    }

    /**
     * A loadable function ("UDF") is a shared library the server opens: raw, the server tries to open the file at once
     * (error 1126); guarded, the statement never reaches it and no function is registered.
     */
    @Test
    void creatingAFunctionFromALibraryIsBlockedAndNothingIsRegistered() throws SQLException {
        String registered = "SELECT count(*) FROM mysql.func WHERE name = 'ddlguard_udf'";
        String create = "CREATE FUNCTION ddlguard_udf RETURNS STRING SONAME 'ddlguard_no_such_library.so'";
        assertThatThrownBy(() -> exec(admin, create))
                .isInstanceOfSatisfying(
                        SQLException.class,
                        e -> assertThat(e.getErrorCode())
                                .as(e.getMessage())
                                .isEqualTo(1126)); // ER_CANT_OPEN_LIBRARY: the server went for the file
        try (Connection g = guarded()) {
            String message = assertBlocked(g, create, "server-plugin");
            assertThat(message).contains("loads a function from library 'ddlguard_no_such_library.so'");
        }
        assertBlockedRecord(onlyAudit(), "server-plugin");
        assertThat(intQuery(admin, registered)).isZero();
    }
}
