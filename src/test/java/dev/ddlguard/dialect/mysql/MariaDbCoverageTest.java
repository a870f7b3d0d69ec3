package dev.ddlguard.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.support.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 14's MariaDB statements on a real MariaDB 10.11: MariaDB's spellings of a drop or a rename
 * (DROP TABLES, RENAME TABLES, CREATE OR REPLACE TABLE, DISCARD TABLESPACE, DROP DATABASE/SCHEMA) and
 * dropped keys (FOREIGN KEY, PRIMARY KEY, a UNIQUE index, read as unique from information_schema) are
 * blocked with XDG01 and the rule in the audit record, and the table is unchanged afterwards
 * (SHOW CREATE TABLE and its rows, read before and after). A dropped database lists what goes with it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MariaDbCoverageTest extends MariaDbRulesTestBase {

    static final String PARENT =
            "(id INT PRIMARY KEY, code INT, note VARCHAR(20), UNIQUE KEY uk_code (code), KEY i_note (note))"
                    + " ENGINE=InnoDB";
    static final String CHILD =
            "(id INT PRIMARY KEY, parent_id INT, CONSTRAINT {t}_fk FOREIGN KEY (parent_id) REFERENCES {p}_parent (id))"
                    + " ENGINE=InnoDB";

    /** A statement on {p}_parent or {p}_child ({p} is the test's prefix) that must be blocked by the rule. */
    record Blocked(String name, String sql, String rule, String table, List<String> pieces) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Blocked blocked(String name, String sql, String rule, String table, String... pieces) {
        return new Blocked(name, sql, rule, table, List.of(pieces));
    }

    static Stream<Blocked> blockedStatements() {
        return Stream.of(
                blocked("drop tables", "DROP TABLES {p}_child", "drop-table", "child", "drops table {p}_child"),
                blocked(
                        "create or replace table drops the existing one",
                        "CREATE OR REPLACE TABLE {p}_parent (x int)",
                        "create-or-replace-table",
                        "parent",
                        "replaces table {p}_parent, which exists: its rows are dropped"),
                blocked(
                        "rename table if exists",
                        "RENAME TABLE IF EXISTS {p}_parent TO {p}_moved",
                        "rename-table",
                        "parent",
                        "renames table {p}_parent to {p}_moved"),
                blocked(
                        "rename table with a lock-wait bound",
                        "RENAME TABLE {p}_child WAIT 5 TO {p}_moved",
                        "rename-table",
                        "child",
                        "renames table {p}_child to {p}_moved"),
                blocked(
                        "add system versioning is a table copy (the server refuses every online algorithm)",
                        "ALTER TABLE {p}_parent ADD SYSTEM VERSIONING",
                        "blocking-lock",
                        "parent",
                        "assumed: a table copy"),
                blocked(
                        "lock tables write",
                        "LOCK TABLES {p}_parent WRITE",
                        "explicit-lock",
                        "parent",
                        "locks {p}_parent until UNLOCK TABLES: blocks reads and writes"),
                blocked(
                        "discard tablespace",
                        "ALTER TABLE {p}_parent DISCARD TABLESPACE",
                        "discard-tablespace",
                        "parent",
                        "discards the data file of {p}_parent"),
                blocked(
                        "drop foreign key",
                        "ALTER TABLE {p}_child DROP FOREIGN KEY {p}_child_fk",
                        "drop-constraint",
                        "child",
                        "drops constraint {p}_child_fk of {p}_child"),
                blocked(
                        "drop constraint",
                        "ALTER TABLE {p}_child DROP CONSTRAINT {p}_child_fk",
                        "drop-constraint",
                        "child",
                        "drops constraint {p}_child_fk"),
                blocked(
                        "drop primary key",
                        "ALTER TABLE {p}_child DROP PRIMARY KEY",
                        "drop-constraint",
                        "child",
                        "drops primary key of {p}_child"),
                blocked(
                        "drop a unique index (unique from information_schema)",
                        "ALTER TABLE {p}_parent DROP INDEX uk_code",
                        "drop-constraint",
                        "parent",
                        "drops unique index uk_code of {p}_parent"),
                blocked(
                        "drop index … on of a unique index",
                        "DROP INDEX uk_code ON {p}_parent",
                        "drop-constraint",
                        "parent",
                        "drops unique index uk_code of {p}_parent"),
                blocked(
                        "rename tables",
                        "RENAME TABLES {p}_child TO {p}_kid",
                        "rename-table",
                        "child",
                        "renames table {p}_child to {p}_kid"),
                blocked(
                        "alter ignore deletes the rows that duplicate a new unique key",
                        "ALTER IGNORE TABLE {p}_child ADD UNIQUE (parent_id)",
                        "alter-ignore-deletes-duplicates",
                        "child",
                        "adds a unique key to {p}_child with IGNORE"),
                // ---- the catch-all: forms the online-DDL matrix has no row for are assumed a table copy ----
                blocked(
                        "catch-all: ORDER BY copies the table (COPY only, LOCK=SHARED, measured)",
                        "ALTER TABLE {p}_parent ORDER BY note",
                        "blocking-lock",
                        "parent",
                        "blocks writes for a rewrite of the table",
                        "assumed: a table copy"),
                blocked(
                        "catch-all: a MariaDB WAIT bound does not hide a NOT NULL column",
                        "ALTER TABLE {p}_parent WAIT 5 ADD COLUMN w int NOT NULL",
                        "add-column-not-null",
                        "parent",
                        "adds NOT NULL column w"));
    }

    /** A partitioned table's maintenance: REBUILD copies the partition's rows, ANALYZE and CHECK only read. */
    @Test
    void rebuildingAPartitionIsBlockedAndAnalyzingItRuns() throws SQLException {
        String t = table(
                "part",
                "(id INT PRIMARY KEY) ENGINE=InnoDB PARTITION BY HASH (id) PARTITIONS 2",
                "INSERT INTO {t} SELECT seq FROM seq_1_to_100");
        try (Connection g = guarded()) {
            assertBlocked(g, "ALTER TABLE " + t + " REBUILD PARTITION p0", "blocking-lock");
            log.clear();
            exec(g, "ALTER TABLE " + t + " ANALYZE PARTITION p0", "ALTER TABLE " + t + " COMMENT 'partitioned by id'");
        }
        assertThat(log.audit()).hasSize(2).allSatisfy(r -> {
            assertThat(r.get("decision").asText()).as(r.toString()).isIn("allowed", "rewritten");
            assertThat(r.get("outcome").asText()).isEqualTo("ok");
        });
        assertThat(stringQuery(
                        admin,
                        "SELECT TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
                                + " AND TABLE_NAME = '" + t + "'"))
                .isEqualTo("partitioned by id");
    }

    private String parent;
    private String child;

    private void tables() throws SQLException {
        parent = table("parent", PARENT, "INSERT INTO {t} VALUES (1, 10, 'a'), (2, 20, 'b')");
        child = table("child", CHILD.replace("{p}", p), "INSERT INTO {t} VALUES (1, 1), (2, 2)");
        afterwards("DROP TABLE IF EXISTS " + p + "_kid");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blockedStatements")
    void blockedAndTheTableUnchanged(Blocked c) throws SQLException {
        tables();
        String table = c.table().equals("parent") ? parent : child;
        String before = showCreate(table) + " rows=" + count(table);
        log.clear();
        String sql = c.sql().replace("{p}", p);
        try (Connection g = guarded()) {
            String message = assertBlocked(g, sql, c.rule());
            for (String piece : c.pieces()) {
                assertThat(message).contains(piece.replace("{p}", p));
            }
        }
        assertThat(showCreate(table) + " rows=" + count(table)).as("unchanged").isEqualTo(before);
        JsonNode r = onlyAudit();
        assertBlockedRecord(r, c.rule());
        assertThat(r.get("schema").asText())
                .as("the record's schema is the session's database")
                .isEqualTo(stringQuery(admin, "SELECT DATABASE()"));
        for (String piece : c.pieces()) {
            assertThat(rule(r, c.rule()).get("message").asText()).contains(piece.replace("{p}", p));
        }
    }

    @Test
    void dropDatabaseListsItsTablesViewsRoutinesAndWhatRefersToIt() throws SQLException {
        tables();
        String db = p + "_db";
        afterwards("DROP DATABASE IF EXISTS " + db);
        afterwards("DROP VIEW IF EXISTS " + p + "_reader");
        afterwards("DROP TABLE IF EXISTS " + p + "_ref");
        exec(
                admin,
                "CREATE DATABASE " + db,
                "CREATE TABLE " + db + ".t (id INT PRIMARY KEY) ENGINE=InnoDB",
                "CREATE VIEW " + db + ".v AS SELECT id FROM " + db + ".t",
                "CREATE PROCEDURE " + db + ".pr() SELECT 1",
                "CREATE TABLE " + p + "_ref (id INT PRIMARY KEY, t_id INT, CONSTRAINT " + p
                        + "_ref_fk FOREIGN KEY (t_id)" + " REFERENCES " + db + ".t (id)) ENGINE=InnoDB",
                "CREATE VIEW " + p + "_reader AS SELECT id FROM " + db + ".t");
        String current = stringQuery(admin, "SELECT DATABASE()");
        for (String drop : List.of("DROP DATABASE " + db, "DROP SCHEMA " + db)) {
            log.clear();
            try (Connection g = guarded()) {
                assertBlocked(g, drop, "drop-database", "drops database " + db);
            }
            JsonNode r = onlyAudit();
            assertBlockedRecord(r, "drop-database");
            // information_schema is read across every database (who refers to this one): on a loaded server the
            // 2 s catalog timeout can cut it short, and the note then says so; the verdict stands either way.
            assertThat(rule(r, "drop-database").get("message").asText())
                    .as("note: " + r.get("note"))
                    .contains(
                            "with " + db + " go: ",
                            "table t",
                            "view v",
                            "procedure pr",
                            "foreign key " + p + "_ref_fk on ",
                            "(refers to it)",
                            "view " + current + "." + p + "_reader");
        }
        assertThat(intQuery(admin, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" + db + "'"))
                .isEqualTo(2);
    }

    @Test
    void createOrReplaceOfANewTableAndDroppingAPlainIndexStayAllowed() throws SQLException {
        tables();
        String fresh = p + "_fresh";
        afterwards("DROP TABLE IF EXISTS " + fresh);
        try (Connection g = guarded()) {
            exec(g, "CREATE OR REPLACE TABLE " + fresh + " (x int)");
            exec(g, "ALTER TABLE " + parent + " DROP INDEX i_note");
        }
        assertThat(log.audit()).hasSize(2).allSatisfy(r -> {
            assertThat(r.get("decision").asText()).as(r.toString()).isIn("allowed", "rewritten");
            assertThat(r.get("outcome").asText()).isEqualTo("ok");
        });
        assertThat(indexes(parent)).doesNotContain("i_note");
    }

    /** FLUSH TABLES WITH READ LOCK is blocked before it reaches the server: another session still writes at once. */
    @Test
    void flushTablesWithReadLockIsBlockedAndWritesGoOn() throws SQLException {
        tables();
        log.clear();
        try (Connection g = guarded()) {
            assertBlocked(g, "FLUSH TABLES WITH READ LOCK", "explicit-lock", "flushes every table of the server");
            try (Connection writer = TestDatabases.mariadb()) {
                // a global read lock would keep this waiting: the metadata-lock wait is cut to 1 s
                exec(writer, "SET SESSION lock_wait_timeout = 1", "INSERT INTO " + parent + " VALUES (3, 30, 'c')");
            }
            exec(g, "FLUSH TABLES " + parent); // no lock kept: runs, warned for the queue it makes (flush-tables)
        }
        assertThat(count(parent)).isEqualTo(3);
        List<JsonNode> records = log.audit();
        assertThat(records).hasSize(2);
        assertBlockedRecord(records.get(0), "explicit-lock");
        assertThat(records.get(1).get("decision").asText())
                .as(records.get(1).toString())
                .isEqualTo("warned");
        assertThat(hasRule(records.get(1), "explicit-lock")).isFalse();
        assertThat(rule(records.get(1), "flush-tables").get("action").asText()).isEqualTo("warn");
    }

    /** ALTER EVENT … DO replaces the body with DDL that would run later, unjudged: blocked, the body unchanged. */
    @Test
    void alterEventWithDdlInItsBodyIsBlocked() throws SQLException {
        tables();
        String event = p + "_ev";
        afterwards("DROP EVENT IF EXISTS " + event);
        exec(
                admin,
                "CREATE EVENT " + event + " ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM " + parent
                        + " WHERE id < 0");
        String body = "SELECT EVENT_DEFINITION FROM information_schema.EVENTS WHERE EVENT_NAME = '" + event + "'";
        String before = stringQuery(admin, body);
        try (Connection g = guarded()) {
            assertBlocked(
                    g, "ALTER EVENT " + event + " DO DROP TABLE " + parent, "unanalyzable", "event body runs DDL");
        }
        assertThat(stringQuery(admin, body)).isEqualTo(before);
    }

    /** MariaDB's CREATE OR REPLACE DATABASE drops the database first: blocked as DROP DATABASE is, nothing lost. */
    @Test
    void createOrReplaceDatabaseIsBlockedAsADrop() throws SQLException {
        String db = p + "_rdb";
        afterwards("DROP DATABASE IF EXISTS " + db);
        exec(admin, "CREATE DATABASE " + db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY) ENGINE=InnoDB");
        try (Connection g = guarded()) {
            assertBlocked(
                    g,
                    "CREATE OR REPLACE DATABASE " + db,
                    "drop-database",
                    "replaces (drops, then creates) database " + db);
        }
        assertThat(intQuery(admin, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" + db + "'"))
                .isEqualTo(1);
    }

    @Test
    void dropViewIsBlocked() throws SQLException {
        tables();
        String view = p + "_pv";
        afterwards("DROP VIEW IF EXISTS " + view);
        exec(admin, "CREATE VIEW " + view + " AS SELECT id FROM " + parent);
        try (Connection g = guarded()) {
            assertBlocked(g, "DROP VIEW " + view, "drop-view");
        }
        assertThat(intQuery(admin, "SELECT COUNT(*) FROM information_schema.VIEWS WHERE TABLE_NAME = '" + view + "'"))
                .isEqualTo(1);
    }

    /** A new collation on a unique column: warned (change-collation) and run; the key then takes 'E1' beside 'e1'. */
    @Test
    void aCollationChangeWarnsRunsAndTheUniqueKeyTakesAnotherCase() throws SQLException {
        String t = table(
                "coll",
                "(id int PRIMARY KEY, email varchar(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci,"
                        + " UNIQUE KEY uq_email (email)) DEFAULT CHARSET utf8mb4 COLLATE utf8mb4_general_ci",
                "INSERT INTO {t} VALUES (1, 'e1')");
        assertThat(errorCode("INSERT INTO " + t + " VALUES (2, 'E1')")).isEqualTo(1062); // duplicate, case-blind
        log.clear();
        try (Connection g = guarded()) {
            exec(g, "ALTER TABLE " + t + " MODIFY email varchar(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        }
        JsonNode r = onlyAudit();
        // rewritten to its online form (require-online-ddl), and warned
        assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("rewritten");
        assertThat(rule(r, "change-collation").get("action").asText()).isEqualTo("warn");
        assertThat(rule(r, "change-collation").get("message").asText())
                .contains("changes the collation of a column of " + t + " that an index covers");
        exec(admin, "INSERT INTO " + t + " VALUES (2, 'E1')");
        assertThat(count(t)).isEqualTo(2);
    }
}
