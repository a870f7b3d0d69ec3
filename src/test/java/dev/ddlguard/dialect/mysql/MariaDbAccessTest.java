package dev.ddlguard.dialect.mysql;

import static dev.ddlguard.support.TestDatabases.MARIADB_URL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * The access and routine rules on MariaDB warn and let the statement run; what they warn about is proven on the
 * server: a locked or renamed account, or one with a new password, cannot log in as before, a revoked privilege is refused, a dropped procedure is gone.
 * Accounts are created without a password on {@code %}, which the loopback connection matches.
 */
class MariaDbAccessTest extends MariaDbRulesTestBase {

    @Test
    void aLockedAccountWarnsRunsAndCannotConnect() throws SQLException {
        String user = account();
        try (Connection app = as(user)) {
            assertThat(intQuery(app, "SELECT 1")).isEqualTo(1);
        }
        log.clear();
        try (Connection g = guarded()) {
            exec(g, "ALTER USER '" + user + "'@'%' ACCOUNT LOCK");
        }
        JsonNode r = onlyAudit();
        assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("warned");
        assertThat(rule(r, "disable-login").get("message").asText()).contains("locks account '" + user + "'@'%'");
        assertThatThrownBy(() -> as(user).close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("locked");
    }

    /** A new password: the application still logging in with the old one (here: none) is refused. */
    @Test
    void aReplacedPasswordWarnsRunsAndTheOldLoginFails() throws SQLException {
        String user = account();
        try (Connection app = as(user)) {
            assertThat(intQuery(app, "SELECT 1")).isEqualTo(1);
        }
        log.clear();
        try (Connection g = guarded()) {
            exec(g, "ALTER USER '" + user + "'@'%' IDENTIFIED BY 'n3w-s3cret'");
        }
        JsonNode r = onlyAudit();
        assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("warned");
        assertThat(rule(r, "disable-login").get("message").asText())
                .contains("replaces the password of user '" + user + "'@'%'")
                .doesNotContain("n3w-s3cret");
        assertThatThrownBy(() -> as(user).close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Access denied");
    }

    /**
     * GRANT … IDENTIFIED BY sets the password of an account that exists: the old login is refused (1045). It warns and
     * runs; no record or log line holds the password.
     */
    @Test
    void aGrantIdentifiedByWarnsRunsAndTheOldLoginFails() throws SQLException {
        String user = account();
        try (Connection app = as(user)) {
            assertThat(intQuery(app, "SELECT 1")).isEqualTo(1);
        }
        log.clear();
        try (Connection g = guarded()) {
            exec(g, "GRANT SELECT ON " + p + "_nodb.* TO '" + user + "'@'%' IDENTIFIED BY 'gr4nt-s3cret'");
        }
        assertThat(log.everything()).doesNotContain("gr4nt-s3cret");
        JsonNode r = onlyAudit();
        assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("warned");
        assertThat(rule(r, "disable-login").get("message").asText())
                .contains("replaces the password of account '" + user + "'@'%'");
        assertThat(r.toString()).doesNotContain("gr4nt-s3cret");
        assertThatThrownBy(() -> as(user).close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Access denied");

        // a GRANT that names no password leaves the login alone, unjudged by disable-login
        try (Connection g = guarded()) {
            exec(g, "GRANT SELECT ON " + p + "_nodb.* TO '" + user + "'@'%'");
        }
        assertThat(hasRule(onlyAudit(), "disable-login")).isFalse();
    }

    /** SET PASSWORD, which the guard did not read at all before, does the same as IDENTIFIED BY. */
    @Test
    void aPasswordSetWarnsRunsTheOldLoginFailsAndTheRecordHoldsNoPassword() throws SQLException {
        String user = account();
        log.clear();
        try (Connection g = guarded()) {
            exec(g, "SET PASSWORD FOR '" + user + "'@'%' = PASSWORD('n3w-s3cret')");
        }
        JsonNode r = onlyAudit();
        assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("warned");
        assertThat(rule(r, "disable-login").get("message").asText())
                .contains("replaces the password of account '" + user + "'@'%'");
        assertThat(r.toString()).doesNotContain("n3w-s3cret");
        assertThatThrownBy(() -> as(user).close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Access denied");
    }

    @Test
    void aRenamedAccountWarnsAndItsOldNameCannotConnect() throws SQLException {
        String user = account();
        afterwards("DROP USER IF EXISTS '" + user + "_new'@'%'");
        log.clear();
        try (Connection g = guarded()) {
            exec(g, "RENAME USER '" + user + "'@'%' TO '" + user + "_new'@'%'");
        }
        JsonNode r = onlyAudit();
        assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("warned");
        assertThat(rule(r, "disable-login").get("message").asText()).contains("renames user '" + user + "'@'%'");
        assertThat(blocks(r.get("lock"))).as("an account locks no table").isEmpty();
        assertThatThrownBy(() -> as(user).close()).isInstanceOf(SQLException.class);
        try (Connection renamed = as(user + "_new")) {
            assertThat(intQuery(renamed, "SELECT 1")).isEqualTo(1);
        }
    }

    @Test
    void revokingAPrivilegeAndDroppingTheAccountWarnAndRun() throws SQLException {
        String t = stringQuery(admin, "SELECT DATABASE()") + "."
                + table("acc", "(id int PRIMARY KEY)", "INSERT INTO {t} VALUES (1)");
        String user = account();
        exec(admin, "GRANT SELECT ON " + t + " TO '" + user + "'@'%'");
        log.clear();
        try (Connection g = guarded()) {
            exec(g, "REVOKE SELECT ON " + t + " FROM '" + user + "'@'%'");
        }
        JsonNode r = onlyAudit();
        assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("warned");
        assertThat(rule(r, "revoke").get("message").asText()).contains("revokes SELECT ON " + t);
        try (Connection app = as(user)) {
            assertThatThrownBy(() -> intQuery(app, "SELECT count(*) FROM " + t))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("denied");
        }
        try (Connection g = guarded()) {
            exec(g, "DROP USER '" + user + "'@'%'");
        }
        r = onlyAudit();
        assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("warned");
        assertThat(rule(r, "drop-role").get("message").asText()).contains("drops user '" + user + "'@'%'");
        assertThatThrownBy(() -> as(user).close()).isInstanceOf(SQLException.class);
    }

    @Test
    void droppingAProcedureWarnsAndRuns() throws SQLException {
        String proc = p + "_proc";
        exec(admin, "CREATE PROCEDURE " + proc + "() SELECT 1");
        afterwards("DROP PROCEDURE IF EXISTS " + proc);
        log.clear();
        try (Connection g = guarded()) {
            exec(g, "DROP PROCEDURE " + proc);
        }
        JsonNode r = onlyAudit();
        assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("warned");
        assertThat(rule(r, "drop-routine").get("message").asText()).contains("drops procedure " + proc);
        assertThat(intQuery(
                        admin,
                        "SELECT count(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()"
                                + " AND ROUTINE_NAME = '" + proc + "'"))
                .isZero();
    }

    private int accounts;

    /** An account of this test, without a password, dropped afterwards (unless the test dropped it). */
    private String account() throws SQLException {
        String user = p + "_u" + ++accounts;
        exec(admin, "CREATE USER '" + user + "'@'%'");
        afterwards("DROP USER IF EXISTS '" + user + "'@'%'");
        return user;
    }

    private static Connection as(String user) throws SQLException {
        // no default database: the account has no privilege on it, which the server would refuse at login
        return DriverManager.getConnection(MARIADB_URL
                .replaceAll("user=[^&]*", "user=" + user)
                .replaceFirst("(jdbc:mariadb://[^/]+/)[^?]*", "$1"));
    }
}
