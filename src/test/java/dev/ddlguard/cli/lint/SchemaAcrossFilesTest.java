package dev.ddlguard.cli.lint;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Lint carries the schema a folder builds from file to file, in the tool's order, and judges each statement
 * as the driver would at run time: a table of an earlier file is an existing table (an earlier deploy), a
 * table the same script created is new (this transaction, or this run).
 */
class SchemaAcrossFilesTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private List<String> lint(Target target, String version) {
        LintResult result = Linter.lint(List.of(dir), LintOptions.of(target, Policy.defaults(), version));
        assertThat(result.errors()).isEmpty();
        return result.findings().stream()
                .map(f -> dir.relativize(Path.of(f.file())) + ":" + f.line() + " "
                        + f.decision().value()
                        + f.rules().stream()
                                .filter(v -> v.action() != dev.ddlguard.policy.Action.ALLOW)
                                .map(v -> " " + v.ruleId())
                                .collect(Collectors.joining()))
                .toList();
    }

    private List<String> lint(Target target) {
        return lint(target, null);
    }

    @Test
    void foldersAreReadInFlywayOrderThenRepeatablesThenTheRest() throws IOException {
        for (String name : List.of(
                "V10__j.sql",
                "V2__b.sql",
                "V1_1__a1.sql",
                "V1__a.sql",
                "sub/V3__c.sql",
                "V1.2__a2.sql",
                "R__z_view.sql",
                "R__a_view.sql",
                "U2__undo_b.sql",
                "seed.sql")) {
            write(name, "SELECT 1;\n");
        }
        List<String> order = SqlFiles.collect(List.of(dir)).files().stream()
                .map(p -> dir.relativize(p).toString())
                .toList();
        assertThat(order)
                .containsExactly(
                        "V1__a.sql",
                        "V1_1__a1.sql",
                        "V1.2__a2.sql",
                        "V2__b.sql",
                        "sub/V3__c.sql",
                        "V10__j.sql",
                        "R__a_view.sql",
                        "R__z_view.sql",
                        "U2__undo_b.sql",
                        "seed.sql");
    }

    @Test
    void aTableOfAnEarlierScriptIsAnExistingTable() throws IOException {
        write("V1__create.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);\n");
        write("V2__index.sql", "CREATE INDEX orders_c_idx ON orders (customer_id);\n");
        // V1 ran in an earlier deploy: the index build blocks writes, and Flyway's transaction forbids CONCURRENTLY
        assertThat(lint(Target.POSTGRESQL))
                .containsExactly("V1__create.sql:1 allowed", "V2__index.sql:1 blocked require-concurrent-index");
    }

    @Test
    void aTableCreatedEarlierInTheSameTransactionIsNew() throws IOException {
        write("V1__create.sql", """
                CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);
                CREATE INDEX orders_c_idx ON orders (customer_id);
                ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);
                DROP INDEX orders_c_idx;
                """);
        // as at run time: PostgreSQL's catalog says the table's row is this transaction's, so nobody can wait on it
        assertThat(lint(Target.POSTGRESQL))
                .containsExactly(
                        "V1__create.sql:1 allowed",
                        "V1__create.sql:2 allowed",
                        "V1__create.sql:3 allowed",
                        "V1__create.sql:4 allowed");
    }

    @Test
    void outsideATransactionTheSameScriptsTableIsNewToThisRun() throws IOException {
        write("V1__create.sql", """
                CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);
                CREATE INDEX orders_c_idx ON orders (customer_id);
                """);
        write("V1__create.sql.conf", "executeInTransaction=false\n");
        assertThat(lint(Target.POSTGRESQL)).containsExactly("V1__create.sql:1 allowed", "V1__create.sql:2 allowed");
    }

    @Test
    void aTableCommittedBeforeTheScriptsOwnTransactionIsNotOfThatTransaction() throws IOException {
        write("setup.sql", """
                CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);
                BEGIN;
                ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total > 0) NOT VALID;
                ALTER TABLE orders VALIDATE CONSTRAINT total_positive;
                COMMIT;
                """);
        // a plain script in autocommit: the table is of this run (exempt), so even VALIDATE in the adding transaction
        // passes
        assertThat(lint(Target.POSTGRESQL))
                .containsExactly("setup.sql:1 allowed", "setup.sql:3 allowed", "setup.sql:4 allowed");
    }

    @Test
    void mysqlHasNoTransactionalDdlButTheSameScriptIsTheSameRun() throws IOException {
        write(
                "V1__create.sql",
                "CREATE TABLE orders (id INT PRIMARY KEY, c INT);\nALTER TABLE orders ADD INDEX c_idx (c);\n");
        write("V2__index.sql", "ALTER TABLE orders ADD INDEX c2_idx (c);\n");
        assertThat(lint(Target.MARIADB))
                .containsExactly(
                        "V1__create.sql:1 allowed",
                        "V1__create.sql:2 allowed",
                        "V2__index.sql:1 rewritten require-online-ddl");
    }

    @Test
    void validateInTheTransactionThatAddedNotValidIsCaught() throws IOException {
        write("V1__check.sql", """
                ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;
                ALTER TABLE users VALIDATE CONSTRAINT email_nn;
                """);
        assertThat(lint(Target.POSTGRESQL))
                .containsExactly("V1__check.sql:1 allowed", "V1__check.sql:2 blocked validate-in-adding-transaction");
    }

    @Test
    void validateInALaterScriptIsTheSafePath() throws IOException {
        write("V1__check.sql", "ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;\n");
        write("V2__validate.sql", "ALTER TABLE users VALIDATE CONSTRAINT email_nn;\n");
        assertThat(lint(Target.POSTGRESQL)).containsExactly("V1__check.sql:1 allowed", "V2__validate.sql:1 allowed");
    }

    @Test
    void setNotNullAfterAValidatedCheckSkipsTheScanOnPostgresql12() throws IOException {
        write("V1__check.sql", "ALTER TABLE users ADD CONSTRAINT email_nn CHECK (Email IS NOT NULL) NOT VALID;\n");
        write("V2__validate.sql", "ALTER TABLE users VALIDATE CONSTRAINT email_nn;\n");
        write("V3__not_null.sql", "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n");
        assertThat(lint(Target.POSTGRESQL))
                .containsExactly("V1__check.sql:1 allowed", "V2__validate.sql:1 allowed", "V3__not_null.sql:1 allowed");
        // before 12 the server scans anyway
        assertThat(lint(Target.POSTGRESQL, "11")).contains("V3__not_null.sql:1 blocked set-not-null");
    }

    @Test
    void setNotNullAfterACheckNotYetValidatedStillScans() throws IOException {
        write("V1__check.sql", "ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;\n");
        write("V3__not_null.sql", "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n");
        assertThat(lint(Target.POSTGRESQL))
                .containsExactly("V1__check.sql:1 allowed", "V3__not_null.sql:1 blocked set-not-null");
    }

    @Test
    void aCheckAddedValidatedByTheGuardsRewriteCountsAsValidated() throws IOException {
        write("V1__check.sql", "ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL);\n");
        write("V1__check.sql.conf", "executeInTransaction=false\n");
        write("V2__not_null.sql", "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n");
        assertThat(lint(Target.POSTGRESQL))
                .containsExactly(
                        "V1__check.sql:1 rewritten constraint-missing-not-valid", "V2__not_null.sql:1 allowed");
    }

    @Test
    void aTableDroppedEarlierMakesDropIfExistsANoOp() throws IOException {
        write("V1__drop.sql", "-- ddlguard:allow drop-table archived in OPS-1\nDROP TABLE legacy;\n");
        write("V2__again.sql", "DROP TABLE IF EXISTS legacy;\n");
        assertThat(lint(Target.POSTGRESQL)).containsExactly("V1__drop.sql:2 allowed", "V2__again.sql:1 allowed");
    }

    @Test
    void createIfNotExistsCreatesATableNothingEarlierSaysExists() throws IOException {
        write(
                "V7__ensure.sql",
                "CREATE TABLE IF NOT EXISTS orders (id bigint PRIMARY KEY, c bigint);\nCREATE INDEX orders_c_idx ON orders (c);\n");
        assertThat(lint(Target.POSTGRESQL)).containsExactly("V7__ensure.sql:1 allowed", "V7__ensure.sql:2 allowed");
        // once the folder dropped it, the CREATE … IF NOT EXISTS surely creates it
        write("V6__drop.sql", "-- ddlguard:allow drop-table replaced in V7\nDROP TABLE orders;\n");
        assertThat(lint(Target.POSTGRESQL))
                .containsExactly("V6__drop.sql:2 allowed", "V7__ensure.sql:1 allowed", "V7__ensure.sql:2 allowed");
        // an earlier file created it: IF NOT EXISTS finds it there, an existing table
        write("V6__drop.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, c bigint);\n");
        assertThat(lint(Target.POSTGRESQL))
                .containsExactly(
                        "V6__drop.sql:1 allowed",
                        "V7__ensure.sql:1 allowed",
                        "V7__ensure.sql:2 blocked require-concurrent-index");
    }

    @Test
    void aTableRenamedInTheSameTransactionStaysNew() throws IOException {
        write("V1__create.sql", """
                CREATE TABLE orders_new (id bigint PRIMARY KEY, customer_id bigint);
                ALTER TABLE orders_new RENAME TO orders2;
                CREATE INDEX orders2_c_idx ON orders2 (customer_id);
                """);
        assertThat(lint(Target.POSTGRESQL))
                .containsExactly("V1__create.sql:1 allowed", "V1__create.sql:2 allowed", "V1__create.sql:3 allowed");
    }
}
