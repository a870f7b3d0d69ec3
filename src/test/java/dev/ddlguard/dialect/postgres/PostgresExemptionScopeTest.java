package dev.ddlguard.dialect.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.BlockedStatementException;
import dev.ddlguard.support.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The exemption of objects this run created, on a real PostgreSQL: it holds only when every table the statement
 * acts on is one the run created, in the schema the server resolves the name in. An existing table named after a
 * new one, or an existing table of the same name in another schema, keeps its rows.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PostgresExemptionScopeTest extends PgRulesTestBase {

    @Test
    void anExistingTableAfterANewOneInAListIsNotExempt() throws SQLException {
        String customers = table("customers", "id int", "SELECT g FROM generate_series(1, 50) g");
        String y1 = p + "_y1";
        String y2 = p + "_y2";
        String y3 = p + "_y3";
        afterwards("DROP TABLE IF EXISTS " + y1 + ", " + y2 + ", " + y3);
        try (Connection guarded = guarded()) {
            exec(guarded, "CREATE TABLE " + y1 + " (id int)");
            assertBlocked(
                    guarded,
                    "TRUNCATE TABLE ONLY " + y1 + ", " + customers + " RESTART IDENTITY CASCADE",
                    "truncate-table");
            assertBlocked(guarded, "VACUUM FULL " + y1 + ", " + customers, "table-rewrite");
            // in one string: the earlier CREATE makes only its own table new
            assertBlocked(
                    guarded, "CREATE TABLE " + y2 + " (id int); TRUNCATE " + y2 + ", " + customers, "truncate-table");
            // in a transaction: the table the transaction created is new, the other is not
            guarded.setAutoCommit(false);
            exec(guarded, "CREATE TABLE " + y3 + " (id int)");
            assertBlocked(guarded, "LOCK TABLE " + y3 + ", " + customers, "explicit-lock");
            guarded.rollback();
            guarded.setAutoCommit(true);
            assertThat(count(customers)).isEqualTo(50);

            // the run's own tables, all of them: exempt, and run
            exec(guarded, "CREATE TABLE " + y2 + " (id int)", "INSERT INTO " + y1 + " VALUES (1)");
            exec(guarded, "TRUNCATE TABLE " + y1 + ", " + y2);
            assertThat(count(y1)).isZero();
            guarded.setAutoCommit(false);
            exec(guarded, "CREATE TABLE " + y3 + " (id int)", "LOCK TABLE " + y3 + ", " + y1);
            guarded.commit();
        }
    }

    @Test
    void aNewTableInAnotherSchemaDoesNotExemptTheExistingOneOfTheSameName() throws SQLException {
        String accounts = table("acc", "id int, x int", "SELECT g, g FROM generate_series(1, 50) g");
        String scratch = schema("s");
        try (Connection guarded = guarded()) {
            exec(guarded, "CREATE TABLE " + scratch + "." + accounts + " (id int, x int)");
            assertBlocked(guarded, "DROP TABLE " + accounts, "drop-table");
            assertBlocked(guarded, "ALTER TABLE " + accounts + " DROP COLUMN x", "drop-column");
            assertBlocked(guarded, "TRUNCATE " + accounts, "truncate-table");
            // in one string as well
            String other = table("acc2", "id int", "SELECT g FROM generate_series(1, 5) g");
            assertBlocked(
                    guarded, "CREATE TABLE " + scratch + "." + other + " (id int); DROP TABLE " + other, "drop-table");
            assertThat(count(accounts)).isEqualTo(50);
            assertThat(count(other)).isEqualTo(5);

            // where the name resolves to the new table, it is the run's own: exempt, and run
            exec(guarded, "SET search_path TO " + scratch + ", public");
            exec(guarded, "ALTER TABLE " + accounts + " DROP COLUMN x");
            exec(guarded, "RESET search_path");
            exec(guarded, "DROP TABLE " + scratch + "." + accounts);
            assertThat(count(accounts)).isEqualTo(50);
        }
    }

    /**
     * The run's record of a table it created holds only while the name still finds that table: a CREATE a rollback
     * took back, or a table an earlier statement of the same string dropped or renamed, leaves the name to a table
     * later on the search path (an outside tester's, with the default search path "$user", public and a schema named
     * as the user: the old public table was truncated and dropped as the run's).
     */
    @Test
    void aNameThatNoLongerFindsTheRunsTableIsNotTheRuns() throws SQLException {
        String old = table("rb", "id int", "SELECT g FROM generate_series(1, 50) g");
        String scratch = schema("rs");
        try (Connection guarded = guarded()) {
            exec(guarded, "SET search_path TO " + scratch + ", public");
            guarded.setAutoCommit(false);
            exec(guarded, "CREATE TABLE " + old + " (id int)");
            guarded.rollback();
            guarded.setAutoCommit(true);
            assertBlocked(guarded, "TRUNCATE " + old, "truncate-table");
            assertBlocked(
                    guarded, "BEGIN; CREATE TABLE " + old + " (id int); ROLLBACK; DROP TABLE " + old, "drop-table");

            exec(guarded, "CREATE TABLE " + old + " (id int)");
            assertBlocked(guarded, "DROP TABLE " + old + "; DROP TABLE " + old, "drop-table");
            assertBlocked(guarded, "DO $$ BEGIN DROP TABLE " + old + "; TRUNCATE " + old + "; END $$", "unanalyzable");
            try (Statement batch = guarded.createStatement()) {
                batch.addBatch("DROP TABLE " + old);
                assertThatThrownBy(() -> batch.addBatch("DROP TABLE " + old)).hasMessageContaining("[drop-table]");
                batch.clearBatch();
            }
            String inScratch = "SELECT count(*) FROM pg_class WHERE oid = to_regclass('" + scratch + "." + old + "')";
            assertThat(intQuery(admin, inScratch)).isOne();
            // the run's table itself, while the name finds it: exempt, and run
            exec(guarded, "DROP TABLE " + old);
            assertThat(intQuery(admin, inScratch)).isZero();
        }
        assertThat(count(old)).isEqualTo(50);
    }

    /**
     * What takes a run's table away unseen makes its name old again: a DROP of the run's partitioned table takes its
     * partitions (in one string, and in the next), a procedure of the string may roll the CREATE back, and another
     * connection's open transaction may never commit its CREATE (an outside tester's second round: each dropped the old
     * table of that name later on the search path).
     */
    @Test
    void whatTakesTheRunsTableAwayUnseenMakesItsNameOld() throws SQLException {
        String old = table("gone", "id int", "SELECT g FROM generate_series(1, 40) g");
        String scratch = schema("gs");
        String path = "SET search_path TO " + scratch + ", public";
        try (Connection guarded = guarded();
                Connection other = guarded()) {
            exec(guarded, path);
            exec(other, path);
            String parent = p + "_all";
            exec(guarded, "CREATE TABLE " + parent + " (id int) PARTITION BY RANGE (id)");
            exec(guarded, "CREATE TABLE " + old + " PARTITION OF " + parent + " FOR VALUES FROM (0) TO (100)");
            assertBlocked(guarded, "DROP TABLE " + parent + "; DROP TABLE " + old, "drop-table");
            exec(guarded, "DROP TABLE " + parent);
            assertBlocked(guarded, "DROP TABLE " + old, "drop-table");

            exec(admin, "CREATE PROCEDURE " + scratch + ".undo() LANGUAGE plpgsql AS $$ BEGIN ROLLBACK; END $$");
            exec(guarded, "CREATE TABLE " + old + " (id int); CALL undo()");
            assertBlocked(guarded, "TRUNCATE " + old, "truncate-table");

            // a type or domain of the run is no relation: the name of one finds the old table (a third round's)
            exec(guarded, "CREATE DOMAIN " + old + " AS int");
            assertBlocked(guarded, "TRUNCATE " + old, "truncate-table");
            exec(guarded, "DROP DOMAIN " + old);
            // the run's type renamed away: its old name finds the deployed type (a fifth round's rewrote an old enum)
            String mood = p + "_mood";
            exec(admin, "CREATE TYPE public." + mood + " AS ENUM ('happy', 'sad')");
            afterwards("DROP TYPE IF EXISTS public." + mood);
            exec(guarded, "CREATE TYPE " + mood + " AS ENUM ('x')");
            exec(guarded, "ALTER TYPE " + mood + " RENAME TO " + mood + "_run");
            assertBlocked(guarded, "ALTER TYPE " + mood + " RENAME VALUE 'happy' TO 'glad'", "rename-type");

            // the run's sequence goes with the column that owns it (a fourth round's): the name finds the old table
            String owner = p + "_own";
            exec(guarded, "CREATE TABLE " + owner + " (id int, v int)");
            exec(guarded, "CREATE SEQUENCE " + old + " OWNED BY " + owner + ".id");
            exec(guarded, "ALTER TABLE " + owner + " DROP COLUMN id");
            assertBlocked(guarded, "TRUNCATE " + old, "truncate-table");

            // a ROLLBACK the guard does not read as one (after a SELECT in one string) takes the CREATE back too
            guarded.setAutoCommit(false);
            exec(guarded, "CREATE TABLE " + old + " (id int)");
            exec(guarded, "SELECT 1; ROLLBACK");
            guarded.setAutoCommit(true);
            assertBlocked(guarded, "DROP TABLE " + old, "drop-table");

            guarded.setAutoCommit(false);
            exec(guarded, "CREATE TABLE " + old + " (id int)");
            assertBlocked(other, "DROP TABLE " + old, "drop-table");
            guarded.commit();
            guarded.setAutoCommit(true);
            exec(other, "DROP TABLE " + old); // committed: the run's own for every connection, exempt, and run
        }
        assertThat(count(old)).isEqualTo(40);
    }

    /**
     * The lock timeout is set around a statement on the name of a table a rollback took back: it finds the old table,
     * which another session may hold (a third round's ALTER waited 24 s for a reader, with no timeout set).
     */
    @Test
    void theLockTimeoutHoldsForANameARollbackGaveBack() throws SQLException {
        String old = table("lw", "id int", "SELECT g FROM generate_series(1, 10) g");
        String scratch = schema("lws");
        try (Connection holder = TestDatabases.postgres();
                Connection guarded = guarded("ddlguard.lock-timeout", "300ms", "ddlguard.lock-timeout.retries", "0")) {
            exec(guarded, "SET search_path TO " + scratch + ", public");
            guarded.setAutoCommit(false);
            exec(guarded, "CREATE TABLE " + old + " (id int)");
            guarded.rollback();
            guarded.setAutoCommit(true);
            holder.setAutoCommit(false);
            exec(holder, "SELECT count(*) FROM public." + old); // ACCESS SHARE until the transaction ends
            exec(guarded, "SET statement_timeout = '10s'"); // without the guard's timeout, the wait ends here
            long start = System.nanoTime();
            assertThatThrownBy(() -> exec(guarded, "ALTER TABLE " + old + " ADD COLUMN x int"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("55P03"));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
            holder.rollback();
        }
        assertThat(columnExists(old, "x")).isFalse();
    }

    @Test
    void dropSchemaIfExistsOfNoneRunsAndOfOneThatIsThereIsBlocked() throws SQLException {
        String kept = schema("kept");
        exec(admin, "CREATE TABLE " + kept + ".t (id int)", "INSERT INTO " + kept + ".t VALUES (1)");
        String orders = table("orders", "id int", "SELECT g FROM generate_series(1, 20) g");
        String absent = p + "_absent";
        afterwards("DROP SCHEMA IF EXISTS " + absent + " CASCADE");
        try (Connection guarded = guarded()) {
            // a fresh database's idempotent script: nothing to drop, so nothing to block
            log.clear();
            exec(guarded, "DROP SCHEMA IF EXISTS " + absent + " CASCADE");
            JsonNode r = onlyAudit();
            assertThat(r.get("decision").asText()).isEqualTo("allowed");
            assertThat(rule(r, "drop-schema").get("message").asText()).contains("IF EXISTS makes this a no-op");

            assertBlocked(guarded, "DROP SCHEMA IF EXISTS " + kept + " CASCADE", "drop-schema");
            // absent before the string runs, not when its DROP runs: an old table moved into it goes with it
            assertBlocked(
                    guarded,
                    "CREATE SCHEMA " + absent + "; /* ddlguard:allow set-schema test */ ALTER TABLE " + orders
                            + " SET SCHEMA " + absent + "; DROP SCHEMA IF EXISTS " + absent + " CASCADE",
                    "drop-schema");
        }
        assertThat(count(kept + ".t")).isEqualTo(1);
        assertThat(count(orders)).isEqualTo(20);
    }

    /**
     * An old table hung on the run's table earlier in the same string or batch goes with its drop: what depends on the
     * run's table was asked before the string ran (outside testers' ATTACH then DROP dropped the old table, also as a
     * batch).
     */
    @Test
    void anOldTableAttachedEarlierInTheStringOrBatchKeepsTheDropJudged() throws SQLException {
        String old = table("acc7", "id int", "SELECT g FROM generate_series(1, 20) g");
        String parent = p + "_n7";
        afterwards("DROP TABLE IF EXISTS " + parent);
        try (Connection guarded = guarded();
                Statement st = guarded.createStatement()) {
            exec(guarded, "CREATE TABLE " + parent + " (id int) PARTITION BY RANGE (id)");
            String attach =
                    "ALTER TABLE " + parent + " ATTACH PARTITION " + old + " FOR VALUES FROM (MINVALUE) TO (MAXVALUE)";
            assertBlocked(guarded, attach + "; DROP TABLE " + parent, "drop-table");
            st.addBatch(attach);
            assertThatThrownBy(() -> st.addBatch("DROP TABLE " + parent)).hasMessageContaining("[drop-table]");
        }
        assertThat(count(old)).isEqualTo(20);
    }

    /** Hibernate's create-drop: the run's tables, one keyed to the other, dropped with CASCADE (a false positive). */
    @Test
    void aCascadeDropTakingOnlyTheRunsForeignKeysIsTheRuns() throws SQLException {
        String orders = table("orders", "id int PRIMARY KEY", "SELECT g FROM generate_series(1, 5) g");
        String author = p + "_author";
        String book = p + "_book";
        afterwards("DROP TABLE IF EXISTS " + book + ", " + author + " CASCADE");
        try (Connection guarded = guarded()) {
            exec(guarded, "create table " + author + " (id int primary key)");
            exec(guarded, "create table " + book + " (id int primary key, author_id int)");
            exec(
                    guarded,
                    "alter table if exists " + book + " add constraint " + book + "_fk foreign key (author_id)"
                            + " references " + author);
            exec(guarded, "alter table " + orders + " add column author_id int");
            exec(
                    guarded,
                    "/* ddlguard:allow constraint-missing-not-valid test */ alter table " + orders + " add constraint "
                            + orders + "_fk foreign key (author_id) references " + author);
            assertBlocked(guarded, "drop table if exists " + author + " cascade", "drop-cascade");
            exec(admin, "alter table " + orders + " drop constraint " + orders + "_fk");
            // an old view of the table's row type goes with it too (a later round's: not listed, allowed, dropped)
            exec(admin, "CREATE VIEW " + orders + "_v AS SELECT id, NULL::" + author + " AS a FROM " + orders);
            afterwards("DROP VIEW IF EXISTS " + orders + "_v");
            assertBlocked(guarded, "drop table if exists " + author + " cascade", "drop-cascade");
            assertThat(relationExists(orders + "_v")).isTrue();
            exec(admin, "DROP VIEW " + orders + "_v");
            exec(guarded, "drop table if exists " + author + " cascade");
        }
        assertThat(relationExists(author)).isFalse();
        assertThat(constraints(book)).doesNotContain(book + "_fk");
    }

    @Test
    void createTableIfNotExistsInATransactionIsNewOnlyWhenItCreated() throws SQLException {
        String fresh = p + "_q2";
        afterwards("DROP TABLE IF EXISTS " + fresh);
        String old = table("old", "id int", "SELECT g FROM generate_series(1, 50) g");
        try (Connection guarded = guarded()) {
            guarded.setAutoCommit(false);
            exec(guarded, "CREATE TABLE IF NOT EXISTS " + fresh + " (id int)");
            exec(guarded, "CREATE INDEX " + fresh + "_i ON " + fresh + " (id)"); // the transaction's own table
            guarded.commit();
            exec(guarded, "CREATE TABLE IF NOT EXISTS " + old + " (id int)"); // there already: nothing created
            assertBlocked(guarded, "CREATE INDEX " + old + "_i ON " + old + " (id)", "require-concurrent-index");
            guarded.rollback();
        }
        assertThat(intQuery(admin, "SELECT count(*)::int FROM pg_indexes WHERE indexname = '" + fresh + "_i'"))
                .isEqualTo(1);
    }

    @Test
    void aTemporaryTableIsTheSessionsOwnWhileItHidesThePermanentOne() throws SQLException {
        String customers = table("cust", "id int", "SELECT g FROM generate_series(1, 50) g");
        String tt = p + "_tt";
        try (Connection guarded = guarded()) {
            exec(guarded, "CREATE TEMP TABLE " + tt + " (id int)");
            exec(guarded, "ALTER TABLE " + tt + " ADD COLUMN y int NOT NULL", "TRUNCATE " + tt);
            // a temporary table of the permanent one's name hides it: the statements reach the temporary one
            exec(guarded, "CREATE TEMP TABLE " + customers + " (id int)", "INSERT INTO " + customers + " VALUES (1)");
            exec(guarded, "TRUNCATE " + customers, "DROP TABLE " + customers);
            // dropped: the name means the permanent table again
            assertBlocked(guarded, "TRUNCATE " + customers, "truncate-table");
            // a temporary table a rollback took back hides nothing
            guarded.setAutoCommit(false);
            exec(guarded, "CREATE TEMP TABLE " + customers + " (id int)");
            guarded.rollback();
            assertBlocked(guarded, "TRUNCATE " + customers, "truncate-table");
            guarded.rollback();
            guarded.setAutoCommit(true);
            // in one string, the catalog is asked before any of it runs: after the first DROP removes the temporary
            // table, the second reaches the permanent one, and is not exempt
            exec(guarded, "CREATE TEMP TABLE " + customers + " (id int)");
            assertBlocked(guarded, "DROP TABLE " + customers + "; DROP TABLE " + customers, "drop-table");
        }
        assertThat(count(customers)).isEqualTo(50);
    }

    @Test
    void aMaterializedViewAndADomainOfThisRunAreItsOwn() throws SQLException {
        String mv = p + "_mv";
        String domain = p + "_posint";
        afterwards("DROP MATERIALIZED VIEW IF EXISTS " + mv);
        afterwards("DROP DOMAIN IF EXISTS " + domain);
        try (Connection guarded = guarded()) {
            exec(guarded, "CREATE MATERIALIZED VIEW " + mv + " AS SELECT 1 AS x");
            exec(guarded, "REFRESH MATERIALIZED VIEW " + mv); // no unique index: the rewrite could not run
            exec(guarded, "CREATE DOMAIN " + domain + " AS int");
            exec(guarded, "ALTER DOMAIN " + domain + " ADD CONSTRAINT " + domain + "_ck CHECK (VALUE < 100)");
        }
        assertThat(intQuery(admin, "SELECT count(*)::int FROM pg_constraint WHERE conname = '" + domain + "_ck'"))
                .isEqualTo(1);
    }

    /**
     * A fresh database's migration creates a partitioned table, then its partitions: their lock on the parent hurts
     * nobody, and it warned on every run. A partition of an existing parent still warns, and so does attaching an
     * existing table (its scan locks it), even to a new parent.
     */
    @Test
    void partitionsOfThisRunsParentWarnNothingAndAnExistingParentStillWarns() throws SQLException {
        String events = p + "_ev";
        String old = p + "_old_ev";
        String loose = table("loose", "at date", "SELECT DATE '2024-06-01'");
        exec(admin, "CREATE TABLE " + old + " (at date) PARTITION BY RANGE (at)");
        afterwards("DROP TABLE IF EXISTS " + old + " CASCADE");
        afterwards("DROP TABLE IF EXISTS " + events + " CASCADE");
        try (Connection guarded = guarded()) {
            log.clear();
            exec(
                    guarded,
                    "CREATE TABLE " + events + " (at date) PARTITION BY RANGE (at)",
                    "CREATE TABLE " + events + "_2025 PARTITION OF " + events
                            + " FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
                    "CREATE TABLE " + events + "_2026 (at date)",
                    "ALTER TABLE " + events + " ATTACH PARTITION " + events
                            + "_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')");
            assertThat(log.audit())
                    .hasSize(4)
                    .allSatisfy(r -> assertThat(r.get("decision").asText())
                            .as(r.toString())
                            .isEqualTo("allowed"));
            log.clear();

            exec(guarded, "CREATE TABLE " + old + "_2025 PARTITION OF " + old + " DEFAULT");
            JsonNode partition = onlyAudit();
            assertThat(partition.get("decision").asText()).isEqualTo("warned");
            assertThat(rule(partition, "create-partition-locks-parent")
                            .get("message")
                            .asText())
                    .contains("of " + old);

            exec(guarded, "ALTER TABLE " + events + " ATTACH PARTITION " + loose + " DEFAULT");
            JsonNode attach = onlyAudit();
            assertThat(attach.get("decision").asText()).isEqualTo("warned");
            assertThat(rule(attach, "attach-partition-scan").get("message").asText())
                    .contains("attaches " + loose);
        }
    }

    /**
     * PostgreSQL folds only A to Z in an unquoted name: a table spelled with the Kelvin sign (U+212A) is a new table
     * of its own, and dropping the existing ASCII one was allowed as "created by this run" (an outside tester's find).
     */
    @Test
    void aNameFoldedOnlyByJavaIsAnotherTable() throws SQLException {
        String kv = table("kv", "id int", "SELECT g FROM generate_series(1, 100) g");
        String kelvin = kv.replace('k', '\u212A');
        assertThat(kelvin).isNotEqualTo(kv);
        afterwards("DROP TABLE IF EXISTS " + kelvin);
        try (Connection guarded = guarded()) {
            exec(guarded, "CREATE TABLE " + kelvin + " (id int)");
            assertBlocked(guarded, "DROP TABLE " + kv, "drop-table");
            assertBlocked(guarded, "DROP TABLE " + kv.toUpperCase(java.util.Locale.ROOT), "drop-table");
            assertThat(count(kv)).isEqualTo(100);
            exec(guarded, "DROP TABLE " + kelvin); // the run's own, as spelled
        }
    }

    /**
     * Every statement of a string is judged before any runs: after a SET search_path in the same string, a name the
     * string created earlier may mean another table. Dropping {@code public.keep} was allowed as "created earlier in
     * the same string" (an outside tester's find). A SET of a timeout between does not move names: a new table stays
     * new.
     */
    @Test
    void aSearchPathChangeInsideOneStringEndsWhatTheStringCreatedEarlier() throws SQLException {
        String keep = table("keep", "id int", "SELECT g FROM generate_series(1, 20) g");
        String s2 = schema("s2");
        try (Connection guarded = guarded()) {
            String sql = "SET search_path = " + s2 + ", public; CREATE TABLE " + keep
                    + " (id int); SET search_path = public; DROP TABLE " + keep;
            assertBlocked(guarded, sql, "drop-table");
            // the same through pg_settings, and a quoted set_config (a review's finds)
            assertBlocked(
                    guarded,
                    "UPDATE pg_settings SET setting = '" + s2 + "' WHERE name = 'search_path'; CREATE TABLE " + keep
                            + " (id int); SELECT \"set_config\"('search_path', 'public', false); DROP TABLE " + keep,
                    "drop-table");
            assertThat(count(keep)).isEqualTo(20);
            assertThat(log.audit())
                    .anySatisfy(r ->
                            assertThat(r.get("note").asText()).contains("may change the schema its names resolve in"));
            exec(guarded, "RESET search_path");

            log.clear();
            String fresh = p + "_fresh";
            afterwards("DROP TABLE IF EXISTS " + fresh);
            exec(
                    guarded,
                    "SET lock_timeout = '2s'; CREATE TABLE " + fresh + " (id int); SET LOCAL statement_timeout = 0; "
                            + "CREATE INDEX " + fresh + "_i ON " + fresh + " (id)");
            assertThat(log.audit())
                    .hasSize(2)
                    .allSatisfy(r -> assertThat(r.get("decision").asText())
                            .as(r.toString())
                            .isEqualTo("allowed"));
        }
    }

    /**
     * A table created by an unqualified name after a SET search_path of the same string is not recorded as this run's
     * under the schema the string started in: an outside tester's {@code SET search_path = other; CREATE TABLE t; SET
     * search_path = probe} made probe's old t "created by this migration run", and a later DROP TABLE t dropped it.
     */
    @Test
    void aTableCreatedAfterASearchPathChangeInOneStringIsNotTheRunsOwnInTheOldSchema() throws SQLException {
        String old = table("old", "id int", "SELECT g FROM generate_series(1, 100) g");
        String other = schema("other");
        try (Connection guarded = guarded()) {
            exec(
                    guarded,
                    "SET search_path = " + other + "; CREATE TABLE " + old + " (x int); SET search_path = public");
            assertBlocked(guarded, "DROP TABLE " + old, "drop-table");
        }
        assertThat(count(old)).isEqualTo(100);
    }

    /**
     * A new table that old tables hang on is not new for what reaches them: an outside tester attached an old partition
     * to a new partitioned table, made an old table inherit from a new one and referenced a new one from an old table,
     * then dropped, truncated and truncated with CASCADE the new one, exempt; the old tables' rows went with it. A new
     * partitioned table with a new partition stays new.
     */
    @Test
    void aNewTableThatOldTablesHangOnIsNotNewForWhatReachesThem() throws SQLException {
        String part = table("oldpart", "id int, c int", "SELECT g, g FROM generate_series(1, 50) g");
        String child = table("oldkid", "id int, c int", "SELECT g, g FROM generate_series(1, 50) g");
        String ref = table("oldref", "id int, pid int", "SELECT g, g FROM generate_series(1, 50) g");
        String child2 = table("oldkid2", "id int, c int", "SELECT g, g FROM generate_series(1, 50) g");
        String oldSeq = p + "_oldseq";
        exec(admin, "CREATE SEQUENCE " + oldSeq);
        afterwards("DROP SEQUENCE IF EXISTS " + oldSeq);
        String parted = p + "_np";
        String parent = p + "_ni";
        String referenced = p + "_nr";
        String fresh = p + "_nf";
        afterwards("DROP TABLE IF EXISTS " + parted + ", " + parent + ", " + referenced + ", " + fresh + ", " + fresh
                + "_s, " + fresh + "_k, " + fresh + "_b CASCADE");
        try (Connection guarded = guarded()) {
            assertBlocked(
                    guarded,
                    "CREATE TABLE " + parted + " (id int, c int) PARTITION BY RANGE (id); ALTER TABLE " + parted
                            + " ATTACH PARTITION " + part + " FOR VALUES FROM (0) TO (1000); DROP TABLE " + parted,
                    "drop-table");
            exec(guarded, "CREATE TABLE " + parent + " (id int, c int)");
            exec(guarded, "ALTER TABLE " + child + " INHERIT " + parent);
            assertBlocked(guarded, "TRUNCATE " + parent, "truncate-table");
            exec(guarded, "CREATE TABLE " + referenced + " (id int PRIMARY KEY)");
            exec(guarded, "INSERT INTO " + referenced + " SELECT g FROM generate_series(1, 50) g");
            exec(
                    guarded,
                    "ALTER TABLE " + ref + " ADD CONSTRAINT " + ref + "_fk FOREIGN KEY (pid) REFERENCES " + referenced
                            + " (id) NOT VALID");
            assertBlocked(guarded, "TRUNCATE " + referenced + " CASCADE", "truncate-table");
            // a sequence of the run's own serial goes with its table; an old one given to it (OWNED BY) does not
            // (a fourth round's DROP TABLE took an old invoice counter with it)
            exec(guarded, "CREATE TABLE " + fresh + "_s (id int)");
            exec(guarded, "ALTER SEQUENCE " + oldSeq + " OWNED BY " + fresh + "_s.id");
            assertBlocked(guarded, "DROP TABLE " + fresh + "_s", "drop-table");
            exec(guarded, "ALTER SEQUENCE " + oldSeq + " OWNED BY NONE");
            exec(guarded, "CREATE TABLE " + fresh + "_k (id serial PRIMARY KEY)");
            exec(guarded, "DROP TABLE " + fresh + "_k");
            // a new lookup table an old table references keeps its exemptions for what does not reach the old one
            exec(guarded, "ALTER TABLE " + referenced + " ADD COLUMN label text");
            exec(guarded, "ALTER TABLE " + referenced + " DROP COLUMN label");
            // … and in a batch, an old table hung on a table an earlier entry created ends its exemption
            try (java.sql.Statement batch = guarded.createStatement()) {
                batch.addBatch("CREATE TABLE " + fresh + "_b (id int, c int)");
                batch.addBatch("ALTER TABLE " + child2 + " INHERIT " + fresh + "_b");
                assertThatThrownBy(() -> batch.addBatch("TRUNCATE " + fresh + "_b"))
                        .isInstanceOf(BlockedStatementException.class)
                        .hasMessageContaining("truncate-table");
                batch.clearBatch();
            }
            exec(guarded, "CREATE TABLE " + fresh + " (id int, c int) PARTITION BY RANGE (id)");
            exec(guarded, "CREATE TABLE " + fresh + "_1 PARTITION OF " + fresh + " FOR VALUES FROM (0) TO (10)");
            exec(guarded, "CREATE INDEX " + fresh + "_c ON " + fresh + " (c)");
            exec(guarded, "DROP TABLE " + fresh);
        }
        assertThat(count(part)).isEqualTo(50);
        assertThat(count(child)).isEqualTo(50);
        assertThat(count(ref)).isEqualTo(50);
        assertThat(count(child2)).isEqualTo(50);
        assertThat(intQuery(admin, "SELECT count(*) FROM pg_class WHERE relname = '" + oldSeq + "'"))
                .isEqualTo(1);
    }

    /**
     * A table of the run dropped by a batch is no longer the run's: an outside tester's find, measured here first: the
     * batch left it recorded, and a later DROP TABLE of its name, which then found another schema's table, was
     * allowed and dropped it.
     */
    @Test
    void aTableOfTheRunDroppedByABatchIsNoLongerTheRuns() throws SQLException {
        String t = p + "_bd";
        String victim = victimSchemaWith("_victim2", t);
        try (Connection guarded = guarded();
                Statement st = guarded.createStatement()) {
            st.execute("CREATE TABLE " + t + " (id int)");
            st.addBatch("DROP TABLE " + t);
            st.executeBatch();
            st.execute("SET search_path TO public, " + victim);
            assertBlocked(guarded, "DROP TABLE " + t, "drop-table");
            st.execute("RESET search_path");
        }
        assertThat(count(victim + "." + t)).isEqualTo(1);
    }

    /**
     * A batch runs its entries only at executeBatch: an entry after a SET search_path is judged as after a schema
     * move, as within one string (an outside tester's batch [SET search_path TO victim; DROP TABLE IF EXISTS t]
     * dropped victim.t, judged absent from public).
     */
    @Test
    void aBatchEntryAfterASearchPathChangeIsNotExempt() throws SQLException {
        String t = p + "_bt";
        String victim = victimSchemaWith("_victim", t);
        try (Connection guarded = guarded();
                Statement st = guarded.createStatement()) {
            st.execute("CREATE TABLE " + t + " (id int)"); // public's, this run's
            log.clear();
            st.addBatch("SET search_path TO " + victim);
            assertThatThrownBy(() -> st.addBatch("DROP TABLE IF EXISTS " + t))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("drop-table");
            st.clearBatch();
            assertThat(onlyAudit().get("note").asText()).contains("may change the schema its names resolve in");

            // a batch with no such entry keeps the exemption: the run's own table goes
            st.addBatch("INSERT INTO " + t + " VALUES (1)");
            st.addBatch("DROP TABLE " + t);
            st.executeBatch();
            assertThat(onlyAudit().get("decision").asText()).isEqualTo("allowed");

            // a table an earlier entry of the batch creates is the run's for the entries after it (an outside
            // tester's CREATE TABLE then DROP TABLE in one batch was blocked), when the name found nothing before
            log.clear();
            st.addBatch("CREATE TABLE " + t + " (id int)");
            st.addBatch("CREATE INDEX " + t + "_i ON " + t + " (id)");
            st.addBatch("DROP TABLE " + t);
            st.executeBatch();
            assertThat(log.audit()).extracting(r -> r.get("decision").asText()).containsOnly("allowed");
            // where it finds a table (the victim's, later on the path), a failed CREATE would leave the DROP that one
            st.execute("SET search_path TO public, " + victim);
            st.addBatch("CREATE TABLE " + t + " (id int)");
            assertThatThrownBy(() -> st.addBatch("DROP TABLE " + t))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("drop-table");
            st.clearBatch();
            st.execute("RESET search_path");
        }
        assertThat(count(victim + "." + t)).isEqualTo(1);
    }

    /**
     * Prepared DDL is judged again when it runs: the schema moved since it was prepared (setSchema), so the table of
     * this run it was exempt for is not the one the name finds now; and a table filled since is not empty any more
     * (an outside tester's finds: another schema's table dropped, a full table rewritten).
     */
    @Test
    void preparedDdlIsJudgedAgainWhenItRuns() throws SQLException {
        String t = p + "_pt";
        String victim = victimSchemaWith("_pv", t);
        String big = table("pbig", "id int, a int", null);
        try (Connection guarded = guarded()) {
            exec(guarded, "CREATE TABLE " + t + " (id int)");
            log.clear();
            PreparedStatement drop = guarded.prepareStatement("DROP TABLE " + t); // exempt now: the run's table
            // a plain build on the run's table now; on another schema's table, a rewrite a prepared statement cannot
            // send
            PreparedStatement index = guarded.prepareStatement("CREATE INDEX " + t + "_i ON " + t + " (id)");
            PreparedStatement widen = guarded.prepareStatement("ALTER TABLE " + big + " ALTER COLUMN a TYPE bigint");
            exec(admin, "INSERT INTO " + big + " SELECT g, g FROM generate_series(1, 1000) g", "ANALYZE " + big);
            guarded.setSchema(victim);
            assertThatThrownBy(drop::execute)
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("drop-table");
            assertBlockedRecord(onlyAudit(), "drop-table");
            assertThatThrownBy(index::execute)
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("require-concurrent-index")
                    .hasMessageContaining("prepare it again");
            assertBlockedRecord(onlyAudit(), "require-concurrent-index");
            guarded.setSchema("public");
            long file = relfilenode(big);
            assertThatThrownBy(widen::execute)
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("change-column-type");
            assertBlockedRecord(onlyAudit(), "change-column-type");
            assertThat(relfilenode(big)).as("not rewritten").isEqualTo(file);
            drop.execute(); // back in public, the run's own table: exempt again, and dropped
            assertThat(onlyAudit().get("decision").asText()).isEqualTo("allowed");
        }
        assertThat(count(victim + "." + t)).isEqualTo(1);
    }

    /**
     * The driver's metadata, unwrapped, leads to the driver's connection, where SQL runs unseen: the session's schema
     * is asked again from then on, as after the connection's own unwrap (the metadata route kept the cached one).
     */
    @Test
    void aSearchPathSetThroughTheUnwrappedMetadataEndsTheExemption() throws SQLException {
        String t = p + "_mt";
        String victim = victimSchemaWith("_mv", t);
        try (Connection guarded = guarded()) {
            exec(guarded, "CREATE TABLE " + t + " (id int)");
            Connection driver = guarded.getMetaData()
                    .unwrap(org.postgresql.jdbc.PgDatabaseMetaData.class)
                    .getConnection();
            exec(driver, "SET search_path TO " + victim);
            assertBlocked(guarded, "DROP TABLE " + t, "drop-table");
        }
        assertThat(count(victim + "." + t)).isEqualTo(1);
    }

    /**
     * A schema of its own holding a one-row table of the given name, dropped afterwards (and the run's table of that
     * name in public): what a name the run created must not find by mistake.
     */
    private String victimSchemaWith(String suffix, String table) throws SQLException {
        String victim = p + suffix;
        exec(admin, "CREATE SCHEMA " + victim, "CREATE TABLE " + victim + "." + table + " AS SELECT 1 AS id");
        afterwards("DROP SCHEMA IF EXISTS " + victim + " CASCADE");
        afterwards("DROP TABLE IF EXISTS " + table);
        return victim;
    }

    /**
     * An inheritance parent with no row of its own is not empty to a statement that recurses to its children: a type
     * change of the parent rewrote the full child under ACCESS EXCLUSIVE, excused as "holds no rows" (an outside
     * tester's find). Its size is unknown, so ddlguard.small-table does not soften the block either.
     */
    @Test
    void anEmptyInheritanceParentOfAFullChildIsNotEmpty() throws SQLException {
        String parent = p + "_ipar";
        String child = p + "_ikid";
        exec(
                admin,
                "CREATE TABLE " + parent + " (id int, v int)",
                "CREATE TABLE " + child + " () INHERITS (" + parent + ")",
                "INSERT INTO " + child + " SELECT g, g FROM generate_series(1, 20000) g",
                "ANALYZE " + child);
        afterwards("DROP TABLE IF EXISTS " + parent); // last in, first out: the child first
        afterwards("DROP TABLE IF EXISTS " + child);
        long before = longQuery(admin, "SELECT pg_relation_filenode('" + child + "')");
        try (Connection guarded = guarded("ddlguard.small-table", "10MB")) {
            assertBlocked(guarded, "ALTER TABLE " + parent + " ALTER COLUMN v TYPE bigint", "change-column-type");
        }
        assertThat(longQuery(admin, "SELECT pg_relation_filenode('" + child + "')"))
                .as("the child was not rewritten")
                .isEqualTo(before);
    }

    /**
     * A view or sequence this run created can be renamed (and keeps being the run's under its new name), while an
     * existing sequence's rename is blocked: code that names it in nextval('…') or a sequence generator fails. Both
     * were wrong before (outside tester's finds).
     */
    @Test
    void theRunsViewsAndSequencesRenameFreelyAndAnExistingSequenceDoesNot() throws SQLException {
        String old = p + "_old_seq";
        exec(admin, "CREATE SEQUENCE " + old);
        afterwards("DROP SEQUENCE IF EXISTS " + old);
        String seq = p + "_seq";
        String view = p + "_v";
        afterwards("DROP SEQUENCE IF EXISTS " + seq + "2");
        afterwards("DROP VIEW IF EXISTS " + view + "2");
        try (Connection guarded = guarded()) {
            assertBlocked(guarded, "ALTER SEQUENCE " + old + " RENAME TO " + old + "2", "rename-relation");
            log.clear();
            exec(
                    guarded,
                    "CREATE SEQUENCE " + seq,
                    "ALTER SEQUENCE " + seq + " RENAME TO " + seq + "2",
                    "DROP SEQUENCE " + seq + "2",
                    "CREATE VIEW " + view + " AS SELECT 1 AS a",
                    "ALTER VIEW " + view + " RENAME COLUMN a TO b",
                    "ALTER VIEW " + view + " RENAME TO " + view + "2",
                    "DROP VIEW " + view + "2");
            assertThat(log.audit())
                    .hasSize(7)
                    .allSatisfy(r -> assertThat(r.get("decision").asText())
                            .as(r.toString())
                            .isEqualTo("allowed"));
        }
        assertThat(longQuery(admin, "SELECT nextval('" + old + "')")).isEqualTo(1);
    }
    /**
     * A schema this run created plainly may be dropped without CASCADE (the server refuses a schema that is not
     * empty); with CASCADE only while nothing is in it; one created with IF NOT EXISTS is judged as any.
     */
    @Test
    void aSchemaOfThisRunMayBeDroppedWhenNothingGoesWithIt() throws SQLException {
        String stage = p + "_stage";
        String maybe = p + "_stage2";
        afterwards("DROP SCHEMA IF EXISTS " + stage + " CASCADE");
        afterwards("DROP SCHEMA IF EXISTS " + maybe + " CASCADE");
        exec(admin, "CREATE SCHEMA " + maybe);
        try (Connection guarded = guarded()) {
            exec(guarded, "CREATE SCHEMA " + stage);
            exec(guarded, "CREATE SCHEMA IF NOT EXISTS " + maybe);
            exec(admin, "CREATE TABLE " + stage + ".t (id int)");
            assertBlocked(guarded, "DROP SCHEMA " + stage + " CASCADE", "drop-schema");
            assertThat(stringQuery(admin, "SELECT to_regclass('" + stage + ".t') IS NOT NULL"))
                    .isEqualTo("t");
            exec(admin, "DROP TABLE " + stage + ".t");
            log.clear();
            exec(guarded, "DROP SCHEMA " + stage);
            assertThat(hasRule(onlyAudit(), "drop-schema")).isFalse();
            assertBlocked(guarded, "DROP SCHEMA " + maybe, "drop-schema");
        }
    }

    /**
     * The run's record and the string's follow the table, not its name: once the run's t is dropped or moved to
     * another schema, t finds the deployed table of the next schema of the search path (a review's finds). And after
     * a SET search_path in one string, a harm the live catalog shows is still judged (it was judged without it).
     */
    @Test
    void aNameTheRunsTableLeftFindsTheDeployedTableAgain() throws SQLException {
        String first = p + "_first";
        String other = p + "_other";
        exec(admin, "CREATE SCHEMA " + first, "CREATE SCHEMA " + other);
        afterwards("DROP SCHEMA IF EXISTS " + first + " CASCADE");
        afterwards("DROP SCHEMA IF EXISTS " + other + " CASCADE");
        String t = table("dep", "id serial PRIMARY KEY", "SELECT g FROM generate_series(1, 5) g");
        try (Connection guarded = guarded()) {
            exec(guarded, "SET search_path = " + first + ", public");
            exec(guarded, "CREATE TABLE " + t + " (id int)"); // first.t, hiding public.t
            exec(guarded, "ALTER TABLE " + t + " SET SCHEMA " + other);
            assertBlocked(guarded, "DROP TABLE " + t, "drop-table"); // public.t now
            assertBlocked(
                    guarded, "CREATE TABLE " + t + " (id int); DROP TABLE " + t + "; DROP TABLE " + t, "drop-table");
            exec(guarded, "RESET search_path");
            assertBlocked(
                    guarded,
                    "SET search_path = public; ALTER TABLE " + t + " ALTER COLUMN id DROP DEFAULT",
                    "drop-identity");
        }
        assertThat(count(t)).isEqualTo(5);
        assertThat(stringQuery(
                        admin,
                        "SELECT column_default FROM information_schema.columns WHERE table_schema = 'public'"
                                + " AND table_name = '" + t + "' AND column_name = 'id'"))
                .startsWith("nextval(");
    }

    /**
     * CREATE TABLE IF NOT EXISTS of a table that is there is not the run's, whether or not the server's notice
     * arrives: with client_min_messages = warning (a pg_dump header line) it does not, and the deployed table was then
     * dropped as the run's own (an outside tester's find).
     */
    @Test
    void createIfNotExistsOfAnExistingTableIsNotTheRunsWithoutItsNotice() throws SQLException {
        String nums = table("nums", "id int", "SELECT g FROM generate_series(1, 10) g");
        try (Connection guarded = guarded()) {
            exec(guarded, "SET client_min_messages = warning");
            exec(guarded, "CREATE TABLE IF NOT EXISTS " + nums + " (id int)");
            assertBlocked(guarded, "DROP TABLE " + nums, "drop-table");
            exec(guarded, "RESET client_min_messages");
        }
        assertThat(count(nums)).isEqualTo(10);
    }

    /**
     * A query can move the search path too: CREATE TABLE … AS SELECT set_config(…) between two statements (the next
     * CREATE was recorded in the wrong schema), and in one string a SELECT whose SQL runs set_config, or a
     * Unicode-escaped name of it (outside tester's finds).
     */
    @Test
    void aQueryThatMovesTheSearchPathEndsTheExemptionOfTheNamesAfterIt() throws SQLException {
        String logs = table("qlogs", "id int", "SELECT g FROM generate_series(1, 7) g");
        String s2 = schema("q2");
        try (Connection guarded = guarded()) {
            exec(guarded, "CREATE TABLE " + p + "_zz AS SELECT set_config('search_path', '" + s2 + "', false) AS x");
            afterwards("DROP TABLE IF EXISTS " + p + "_zz");
            exec(guarded, "CREATE TABLE " + logs + " (id int)"); // s2's
            exec(guarded, "SET search_path = public");
            assertBlocked(guarded, "DROP TABLE " + logs, "drop-table"); // public's
            exec(guarded, "SET search_path = " + s2 + ", public");
            assertBlocked(
                    guarded,
                    "CREATE TABLE " + logs + "_b (id int); SELECT query_to_xml('select set_config(''search_path'', "
                            + "''public'', false)', false, false, ''); DROP TABLE " + logs + "_b",
                    "drop-table");
            assertBlocked(
                    guarded,
                    "CREATE TABLE " + logs
                            + "_c (id int); SELECT U&\"set\\005fconfig\"('search_path', 'public', false); "
                            + "DROP TABLE " + logs + "_c",
                    "drop-table");
            exec(guarded, "RESET search_path");
        }
        assertThat(count(logs)).isEqualTo(7);
    }
}
