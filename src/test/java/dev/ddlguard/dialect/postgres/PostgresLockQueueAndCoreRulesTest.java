package dev.ddlguard.dialect.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.LockTimeoutException;
import dev.ddlguard.support.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The lock-queue rule with the engine's lock_timeout on a real PostgreSQL 15 (a second session holds
 * the table; the guarded ALTER warns who holds it, gives up fast, and succeeds on a retry once the
 * holder lets go), and the dialect-independent rules of CoreRules judged on the real server.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PostgresLockQueueAndCoreRulesTest extends PgRulesTestBase {

    private String t;

    @BeforeEach
    void createTable() throws SQLException {
        t = table("t", "id bigint PRIMARY KEY, note text", "SELECT g, 'n' || g FROM generate_series(1, 2000) g");
    }

    // ---- lock-queue and lock_timeout ----------------------------------------------------------------

    @Test
    void lockQueueNamesTheHolderAndTheStatementGivesUpWithinTheTimeout() throws SQLException {
        int holderPid;
        try (Connection holder = TestDatabases.postgres();
                Connection g = guarded("ddlguard.lock-timeout", "300ms", "ddlguard.lock-timeout.retries", "0")) {
            holderPid = pid(holder);
            holder.setAutoCommit(false);
            exec(holder, "SELECT count(*) FROM " + t); // ACCESS SHARE until the transaction ends
            exec(g, "SET lock_timeout = '7s'");
            long start = System.nanoTime();
            assertThatThrownBy(() -> exec(g, "ALTER TABLE " + t + " ADD COLUMN x int"))
                    .isInstanceOf(LockTimeoutException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("55P03"))
                    .hasMessageContaining("pid " + holderPid)
                    .hasMessageContaining("ACCESS EXCLUSIVE");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                    .as("ms until it gave up")
                    .isLessThan(2_000);
            assertThat(stringQuery(g, "SHOW lock_timeout"))
                    .as("the session's own value, restored")
                    .isEqualTo("7s");
            assertThat(log.warnings())
                    .anySatisfy(w -> assertThat(w)
                            .contains("[lock-queue]")
                            .contains("pid " + holderPid)
                            .contains("SELECT count(*) FROM " + t));
            holder.rollback();
        }
        assertThat(columnExists(t, "x")).isFalse();
        JsonNode r = onlyAudit();
        assertThat(r.get("decision").asText()).isEqualTo("warned");
        assertThat(rule(r, "lock-queue").get("action").asText()).isEqualTo("warn");
        assertThat(rule(r, "lock-queue").get("message").asText())
                .contains("pid " + holderPid)
                .contains("AccessShareLock");
        assertThat(r.get("outcome").asText()).isEqualTo("error");
        assertThat(r.get("attempts").asInt()).isEqualTo(1);
        assertThat(r.get("error").asText()).contains("lock timeout");
        assertLockWithSize(r.get("lock"), "ACCESS EXCLUSIVE");
    }

    /**
     * A SET of lock_timeout in the same string replaces the guard's bound for the DDL after it (an outside tester's
     * {@code SET lock_timeout = 0; ALTER TABLE …} queued 32 s behind a reader, and readers queued behind it): blocked,
     * nothing sent. A shorter bound of the string's own is kept, and the statement gives up within it.
     */
    @Test
    void aLockTimeoutSetInTheSameStringDoesNotReplaceTheGuards() throws SQLException {
        try (Connection holder = TestDatabases.postgres();
                Connection g = guarded("ddlguard.lock-timeout", "2s", "ddlguard.lock-timeout.retries", "0")) {
            holder.setAutoCommit(false);
            exec(holder, "SELECT count(*) FROM " + t); // ACCESS SHARE until the transaction ends
            exec(g, "SET statement_timeout = '10s'"); // without the guard's block, the wait ends here, not never
            log.clear();
            assertBlocked(g, "SET lock_timeout = 0; ALTER TABLE " + t + " ADD COLUMN x int", "timeout-override");
            assertThat(onlyAudit().get("rules").toString()).contains("lock_timeout to 0 (no bound)");
            assertBlocked(g, "SET lock_timeout = '1min'; ALTER TABLE " + t + " ADD COLUMN x int", "timeout-override");
            assertBlocked(g, "RESET lock_timeout; ALTER TABLE " + t + " ADD COLUMN x int", "timeout-override");
            // no bound either: under half a millisecond (the server rounds to 0), or set where the guard cannot see
            assertBlocked(g, "SET lock_timeout = '100us'; ALTER TABLE " + t + " ADD COLUMN x int", "timeout-override");
            assertBlocked(
                    g,
                    "DO $$ BEGIN SET lock_timeout = 0; END $$; ALTER TABLE " + t + " ADD COLUMN x int",
                    "timeout-override");
            assertThat(waitingForALock(pid(g))).isFalse();

            long start = System.nanoTime();
            assertThatThrownBy(() -> exec(g, "SET lock_timeout = '200ms'; ALTER TABLE " + t + " ADD COLUMN x int"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("55P03"));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                    .as("ms until it gave up: the string's 200 ms, shorter than the guard's 2 s")
                    .isLessThan(1_500);
            holder.rollback();
        }
        assertThat(columnExists(t, "x")).isFalse();
    }

    @Test
    void onceTheHolderLetsGoTheRetrySucceeds() throws Exception {
        try (Connection holder = TestDatabases.postgres();
                Connection g = guarded("ddlguard.lock-timeout", "300ms", "ddlguard.lock-timeout.retries", "3")) {
            holder.setAutoCommit(false);
            exec(holder, "SELECT count(*) FROM " + t);
            String before = stringQuery(g, "SHOW lock_timeout");
            CountDownLatch firstRetry = new CountDownLatch(1);
            log.onEvent(e -> {
                if (e.getFormattedMessage().contains("retrying")) {
                    firstRetry.countDown();
                }
            });
            CompletableFuture<Void> release = CompletableFuture.runAsync(() -> {
                try {
                    firstRetry.await();
                    holder.commit();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            exec(g, "ALTER TABLE " + t + " ADD COLUMN x int");
            release.get(10, TimeUnit.SECONDS);
            assertThat(stringQuery(g, "SHOW lock_timeout")).isEqualTo(before);
        }
        assertThat(columnExists(t, "x")).isTrue();
        JsonNode r = onlyAudit();
        assertThat(r.get("outcome").asText()).isEqualTo("ok");
        assertThat(r.get("attempts").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(hasRule(r, "lock-queue")).isTrue();
    }

    /**
     * The lock-queue check looks at every table the statement locks, not only its own: a foreign key's parent
     * is locked SHARE ROW EXCLUSIVE, which waits for a second session's open write of the parent.
     */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "CREATE TABLE %p_child (id int, parent_id bigint REFERENCES %t (id))                           | SHARE ROW EXCLUSIVE",
                "ALTER TABLE %p_other ADD CONSTRAINT %p_fk FOREIGN KEY (parent_id) REFERENCES %t (id) NOT VALID | SHARE ROW EXCLUSIVE",
                "CREATE TABLE %p_part PARTITION OF %p_parted FOR VALUES FROM (0) TO (10)                    | ACCESS EXCLUSIVE"
            })
    void lockQueueLooksAtTheOtherTablesTheStatementLocks(String form, String mode) throws SQLException {
        String other = table("other", "id int, parent_id bigint", null);
        exec(admin, "CREATE TABLE " + p + "_parted (k int) PARTITION BY RANGE (k)");
        afterwards("DROP TABLE IF EXISTS " + p + "_parted CASCADE");
        afterwards("DROP TABLE IF EXISTS " + p + "_child");
        String lockedTable = form.contains("PARTITION OF") ? p + "_parted" : t;
        String sql = form.replace("%t", t).replace("%p", p);
        int holderPid;
        try (Connection holder = TestDatabases.postgres();
                Connection g = guarded("ddlguard.lock-timeout", "300ms", "ddlguard.lock-timeout.retries", "0")) {
            holderPid = pid(holder);
            holder.setAutoCommit(false);
            // A write of the FK parent (ROW EXCLUSIVE conflicts with SHARE ROW EXCLUSIVE); a read of the partitioned
            // parent.
            exec(
                    holder,
                    lockedTable.equals(t)
                            ? "INSERT INTO " + t + " VALUES (5000, 'w')"
                            : "SELECT count(*) FROM " + lockedTable);
            assertThatThrownBy(() -> exec(g, sql)).isInstanceOf(LockTimeoutException.class);
            holder.rollback();
        }
        assertThat(log.warnings())
                .anySatisfy(w -> assertThat(w)
                        .contains("[lock-queue]")
                        .contains("needs " + mode + " on " + lockedTable)
                        .contains("pid " + holderPid));
        JsonNode r = onlyAudit();
        assertThat(rule(r, "lock-queue").get("message").asText())
                .contains(lockedTable)
                .contains(lockedTable.equals(t) ? "RowExclusiveLock" : "AccessShareLock");
        assertThat(relationExists(p + "_child")).isFalse();
        assertThat(constraints(other)).doesNotContain(p + "_fk");
    }

    // ---- CoreRules on the real server ---------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "DROP TABLE %t                                  | drop-table          | CREATE TABLE %t_backup AS SELECT * FROM %t",
                "ALTER TABLE %t DROP COLUMN note                | drop-column         | ddlguard:allow drop-column",
                "TRUNCATE %t                                    | truncate-table      | CREATE TABLE %t_backup AS SELECT * FROM %t",
                "ALTER TABLE %t RENAME COLUMN note TO remark    | rename-column       | expand-contract",
                "ALTER TABLE %t RENAME TO %t_renamed            | rename-table        | view",
                "ALTER TABLE %t ADD COLUMN must int NOT NULL    | add-column-not-null | nullable"
            })
    void coreRulesBlockOnPostgresAndNothingChanges(String form, String ruleId, String safe) throws SQLException {
        String sql = form.replace("%t", t);
        long file = relfilenode(t);
        try (Connection g = guarded()) {
            assertBlocked(g, sql, ruleId, safe.replace("%t", t));
        }
        assertThat(count(t)).isEqualTo(2000);
        assertThat(columnExists(t, "note")).isTrue();
        assertThat(columnExists(t, "must")).isFalse();
        assertThat(relfilenode(t)).isEqualTo(file);
        JsonNode r = onlyAudit();
        assertBlockedRecord(r, ruleId);
        assertThat(r.get("sql").asText()).isEqualTo(sql);
        assertLockWithSize(r.get("lock"), "ACCESS EXCLUSIVE");
    }

    @Test
    void anInlineAllowLetsTheStatementThroughWithItsReasonInTheAudit() throws SQLException {
        try (Connection g = guarded()) {
            exec(g, "/* ddlguard:allow drop-column unused since release 42 */ ALTER TABLE " + t + " DROP COLUMN note");
        }
        assertThat(columnExists(t, "note")).isFalse();
        JsonNode r = onlyAudit();
        assertThat(r.get("decision").asText()).isEqualTo("allowed");
        assertThat(rule(r, "drop-column").get("message").asText()).contains("unused since release 42");
    }

    @Test
    void aDoBlockRunningDdlIsUnanalyzableAndWarnedWhenTheTeamSaysWarn() throws SQLException {
        String sql = "DO $$ BEGIN EXECUTE 'ALTER TABLE " + t + " ADD COLUMN dyn int'; END $$";
        try (Connection g = guarded("ddlguard.rule.unanalyzable", "warn")) {
            exec(g, sql);
        }
        assertThat(columnExists(t, "dyn")).isTrue();
        assertThat(log.warnings()).anySatisfy(w -> assertThat(w).contains("[unanalyzable]"));
        JsonNode r = onlyAudit();
        assertThat(r.get("decision").asText()).isEqualTo("warned");
        assertThat(rule(r, "unanalyzable").get("action").asText()).isEqualTo("warn");
        assertThat(r.get("outcome").asText()).isEqualTo("ok");
    }
}
