package dev.ddlguard.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.LockTimeoutException;
import dev.ddlguard.support.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The MariaDB rules that are about locks rather than algorithms, on a real server: partitioning
 * changes, a hand-written blocking ALGORITHM/LOCK (blocked above ddlguard.small-table, a warning
 * under it), the metadata-lock queue with lock_wait_timeout, and the audit note of a statement the
 * server executed by copying the table.
 */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class MariaDbRulesLocksTest extends MariaDbRulesTestBase {

    static final String PARTITIONED = "(id INT PRIMARY KEY, a INT) ENGINE=InnoDB PARTITION BY RANGE (id)"
            + " (PARTITION p0 VALUES LESS THAN (10), PARTITION p1 VALUES LESS THAN MAXVALUE)";
    static final String PARTITIONED_ROWS = "INSERT INTO {t} VALUES (1, 1), (11, 11), (12, 12)";
    static final String PLAIN =
            "(id INT PRIMARY KEY, a INT, b INT, v VARCHAR(40)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";

    private int partitions(String table) throws SQLException {
        return intQuery(
                admin,
                "SELECT COUNT(PARTITION_NAME) FROM information_schema.PARTITIONS"
                        + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '" + table + "'");
    }

    @Test
    void partitioningChangesAreBlockedWhateverClauseTheyCarry() throws SQLException {
        String plain = table("plain", PLAIN, "INSERT INTO {t} VALUES (1, 1, 1, 'a'), (11, 11, 11, 'b')");
        String parted = table("parted", PARTITIONED, PARTITIONED_ROWS);
        String plainBefore = showCreate(plain);
        String partedBefore = showCreate(parted);
        List<String> statements = List.of(
                "ALTER TABLE " + plain + " PARTITION BY HASH (id) PARTITIONS 4",
                "ALTER TABLE " + parted + " REMOVE PARTITIONING",
                // MariaDB accepts INSTANT here and copies every row anyway (shown below): no safety net.
                "ALTER TABLE " + parted + " ALGORITHM=INSTANT REMOVE PARTITIONING",
                "ALTER TABLE " + parted + " ALGORITHM=NOCOPY PARTITION BY HASH (id) PARTITIONS 2");
        try (Connection g = guarded()) {
            for (String sql : statements) {
                String message = assertBlocked(g, sql, "partitioning-change");
                assertThat(message)
                        .contains(
                                "changes the partitioning of",
                                "build the partitioned table beside the old one",
                                "gh-ost",
                                "pt-online-schema-change");
                assertBlockedRecord(onlyAudit(), "partitioning-change");
            }
            String both = assertBlocked(
                    g,
                    "ALTER TABLE " + parted + " ALGORITHM=COPY, LOCK=SHARED PARTITION BY HASH (id) PARTITIONS 2",
                    "partitioning-change");
            assertThat(both).contains("[explicit-blocking-algorithm]");
            onlyAudit();
        }
        assertThat(showCreate(plain)).isEqualTo(plainBefore);
        assertThat(showCreate(parted)).isEqualTo(partedBefore);
        assertThat(partitions(plain)).isZero();
        assertThat(partitions(parted)).isEqualTo(2);

        // Why the clause is no safety net: the server takes ALGORITHM=INSTANT and copies every row.
        String scratch = table("scratch", PARTITIONED, PARTITIONED_ROWS);
        assertThat(update(admin, "ALTER TABLE " + scratch + " ALGORITHM=INSTANT REMOVE PARTITIONING"))
                .as("rows copied")
                .isEqualTo(3);
        assertThat(partitions(scratch)).isZero();
    }

    @Test
    void anExplicitBlockingClauseIsBlockedAboveSmallTableAndWarnedUnderIt() throws SQLException {
        String t = table("big", PLAIN, "INSERT INTO {t} SELECT seq, seq, seq, CONCAT('row ', seq) FROM seq_1_to_2000");
        long bytes = bytes(t);
        assertThat(bytes).as("table size").isGreaterThan(64 * 1024);
        String before = showCreate(t);
        List<String[]> statements = List.of(
                new String[] {
                    "ALTER TABLE " + t + " ADD INDEX i_a (a), ALGORITHM=COPY", "asks for ALGORITHM=COPY", "writes"
                },
                new String[] {"ALTER TABLE " + t + " ADD COLUMN c INT, LOCK=SHARED", "asks for LOCK=SHARED", "writes"},
                new String[] {
                    "ALTER TABLE " + t + " ADD COLUMN d INT, ALGORITHM=COPY, LOCK=EXCLUSIVE",
                    "asks for ALGORITHM=COPY and LOCK=EXCLUSIVE",
                    "reads"
                });

        try (Connection g = guarded("ddlguard.small-table", (bytes / 2 / 1024) + "kB")) {
            for (String[] s : statements) {
                String message = assertBlocked(g, s[0], "explicit-blocking-algorithm");
                assertThat(message).contains(s[1], "drop the clause and let ddlguard name the online one");
                JsonNode r = onlyAudit();
                assertBlockedRecord(r, "explicit-blocking-algorithm");
                assertThat(blocks(r.get("lock")))
                        .as("lock as written: %s", r.get("lock"))
                        .contains(s[2]);
                assertThat(r.get("lock").get("bytes").asLong()).isEqualTo(bytes);
            }
        }
        assertThat(showCreate(t)).isEqualTo(before);

        try (Connection g = guarded("ddlguard.small-table", (bytes * 4 / 1024) + "kB")) {
            for (String[] s : statements) {
                exec(g, s[0]);
                assertThat(log.warnings())
                        .anySatisfy(w -> assertThat(w).contains("[explicit-blocking-algorithm]", "small-table"));
                JsonNode r = onlyAudit();
                assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("warned");
                assertThat(rule(r, "explicit-blocking-algorithm").get("action").asText())
                        .isEqualTo("warn");
                assertThat(rule(r, "explicit-blocking-algorithm").get("message").asText())
                        .contains(s[1], "warning only: the table is under ddlguard.small-table");
                assertThat(r.get("executed_sql").asText()).as("sent as written").isEqualTo(s[0]);
                assertThat(r.get("outcome").asText()).isEqualTo("ok");
                if (s[0].contains("COPY")) {
                    assertThat(r.get("note").asText()).isEqualTo("the server copied the table (2000 rows affected)");
                }
            }
        }
        assertThat(indexes(t)).isEqualTo("i_a (a), PRIMARY unique (id)");
        assertThat(columns(t)).endsWith("v varchar(40), c int(11), d int(11)");
        assertThat(count(t)).isEqualTo(2000);
    }

    @Test
    void aQueuedAlterGivesUpAfterTheLockTimeoutNamingTheHolder() throws SQLException {
        String t = table("queued", PLAIN, "INSERT INTO {t} VALUES (1, 1, 1, 'a'), (2, 2, 2, 'b')");
        String before = columns(t);
        AtomicLong warnedAt = new AtomicLong();
        log.onEvent(e -> {
            if (e.getLevel() == Level.WARN && e.getFormattedMessage().contains("[lock-queue]")) {
                warnedAt.compareAndSet(0, System.nanoTime());
            }
        });
        try (Connection holder = TestDatabases.mariadb();
                Connection g = guarded("ddlguard.lock-timeout", "1s", "ddlguard.lock-timeout.retries", "0")) {
            int holderId = intQuery(holder, "SELECT CONNECTION_ID()");
            String timeoutBefore = stringQuery(g, "SELECT @@SESSION.lock_wait_timeout");
            holder.setAutoCommit(false);
            exec(holder, "SELECT COUNT(*) FROM " + t); // the open transaction keeps a shared metadata lock on t
            awaitInInnoDbTrx(holderId);

            long start = System.nanoTime();
            LockTimeoutException[] caught = new LockTimeoutException[1];
            assertThatThrownBy(() -> exec(g, "ALTER TABLE " + t + " ADD COLUMN c INT"))
                    .isInstanceOf(LockTimeoutException.class)
                    .satisfies(e -> caught[0] = (LockTimeoutException) e);
            long failedAt = System.nanoTime();
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(failedAt - start);
            System.out.printf(
                    "lock wait: gave up after %d ms (lock-timeout 1s); lock-queue warned %d ms after the call%n",
                    elapsedMs, TimeUnit.NANOSECONDS.toMillis(warnedAt.get() - start));

            LockTimeoutException e = caught[0];
            assertThat(e.getErrorCode()).isEqualTo(1205);
            assertThat(e.attempts()).isEqualTo(1);
            assertThat(e.getMessage())
                    .contains(
                            "gave up waiting for its lock",
                            "after 1000 ms",
                            "once",
                            "Held by: pid " + holderId,
                            "Lock wait timeout exceeded");
            assertThat(elapsedMs).as("within the timeout plus slack").isBetween(900L, 3000L);

            assertThat(warnedAt.get()).as("lock-queue warned").isPositive();
            assertThat(TimeUnit.NANOSECONDS.toMillis(failedAt - warnedAt.get()))
                    .as("warned before waiting")
                    .isGreaterThanOrEqualTo(900L);
            assertThat(log.warnings())
                    .anySatisfy(w -> assertThat(w)
                            .contains("[lock-queue]", "pid " + holderId, "waits for the metadata lock on " + t));

            assertThat(stringQuery(g, "SELECT @@SESSION.lock_wait_timeout"))
                    .as("restored")
                    .isEqualTo(timeoutBefore);
            holder.rollback();
        }
        JsonNode r = log.onlyAudit();
        assertThat(rule(r, "lock-queue").get("action").asText()).isEqualTo("warn");
        assertThat(rule(r, "lock-queue").get("message").asText()).contains("pid ");
        assertThat(rule(r, "require-online-ddl").get("action").asText()).isEqualTo("rewrite");
        assertThat(r.get("executed_sql").asText())
                .isEqualTo("ALTER TABLE " + t + " ADD COLUMN c INT, ALGORITHM=INSTANT, LOCK=NONE");
        assertThat(r.get("outcome").asText()).isEqualTo("error");
        assertThat(r.get("attempts").asInt()).isEqualTo(1);
        assertThat(r.get("error").asText()).contains("gave up waiting");
        assertThat(columns(t)).isEqualTo(before);
    }

    /**
     * Waits until information_schema.INNODB_TRX shows the session's transaction, as the lock-queue
     * rule reads it. The server answers from a snapshot that it refreshes only when nobody has read
     * it for 100 ms (trx0i_s.cc, CACHE_MIN_IDLE_TIME_US), so polling faster would keep the stale
     * snapshot forever: the reads are 150 ms apart (a bounded spin on the clock, not a sleep).
     */
    private void awaitInInnoDbTrx(int connectionId) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (intQuery(
                        admin,
                        "SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id = "
                                + connectionId)
                == 0) {
            long next = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(150);
            if (next > deadline) {
                throw new AssertionError(
                        "connection " + connectionId + " never appeared in information_schema.INNODB_TRX");
            }
            while (System.nanoTime() < next) {
                Thread.onSpinWait();
            }
        }
    }

    @Test
    void auditModeRecordsThatTheServerCopiedTheTable() throws SQLException {
        String t = table("audited", PLAIN, "INSERT INTO {t} SELECT seq, seq, seq, 'x' FROM seq_1_to_500");
        try (Connection g = guarded("ddlguard.mode", "audit")) {
            exec(g, "ALTER TABLE " + t + " MODIFY a BIGINT");
            assertThat(log.warnings())
                    .anySatisfy(w -> assertThat(w).contains("would block (audit mode)", "[no-online-ddl-path]"));
            JsonNode r = onlyAudit();
            assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("audited");
            assertThat(r.get("enforce_decision").asText()).isEqualTo("blocked");
            assertThat(rule(r, "no-online-ddl-path").get("action").asText()).isEqualTo("block");
            assertThat(r.get("executed_sql").asText())
                    .as("sent bare")
                    .isEqualTo("ALTER TABLE " + t + " MODIFY a BIGINT");
            assertThat(r.get("outcome").asText()).isEqualTo("ok");
            assertThat(r.get("note").asText()).isEqualTo("the server copied the table (500 rows affected)");

            // An operation the server does in place leaves no such note, even sent bare.
            exec(g, "ALTER TABLE " + t + " ADD INDEX i_b (b)");
            JsonNode online = onlyAudit();
            assertThat(online.get("decision").asText()).isEqualTo("audited");
            assertThat(online.get("enforce_decision").asText()).isEqualTo("rewritten");
            assertThat(online.get("rewritten_sql").asText())
                    .isEqualTo("ALTER TABLE " + t + " ADD INDEX i_b (b), ALGORITHM=NOCOPY, LOCK=NONE");
            assertThat(online.get("executed_sql").asText()).isEqualTo("ALTER TABLE " + t + " ADD INDEX i_b (b)");
            assertThat(online.get("note").isNull())
                    .as("no copy: %s", online.get("note"))
                    .isTrue();
        }
        assertThat(columns(t)).startsWith("id int(11) not null, a bigint(20), ");
        assertThat(count(t)).isEqualTo(500);
    }
}
