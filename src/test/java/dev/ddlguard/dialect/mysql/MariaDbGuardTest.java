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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The driver core on a real MariaDB: blocking, catalog figures and the metadata-lock timeout. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MariaDbGuardTest {

    private Connection admin;
    private LogCapture log;
    private String table;

    @BeforeEach
    void setUp() throws SQLException {
        admin = TestDatabases.mariadb();
        table = "ddlguard_it_" + Long.toHexString(System.nanoTime());
        exec(admin, "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, note VARCHAR(20)) ENGINE=InnoDB");
        exec(admin, "INSERT INTO " + table + " VALUES (1, 'a'), (2, 'b'), (3, 'c')");
        exec(admin, "ANALYZE TABLE " + table);
        log = LogCapture.start();
    }

    @AfterEach
    void tearDown() throws SQLException {
        if (log != null) {
            log.close();
        }
        if (admin != null) {
            exec(admin, "DROP TABLE IF EXISTS " + table);
            admin.close();
        }
    }

    @Test
    void isRecognisedAndBlocksIrreversibleDdl() throws SQLException {
        try (Connection guarded = TestDatabases.guarded(MARIADB_URL)) {
            assertThatThrownBy(() -> exec(guarded, "DROP TABLE `" + table + "`"))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("[drop-table]");
            assertThatThrownBy(() -> exec(guarded, "ALTER TABLE " + table + " CHANGE note remark VARCHAR(20)"))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("[rename-column]");
        }
        assertThat(intQuery(admin, "SELECT COUNT(*) FROM " + table)).isEqualTo(3);
        assertThat(log.audit()).allSatisfy(r -> {
            assertThat(r.get("target").asText()).isEqualTo("mariadb");
            assertThat(r.get("db").asText()).contains("MariaDB");
        });
    }

    @Test
    void lockWaitTimeoutIsSetRetriedAndRestored() throws SQLException {
        try (Connection holder = TestDatabases.mariadb();
                Connection guarded = TestDatabases.guarded(
                        MARIADB_URL, "ddlguard.lock-timeout", "1s", "ddlguard.lock-timeout.retries", "1")) {
            String before = stringQuery(guarded, "SELECT @@SESSION.lock_wait_timeout");
            holder.setAutoCommit(false);
            exec(holder, "SELECT COUNT(*) FROM " + table); // holds a shared metadata lock until commit
            assertThatThrownBy(() -> exec(guarded, "ALTER TABLE " + table + " ADD COLUMN shipped_at DATETIME"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(
                            e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1205));
            assertThat(stringQuery(guarded, "SELECT @@SESSION.lock_wait_timeout"))
                    .isEqualTo(before);
            holder.rollback();
        }
        JsonNode r = log.onlyAudit();
        assertThat(r.get("attempts").asInt()).isEqualTo(2);
        assertThat(r.get("outcome").asText()).isEqualTo("error");
        assertThat(r.get("lock").get("rows").asLong()).isEqualTo(3);
    }

    @Test
    void passwordsAreRedacted() throws SQLException {
        String user = "ddlguard_u" + Long.toHexString(System.nanoTime() & 0xffff);
        try (Connection guarded = TestDatabases.guarded(MARIADB_URL)) {
            exec(guarded, "CREATE USER '" + user + "'@'localhost' IDENTIFIED BY 'hunter2-maria'");
            exec(guarded, "ALTER USER '" + user + "'@'localhost' IDENTIFIED BY 'hunter3-maria'");
            exec(guarded, "DROP USER '" + user + "'@'localhost'");
        }
        assertThat(log.audit()).hasSize(3);
        assertThat(log.everything()).doesNotContain("hunter2-maria").doesNotContain("hunter3-maria");
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    static int intQuery(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static String stringQuery(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
