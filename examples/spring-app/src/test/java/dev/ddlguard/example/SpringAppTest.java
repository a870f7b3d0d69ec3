package dev.ddlguard.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts the app (Flyway through ddlguard on H2, judged as PostgreSQL) and reads the audit file it wrote. */
class SpringAppTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A fresh install: every table is created in this run, so nothing waits on its locks and nothing is
     * blocked or rewritten, Flyway's own history table and its index included.
     */
    @Test
    void aFreshInstallRunsWholeWithNothingBlocked() throws IOException {
        Path audit = Path.of("target", "audit-fresh-" + System.nanoTime() + ".jsonl");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(SpringApp.class)
                .run("--app.audit-file=" + audit,
                        "--spring.datasource.url=jdbc:ddlguard:h2:mem:fresh;DB_CLOSE_DELAY=-1;ddlguard.target=postgresql")) {
            assertThat(app.isRunning()).isTrue();
        }
        List<JsonNode> records = read(audit);
        assertThat(records).anySatisfy(r -> {
            assertThat(r.get("sql").asText()).contains("flyway_schema_history_s_idx");
            assertThat(r.get("decision").asText()).isEqualTo("allowed");
        });
        // one history table: Flyway did not have to retry after a refused statement
        assertThat(records).filteredOn(r -> r.get("sql").asText().contains("flyway_schema_history_s_idx")).hasSize(1);
        assertThat(records).allSatisfy(r -> assertThat(r.get("decision").asText()).isEqualTo("allowed"));
        assertThat(records).anySatisfy(r -> assertThat(r.get("sql").asText()).contains("CREATE INDEX orders_customer_idx"));
    }

    /** A database an earlier release deployed (V1 and rows, before the guard): V2 and V3 are rewritten. */
    @Test
    void migrationsOnADeployedDatabaseAreRewritten() throws Exception {
        deployedBefore("ok");
        Path audit = Path.of("target", "audit-" + System.nanoTime() + ".jsonl");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(SpringApp.class)
                .run(deployed("ok", audit))) {
            assertThat(app.isRunning()).isTrue();
        }
        List<JsonNode> records = read(audit);
        assertThat(records).noneSatisfy(r -> assertThat(r.get("decision").asText()).isEqualTo("blocked"));
        assertThat(records).anySatisfy(r -> {
            assertThat(r.get("sql").asText()).contains("orders_customer_fk");
            assertThat(r.get("target").asText()).isEqualTo("postgresql");
            assertThat(r.get("rewritten_sql").asText()).contains("NOT VALID").contains("VALIDATE CONSTRAINT");
        });
        assertThat(records).anySatisfy(r -> {
            assertThat(r.get("sql").asText()).contains("CREATE INDEX orders_customer_idx");
            assertThat(r.get("rewritten_sql").asText()).contains("CREATE INDEX CONCURRENTLY");
            assertThat(r.get("outcome").asText()).isEqualTo("ok");
        });
    }

    @Test
    void theGuardCanWrapTheDataSourceBeanInsteadOfTheUrl() throws Exception {
        deployedBefore("wrapped");
        Path audit = Path.of("target", "audit-wrapped-" + System.nanoTime() + ".jsonl");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(SpringApp.class)
                .run("--app.audit-file=" + audit,
                        "--spring.datasource.url=jdbc:h2:mem:wrapped;DB_CLOSE_DELAY=-1",
                        "--spring.datasource.driver-class-name=org.h2.Driver",
                        "--spring.flyway.baseline-on-migrate=true", "--spring.flyway.baseline-version=1",
                        "--app.ddlguard.wrap=true", "--app.ddlguard.settings.target=postgresql")) {
            assertThat(app.isRunning()).isTrue();
        }
        assertThat(read(audit)).anySatisfy(r -> {
            assertThat(r.get("sql").asText()).contains("CREATE INDEX orders_customer_idx");
            assertThat(r.get("target").asText()).isEqualTo("postgresql");
            assertThat(r.get("rewritten_sql").asText()).contains("CREATE INDEX CONCURRENTLY");
        });
    }

    /**
     * V4 drops a deployed table: startup stops. Flyway and Spring log that failure at ERROR with a stack
     * trace; this test expects it, so it turns those loggers off rather than print an alarming trace.
     */
    @Test
    void anUnsafeMigrationStopsStartupWithTheRuleAndTheSafeAlternative() throws Exception {
        deployedBefore("unsafe");
        Path audit = Path.of("target", "audit-unsafe-" + System.nanoTime() + ".jsonl");
        List<String> args = new ArrayList<>(List.of(deployed("unsafe", audit)));
        args.add("--spring.flyway.locations=classpath:db/migration,classpath:db/unsafe");
        args.add("--logging.level.org.flywaydb.core.internal.command.DbMigrate=OFF");
        args.add("--logging.level.org.springframework.boot.SpringApplication=OFF");
        args.add("--logging.level.org.springframework.context.annotation.AnnotationConfigApplicationContext=ERROR");
        assertThatThrownBy(() -> new SpringApplicationBuilder(SpringApp.class).run(args.toArray(String[]::new)).close())
                .satisfies(e -> assertThat(chain(e)).contains("[drop-table]").contains("Safe alternative"));
    }

    /** V1 as an earlier release applied it, without the guard, with a row in each table. */
    private static void deployedBefore(String database) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1", "sa", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customers (id bigint PRIMARY KEY, name varchar(100) NOT NULL)");
            s.execute("CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, total numeric(10, 2))");
            s.execute("INSERT INTO customers VALUES (1, 'Ada')");
            s.execute("INSERT INTO orders VALUES (1, 1, 9.99)");
        }
    }

    /** Flyway takes the database as at V1 (its baseline) and applies V2 on. */
    private static String[] deployed(String database, Path audit) {
        return new String[] {"--app.audit-file=" + audit,
                "--spring.datasource.url=jdbc:ddlguard:h2:mem:" + database + ";DB_CLOSE_DELAY=-1;ddlguard.target=postgresql",
                "--spring.flyway.baseline-on-migrate=true", "--spring.flyway.baseline-version=1"};
    }

    private static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> records = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                records.add(JSON.readTree(line));
            }
        }
        return records;
    }

    private static String chain(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
