package dev.ddlguard.adoption;

import static dev.ddlguard.support.TestDatabases.MARIADB_URL;
import static dev.ddlguard.support.TestDatabases.PG_URL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.BlockedStatementException;
import dev.ddlguard.support.LogCapture;
import dev.ddlguard.support.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A migration that changes a view's columns drops and recreates it: on a fresh install the view was made
 * by an earlier script of the same run, which no deployed code reads, so drop-view does not apply to it
 * (found by {@link RealisticMigrationSetTest}); so was one a CREATE OR REPLACE VIEW of the run made where
 * there was none. A view that existed before the run, or that this run only replaced, is judged as ever.
 * Real PostgreSQL and MariaDB.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RunCreatedViewTest {

    private LogCapture log;
    private final String v = "rcv_" + Long.toHexString(System.nanoTime());

    @BeforeEach
    void capture() {
        log = LogCapture.start();
    }

    @AfterEach
    void release() throws SQLException {
        log.close();
        try (Connection pg = TestDatabases.postgres(); Connection maria = TestDatabases.mariadb()) {
            for (String name : List.of(v + "_new", v + "_old", v + "_replaced", v + "_or_replace")) {
                exec(pg, "DROP VIEW IF EXISTS " + name);
                exec(maria, "DROP VIEW IF EXISTS " + name);
            }
        }
    }

    @Test
    void postgresAViewThisRunCreatedMayBeDroppedAnOldOrReplacedOneMayNot() throws SQLException {
        check(TestDatabases.postgres(), PG_URL);
    }

    @Test
    void mariaDbAViewThisRunCreatedMayBeDroppedAnOldOrReplacedOneMayNot() throws SQLException {
        check(TestDatabases.mariadb(), MARIADB_URL);
    }

    private void check(Connection admin, String url) throws SQLException {
        try (admin; Connection g = TestDatabases.guarded(url)) {
            exec(admin, "CREATE VIEW " + v + "_old AS SELECT 1 AS x");        // the previous release's, not this run's
            exec(admin, "CREATE VIEW " + v + "_replaced AS SELECT 1 AS x");
            exec(g, "CREATE VIEW " + v + "_new AS SELECT 1 AS x");
            exec(g, "CREATE OR REPLACE VIEW " + v + "_replaced AS SELECT 1 AS x, 2 AS y");
            exec(g, "CREATE OR REPLACE VIEW " + v + "_or_replace AS SELECT 1 AS x");   // nothing to replace: created
            log.clear();

            exec(g, "DROP VIEW IF EXISTS " + v + "_new");
            exec(g, "CREATE VIEW " + v + "_new AS SELECT 1 AS x, 2 AS y");   // recreated with another column
            exec(g, "DROP VIEW " + v + "_or_replace");
            assertThatThrownBy(() -> exec(g, "DROP VIEW " + v + "_old"))
                    .isInstanceOf(BlockedStatementException.class).hasMessageContaining("drop-view");
            assertThatThrownBy(() -> exec(g, "DROP VIEW " + v + "_replaced"))
                    .isInstanceOf(BlockedStatementException.class).hasMessageContaining("drop-view");
        }
        List<JsonNode> records = log.audit();
        assertThat(records).extracting(r -> r.get("decision").asText()).containsExactly("allowed", "allowed", "allowed", "blocked", "blocked");
        assertThat(records.get(0).get("rules").toString()).contains("drop-view").contains("created by this migration run");
        assertThat(records.get(2).get("rules").toString()).contains("drop-view").contains("created by this migration run");
        try (Connection check = url.equals(PG_URL) ? TestDatabases.postgres() : TestDatabases.mariadb(); Statement st = check.createStatement();
             var rs = st.executeQuery("SELECT y FROM " + v + "_new")) {
            assertThat(rs.next()).isTrue();
        }
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
