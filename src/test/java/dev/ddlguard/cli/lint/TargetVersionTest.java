package dev.ddlguard.cli.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddlguard.engine.Decision;
import dev.ddlguard.policy.Policy;
import dev.ddlguard.policy.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code --target-version}: how it is read, and that it reaches the rules as a connection's version would. */
class TargetVersionTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
        "postgresql, 12,        120000, PostgreSQL 12",
        "postgresql, 15.4,      150004, PostgreSQL 15.4",
        "postgresql, 9.6.3,     90603,  PostgreSQL 9.6.3",
        "mysql,      8.0,       80000,  MySQL 8.0",
        "mysql,      8.0.35,    80035,  MySQL 8.0.35",
        "mariadb,    10.11,     101100, MariaDB 10.11",
        "mariadb,    10.11.6-MariaDB, 101106, MariaDB 10.11.6",
    })
    void readsVersionsAsTheServersReportThem(String target, String written, int number, String described) {
        Target t = Target.valueOf(target.toUpperCase(java.util.Locale.ROOT));
        ServerVersion v = ServerVersion.parse(t, written);
        assertThat(v.number()).isEqualTo(number);
        assertThat(v.assumed()).isFalse();
        assertThat(v.describe(t)).isEqualTo(described);
        assertThat(v.judgedAs(t)).isEqualTo("judged as " + described);
    }

    @Test
    void rejectsWhatIsNoVersion() {
        assertThatThrownBy(() -> ServerVersion.parse(Target.POSTGRESQL, "fifteen"))
                .hasMessageContaining("fifteen");
        assertThatThrownBy(() -> ServerVersion.parse(Target.POSTGRESQL, "15.4.1"))
                .hasMessageContaining("major.minor");
        assertThatThrownBy(() -> ServerVersion.parse(Target.MYSQL, "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withoutOneTheDriversOfflineDefaultIsAssumedAndSaid() {
        assertThat(ServerVersion.assumedFor(Target.POSTGRESQL).judgedAs(Target.POSTGRESQL))
                .isEqualTo("judged as PostgreSQL 15 (assumed; --target-version to change)");
        assertThat(ServerVersion.assumedFor(Target.MARIADB).describe(Target.MARIADB))
                .isEqualTo("MariaDB 10.11");
        assertThat(ServerVersion.assumedFor(Target.MYSQL).describe(Target.MYSQL))
                .isEqualTo("MySQL 8.4");
        // AUTO: the config's target, else PostgreSQL
        assertThat(new LintOptions(Target.AUTO, Policy.defaults())
                        .effectiveVersion()
                        .describe(Target.POSTGRESQL))
                .isEqualTo("PostgreSQL 15");
    }

    private LintResult lint(Target target, String version, String sql) throws IOException {
        Path file = Files.writeString(dir.resolve("change.sql"), sql);
        return Linter.lint(List.of(file), LintOptions.of(target, Policy.defaults(), version));
    }

    /**
     * The lock model's version-dependent locks (PgLockVersions) see --target-version too, as they see a connection's
     * server_version_num: before PostgreSQL 12, ATTACH PARTITION takes ACCESS EXCLUSIVE on the parent; from 12 on,
     * SHARE UPDATE EXCLUSIVE.
     */
    @Test
    void postgresqlVersionReachesTheLockModel() throws IOException {
        String sql = "ALTER TABLE measurements ATTACH PARTITION measurements_2026 FOR VALUES FROM (1) TO (2);\n";
        assertThat(lint(Target.POSTGRESQL, "11", sql).findings())
                .singleElement()
                .satisfies(f -> assertThat(f.lock().mode()).isEqualTo("ACCESS EXCLUSIVE"));
        assertThat(lint(Target.POSTGRESQL, "15", sql).findings())
                .singleElement()
                .satisfies(f -> assertThat(f.lock().mode()).isEqualTo("SHARE UPDATE EXCLUSIVE"));
    }

    @Test
    void postgresqlVersionDecidesWhetherADefaultRewritesTheTable() throws IOException {
        String sql = "ALTER TABLE orders ADD COLUMN c int DEFAULT 0;\n";
        LintResult old = lint(Target.POSTGRESQL, "10", sql);
        assertThat(old.findings()).singleElement().satisfies(f -> {
            assertThat(f.decision()).isEqualTo(Decision.BLOCKED);
            assertThat(f.rules()).extracting(v -> v.ruleId()).containsExactly("add-column-rewrites-table");
        });
        assertThat(old.judgedAs()).isEqualTo("judged as PostgreSQL 10");
        LintResult current = lint(Target.POSTGRESQL, null, sql);
        assertThat(current.findings())
                .singleElement()
                .satisfies(f -> assertThat(f.decision()).isEqualTo(Decision.ALLOWED));
        assertThat(current.judgedAs()).endsWith("(assumed; --target-version to change)");
    }

    @Test
    void mysqlVersionDecidesTheAlgorithmOfTheRewrite() throws IOException {
        String sql = "ALTER TABLE orders ADD COLUMN c INT;\n";
        assertThat(lint(Target.MYSQL, "5.7", sql).findings())
                .singleElement()
                .satisfies(f -> assertThat(f.rewrittenSql()).contains("ALGORITHM=INPLACE, LOCK=NONE"));
        assertThat(lint(Target.MYSQL, "8.0.35", sql).findings())
                .singleElement()
                .satisfies(f -> assertThat(f.rewrittenSql()).contains("ALGORITHM=INSTANT"));
    }

    @Test
    void aFolderWithoutSqlIsAnErrorNotACleanRun() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(empty.resolve("README.md"), "# not SQL");
        Files.createDirectories(empty.resolve(".git"));
        Files.writeString(empty.resolve(".git/hidden.sql"), "DROP TABLE orders;");
        LintResult result = Linter.lint(List.of(empty), new LintOptions(Target.POSTGRESQL, Policy.defaults()));
        assertThat(result.errors())
                .containsExactly(new InputError(
                        empty.toString(),
                        "no .sql file or Liquibase changelog found under this folder (hidden folders are skipped)"));
        assertThat(result.exitCode()).isEqualTo(2);
    }

    @Test
    void onlyScriptConfigsGivenIsAnErrorToo() throws IOException {
        Path conf = Files.writeString(dir.resolve("V1__x.sql.conf"), "executeInTransaction=false\n");
        LintResult result = Linter.lint(List.of(conf), new LintOptions(Target.POSTGRESQL, Policy.defaults()));
        assertThat(result.errors())
                .singleElement()
                .satisfies(e -> assertThat(e.message()).isEqualTo("no .sql file or Liquibase changelog to lint"));
        assertThat(result.exitCode()).isEqualTo(2);
    }
}
