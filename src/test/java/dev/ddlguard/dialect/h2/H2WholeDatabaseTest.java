package dev.ddlguard.dialect.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddlguard.BlockedStatementException;
import dev.ddlguard.support.H2;
import dev.ddlguard.support.LogCapture;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * H2's statements on the whole database, on a real embedded H2: SET REFERENTIAL_INTEGRITY FALSE lets another
 * connection write an orphan row (shown raw), and the guard blocks it, SET EXCLUSIVE, SET DATABASE_EVENT_LISTENER and
 * SHUTDOWN (the database stays open for the other connection).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class H2WholeDatabaseTest {

    private H2 db;
    private LogCapture log;

    @BeforeEach
    void setUp() throws SQLException {
        db = new H2();
        log = LogCapture.start();
        db.setup("CREATE TABLE p (id INT PRIMARY KEY)", "CREATE TABLE ch (id INT, p INT REFERENCES p (id))");
    }

    @AfterEach
    void tearDown() throws SQLException {
        log.close();
        db.close();
    }

    private static void blocked(Connection g, String sql, String ruleId) {
        assertThatThrownBy(() -> {
                    try (Statement st = g.createStatement()) {
                        st.execute(sql);
                    }
                })
                .isInstanceOf(BlockedStatementException.class)
                .satisfies(e ->
                        assertThat(((BlockedStatementException) e).ruleIds()).contains(ruleId));
    }

    @Test
    void referentialIntegrityOffLetsAnotherConnectionWriteOrphansRawAndIsBlocked() throws SQLException {
        try (Connection a = db.raw();
                Connection b = db.raw();
                Statement sa = a.createStatement();
                Statement sb = b.createStatement()) {
            sa.execute("SET REFERENTIAL_INTEGRITY FALSE");
            sb.execute("INSERT INTO ch VALUES (1, 999)"); // no parent 999: accepted for every connection
            sa.execute("SET REFERENTIAL_INTEGRITY TRUE");
            sb.execute("DELETE FROM ch");
        }
        try (Connection g = db.guarded();
                Connection other = db.raw();
                Statement so = other.createStatement()) {
            blocked(g, "SET REFERENTIAL_INTEGRITY FALSE", "set-global");
            blocked(g, "ALTER TABLE ch SET REFERENTIAL_INTEGRITY FALSE", "set-global");
            assertThatThrownBy(() -> so.execute("INSERT INTO ch VALUES (2, 998)"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(
                            e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(23506));
            try (Statement sg = g.createStatement()) {
                sg.execute("SET REFERENTIAL_INTEGRITY TRUE"); // switching the checks on is not judged
                sg.execute("SET LOCK_TIMEOUT 2000");
            }
        }
    }

    @Test
    void exclusiveModeEventListenerAndShutdownAreBlockedAndTheDatabaseStaysOpen() throws SQLException {
        try (Connection g = db.guarded();
                Connection other = db.raw();
                Statement so = other.createStatement()) {
            blocked(g, "SET EXCLUSIVE 1", "close-database");
            blocked(g, "SET DATABASE_EVENT_LISTENER 'com.acme.Listener'", "server-plugin");
            blocked(g, "SHUTDOWN", "server-administration");
            assertThat(so.executeQuery("SELECT COUNT(*) FROM p").next()).isTrue();
        }
        assertThat(log.audit())
                .hasSize(3)
                .allMatch(r -> r.get("decision").asText().equals("blocked"));
    }

    /**
     * SET ALLOW_LITERALS NONE is the whole database's: raw, another connection's query with a literal fails (90116);
     * through the guard it is blocked (set-global), and that query keeps working.
     */
    @Test
    void literalsRefusedForEveryConnectionRawAndBlocked() throws SQLException {
        try (Connection a = db.raw();
                Connection b = db.raw();
                Statement sa = a.createStatement();
                Statement sb = b.createStatement()) {
            sa.execute("SET ALLOW_LITERALS NONE");
            assertThatThrownBy(() -> sb.executeQuery("SELECT COUNT(*) FROM p WHERE id = 1"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("Literals of this kind are not allowed");
            sa.execute("SET ALLOW_LITERALS ALL");
        }
        try (Connection g = db.guarded();
                Connection b = db.raw();
                Statement sb = b.createStatement()) {
            blocked(g, "SET ALLOW_LITERALS NONE", "set-global");
            assertThat(sb.executeQuery("SELECT COUNT(*) FROM p WHERE id = 1").next())
                    .isTrue();
        }
    }
}
