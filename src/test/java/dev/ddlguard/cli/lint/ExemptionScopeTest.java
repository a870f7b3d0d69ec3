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
 * What a script's own objects exempt, and what they do not: every name a statement acts on must be one the script
 * created (not only the first of a list), in the same schema (a qualified name and an unqualified one are the same
 * table only where the script set the schema), and spelled as the server compares names.
 */
class ExemptionScopeTest {

    @TempDir
    Path dir;

    /** One line per statement: its line, the decision, the rules that act (an exempted rule is left out). */
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
                        """))
                .containsExactly(
                        "1 allowed",
                        "2 allowed",
                        "3 allowed",
                        "4 allowed",
                        "5 allowed",
                        "6 allowed",
                        "7 allowed",
                        "8 allowed",
                        "9 allowed");
        assertThat(lint(Target.MARIADB, """
                        CREATE TABLE ca (id int);
                        CREATE TABLE cc (id int);
                        RENAME TABLE ca TO cb, cc TO cd;
                        DROP TABLE cb, cd;
                        """)).containsExactly("1 allowed", "2 allowed", "3 allowed", "4 allowed");
    }
}
