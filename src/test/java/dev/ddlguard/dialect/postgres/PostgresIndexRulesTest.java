package dev.ddlguard.dialect.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.BlockedStatementException;
import dev.ddlguard.LockTimeoutException;
import dev.ddlguard.support.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The index rules on a real PostgreSQL 15, end to end: require-concurrent-index, -index-drop,
 * -reindex, concurrently-in-transaction, and lock-queue before a CONCURRENTLY build. Each case reads
 * back what reached the server (pg_index.indisvalid, pg_get_indexdef) and the audit record.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PostgresIndexRulesTest extends PgRulesTestBase {

    private String t;

    @BeforeEach
    void createTable() throws SQLException {
        t = table(
                "t",
                "id bigint PRIMARY KEY, customer_id int, email text, note text",
                "SELECT g, g % 100, 'u' || g || '@example.com', 'n' || g FROM generate_series(1, 2000) g");
    }

    static Stream<Arguments> createIndexForms() {
        // {caller's SQL with %t for the table and %i for the index name, expected pg_get_indexdef fragment}
        return Stream.of(
                Arguments.of("CREATE INDEX %i ON %t (customer_id)", "USING btree (customer_id)"),
                Arguments.of(
                        "CREATE UNIQUE INDEX IF NOT EXISTS %i ON %t (email)",
                        "CREATE UNIQUE INDEX %i ON public.%t USING btree (email)"),
                Arguments.of(
                        "CREATE INDEX %i ON %t USING btree (customer_id) INCLUDE (note) WHERE customer_id > 10",
                        "USING btree (customer_id) INCLUDE (note) WHERE (customer_id > 10)"),
                Arguments.of(
                        "create unique index %i on %t (lower(email)) where id > 0",
                        "CREATE UNIQUE INDEX %i ON public.%t USING btree (lower(email)) WHERE (id > 0)"));
    }

    @ParameterizedTest
    @MethodSource("createIndexForms")
    void createIndexIsRewrittenToConcurrentlyWithItsClausesIntact(String form, String expectedDef) throws SQLException {
        String index = t + "_i";
        String sql = form.replace("%t", t).replace("%i", index);
        // CONCURRENTLY goes right after INDEX; IF NOT EXISTS, USING, INCLUDE, WHERE and expressions follow as written.
        String expected = sql.replaceFirst("(?i)(INDEX)", "$1 CONCURRENTLY");
        try (Connection g = guarded()) {
            exec(g, sql);
        }
        assertThat(indexValid(index)).as("index built and valid").isTrue();
        assertThat(indexDef(index)).contains(expectedDef.replace("%t", t).replace("%i", index));
        JsonNode r = onlyAudit();
        assertRewritten(r, "require-concurrent-index", expected, "SHARE", "SHARE UPDATE EXCLUSIVE");
        assertLockWithSize(r.get("lock"), "SHARE");
        assertLockWithSize(r.get("executed_lock"), "SHARE UPDATE EXCLUSIVE");
        assertThat(r.get("lock").get("blocks")).extracting(JsonNode::asText).containsExactly("writes");
        assertThat(r.get("executed_lock").get("blocks")).isEmpty();
        assertThat(r.get("lock").get("rows").asLong()).isEqualTo(2000);
        assertThat(r.get("rewritten_sql").asText()).isEqualTo(expected);
    }

    /**
     * PostgreSQL 15 refuses CREATE INDEX CONCURRENTLY on a partitioned table ("cannot create index on
     * partitioned table … concurrently"): the rewrite must not turn a working statement into a failing one.
     * The safe way is CREATE INDEX ON ONLY the parent, CONCURRENTLY on each partition, then ATTACH.
     */
    @Test
    void createIndexOnAPartitionedTableIsNotRewrittenToAFormPostgresRefuses() throws SQLException {
        String parent = table("events", "id int NOT NULL, at date NOT NULL) PARTITION BY RANGE (id", null);
        exec(admin, "CREATE TABLE " + parent + "_1 PARTITION OF " + parent + " FOR VALUES FROM (0) TO (1000)");
        try (Connection g = guarded()) {
            exec(g, "CREATE INDEX " + parent + "_at ON " + parent + " (at)");
        } catch (BlockedStatementException acceptable) {
            // Blocking with the ON ONLY / per-partition / ATTACH recipe is a correct answer too.
        } catch (SQLException e) {
            throw new AssertionError("the guard sent a statement PostgreSQL refuses: " + e.getMessage(), e);
        }
        assertThat(onlyAudit().get("outcome").asText()).isIn("ok", "blocked");
    }

    @Test
    void createIndexInsideATransactionIsBlockedWithTheMigrationToolHintAndTheTransactionStaysUsable()
            throws SQLException {
        String index = t + "_c";
        try (Connection g = guarded()) {
            g.setAutoCommit(false);
            exec(g, "INSERT INTO " + t + " VALUES (3001, 1, 'x', 'before')");
            String message = assertBlocked(
                    g,
                    "CREATE INDEX " + index + " ON " + t + " (customer_id)",
                    "require-concurrent-index",
                    "CREATE INDEX CONCURRENTLY " + index + " ON " + t + " (customer_id)");
            assertThat(message)
                    .contains("cannot run inside a transaction block")
                    .contains("executeInTransaction=false")
                    .contains("runInTransaction:false");
            // Nothing reached the server, so the transaction was not aborted: it goes on and commits.
            exec(g, "INSERT INTO " + t + " VALUES (3002, 1, 'y', 'after')");
            g.commit();
        }
        assertThat(count(t)).isEqualTo(2002);
        assertThat(relationExists(index)).isFalse();
        JsonNode r = onlyAudit();
        assertBlockedRecord(r, "require-concurrent-index");
        assertLockWithSize(r.get("lock"), "SHARE");
        assertThat(r.get("executed_lock").isNull()).isTrue();
    }

    @Test
    void explicitConcurrentlyInsideATransactionIsBlockedBeforeTheServerFailsIt() throws SQLException {
        exec(admin, "CREATE INDEX " + t + "_old ON " + t + " (note)");
        List<String> statements = List.of(
                "CREATE INDEX CONCURRENTLY " + t + "_c ON " + t + " (customer_id)",
                "DROP INDEX CONCURRENTLY " + t + "_old",
                "REINDEX INDEX CONCURRENTLY " + t + "_old");
        try (Connection g = guarded()) {
            g.setAutoCommit(false);
            for (String sql : statements) {
                String message = assertBlocked(g, sql, "concurrently-in-transaction", "executeInTransaction=false");
                assertThat(message).contains("runInTransaction:false");
                JsonNode r = onlyAudit();
                assertBlockedRecord(r, "concurrently-in-transaction");
                assertThat(r.get("sql").asText()).isEqualTo(sql);
            }
            // The server never saw them: the transaction is not aborted.
            assertThat(intQuery(g, "SELECT count(*) FROM " + t)).isEqualTo(2000);
            g.rollback();
        }
        assertThat(relationExists(t + "_c")).isFalse();
        assertThat(indexValid(t + "_old")).isTrue();
    }

    /**
     * A batch is one pipeline to pgjdbc, a transaction block to the server: raw, a CONCURRENTLY build in it fails and
     * leaves an INVALID index. Guarded, a CREATE INDEX that would be sent CONCURRENTLY is refused at addBatch (plain
     * or prepared), before anything is sent, and no index is left (an outside tester's find: two INVALID indexes).
     */
    @Test
    void aConcurrentBuildIsRefusedInABatchBeforeAnythingIsSent() throws SQLException {
        String raw = p + "_raw_i";
        try (java.sql.Statement st = admin.createStatement()) {
            st.addBatch("INSERT INTO " + t + " VALUES (4000, 1, 'x', 'y')");
            st.addBatch("CREATE INDEX CONCURRENTLY " + raw + " ON " + t + " (note)");
            assertThatThrownBy(st::executeBatch)
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("pipeline");
        }
        exec(admin, "DROP INDEX IF EXISTS " + raw);

        String indexes = "SELECT count(*) FROM pg_index WHERE indrelid = '" + t + "'::regclass";
        int before = intQuery(admin, indexes);
        try (Connection g = guarded();
                java.sql.Statement st = g.createStatement();
                java.sql.PreparedStatement ps = g.prepareStatement("CREATE INDEX " + p + "_b2 ON " + t + " (note)")) {
            st.addBatch("INSERT INTO " + t + " VALUES (5000, 1, 'x', 'y')");
            assertThatThrownBy(() -> st.addBatch("CREATE INDEX " + p + "_b1 ON " + t + " (customer_id)"))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("cannot run inside a batch");
            st.executeBatch(); // the rest of the batch runs
            assertThatThrownBy(ps::addBatch)
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("cannot run inside a batch");
            exec(g, "CREATE INDEX " + p + "_b3 ON " + t + " (customer_id)"); // alone: rewritten and built
        }
        assertThat(intQuery(admin, indexes)).isEqualTo(before + 1);
        assertThat(intQuery(
                        admin,
                        "SELECT count(*) FROM pg_index WHERE indrelid = '" + t + "'::regclass" + " AND NOT indisvalid"))
                .isZero();
    }

    @Test
    void dropIndexIsRewrittenToConcurrently() throws SQLException {
        exec(admin, "CREATE INDEX " + t + "_c ON " + t + " (customer_id)");
        try (Connection g = guarded()) {
            exec(g, "DROP INDEX " + t + "_c");
            assertRewritten(
                    onlyAudit(),
                    "require-concurrent-index-drop",
                    "DROP INDEX CONCURRENTLY " + t + "_c",
                    "ACCESS EXCLUSIVE",
                    "SHARE UPDATE EXCLUSIVE");
            // No such index: a no-op that locks nothing, run as written, and the record says why.
            exec(g, "DROP INDEX IF EXISTS " + t + "_missing");
            JsonNode r = onlyAudit();
            assertThat(r.get("decision").asText()).isEqualTo("allowed");
            assertThat(r.get("executed_sql").asText()).isEqualTo("DROP INDEX IF EXISTS " + t + "_missing");
            assertThat(r.get("rules").get(0).get("message").asText()).contains("IF EXISTS makes this a no-op");
            assertThat(r.get("outcome").asText()).isEqualTo("ok");
        }
        assertThat(relationExists(t + "_c")).isFalse();
    }

    @Test
    void droppingTwoIndexesInOneStatementOrWithCascadeIsBlocked() throws SQLException {
        exec(admin, "CREATE INDEX " + t + "_a ON " + t + " (customer_id)");
        exec(admin, "CREATE INDEX " + t + "_b ON " + t + " (note)");
        try (Connection g = guarded()) {
            String message = assertBlocked(
                    g,
                    "DROP INDEX " + t + "_a, " + t + "_b",
                    "require-concurrent-index-drop",
                    "DROP INDEX CONCURRENTLY " + t + "_a");
            assertThat(message).contains("no safe rewrite exists for this form");
            assertBlockedRecord(onlyAudit(), "require-concurrent-index-drop");
            assertBlocked(
                    g,
                    "DROP INDEX " + t + "_a CASCADE",
                    "require-concurrent-index-drop",
                    "DROP INDEX CONCURRENTLY " + t + "_a");
            assertBlockedRecord(onlyAudit(), "require-concurrent-index-drop");
        }
        assertThat(indexValid(t + "_a")).isTrue();
        assertThat(indexValid(t + "_b")).isTrue();
    }

    @Test
    void reindexTableAndIndexAreRewrittenToConcurrently() throws SQLException {
        String index = t + "_c";
        exec(admin, "CREATE INDEX " + index + " ON " + t + " (customer_id)");
        long before = relfilenode(index);
        try (Connection g = guarded()) {
            exec(g, "REINDEX INDEX " + index);
            JsonNode r = onlyAudit();
            assertRewritten(
                    r,
                    "require-concurrent-reindex",
                    "REINDEX INDEX CONCURRENTLY " + index,
                    "SHARE",
                    "SHARE UPDATE EXCLUSIVE");
            // SHARE on the table, ACCESS EXCLUSIVE on the index: queries planned on the table wait too.
            assertThat(r.get("lock").get("blocks"))
                    .extracting(JsonNode::asText)
                    .containsExactlyInAnyOrder("reads", "writes");
            assertThat(relfilenode(index)).as("rebuilt").isNotEqualTo(before);
            assertThat(indexValid(index)).isTrue();

            long pkey = relfilenode(t + "_pkey");
            exec(g, "REINDEX TABLE " + t);
            r = onlyAudit();
            assertRewritten(
                    r,
                    "require-concurrent-reindex",
                    "REINDEX TABLE CONCURRENTLY " + t,
                    "SHARE",
                    "SHARE UPDATE EXCLUSIVE");
            assertThat(r.get("lock").get("blocks"))
                    .extracting(JsonNode::asText)
                    .containsExactlyInAnyOrder("reads", "writes");
            assertLockWithSize(r.get("lock"), "SHARE");
            assertThat(r.get("lock").get("rows").asLong()).isEqualTo(2000);
            assertThat(relfilenode(t + "_pkey"))
                    .as("every index of the table rebuilt")
                    .isNotEqualTo(pkey);
        }
        // REINDEX CONCURRENTLY leaves no *_ccnew / *_ccold leftovers behind.
        assertThat(indexes(t)).containsExactlyInAnyOrder(index + ":true", t + "_pkey:true");
    }

    /**
     * A CONCURRENTLY build waits for every older snapshot: here a REPEATABLE READ transaction that took
     * an advisory lock (Flyway's migration lock, whose transaction holds a snapshot). The lock-queue rule
     * names it and Flyway's fix; the concurrent timeout cancels the build; the INVALID index it left is
     * dropped before the retry, so the retry times out again instead of failing with "already exists".
     */
    @Test
    void concurrentBuildBehindFlywaysLockTransactionWarnsTimesOutAndLeavesNoInvalidIndex() throws SQLException {
        String index = t + "_c";
        try (Connection flyway = otherUser()) {
            int holder = pid(flyway);
            holdFlywayLikeLock(flyway);
            try (Connection g =
                    guarded("ddlguard.lock-timeout.concurrent", "500ms", "ddlguard.lock-timeout.retries", "1")) {
                long start = System.nanoTime();
                assertThatThrownBy(() -> exec(g, "CREATE INDEX CONCURRENTLY " + index + " ON " + t + " (customer_id)"))
                        .isInstanceOf(LockTimeoutException.class)
                        .satisfies(e ->
                                assertThat(((SQLException) e).getSQLState()).isEqualTo("55P03"))
                        .hasMessageNotContaining("already exists");
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                        .isLessThan(5_000);
            }
            assertThat(log.warnings())
                    .anySatisfy(w -> assertThat(w)
                            .contains("[lock-queue]")
                            .contains("pid " + holder)
                            .contains("postgresql.transactional.lock=false"));
            JsonNode r = onlyAudit();
            assertThat(rule(r, "lock-queue").get("action").asText()).isEqualTo("warn");
            assertThat(rule(r, "lock-queue").get("message").asText())
                    .contains("pid " + holder)
                    .contains("postgresql.transactional.lock=false");
            assertThat(r.get("outcome").asText()).isEqualTo("error");
            assertThat(r.get("attempts").asInt()).isEqualTo(2);
            assertThat(r.get("error").asText()).contains("lock timeout").doesNotContain("already exists");
            assertThat(r.get("note").asText()).contains("dropped the INVALID index");
            flyway.rollback();
        }
        assertThat(relationExists(index)).as("the INVALID index was dropped").isFalse();
        assertThat(indexes(t)).containsExactly(t + "_pkey:true");
    }

    /**
     * The same, written as a plain CREATE INDEX: the guard rewrites it to CONCURRENTLY, which waits
     * for the open snapshot, so lock-queue must warn about it too, and the failed build is cleaned up.
     */
    @Test
    void plainCreateIndexRewrittenToConcurrentlyWarnsAboutTheTransactionsItWillWaitFor() throws SQLException {
        String index = t + "_c";
        try (Connection flyway = otherUser()) {
            int holder = pid(flyway);
            holdFlywayLikeLock(flyway);
            try (Connection g =
                    guarded("ddlguard.lock-timeout.concurrent", "500ms", "ddlguard.lock-timeout.retries", "0")) {
                assertThatThrownBy(() -> exec(g, "CREATE INDEX " + index + " ON " + t + " (customer_id)"))
                        .isInstanceOf(LockTimeoutException.class);
            }
            JsonNode r = onlyAudit();
            assertThat(r.get("executed_sql").asText()).startsWith("CREATE INDEX CONCURRENTLY");
            assertThat(r.get("note").asText()).contains("dropped the INVALID index");
            assertThat(rule(r, "lock-queue").get("message").asText())
                    .contains("pid " + holder)
                    .contains("postgresql.transactional.lock=false");
            flyway.rollback();
        }
        assertThat(relationExists(index)).isFalse();
    }

    /**
     * Flyway 9.1.2+ holds its migration lock with pg_advisory_xact_lock in an open transaction; here that
     * transaction also holds a snapshot (REPEATABLE READ), which every CONCURRENTLY build must wait for.
     */
    /**
     * A session of another database user. Under the caller's own user, an idle transaction that is the
     * only one a build would wait for fails the build at once (the self-wait check, MultiStatementTest);
     * under another user it is waited for, up to the concurrent lock timeout, which these tests are about.
     */
    private Connection otherUser() throws SQLException {
        exec(
                admin,
                "DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ddlguard_other') THEN"
                        + " CREATE ROLE ddlguard_other LOGIN; END IF; END$$");
        String url = TestDatabases.PG_URL;
        int parameters = url.indexOf('?');
        return java.sql.DriverManager.getConnection(
                (parameters < 0 ? url : url.substring(0, parameters)) + "?user=ddlguard_other");
    }

    private static void holdFlywayLikeLock(Connection flyway) throws SQLException {
        flyway.setAutoCommit(false);
        flyway.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        exec(flyway, "SELECT pg_advisory_xact_lock(42)");
    }

    /**
     * Known gap (not in the rule files): DROP INDEX and REINDEX INDEX name an index, and the lock
     * impact should name its table and the table's size from the catalog (pg_index.indrelid), as
     * every other statement on an existing table does.
     */
    @Test
    void dropIndexAndReindexIndexReportTheIndexTableAndItsSize() throws SQLException {
        exec(admin, "CREATE INDEX " + t + "_c ON " + t + " (customer_id)");
        try (Connection g = guarded()) {
            exec(g, "REINDEX INDEX " + t + "_c");
            JsonNode reindex = onlyAudit();
            exec(g, "DROP INDEX " + t + "_c");
            JsonNode drop = onlyAudit();
            for (JsonNode r : List.of(reindex, drop)) {
                assertThat(r.get("lock").get("table").asText())
                        .as(r.get("sql").asText())
                        .isEqualTo(t);
                assertLockWithSize(r.get("lock"), r.get("lock").get("mode").asText());
                assertThat(r.get("lock").get("rows").asLong()).isEqualTo(2000);
            }
        }
    }
}
