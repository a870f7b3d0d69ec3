package dev.ddlguard.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddlguard.spring.app.MigrationApp;
import dev.ddlguard.spring.jpa.deployed.DeployedJpaApp;
import dev.ddlguard.spring.jpa.fresh.FreshJpaApp;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Spring Boot apps whose only guard setting is a jdbc:ddlguard: URL (no driver-class-name anywhere),
 * on the real servers. Before the starter: "Failed to determine a suitable driver class". A table
 * deployed before the guard (with a row) stands in for production: the migration that creates a new
 * table runs, the one that drops the deployed table stops the startup with the guard's rule, so the
 * guard is in the path each time.
 */
class BootByUrlTest {

    private static final String SCHEMA = "ddlguard_it_boot";

    @Test
    void datasourceUrlAloneRunsFlywayThroughTheGuardOnPostgresql() throws Exception {
        Server pg = Server.postgresql();
        pg.reset();
        expectBlocked("drop-table", MigrationApp.class, pg.flywayArgs("--spring.datasource.url=" + pg.guardedUrl()));
        pg.assertInvoicesCreatedAndCustomersKept();
    }

    @Test
    void datasourceUrlAloneRunsFlywayThroughTheGuardOnMariadb() throws Exception {
        Server maria = Server.mariadb();
        maria.reset();
        expectBlocked("drop-table", MigrationApp.class, maria.flywayArgs("--spring.datasource.url=" + maria.guardedUrl()));
        maria.assertInvoicesCreatedAndCustomersKept();
    }

    /** The app's own DataSource is unguarded H2; only Flyway's, built from spring.flyway.url, is guarded. */
    @Test
    void flywayUrlAloneIsGuardedOnMariadb() throws Exception {
        Server maria = Server.mariadb();
        maria.reset();
        expectBlocked("drop-table", MigrationApp.class, maria.flywayArgs(
                "--spring.datasource.url=jdbc:h2:mem:boot_flyway_url;DB_CLOSE_DELAY=-1",
                "--spring.flyway.url=" + maria.guardedUrl()));
        maria.assertInvoicesCreatedAndCustomersKept();
    }

    @Test
    void liquibaseUrlAloneIsGuardedOnPostgresql() throws Exception {
        Server pg = Server.postgresql();
        pg.reset();
        expectBlocked("drop-table", MigrationApp.class,
                "--spring.datasource.url=jdbc:h2:mem:boot_liquibase_url;DB_CLOSE_DELAY=-1",
                "--spring.flyway.enabled=false",
                "--spring.liquibase.url=" + pg.guardedUrl(),
                "--spring.liquibase.change-log=classpath:db/boot/liquibase/changelog.sql",
                "--spring.liquibase.database-change-log-table=ddlguard_it_boot_changelog",
                "--spring.liquibase.database-change-log-lock-table=ddlguard_it_boot_changelog_lock");
        pg.assertInvoicesCreatedAndCustomersKept();
    }

    @Test
    void datasourceUrlAloneRunsLiquibaseThroughTheGuardOnMariadb() throws Exception {
        Server maria = Server.mariadb();
        maria.reset();
        expectBlocked("drop-table", MigrationApp.class,
                "--spring.datasource.url=" + maria.guardedUrl(),
                "--spring.flyway.enabled=false",
                "--spring.liquibase.change-log=classpath:db/boot/liquibase/changelog.sql",
                "--spring.liquibase.database-change-log-table=ddlguard_it_boot_changelog",
                "--spring.liquibase.database-change-log-lock-table=ddlguard_it_boot_changelog_lock");
        maria.assertInvoicesCreatedAndCustomersKept();
    }

    /** Hibernate ddl-auto=update through the guard: a new entity's table is created. */
    @Test
    void hibernateUpdateCreatesANewTableThroughTheGuard() throws Exception {
        for (Server server : List.of(Server.postgresql(), Server.mariadb())) {
            server.reset();
            try (ConfigurableApplicationContext app = run(FreshJpaApp.class, jpaArgs(server))) {
                assertThat(app.isRunning()).isTrue();
            }
            assertThat(server.count("ddlguard_it_boot_notes")).as(server.name).isZero();
        }
    }

    /** Hibernate ddl-auto=update adding a NOT NULL column to a deployed table with rows: the guard blocks it. */
    @Test
    void hibernateUpdateOfADeployedTableIsJudgedByTheGuard() throws Exception {
        for (Server server : List.of(Server.postgresql(), Server.mariadb())) {
            server.reset();
            List<String> args = new ArrayList<>(List.of(jpaArgs(server)));
            args.add("--spring.jpa.properties.hibernate.hbm2ddl.halt_on_error=true");
            expectBlocked("add-column-not-null", DeployedJpaApp.class, args.toArray(String[]::new));
            assertThat(server.count("ddlguard_it_boot_customers")).as(server.name).isEqualTo(1);
        }
    }

    private static String[] jpaArgs(Server server) {
        return new String[] {"--spring.datasource.url=" + server.guardedUrl(),
                "--spring.flyway.enabled=false", "--spring.liquibase.enabled=false",
                "--spring.jpa.hibernate.ddl-auto=update"};
    }

    private static void expectBlocked(String rule, Class<?> app, String... args) {
        assertThatThrownBy(() -> run(app, args).close()).satisfies(e -> {
            String chain = chain(e);
            assertThat(chain).doesNotContain("Failed to determine a suitable driver class");
            assertThat(chain).contains("[" + rule + "]");
        });
    }

    private static ConfigurableApplicationContext run(Class<?> app, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--spring.main.web-application-type=none");
        all.add("--spring.main.banner-mode=off");
        return new SpringApplicationBuilder(app).run(all.toArray(String[]::new));
    }

    private static String chain(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    /** A real server and where these tests keep their tables on it. */
    private record Server(String name, String realUrl, String adminUrl, String qualifier) {

        static Server postgresql() {
            return new Server("PostgreSQL", TestDatabases.withParameter(TestDatabases.PG_URL, "currentSchema=" + SCHEMA),
                    TestDatabases.PG_URL, SCHEMA + ".");
        }

        static Server mariadb() {
            return new Server("MariaDB", TestDatabases.MARIADB_URL, TestDatabases.MARIADB_URL, "");
        }

        String guardedUrl() {
            return TestDatabases.guarded(realUrl);
        }

        /** Empty of this test's tables, then the deployed table with one row, created without the guard. */
        void reset() throws SQLException {
            try (Connection c = TestDatabases.direct(adminUrl); Statement s = c.createStatement()) {
                if (qualifier.isEmpty()) {
                    s.execute("DROP TABLE IF EXISTS ddlguard_it_boot_invoices, ddlguard_it_boot_customers, ddlguard_it_boot_notes,"
                            + " ddlguard_it_boot_history, ddlguard_it_boot_changelog, ddlguard_it_boot_changelog_lock");
                } else {
                    s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
                    s.execute("CREATE SCHEMA " + SCHEMA);
                }
                s.execute("CREATE TABLE " + qualifier + "ddlguard_it_boot_customers (id bigint PRIMARY KEY, name varchar(100))");
                s.execute("INSERT INTO " + qualifier + "ddlguard_it_boot_customers VALUES (1, 'Ada')");
            }
        }

        String[] flywayArgs(String... more) {
            List<String> args = new ArrayList<>(List.of(more));
            args.add("--spring.flyway.locations=classpath:db/boot/flyway");
            args.add("--spring.flyway.table=ddlguard_it_boot_history");
            args.add("--spring.flyway.baseline-on-migrate=true");
            args.add("--spring.flyway.baseline-version=0");
            args.add("--spring.liquibase.enabled=false");
            if (!qualifier.isEmpty()) {
                args.add("--spring.flyway.schemas=" + SCHEMA);
                args.add("--spring.flyway.postgresql.transactional-lock=false");
            }
            return args.toArray(String[]::new);
        }

        void assertInvoicesCreatedAndCustomersKept() throws SQLException {
            assertThat(count("ddlguard_it_boot_invoices")).as(name).isZero();
            assertThat(count("ddlguard_it_boot_customers")).as(name).isEqualTo(1);
        }

        long count(String table) throws SQLException {
            try (Connection c = TestDatabases.direct(adminUrl); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM " + qualifier + table)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
