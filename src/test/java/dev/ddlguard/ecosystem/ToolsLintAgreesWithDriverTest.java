package dev.ddlguard.ecosystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.cli.lint.LintFinding;
import dev.ddlguard.cli.lint.LintOptions;
import dev.ddlguard.cli.lint.LintResult;
import dev.ddlguard.cli.lint.Linter;
import dev.ddlguard.cli.lint.PrismaDrizzle;
import dev.ddlguard.policy.Policy;
import dev.ddlguard.policy.Target;
import dev.ddlguard.support.LogCapture;
import dev.ddlguard.support.ScratchMariaDb;
import dev.ddlguard.support.TestDatabases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import liquibase.Contexts;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lint's verdicts on a Liquibase XML changelog, a Prisma folder and a Drizzle folder against the driver's, on the real
 * PostgreSQL and MariaDB (the Flyway counterpart is {@link LintAgreesWithDriverTest}). The driver runs in audit mode,
 * so every statement runs and its audit record keeps what enforce would have done; the two are compared as maps of
 * statement to decision.
 *
 * <p>Liquibase itself runs its {@code update} through {@code jdbc:ddlguard:}. Prisma and Drizzle are Node tools, so
 * the files are sent as {@link PrismaDrizzle#sent} says the tool sends them (the single statement of their semantics,
 * which lint judges from too): Prisma a file as one query string, Drizzle the pieces between breakpoints in one
 * transaction. The first migration of each folder is "an earlier deploy": run without the guard, then given rows,
 * since the driver counts a table the same process created through it within the hour as new (as lint counts a
 * table of the same file), and lint counts an earlier file's table as deployed.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ToolsLintAgreesWithDriverTest {

    /**
     * Audit mode: every statement runs, the record keeps enforce's decision. lock-queue judges the sessions open on the
     * server right now, which lint, without a database, never sees (and this server is shared): left out of both sides.
     */
    private static final String[] AUDIT = {"ddlguard.mode=audit", "ddlguard.rule.lock-queue=allow"};

    @TempDir
    Path dir;

    private LogCapture log;

    @BeforeEach
    void capture() {
        log = LogCapture.start();
    }

    @AfterEach
    void release() {
        log.close();
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    // ---- the two sides

    /** Statement → enforce decision, as the driver recorded it; Liquibase's bookkeeping and the schema's name left out. */
    private Map<String, String> driver(String schema) {
        Map<String, String> decisions = new TreeMap<>();
        for (JsonNode r : log.audit()) {
            String sql = r.get("sql").asText();
            if (!sql.toLowerCase(Locale.ROOT).contains("databasechangelog")) {
                decisions.put(normalized(sql, schema), r.get("enforce_decision").asText());
            }
        }
        return decisions;
    }

    /** Statement → decision, as lint judges the path, for the findings the driver also judged. */
    private static Map<String, String> lint(Target target, Path path, Predicate<LintFinding> ranThroughTheGuard) {
        LintResult result = Linter.lint(List.of(path), new LintOptions(target, Policy.defaults()));
        assertThat(result.errors()).isEmpty();
        Map<String, String> decisions = new TreeMap<>();
        for (LintFinding f : result.findings()) {
            if (ranThroughTheGuard.test(f)) {
                decisions.put(normalized(f.sql(), null), f.decision().value());
            }
        }
        return decisions;
    }

    /** Liquibase qualifies names with the schema it ran in; lint, offline, writes them as the changelog does. */
    private static String normalized(String sql, String schema) {
        String s = sql.strip();
        if (schema != null) {
            s = s.replace(schema + ".", "").replace("`" + schema + "`.", "");
        }
        return s.replaceAll("\\s+", " ");
    }

    private static String pgGuarded(Pg db) {
        return Pg.guardedUrl("currentSchema=" + db.schema, AUDIT[0], AUDIT[1]);
    }

    private static String mariadbGuarded(ScratchMariaDb db, String extra) {
        return "jdbc:ddlguard:" + db.url(String.join("&", AUDIT) + extra).substring("jdbc:".length());
    }

    private static Predicate<LintFinding> inFile(String name) {
        return f -> Path.of(f.file()).getFileName().toString().equals(name);
    }

    // ---- Liquibase XML

    private static final String HEADER = """
            <?xml version="1.0" encoding="UTF-8"?>
            <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-4.33.xsd">
            """;

    /** 001 is the earlier deploy (tables with rows), 002 the change under review; the master includes both. */
    private Path liquibaseFolder() throws IOException {
        write("db/changes/001-init.xml", HEADER + """
                    <changeSet id="init" author="alice">
                        <createTable tableName="customers">
                            <column name="id" type="bigint"><constraints primaryKey="true"/></column>
                        </createTable>
                        <createTable tableName="orders">
                            <column name="id" type="bigint"><constraints primaryKey="true"/></column>
                            <column name="customer_id" type="bigint"/>
                            <column name="note" type="varchar(100)"/>
                        </createTable>
                        <createTable tableName="legacy">
                            <column name="id" type="bigint"/>
                        </createTable>
                    </changeSet>
                </databaseChangeLog>
                """);
        write("db/changes/002-changes.xml", HEADER + """
                    <changeSet id="columns" author="bob">
                        <addColumn tableName="orders">
                            <column name="shipped_at" type="timestamp"/>
                        </addColumn>
                        <addColumn tableName="orders">
                            <column name="status" type="varchar(20)" defaultValue="new"><constraints nullable="false"/></column>
                        </addColumn>
                    </changeSet>
                    <changeSet id="index" author="bob">
                        <createIndex tableName="orders" indexName="orders_customer_idx">
                            <column name="customer_id"/>
                        </createIndex>
                    </changeSet>
                    <changeSet id="index-online" author="bob" runInTransaction="false">
                        <createIndex tableName="orders" indexName="orders_note_idx">
                            <column name="note"/>
                        </createIndex>
                    </changeSet>
                    <changeSet id="fk" author="bob">
                        <addForeignKeyConstraint baseTableName="orders" baseColumnNames="customer_id" constraintName="orders_customer_fk"
                                referencedTableName="customers" referencedColumnNames="id"/>
                    </changeSet>
                    <changeSet id="audit-table" author="carol">
                        <createTable tableName="audit_log">
                            <column name="id" type="bigint"/>
                            <column name="order_id" type="bigint"/>
                        </createTable>
                    </changeSet>
                    <changeSet id="audit-index" author="carol">
                        <createIndex tableName="audit_log" indexName="audit_log_order_idx">
                            <column name="order_id"/>
                        </createIndex>
                    </changeSet>
                    <changeSet id="rename" author="carol">
                        <renameColumn tableName="orders" oldColumnName="note" newColumnName="remark" columnDataType="varchar(100)"/>
                    </changeSet>
                    <changeSet id="raw" author="carol">
                        <sql>UPDATE orders SET remark = 'x' WHERE remark IS NULL;
                            ALTER TABLE orders DROP COLUMN remark;</sql>
                    </changeSet>
                    <changeSet id="drop" author="carol">
                        <dropTable tableName="legacy"/>
                    </changeSet>
                </databaseChangeLog>
                """);
        return master(true);
    }

    private Path master(boolean withChanges) throws IOException {
        return write("db/master.xml", HEADER + """
                    <include file="changes/001-init.xml" relativeToChangelogFile="true"/>
                """ + (withChanges ? """
                    <include file="changes/002-changes.xml" relativeToChangelogFile="true"/>
                """ : "") + """
                </databaseChangeLog>
                """);
    }

    private void liquibaseUpdate(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
            new Liquibase("master.xml", new DirectoryResourceAccessor(dir.resolve("db")), database)
                    .update(new Contexts());
        }
    }

    /** The first deploy, outside the guard, then rows; the second, the change under review, through it. */
    private void twoLiquibaseDeploys(String rawUrl, String guardedUrl, Statement admin, String orders)
            throws Exception {
        liquibaseFolder();
        master(false);
        liquibaseUpdate(rawUrl);
        admin.execute("INSERT INTO customers (id) VALUES (1)");
        admin.execute(
                "INSERT INTO " + orders + " (id, customer_id, note) VALUES (1, 1, 'a'), (2, 1, 'b'), (3, 1, NULL)");
        admin.execute("INSERT INTO legacy (id) VALUES (1)");
        master(true);
        liquibaseUpdate(guardedUrl);
    }

    @Test
    void liquibaseXmlOnPostgresql() throws Exception {
        try (Pg db = new Pg()) {
            db.exec("CREATE SCHEMA " + db.schema);
            String raw = TestDatabases.PG_URL + "&currentSchema=" + db.schema;
            try (Connection c = DriverManager.getConnection(raw);
                    Statement admin = c.createStatement()) {
                twoLiquibaseDeploys(raw, pgGuarded(db), admin, "orders");
            }
            Map<String, String> driver = driver(db.schema);
            assertThat(driver)
                    .containsEntry("CREATE INDEX orders_customer_idx ON orders(customer_id)", "blocked")
                    .containsEntry("CREATE INDEX orders_note_idx ON orders(note)", "rewritten")
                    .containsEntry("CREATE INDEX audit_log_order_idx ON audit_log(order_id)", "allowed")
                    .containsEntry("ALTER TABLE orders RENAME COLUMN note TO remark", "blocked")
                    .containsEntry("DROP TABLE legacy", "blocked")
                    .hasSize(10);
            assertThat(lint(Target.POSTGRESQL, dir.resolve("db/master.xml"), inFile("002-changes.xml")))
                    .isEqualTo(driver);
        }
    }

    @Test
    void liquibaseXmlOnMariadb() throws Exception {
        try (ScratchMariaDb db = new ScratchMariaDb("lintlq")) {
            String raw = db.url("");
            try (Connection c = db.admin();
                    Statement admin = c.createStatement()) {
                twoLiquibaseDeploys(raw, mariadbGuarded(db, ""), admin, "orders");
            }
            Map<String, String> driver = driver(db.database());
            assertThat(driver)
                    .containsEntry("CREATE INDEX orders_customer_idx ON orders(customer_id)", "rewritten")
                    .containsEntry("ALTER TABLE orders CHANGE note remark VARCHAR(100)", "blocked")
                    .containsEntry("DROP TABLE legacy", "blocked")
                    .hasSize(10);
            assertThat(lint(Target.MARIADB, dir.resolve("db/master.xml"), inFile("002-changes.xml")))
                    .isEqualTo(driver);
        }
    }

    // ---- Prisma and Drizzle: the files sent as the tool sends them

    /** Sends one migration file as {@link PrismaDrizzle#sent} says its tool does, on a connection in autocommit. */
    private static void send(Connection c, Path file) throws Exception {
        PrismaDrizzle.Sent sent = PrismaDrizzle.sent(file, Files.readString(file, StandardCharsets.UTF_8));
        assertThat(sent).as(file + " is a Prisma or Drizzle migration").isNotNull();
        boolean own = sent.transaction() && c.getAutoCommit();
        c.setAutoCommit(!sent.transaction() && c.getAutoCommit());
        try (Statement st = c.createStatement()) {
            for (String s : sent.strings()) {
                st.execute(s);
            }
        }
        if (own) {
            c.commit();
            c.setAutoCommit(true);
        }
    }

    /**
     * Where the two cannot agree, by design, for a Prisma file of several statements that holds one the guard rewrites
     * (an index on a live table, a foreign key): the driver sends such a string one statement at a time, follow-ups
     * after it (engine/OneByOne), so the rewrite runs outside any transaction; Prisma, whose engine is not JDBC and never
     * passes through the guard, sends the file whole, which PostgreSQL runs as one implicit transaction, and lint
     * judges what Prisma does: the rewrite cannot run there, so blocked.
     */
    private static void prismaByDesign(Map<String, String> driver, Map<String, String> lint, List<String> statements) {
        for (String sql : statements) {
            assertThat(driver).containsEntry(sql, "rewritten");
            assertThat(lint).containsEntry(sql, "blocked");
            driver.remove(sql);
            lint.remove(sql);
        }
    }

    /** Prisma's migrations of one folder; the first ran in an earlier deploy. */
    private List<Path> prismaFolder(String init, String index, String newTable, String liveTable) throws IOException {
        return List.of(
                write("prisma/migrations/20240101000000_init/migration.sql", init),
                // one statement: sent alone, so outside any transaction
                write("prisma/migrations/20240102000000_index/migration.sql", index),
                // several: one query string, which PostgreSQL runs as one implicit transaction
                write("prisma/migrations/20240103000000_audit/migration.sql", newTable),
                write("prisma/migrations/20240104000000_orders/migration.sql", liveTable));
    }

    private static Predicate<LintFinding> prismaAfterInit() {
        return f -> !Path.of(f.file()).getParent().getFileName().toString().endsWith("_init");
    }

    @Test
    void prismaOnPostgresql() throws Exception {
        List<Path> files = prismaFolder("""
                -- CreateTable
                CREATE TABLE "customers" ("id" SERIAL NOT NULL, CONSTRAINT "customers_pkey" PRIMARY KEY ("id"));

                -- CreateTable
                CREATE TABLE "orders" ("id" SERIAL NOT NULL, "customer_id" INTEGER, "note" TEXT, CONSTRAINT "orders_pkey" PRIMARY KEY ("id"));
                """, """
                -- CreateIndex
                CREATE INDEX "orders_customer_id_idx" ON "orders"("customer_id");
                """, """
                -- CreateTable
                CREATE TABLE "audit" ("id" SERIAL NOT NULL, "order_id" INTEGER, CONSTRAINT "audit_pkey" PRIMARY KEY ("id"));

                -- CreateIndex
                CREATE INDEX "audit_order_id_idx" ON "audit"("order_id");

                -- AlterTable
                ALTER TABLE "orders" ADD COLUMN "shipped_at" TIMESTAMP(3);
                """, """
                -- CreateIndex
                CREATE INDEX "orders_note_idx" ON "orders"("note");

                -- AddForeignKey
                ALTER TABLE "orders" ADD CONSTRAINT "orders_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE SET NULL ON UPDATE CASCADE;
                """);
        try (Pg db = new Pg()) {
            db.exec("CREATE SCHEMA " + db.schema);
            try (Connection raw = DriverManager.getConnection(TestDatabases.PG_URL + "&currentSchema=" + db.schema)) {
                send(raw, files.get(0));
                raw.createStatement()
                        .execute(
                                "INSERT INTO orders (customer_id, note) SELECT NULL, 'n' || g FROM generate_series(1, 1000) g");
            }
            try (Connection guarded = DriverManager.getConnection(pgGuarded(db))) {
                for (Path file : files.subList(1, files.size())) {
                    send(guarded, file);
                }
            }
            Map<String, String> driver = driver(db.schema);
            Map<String, String> lint = lint(Target.POSTGRESQL, dir.resolve("prisma/migrations"), prismaAfterInit());
            assertThat(driver)
                    .containsEntry(
                            "-- CreateIndex CREATE INDEX \"orders_customer_id_idx\" ON \"orders\"(\"customer_id\")",
                            "rewritten")
                    .containsEntry(
                            "-- CreateIndex CREATE INDEX \"audit_order_id_idx\" ON \"audit\"(\"order_id\")", "allowed");
            prismaByDesign(
                    driver,
                    lint,
                    List.of(
                            "-- CreateIndex CREATE INDEX \"orders_note_idx\" ON \"orders\"(\"note\")",
                            "-- AddForeignKey ALTER TABLE \"orders\" ADD CONSTRAINT \"orders_customer_id_fkey\" FOREIGN KEY (\"customer_id\")"
                                    + " REFERENCES \"customers\"(\"id\") ON DELETE SET NULL ON UPDATE CASCADE"));
            assertThat(driver).hasSize(4);
            assertThat(lint).isEqualTo(driver);
        }
    }

    @Test
    void prismaOnMariadb() throws Exception {
        List<Path> files = prismaFolder("""
                -- CreateTable
                CREATE TABLE `customers` (`id` INTEGER NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`)) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

                -- CreateTable
                CREATE TABLE `orders` (`id` INTEGER NOT NULL AUTO_INCREMENT, `customer_id` INTEGER NULL, `note` VARCHAR(191) NULL, PRIMARY KEY (`id`)) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
                """, """
                -- CreateIndex
                CREATE INDEX `orders_customer_id_idx` ON `orders`(`customer_id`);
                """, """
                -- CreateTable
                CREATE TABLE `audit` (`id` INTEGER NOT NULL AUTO_INCREMENT, `order_id` INTEGER NULL, PRIMARY KEY (`id`)) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

                -- CreateIndex
                CREATE INDEX `audit_order_id_idx` ON `audit`(`order_id`);

                -- AlterTable
                ALTER TABLE `orders` ADD COLUMN `shipped_at` DATETIME(3) NULL;
                """, """
                -- CreateIndex
                CREATE INDEX `orders_note_idx` ON `orders`(`note`);

                -- AddForeignKey
                ALTER TABLE `orders` ADD CONSTRAINT `orders_customer_id_fkey` FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON DELETE SET NULL ON UPDATE CASCADE;
                """);
        try (ScratchMariaDb db = new ScratchMariaDb("lintpr")) {
            try (Connection raw = DriverManager.getConnection(db.url("allowMultiQueries=true"))) {
                send(raw, files.get(0));
                try (Statement st = raw.createStatement()) {
                    st.execute(
                            "INSERT INTO orders (customer_id, note) SELECT NULL, CONCAT('n', seq) FROM seq_1_to_1000");
                }
            }
            // Prisma's engine sends a file of several statements as one string: MariaDB's JDBC driver needs
            // allowMultiQueries for that
            try (Connection guarded = DriverManager.getConnection(mariadbGuarded(db, "&allowMultiQueries=true"))) {
                for (Path file : files.subList(1, files.size())) {
                    send(guarded, file);
                }
            }
            Map<String, String> driver = driver(db.database());
            assertThat(driver)
                    .containsEntry(
                            "-- CreateIndex CREATE INDEX `orders_customer_id_idx` ON `orders`(`customer_id`)",
                            "rewritten")
                    .containsEntry("-- CreateIndex CREATE INDEX `audit_order_id_idx` ON `audit`(`order_id`)", "allowed")
                    .hasSize(6);
            // MariaDB commits before each DDL statement: a string of several is no transaction, so nothing differs by
            // design
            assertThat(lint(Target.MARIADB, dir.resolve("prisma/migrations"), prismaAfterInit()))
                    .isEqualTo(driver);
        }
    }

    private static final String DRIZZLE_JOURNAL = """
            {"version":"7","dialect":"%s","entries":[
              {"idx":0,"version":"7","when":1700000000000,"tag":"0000_init","breakpoints":true},
              {"idx":1,"version":"7","when":1700000001000,"tag":"0001_index","breakpoints":true},
              {"idx":2,"version":"7","when":1700000002000,"tag":"0002_audit","breakpoints":true},
              {"idx":3,"version":"7","when":1700000003000,"tag":"0003_audit_index","breakpoints":true}
            ]}
            """;

    /**
     * Drizzle's migrator applies every pending file in one transaction (see {@link PrismaDrizzle}), so a table 0002
     * creates is new to 0003 at run time; lint takes each file as a deploy of its own (README: "lint is the stricter
     * of the two there"), so it judges 0003's index as on an existing table. Asserted, then left out of the comparison.
     */
    private static void drizzleByDesign(
            Map<String, String> driver, Map<String, String> lint, String sql, String lintDecision) {
        assertThat(driver).containsEntry(sql, "allowed");
        assertThat(lint).containsEntry(sql, lintDecision);
        driver.remove(sql);
        lint.remove(sql);
    }

    /** Runs the pending files as drizzle-orm's migrator does: one transaction around all of them, each file as sent. */
    private static void drizzleMigrate(Connection c, List<Path> pending) throws Exception {
        c.setAutoCommit(false);
        for (Path file : pending) {
            send(c, file);
        }
        c.commit();
        c.setAutoCommit(true);
    }

    @Test
    void drizzleOnPostgresql() throws Exception {
        write("drizzle/meta/_journal.json", DRIZZLE_JOURNAL.formatted("postgresql"));
        Path init = write("drizzle/0000_init.sql", """
                CREATE TABLE "customers" ("id" serial PRIMARY KEY NOT NULL);
                --> statement-breakpoint
                CREATE TABLE "orders" ("id" serial PRIMARY KEY NOT NULL, "customer_id" integer, "note" text);
                """);
        List<Path> pending = List.of(
                write("drizzle/0001_index.sql", """
                        CREATE INDEX "orders_customer_idx" ON "orders" USING btree ("customer_id");--> statement-breakpoint
                        ALTER TABLE "orders" ADD COLUMN "shipped_at" timestamp;--> statement-breakpoint
                        ALTER TABLE "orders" ADD CONSTRAINT "orders_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;
                        """.replace("\"public\".", "")),
                write("drizzle/0002_audit.sql", """
                        CREATE TABLE "audit" ("id" serial PRIMARY KEY NOT NULL, "order_id" integer);
                        --> statement-breakpoint
                        CREATE INDEX "audit_order_idx" ON "audit" USING btree ("order_id");
                        """),
                write("drizzle/0003_audit_index.sql", """
                        CREATE INDEX "audit_id_order_idx" ON "audit" USING btree ("id","order_id");
                        """));
        try (Pg db = new Pg()) {
            db.exec("CREATE SCHEMA " + db.schema);
            try (Connection raw = DriverManager.getConnection(TestDatabases.PG_URL + "&currentSchema=" + db.schema)) {
                send(raw, init);
                raw.createStatement()
                        .execute(
                                "INSERT INTO orders (customer_id, note) SELECT NULL, 'n' || g FROM generate_series(1, 1000) g");
            }
            try (Connection guarded = DriverManager.getConnection(pgGuarded(db))) {
                drizzleMigrate(guarded, pending);
            }
            Map<String, String> driver = driver(db.schema);
            Map<String, String> lint = lint(
                    Target.POSTGRESQL, dir.resolve("drizzle"), f -> !f.file().endsWith("0000_init.sql"));
            // the table of an earlier deploy, in Drizzle's transaction: CONCURRENTLY is impossible, so both block
            assertThat(driver)
                    .containsEntry(
                            "CREATE INDEX \"orders_customer_idx\" ON \"orders\" USING btree (\"customer_id\")",
                            "blocked")
                    .containsEntry(
                            "CREATE INDEX \"audit_order_idx\" ON \"audit\" USING btree (\"order_id\")", "allowed");
            drizzleByDesign(
                    driver,
                    lint,
                    "CREATE INDEX \"audit_id_order_idx\" ON \"audit\" USING btree (\"id\",\"order_id\")",
                    "blocked");
            assertThat(driver).hasSize(5);
            assertThat(lint).isEqualTo(driver);
        }
    }

    @Test
    void drizzleOnMariadb() throws Exception {
        write("drizzle/meta/_journal.json", DRIZZLE_JOURNAL.formatted("mysql"));
        Path init = write("drizzle/0000_init.sql", """
                CREATE TABLE `customers` (`id` bigint unsigned AUTO_INCREMENT NOT NULL, CONSTRAINT `customers_id` PRIMARY KEY(`id`));
                --> statement-breakpoint
                CREATE TABLE `orders` (`id` bigint unsigned AUTO_INCREMENT NOT NULL, `customer_id` bigint unsigned, `note` varchar(100), CONSTRAINT `orders_id` PRIMARY KEY(`id`));
                """);
        List<Path> pending = List.of(
                write("drizzle/0001_index.sql", """
                        CREATE INDEX `orders_customer_idx` ON `orders` (`customer_id`);--> statement-breakpoint
                        ALTER TABLE `orders` ADD `shipped_at` timestamp NULL;--> statement-breakpoint
                        ALTER TABLE `orders` ADD CONSTRAINT `orders_customer_id_customers_id_fk` FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON DELETE no action ON UPDATE no action;
                        """),
                write("drizzle/0002_audit.sql", """
                        CREATE TABLE `audit` (`id` bigint unsigned AUTO_INCREMENT NOT NULL, `order_id` bigint unsigned, CONSTRAINT `audit_id` PRIMARY KEY(`id`));
                        --> statement-breakpoint
                        CREATE INDEX `audit_order_idx` ON `audit` (`order_id`);
                        """),
                write("drizzle/0003_audit_index.sql", """
                        CREATE INDEX `audit_id_order_idx` ON `audit` (`id`,`order_id`);
                        """));
        try (ScratchMariaDb db = new ScratchMariaDb("lintdz")) {
            try (Connection raw = DriverManager.getConnection(db.url(""))) {
                send(raw, init);
                try (Statement st = raw.createStatement()) {
                    st.execute(
                            "INSERT INTO orders (customer_id, note) SELECT NULL, CONCAT('n', seq) FROM seq_1_to_1000");
                }
            }
            try (Connection guarded = DriverManager.getConnection(mariadbGuarded(db, ""))) {
                drizzleMigrate(guarded, pending);
            }
            Map<String, String> driver = driver(db.database());
            Map<String, String> lint =
                    lint(Target.MARIADB, dir.resolve("drizzle"), f -> !f.file().endsWith("0000_init.sql"));
            assertThat(driver)
                    .containsEntry("CREATE INDEX `orders_customer_idx` ON `orders` (`customer_id`)", "rewritten")
                    .containsEntry("CREATE INDEX `audit_order_idx` ON `audit` (`order_id`)", "allowed");
            // MariaDB: a table of this run rather than of this transaction, the same difference
            drizzleByDesign(
                    driver, lint, "CREATE INDEX `audit_id_order_idx` ON `audit` (`id`,`order_id`)", "rewritten");
            assertThat(driver).hasSize(5);
            assertThat(lint).isEqualTo(driver);
        }
    }
}
