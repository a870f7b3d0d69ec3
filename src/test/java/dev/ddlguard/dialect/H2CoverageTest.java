package dev.ddlguard.dialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.BlockedStatementException;
import dev.ddlguard.support.H2;
import dev.ddlguard.support.LogCapture;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's H2 statements on a real (embedded) H2: DROP ALL OBJECTS and the dialect-independent drops
 * and renames are blocked, and everything is still there; H2's lock model is a guess, so the
 * blocking-lock catch-all leaves a plain CREATE INDEX alone there.
 */
class H2CoverageTest {

    private H2 db;
    private LogCapture log;

    @BeforeEach
    void setUp() throws SQLException {
        db = new H2();
        db.setup(
                "CREATE TABLE orders(id INT PRIMARY KEY, customer_id INT)",
                "INSERT INTO orders VALUES (1, 10), (2, 11)",
                "CREATE VIEW open_orders AS SELECT id FROM orders",
                "CREATE SCHEMA app",
                "ALTER TABLE orders ADD CONSTRAINT orders_customer_uk UNIQUE (customer_id)");
        log = LogCapture.start();
    }

    @AfterEach
    void tearDown() throws SQLException {
        log.close();
        db.close();
    }

    private static void blocked(Connection c, String sql, String rule) {
        assertThatThrownBy(() -> {
                    try (Statement st = c.createStatement()) {
                        st.execute(sql);
                    }
                })
                .isInstanceOf(BlockedStatementException.class)
                .hasMessageContaining("[" + rule + "]")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("XDG01"));
    }

    @Test
    void dropAllObjectsIsBlockedAndEverythingIsStillThere() throws SQLException {
        try (Connection c = db.guarded()) {
            blocked(c, "DROP ALL OBJECTS", "drop-all-objects");
            blocked(c, "DROP ALL OBJECTS DELETE FILES", "drop-all-objects");
        }
        assertThat(db.tableExists("orders")).isTrue();
        assertThat(log.audit()).hasSize(2).allSatisfy(r -> {
            assertThat(r.get("decision").asText()).isEqualTo("blocked");
            assertThat(r.get("rules").get(0).get("id").asText()).isEqualTo("drop-all-objects");
        });
    }

    @Test
    void dialectIndependentDropsAndRenamesAreBlockedOnH2Too() throws SQLException {
        try (Connection c = db.guarded()) {
            blocked(c, "DROP VIEW open_orders", "drop-view");
            blocked(c, "DROP SCHEMA app CASCADE", "drop-schema");
            blocked(c, "ALTER TABLE orders DROP CONSTRAINT orders_customer_uk", "drop-constraint");
            blocked(c, "ALTER SCHEMA app RENAME TO app2", "rename-schema");
        }
        assertThat(db.tableExists("orders")).isTrue();
        JsonNode last = log.audit().get(3);
        assertThat(last.get("rules").get(0).get("id").asText()).isEqualTo("rename-schema");
    }

    @Test
    void createIndexOnH2IsNotCaughtByTheCatchAll() throws SQLException {
        try (Connection c = db.guarded();
                Statement st = c.createStatement()) {
            st.execute("CREATE INDEX orders_id_customer ON orders (id, customer_id)");
        }
        assertThat(log.onlyAudit().get("decision").asText()).isEqualTo("allowed");
    }
}
