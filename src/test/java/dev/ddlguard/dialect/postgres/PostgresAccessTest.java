package dev.ddlguard.dialect.postgres;

import static dev.ddlguard.support.TestDatabases.PG_URL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The access rules (drop-role, disable-login, revoke, reassign-owned, change-owner, change-row-policy, disable-row-security and widen-privileges) warn and let the
 * statement run; what they warn about is proven on the server: the account can no longer log in, the privilege is
 * gone, the objects changed owner, the role sees no rows, or every tenant's. The server trusts loopback connections, so a role logs in by name alone.
 */
class PostgresAccessTest extends PgRulesTestBase {

    @Test
    void anAccountThatLosesItsLoginWarnsRunsAndCannotConnect() throws SQLException {
        String role = role("LOGIN");
        try (Connection app = as(role)) {
            assertThat(intQuery(app, "SELECT 1")).isEqualTo(1);
        }
        log.clear();
        try (Connection g = guarded()) {
            exec(g, "ALTER ROLE " + role + " NOLOGIN");
        }
        JsonNode r = onlyAudit();
        assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("warned");
        assertThat(rule(r, "disable-login").get("message").asText()).contains("disables login of role " + role);
        assertThatThrownBy(() -> as(role).close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("is not permitted to log in");
    }

    @Test
    void aRenamedRoleWarnsAndItsOldNameCannotConnect() throws SQLException {
        String role = role("LOGIN");
        afterwards("DROP ROLE IF EXISTS " + role + "_new");
        log.clear();
        try (Connection g = guarded()) {
            exec(g, "ALTER ROLE " + role + " RENAME TO " + role + "_new");
        }
        JsonNode r = onlyAudit();
        assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("warned");
        assertThat(rule(r, "disable-login").get("message").asText())
                .contains("renames role " + role + " to " + role + "_new");
        assertThatThrownBy(() -> as(role).close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void revokingAPrivilegeWarnsRunsAndTheRoleIsRefused() throws SQLException {
        String t = table("acc", "id int", "SELECT 1");
        String role = role("LOGIN");
        exec(admin, "GRANT SELECT ON " + t + " TO " + role);
        log.clear();
        try (Connection g = guarded()) {
            exec(g, "REVOKE SELECT ON " + t + " FROM " + role);
        }
        JsonNode r = onlyAudit();
        assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("warned");
        assertThat(rule(r, "revoke").get("message").asText()).contains("revokes SELECT ON " + t);
        try (Connection app = as(role)) {
            assertThatThrownBy(() -> intQuery(app, "SELECT count(*) FROM " + t))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied");
        }
    }

    /** ALTER GROUP g DROP USER u is REVOKE g FROM u: the privileges u had through g go. */
    @Test
    void droppingAUserFromAGroupWarnsRunsAndTheUserIsRefused() throws SQLException {
        String t = table("grp", "id int", "SELECT 1");
        String group = role("NOLOGIN");
        String user = role("LOGIN");
        exec(admin, "GRANT SELECT ON " + t + " TO " + group, "GRANT " + group + " TO " + user);
        try (Connection app = as(user)) {
            assertThat(intQuery(app, "SELECT count(*) FROM " + t)).isEqualTo(1);
        }
        log.clear();
        try (Connection g = guarded()) {
            exec(g, "ALTER GROUP " + group + " DROP USER " + user);
        }
        JsonNode r = onlyAudit();
        assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("warned");
        assertThat(rule(r, "revoke").get("message").asText()).contains("takes role " + group + " away from " + user);
        try (Connection app = as(user)) {
            assertThatThrownBy(() -> intQuery(app, "SELECT count(*) FROM " + t))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied");
        }
    }

    @Test
    void droppingARoleAndReassigningWhatItOwnsWarnAndRun() throws SQLException {
        String owner = role("NOLOGIN");
        String t = table("owned", "id int", null);
        exec(admin, "ALTER TABLE " + t + " OWNER TO " + owner);
        log.clear();
        try (Connection g = guarded()) {
            exec(g, "REASSIGN OWNED BY " + owner + " TO CURRENT_USER", "DROP ROLE " + owner);
        }
        assertThat(log.audit())
                .hasSize(2)
                .allSatisfy(r ->
                        assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("warned"));
        assertThat(rule(log.audit().get(0), "reassign-owned").get("message").asText())
                .contains(owner);
        assertThat(rule(log.audit().get(1), "drop-role").get("message").asText())
                .contains("drops role " + owner);
        assertThat(stringQuery(admin, "SELECT tableowner FROM pg_tables WHERE tablename = '" + t + "'"))
                .isEqualTo(stringQuery(admin, "SELECT current_user"));
        assertThat(intQuery(admin, "SELECT count(*) FROM pg_roles WHERE rolname = '" + owner + "'"))
                .isZero();
    }

    /** The application's account owns the table, as the account that ran its migration does: a new owner takes its privileges. */
    @Test
    void changingTheOwnerWarnsRunsAndTheOldOwnerIsRefused() throws SQLException {
        String t = table("own", "id int", "SELECT 1");
        String role = role("LOGIN");
        exec(admin, "ALTER TABLE " + t + " OWNER TO " + role);
        try (Connection app = as(role)) {
            assertThat(intQuery(app, "SELECT count(*) FROM " + t)).isEqualTo(1);
        }
        log.clear();
        try (Connection g = guarded()) {
            exec(g, "ALTER TABLE " + t + " OWNER TO CURRENT_USER");
        }
        JsonNode r = onlyAudit();
        assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("warned");
        assertThat(rule(r, "change-owner").get("message").asText())
                .contains("changes the owner of table " + t + " to CURRENT_USER");
        try (Connection app = as(role)) {
            assertThatThrownBy(() -> intQuery(app, "SELECT count(*) FROM " + t))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied");
        }
    }

    /** Row security: the role's only policy dropped, its queries return nothing from then on. */
    @Test
    void droppingARowPolicyWarnsRunsAndTheRoleSeesNoRows() throws SQLException {
        String t = table("rls", "id int", "SELECT g FROM generate_series(1, 10) g");
        String role = role("LOGIN");
        exec(
                admin,
                "GRANT SELECT ON " + t + " TO " + role,
                "ALTER TABLE " + t + " ENABLE ROW LEVEL SECURITY",
                "CREATE POLICY " + p + "_all ON " + t + " FOR SELECT TO " + role + " USING (true)");
        try (Connection app = as(role)) {
            assertThat(intQuery(app, "SELECT count(*) FROM " + t)).isEqualTo(10);
        }
        log.clear();
        try (Connection g = guarded()) {
            exec(g, "DROP POLICY " + p + "_all ON " + t);
        }
        JsonNode r = onlyAudit();
        assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("warned");
        assertThat(rule(r, "change-row-policy").get("message").asText()).contains("drops policy " + p + "_all on " + t);
        try (Connection app = as(role)) {
            assertThat(intQuery(app, "SELECT count(*) FROM " + t)).isZero();
        }
    }

    /** Row security turned off: a tenant's role, which saw its own rows, sees every tenant's. */
    @Test
    void disablingRowSecurityWarnsRunsAndATenantSeesEveryRow() throws SQLException {
        assertTheTenantSeesEveryRowAfter(
                (t, role) -> "ALTER TABLE " + t + " DISABLE ROW LEVEL SECURITY",
                (t, role) -> "turns off row level security (every role sees every row) on " + t);
    }

    /** BYPASSRLS: the same harm for one role, on every table. */
    @Test
    void lettingARoleBypassRowSecurityWarnsRunsAndItSeesEveryRow() throws SQLException {
        assertTheTenantSeesEveryRowAfter(
                (t, role) -> "ALTER ROLE " + role + " BYPASSRLS",
                (t, role) -> "lets role " + role + " bypass row level security");
    }

    /**
     * A table of two tenants whose role sees tenant a's 3 rows through its policy; the statement, run through the
     * guard, is warned by disable-row-security with the message, and the role then sees all 10.
     */
    private void assertTheTenantSeesEveryRowAfter(BinaryOperator<String> statement, BinaryOperator<String> message)
            throws SQLException {
        String t = table(
                "tenants",
                "id int, tenant text",
                "SELECT g, CASE WHEN g <= 3 THEN 'a' ELSE 'b' END FROM generate_series(1, 10) g");
        String role = role("LOGIN");
        exec(
                admin,
                "GRANT SELECT ON " + t + " TO " + role,
                "ALTER TABLE " + t + " ENABLE ROW LEVEL SECURITY",
                "CREATE POLICY " + p + "_a ON " + t + " FOR SELECT TO " + role + " USING (tenant = 'a')");
        try (Connection app = as(role)) {
            assertThat(intQuery(app, "SELECT count(*) FROM " + t))
                    .as("tenant a's rows")
                    .isEqualTo(3);
        }
        assertWarnedAndRun(statement.apply(t, role), "disable-row-security", message.apply(t, role));
        try (Connection app = as(role)) {
            assertThat(intQuery(app, "SELECT count(*) FROM " + t))
                    .as("every tenant's rows")
                    .isEqualTo(10);
        }
    }

    @Test
    void grantingToPublicWarnsRunsAndARoleNobodyGrantedReadsTheTable() throws SQLException {
        assertARoleReadsTheTableAfter(
                (role, t) -> "GRANT SELECT ON " + t + " TO PUBLIC", (role, t) -> "SELECT on " + t + " to everyone");
    }

    @Test
    void makingARoleSuperuserWarnsRunsAndItReadsEveryTable() throws SQLException {
        assertARoleReadsTheTableAfter(
                (role, t) -> "ALTER ROLE " + role + " SUPERUSER", (role, t) -> "makes role " + role + " a superuser");
    }

    /** Role options are IDENTs to PostgreSQL's grammar: quoted, the server takes them as written bare. */
    @Test
    void quotedRoleOptionsAreTheOptionsWarnRunAndTakeEffect() throws SQLException {
        assertARoleReadsTheTableAfter(
                (role, t) -> "ALTER ROLE " + role + " \"superuser\"",
                (role, t) -> "makes role " + role + " a superuser");
        assertTheTenantSeesEveryRowAfter(
                (t, role) -> "ALTER ROLE " + role + " \"bypassrls\"",
                (t, role) -> "lets role " + role + " bypass row level security");
        String role = role("LOGIN");
        assertWarnedAndRun("ALTER ROLE " + role + " \"nologin\"", "disable-login", "disables login of role " + role);
        assertThatThrownBy(() -> as(role).close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("is not permitted to log in");
    }

    /** ALTER GROUP g ADD USER u is GRANT g TO u: a member of postgres reads what postgres owns (the pg_* roles refuse ALTER). */
    @Test
    void addingAUserToAPowerfulGroupWarnsRunsAndItReadsEveryTable() throws SQLException {
        assertARoleReadsTheTableAfter(
                (role, t) -> "ALTER GROUP postgres ADD USER " + role, (role, t) -> "grants role postgres to " + role);
    }

    /** CREATE ROLE … IN ROLE pg_read_all_data is GRANT pg_read_all_data TO the new role: it reads every table. */
    @Test
    void aRoleCreatedInAPowerfulRoleWarnsRunsAndReadsEveryTable() throws SQLException {
        String t = table("inrole", "id int", "SELECT 1");
        String role = p + "_inrole";
        afterwards("DROP ROLE IF EXISTS " + role);
        assertWarnedAndRun(
                "CREATE ROLE " + role + " LOGIN IN ROLE pg_read_all_data",
                "widen-privileges",
                "lets role " + role + " use role pg_read_all_data (IN ROLE)");
        try (Connection app = as(role)) {
            assertThat(intQuery(app, "SELECT count(*) FROM " + t)).isEqualTo(1);
        }
    }

    /** widen-privileges: a role refused the table before the statement reads it afterwards. */
    private void assertARoleReadsTheTableAfter(BinaryOperator<String> statement, BinaryOperator<String> message)
            throws SQLException {
        String t = table("wide", "id int", "SELECT 1");
        String role = role("LOGIN");
        try (Connection app = as(role)) {
            assertThatThrownBy(() -> intQuery(app, "SELECT count(*) FROM " + t))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied");
        }
        assertWarnedAndRun(statement.apply(role, t), "widen-privileges", message.apply(role, t));
        try (Connection app = as(role)) {
            assertThat(intQuery(app, "SELECT count(*) FROM " + t)).isEqualTo(1);
        }
    }

    private int roles;

    /** A role of this test, dropped afterwards with what it owns and was granted (unless the test dropped it). */
    private String role(String options) throws SQLException {
        String role = p + "_role" + ++roles;
        exec(admin, "CREATE ROLE " + role + " " + options);
        afterwards("DO $$BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role + "') THEN DROP OWNED BY "
                + role + "; DROP ROLE " + role + "; END IF; END$$");
        return role;
    }

    private static Connection as(String role) throws SQLException {
        return DriverManager.getConnection(PG_URL.replaceAll("user=[^&]*", "user=" + role));
    }
}
