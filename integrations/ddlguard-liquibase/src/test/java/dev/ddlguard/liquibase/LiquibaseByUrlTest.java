package dev.ddlguard.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import liquibase.Scope;
import liquibase.command.CommandScope;
import liquibase.database.DatabaseFactory;
import org.junit.jupiter.api.Test;

/**
 * Liquibase's command API, {@code update} with {@code url} only (no driver, no connection handed over):
 * before this extension, "Driver class was not specified and could not be determined from the url". A
 * table deployed before the guard (with a row) stands in for production: a changeset creating a new
 * table runs; one dropping the deployed table is blocked by the guard, so the guard is in the path.
 */
class LiquibaseByUrlTest {

    private static final String PG_SCHEMA = "ddlguard_it_liquibase";
    private static final String CHANGELOG = "ddlguard_it_lq_changelog";
    private static final String CHANGELOG_LOCK = "ddlguard_it_lq_changelog_lock";

    @Test
    void theDriverOfAGuardedUrlIsTheGuards() {
        assertThat(DatabaseFactory.getInstance().findDefaultDriver("jdbc:ddlguard:postgresql://db:5432/app"))
                .isEqualTo("dev.ddlguard.DdlGuardDriver");
        assertThat(DatabaseFactory.getInstance().findDefaultDriver("jdbc:postgresql://db:5432/app"))
                .isEqualTo("org.postgresql.Driver");
    }

    @Test
    void postgresqlByUrlUpdatesAndTheGuardBlocksTheUnsafeChangeset() throws Exception {
        String real = TestDatabases.withParameter(TestDatabases.PG_URL, "currentSchema=" + PG_SCHEMA);
        try (Connection c = TestDatabases.direct(TestDatabases.PG_URL); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + PG_SCHEMA + " CASCADE");
            s.execute("CREATE SCHEMA " + PG_SCHEMA);
            deployCustomers(s, PG_SCHEMA + ".");
        }
        try {
            updateAndBlock(real, PG_SCHEMA + ".");
        } finally {
            try (Connection c = TestDatabases.direct(TestDatabases.PG_URL); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + PG_SCHEMA + " CASCADE");
            }
        }
    }

    @Test
    void mariadbByUrlUpdatesAndTheGuardBlocksTheUnsafeChangeset() throws Exception {
        String real = TestDatabases.MARIADB_URL;
        try (Connection c = TestDatabases.direct(real); Statement s = c.createStatement()) {
            dropMariaDbTables(s);
            deployCustomers(s, "");
        }
        try {
            updateAndBlock(real, "");
        } finally {
            try (Connection c = TestDatabases.direct(real); Statement s = c.createStatement()) {
                dropMariaDbTables(s);
            }
        }
    }

    private static void updateAndBlock(String realUrl, String qualifier) throws Exception {
        update(TestDatabases.guarded(realUrl), "db/liquibase/safe.sql");
        assertThat(count(realUrl, "SELECT count(*) FROM " + qualifier + "ddlguard_it_lq_invoices")).isZero();
        assertThat(count(realUrl, "SELECT count(*) FROM " + qualifier + CHANGELOG)).isEqualTo(1);

        assertThatThrownBy(() -> update(TestDatabases.guarded(realUrl), "db/liquibase/unsafe.sql"))
                .satisfies(e -> assertThat(chain(e)).contains("[drop-table]"));
        assertThat(count(realUrl, "SELECT count(*) FROM " + qualifier + "ddlguard_it_lq_customers")).isEqualTo(1);
    }

    /** {@code update} with the URL alone (user and password in it); the changelog tables get names of their own. */
    private static void update(String url, String changelog) throws Exception {
        Map<String, Object> config = Map.of(
                "liquibase.databaseChangeLogTableName", CHANGELOG,
                "liquibase.databaseChangeLogLockTableName", CHANGELOG_LOCK);
        Scope.child(config, () -> new CommandScope("update")
                .addArgumentValue("url", url)
                .addArgumentValue("changelogFile", changelog)
                .execute());
    }

    private static void deployCustomers(Statement s, String qualifier) throws SQLException {
        s.execute("CREATE TABLE " + qualifier + "ddlguard_it_lq_customers (id bigint PRIMARY KEY, name varchar(100))");
        s.execute("INSERT INTO " + qualifier + "ddlguard_it_lq_customers VALUES (1, 'Ada')");
    }

    private static void dropMariaDbTables(Statement s) throws SQLException {
        s.execute("DROP TABLE IF EXISTS ddlguard_it_lq_invoices, ddlguard_it_lq_customers, " + CHANGELOG + ", " + CHANGELOG_LOCK);
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
