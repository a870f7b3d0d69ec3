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
 * copy-locks-source on MariaDB 10.11: under REPEATABLE READ, CREATE TABLE … SELECT keeps a shared lock on every row
 * it has copied until it commits, so a write to one of them waits for the whole copy (proven raw, with a second
 * connection); under READ COMMITTED, the guard's safe alternative, the same copy runs through the guard while the
 * write goes through at once; and the guard blocks the copy under the default before it reaches the server.
 */
class MariaDbCopyTest extends MariaDbRulesTestBase {

    /**
     * Milliseconds between polls of information_schema.INNODB_TRX: the server refreshes that table's cache only when
     * it was last read more than 100 ms ago, so faster polling reads the same stale rows forever.
     */
    private static final long INNODB_TRX_REFRESH = 150;

    private String source() throws SQLException {
        return table("cps", "(id int PRIMARY KEY, v int)", "INSERT INTO {t} SELECT seq, seq FROM seq_1_to_3000000");
    }

    private String copyName(String suffix) {
        String name = this.p + "_" + suffix;
        afterwards("DROP TABLE IF EXISTS " + name);
        return name;
    }

    @Test
    void underRepeatableReadAWriteToACopiedRowWaitsForTheWholeCopy() throws Exception {
        String src = source();
        String copy = copyName("cpraw");
        try (Connection ddl = TestDatabases.mariadb();
                Connection writer = TestDatabases.mariadb()) {
            long writerId = Long.parseLong(stringQuery(writer, "SELECT CONNECTION_ID()"));
            long copierId = Long.parseLong(stringQuery(ddl, "SELECT CONNECTION_ID()"));
            CompletableFuture<Void> copying = async(ddl, "CREATE TABLE " + copy + " AS SELECT * FROM " + src);
            // rows already copied (in key order, from id 1) and locked: the write below meets one of them
            await(
                    "the copy to lock the rows it has read",
                    INNODB_TRX_REFRESH,
                    () -> "1"
                            .equals(stringQuery(
                                    admin,
                                    "SELECT count(*) FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id = "
                                            + copierId + " AND trx_rows_locked > 1000")));
            // the first row: its shared lock is held to the end of the copy
            CompletableFuture<Void> write = async(writer, "UPDATE " + src + " SET v = 0 WHERE id = 1");
            await(
                    "the write to wait for the copy's row lock",
                    INNODB_TRX_REFRESH,
                    () -> "1"
                            .equals(stringQuery(
                                    admin,
                                    "SELECT count(*) FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id = "
                                            + writerId + " AND trx_state = 'LOCK WAIT'")));
            assertThat(copying).as("the copy is still running").isNotDone();
            copying.get(60, TimeUnit.SECONDS);
            write.get(60, TimeUnit.SECONDS);
        }
        assertThat(count(copy)).isEqualTo(3_000_000);
    }

    @Test
    void underReadCommittedTheCopyRunsThroughTheGuardAndWritesGoOn() throws Exception {
        String src = source();
        String copy = copyName("cprc");
        try (Connection g = guarded();
                Connection writer = TestDatabases.mariadb()) {
            exec(g, "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED"); // the safe alternative's first step
            CompletableFuture<Void> copying = async(g, "CREATE TABLE " + copy + " AS SELECT * FROM " + src);
            awaitRunning("CREATE TABLE " + copy);
            exec(writer, "UPDATE " + src + " SET v = 0 WHERE id = 1"); // no wait: the copy locks no row
            assertThat(copying).as("the write went through while the copy ran").isNotDone();
            copying.get(60, TimeUnit.SECONDS);
            exec(g, "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
        }
        assertThat(count(copy)).isEqualTo(3_000_000);
        JsonNode r = onlyAudit();
        assertThat(r.get("outcome").asText()).isEqualTo("ok");
        assertThat(r.get("rules").toString()).doesNotContain("copy-locks-source");
    }

    @Test
    void theGuardBlocksTheCopyUnderTheDefaultIsolationLevel() throws SQLException {
        String src = source();
        String copy = copyName("cpblocked");
        try (Connection g = guarded()) {
            String message = assertBlocked(
                    g,
                    "CREATE TABLE " + copy + " AS SELECT * FROM " + src,
                    "copy-locks-source",
                    "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED;",
                    "CREATE TABLE " + copy + " AS SELECT * FROM " + src + ";",
                    "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ;");
            assertThat(message).contains("copies the rows of " + src + " under REPEATABLE READ");
        }
        JsonNode r = onlyAudit();
        assertBlockedRecord(r, "copy-locks-source");
        // the lock recorded is on the source, sized by it: writes wait, reads go on
        assertThat(r.get("lock").get("table").asText()).isEqualTo(src);
        assertThat(blocks(r.get("lock"))).containsExactly("writes");
        assertThat(r.get("lock").get("work").asText()).isEqualTo("scan");
        assertThat(r.get("lock").get("rows").asLong()).isGreaterThan(1_000_000L);
        assertThat(stringQuery(
                        admin,
                        "SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '"
                                + copy + "'"))
                .as("nothing was created")
                .isEqualTo("0");
    }

    /** ddlguard.small-table sizes the copy by its source: a small source only warns, and the copy runs. */
    @Test
    void aCopyOfASmallTableOnlyWarnsUnderSmallTable() throws SQLException {
        String small =
                table("cpsmall", "(id int PRIMARY KEY, v int)", "INSERT INTO {t} SELECT seq, seq FROM seq_1_to_100");
        String copy = copyName("cpsmallcopy");
        try (Connection g = guarded("ddlguard.small-table", "10MB")) {
            exec(g, "CREATE TABLE " + copy + " AS SELECT * FROM " + small);
        }
        assertThat(count(copy)).isEqualTo(100);
        JsonNode r = onlyAudit();
        assertThat(r.get("decision").asText()).isEqualTo("warned");
        assertThat(rule(r, "copy-locks-source").get("message").asText())
                .contains("warning only: the table is under ddlguard.small-table");
    }

    private void awaitRunning(String start) throws SQLException {
        await(
                "the copy to start",
                2,
                () -> "1"
                        .equals(stringQuery(
                                admin,
                                "SELECT count(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE '" + start
                                        + "%'")));
    }
}
