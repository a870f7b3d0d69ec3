package dev.ddlguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The command line as a shell script sees it: exit codes, help, errors that say what is wrong. */
class MainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void lintOfSafeMigrationsExitsZero() {
        assertThat(run("lint", "src/test/resources/lint/safe")).isZero();
        assertThat(out.toString()).contains("statements");
    }

    @Test
    void lintWithSomethingBlockedExitsOne() {
        assertThat(run("lint", "src/test/resources/lint/flyway")).isEqualTo(1);
        assertThat(out.toString()).contains(": block drop-table:");
    }

    @Test
    void lintOfAMissingPathExitsTwo() {
        assertThat(run("lint", "no/such/folder")).isEqualTo(2);
        assertThat(err.toString()).contains("no/such/folder");
    }

    @Test
    void lintSaysWhatItJudgedAgainst() {
        assertThat(run("lint", "src/test/resources/lint/safe")).isZero();
        assertThat(out.toString())
                .endsWith("judged as PostgreSQL 15 (assumed; --target-version to change)" + System.lineSeparator());
        assertThat(run("lint", "--target", "mariadb", "--target-version", "10.6", "src/test/resources/lint/safe"))
                .isZero();
        assertThat(out.toString()).contains("judged as MariaDB 10.6" + System.lineSeparator());
        assertThat(run("lint", "--format", "json", "--target-version", "12", "src/test/resources/lint/safe"))
                .isZero();
        assertThat(err.toString()).contains("ddlguard: judged as PostgreSQL 12");
    }

    @Test
    void aBadTargetVersionExitsTwo() {
        assertThat(run("lint", "--target-version", "latest", "src/test/resources/lint/safe"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--target-version").contains("latest");
    }

    @Test
    void aFolderWithoutSqlFilesExitsTwo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path empty) {
        assertThat(run("lint", empty.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(empty + ": no .sql file or Liquibase changelog found under this folder");
        assertThat(out.toString())
                .doesNotContain("0 statements, 0 blocked, 0 warnings, 0 rewrites" + System.lineSeparator());
    }

    @Test
    void jsonAndSarifFormatsAreJson() {
        assertThat(run("lint", "--format", "json", "src/test/resources/lint/flyway"))
                .isEqualTo(1);
        assertThat(out.toString().strip()).startsWith("[").endsWith("]");
        out.getBuffer().setLength(0);
        assertThat(run("lint", "--format=sarif", "src/test/resources/lint/flyway"))
                .isEqualTo(1);
        assertThat(out.toString()).contains("\"version\":\"2.1.0\"");
    }

    @Test
    void targetIsCaseInsensitiveAndChecked() {
        assertThat(run("lint", "--target", "MariaDB", "src/test/resources/lint/mariadb"))
                .isEqualTo(1);
        assertThat(run("lint", "--target", "oracle", "src/test/resources/lint/safe"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("oracle");
    }

    @Test
    void badUsageExitsTwoAndSaysWhy() {
        assertThat(run("lint")).isEqualTo(2);
        assertThat(err.toString()).contains("PATH");
        assertThat(run("lint", "--format", "xml", "x.sql")).isEqualTo(2);
        assertThat(run()).isEqualTo(2);
    }

    @Test
    void aBadConfigFileExitsTwo() {
        assertThat(run("lint", "--config", "no-such.properties", "src/test/resources/lint/safe"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("no-such.properties");
    }

    @Test
    void helpAndVersion() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("lint").contains("plan");
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).contains("ddlguard");
    }

    @Test
    void planPrintsPhases() {
        assertThat(run("plan", "--target", "postgresql", "ALTER TABLE users RENAME COLUMN email TO email_address"))
                .isZero();
        assertThat(out.toString())
                .containsIgnoringCase("expand")
                .containsIgnoringCase("contract")
                .contains("email_address");
    }

    @Test
    void planOfAStatementThatNeedsNoPlanExitsTwo() {
        assertThat(run("plan", "CREATE TABLE t (id int)")).isEqualTo(2);
        assertThat(err.toString()).startsWith("ddlguard: ");
    }
}
