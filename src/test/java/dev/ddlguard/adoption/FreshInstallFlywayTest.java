package dev.ddlguard.adoption;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.support.LogCapture;
import dev.ddlguard.support.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A migration set written the way real projects write them (an init script with a dozen foreign keys
 * and indexes, add-then-index, a table swap, type changes, a non-transactional script), 30 scripts run
 * by real Flyway 11 with its default settings, in enforce mode, with no allow comment, on an empty
 * PostgreSQL schema: nothing may be blocked (issue 15, point 2).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FreshInstallFlywayTest {

    @TempDir
    Path scripts;

    @Test
    void thirtyScriptsOnAnEmptyDatabaseRunWithoutABlock() throws Exception {
        write();
        String schema = "fif_" + Long.toHexString(System.nanoTime());
        String url = "jdbc:ddlguard:" + TestDatabases.PG_URL.substring("jdbc:".length());
        com.zaxxer.hikari.HikariConfig pool = new com.zaxxer.hikari.HikariConfig();
        pool.setJdbcUrl(url); // Flyway picks its plugin from a URL and knows no jdbc:ddlguard:, so it gets a DataSource
        pool.setMaximumPoolSize(4);
        try (LogCapture log = LogCapture.start();
                com.zaxxer.hikari.HikariDataSource ds = new com.zaxxer.hikari.HikariDataSource(pool)) {
            Flyway flyway = Flyway.configure()
                    .dataSource(ds)
                    .schemas(schema)
                    .createSchemas(true)
                    .locations("filesystem:" + scripts)
                    .load();
            assertThat(flyway.migrate().migrationsExecuted).isEqualTo(30);
            List<JsonNode> records = log.audit();
            assertThat(records).as("DDL statements judged").hasSizeGreaterThan(80);
            assertThat(records)
                    .filteredOn(r -> !r.get("decision").asText().equals("allowed")
                            && !r.get("decision").asText().equals("warned"))
                    .as("nothing blocked or rewritten on a fresh install")
                    .isEmpty();
            System.out.println("fresh install: " + records.size() + " DDL records, "
                    + records.stream()
                            .mapToLong(r -> r.get("duration_ms").asLong())
                            .sum() + " ms in the statements");
            assertThat(records)
                    .filteredOn(r -> r.get("rules").toString().contains("created by this migration run"))
                    .as("exempt because the run created the table")
                    .hasSizeGreaterThan(20);
        } finally {
            try (Connection admin = TestDatabases.postgres();
                    Statement st = admin.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    private void write() throws IOException {
        List<String> entities = List.of(
                "account",
                "customer",
                "product",
                "supplier",
                "warehouse",
                "orders",
                "order_line",
                "invoice",
                "payment",
                "shipment",
                "review",
                "audit_event");
        StringBuilder init = new StringBuilder();
        for (String e : entities) {
            init.append("CREATE TABLE ")
                    .append(e)
                    .append(" (id bigserial PRIMARY KEY, name varchar(100), ref_id bigint,"
                            + " amount int, created_at timestamp DEFAULT now());\n");
        }
        for (int i = 1; i < entities.size(); i++) {
            String child = entities.get(i);
            String parent = entities.get(i - 1);
            init.append("ALTER TABLE ")
                    .append(child)
                    .append(" ADD CONSTRAINT fk_")
                    .append(child)
                    .append("_ref FOREIGN KEY (ref_id)" + " REFERENCES ")
                    .append(parent)
                    .append(" (id);\n");
            init.append("CREATE INDEX idx_")
                    .append(child)
                    .append("_ref ON ")
                    .append(child)
                    .append(" (ref_id);\n");
        }
        script(1, "init", init.toString());
        script(
                2,
                "seed",
                "INSERT INTO account (name) VALUES ('root');\nINSERT INTO customer (name, ref_id) VALUES ('c', 1);\n");
        List<String> later = new ArrayList<>();
        for (String e : entities.subList(0, 8)) { // add a column, then index it
            later.add("ALTER TABLE " + e + " ADD COLUMN status varchar(20);\nCREATE INDEX idx_" + e + "_status ON " + e
                    + " (status);\n");
        }
        later.add(
                "ALTER TABLE orders ALTER COLUMN amount TYPE bigint;\nALTER TABLE orders ALTER COLUMN name SET NOT NULL;\n");
        later.add("ALTER TABLE product RENAME COLUMN name TO title;\n");
        later.add("ALTER TABLE review DROP COLUMN amount;\n");
        later.add("ALTER TABLE invoice ADD CONSTRAINT invoice_amount_positive CHECK (amount > 0);\n");
        later.add("ALTER TABLE payment ADD CONSTRAINT payment_name_unique UNIQUE (name);\n");
        later.add("DROP INDEX IF EXISTS idx_that_never_was;\nDROP TABLE IF EXISTS table_that_never_was;\n");
        // A swap of a freshly built table.
        later.add(
                "CREATE TABLE audit_event_new (id bigserial PRIMARY KEY, name varchar(200), ref_id bigint, amount bigint,"
                        + " created_at timestamp DEFAULT now());\nINSERT INTO audit_event_new SELECT id, name, ref_id, amount, created_at FROM audit_event;\n"
                        + "CREATE INDEX idx_audit_event_new_ref ON audit_event_new (ref_id);\n");
        later.add(
                "ALTER TABLE audit_event RENAME TO audit_event_old;\nALTER TABLE audit_event_new RENAME TO audit_event;\nDROP TABLE audit_event_old;\n");
        later.add(
                "ALTER TABLE audit_event ADD COLUMN payload jsonb;\nALTER TABLE audit_event ALTER COLUMN name TYPE text;\n");
        later.add(
                "CREATE TABLE tag (id bigserial PRIMARY KEY, label varchar(50) NOT NULL);\nCREATE TABLE product_tag (product_id bigint"
                        + " REFERENCES product (id), tag_id bigint REFERENCES tag (id), PRIMARY KEY (product_id, tag_id));\n");
        later.add("CREATE UNIQUE INDEX idx_tag_label ON tag (label);\n");
        later.add(
                "ALTER TABLE customer ADD COLUMN email varchar(200) NOT NULL DEFAULT '';\nCREATE INDEX idx_customer_email ON customer (email);\n");
        later.add("ALTER TABLE warehouse ALTER COLUMN name SET NOT NULL;\nALTER TABLE warehouse RENAME TO depot;\n");
        later.add("TRUNCATE TABLE review;\n");
        later.add(
                "ALTER TABLE supplier ADD COLUMN phone varchar(30);\nALTER TABLE supplier ALTER COLUMN amount TYPE numeric(12, 2);\n");
        later.add("CREATE INDEX idx_review_created ON review (created_at);\nDROP INDEX idx_review_created;\n");
        later.add("ALTER TABLE order_line ADD COLUMN qty int NOT NULL;\n");
        later.add("DROP TABLE product_tag;\n");
        later.add("CREATE INDEX idx_invoice_created ON invoice (created_at);\n"); // written outside a transaction: see
        // .conf
        later.add(
                "ALTER TABLE account ADD COLUMN region varchar(10);\nCREATE INDEX idx_account_region ON account (region);\n"
                        + "UPDATE account SET region = 'eu';\nALTER TABLE account ALTER COLUMN region SET NOT NULL;\n");
        for (int i = 0; i < later.size(); i++) {
            script(3 + i, "change_" + (3 + i), later.get(i));
        }
        Files.writeString(
                scripts.resolve("V" + (3 + later.size() - 2) + "__change_" + (3 + later.size() - 2) + ".sql.conf"),
                "executeInTransaction=false\n");
    }

    private void script(int version, String name, String sql) throws IOException {
        Files.writeString(scripts.resolve("V" + version + "__" + name + ".sql"), sql);
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
