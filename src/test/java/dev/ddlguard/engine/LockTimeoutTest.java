package dev.ddlguard.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.support.H2;
import dev.ddlguard.support.LogCapture;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The session lock timeout around DDL, and retries after it expires, on H2 with a second
 * connection holding the table. The database's own timeout is set to a minute: a test that
 * finishes in seconds proves the guard's shorter timeout was in force.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LockTimeoutTest {

    private H2 db;
    private LogCapture log;
    private Connection blocker;

    @BeforeEach
    void setUp() throws SQLException {
        db = new H2();
        db.setup("CREATE TABLE orders(id INT PRIMARY KEY)", "INSERT INTO orders VALUES (1)");
        blocker = db.raw();
        blocker.setAutoCommit(false);
        try (Statement st = blocker.createStatement()) {
            st.execute("INSERT INTO orders VALUES (2)"); // an open transaction that wrote to the table
        }
        log = LogCapture.start();
    }

    @AfterEach
    void tearDown() throws SQLException {
        log.close();
        blocker.close();
        db.close();
    }

    private Connection guarded(String timeout, String retries) throws SQLException {
        Properties p = new Properties();
        p.setProperty("ddlguard.lock-timeout", timeout);
        p.setProperty("ddlguard.lock-timeout.retries", retries);
        return DriverManager.getConnection(db.guardedUrl() + ";LOCK_TIMEOUT=60000", p);
    }

    private static String sessionLockTimeout(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT LOCK_TIMEOUT()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void timesOutFastRetriesThenReportsTheDatabaseError() throws SQLException {
        try (Connection c = guarded("100ms", "2");
                Statement st = c.createStatement()) {
            assertThat(sessionLockTimeout(c)).isEqualTo("60000");
            assertThatThrownBy(() -> st.execute("ALTER TABLE orders ADD COLUMN note VARCHAR(10)"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(
                            e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(50200));
            assertThat(sessionLockTimeout(c)).as("restored after").isEqualTo("60000");
        }
        JsonNode r = log.onlyAudit();
        assertThat(r.get("outcome").asText()).isEqualTo("error");
        assertThat(r.get("attempts").asInt()).isEqualTo(3);
        assertThat(log.warnings()).filteredOn(w -> w.contains("lock timeout")).hasSize(2);
        assertThat(db.columnExists("orders", "note")).isFalse();
    }

    @Test
    void succeedsOnARetryOnceTheBlockerCommits() throws Exception {
        CountDownLatch firstRetry = new CountDownLatch(1);
        log.onEvent(e -> {
            if (e.getFormattedMessage().contains("retrying")) {
                firstRetry.countDown();
            }
        });
        Thread committer = new Thread(() -> {
            try {
                firstRetry.await();
                blocker.commit();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        committer.start();
        try (Connection c = guarded("100ms", "5");
                Statement st = c.createStatement()) {
            st.execute("ALTER TABLE orders ADD COLUMN note VARCHAR(10)");
        }
        committer.join();
        assertThat(db.columnExists("orders", "note")).isTrue();
        JsonNode r = log.onlyAudit();
        assertThat(r.get("outcome").asText()).isEqualTo("ok");
        assertThat(r.get("attempts").asInt()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void neverRetriesInsideATransaction() throws SQLException {
        try (Connection c = guarded("100ms", "3");
                Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            assertThatThrownBy(() -> st.execute("ALTER TABLE orders ADD COLUMN note VARCHAR(10)"))
                    .isInstanceOf(SQLException.class);
            c.rollback();
        }
        assertThat(log.onlyAudit().get("attempts").asInt()).isEqualTo(1);
        assertThat(log.warnings()).noneMatch(w -> w.contains("retrying"));
    }
}
