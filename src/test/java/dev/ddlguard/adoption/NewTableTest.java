package dev.ddlguard.adoption;

import static dev.ddlguard.support.TestDatabases.PG_URL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddlguard.BlockedStatementException;
import dev.ddlguard.support.LogCapture;
import dev.ddlguard.support.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * "Created in this transaction" on a real PostgreSQL means the table's own catalog rows are new, never
 * that some statement of this transaction touched it (issue 15, point 1).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NewTableTest {

    private Connection admin;
    private LogCapture log;
    private String big;

    @BeforeEach
    void setUp() throws SQLException {
        admin = TestDatabases.postgres();
        big = "nt_big_" + Long.toHexString(System.nanoTime());
        exec(admin, "CREATE TABLE " + big + " (id bigint PRIMARY KEY, v int, note text)");
        exec(admin, "INSERT INTO " + big + " SELECT g, g % 100, 'n' || g FROM generate_series(1, 20000) g");
        exec(admin, "ANALYZE " + big);
        log = LogCapture.start();
    }

    @AfterEach
    void tearDown() throws SQLException {
        log.close();
        exec(admin, "DROP TABLE IF EXISTS " + big + " CASCADE");
        exec(admin, "DROP TABLE IF EXISTS " + big + "_fresh CASCADE");
        admin.close();
    }

    @Test
    void addingAColumnInATransactionDoesNotMakeAnOldTableNew() throws SQLException {
        String[] later = {
            "CREATE INDEX " + big + "_w ON " + big + " (w)",
            "ALTER TABLE " + big + " ALTER COLUMN v SET NOT NULL",
            "ALTER TABLE " + big + " ALTER COLUMN v TYPE bigint"
        };
        try (Connection guarded = TestDatabases.guarded(PG_URL)) {
            guarded.setAutoCommit(false);
            for (String statement : later) {
                exec(guarded, "ALTER TABLE " + big + " ADD COLUMN IF NOT EXISTS w int");
                assertThatThrownBy(() -> exec(guarded, statement))
                        .as(statement)
                        .isInstanceOf(BlockedStatementException.class)
                        .hasMessageNotContaining("created in this transaction");
                guarded.rollback();
            }
        }
        // (the ADD COLUMN the rollback took back gets a second, rolled_back record: not counted here)
        assertThat(log.audit())
                .filteredOn(r -> !r.get("outcome").asText().equals("rolled_back"))
                .extracting(r -> r.get("decision").asText())
                .containsExactly("allowed", "blocked", "allowed", "blocked", "allowed", "blocked");
        // Nothing of it reached the table: no index, v still nullable and int.
        try (Statement s = admin.createStatement();
                var rs = s.executeQuery("SELECT count(*) FROM pg_indexes WHERE tablename = '" + big
                        + "' AND indexname = '" + big + "_w'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void aTableReallyCreatedInTheTransactionStaysAllowed() throws SQLException {
        String fresh = big + "_fresh";
        try (Connection guarded = TestDatabases.guarded(PG_URL)) {
            guarded.setAutoCommit(false);
            exec(guarded, "CREATE TABLE " + fresh + " (id int, v int)");
            exec(guarded, "ALTER TABLE " + fresh + " ADD COLUMN w int");
            exec(guarded, "CREATE INDEX " + fresh + "_w ON " + fresh + " (w)");
            exec(guarded, "ALTER TABLE " + fresh + " ALTER COLUMN v SET NOT NULL");
            guarded.commit();
        }
        assertThat(log.audit()).extracting(r -> r.get("decision").asText()).containsOnly("allowed");
        assertThat(log.audit().get(2).get("rules").get(0).get("message").asText())
                .contains("created in this transaction");
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
