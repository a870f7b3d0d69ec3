package dev.ddlguard.adoption;

import static dev.ddlguard.support.ServerTestBase.strings;
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
 * Objects a fresh install's own scripts made are new to the rules about deployed code (issue 15, point 2),
 * as {@link RealisticMigrationSetTest} and hand-written fresh-install statements showed they were not.
 *
 * <p>A migration that changes a view's columns drops and recreates it: on a fresh install the view was made
 * by an earlier script of the same run, which no deployed code reads, so drop-view does not apply to it
 * (found by {@link RealisticMigrationSetTest}); so was one a CREATE OR REPLACE VIEW of the run made where
 * there was none. A view that existed before the run, or that this run only replaced, is judged as ever.
 * Real PostgreSQL and MariaDB.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RunCreatedObjectsTest {

    private LogCapture log;
    private final String v = "rcv_" + Long.toHexString(System.nanoTime());

    @BeforeEach
    void capture() {
        log = LogCapture.start();
    }

    @AfterEach
    void release() throws SQLException {
        log.close();
        try (Connection pg = TestDatabases.postgres();
                Connection maria = TestDatabases.mariadb()) {
            for (String name : List.of(v + "_new", v + "_old", v + "_replaced", v + "_or_replace")) {
                exec(pg, "DROP VIEW IF EXISTS " + name);
                exec(maria, "DROP VIEW IF EXISTS " + name);
            }
            exec(pg, "DROP TYPE IF EXISTS " + v + "_mood");
            exec(pg, "DROP TYPE IF EXISTS " + v + "_old_mood");
            exec(maria, "SET FOREIGN_KEY_CHECKS = 0");
            for (String name : List.of(v + "_child", v + "_parent", v + "_old_child", v + "_orders")) {
                exec(pg, "DROP TABLE IF EXISTS " + name + " CASCADE");
                exec(maria, "DROP TABLE IF EXISTS " + name);
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

    @Test
    void postgresAConstraintOfATableThisRunCreatedMayBeDroppedOneOfAnOldTableMayNot() throws SQLException {
        try (Connection admin = TestDatabases.postgres();
                Connection g = TestDatabases.guarded(PG_URL)) {
            exec(admin, "CREATE TABLE " + v + "_parent (id int PRIMARY KEY)");
            exec(admin, "INSERT INTO " + v + "_parent VALUES (1)");
            exec(
                    admin,
                    "CREATE TABLE " + v + "_old_child (id int, parent_id int CONSTRAINT " + v + "_old_fk REFERENCES "
                            + v + "_parent)");
            exec(admin, "INSERT INTO " + v + "_old_child VALUES (1, 1)");
            exec(
                    g,
                    "CREATE TABLE " + v + "_child (id int, parent_id int CONSTRAINT " + v + "_fk REFERENCES " + v
                            + "_parent)");
            log.clear();
            exec(g, "ALTER TABLE " + v + "_child DROP CONSTRAINT " + v + "_fk");
            assertThatThrownBy(() -> exec(g, "ALTER TABLE " + v + "_old_child DROP CONSTRAINT " + v + "_old_fk"))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("drop-constraint");
            // One table of this run and one that is not there: IF EXISTS makes the second a no-op.
            exec(g, "DROP TABLE IF EXISTS " + v + "_child, " + v + "_never_was");
            assertThatThrownBy(() -> exec(g, "DROP TABLE IF EXISTS " + v + "_old_child, " + v + "_never_was"))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("drop-table");
        }
        List<JsonNode> records = log.audit();
        assertThat(records)
                .extracting(r -> r.get("decision").asText())
                .containsExactly("allowed", "blocked", "allowed", "blocked");
        assertThat(records.get(0).get("rules").toString())
                .contains("drop-constraint")
                .contains("created by this migration run");
        assertThat(records.get(2).get("rules").toString())
                .contains("created by this migration run")
                .contains(v + "_never_was does not exist");
    }

    /** A type this run created is as new as a table it created: renaming its values breaks no deployed code. */
    @Test
    void postgresAValueOfATypeThisRunCreatedMayBeRenamedOneOfAnOldTypeMayNot() throws SQLException {
        try (Connection admin = TestDatabases.postgres();
                Connection g = TestDatabases.guarded(PG_URL)) {
            exec(admin, "CREATE TYPE " + v + "_old_mood AS ENUM ('sad', 'happy')");
            exec(g, "CREATE TYPE " + v + "_mood AS ENUM ('sad', 'happy')");
            log.clear();
            exec(g, "ALTER TYPE " + v + "_mood RENAME VALUE 'sad' TO 'blue'");
            assertThatThrownBy(() -> exec(g, "ALTER TYPE " + v + "_old_mood RENAME VALUE 'sad' TO 'blue'"))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("rename-type");
            assertThat(strings(
                            admin,
                            "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = '"
                                    + v + "_old_mood'::regtype"))
                    .containsExactly("sad,happy");
        }
        List<JsonNode> records = log.audit();
        assertThat(records).extracting(r -> r.get("decision").asText()).containsExactly("allowed", "blocked");
        assertThat(records.get(0).get("rules").toString())
                .contains("rename-type")
                .contains("created by this migration run");
    }

    @Test
    void mariaDbThePrimaryKeyOfATableThisRunCreatedMayBeReplaced() throws SQLException {
        try (Connection g = TestDatabases.guarded(MARIADB_URL)) {
            exec(g, "CREATE TABLE " + v + "_orders (id BIGINT NOT NULL, tenant_id BIGINT NOT NULL, PRIMARY KEY (id))");
            log.clear();
            exec(g, "ALTER TABLE " + v + "_orders DROP PRIMARY KEY, ADD PRIMARY KEY (id, tenant_id)");
            exec(g, "DROP TABLE IF EXISTS " + v + "_orders, " + v + "_never_was");
        }
        assertThat(log.audit())
                .extracting(
                        r -> r.get("decision").asText() + " " + r.get("outcome").asText())
                .containsExactly("allowed ok", "allowed ok");
        assertThat(log.audit().get(0).get("rules").toString())
                .contains("drop-constraint")
                .contains("created by this migration run");
    }

    private void check(Connection admin, String url) throws SQLException {
        try (admin;
                Connection g = TestDatabases.guarded(url)) {
            exec(admin, "CREATE VIEW " + v + "_old AS SELECT 1 AS x"); // the previous release's, not this run's
            exec(admin, "CREATE VIEW " + v + "_replaced AS SELECT 1 AS x");
            exec(g, "CREATE VIEW " + v + "_new AS SELECT 1 AS x");
            exec(g, "CREATE OR REPLACE VIEW " + v + "_replaced AS SELECT 1 AS x, 2 AS y");
            exec(g, "CREATE OR REPLACE VIEW " + v + "_or_replace AS SELECT 1 AS x"); // nothing to replace: created
            log.clear();

            exec(g, "DROP VIEW IF EXISTS " + v + "_new");
            exec(g, "CREATE VIEW " + v + "_new AS SELECT 1 AS x, 2 AS y"); // recreated with another column
            exec(g, "DROP VIEW " + v + "_or_replace");
            assertThatThrownBy(() -> exec(g, "DROP VIEW " + v + "_old"))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("drop-view");
            assertThatThrownBy(() -> exec(g, "DROP VIEW " + v + "_replaced"))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("drop-view");
        }
        List<JsonNode> records = log.audit();
        assertThat(records)
                .extracting(r -> r.get("decision").asText())
                .containsExactly("allowed", "allowed", "allowed", "blocked", "blocked");
        assertThat(records.get(0).get("rules").toString())
                .contains("drop-view")
                .contains("created by this migration run");
        assertThat(records.get(2).get("rules").toString())
                .contains("drop-view")
                .contains("created by this migration run");
        try (Connection check = url.equals(PG_URL) ? TestDatabases.postgres() : TestDatabases.mariadb();
                Statement st = check.createStatement();
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
