package dev.ddlguard.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.support.H2;
import dev.ddlguard.support.LogCapture;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * ddlguard.statement-timeout on H2, which has no session setting for it: the guard bounds the run with the
 * caller's JDBC query timeout, H2 cancels the statement (57014), and the caller's own timeout comes back.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class H2StatementTimeoutTest {

    private H2 db;
    private LogCapture log;

    @BeforeEach
    void setUp() throws SQLException {
        db = new H2();
        log = LogCapture.start();
    }

    @AfterEach
    void tearDown() throws SQLException {
        log.close();
        db.close();
    }

    @Test
    void aSlowCreateTableAsSelectIsCancelledAtTheBoundAndTheCallersTimeoutIsRestored() throws SQLException {
        Properties p = new Properties();
        p.setProperty("ddlguard.statement-timeout", "1s");
        try (Connection g = DriverManager.getConnection(db.guardedUrl(), p);
                Statement st = g.createStatement()) {
            st.setQueryTimeout(600);
            long start = System.nanoTime();
            // a cross join of 10^10 rows: minutes of work without the bound
            assertThatThrownBy(() -> st.execute("CREATE TABLE big AS SELECT a.X AS x FROM SYSTEM_RANGE(1, 100000) a,"
                            + " SYSTEM_RANGE(1, 100000) b"))
                    .isInstanceOf(SQLTimeoutException.class)
                    .hasMessageContaining("ddlguard.statement-timeout (1000 ms)")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57014"));
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start))
                    .as("seconds until cancelled")
                    .isLessThan(30);
            assertThat(st.getQueryTimeout())
                    .as("the caller's own query timeout, restored")
                    .isEqualTo(600);
        }
        try (Connection raw = db.raw();
                Statement st = raw.createStatement()) {
            assertThat(st.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'BIG'"))
                    .satisfies(rs -> {
                        rs.next();
                        assertThat(rs.getInt(1)).as("no table left behind").isZero();
                    });
        }
        JsonNode r = log.audit().get(0);
        assertThat(log.audit()).hasSize(1);
        assertThat(r.get("outcome").asText()).isEqualTo("error");
        assertThat(r.get("attempts").asInt()).isEqualTo(1);
        assertThat(r.get("error").asText()).contains("ddlguard.statement-timeout");
    }
}
