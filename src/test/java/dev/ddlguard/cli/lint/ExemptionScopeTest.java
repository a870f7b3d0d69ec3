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
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a script's own objects exempt, and what they do not: every name a statement acts on must be one the script
 * created (not only the first of a list), in the same schema (a qualified name and an unqualified one are the same
 * table only where the script set the schema), and spelled as the server compares names.
 */
class ExemptionScopeTest {

    @TempDir
    Path dir;

    /** One line per statement: its line, the decision, the rules that act (an exempted rule is left out). */
    /** The lines of a script whose first {@code allowed} statements are allowed, then {@code then}. */
    private static String[] allowedThen(int allowed, String... then) {
        return Stream.concat(IntStream.rangeClosed(1, allowed).mapToObj(i -> i + " allowed"), Stream.of(then))
                .toArray(String[]::new);
    }

    private List<String> lint(Target target, String script) throws IOException {
        Path file = dir.resolve("script.sql");
        Files.writeString(file, script, StandardCharsets.UTF_8);
        LintResult result = Linter.lint(List.of(file), new LintOptions(target, Policy.defaults()));
        assertThat(result.errors()).isEmpty();
        return result.findings().stream()
                .map(f -> f.line() + " " + f.decision().value()
                        + f.rules().stream()
                                .filter(v -> v.action() != Action.ALLOW)
                                .map(v -> " " + v.ruleId())
                                .collect(Collectors.joining()))
                .toList();
    }

    @Test
    void everyNameOfAListMustBeNewNotTheFirstOnly() throws IOException {
        assertThat(lint(Target.POSTGRESQL, """
                        CREATE TABLE y1 (id int);
                        TRUNCATE TABLE ONLY y1, customers RESTART IDENTITY CASCADE;
                        LOCK TABLE y1, customers;
                        VACUUM FULL y1, customers;
                        CREATE INDEX ni ON y1 (id);
                        DROP INDEX ni, old_idx;
                        """))
                .containsExactly(
                        "1 allowed",
                        "2 blocked truncate-table",
                        "3 blocked explicit-lock",
                        "4 blocked table-rewrite",
                        "5 allowed",
                        "6 blocked require-concurrent-index-drop");
        assertThat(lint(Target.MARIADB, """
                        CREATE TABLE ca (id int);
                        RENAME TABLE ca TO cb, customers TO cust2;
                        DROP TABLE cb, customers;
                        """))
                .containsExactly("1 allowed", "2 blocked rename-table", "3 blocked drop-table");
    }

    @Test
    void aListOfTheScriptsOwnTablesStaysExempt() throws IOException {
        assertThat(lint(Target.POSTGRESQL, """
                        CREATE TABLE y1 (id int);
                        CREATE TABLE y2 (id int);
                        TRUNCATE TABLE ONLY y1, y2 RESTART IDENTITY CASCADE;
                        LOCK TABLE y1, y2;
                        VACUUM FULL y1, y2;
                        CREATE INDEX n1 ON y1 (id);
                        CREATE INDEX n2 ON y2 (id);
                        DROP INDEX n1, n2;
                        DROP TABLE y1, y2;
                        """)).containsExactly(allowedThen(9));
        assertThat(lint(Target.MARIADB, """
                        CREATE TABLE ca (id int);
                        CREATE TABLE cc (id int);
                        RENAME TABLE ca TO cb, cc TO cd;
                        DROP TABLE cb, cd;
                        """)).containsExactly(allowedThen(4));
    }

    @Test
    void aTableOfAnotherSchemaIsNotTheScriptsOwn() throws IOException {
        // the search path is unknown: accounts is not scratch.accounts, tmp_a not prod.tmp_a
        assertThat(lint(Target.POSTGRESQL, """
                        CREATE TABLE scratch.accounts (id int, x int);
                        DROP TABLE accounts;
                        ALTER TABLE accounts DROP COLUMN x;
                        TRUNCATE accounts;
                        ALTER TABLE accounts RENAME TO acc2;
                        CREATE TABLE tmp_a (id int);
                        TRUNCATE public.tmp_a;
                        """))
                .containsExactly(
                        "1 allowed",
                        "2 blocked drop-table",
                        "3 blocked drop-column",
                        "4 blocked truncate-table",
                        "5 blocked rename-table",
                        "6 allowed",
                        "7 blocked truncate-table");
        assertThat(lint(Target.MARIADB, """
                        CREATE TABLE scratch.accounts (id int, x int);
                        DROP TABLE accounts;
                        CREATE TABLE tmp_a (id int);
                        DROP TABLE prod.tmp_a;
                        """))
                .containsExactly("1 allowed", "2 blocked drop-table", "3 allowed", "4 blocked drop-table");
    }

    @Test
    void theSchemaTheScriptSetJoinsQualifiedAndUnqualifiedNames() throws IOException {
        assertThat(lint(Target.POSTGRESQL, """
                        CREATE TABLE scratch.accounts (id int);
                        SET search_path TO scratch, public;
                        TRUNCATE accounts;
                        CREATE TABLE t2 (id int);
                        TRUNCATE scratch.t2;
                        TRUNCATE public.t2;
                        RESET search_path;
                        TRUNCATE t2;
                        TRUNCATE scratch.t2;
                        """))
                .containsExactly(
                        "1 allowed",
                        "3 allowed",
                        "4 allowed",
                        "5 allowed",
                        "6 blocked truncate-table",
                        "8 blocked truncate-table",
                        "9 allowed");
        assertThat(lint(Target.MARIADB, """
                        USE app;
                        CREATE TABLE t (id int);
                        DROP TABLE app.t;
                        CREATE TABLE scratch.u (id int);
                        USE scratch;
                        DROP TABLE u;
                        """)).containsExactly("2 allowed", "3 allowed", "4 allowed", "6 allowed");
    }

    @Test
    void namesCompareAsTheServerFoldsThem() throws IOException {
        // MySQL/MariaDB on Linux (lower_case_table_names=0) keep Orders and orders apart; lint does not know the
        // setting, so only the very spelling is the script's table
        assertThat(lint(Target.MARIADB, """
                        CREATE TABLE Orders (id int);
                        DROP TABLE orders;
                        DROP TABLE Orders;
                        """)).containsExactly("1 allowed", "2 blocked drop-table", "3 allowed");
        // PostgreSQL folds unquoted names: Orders is orders, "Orders" is not
        assertThat(lint(Target.POSTGRESQL, """
                        CREATE TABLE Orders (id int);
                        TRUNCATE orders;
                        CREATE TABLE "Items" (id int);
                        TRUNCATE items;
                        TRUNCATE "Items";
                        """))
                .containsExactly(allowedThen(3, "4 blocked truncate-table", "5 allowed"));
    }

    @Test
    void aTableCreatedIfNotExistsInTheScriptsTransactionIsItsOwn() throws IOException {
        assertThat(lint(Target.POSTGRESQL, """
                        BEGIN;
                        CREATE TABLE IF NOT EXISTS q2 (id int);
                        CREATE INDEX q2_i ON q2 (id);
                        COMMIT;
                        BEGIN;
                        CREATE TABLE q3 (id int);
                        CREATE INDEX q3_i ON q3 (id);
                        ALTER TABLE q3 ADD COLUMN y int NOT NULL;
                        COMMIT;
                        """))
                .containsExactly("2 allowed", "3 allowed", "6 allowed", "7 allowed", "8 allowed");
    }

    @Test
    void aTemporaryTableIsTheSessionsOwnUntilItIsGone() throws IOException {
        assertThat(lint(Target.POSTGRESQL, """
                        CREATE TEMP TABLE tt (id int);
                        ALTER TABLE tt ADD COLUMN y int NOT NULL;
                        TRUNCATE tt;
                        CREATE INDEX ON tt (id);
                        DROP TABLE tt;
                        TRUNCATE tt;
                        BEGIN;
                        CREATE TEMP TABLE customers (id int);
                        TRUNCATE customers;
                        ROLLBACK;
                        TRUNCATE customers;
                        CREATE TEMP TABLE tx (id int) ON COMMIT DROP;
                        TRUNCATE tx;
                        """))
                .containsExactly(
                        "1 allowed",
                        "2 allowed",
                        "3 allowed",
                        "4 allowed",
                        "5 allowed",
                        // dropped: tt is a permanent table again, one the script did not create
                        "6 blocked truncate-table",
                        "8 allowed",
                        "9 allowed",
                        // the rollback took the temporary table back
                        "11 blocked truncate-table",
                        "12 allowed",
                        // ON COMMIT DROP outside a transaction: gone with its own statement
                        "13 blocked truncate-table");
        // MySQL/MariaDB: DROP TABLE of a name with a temporary table drops the temporary one
        assertThat(lint(Target.MARIADB, """
                        CREATE TEMPORARY TABLE customers (id int);
                        DROP TABLE customers;
                        DROP TABLE customers;
                        """)).containsExactly("1 allowed", "2 allowed", "3 blocked drop-table");
    }

    @Test
    void viewsSequencesTypesAndDomainsOfTheScriptAreItsOwn() throws IOException {
        assertThat(lint(Target.POSTGRESQL, """
                        CREATE MATERIALIZED VIEW mv AS SELECT 1 AS x;
                        REFRESH MATERIALIZED VIEW mv;
                        CREATE DOMAIN posint AS int;
                        ALTER DOMAIN posint ADD CONSTRAINT c2 CHECK (VALUE < 100);
                        ALTER DOMAIN posint SET NOT NULL;
                        CREATE VIEW v1 AS SELECT 1 AS x;
                        DROP VIEW v1;
                        REFRESH MATERIALIZED VIEW other_mv;
                        DROP VIEW v1;
                        """))
                .containsExactly(
                        allowedThen(7, "8 blocked refresh-materialized-view-concurrently", "9 blocked drop-view"));
        // a column of an existing table may use the new domain: its values are checked under a SHARE lock
        assertThat(lint(Target.POSTGRESQL, """
                        CREATE DOMAIN posint AS int;
                        ALTER TABLE customers ADD COLUMN n posint;
                        ALTER DOMAIN posint ADD CONSTRAINT c2 CHECK (VALUE < 100);
                        """))
                .containsExactly("1 allowed", "2 allowed", "3 blocked domain-constraint-scan");
        assertThat(lint(Target.MARIADB, """
                        CREATE SEQUENCE s1;
                        ALTER SEQUENCE s1 RESTART WITH 5;
                        ALTER SEQUENCE s2 RESTART WITH 5;
                        """)).containsExactly("1 allowed", "2 allowed", "3 warned restart-sequence");
    }

    /**
     * PostgreSQL folds A to Z only: {@code Kv} with the Kelvin sign is not {@code kv} (the server keeps the sign as
     * written), but it is {@code KV} with the same sign (the V folds).
     */
    @Test
    void aNonAsciiCapitalIsNotFoldedAsPostgreSqlDoesNot() throws IOException {
        assertThat(lint(Target.POSTGRESQL, """
                        CREATE TABLE \u212Av (id int);
                        DROP TABLE kv;
                        DROP TABLE \u212AV;
                        CREATE TABLE Orders (id int);
                        DROP TABLE ORDERS;
                        """))
                .containsExactly("1 allowed", "2 blocked drop-table", "3 allowed", "4 allowed", "5 allowed");
    }
}
