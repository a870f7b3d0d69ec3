package dev.ddlguard.speed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.BlockedStatementException;
import dev.ddlguard.support.ServerTestBase;
import dev.ddlguard.support.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The guard's answers from the catalog outlive one statement only as a table's size, and DDL that ran on the
 * table ends that (issue 15, point 8): the next statement's verdict is the one the table's new state gives.
 * Real PostgreSQL, a table that existed before the run (so the catalog, not the run's record, decides).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CatalogCacheInvalidationTest extends ServerTestBase {

    @Override
    protected Connection openAdmin() {
        return TestDatabases.postgres();
    }

    @Override
    protected String namePrefix() {
        return "cci_";
    }

    /**
     * Under ddlguard.small-table a lock-bound block only warns. The first CREATE INDEX is judged on a table just
     * under the threshold (warned, and it runs); its index takes the table over it, so the second CREATE INDEX,
     * a moment later, must be blocked: a size cached from the first judgement would still say small.
     */
    @Test
    void anIndexBuiltThroughTheGuardMakesTheNextJudgementSeeTheBiggerTable() throws SQLException {
        String t = p + "_t";
        exec(
                admin,
                "CREATE TABLE " + t + " (id bigint PRIMARY KEY, a bigint, b bigint)",
                "INSERT INTO " + t + " SELECT g, g, g FROM generate_series(1, 20000) g",
                "ANALYZE " + t);
        afterwards("DROP TABLE IF EXISTS " + t);
        long before = longQuery(admin, "SELECT pg_total_relation_size('" + t + "')");
        long threshold = before + 64 * 1024; // an index of 20,000 bigints is ~450 kB: one index takes it over
        try (Connection guarded =
                TestDatabases.guarded(TestDatabases.PG_URL, "ddlguard.small-table", threshold / 1024 + "kB")) {
            guarded.setAutoCommit(
                    false); // in a transaction: CONCURRENTLY cannot be used, so the rule blocks (or warns)
            exec(guarded, "CREATE INDEX " + p + "_a ON " + t + " (a)");
            JsonNode first = onlyAudit();
            assertThat(first.get("decision").asText()).as(first.toString()).isEqualTo("warned");
            assertThat(longQuery(guarded, "SELECT pg_total_relation_size('" + t + "')"))
                    .isGreaterThan(threshold);

            Assertions.assertThatThrownBy(() -> exec(guarded, "CREATE INDEX " + p + "_b ON " + t + " (b)"))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("require-concurrent-index");
            JsonNode second = onlyAudit();
            assertThat(second.get("decision").asText()).as(second.toString()).isEqualTo("blocked");
            guarded.rollback();
        }
    }

    /**
     * Within one statement every question is asked once; across statements none is kept: after ADD COLUMN, a type
     * change of the new column is judged by its type in the catalog now (varchar(10) to varchar(20) is binary
     * coercible and allowed; to bigint rewrites the table and is blocked).
     */
    @Test
    void aColumnAddedThroughTheGuardIsJudgedByItsNewType() throws SQLException {
        String t = p + "_c";
        exec(
                admin,
                "CREATE TABLE " + t + " (id bigint PRIMARY KEY)",
                "INSERT INTO " + t + " SELECT g FROM generate_series(1, 1000) g");
        afterwards("DROP TABLE IF EXISTS " + t);
        try (Connection guarded = TestDatabases.guarded(TestDatabases.PG_URL)) {
            exec(guarded, "ALTER TABLE " + t + " ADD COLUMN v varchar(10)");
            log.clear();
            exec(guarded, "ALTER TABLE " + t + " ALTER COLUMN v TYPE varchar(20)");
            assertThat(onlyAudit().get("decision").asText()).isEqualTo("allowed");
            Assertions.assertThatThrownBy(
                            () -> exec(guarded, "ALTER TABLE " + t + " ALTER COLUMN v TYPE bigint USING v::bigint"))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("change-column-type");
        }
    }
}
