package dev.ddlguard.cli.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddlguard.policy.Action;
import dev.ddlguard.policy.Policy;
import dev.ddlguard.policy.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Liquibase XML, YAML and JSON changelogs: lint turns each change into the SQL Liquibase's own generator writes for the
 * target, follows the includes in Liquibase's order, and judges each statement in its changeset's transaction, with
 * the changeset and the line of the change in the findings.
 */
class LiquibaseChangelogTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private static LintResult run(Target target, Path path) {
        return Linter.lint(List.of(path), new LintOptions(target, Policy.defaults()));
    }

    /** {@code file:line changeset decision rules [tx] | sql}, the file relative to the test folder. */
    private List<String> lint(Target target, Path path) {
        LintResult result = run(target, path);
        assertThat(result.errors()).isEmpty();
        return result.findings().stream()
                .map(f -> dir.relativize(Path.of(f.file()).toAbsolutePath()) + ":" + f.line() + " " + f.changeset()
                        + " "
                        + f.decision().value()
                        + f.rules().stream()
                                .filter(v -> v.action() != Action.ALLOW)
                                .map(v -> " " + v.ruleId())
                                .collect(Collectors.joining())
                        + (f.inTransaction() ? " [tx]" : "") + " | " + f.sql().strip())
                .toList();
    }

    static final String HEADER = """
            <?xml version="1.0" encoding="UTF-8"?>
            <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-4.33.xsd">
            """;

    static final String INIT = HEADER + """
                <changeSet id="init" author="alice">
                    <createTable tableName="customers">
                        <column name="id" type="bigint"><constraints primaryKey="true"/></column>
                    </createTable>
                    <createTable tableName="orders">
                        <column name="id" type="bigint"><constraints primaryKey="true"/></column>
                        <column name="customer_id" type="bigint"/>
                        <column name="note" type="varchar(100)"/>
                    </createTable>
                </changeSet>
            </databaseChangeLog>
            """;

    static final String CHANGES = HEADER + """
                <changeSet id="columns" author="bob">
                    <addColumn tableName="orders">
                        <column name="shipped_at" type="timestamp"/>
                    </addColumn>
                    <addColumn tableName="orders">
                        <column name="status" type="varchar(20)"><constraints nullable="false"/></column>
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
                <changeSet id="rename" author="carol">
                    <renameColumn tableName="orders" oldColumnName="note" newColumnName="remark" columnDataType="varchar(100)"/>
                </changeSet>
                <changeSet id="raw" author="carol">
                    <sql>UPDATE orders SET remark = 'x' WHERE remark IS NULL;
                        ALTER TABLE orders DROP COLUMN remark;</sql>
                </changeSet>
                <changeSet id="drop" author="carol">
                    <dropTable tableName="customers"/>
                </changeSet>
            </databaseChangeLog>
            """;

    /** A master changelog including the table's creation (an earlier deploy) and the changes, the two ways Liquibase resolves includes. */
    private Path xmlMaster() throws IOException {
        write("db/changes/001-init.xml", INIT);
        write("db/changes/002-changes.xml", CHANGES);
        return write("db/master.xml", HEADER + """
                    <include file="changes/001-init.xml" relativeToChangelogFile="true"/>
                    <include file="db/changes/002-changes.xml"/>
                </databaseChangeLog>
                """);
    }

    @Test
    void xmlOnPostgresqlEachChangesetInItsTransaction() throws IOException {
        assertThat(lint(Target.POSTGRESQL, xmlMaster()))
                .containsExactly(
                        // the same file's tables: new, exempt
                        "db/changes/001-init.xml:6 init::alice allowed [tx] | CREATE TABLE customers (id BIGINT NOT NULL, CONSTRAINT customers_pkey PRIMARY KEY (id))",
                        "db/changes/001-init.xml:9 init::alice allowed [tx] | CREATE TABLE orders (id BIGINT NOT NULL, customer_id BIGINT, note VARCHAR(100),"
                                + " CONSTRAINT orders_pkey PRIMARY KEY (id))",
                        // another file: an earlier deploy's tables, judged as live ones
                        "db/changes/002-changes.xml:6 columns::bob allowed [tx] | ALTER TABLE orders ADD shipped_at TIMESTAMP WITHOUT TIME ZONE",
                        "db/changes/002-changes.xml:9 columns::bob blocked add-column-not-null [tx] | ALTER TABLE orders ADD status VARCHAR(20) NOT NULL",
                        // Liquibase's transaction: CONCURRENTLY is impossible there, so blocked;
                        // runInTransaction="false" lets the rewrite run
                        "db/changes/002-changes.xml:14 index::bob blocked require-concurrent-index [tx] | CREATE INDEX orders_customer_idx ON orders(customer_id)",
                        "db/changes/002-changes.xml:19 index-online::bob rewritten require-concurrent-index | CREATE INDEX orders_note_idx ON orders(note)",
                        "db/changes/002-changes.xml:24 fk::bob blocked constraint-missing-not-valid [tx] | ALTER TABLE orders ADD CONSTRAINT orders_customer_fk"
                                + " FOREIGN KEY (customer_id) REFERENCES customers (id)",
                        "db/changes/002-changes.xml:28 rename::carol blocked rename-column [tx] | ALTER TABLE orders RENAME COLUMN note TO remark",
                        // a sql change: split as Liquibase splits it, each statement at its own line (the UPDATE is not
                        // DDL)
                        "db/changes/002-changes.xml:32 raw::carol blocked drop-column [tx] | ALTER TABLE orders DROP COLUMN remark",
                        "db/changes/002-changes.xml:35 drop::carol blocked drop-table [tx] | DROP TABLE customers");
    }

    @Test
    void xmlOnMariadbWithMariadbsSql() throws IOException {
        xmlMaster();
        // the folder: the master is the root, the files it includes are judged through it, once
        assertThat(lint(Target.MARIADB, dir.resolve("db")))
                .containsExactly(
                        "db/changes/001-init.xml:6 init::alice allowed | CREATE TABLE customers (id BIGINT NOT NULL, CONSTRAINT PK_CUSTOMERS PRIMARY KEY (id))",
                        "db/changes/001-init.xml:9 init::alice allowed | CREATE TABLE orders (id BIGINT NOT NULL, customer_id BIGINT NULL, note VARCHAR(100) NULL,"
                                + " CONSTRAINT PK_ORDERS PRIMARY KEY (id))",
                        "db/changes/002-changes.xml:6 columns::bob rewritten require-online-ddl | ALTER TABLE orders ADD shipped_at timestamp NULL",
                        "db/changes/002-changes.xml:9 columns::bob blocked add-column-not-null require-online-ddl | ALTER TABLE orders ADD status VARCHAR(20) NOT NULL",
                        // MariaDB commits before DDL: no transaction, whatever the changeset says
                        "db/changes/002-changes.xml:14 index::bob rewritten require-online-ddl | CREATE INDEX orders_customer_idx ON orders(customer_id)",
                        "db/changes/002-changes.xml:19 index-online::bob rewritten require-online-ddl | CREATE INDEX orders_note_idx ON orders(note)",
                        "db/changes/002-changes.xml:24 fk::bob blocked no-online-ddl-path | ALTER TABLE orders ADD CONSTRAINT orders_customer_fk"
                                + " FOREIGN KEY (customer_id) REFERENCES customers (id)",
                        // Liquibase writes MariaDB's rename as CHANGE, with the type the changeset gives
                        "db/changes/002-changes.xml:28 rename::carol blocked rename-column no-online-ddl-path | ALTER TABLE orders CHANGE note remark VARCHAR(100)",
                        "db/changes/002-changes.xml:32 raw::carol blocked drop-column require-online-ddl | ALTER TABLE orders DROP COLUMN remark",
                        "db/changes/002-changes.xml:35 drop::carol blocked drop-table | DROP TABLE customers");
    }

    @Test
    void yamlWithIncludeAllGivesTheSameVerdicts() throws IOException {
        write("db/changes/001-init.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: init
                      author: alice
                      changes:
                        - createTable:
                            tableName: orders
                            columns:
                              - column: {name: id, type: bigint, constraints: {primaryKey: true}}
                              - column: {name: customer_id, type: bigint}
                        - createTable:
                            tableName: customers
                            columns:
                              - column: {name: id, type: bigint, constraints: {primaryKey: true}}
                        - createIndex:
                            tableName: orders
                            indexName: orders_id_customer_idx
                            columns:
                              - column: {name: customer_id}
                """);
        write("db/changes/002-changes.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: columns
                      author: bob
                      changes:
                        - addColumn:
                            tableName: orders
                            columns:
                              - column: {name: note, type: varchar(100)}
                        - addColumn:
                            tableName: orders
                            columns:
                              - column: {name: status, type: varchar(20), constraints: {nullable: false}}
                  - changeSet:
                      id: index
                      author: bob
                      runInTransaction: false
                      changes:
                        - createIndex:
                            tableName: orders
                            indexName: orders_customer_idx
                            columns:
                              - column: {name: customer_id}
                  - changeSet:
                      id: fk
                      author: bob
                      changes:
                        - addForeignKeyConstraint:
                            baseTableName: orders
                            baseColumnNames: customer_id
                            constraintName: orders_customer_fk
                            referencedTableName: customers
                            referencedColumnNames: id
                  - changeSet:
                      id: rename
                      author: carol
                      changes:
                        - renameColumn: {tableName: orders, oldColumnName: note, newColumnName: remark, columnDataType: varchar(100)}
                        - sql:
                            sql: ALTER TABLE orders DROP COLUMN remark
                        - dropTable: {tableName: orders}
                  - changeSet:
                      id: postgres-only
                      author: carol
                      dbms: postgresql
                      changes:
                        - dropTable: {tableName: customers}
                """);
        Path master = write("db/master.yaml", """
                databaseChangeLog:
                  - includeAll:
                      path: changes/
                      relativeToChangelogFile: true
                """);
        assertThat(lint(Target.POSTGRESQL, master))
                .containsExactly(
                        "db/changes/001-init.yaml:6 init::alice allowed [tx] | CREATE TABLE orders (id BIGINT NOT NULL, customer_id BIGINT,"
                                + " CONSTRAINT orders_pkey PRIMARY KEY (id))",
                        "db/changes/001-init.yaml:11 init::alice allowed [tx] | CREATE TABLE customers (id BIGINT NOT NULL, CONSTRAINT customers_pkey PRIMARY KEY (id))",
                        "db/changes/001-init.yaml:15 init::alice allowed [tx] | CREATE INDEX orders_id_customer_idx ON orders(customer_id)",
                        "db/changes/002-changes.yaml:6 columns::bob allowed [tx] | ALTER TABLE orders ADD note VARCHAR(100)",
                        "db/changes/002-changes.yaml:10 columns::bob blocked add-column-not-null [tx] | ALTER TABLE orders ADD status VARCHAR(20) NOT NULL",
                        "db/changes/002-changes.yaml:19 index::bob rewritten require-concurrent-index | CREATE INDEX orders_customer_idx ON orders(customer_id)",
                        "db/changes/002-changes.yaml:28 fk::bob blocked constraint-missing-not-valid [tx] | ALTER TABLE orders ADD CONSTRAINT orders_customer_fk"
                                + " FOREIGN KEY (customer_id) REFERENCES customers (id)",
                        "db/changes/002-changes.yaml:38 rename::carol blocked rename-column [tx] | ALTER TABLE orders RENAME COLUMN note TO remark",
                        "db/changes/002-changes.yaml:40 rename::carol blocked drop-column [tx] | ALTER TABLE orders DROP COLUMN remark",
                        "db/changes/002-changes.yaml:41 rename::carol blocked drop-table [tx] | DROP TABLE orders",
                        "db/changes/002-changes.yaml:47 postgres-only::carol blocked drop-table [tx] | DROP TABLE customers");
        // MariaDB's SQL from Liquibase; dbms: postgresql keeps the last changeset from running there, so from being
        // judged
        assertThat(lint(Target.MARIADB, master))
                .extracting(l -> l.substring(0, l.indexOf(" | ")))
                .containsExactly(
                        "db/changes/001-init.yaml:6 init::alice allowed",
                        "db/changes/001-init.yaml:11 init::alice allowed",
                        "db/changes/001-init.yaml:15 init::alice allowed",
                        "db/changes/002-changes.yaml:6 columns::bob rewritten require-online-ddl",
                        "db/changes/002-changes.yaml:10 columns::bob blocked add-column-not-null require-online-ddl",
                        "db/changes/002-changes.yaml:19 index::bob rewritten require-online-ddl",
                        "db/changes/002-changes.yaml:28 fk::bob blocked no-online-ddl-path",
                        "db/changes/002-changes.yaml:38 rename::carol blocked rename-column no-online-ddl-path",
                        "db/changes/002-changes.yaml:40 rename::carol blocked drop-column require-online-ddl",
                        "db/changes/002-changes.yaml:41 rename::carol blocked drop-table");
    }

    @Test
    void jsonChangelogAndAnIncludedFormattedSqlFile() throws IOException {
        write("db/002-index.sql", """
                --liquibase formatted sql

                --changeset bob:index
                CREATE INDEX orders_c_idx ON orders (customer_id);
                --rollback DROP INDEX orders_c_idx;
                """);
        Path master = write("db/master.json", """
                {"databaseChangeLog": [
                  {"changeSet": {"id": "init", "author": "alice", "changes": [
                    {"createTable": {"tableName": "orders", "columns": [{"column": {"name": "customer_id", "type": "bigint"}}]}}
                  ]}},
                  {"include": {"file": "002-index.sql", "relativeToChangelogFile": true}}
                ]}
                """);
        assertThat(lint(Target.POSTGRESQL, dir.resolve("db")))
                .containsExactly(
                        "db/master.json:3 init::alice allowed [tx] | CREATE TABLE orders (customer_id BIGINT)",
                        // the included .sql file is judged once, through the master, as a file (a run) of its own
                        "db/002-index.sql:4 index::bob blocked require-concurrent-index [tx] | CREATE INDEX orders_c_idx ON orders (customer_id)");
    }

    @Test
    void springBootsLayoutResolvesIncludesFromTheClassPathRoot() throws IOException {
        write("app/src/main/resources/db/changelog/changes/001-orders.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: orders
                      author: alice
                      changes:
                        - createTable: {tableName: orders, columns: [{column: {name: id, type: bigint}}]}
                """);
        write("app/src/main/resources/db/changelog/changes/002-index.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: index
                      author: bob
                      changes:
                        - createIndex: {tableName: orders, indexName: orders_id_idx, columns: [{column: {name: id}}]}
                """);
        // paths relative to the class path root (src/main/resources), as Spring Boot resolves them
        write("app/src/main/resources/db/changelog/db.changelog-master.yaml", """
                databaseChangeLog:
                  - include: {file: db/changelog/changes/001-orders.yaml}
                  - include: {file: classpath:db/changelog/changes/002-index.yaml}
                """);
        write(
                "app/src/main/resources/application.yml",
                "spring:\n  liquibase:\n    change-log: classpath:db/changelog/db.changelog-master.yaml\n");
        write("app/pom.xml", "<project/>\n");
        assertThat(lint(Target.POSTGRESQL, dir.resolve("app")))
                .extracting(l -> l.substring(0, l.indexOf(" | ")))
                .containsExactly(
                        "app/src/main/resources/db/changelog/changes/001-orders.yaml:6 orders::alice allowed [tx]",
                        "app/src/main/resources/db/changelog/changes/002-index.yaml:6 index::bob blocked require-concurrent-index [tx]");
    }

    @Test
    void reportsNameTheChangeset() throws Exception {
        LintResult result = run(Target.POSTGRESQL, xmlMaster());
        StringBuilder text = new StringBuilder();
        TextReport.write(result, text);
        assertThat(text.toString())
                .contains("002-changes.xml:14: block require-concurrent-index: ")
                .contains("  changeset: index::bob\n")
                .contains("10 statements, 6 blocked, 0 warnings, 1 rewrite");
        StringBuilder json = new StringBuilder();
        JsonReport.write(result, json);
        var array = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toString());
        assertThat(array.get(4).get("changeset").asText()).isEqualTo("index::bob");
        assertThat(array.get(4).get("line").asInt()).isEqualTo(14);
        StringBuilder sarif = new StringBuilder();
        SarifReport.write(result, sarif);
        var results = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(sarif.toString())
                .get("runs")
                .get(0)
                .get("results");
        assertThat(results).anySatisfy(r -> {
            assertThat(r.get("ruleId").asText()).isEqualTo("require-concurrent-index");
            assertThat(r.get("properties").get("changeset").asText()).isEqualTo("index::bob");
            assertThat(r.get("locations")
                            .get(0)
                            .get("physicalLocation")
                            .get("region")
                            .get("startLine")
                            .asInt())
                    .isEqualTo(14);
        });
    }

    @Test
    void aChangeLiquibaseCannotGenerateOfflineIsAnErrorNotAPass() throws IOException {
        Path master = write("db/master.xml", HEADER + """
                    <changeSet id="1" author="a">
                        <dropAllForeignKeyConstraints baseTableName="orders"/>
                    </changeSet>
                    <changeSet id="2" author="a">
                        <dropTable tableName="legacy"/>
                    </changeSet>
                    <changeSet id="3" author="a" failOnError="false">
                        <dropAllForeignKeyConstraints baseTableName="payments"/>
                    </changeSet>
                </databaseChangeLog>
                """);
        LintResult result = run(Target.POSTGRESQL, master);
        assertThat(result.errors())
                .hasSize(2)
                .allSatisfy(
                        e -> assertThat(e.message())
                                .isEqualTo(
                                        "not judged: Liquibase cannot generate"
                                                + " its SQL offline: dropAllForeignKeyConstraints reads the live schema to generate its SQL"));
        // failOnError="false" would let Liquibase go on; lint still says it could not judge the changeset
        assertThat(result.errors())
                .extracting(InputError::path)
                .satisfiesExactly(
                        p -> assertThat(p).endsWith("master.xml changeset 1::a"),
                        p -> assertThat(p).endsWith("master.xml changeset 3::a"));
        assertThat(result.findings())
                .singleElement()
                .satisfies(f -> assertThat(f.sql()).isEqualTo("DROP TABLE legacy"));
        assertThat(result.exitCode()).isEqualTo(2);
    }

    @Test
    void aBrokenChangelogIsAnError() throws IOException {
        Path master = write("db/master.xml", HEADER + """
                    <include file="missing.xml" relativeToChangelogFile="true"/>
                </databaseChangeLog>
                """);
        LintResult result = run(Target.POSTGRESQL, master);
        assertThat(result.errors())
                .singleElement()
                .satisfies(e -> assertThat(e.message())
                        .startsWith("Liquibase cannot read this changelog: ")
                        .contains("missing.xml"));
        assertThat(result.exitCode()).isEqualTo(2);
    }

    /** An include cycle is this changelog's error, not a crash that loses the other files' findings. */
    @Test
    void anIncludeCycleIsAnErrorAndTheOtherFilesAreStillJudged() throws IOException {
        write("cycle/a.xml", HEADER + """
                    <include file="b.xml" relativeToChangelogFile="true"/>
                </databaseChangeLog>
                """);
        write("cycle/b.xml", HEADER + """
                    <include file="a.xml" relativeToChangelogFile="true"/>
                </databaseChangeLog>
                """);
        write("cycle/V1__drop.sql", "DROP TABLE users;\n");
        LintResult result = run(Target.POSTGRESQL, dir.resolve("cycle"));
        assertThat(result.errors())
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.message()).contains("includes go too deep"));
        assertThat(result.findings())
                .singleElement()
                .satisfies(f -> assertThat(f.sql()).isEqualTo("DROP TABLE users"));
        assertThat(result.exitCode()).isEqualTo(2);
    }

    /**
     * A changelog saved with a byte-order mark, or in a declared encoding other than UTF-8, is a changelog to Liquibase
     * and to lint (it was skipped without a word when it was the folder's root).
     */
    @Test
    void aChangelogWithAByteOrderMarkOrAnotherEncodingIsRead() throws IOException {
        String xml = HEADER + """
                    <changeSet id="1" author="a">
                        <dropTable tableName="users"/>
                    </changeSet>
                </databaseChangeLog>
                """;
        Path bom = dir.resolve("bom/changelog.xml");
        Files.createDirectories(bom.getParent());
        Files.write(bom, ("\uFEFF" + xml).getBytes(StandardCharsets.UTF_8));
        Path json = dir.resolve("bomjson/changelog.json");
        Files.createDirectories(json.getParent());
        Files.write(
                json,
                ("\uFEFF{\"databaseChangeLog\": [{\"changeSet\": {\"id\": \"1\", \"author\": \"a\", \"changes\": "
                                + "[{\"dropTable\": {\"tableName\": \"users\"}}]}}]}")
                        .getBytes(StandardCharsets.UTF_8));
        Path latin1 = dir.resolve("latin1/changelog.xml");
        Files.createDirectories(latin1.getParent());
        Files.write(
                latin1,
                xml.replace(
                                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                                "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>")
                        .replace("<changeSet", "<!-- \u00c4nderungen --><changeSet")
                        .getBytes(StandardCharsets.ISO_8859_1));
        for (Path folder : List.of(bom.getParent(), json.getParent(), latin1.getParent())) {
            LintResult result = run(Target.POSTGRESQL, folder);
            assertThat(result.findings())
                    .as(folder.toString())
                    .singleElement()
                    .satisfies(f -> assertThat(f.rules().toString()).contains("drop-table"));
        }
    }

    @Test
    void otherXmlAndYamlFilesAreNotChangelogs() throws IOException {
        write("project/pom.xml", "<project><modelVersion>4.0.0</modelVersion></project>\n");
        write("project/application.yml", "spring:\n  liquibase:\n    change-log: x\n");
        write("project/V1__init.sql", "CREATE TABLE t (id int);\n");
        assertThat(SqlFiles.collect(List.of(dir.resolve("project"))).files())
                .extracting(p -> p.getFileName().toString())
                .containsExactly("V1__init.sql");
        LintResult named = run(Target.POSTGRESQL, dir.resolve("project/pom.xml"));
        assertThat(named.errors())
                .singleElement()
                .satisfies(e -> assertThat(e.message())
                        .isEqualTo("not a Liquibase changelog (no databaseChangeLog at its root)"));
    }
}
