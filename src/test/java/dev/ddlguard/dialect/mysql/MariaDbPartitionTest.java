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
 * exchange-partition-scan on MariaDB 10.11: what it claims (the row check of the swapped-in table makes writes to
 * both tables wait, reads go on) is proven on the raw server, and the guard blocks the statement before it is sent.
 */
class MariaDbPartitionTest extends MariaDbRulesTestBase {

    private String partitioned() throws SQLException {
        return table(
                "xpt",
                "(id int PRIMARY KEY, v int) PARTITION BY RANGE (id)"
                        + " (PARTITION p0 VALUES LESS THAN (5000000), PARTITION p1 VALUES LESS THAN MAXVALUE)",
                "INSERT INTO {t} VALUES (5000001, 1)");
    }

    @Test
    void theRowCheckOfAnExchangeMakesWritesToBothTablesWaitWhileReadsGoOn() throws Exception {
        String pt = partitioned();
        String nt =
                table("xnt", "(id int PRIMARY KEY, v int)", "INSERT INTO {t} SELECT seq, seq FROM seq_1_to_3000000");
        try (Connection ddl = TestDatabases.mariadb();
                Connection writer = TestDatabases.mariadb();
                Connection swappedWriter = TestDatabases.mariadb();
                Connection reader = TestDatabases.mariadb()) {
            long writerId = Long.parseLong(stringQuery(writer, "SELECT CONNECTION_ID()"));
            long swappedWriterId = Long.parseLong(stringQuery(swappedWriter, "SELECT CONNECTION_ID()"));
            CompletableFuture<Void> exchange =
                    async(ddl, "ALTER TABLE " + pt + " EXCHANGE PARTITION p0 WITH TABLE " + nt);
            await(
                    "the exchange to start",
                    2,
                    () -> "1"
                            .equals(stringQuery(
                                    admin,
                                    "SELECT count(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'ALTER TABLE "
                                            + pt + " EXCHANGE%'")));
            // a write to the other partition, which the exchange does not touch
            CompletableFuture<Void> write = async(writer, "UPDATE " + pt + " SET v = 2 WHERE id = 5000001");
            // and a write to the table being swapped in
            CompletableFuture<Void> swappedWrite = async(swappedWriter, "UPDATE " + nt + " SET v = 0 WHERE id = 7");
            for (long id : new long[] {writerId, swappedWriterId}) {
                await(
                        "the write to wait for the exchange",
                        2,
                        () -> "1"
                                .equals(stringQuery(
                                        admin,
                                        "SELECT count(*) FROM information_schema.PROCESSLIST WHERE ID = " + id
                                                + " AND STATE = 'Waiting for table metadata lock'")));
            }
            // reads go on meanwhile
            assertThat(intQuery(reader, "SELECT v FROM " + pt + " WHERE id = 5000001"))
                    .isEqualTo(1);
            assertThat(exchange).as("the exchange is still checking rows").isNotDone();
            exchange.get(60, TimeUnit.SECONDS);
            write.get(60, TimeUnit.SECONDS);
            swappedWrite.get(60, TimeUnit.SECONDS);
        }
        assertThat(count(pt)).isEqualTo(3_000_001);
    }

    @Test
    void theGuardBlocksAnExchangeBeforeTheServer() throws SQLException {
        String pt = partitioned();
        String nt = table("xnt", "(id int PRIMARY KEY, v int)", "INSERT INTO {t} SELECT seq, seq FROM seq_1_to_500");
        try (Connection g = guarded()) {
            String message = assertBlocked(
                    g,
                    "ALTER TABLE " + pt + " EXCHANGE PARTITION p0 WITH TABLE " + nt,
                    "exchange-partition-scan",
                    "SELECT COUNT(*) FROM " + nt + " WHERE NOT (<the partition's bounds>)",
                    "this server has no WITHOUT VALIDATION");
            assertThat(message).contains("swaps " + nt + " in for partition p0 of " + pt);
        }
        JsonNode r = onlyAudit();
        assertBlockedRecord(r, "exchange-partition-scan");
        // the lock as measured above: writes to both tables wait for the row check, reads go on
        assertThat(r.get("lock").get("mode").asText()).startsWith("SHARED_NO_WRITE");
        assertThat(blocks(r.get("lock"))).containsExactly("writes");
        assertThat(r.get("lock").get("work").asText()).isEqualTo("scan");
        assertThat(r.get("lock").get("other_tables").get(0).get("table").asText())
                .isEqualTo(nt);
        // the row check reads the swapped-in table: its 500 rows size the estimate, not the partitioned table's 1
        assertThat(r.get("lock").get("rows").asLong()).isBetween(250L, 1000L);
        assertThat(r.get("lock").get("bytes").asLong()).isEqualTo(bytes(nt));
        assertThat(count(pt)).as("nothing was swapped").isEqualTo(1);
        assertThat(count(nt)).isEqualTo(500);
    }
}
