package dev.ddlguard.adoption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ddlguard.adoption.MigrationScripts.Script;
import dev.ddlguard.support.LogCapture;
import dev.ddlguard.support.ScratchMariaDb;
import dev.ddlguard.support.ScratchPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 15's end-to-end check: a migration set written the way real projects write them (an init script
 * with dozens of tables, foreign keys and indexes, add-then-index, a table swap, backfills mixed with DDL,
 * views, an enum, a non-transactional script), 35 scripts per server under src/test/resources/e2e, run by
 * real Flyway through the guard with its default settings and no allow comment:
 * <ul>
 *   <li>on an empty database, in enforce mode, every script runs and nothing is blocked or rewritten;</li>
 *   <li>on a database whose first release (V1–V10, applied by the plain driver) holds rows, the rest run in
 *       audit mode, and the statements enforce mode would block or rewrite are exactly the unsafe ones;</li>
 *   <li>in enforce mode on that database, Flyway stops at the first unsafe statement with XDG01.</li>
 * </ul>
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RealisticMigrationSetTest {

    /** A statement enforce mode would not run as written: what it decided, and the rules that decided it. */
    record Verdict(int version, String decision, String rules, String sql) {
        @Override
        public String toString() {
            return "V" + version + " " + decision + " " + rules + ": " + sql;
        }
    }

    private static final int FIRST_RELEASE = 10;

    // ---- PostgreSQL ----------------------------------------------------------------------------

    /** What enforce mode does to V11–V35 of the PostgreSQL set once the first release's tables hold rows. */
    private static final List<Verdict> POSTGRES_UNSAFE = List.of(
            new Verdict(11, "blocked", "require-concurrent-index", "CREATE INDEX idx_orders_source ON orders (source)"),
            new Verdict(14, "blocked", "set-not-null", "ALTER TABLE orders ALTER COLUMN source SET NOT NULL"),
            new Verdict(
                    16,
                    "blocked",
                    "change-column-type",
                    "ALTER TABLE stock_levels ALTER COLUMN on_hand TYPE bigint, ALTER COLUMN reserved TYPE bigint"),
            new Verdict(
                    19,
                    "blocked",
                    "constraint-missing-not-valid",
                    "ALTER TABLE invoices ADD CONSTRAINT fk_invoices_customer"
                            + " FOREIGN KEY (customer_id) REFERENCES customers (id)"),
            new Verdict(
                    19,
                    "blocked",
                    "require-concurrent-index",
                    "CREATE INDEX idx_invoices_customer ON invoices (customer_id)"),
            new Verdict(20, "blocked", "rename-table", "ALTER TABLE product_reviews RENAME TO product_reviews_old"),
            new Verdict(21, "blocked", "drop-table", "DROP TABLE product_reviews_old"),
            new Verdict(
                    22,
                    "blocked",
                    "add-column-rewrites-table",
                    "ALTER TABLE customers ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid()"),
            new Verdict(
                    22,
                    "blocked",
                    "require-concurrent-index",
                    "CREATE UNIQUE INDEX uq_customers_public_id ON customers (public_id)"),
            new Verdict(25, "blocked", "drop-column", "ALTER TABLE customers DROP COLUMN legacy_code"),
            new Verdict(26, "blocked", "rename-column", "ALTER TABLE products RENAME COLUMN sku TO product_code"),
            new Verdict(
                    27,
                    "blocked",
                    "constraint-missing-not-valid",
                    "ALTER TABLE order_lines ADD CONSTRAINT chk_order_lines_quantity CHECK (quantity > 0)"),
            new Verdict(
                    28,
                    "blocked",
                    "require-unique-index-first",
                    "ALTER TABLE coupons ADD CONSTRAINT uq_coupons_code UNIQUE (tenant_id, code)"),
            new Verdict(30, "blocked", "require-concurrent-index-drop", "DROP INDEX idx_customers_phone"),
            new Verdict(31, "blocked", "drop-view", "DROP VIEW IF EXISTS customer_summary"),
            new Verdict(
                    33,
                    "blocked",
                    "require-concurrent-index",
                    "CREATE INDEX idx_orders_open ON orders (customer_id) WHERE status IN ('new', 'paid')"),
            new Verdict(34, "blocked", "truncate-table", "TRUNCATE TABLE import_staging"));

    private static final String POSTGRES_ROWS = """
            INSERT INTO tenants (name, country, currency) SELECT 'tenant ' || g, 'DE', 'EUR' FROM generate_series(1, 3) g;
            INSERT INTO users (tenant_id, email, password_hash) SELECT g % 3 + 1, 'u' || g || '@example.com', 'x' FROM generate_series(1, 60) g;
            INSERT INTO user_roles SELECT id, 3 FROM users;
            INSERT INTO customers (tenant_id, email, first_name, legacy_code, country, phone)
              SELECT g % 3 + 1, 'c' || g || '@example.com', 'c' || g, 'L' || g, 'FR', '+33' || g FROM generate_series(1, 1000) g;
            INSERT INTO addresses (customer_id, line1, city, country) SELECT id, 'street ' || id, 'Lyon', 'FR' FROM customers;
            INSERT INTO categories (tenant_id, name, slug) SELECT g % 3 + 1, 'cat ' || g, 'cat-' || g FROM generate_series(1, 30) g;
            INSERT INTO suppliers (tenant_id, name) SELECT g % 3 + 1, 'supplier ' || g FROM generate_series(1, 10) g;
            INSERT INTO products (tenant_id, category_id, supplier_id, sku, name, price_cents, currency)
              SELECT g % 3 + 1, g % 30 + 1, g % 10 + 1, 'SKU-' || g, 'product ' || g, 100 + g, 'EUR' FROM generate_series(1, 500) g;
            INSERT INTO warehouses (tenant_id, name, country) SELECT g, 'wh ' || g, 'DE' FROM generate_series(1, 3) g;
            INSERT INTO stock_levels (warehouse_id, product_id, on_hand) SELECT w.id, p.id, 10 FROM warehouses w, products p WHERE p.id <= 200;
            INSERT INTO coupons (tenant_id, code, percent_off) SELECT g % 3 + 1, 'CODE' || g, 10 FROM generate_series(1, 100) g;
            INSERT INTO orders (tenant_id, customer_id, total_cents, currency, placed_at)
              SELECT g % 3 + 1, g % 1000 + 1, 1000, 'EUR', CASE WHEN g % 10 = 0 THEN NULL ELSE now() END FROM generate_series(1, 4000) g;
            INSERT INTO order_lines (order_id, product_id, quantity, unit_cents) SELECT g % 4000 + 1, g % 500 + 1, 2, 500 FROM generate_series(1, 8000) g;
            INSERT INTO payments (order_id, amount_cents, currency, provider) SELECT id, 1000, 'EUR', 'card' FROM orders;
            INSERT INTO invoices (order_id, number, total_cents) SELECT id, 'INV-' || id, 1000 FROM orders WHERE id % 2 = 0;
            INSERT INTO shipments (order_id, warehouse_id, carrier) SELECT id, 1, 'dhl' FROM orders WHERE id % 2 = 0;
            INSERT INTO product_reviews (product_id, customer_id, rating, body) SELECT g % 500 + 1, g % 1000 + 1, 4, 'fine' FROM generate_series(1, 1000) g;
            INSERT INTO import_staging (tenant_id, payload) SELECT 1, 'row ' || g FROM generate_series(1, 1000) g;
            INSERT INTO audit_log (tenant_id, action, entity, entity_id, details) SELECT 1, 'create', 'order', g, '{"a": 1}' FROM generate_series(1, 1000) g;
            ANALYZE
            """;

    @Test
    void postgresFreshDatabaseInEnforceModeRunsEveryScriptWithoutABlock() throws Exception {
        try (ScratchPostgres db = new ScratchPostgres("e2e")) {
            freshInstall(MigrationScripts.folder("e2e/postgresql"), db.url());
        }
    }

    @Test
    void postgresDatabaseWithRowsBlocksExactlyTheUnsafeStatements() throws Exception {
        try (ScratchPostgres db = new ScratchPostgres("e2e")) {
            withRows(MigrationScripts.folder("e2e/postgresql"), db.url(), POSTGRES_ROWS, POSTGRES_UNSAFE);
        }
    }

    @Test
    void postgresEnforceModeStopsAtTheFirstUnsafeStatementAndLeavesTheTableAsItWas() throws Exception {
        try (ScratchPostgres db = new ScratchPostgres("e2e")) {
            Path scripts = MigrationScripts.folder("e2e/postgresql");
            firstRelease(scripts, db.url(), POSTGRES_ROWS);
            try (LogCapture log = LogCapture.start();
                    HikariDataSource guarded = guarded(db.url(), "enforce")) {
                Flyway flyway = flyway(guarded, scripts);
                assertThatThrownBy(flyway::migrate)
                        .isInstanceOf(FlywayException.class)
                        .satisfies(e -> assertThat(sqlState(e)).isEqualTo("XDG01"))
                        .hasStackTraceContaining("require-concurrent-index")
                        .hasStackTraceContaining("idx_orders_source");
                assertThat(log.audit())
                        .extracting(r -> r.get("decision").asText() + " "
                                + r.get("outcome").asText())
                        .containsExactly("allowed ok", "blocked blocked", "allowed rolled_back");
            }
            try (Connection raw = DriverManager.getConnection(db.url())) {
                // V11 ran in one transaction: its ADD COLUMN went back with the blocked index.
                assertThat(query(
                                raw,
                                "SELECT count(*) FROM information_schema.columns WHERE table_name = 'orders'"
                                        + " AND column_name = 'source'"))
                        .isEqualTo("0");
                assertThat(query(raw, "SELECT count(*) FROM pg_indexes WHERE indexname = 'idx_orders_source'"))
                        .isEqualTo("0");
                assertThat(query(raw, "SELECT max(version::int) FROM flyway_schema_history WHERE success"))
                        .isEqualTo("10");
                assertThat(query(raw, "SELECT count(*) FROM orders")).isEqualTo("4000");
            }
        }
    }

    // ---- MariaDB -------------------------------------------------------------------------------

    /** What enforce mode does to V11–V35 of the MariaDB set once the first release's tables hold rows. */
    private static final List<Verdict> MARIADB_UNSAFE = List.of(
            new Verdict(11, "rewritten", "require-online-ddl", "ALTER TABLE orders ADD COLUMN source VARCHAR(20) NULL"),
            new Verdict(11, "rewritten", "require-online-ddl", "CREATE INDEX idx_orders_source ON orders (source)"),
            new Verdict(
                    13, "rewritten", "require-online-ddl", "ALTER TABLE orders ALTER COLUMN source SET DEFAULT 'web'"),
            // products has a FULLTEXT index (V5): MariaDB adds a column to it only under LOCK=SHARED (checked by hand).
            new Verdict(
                    13,
                    "blocked",
                    "no-online-ddl-path",
                    "ALTER TABLE products ADD COLUMN is_active TINYINT(1) NOT NULL DEFAULT 1"),
            new Verdict(
                    13,
                    "rewritten",
                    "require-online-ddl",
                    "ALTER TABLE customers ADD COLUMN marketing_opt_in TINYINT(1) DEFAULT 0"),
            new Verdict(
                    14,
                    "rewritten",
                    "require-online-ddl",
                    "ALTER TABLE orders MODIFY COLUMN source VARCHAR(20) NOT NULL DEFAULT 'web'"),
            new Verdict(
                    15,
                    "rewritten",
                    "require-online-ddl",
                    "ALTER TABLE products MODIFY COLUMN name VARCHAR(255) NOT NULL"),
            new Verdict(15, "blocked", "no-online-ddl-path", "ALTER TABLE products MODIFY COLUMN description TEXT"),
            new Verdict(
                    16,
                    "blocked",
                    "no-online-ddl-path",
                    "ALTER TABLE stock_levels MODIFY COLUMN on_hand BIGINT NOT NULL DEFAULT 0, MODIFY COLUMN reserved BIGINT NOT NULL DEFAULT 0"),
            new Verdict(17, "rewritten", "require-online-ddl", "ALTER TABLE payments ADD COLUMN refund_of BIGINT NULL"),
            // MariaDB adds a foreign key by a table copy while foreign_key_checks is on (no NOT VALID there).
            new Verdict(
                    17,
                    "blocked",
                    "no-online-ddl-path",
                    "ALTER TABLE payments ADD CONSTRAINT fk_payments_refund_of FOREIGN KEY (refund_of) REFERENCES payments (id)"),
            new Verdict(
                    19, "rewritten", "require-online-ddl", "ALTER TABLE invoices ADD COLUMN customer_id BIGINT NULL"),
            new Verdict(
                    19,
                    "rewritten",
                    "require-online-ddl",
                    "CREATE INDEX idx_invoices_customer ON invoices (customer_id)"),
            new Verdict(
                    19,
                    "blocked",
                    "no-online-ddl-path",
                    "ALTER TABLE invoices ADD CONSTRAINT fk_invoices_customer FOREIGN KEY (customer_id) REFERENCES customers (id)"),
            new Verdict(
                    20,
                    "blocked",
                    "rename-table",
                    "RENAME TABLE product_reviews TO product_reviews_old, product_reviews_new TO product_reviews"),
            new Verdict(21, "blocked", "drop-table", "DROP TABLE product_reviews_old"),
            new Verdict(
                    22, "rewritten", "require-online-ddl", "ALTER TABLE customers ADD COLUMN public_id CHAR(36) NULL"),
            new Verdict(
                    22,
                    "rewritten",
                    "require-online-ddl",
                    "ALTER TABLE customers ADD UNIQUE INDEX uq_customers_public_id (public_id)"),
            new Verdict(
                    25, "blocked", "drop-column,require-online-ddl", "ALTER TABLE customers DROP COLUMN legacy_code"),
            new Verdict(
                    26,
                    "blocked",
                    "rename-column,require-online-ddl",
                    "ALTER TABLE products RENAME COLUMN sku TO product_code"),
            new Verdict(
                    27,
                    "blocked",
                    "no-online-ddl-path",
                    "ALTER TABLE order_lines ADD CONSTRAINT chk_order_lines_quantity CHECK (quantity > 0)"),
            new Verdict(
                    28,
                    "rewritten",
                    "require-online-ddl",
                    "ALTER TABLE coupons ADD UNIQUE KEY uq_coupons_code (tenant_id, code)"),
            new Verdict(30, "rewritten", "require-online-ddl", "DROP INDEX idx_customers_phone ON customers"),
            new Verdict(31, "blocked", "drop-view", "DROP VIEW IF EXISTS customer_summary"),
            new Verdict(
                    32,
                    "rewritten",
                    "require-online-ddl",
                    "ALTER TABLE orders MODIFY COLUMN status ENUM('new', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded') NOT NULL DEFAULT 'new'"),
            new Verdict(
                    33,
                    "rewritten",
                    "require-online-ddl",
                    "CREATE INDEX idx_orders_customer_status ON orders (customer_id, status)"),
            new Verdict(34, "blocked", "truncate-table", "TRUNCATE TABLE import_staging"),
            new Verdict(
                    34,
                    "rewritten",
                    "require-online-ddl",
                    "ALTER TABLE import_staging ADD COLUMN source_file VARCHAR(255) NULL"));

    private static final String MARIADB_ROWS = """
            INSERT INTO tenants (name, country, currency) SELECT CONCAT('tenant ', seq), 'DE', 'EUR' FROM seq_1_to_3;
            INSERT INTO users (tenant_id, email, password_hash) SELECT seq % 3 + 1, CONCAT('u', seq, '@example.com'), 'x' FROM seq_1_to_60;
            INSERT INTO user_roles SELECT id, 3 FROM users;
            INSERT INTO customers (tenant_id, email, first_name, legacy_code, country, phone)
              SELECT seq % 3 + 1, CONCAT('c', seq, '@example.com'), CONCAT('c', seq), CONCAT('L', seq), 'FR', CONCAT('+33', seq) FROM seq_1_to_1000;
            INSERT INTO addresses (customer_id, line1, city, country) SELECT id, CONCAT('street ', id), 'Lyon', 'FR' FROM customers;
            INSERT INTO categories (tenant_id, name, slug) SELECT seq % 3 + 1, CONCAT('cat ', seq), CONCAT('cat-', seq) FROM seq_1_to_30;
            INSERT INTO suppliers (tenant_id, name) SELECT seq % 3 + 1, CONCAT('supplier ', seq) FROM seq_1_to_10;
            INSERT INTO products (tenant_id, category_id, supplier_id, sku, name, price_cents, currency)
              SELECT seq % 3 + 1, seq % 30 + 1, seq % 10 + 1, CONCAT('SKU-', seq), CONCAT('product ', seq), 100 + seq, 'EUR' FROM seq_1_to_500;
            INSERT INTO warehouses (tenant_id, name, country) SELECT seq, CONCAT('wh ', seq), 'DE' FROM seq_1_to_3;
            INSERT INTO stock_levels (warehouse_id, product_id, on_hand) SELECT w.id, p.id, 10 FROM warehouses w, products p WHERE p.id <= 200;
            INSERT INTO coupons (tenant_id, code, percent_off) SELECT seq % 3 + 1, CONCAT('CODE', seq), 10 FROM seq_1_to_100;
            INSERT INTO orders (tenant_id, customer_id, total_cents, currency, placed_at)
              SELECT seq % 3 + 1, seq % 1000 + 1, 1000, 'EUR', CASE WHEN seq % 10 = 0 THEN NULL ELSE NOW() END FROM seq_1_to_2000;
            INSERT INTO order_lines (order_id, product_id, quantity, unit_cents) SELECT seq % 2000 + 1, seq % 500 + 1, 2, 500 FROM seq_1_to_3000;
            INSERT INTO payments (order_id, amount_cents, currency, provider) SELECT id, 1000, 'EUR', 'card' FROM orders;
            INSERT INTO invoices (order_id, number, total_cents) SELECT id, CONCAT('INV-', id), 1000 FROM orders WHERE id % 2 = 0;
            INSERT INTO shipments (order_id, warehouse_id, carrier) SELECT id, 1, 'dhl' FROM orders WHERE id % 2 = 0;
            INSERT INTO product_reviews (product_id, customer_id, rating, body) SELECT seq % 500 + 1, seq % 1000 + 1, 4, 'fine' FROM seq_1_to_1000;
            INSERT INTO import_staging (tenant_id, payload) SELECT 1, CONCAT('row ', seq) FROM seq_1_to_1000;
            INSERT INTO audit_log (tenant_id, action, entity, entity_id, details) SELECT 1, 'create', 'order', seq, '{"a": 1}' FROM seq_1_to_1000;
            ANALYZE TABLE tenants, users, customers, addresses, products, stock_levels, coupons, orders, order_lines, payments, invoices,
              shipments, product_reviews, import_staging, audit_log
            """;

    @Test
    void mariaDbFreshDatabaseInEnforceModeRunsEveryScriptWithoutABlock() throws Exception {
        try (ScratchMariaDb db = new ScratchMariaDb("e2e")) {
            freshInstall(MigrationScripts.folder("e2e/mariadb"), db.url(""));
        }
    }

    @Test
    void mariaDbDatabaseWithRowsBlocksExactlyTheUnsafeStatements() throws Exception {
        try (ScratchMariaDb db = new ScratchMariaDb("e2e")) {
            withRows(MigrationScripts.folder("e2e/mariadb"), db.url(""), MARIADB_ROWS, MARIADB_UNSAFE);
        }
    }

    @Test
    void mariaDbRewritesRunOnATableWithRowsWhenTheBlockingRulesOnlyWarn() throws Exception {
        try (ScratchMariaDb db = new ScratchMariaDb("e2e")) {
            Path scripts = MigrationScripts.folder("e2e/mariadb");
            firstRelease(scripts, db.url(""), MARIADB_ROWS);
            List<String> blocking = MARIADB_UNSAFE.stream()
                    .flatMap(v -> Stream.of(v.rules().split(",")))
                    .filter(id -> !id.equals("require-online-ddl"))
                    .distinct()
                    .toList();
            String[] warnOnly = blocking.stream()
                    .map(id -> "&ddlguard.rule." + id + "=warn")
                    .toArray(String[]::new);
            try (LogCapture log = LogCapture.start();
                    HikariDataSource guarded = guarded(db.url(""), "enforce", warnOnly)) {
                // In enforce mode the rewritten statements are what reaches the server: each must be one it accepts.
                assertThat(flyway(guarded, scripts).migrate().migrationsExecuted)
                        .isEqualTo(MigrationScripts.read(scripts).size() - FIRST_RELEASE);
                List<JsonNode> rewritten = log.audit().stream()
                        .filter(r -> r.get("decision").asText().equals("rewritten"))
                        .toList();
                // (a drop or rename of a column that now only warns is still given its online clause)
                long expected = MARIADB_UNSAFE.stream()
                        .filter(v -> v.rules().contains("require-online-ddl"))
                        .count();
                assertThat(rewritten).hasSize((int) expected).allSatisfy(r -> {
                    assertThat(r.get("outcome").asText()).isEqualTo("ok");
                    assertThat(r.get("executed_sql").asText()).containsIgnoringCase("ALGORITHM=");
                });
            }
        }
    }

    // ---- both servers --------------------------------------------------------------------------

    private void freshInstall(Path scripts, String url) throws Exception {
        List<Script> set = MigrationScripts.read(scripts);
        assertThat(set).as("scripts in " + scripts).hasSizeGreaterThanOrEqualTo(30);
        for (Path f : Files.list(scripts).toList()) {
            assertThat(Files.readString(f)).as(f.toString()).doesNotContainIgnoringCase("ddlguard");
        }
        List<String> ddl = set.stream()
                .flatMap(s -> s.statements().stream())
                .filter(MigrationScripts::isDdl)
                .toList();
        try (LogCapture log = LogCapture.start();
                HikariDataSource guarded = guarded(url, "enforce")) {
            assertThat(flyway(guarded, scripts).migrate().migrationsExecuted).isEqualTo(set.size());
            List<JsonNode> records = log.audit().stream()
                    .filter(r -> !r.get("sql").asText().contains("flyway_schema_history"))
                    .toList(); // Flyway's own table
            List<JsonNode> notAllowed = records.stream()
                    .filter(r -> !List.of("allowed", "warned")
                            .contains(r.get("decision").asText()))
                    .toList();
            assertThat(notAllowed)
                    .as("blocked or rewritten on an empty database")
                    .isEmpty();
            assertThat(records)
                    .extracting(r -> MigrationScripts.normalize(r.get("sql").asText()))
                    .as("one record per DDL statement of the scripts, in order")
                    .containsExactlyElementsOf(ddl);
            assertThat(records).extracting(r -> r.get("outcome").asText()).containsOnly("ok");
        }
    }

    private void withRows(Path scripts, String url, String rows, List<Verdict> expected) throws Exception {
        firstRelease(scripts, url, rows);
        List<Script> set = MigrationScripts.read(scripts);
        try (LogCapture log = LogCapture.start();
                HikariDataSource guarded = guarded(url, "audit")) {
            assertThat(flyway(guarded, scripts).migrate().migrationsExecuted).isEqualTo(set.size() - FIRST_RELEASE);
            List<Verdict> actual = new ArrayList<>();
            for (JsonNode r : log.audit()) {
                String decision = r.get("enforce_decision").asText();
                assertThat(r.get("outcome").asText()).as(r.toString()).isEqualTo("ok");
                if (decision.equals("blocked") || decision.equals("rewritten")) {
                    String sql = MigrationScripts.normalize(r.get("sql").asText());
                    actual.add(new Verdict(versionOf(set, sql), decision, rulesThatDecided(r), sql));
                    if (decision.equals("rewritten")) {
                        assertThat(r.get("rewritten_sql").asText()).as(sql).containsIgnoringCase("ALGORITHM=");
                    }
                }
            }
            actual.forEach(v -> System.out.println("unsafe: " + v));
            assertThat(actual).containsExactlyElementsOf(expected);
        }
    }

    /** V1–V10 through the plain driver, as the previous release deployed them, then rows in every table. */
    private static void firstRelease(Path scripts, String url, String rows) throws SQLException {
        Flyway.configure()
                .dataSource(url, null, null)
                .locations("filesystem:" + scripts)
                .target(String.valueOf(FIRST_RELEASE))
                .load()
                .migrate();
        try (Connection raw = DriverManager.getConnection(url);
                Statement st = raw.createStatement()) {
            for (String s : MigrationScripts.split(rows)) {
                st.execute(s);
            }
        }
    }

    /** @param settings further {@code ddlguard.*} URL parameters, e.g. "&ddlguard.rule.drop-table=warn" */
    private static HikariDataSource guarded(String url, String mode, String... settings) {
        HikariConfig pool = new HikariConfig();
        // Flyway picks its database plugin from a URL and knows no jdbc:ddlguard:, so it gets a DataSource.
        pool.setJdbcUrl("jdbc:ddlguard:" + url.substring("jdbc:".length()) + "&ddlguard.mode=" + mode
                + String.join("", settings));
        pool.setMaximumPoolSize(4);
        return new HikariDataSource(pool);
    }

    private static Flyway flyway(HikariDataSource ds, Path scripts) {
        return Flyway.configure()
                .dataSource(ds)
                .locations("filesystem:" + scripts)
                // The lock Flyway holds on its own connection otherwise keeps CREATE INDEX CONCURRENTLY waiting.
                .configuration(Map.of("flyway.postgresql.transactional.lock", "false"))
                .load();
    }

    private static String rulesThatDecided(JsonNode record) {
        List<String> ids = new ArrayList<>();
        for (JsonNode rule : record.get("rules")) {
            if (List.of("block", "rewrite").contains(rule.get("action").asText())) {
                ids.add(rule.get("id").asText());
            }
        }
        return String.join(",", ids);
    }

    private static int versionOf(List<Script> set, String sql) {
        return set.stream()
                .filter(s -> s.statements().contains(sql))
                .mapToInt(Script::version)
                .findFirst()
                .orElse(-1);
    }

    private static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    static String query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
