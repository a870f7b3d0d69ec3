package dev.ddlguard.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ddlguard.BlockedStatementException;
import dev.ddlguard.support.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The exemption of tables this run created, on a real MariaDB: only where the server takes the name for the very
 * table the run created. With lower_case_table_names=0 (the Linux default) {@code Orders} and {@code orders} are
 * two tables; a table of another database is another table; every table of a list must be the run's.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MariaDbExemptionScopeTest extends MariaDbRulesTestBase {

    @Test
    void anotherSpellingIsAnotherTableWhereTheServerComparesNamesExactly() throws SQLException {
        assumeTrue(stringQuery(admin, "SELECT @@GLOBAL.lower_case_table_names").equals("0"), "case-sensitive names");
        String lower = table("orders", "(id int)", "INSERT INTO {t} VALUES (1), (2), (3)");
        String upper = lower.toUpperCase(Locale.ROOT);
        afterwards("DROP TABLE IF EXISTS " + upper);
        try (Connection guarded = guarded()) {
            exec(guarded, "CREATE TABLE " + upper + " (id int)");
            assertBlocked(guarded, "DROP TABLE " + lower, "drop-table");
            assertThat(count(lower)).isEqualTo(3);
            exec(guarded, "DROP TABLE " + upper); // the run's own, spelled as created: exempt
        }
    }

    @Test
    void dropDatabaseIfExistsOfNoneRunsAndOfOneThatIsThereIsBlocked() throws SQLException {
        String kept = p + "_kept";
        exec(
                admin,
                "CREATE DATABASE " + kept,
                "CREATE TABLE " + kept + ".t (id int)",
                "INSERT INTO " + kept + ".t VALUES (1)");
        afterwards("DROP DATABASE IF EXISTS " + kept);
        String absent = p + "_absent";
        afterwards("DROP DATABASE IF EXISTS " + absent);
        try (Connection guarded = guarded()) {
            exec(guarded, "DROP DATABASE IF EXISTS " + absent); // nothing to drop: a no-op, allowed
            exec(guarded, "DROP SCHEMA IF EXISTS " + absent);
            assertBlocked(guarded, "DROP DATABASE IF EXISTS " + kept, "drop-database");
            assertBlocked(guarded, "DROP SCHEMA IF EXISTS " + absent + ", " + kept, "drop-database");
            // absent before the string runs, not when its DROP runs
            assertBlocked(
                    guarded, "CREATE DATABASE " + absent + "; DROP DATABASE IF EXISTS " + absent, "drop-database");
        }
        assertThat(count(kept + ".t")).isEqualTo(1);
    }

    /**
     * A table the run created that holds old rows is no longer new: a MERGE table over an old MyISAM table (an outside
     * tester's TRUNCATE of it emptied the old table, exempt), a partitioned table that took an old table in with
     * CONVERT TABLE … TO PARTITION (its DROP took the old rows, exempt).
     */
    @Test
    void aNewTableHoldingOldRowsIsNotNew() throws SQLException {
        String old = table("old_plain", "(id int PRIMARY KEY)", "INSERT INTO {t} VALUES (1), (2)");
        String myisam = table("d_my", "(id int PRIMARY KEY) ENGINE=MyISAM", "INSERT INTO {t} VALUES (1), (2), (3)");
        String merged = p + "_m";
        String parted = p + "_np";
        afterwards("DROP TABLE IF EXISTS " + merged + ", " + parted);
        try (Connection guarded = guarded()) {
            exec(guarded, "CREATE TABLE " + merged + " (id int PRIMARY KEY) ENGINE=MERGE UNION=(" + myisam + ")");
            assertBlocked(guarded, "TRUNCATE TABLE " + merged, "truncate-table");
            exec(
                    guarded,
                    "CREATE TABLE " + parted + " (id int PRIMARY KEY) PARTITION BY RANGE (id) (PARTITION p0"
                            + " VALUES LESS THAN (0))");
            assertBlocked(
                    guarded,
                    "ALTER TABLE " + parted + " CONVERT TABLE " + old + " TO PARTITION p1 VALUES LESS THAN (100)",
                    "rename-table");
            exec(
                    guarded,
                    "/* ddlguard:allow rename-table test */ ALTER TABLE " + parted + " CONVERT TABLE " + old
                            + " TO PARTITION p1 VALUES LESS THAN (100)");
            assertBlocked(guarded, "DROP TABLE " + parted, "drop-table");
        }
        assertThat(count(myisam)).isEqualTo(3);
        assertThat(count(parted)).isEqualTo(2);
    }

    /** LOCK TABLES of a view the run created locks its old base table (an outside tester's writer waited 4.3 s). */
    @Test
    void aLockOfTheRunsViewIsNotExempt() throws SQLException {
        String old = table("victim", "(id int PRIMARY KEY)", "INSERT INTO {t} VALUES (1)");
        String view = p + "_v";
        String fresh = p + "_fresh";
        afterwards("DROP VIEW IF EXISTS " + view);
        afterwards("DROP TABLE IF EXISTS " + fresh);
        try (Connection guarded = guarded()) {
            exec(guarded, "CREATE VIEW " + view + " AS SELECT * FROM " + old);
            assertBlocked(guarded, "LOCK TABLES " + view + " WRITE", "explicit-lock");
            assertBlocked(guarded, "FLUSH TABLES " + view + " WITH READ LOCK", "explicit-lock");
            exec(guarded, "CREATE TABLE " + fresh + " (id int)");
            exec(guarded, "LOCK TABLES " + fresh + " WRITE"); // the run's table: exempt, and run
            exec(guarded, "UNLOCK TABLES");
        }
    }

    @Test
    void aNewTableOfAnotherDatabaseOrFirstInAListExemptsNoOtherTable() throws SQLException {
        String customers = table("customers", "(id int)", "INSERT INTO {t} VALUES (1), (2), (3)");
        String other = p + "_db";
        exec(admin, "CREATE DATABASE " + other);
        afterwards("DROP DATABASE IF EXISTS " + other);
        String ca = p + "_ca";
        afterwards("DROP TABLE IF EXISTS " + ca);
        try (Connection guarded = guarded()) {
            exec(guarded, "CREATE TABLE " + other + "." + customers + " (id int)");
            assertBlocked(guarded, "DROP TABLE " + customers, "drop-table");
            exec(guarded, "CREATE TABLE " + ca + " (id int)");
            assertBlocked(guarded, "DROP TABLE " + ca + ", " + customers, "drop-table");
            assertBlocked(
                    guarded,
                    "RENAME TABLE " + ca + " TO " + ca + "_b, " + customers + " TO " + p + "_c2",
                    "rename-table");
            assertThat(count(customers)).isEqualTo(3);
            // the run's own: exempt
            exec(guarded, "DROP TABLE " + other + "." + customers + ", " + ca);
        }
    }

    /**
     * A temporary table of this session is invisible to every other one: changing, emptying or dropping it is allowed
     * (it was blocked: information_schema lists no temporary table). The name is asked of the server each time: once
     * the temporary table is gone, the permanent table of the same name it hid is judged again, also within one
     * string.
     */
    @Test
    void aTemporaryTableOfThisSessionIsExemptAndThePermanentOneItHidIsNot() throws SQLException {
        String orders = table("orders", "(id int primary key)", "INSERT INTO {t} VALUES (1), (2), (3)");
        String scratch = p + "_scratch";
        try (Connection guarded = guarded()) {
            exec(guarded, "CREATE TEMPORARY TABLE " + scratch + " (id int primary key, a varchar(10))");
            exec(guarded, "INSERT INTO " + scratch + " VALUES (1, 'x')");
            log.clear();
            exec(
                    guarded,
                    "ALTER TABLE " + scratch + " ADD COLUMN b int NOT NULL",
                    "ALTER TABLE " + scratch + " RENAME COLUMN a TO c",
                    "TRUNCATE TABLE " + scratch);
            assertThat(log.audit())
                    .hasSize(3)
                    .allSatisfy(r -> assertThat(r.get("decision").asText())
                            .as(r.toString())
                            .isEqualTo("allowed"));
            exec(guarded, "DROP TABLE " + scratch);
            assertThat(tableExists(scratch)).isFalse();

            // a temporary table hides the permanent one of the same name, until it is dropped
            exec(guarded, "CREATE TEMPORARY TABLE " + orders + " (x int)");
            assertBlocked(guarded, "DROP TABLE " + orders + "; DROP TABLE " + orders, "drop-table");
            exec(guarded, "DROP TABLE " + orders); // the temporary one
            assertBlocked(guarded, "DROP TABLE " + orders, "drop-table");
            // named twice in one RENAME, the second finds the permanent table (an outside tester's was renamed)
            exec(guarded, "CREATE TEMPORARY TABLE " + orders + " (x int)");
            assertBlocked(
                    guarded,
                    "RENAME TABLE " + orders + " TO " + orders + "_a, " + orders + " TO " + orders + "_b",
                    "rename-table");
            exec(guarded, "DROP TABLE " + orders); // the temporary one
        }
        assertThat(count(orders)).isEqualTo(3);
    }

    /** USE inside one string: the later unqualified name is another database's table (an outside tester's find). */
    @Test
    void aUseInsideOneStringEndsWhatTheStringCreatedEarlier() throws SQLException {
        String logs = table("logs", "(id int)", "INSERT INTO {t} VALUES (1), (2), (3)");
        String other = p + "_db2";
        exec(admin, "CREATE DATABASE " + other);
        afterwards("DROP DATABASE IF EXISTS " + other);
        String here = stringQuery(admin, "SELECT DATABASE()");
        String url = TestDatabases.MARIADB_URL + (TestDatabases.MARIADB_URL.contains("?") ? "&" : "?")
                + "allowMultiQueries=true";
        try (Connection guarded = TestDatabases.guarded(url)) {
            assertBlocked(
                    guarded,
                    "USE " + other + "; CREATE TABLE " + logs + " (id int); USE " + here + "; DROP TABLE " + logs,
                    "drop-table");
        }
        assertThat(count(logs)).isEqualTo(3);
        assertThat(intQuery(
                        admin, "SELECT count(*) FROM information_schema.TABLES WHERE table_schema = '" + other + "'"))
                .isZero();
    }

    /**
     * A database this run created with a plain CREATE DATABASE and that holds nothing may be dropped (it was blocked
     * as drop-database); one created with IF NOT EXISTS (maybe an old one) or holding a table is judged as any.
     */
    @Test
    void anEmptyDatabaseOfThisRunMayBeDroppedAndNoOther() throws SQLException {
        String scratch = p + "_scr";
        String maybe = p + "_scr2";
        afterwards("DROP DATABASE IF EXISTS " + scratch);
        afterwards("DROP DATABASE IF EXISTS " + maybe);
        exec(admin, "CREATE DATABASE " + maybe);
        try (Connection guarded = guarded()) {
            exec(guarded, "CREATE DATABASE " + scratch);
            exec(guarded, "CREATE DATABASE IF NOT EXISTS " + maybe);
            exec(admin, "CREATE TABLE " + scratch + ".t (id int)"); // not the run's: it goes with the database
            assertBlocked(guarded, "DROP DATABASE " + scratch, "drop-database");
            exec(admin, "DROP TABLE " + scratch + ".t");
            log.clear();
            exec(guarded, "drop schema `" + scratch + "`");
            assertThat(hasRule(onlyAudit(), "drop-database")).isFalse();
            assertThat(intQuery(
                            admin,
                            "SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" + scratch + "'"))
                    .isZero();
            assertBlocked(guarded, "DROP DATABASE " + maybe, "drop-database");
            // created again outside the guard: no longer the run's
            exec(admin, "CREATE DATABASE " + scratch);
            assertBlocked(guarded, "DROP DATABASE " + scratch, "drop-database");
        }
    }

    /** A temporary table v hides the table v, not the view v: DROP VIEW v dropped the deployed view (a review's find). */
    @Test
    void aTemporaryTableDoesNotExemptTheViewOfItsName() throws SQLException {
        String base = table("vb", "(id int)", "INSERT INTO {t} VALUES (1)");
        String view = view("view", "SELECT id FROM " + base);
        try (Connection guarded = guarded()) {
            exec(guarded, "CREATE TEMPORARY TABLE " + view + " (x int)");
            assertBlocked(guarded, "DROP VIEW " + view, "drop-view");
        }
        assertThat(intQuery(admin, "SELECT count(*) FROM " + view)).isEqualTo(1);
    }

    /**
     * ADD COLUMN IF NOT EXISTS of a column the table has is a no-op, not judged; a name that differs by an accent is
     * another column to the server, though information_schema's collation takes é for e (an outside tester's was
     * added NOT NULL, filling 1000 rows with 0, judged a no-op).
     */
    @Test
    void addColumnIfNotExistsIsANoOpOnlyForTheColumnTheServerFinds() throws SQLException {
        String t = table("acc", "(id int, e int, kx int, \u0131y int)", "INSERT INTO {t} VALUES (1, 1, 1, 1)");
        try (Connection guarded = guarded()) {
            exec(guarded, "ALTER TABLE " + t + " ADD COLUMN IF NOT EXISTS E INT NOT NULL");
            // the server folds names to lower case: the Kelvin sign is k, and dotless ı is not i (a fourth round's)
            assertBlocked(guarded, "ALTER TABLE " + t + " DROP COLUMN IF EXISTS \u212Ax", "drop-column");
            assertBlocked(
                    guarded, "ALTER TABLE " + t + " ADD COLUMN IF NOT EXISTS iy INT NOT NULL", "add-column-not-null");
            assertBlocked(
                    guarded,
                    "ALTER TABLE " + t + " ADD COLUMN IF NOT EXISTS \u00e9 INT NOT NULL",
                    "add-column-not-null");
        }
        assertThat(intQuery(
                        admin,
                        "SELECT count(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '"
                                + t + "'"))
                .isEqualTo(4);
    }

    /**
     * MariaDB skips an existing column of ADD COLUMN IF NOT EXISTS but still adds its key, and a bare KEY is PRIMARY
     * KEY: an outside tester's ALTER IGNORE deleted 990 of 1,000 rows as duplicates, judged a no-op.
     */
    @Test
    void addColumnIfNotExistsWithAKeyIsNoNoOp() throws SQLException {
        String t = table("pay", "(id int, customer_id int)", "INSERT INTO {t} VALUES (1, 7), (2, 7), (3, 8)");
        try (Connection guarded = guarded()) {
            assertBlocked(
                    guarded,
                    "ALTER IGNORE TABLE " + t + " ADD COLUMN IF NOT EXISTS customer_id INT KEY",
                    "alter-ignore-deletes-duplicates");
            // a key in the parenthesised list is no column's, and deletes the same (a second round's)
            assertBlocked(
                    guarded,
                    "ALTER IGNORE TABLE " + t
                            + " ADD COLUMN IF NOT EXISTS (customer_id INT, PRIMARY KEY (customer_id))",
                    "alter-ignore-deletes-duplicates");
            // nor does a no-op hide a partitioning clause read with it: the table would be copied
            assertBlocked(
                    guarded,
                    "ALTER TABLE " + t
                            + " ADD COLUMN IF NOT EXISTS customer_id INT PARTITION BY HASH (id) PARTITIONS 4",
                    "partitioning-change");
            // a plain definition of the same column is still a no-op, not judged
            exec(guarded, "ALTER IGNORE TABLE " + t + " ADD COLUMN IF NOT EXISTS customer_id INT");
        }
        assertThat(intQuery(admin, "SELECT count(*) FROM " + t)).isEqualTo(3);
        assertThat(intQuery(
                        admin,
                        "SELECT count(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
                                + " AND TABLE_NAME = '" + t + "'"))
                .isZero();
    }

    /**
     * A batch's DDL is judged again when the batch runs: an outside tester added DROP TABLE IF EXISTS (absent then),
     * DROP COLUMN IF EXISTS (absent then) and CREATE TABLE then DROP TABLE; another session created the table and the
     * column in between (or setCatalog chose another database, or a SET sql_mode followed), and executeBatch dropped
     * them, each judged a no-op or the run's own.
     */
    @Test
    void aBatchIsJudgedAgainWhenItRuns() throws SQLException {
        String late = p + "_late";
        String col = table("latec", "(id int)", "INSERT INTO {t} VALUES (1)");
        afterwards("DROP TABLE IF EXISTS " + late);
        try (Connection guarded = guarded();
                java.sql.Statement batch = guarded.createStatement()) {
            batch.addBatch("DROP TABLE IF EXISTS " + late);
            batch.addBatch("ALTER TABLE " + col + " DROP COLUMN IF EXISTS c");
            exec(admin, "CREATE TABLE " + late + " (id int)", "INSERT INTO " + late + " VALUES (1), (2)");
            exec(admin, "ALTER TABLE " + col + " ADD COLUMN c int DEFAULT 7");
            assertThatThrownBy(batch::executeBatch)
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("drop-table");
            assertThat(log.audit()).extracting(r -> r.get("decision").asText()).contains("blocked");
            batch.addBatch("SELECT 1"); // the driver's batch was cleared: nothing of the blocked one is left to run
            batch.executeBatch();
        }
        assertThat(count(late)).isEqualTo(2);
        assertThat(intQuery(admin, "SELECT count(*) FROM " + col + " WHERE c = 7"))
                .isEqualTo(1);
    }

    /**
     * A table an earlier entry of a batch creates is the run's for the entries after it only when it was not there
     * before: MariaDB's connector runs the entries after a failed one, and an outside tester's CREATE TABLE of an old
     * table failed while the DROP TABLE after it, taken for the new table's, dropped the old one.
     */
    @Test
    void aBatchCreateOfAnExistingTableDoesNotMakeItNew() throws SQLException {
        String old = table("bco", "(id int)", "INSERT INTO {t} VALUES (1), (2)");
        String fresh = p + "_bcf";
        afterwards("DROP TABLE IF EXISTS " + fresh);
        try (Connection guarded = guarded();
                java.sql.Statement batch = guarded.createStatement()) {
            batch.addBatch("CREATE TABLE " + old + " (id int)");
            assertThatThrownBy(() -> batch.addBatch("DROP TABLE " + old)).hasMessageContaining("drop-table");
            batch.clearBatch();
            batch.addBatch("CREATE TABLE " + fresh + " (id int)");
            batch.addBatch("DROP TABLE " + fresh); // a table the batch makes is its own
            batch.executeBatch();
        }
        assertThat(count(old)).isEqualTo(2);
        assertThat(tableExists(fresh)).isFalse();
    }

    /**
     * A batch entry or a prepared statement runs after its judgement, maybe twice: the temporary table that hid the
     * permanent one may be gone by then. A batch of DROP TABLE orders twice, or one prepared DROP run twice, dropped
     * the permanent table (a review's find); neither takes the temporary table's exemption now.
     */
    @Test
    void aBatchOrAPreparedStatementTakesNoTemporaryTableForItsName() throws SQLException {
        String orders = table("tmpb", "(id int)", "INSERT INTO {t} VALUES (1), (2)");
        try (Connection guarded = guarded()) {
            exec(guarded, "CREATE TEMPORARY TABLE " + orders + " (x int)");
            try (java.sql.Statement batch = guarded.createStatement()) {
                // judged as it is added
                assertThatThrownBy(() -> batch.addBatch("DROP TABLE " + orders)).hasMessageContaining("drop-table");
            }
            assertThatThrownBy(() -> guarded.prepareStatement("DROP TABLE " + orders))
                    .hasMessageContaining("drop-table");
            exec(guarded, "DROP TABLE " + orders); // a plain statement, run right away: the temporary one
        }
        assertThat(count(orders)).isEqualTo(2);
    }

    /** The same with MariaDB's sql_notes = 0 (a mysqldump header): the "already exists" note never comes. */
    @Test
    void createIfNotExistsOfAnExistingTableIsNotTheRunsWithoutItsNote() throws SQLException {
        String logs = table("lognote", "(id int)", "INSERT INTO {t} VALUES (1), (2)");
        try (Connection guarded = guarded()) {
            exec(guarded, "SET sql_notes = 0");
            exec(guarded, "CREATE TABLE IF NOT EXISTS " + logs + " (id int)");
            assertBlocked(guarded, "DROP TABLE " + logs, "drop-table");
        }
        assertThat(count(logs)).isEqualTo(2);
    }
}
