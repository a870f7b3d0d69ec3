package dev.ddlguard.ecosystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ddlguard.cli.lint.LintFinding;
import dev.ddlguard.cli.lint.LintOptions;
import dev.ddlguard.cli.lint.Linter;
import dev.ddlguard.policy.Policy;
import dev.ddlguard.policy.Target;
import dev.ddlguard.support.LogCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lint's verdicts on a Flyway folder against the driver's on the real PostgreSQL, Flyway migrating the same
 * folder through {@code jdbc:ddlguard:} in audit mode (every statement runs; the record keeps what enforce
 * would have done). "An earlier deploy" is a table that exists, with rows, before the run: created
 * outside the guard, as another process's deploy did, with Flyway's baseline above that script. Liquibase, Prisma and
 * Drizzle: {@link ToolsLintAgreesWithDriverTest}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LintAgreesWithDriverTest {

    @TempDir
    Path folder;

    private LogCapture log;
    private HikariDataSource pool;

    @BeforeEach
    void capture() {
        log = LogCapture.start();
    }

    @AfterEach
    void release() {
        if (pool != null) {
            pool.close();
        }
        log.close();
    }

    private void script(String name, String sql) throws IOException {
        Files.writeString(folder.resolve(name), sql);
    }

    /** Statement → enforce decision, as the driver recorded it while Flyway ran the folder (its own history table left out). */
    private Map<String, String> driver(Pg db, String baseline) {
        HikariConfig config = new HikariConfig();
        // lock-queue judges the sessions open on the (shared) server right now, which lint never sees
        config.setJdbcUrl(Pg.guardedUrl("ddlguard.mode=audit", "ddlguard.rule.lock-queue=allow"));
        config.setMaximumPoolSize(2);
        pool = new HikariDataSource(config);
        var flyway = Flyway.configure().dataSource(pool).schemas(db.schema).locations("filesystem:" + folder);
        if (baseline != null) {
            flyway.baselineOnMigrate(true).baselineVersion(baseline);
        }
        flyway.load().migrate();
        Map<String, String> decisions = new TreeMap<>();
        for (JsonNode r : log.audit()) {
            String sql = r.get("sql").asText();
            if (!sql.contains("flyway_schema_history") && !sql.contains(db.schema)) {
                decisions.put(sql.strip(), r.get("enforce_decision").asText());
            }
        }
        return decisions;
    }

    /** Statement → decision, as lint judges the folder. */
    private Map<String, String> lint(String skipUpTo) {
        Map<String, String> decisions = new TreeMap<>();
        for (LintFinding f : Linter.lint(List.of(folder), new LintOptions(Target.POSTGRESQL, Policy.defaults()))
                .findings()) {
            if (skipUpTo == null || Path.of(f.file()).getFileName().toString().compareTo(skipUpTo) > 0) {
                decisions.put(f.sql().strip(), f.decision().value());
            }
        }
        return decisions;
    }

    @Test
    void anIndexOnATableOfAnEarlierDeployIsBlockedByBoth() throws Exception {
        script("V1__create.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);\n");
        script("V2__index.sql", "CREATE INDEX orders_c_idx ON orders (customer_id);\n");
        try (Pg db = new Pg()) {
            db.exec("CREATE SCHEMA " + db.schema);
            db.exec("CREATE TABLE " + db.schema
                    + ".orders (id bigint PRIMARY KEY, customer_id bigint)"); // V1, deployed before
            db.exec("INSERT INTO " + db.schema + ".orders SELECT g, g % 10 FROM generate_series(1, 1000) g");
            Map<String, String> driver = driver(db, "1");
            assertThat(driver).containsEntry("CREATE INDEX orders_c_idx ON orders (customer_id)", "blocked");
            assertThat(lint("V1__create.sql")).isEqualTo(driver);
        }
    }

    @Test
    void anIndexOnATableOfTheSameScriptIsAllowedByBoth() throws Exception {
        script("V1__create.sql", """
                CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);
                CREATE INDEX orders_c_idx ON orders (customer_id);
                ALTER TABLE orders ADD CONSTRAINT orders_c_positive CHECK (customer_id > 0);
                """);
        try (Pg db = new Pg()) {
            Map<String, String> driver = driver(db, null);
            assertThat(driver).containsEntry("CREATE INDEX orders_c_idx ON orders (customer_id)", "allowed");
            assertThat(lint(null)).isEqualTo(driver);
        }
    }

    @Test
    void notValidThenValidateThenSetNotNullAgree() throws Exception {
        script("V2__check.sql", """
                ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;
                ALTER TABLE users VALIDATE CONSTRAINT email_nn;
                """);
        script("V3__check_again.sql", "ALTER TABLE users ADD CONSTRAINT name_nn CHECK (name IS NOT NULL) NOT VALID;\n");
        script("V4__validate.sql", "ALTER TABLE users VALIDATE CONSTRAINT name_nn;\n");
        script("V5__not_null.sql", "ALTER TABLE users ALTER COLUMN name SET NOT NULL;\n");
        try (Pg db = new Pg()) {
            db.exec("CREATE SCHEMA " + db.schema);
            db.exec("CREATE TABLE " + db.schema + ".users (id bigint PRIMARY KEY, email text, name text)");
            db.exec("INSERT INTO " + db.schema + ".users SELECT g, 'e' || g, 'n' || g FROM generate_series(1, 1000) g");
            Map<String, String> driver = driver(db, "1");
            assertThat(driver)
                    .containsEntry("ALTER TABLE users VALIDATE CONSTRAINT email_nn", "blocked")
                    .containsEntry("ALTER TABLE users VALIDATE CONSTRAINT name_nn", "allowed")
                    .containsEntry("ALTER TABLE users ALTER COLUMN name SET NOT NULL", "allowed");
            assertThat(lint(null)).isEqualTo(driver);
        }
    }
}
