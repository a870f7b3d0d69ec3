package dev.ddlguard.flyway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

/**
 * Flyway's Java API given nothing but a jdbc:ddlguard: URL ({@code dataSource(url, user, password)}, no
 * driver class, no DataSource): before this plugin, "No Flyway database plugin found". A table deployed
 * before the guard (with a row) stands in for production: V1 creates a new table and runs; V2 drops the
 * deployed table and is blocked by the guard, so the guard is in the path.
 */
class FlywayByUrlTest {

    private static final String PG_SCHEMA = "ddlguard_it_flyway";
    private static final String HISTORY = "ddlguard_it_fw_history";

    @Test
    void postgresqlByUrlMigratesAndTheGuardBlocksTheUnsafeScript() throws Exception {
        String real = TestDatabases.withParameter(TestDatabases.PG_URL, "currentSchema=" + PG_SCHEMA);
        try (Connection c = TestDatabases.direct(TestDatabases.PG_URL); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + PG_SCHEMA + " CASCADE");
            s.execute("CREATE SCHEMA " + PG_SCHEMA);
            deployCustomers(s, PG_SCHEMA + ".");
        }
        try {
            migrateAndBlock(real, flyway(real).schemas(PG_SCHEMA)
                    .configuration(Map.of("flyway.postgresql.transactional.lock", "false")), PG_SCHEMA + ".");
        } finally {
            try (Connection c = TestDatabases.direct(TestDatabases.PG_URL); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + PG_SCHEMA + " CASCADE");
            }
        }
    }

    @Test
    void mariadbByUrlMigratesAndTheGuardBlocksTheUnsafeScript() throws Exception {
        String real = TestDatabases.MARIADB_URL;
        try (Connection c = TestDatabases.direct(real); Statement s = c.createStatement()) {
            dropMariaDbTables(s);
            deployCustomers(s, "");
        }
        try {
            migrateAndBlock(real, flyway(real), "");
        } finally {
            try (Connection c = TestDatabases.direct(real); Statement s = c.createStatement()) {
                dropMariaDbTables(s);
            }
        }
    }

    @Test
    void h2ByUrlMigrates() throws Exception {
        String url = "jdbc:ddlguard:h2:mem:flyway_by_url;DB_CLOSE_DELAY=-1;ddlguard.target=postgresql";
        MigrateResult result = Flyway.configure().dataSource(url, "sa", "")
                .locations("classpath:db/flyway/safe").load().migrate();
        assertThat(result.migrationsExecuted).isEqualTo(1);
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:h2:mem:flyway_by_url", "sa", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM ddlguard_it_fw_invoices")) {
            assertThat(rs.next()).isTrue();
        }
    }

    @Test
    void aDatabaseFlywayHasNoModuleForIsNamedWithTheModuleToAdd() {
        // flyway-sqlserver is not on this classpath
        assertThatThrownBy(() -> Flyway.configure()
                .dataSource("jdbc:ddlguard:sqlserver://127.0.0.1:1433;databaseName=x", "sa", "pw").load().migrate())
                .hasMessageContaining("ddlguard: Flyway has no database plugin for the URL behind jdbc:ddlguard:")
                .hasMessageContaining("jdbc:sqlserver://127.0.0.1:1433");
    }

    private static FluentConfiguration flyway(String realUrl) {
        // The URL alone: no driver class, no DataSource, user and password as the URL carries them.
        return Flyway.configure().dataSource(TestDatabases.guarded(realUrl), null, null)
                .table(HISTORY).baselineOnMigrate(true).baselineVersion("0");
    }

    private static void migrateAndBlock(String realUrl, FluentConfiguration config, String qualifier) throws SQLException {
        MigrateResult safe = config.locations("classpath:db/flyway/safe").load().migrate();
        assertThat(safe.migrationsExecuted).isEqualTo(1);
        assertThat(count(realUrl, "SELECT count(*) FROM " + qualifier + "ddlguard_it_fw_invoices")).isZero();

        Flyway unsafe = config.locations("classpath:db/flyway/safe", "classpath:db/flyway/unsafe").load();
        assertThatThrownBy(unsafe::migrate).satisfies(e -> assertThat(chain(e)).contains("[drop-table]"));
        // the deployed table and its row are still there
        assertThat(count(realUrl, "SELECT count(*) FROM " + qualifier + "ddlguard_it_fw_customers")).isEqualTo(1);
    }

    private static void deployCustomers(Statement s, String qualifier) throws SQLException {
        s.execute("CREATE TABLE " + qualifier + "ddlguard_it_fw_customers (id bigint PRIMARY KEY, name varchar(100))");
        s.execute("INSERT INTO " + qualifier + "ddlguard_it_fw_customers VALUES (1, 'Ada')");
    }

    private static void dropMariaDbTables(Statement s) throws SQLException {
        s.execute("DROP TABLE IF EXISTS ddlguard_it_fw_invoices, ddlguard_it_fw_customers, " + HISTORY);
    }

    private static long count(String realUrl, String sql) throws SQLException {
        try (Connection c = TestDatabases.direct(realUrl); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String chain(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
