package dev.ddlguard.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts the app (Flyway through ddlguard on H2, judged as PostgreSQL) and reads the audit file it wrote. */
class SpringAppTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void migrationsRunThroughTheGuardAndLeaveAuditRecords() throws IOException {
        Path audit = Path.of("target", "audit-" + System.nanoTime() + ".jsonl");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(SpringApp.class)
                .run("--app.audit-file=" + audit,
                        "--spring.datasource.url=jdbc:ddlguard:h2:mem:ok;DB_CLOSE_DELAY=-1;ddlguard.target=postgresql")) {
            assertThat(app.isRunning()).isTrue();
        }
        List<JsonNode> records = read(audit);
        assertThat(records).anySatisfy(r -> {
            assertThat(r.get("sql").asText()).contains("CREATE TABLE orders");
            assertThat(r.get("decision").asText()).isEqualTo("allowed");
        });
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
    void theGuardCanWrapTheDataSourceBeanInsteadOfTheUrl() throws IOException {
        Path audit = Path.of("target", "audit-wrapped-" + System.nanoTime() + ".jsonl");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(SpringApp.class)
                .run("--app.audit-file=" + audit,
                        "--spring.datasource.url=jdbc:h2:mem:wrapped;DB_CLOSE_DELAY=-1",
                        "--spring.datasource.driver-class-name=org.h2.Driver",
                        "--app.ddlguard.wrap=true", "--app.ddlguard.settings.target=postgresql")) {
            assertThat(app.isRunning()).isTrue();
        }
        assertThat(read(audit)).anySatisfy(r -> {
            assertThat(r.get("sql").asText()).contains("CREATE INDEX orders_customer_idx");
            assertThat(r.get("target").asText()).isEqualTo("postgresql");
            assertThat(r.get("rewritten_sql").asText()).contains("CREATE INDEX CONCURRENTLY");
        });
    }

    @Test
    void anUnsafeMigrationStopsStartupWithTheRuleAndTheSafeAlternative() {
        Path audit = Path.of("target", "audit-unsafe-" + System.nanoTime() + ".jsonl");
        assertThatThrownBy(() -> new SpringApplicationBuilder(SpringApp.class)
                .run("--app.audit-file=" + audit,
                        "--spring.datasource.url=jdbc:ddlguard:h2:mem:unsafe;DB_CLOSE_DELAY=-1;ddlguard.target=postgresql",
                        "--spring.flyway.locations=classpath:db/migration,classpath:db/unsafe").close())
                .satisfies(e -> assertThat(chain(e)).contains("[drop-table]").contains("Safe alternative"));
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
