package dev.ddlguard.dialect.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Statements on a type or a table's upkeep that reached PostgreSQL with no verdict: ALTER TYPE … ALTER ATTRIBUTE … TYPE
 * … CASCADE rewrites every typed table under ACCESS EXCLUSIVE (shown raw: the lock in pg_locks, a new relfilenode), and
 * autovacuum_enabled = false takes a table out of autovacuum and autoanalyze for good (shown in its reloptions).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PostgresTypedTableTest extends PgRulesTestBase {

    private String typedTable(String suffix) throws SQLException {
        String type = p + "_" + suffix;
        exec(admin, "CREATE TYPE " + type + " AS (zip int, street text)");
        afterwards("DROP TYPE IF EXISTS " + type + " CASCADE");
        String t = type + "_t";
        exec(
                admin,
                "CREATE TABLE " + t + " OF " + type,
                "INSERT INTO " + t + " SELECT g, 'x' FROM generate_series(1, 1000) g");
        afterwards("DROP TABLE IF EXISTS " + t);
        return type;
    }

    @Test
    void changingAnAttributeTypeWithCascadeRewritesTheTypedTableAndIsBlocked() throws SQLException {
        String type = typedTable("addr");
        String t = type + "_t";
        long before = relfilenode(t);
        String sql = "ALTER TYPE " + type + " ALTER ATTRIBUTE zip TYPE bigint CASCADE";
        try (Connection g = guarded()) {
            assertBlocked(g, sql, "table-rewrite");
        }
        assertBlockedRecord(onlyAudit(), "table-rewrite");
        assertThat(relfilenode(t)).isEqualTo(before);

        // raw, in a transaction to read its locks: ACCESS EXCLUSIVE on the typed table, and a new file
        exec(admin, "BEGIN", sql);
        try {
            assertThat(stringQuery(
                            admin,
                            "SELECT string_agg(mode, ',') FROM pg_locks WHERE pid = pg_backend_pid() AND relation = '"
                                    + t + "'::regclass"))
                    .contains("AccessExclusiveLock");
        } finally {
            exec(admin, "COMMIT");
        }
        assertThat(relfilenode(t)).isNotEqualTo(before);
    }

    @Test
    void addingAnAttributeWithCascadeOnlyTouchesTheCatalogAndPasses() throws SQLException {
        String type = typedTable("addn");
        long before = relfilenode(type + "_t");
        try (Connection g = guarded()) {
            exec(g, "ALTER TYPE " + type + " ADD ATTRIBUTE note text CASCADE");
        }
        JsonNode r = onlyAudit();
        assertThat(hasRule(r, "table-rewrite")).isFalse();
        assertThat(relfilenode(type + "_t")).isEqualTo(before);
    }

    @Test
    void switchingAutovacuumOffIsWarnedAndTheTableLeavesAutovacuum() throws SQLException {
        String t = table("av", "id int", "SELECT 1");
        assertWarnedAndRun(
                "ALTER TABLE " + t + " SET (autovacuum_enabled = false)",
                "disable-autovacuum",
                "switches autovacuum off for " + t);
        assertThat(stringQuery(
                        admin,
                        "SELECT array_to_string(reloptions, ',') FROM pg_class WHERE oid = '" + t + "'::regclass"))
                .isEqualTo("autovacuum_enabled=false");
        try (Connection g = guarded()) {
            exec(g, "ALTER TABLE " + t + " RESET (autovacuum_enabled)");
        }
        assertThat(hasRule(onlyAudit(), "disable-autovacuum")).isFalse();
    }
}
