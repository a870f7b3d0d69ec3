package dev.ddlguard.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.support.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Statements that reached MariaDB with no verdict, on the real server: what each does raw (the queue behind FLUSH
 * TABLES t and REPAIR TABLE, the statement SET STATEMENT sql_log_bin = 0 runs, the plan an IGNORED index loses), then
 * the guard's verdict. BACKUP STAGE BLOCK_COMMIT is not run raw here: it would hold every commit of the shared server.
 */
class MariaDbTableCacheTest extends MariaDbRulesTestBase {

    /** A query on the table that runs for {@code seconds}, on a connection of its own. */
    private static CompletableFuture<Void> longQuery(Connection c, String table, int seconds) {
        return async(c, "SELECT SLEEP(" + seconds + ") FROM " + table + " LIMIT 1");
    }

    /** A two-second query of the table, returned once the server runs it: what the statement under test waits for. */
    private CompletableFuture<Void> runningLongQuery(Connection reader, String t) throws SQLException {
        CompletableFuture<Void> running = longQuery(reader, t, 2);
        await(
                "the long query to run",
                2,
                () -> !"0"
                        .equals(
                                stringQuery(
                                        admin,
                                        "SELECT count(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP(2)%'")));
        return running;
    }

    private void awaitState(String statementStart, String state) throws SQLException {
        await(
                statementStart + " to be in state " + state,
                2,
                () -> "1"
                        .equals(stringQuery(
                                admin,
                                "SELECT count(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE '" + statementStart
                                        + "%' AND STATE = '" + state + "'")));
    }

    @Test
    void flushTablesOfATableQueuesTheNextQueryBehindTheRunningOneAndIsWarned() throws Exception {
        String t = table("flt", "(id int PRIMARY KEY)", "INSERT INTO {t} VALUES (1)");
        try (Connection reader = TestDatabases.mariadb();
                Connection flusher = TestDatabases.mariadb();
                Connection next = TestDatabases.mariadb()) {
            CompletableFuture<Void> running = runningLongQuery(reader, t);
            CompletableFuture<Void> flush = async(flusher, "FLUSH TABLES " + t);
            awaitState("FLUSH TABLES " + t, "Waiting for table metadata lock");
            long start = System.nanoTime();
            assertThat(intQuery(next, "SELECT count(*) FROM " + t)).isEqualTo(1);
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(waitedMs).as("a plain SELECT queued behind FLUSH TABLES").isGreaterThan(500);
            flush.get(10, TimeUnit.SECONDS);
            running.get(10, TimeUnit.SECONDS);
        }
        try (Connection g = guarded()) {
            exec(g, "FLUSH TABLES " + t);
        }
        JsonNode r = onlyAudit();
        assertThat(r.get("decision").asText()).isEqualTo("warned");
        assertThat(rule(r, "flush-tables").get("action").asText()).isEqualTo("warn");
        try (Connection g = guarded()) {
            exec(g, "FLUSH PRIVILEGES"); // reloads the grant tables, closes no table: not DDL
        }
        assertThat(log.audit()).isEmpty();
    }

    @Test
    void repairTableWaitsForAnExclusiveMetadataLockEvenOnInnoDbAndIsBlocked() throws Exception {
        String t = table("rpt", "(id int PRIMARY KEY) ENGINE=InnoDB", "INSERT INTO {t} VALUES (1)");
        try (Connection reader = TestDatabases.mariadb();
                Connection repairer = TestDatabases.mariadb()) {
            CompletableFuture<Void> running = runningLongQuery(reader, t);
            CompletableFuture<Void> repair = async(repairer, "REPAIR TABLE " + t);
            awaitState("REPAIR TABLE " + t, "Waiting for table metadata lock");
            repair.get(10, TimeUnit.SECONDS);
            running.get(10, TimeUnit.SECONDS);
        }
        try (Connection g = guarded()) {
            assertBlocked(g, "REPAIR TABLE " + t, "repair-table", "ALTER TABLE t FORCE, ALGORITHM=INPLACE, LOCK=NONE");
        }
        assertBlockedRecord(onlyAudit(), "repair-table");
    }

    /**
     * OPTIMIZE TABLE of a MyISAM table waits for a running read, and a plain read sent after it queues behind it (both
     * "Waiting for table level lock": it takes the table's write lock to rebuild it; an outside tester measured reads
     * waiting 1.1 s on a large table):
     * locked-maintenance blocks it and ENABLE KEYS, with the engine from the live catalog. InnoDB's OPTIMIZE passes.
     */
    @Test
    void optimizingAMyIsamTableQueuesReadsBehindItAndIsBlocked() throws Exception {
        String t = table(
                "myi", "(id int PRIMARY KEY, v int, KEY (v)) ENGINE=MyISAM", "INSERT INTO {t} VALUES (1, 1), (2, 2)");
        try (Connection reader = TestDatabases.mariadb();
                Connection optimizer = TestDatabases.mariadb();
                Connection next = TestDatabases.mariadb()) {
            CompletableFuture<Void> running = runningLongQuery(reader, t);
            CompletableFuture<Void> optimize = async(optimizer, "OPTIMIZE TABLE " + t);
            awaitState("OPTIMIZE TABLE " + t, "Waiting for table level lock");
            CompletableFuture<Void> read = async(next, "SELECT count(*) FROM " + t + " WHERE v > 0");
            awaitState("SELECT count(*) FROM " + t, "Waiting for table level lock");
            running.get(10, TimeUnit.SECONDS);
            optimize.get(10, TimeUnit.SECONDS);
            read.get(10, TimeUnit.SECONDS);
        }
        String innodb = table("inn", "(id int PRIMARY KEY) ENGINE=InnoDB", "INSERT INTO {t} VALUES (1)");
        try (Connection g = guarded()) {
            assertBlocked(g, "OPTIMIZE TABLE " + t, "locked-maintenance");
            assertBlockedRecord(onlyAudit(), "locked-maintenance");
            assertBlocked(g, "ALTER TABLE " + t + " ENABLE KEYS", "locked-maintenance");
            assertBlockedRecord(onlyAudit(), "locked-maintenance");
            exec(g, "OPTIMIZE TABLE " + innodb);
            assertThat(hasRule(onlyAudit(), "locked-maintenance")).isFalse();
        }
    }

    /** MariaDB 10.11 accepts sql_log_bin in SET STATEMENT: the statement after FOR runs without the binary log. */
    @Test
    void setStatementWithoutTheBinaryLogRunsRawAndIsBlocked() throws SQLException {
        String raw = p + "_nbr";
        afterwards("DROP TABLE IF EXISTS " + raw);
        exec(admin, "SET STATEMENT sql_log_bin = 0 FOR CREATE TABLE " + raw + " (id int)");
        assertThat(tableExists(raw)).isTrue();

        String guardedName = p + "_nbg";
        afterwards("DROP TABLE IF EXISTS " + guardedName);
        try (Connection g = guarded()) {
            assertBlocked(
                    g, "SET STATEMENT sql_log_bin = 0 FOR CREATE TABLE " + guardedName + " (id int)", "skip-binlog");
            assertBlockedRecord(onlyAudit(), "skip-binlog");
            assertBlocked(g, "SET skip_replication = 1", "skip-binlog");
            assertBlockedRecord(onlyAudit(), "skip-binlog");
            assertThat(intQuery(g, "SELECT @@session.skip_replication")).isZero();
            exec(g, "SET STATEMENT max_statement_time = 10 FOR CREATE TABLE " + guardedName + " (id int)");
        }
        assertThat(onlyAudit().get("decision").asText()).isEqualTo("allowed");
        assertThat(tableExists(guardedName)).isTrue();
    }

    @Test
    void anIgnoredIndexLeavesThePlanAtOnceAndIsWarned() throws SQLException {
        String t = table(
                "hix",
                "(id int PRIMARY KEY, a int, KEY i_a (a))",
                "INSERT INTO {t} SELECT seq, seq FROM seq_1_to_2000");
        String explain = "EXPLAIN SELECT * FROM " + t + " WHERE a = 5";
        assertThat(stringQuery(admin, explain.replace("EXPLAIN", "EXPLAIN FORMAT=JSON")))
                .contains("\"i_a\"");
        exec(admin, "ALTER TABLE " + t + " ALTER INDEX i_a IGNORED");
        assertThat(stringQuery(admin, explain.replace("EXPLAIN", "EXPLAIN FORMAT=JSON")))
                .doesNotContain("\"i_a\"")
                .contains("\"access_type\": \"ALL\"");
        exec(admin, "ALTER TABLE " + t + " ALTER INDEX i_a NOT IGNORED");

        try (Connection g = guarded()) {
            exec(g, "ALTER TABLE " + t + " ALTER INDEX i_a IGNORED");
        }
        JsonNode r = onlyAudit();
        assertThat(rule(r, "hide-index").get("action").asText()).isEqualTo("warn");
        assertThat(r.get("outcome").asText()).isEqualTo("ok");
        try (Connection g = guarded()) {
            exec(g, "ALTER TABLE " + t + " ALTER KEY i_a NOT IGNORED"); // the undo: not read as a column's type change
        }
        JsonNode undo = onlyAudit();
        assertThat(undo.get("decision").asText()).isIn("allowed", "rewritten");
        assertThat(hasRule(undo, "hide-index")).isFalse();
        assertThat(hasRule(undo, "no-online-ddl-path")).isFalse();
    }

    /** Only the guarded side: BLOCK_COMMIT would hold every commit of the shared server. */
    @Test
    void backupStageBlockCommitIsBlockedAndTheEarlierStagesPass() throws SQLException {
        try (Connection g = guarded()) {
            try {
                exec(g, "BACKUP STAGE START");
                assertBlocked(g, "BACKUP STAGE BLOCK_COMMIT", "explicit-lock");
                assertBlockedRecord(log.audit().get(log.audit().size() - 1), "explicit-lock");
            } finally {
                exec(g, "BACKUP STAGE END");
            }
        }
    }
}
