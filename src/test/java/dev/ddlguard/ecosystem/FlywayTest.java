package dev.ddlguard.ecosystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ddlguard.BlockedStatementException;
import dev.ddlguard.support.H2;
import dev.ddlguard.support.LogCapture;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Flyway 11 migrating through {@code jdbc:ddlguard:…} on the real PostgreSQL and on H2: it
 * recognises the database, its schema history works, an unsafe statement in a transactional
 * migration fails with the guard's message and is rolled back, and a non-transactional script gets
 * its index rewritten to CONCURRENTLY — which finishes only with {@code postgresql.transactional.lock=false}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FlywayTest {

    private LogCapture log;
    private final List<HikariDataSource> pools = new ArrayList<>();

    @BeforeEach
    void capture() {
        log = LogCapture.start();
    }

    @AfterEach
    void release() {
        pools.forEach(HikariDataSource::close);
        log.close();
    }

    /**
     * Flyway picks its database plugin from a URL it is handed (and knows no {@code jdbc:ddlguard:}),
     * so it gets a DataSource, as Spring Boot gives it one: the pool's, with the guarded URL.
     */
    private HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(4);
        HikariDataSource ds = new HikariDataSource(config);
        pools.add(ds);
        return ds;
    }

    /**
     * The scripts change {@code orders}, a table with rows that exists before the run (created here,
     * outside the guard): a table the same run created would be exempt from the rules (issue 15).
     * Flyway takes the non-empty schema over with a baseline at version 0.
     */
    private FluentConfiguration pg(Pg db, String scripts, String... urlParams) throws SQLException {
        db.exec("CREATE SCHEMA " + db.schema);
        db.exec("CREATE TABLE " + db.schema + ".orders (id bigint PRIMARY KEY, customer_id bigint)");
        db.exec("INSERT INTO " + db.schema + ".orders SELECT g, g % 10 FROM generate_series(1, 1000) g");
        return Flyway.configure()
                .dataSource(pool(Pg.guardedUrl(urlParams)))
                .schemas(db.schema)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .locations("classpath:ecosystem/flyway/" + scripts);
    }

    // Flyway's first run creates its history table and, in the same transaction, adds its primary key and an
    // index: the guard lets those through because the table was created in that transaction (nobody can wait on it).

    private static final Map<String, String> NO_TRANSACTIONAL_LOCK =
            Map.of("flyway.postgresql.transactional.lock", "false");

    // ---- PostgreSQL ----------------------------------------------------------------------------

    @Test
    void postgresNonTransactionalScriptIsRewrittenToConcurrentlyWithTheTransactionalLockOff() throws SQLException {
        try (Pg db = new Pg()) {
            Flyway flyway =
                    pg(db, "pg-index").configuration(NO_TRANSACTIONAL_LOCK).load();
            assertThat(flyway.migrate().migrationsExecuted).isEqualTo(2);

            assertThat(flyway.info().current().getVersion().getVersion()).isEqualTo("2");
            assertThat(flyway.info().applied())
                    .extracting(MigrationInfo::getState)
                    .containsOnly(MigrationState.BASELINE, MigrationState.SUCCESS);
            assertThat(db.count("SELECT count(*) FROM " + db.schema
                            + ".flyway_schema_history WHERE success AND version IN ('1','2')"))
                    .isEqualTo(2);
            assertThat(db.indexValid("orders_customer_idx"))
                    .as("pg_index.indisvalid")
                    .isEqualTo("t");

            JsonNode index = auditOf("orders_customer_idx");
            assertThat(index.get("decision").asText()).isEqualTo("rewritten");
            assertThat(index.get("executed_sql").asText()).contains("CREATE INDEX CONCURRENTLY orders_customer_idx");
            assertThat(index.get("outcome").asText()).isEqualTo("ok");
            assertThat(auditOf("ADD COLUMN note").get("decision").asText()).isEqualTo("allowed");
        }
    }

    @Test
    void postgresUnsafeTransactionalMigrationFailsWithTheGuardsMessageAndIsRolledBack() throws SQLException {
        try (Pg db = new Pg()) {
            Flyway flyway =
                    pg(db, "pg-unsafe").configuration(NO_TRANSACTIONAL_LOCK).load();
            assertThatThrownBy(flyway::migrate)
                    .isInstanceOf(FlywayException.class)
                    .hasMessageContaining("drop-table")
                    .satisfies(e -> assertBlockedInCauseChain(e, "drop-table"));

            assertThat(db.tableExists("orders")).as("not dropped").isTrue();
            assertThat(db.tableExists("notes"))
                    .as("V2's earlier statement rolled back")
                    .isFalse();
            assertThat(db.count("SELECT count(*) FROM " + db.schema
                            + ".flyway_schema_history WHERE version = '2' AND success"))
                    .isZero();
            assertThat(flyway.info().pending())
                    .extracting(m -> m.getVersion().getVersion())
                    .containsExactly("2");
            JsonNode drop = auditOf("DROP TABLE orders");
            assertThat(drop.get("decision").asText()).isEqualTo("blocked");
            assertThat(drop.get("executed_sql").isNull()).isTrue();
        }
    }

    /**
     * Without {@code postgresql.transactional.lock=false}, Flyway holds its migration lock in an open
     * transaction on a second connection, which a CONCURRENTLY build waits for forever. With no timeout
     * set at all, the guard sees that the only transaction it would wait for is idle under the same user,
     * and fails at once with the fix, sending nothing; the lock-queue report names that session too.
     */
    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void postgresWithoutTheSettingTheRewriteFailsAtOnceNamingFlywaysLockInsteadOfWaitingForever() throws SQLException {
        try (Pg db = new Pg()) {
            // socketTimeout: were the build ever sent, the test would fail at it instead of hanging past @Timeout
            Flyway flyway = pg(db, "pg-index", "ddlguard.lock-timeout.concurrent=off", "socketTimeout=60")
                    .load();
            long start = System.nanoTime();
            assertThatThrownBy(flyway::migrate)
                    .isInstanceOf(FlywayException.class)
                    .hasMessageContaining("would wait forever")
                    .hasMessageContaining("postgresql.transactional.lock=false");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                    .as("ms until it gave up")
                    .isLessThan(10_000);

            JsonNode index = auditOf("orders_customer_idx");
            assertThat(index.get("outcome").asText()).isEqualTo("error");
            assertThat(index.get("error").asText())
                    .contains("idle in transaction")
                    .contains("not sent");
            // The report names Flyway's lock session: idle in transaction on its own connection, holding an
            // advisory lock (read from pg_locks: its last query is a catalog read, not the lock call), and the fix.
            JsonNode queue = rule(index, "lock-queue");
            assertThat(queue.get("action").asText()).isEqualTo("warn");
            assertThat(queue.get("message").asText())
                    .contains("idle in transaction")
                    .contains("an advisory lock")
                    .contains("postgresql.transactional.lock=false");
            assertThat(log.warnings())
                    .anySatisfy(w -> assertThat(w).contains("[lock-queue]").contains("idle in transaction"));
            assertThat(db.indexValid("orders_customer_idx"))
                    .as("nothing was built")
                    .isNull();
            assertThat(flyway.info().pending())
                    .extracting(m -> m.getVersion().getVersion())
                    .contains("2");
        }
    }

    /**
     * {@code ddlguard.baseline=2}: the guard reads Flyway's history at statement time; while no applied
     * version reaches 2, the script running is at most V2, so its block becomes an audited run as written.
     * V3 is enforced.
     */
    @Test
    void postgresBaselineLetsOldScriptsRunAsWrittenAndEnforcesTheOnesAfterIt() throws SQLException {
        try (Pg db = new Pg()) {
            Flyway flyway = pg(db, "pg-baseline", "ddlguard.baseline=2")
                    .configuration(NO_TRANSACTIONAL_LOCK)
                    .load();
            db.exec("CREATE TABLE " + db.schema + ".legacy (id bigint)");
            db.exec("INSERT INTO " + db.schema + ".legacy VALUES (1)");
            assertThatThrownBy(flyway::migrate)
                    .isInstanceOf(FlywayException.class)
                    .satisfies(e -> assertBlockedInCauseChain(e, "drop-table"));

            assertThat(db.tableExists("legacy")).as("V2 ran as written").isFalse();
            assertThat(db.tableExists("orders")).as("V3 was blocked").isTrue();
            JsonNode legacy = auditOf("DROP TABLE legacy");
            assertThat(legacy.get("decision").asText()).isEqualTo("audited");
            assertThat(legacy.get("enforce_decision").asText()).isEqualTo("blocked");
            assertThat(legacy.get("note").asText())
                    .contains("ddlguard.baseline 2")
                    .contains("latest applied version: 1");
            assertThat(auditOf("DROP TABLE orders").get("decision").asText()).isEqualTo("blocked");
            assertThat(flyway.info().pending())
                    .extracting(m -> m.getVersion().getVersion())
                    .containsExactly("3");
        }
    }

    // ---- H2 ------------------------------------------------------------------------------------

    @Test
    void h2MigratesAndRecordsHistory() throws SQLException {
        try (H2 h2 = new H2()) {
            Flyway flyway = Flyway.configure()
                    .dataSource(pool(h2.guardedUrl()))
                    .locations("classpath:ecosystem/flyway/h2-ok")
                    .load();
            assertThat(flyway.migrate().migrationsExecuted).isEqualTo(2);
            assertThat(flyway.info().applied())
                    .extracting(MigrationInfo::getState)
                    .containsOnly(MigrationState.SUCCESS);
            assertThat(
                            h2.count(
                                    "SELECT count(*) FROM \"flyway_schema_history\" WHERE \"success\" AND \"version\" IN ('1', '2')"))
                    .isEqualTo(2);
            assertThat(h2.indexExists("orders_customer_idx")).isTrue();
            assertThat(auditOf("orders_customer_idx").get("outcome").asText()).isEqualTo("ok");
        }
    }

    @Test
    void h2UnsafeMigrationFailsWithTheGuardsMessage() throws SQLException {
        try (H2 h2 = new H2()) {
            h2.setup(
                    "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint)",
                    "INSERT INTO orders VALUES (1, 1)");
            Flyway flyway = Flyway.configure()
                    .dataSource(pool(h2.guardedUrl()))
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .locations("classpath:ecosystem/flyway/h2-unsafe")
                    .load();
            assertThatThrownBy(flyway::migrate)
                    .isInstanceOf(FlywayException.class)
                    .satisfies(e -> assertBlockedInCauseChain(e, "drop-table"));
            assertThat(h2.tableExists("orders")).isTrue();
            assertThat(h2.count(
                            "SELECT count(*) FROM \"flyway_schema_history\" WHERE \"version\" = '2' AND \"success\""))
                    .isZero();
            assertThat(auditOf("DROP TABLE orders").get("decision").asText()).isEqualTo("blocked");
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    static void assertBlockedInCauseChain(Throwable e, String ruleId) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BlockedStatementException b) {
                assertThat(b.getSQLState()).isEqualTo("XDG01");
                assertThat(b.getMessage()).contains("[" + ruleId + "]");
                return;
            }
        }
        throw new AssertionError("no BlockedStatementException in the cause chain of " + e, e);
    }

    static JsonNode rule(JsonNode record, String id) {
        for (JsonNode r : record.get("rules")) {
            if (r.get("id").asText().equals(id)) {
                return r;
            }
        }
        throw new AssertionError("no rule " + id + " in " + record);
    }

    /** The one audit record whose sql mentions the fragment. */
    private JsonNode auditOf(String fragment) {
        List<JsonNode> hits = log.audit().stream()
                .filter(r -> r.get("sql").asText().contains(fragment))
                .toList();
        assertThat(hits)
                .as("audit records with " + fragment + " in " + log.audit())
                .hasSize(1);
        return hits.get(0);
    }
}
