package dev.ddlguard.dialect.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.SQLException;
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
        String scratch = p + "_s";
        exec(admin, "CREATE SCHEMA " + scratch);
        afterwards("DROP SCHEMA IF EXISTS " + scratch + " CASCADE");
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
}
