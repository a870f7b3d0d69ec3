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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A fresh install must not go red (issue 15, point 2): tables this run created through the guard, and
 * (for lock-bound rules only) tables without a single row, are exempt, and the record says why; tables
 * that existed before the run, with rows, are judged as ever. Real PostgreSQL and MariaDB.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FreshInstallTest {

    private LogCapture log;
    private final String p = "fi_" + Long.toHexString(System.nanoTime());

    @BeforeEach
    void capture() {
        log = LogCapture.start();
    }

    @AfterEach
    void release() throws SQLException {
        log.close();
        try (Connection pg = TestDatabases.postgres();
                Connection maria = TestDatabases.mariadb()) {
            for (String t : List.of("_child", "_child_old", "_parent", "_old", "_old_renamed", "_empty")) {
                exec(pg, "DROP TABLE IF EXISTS " + p + t + " CASCADE");
                exec(maria, "SET FOREIGN_KEY_CHECKS = 0");
                exec(maria, "DROP TABLE IF EXISTS " + p + t);
            }
        }
    }

    // ---- PostgreSQL ----------------------------------------------------------------------------

    @Test
    void postgresTablesThisRunCreatedTakeKeysIndexesRenamesAndDropsAnOldFullTableStillDoesNot() throws SQLException {
        try (Connection admin = TestDatabases.postgres()) {
            exec(admin, "CREATE TABLE " + p + "_old (id bigint PRIMARY KEY, parent_id bigint)");
            exec(admin, "INSERT INTO " + p + "_old SELECT g, g FROM generate_series(1, 5000) g");
        }
        // Two connections, as a migration tool and its pool would use: the record is per process and database.
        try (Connection first = TestDatabases.guarded(PG_URL);
                Connection second = TestDatabases.guarded(PG_URL)) {
            first.setAutoCommit(false);
            exec(first, "CREATE TABLE " + p + "_parent (id bigint PRIMARY KEY)");
            exec(first, "CREATE TABLE " + p + "_child (id bigint PRIMARY KEY, parent_id bigint, v int)");
            first.commit();
            first.setAutoCommit(true);
            exec(second, "INSERT INTO " + p + "_parent SELECT g FROM generate_series(1, 100) g");
            exec(second, "INSERT INTO " + p + "_child SELECT g, g % 100 + 1, g FROM generate_series(1, 1000) g");
            second.setAutoCommit(false);
            exec(
                    second,
                    "ALTER TABLE " + p + "_child ADD CONSTRAINT " + p + "_fk FOREIGN KEY (parent_id) REFERENCES " + p
                            + "_parent (id)");
            exec(second, "ALTER TABLE " + p + "_child ALTER COLUMN v SET NOT NULL");
            second.commit();
            second.setAutoCommit(true);
            exec(second, "CREATE INDEX " + p + "_child_v ON " + p + "_child (v)");
            exec(second, "ALTER TABLE " + p + "_child RENAME TO " + p + "_child_old");
            exec(second, "DROP TABLE " + p + "_child_old");

            // The table that existed before the run, with rows, is judged as ever.
            assertThatThrownBy(() -> exec(second, "ALTER TABLE " + p + "_old RENAME TO " + p + "_old_renamed"))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("rename-table");
            assertThatThrownBy(() -> exec(second, "DROP TABLE " + p + "_old"))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("drop-table");
            exec(second, "CREATE INDEX " + p + "_old_parent ON " + p + "_old (parent_id)");
        }
        List<JsonNode> records = log.audit();
        assertThat(records)
                .extracting(r -> r.get("decision").asText())
                .containsExactly(
                        "allowed",
                        "allowed",
                        "allowed",
                        "allowed",
                        "allowed",
                        "allowed",
                        "allowed",
                        "blocked",
                        "blocked",
                        "rewritten");
        for (int i = 2; i <= 6; i++) {
            assertThat(records.get(i).get("rules").get(0).get("message").asText())
                    .as(records.get(i).get("sql").asText())
                    .contains("created by this migration run");
        }
        assertThat(records.get(4).get("executed_sql").asText()).doesNotContain("CONCURRENTLY");
        try (Connection admin = TestDatabases.postgres()) {
            assertThat(string(admin, "SELECT convalidated FROM pg_constraint WHERE conname = '" + p + "_fk'"))
                    .isNull();
            assertThat(string(admin, "SELECT to_regclass('" + p + "_old') IS NOT NULL"))
                    .isEqualTo("t");
        }
    }

    @Test
    void postgresAnEmptyTableRelaxesLockBoundRulesButNeverADropOrRename() throws SQLException {
        String empty = p + "_empty";
        try (Connection admin = TestDatabases.postgres()) {
            exec(
                    admin,
                    "CREATE TABLE " + empty + " (id bigint PRIMARY KEY, v int)"); // outside the guard: not this run's
        }
        try (Connection g = TestDatabases.guarded(PG_URL)) {
            g.setAutoCommit(false);
            exec(g, "CREATE INDEX " + empty + "_v ON " + empty + " (v)");
            exec(g, "ALTER TABLE " + empty + " ALTER COLUMN v SET NOT NULL");
            g.commit();
            assertThatThrownBy(() -> exec(g, "DROP TABLE " + empty)).isInstanceOf(BlockedStatementException.class);
            g.rollback();
            assertThatThrownBy(() -> exec(g, "ALTER TABLE " + empty + " RENAME TO " + empty + "_x"))
                    .isInstanceOf(BlockedStatementException.class);
            g.rollback();
            g.setAutoCommit(true);
            exec(g, "INSERT INTO " + empty + " VALUES (1, 1)");
            g.setAutoCommit(false);
            // One row: judged as any table again.
            assertThatThrownBy(() -> exec(g, "CREATE INDEX " + empty + "_w ON " + empty + " (v)"))
                    .isInstanceOf(BlockedStatementException.class);
            g.rollback();
        }
        List<JsonNode> records = log.audit();
        assertThat(records)
                .extracting(r -> r.get("decision").asText())
                .containsExactly("allowed", "allowed", "blocked", "blocked", "blocked");
        assertThat(records.get(0).get("rules").get(0).get("message").asText()).contains("holds no rows");
    }

    // ---- MariaDB -------------------------------------------------------------------------------

    @Test
    void mariaDbTablesThisRunCreatedTakeForeignKeysAndRenamesAnOldFullTableStillDoesNot() throws SQLException {
        try (Connection admin = TestDatabases.mariadb()) {
            exec(admin, "CREATE TABLE " + p + "_old (id bigint PRIMARY KEY, parent_id bigint)");
            exec(admin, "INSERT INTO " + p + "_old SELECT seq, seq FROM seq_1_to_5000");
        }
        try (Connection g = TestDatabases.guarded(MARIADB_URL)) {
            // An init script's first lines: nothing to drop, nothing locked.
            exec(g, "DROP TABLE IF EXISTS " + p + "_parent, " + p + "_child");
            assertThat(log.onlyAudit().get("rules").toString()).contains("IF EXISTS makes this a no-op");
            log.clear();
            exec(g, "CREATE TABLE " + p + "_parent (id bigint PRIMARY KEY)");
            exec(g, "CREATE TABLE IF NOT EXISTS " + p + "_child (id bigint PRIMARY KEY, parent_id bigint, v int)");
            exec(g, "INSERT INTO " + p + "_parent SELECT seq FROM seq_1_to_100");
            exec(g, "INSERT INTO " + p + "_child SELECT seq, seq % 100 + 1, seq FROM seq_1_to_1000");
            exec(
                    g,
                    "ALTER TABLE " + p + "_child ADD CONSTRAINT " + p + "_fk FOREIGN KEY (parent_id) REFERENCES " + p
                            + "_parent (id)");
            exec(g, "RENAME TABLE " + p + "_child TO " + p + "_child_old");
            exec(g, "DROP TABLE " + p + "_child_old");
            assertThatThrownBy(() -> exec(
                            g,
                            "ALTER TABLE " + p + "_old ADD CONSTRAINT " + p + "_fk2 FOREIGN KEY (parent_id)"
                                    + " REFERENCES " + p + "_parent (id)"))
                    .isInstanceOf(BlockedStatementException.class);
            assertThatThrownBy(() -> exec(g, "RENAME TABLE " + p + "_old TO " + p + "_old_renamed"))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("rename-table");
        }
        List<JsonNode> records = log.audit();
        assertThat(records.subList(0, 5))
                .extracting(r -> r.get("outcome").asText())
                .containsOnly("ok");
        assertThat(records.subList(2, 5))
                .allSatisfy(r -> assertThat(r.get("rules").toString()).contains("created by this migration run"));
        try (Connection admin = TestDatabases.mariadb()) {
            assertThat(string(
                            admin,
                            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
                                    + " AND TABLE_NAME = '" + p + "_old'"))
                    .isEqualTo("1");
        }
    }

    @Test
    void baselineWithoutAFlywayHistoryEnforcesAndWithOneBelowItAuditsOnMariaDb() throws SQLException {
        try (Connection admin = TestDatabases.mariadb()) {
            exec(admin, "DROP TABLE IF EXISTS flyway_schema_history");
            exec(admin, "CREATE TABLE " + p + "_old (id bigint PRIMARY KEY)");
            exec(admin, "INSERT INTO " + p + "_old VALUES (1)");
            try (Connection g = TestDatabases.guarded(MARIADB_URL, "ddlguard.baseline", "1.5")) {
                assertThatThrownBy(() -> exec(g, "DROP TABLE " + p + "_old"))
                        .isInstanceOf(BlockedStatementException.class);
                assertThat(log.onlyAudit().get("note").asText()).contains("flyway_schema_history");
                log.clear();
                // success is a TINYINT on MariaDB; a failed V1.5 does not count as applied, 1.4.9 is below 1.5.
                exec(
                        admin,
                        "CREATE TABLE flyway_schema_history (installed_rank int PRIMARY KEY, version varchar(50),"
                                + " success tinyint(1) NOT NULL)");
                exec(admin, "INSERT INTO flyway_schema_history VALUES (1, '1.4.9', 1), (2, '1.5', 0), (3, NULL, 1)");
                exec(g, "DROP TABLE " + p + "_old");
                assertThat(log.onlyAudit().get("decision").asText()).isEqualTo("audited");
                assertThat(log.onlyAudit().get("note").asText()).contains("latest applied version: 1.4.9");
            } finally {
                exec(admin, "DROP TABLE IF EXISTS flyway_schema_history");
            }
        }
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static String string(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
