package dev.ddlguard.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lint goal as a build runs it: what it logs, the report it leaves, and when it fails the build. */
class LintMojoTest {

    static final String CREATE = "CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL);\n";
    static final String ADD_NULLABLE = "ALTER TABLE customers ADD COLUMN email text;\n";
    static final String DROP = "-- gone\nDROP TABLE customers;\n";
    // Outside Flyway's transaction (the .conf), so the guard can rewrite it to CREATE INDEX CONCURRENTLY.
    static final String INDEX = "CREATE INDEX customers_name_idx ON customers (name);\n";

    @TempDir
    Path dir;

    final RecordingLog log = new RecordingLog();

    Path migrations(String... nameThenSql) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("db/migration"));
        for (int i = 0; i < nameThenSql.length; i += 2) {
            Files.writeString(folder.resolve(nameThenSql[i]), nameThenSql[i + 1]);
        }
        return folder;
    }

    LintMojo mojo(Path... paths) {
        LintMojo mojo = new LintMojo();
        mojo.paths = java.util.Arrays.stream(paths).map(Path::toFile).toArray(File[]::new);
        mojo.target = "postgresql";
        mojo.format = "sarif";
        mojo.failOn = "block";
        mojo.projectConfig = dir.resolve("src/main/resources/ddlguard.properties").toFile();
        mojo.reportDirectory = dir.resolve("target/ddlguard").toFile();
        mojo.setLog(log);
        return mojo;
    }

    Path report(String name) {
        return dir.resolve("target/ddlguard").resolve(name);
    }

    @Test
    void safeMigrationsPassAndLeaveAnEmptySarifReport() throws Exception {
        LintMojo mojo = mojo(migrations("V1__create.sql", CREATE, "V2__email.sql", ADD_NULLABLE));

        mojo.execute();

        assertThat(log.at("ERROR")).isEmpty();
        assertThat(log.at("INFO")).anyMatch(l -> l.contains("ddlguard lint (postgresql): 2 files, 2 statements, 0 blocked"));
        String sarif = Files.readString(report("lint.sarif"));
        assertThat(sarif).contains("\"version\":\"2.1.0\"").contains("\"results\":[]");
    }

    @Test
    void aDropTableFailsTheBuildNamingFileLineAndRule() throws Exception {
        Path folder = migrations("V1__create.sql", CREATE, "V2__drop.sql", DROP);
        LintMojo mojo = mojo(folder);

        assertThatThrownBy(mojo::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("1 statement at failOn=block, first " + folder.resolve("V2__drop.sql") + ":2 (drop-table)");

        // like a compiler: the line of the statement, not of the comment above it
        assertThat(log.at("ERROR")).anySatisfy(l -> assertThat(l)
                .startsWith(folder.resolve("V2__drop.sql") + ":2: block drop-table: drops table customers"));
        assertThat(log.at("INFO")).containsSubsequence("  safe alternative:", "    -- 1. keep a copy",
                "    CREATE TABLE customers_backup AS SELECT * FROM customers;");
        String sarif = Files.readString(report("lint.sarif"));
        assertThat(sarif).contains("\"ruleId\":\"drop-table\"").contains("\"level\":\"error\"").contains("V2__drop.sql");
    }

    /**
     * A Liquibase XML changelog: the goal has liquibase-core, so its changes are judged as Liquibase generates them
     * (orders is an earlier deploy's table; customers, made by this changelog, is new).
     */
    @Test
    void aLiquibaseXmlChangelogIsJudgedByItsChangeSets() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("db/changelog"));
        Files.writeString(folder.resolve("db.changelog-master.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog
                        http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-4.33.xsd">
                  <changeSet id="1" author="ana">
                    <createTable tableName="customers">
                      <column name="id" type="bigint"><constraints primaryKey="true"/></column>
                    </createTable>
                  </changeSet>
                  <changeSet id="2" author="ana">
                    <dropTable tableName="orders"/>
                  </changeSet>
                </databaseChangeLog>
                """);
        LintMojo mojo = mojo(folder);

        assertThatThrownBy(mojo::execute).isInstanceOf(MojoFailureException.class).hasMessageContaining("(drop-table)");
        assertThat(log.at("ERROR")).anySatisfy(l -> assertThat(l).contains("db.changelog-master.xml").contains("drop-table"));
    }

    @Test
    void failOnNeverReportsButPasses() throws Exception {
        LintMojo mojo = mojo(migrations("V1__drop.sql", DROP));
        mojo.failOn = "never";
        mojo.format = "json";

        mojo.execute();

        assertThat(log.at("WARN")).anyMatch(l -> l.contains(": block drop-table: "));
        assertThat(Files.readString(report("lint.json"))).contains("\"decision\":\"blocked\"").contains("drop-table");
    }

    @Test
    void aRewriteFailsOnlyAtFailOnRewrite() throws Exception {
        Path folder = migrations("V1__create.sql", CREATE, "V2__index.sql", INDEX,
                "V2__index.sql.conf", "executeInTransaction=false\n");
        for (String passing : new String[] {"block", "warn"}) {
            LintMojo mojo = mojo(folder);
            mojo.failOn = passing;
            mojo.execute();
        }
        assertThat(log.at("WARN")).anyMatch(l -> l.contains("V2__index.sql:1: rewrite require-concurrent-index:"));

        LintMojo strict = mojo(folder);
        strict.failOn = "rewrite";
        assertThatThrownBy(strict::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("1 statement at failOn=rewrite");
        assertThat(log.at("ERROR")).anyMatch(l -> l.contains("V2__index.sql:1: rewrite require-concurrent-index:"));
    }

    @Test
    void theProjectsDdlguardPropertiesSetsTheRuleActionsAndFailOnWarnCatchesAWarning() throws Exception {
        Path folder = migrations("V1__drop.sql", DROP);
        Files.createDirectories(dir.resolve("src/main/resources"));
        Files.writeString(dir.resolve("src/main/resources/ddlguard.properties"), "ddlguard.rule.drop-table=warn\n");

        mojo(folder).execute();   // failOn=block: a warning passes
        assertThat(log.at("WARN")).anyMatch(l -> l.contains("V1__drop.sql:2: warn drop-table:"));

        LintMojo strict = mojo(folder);
        strict.failOn = "warn";
        assertThatThrownBy(strict::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("at failOn=warn");
    }

    @Test
    void anExplicitConfigWinsOverTheProjectsAndABadOneIsAClearError() throws Exception {
        Path folder = migrations("V1__drop.sql", DROP);
        Files.createDirectories(dir.resolve("src/main/resources"));
        Files.writeString(dir.resolve("src/main/resources/ddlguard.properties"), "ddlguard.rule.drop-table=allow\n");
        LintMojo mojo = mojo(folder);
        mojo.config = Files.writeString(dir.resolve("strict.properties"), "ddlguard.rule.drop-table=block\n").toFile();
        assertThatThrownBy(mojo::execute).isInstanceOf(MojoFailureException.class);

        LintMojo bad = mojo(folder);
        bad.config = Files.writeString(dir.resolve("bad.properties"), "ddlguard.rule.no-such-rule=warn\n").toFile();
        assertThatThrownBy(bad::execute).isInstanceOf(MojoExecutionException.class)
                .hasMessageContaining("unknown setting at line 1 of ddlguard.config file " + bad.config);
    }

    @Test
    void aMissingPathFailsTheBuildInsteadOfPassingSilently() {
        LintMojo mojo = mojo(dir.resolve("src/main/resources/db/migration"));
        mojo.failOn = "never";   // not even "never" lets an unreadable input pass

        assertThatThrownBy(mojo::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("db/migration").hasMessageContaining("no such file or directory");
        assertThat(log.at("ERROR")).anyMatch(l -> l.endsWith("db/migration: error: no such file or directory"));
    }

    @Test
    void aFolderWithoutSqlFilesFailsTheBuild() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("db/empty"));
        Files.writeString(empty.resolve("README.md"), "no migrations yet\n");

        assertThatThrownBy(mojo(empty)::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("no .sql file");
    }

    @Test
    void anEmptyFolderBesideAGoodOneStillFailsTheBuild() throws IOException {
        Path good = migrations("V1__create.sql", CREATE);
        Path empty = Files.createDirectories(dir.resolve("db/typo"));

        assertThatThrownBy(mojo(good, empty)::execute).isInstanceOf(MojoFailureException.class)
                .hasMessage("ddlguard lint: " + empty + ": no .sql file or Liquibase changelog found under this folder (hidden folders are skipped)");
    }

    @Test
    void theTargetChangesTheVerdictAndAnUnknownOneIsRejected() throws Exception {
        // PostgreSQL's CREATE INDEX in Flyway's transaction blocks writes and cannot be rewritten: blocked;
        // MariaDB builds it online (ALGORITHM=INPLACE, LOCK=NONE): not blocked.
        Path folder = migrations("V1__create.sql", CREATE, "V2__index.sql", INDEX);
        assertThatThrownBy(mojo(folder)::execute).isInstanceOf(MojoFailureException.class);

        LintMojo mariadb = mojo(folder);
        mariadb.target = "MariaDB";
        mariadb.execute();
        assertThat(log.at("INFO")).anyMatch(l -> l.startsWith("ddlguard lint (mariadb): 2 files"));

        for (String bad : new String[] {"h2", "auto", "oracle"}) {
            LintMojo unknown = mojo(folder);
            unknown.target = bad;
            assertThatThrownBy(unknown::execute).isInstanceOf(MojoExecutionException.class)
                    .hasMessageContaining("target must be postgresql, mysql or mariadb, not '" + bad + "'");
        }
    }

    @Test
    void badFormatAndFailOnValuesAreRejected() throws IOException {
        Path folder = migrations("V1__create.sql", CREATE);
        LintMojo format = mojo(folder);
        format.format = "xml";
        assertThatThrownBy(format::execute).isInstanceOf(MojoExecutionException.class).hasMessageContaining("format must be");
        LintMojo failOn = mojo(folder);
        failOn.failOn = "error";
        assertThatThrownBy(failOn::execute).isInstanceOf(MojoExecutionException.class).hasMessageContaining("failOn must be");
    }

    @Test
    void textFormatWritesTheCommandLinesReport() throws Exception {
        LintMojo mojo = mojo(migrations("V1__drop.sql", DROP));
        mojo.format = "text";
        mojo.failOn = "never";

        mojo.execute();

        assertThat(Files.readString(report("lint.txt")))
                .contains("V1__drop.sql:2: block drop-table: drops table customers")
                .contains("1 statement, 1 blocked, 0 warnings, 0 rewrites");
    }

    @Test
    void skipDoesNothing() throws Exception {
        LintMojo mojo = mojo(migrations("V1__drop.sql", DROP));
        mojo.skip = true;

        mojo.execute();

        assertThat(report("lint.sarif")).doesNotExist();
        assertThat(log.at("INFO")).containsExactly("ddlguard lint skipped (ddlguard.lint.skip)");
    }

    @Test
    void theBuildsOwnDdlguardSystemPropertiesAreNotTakenForSettings() throws Exception {
        // mvn -Dddlguard.lint.failOn=never sets a JVM system property; the driver's resolver would reject it as unknown.
        String key = "ddlguard.lint.failOn";
        String before = System.getProperty(key);
        System.setProperty(key, "never");
        try {
            mojo(migrations("V1__create.sql", CREATE)).execute();
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
        assertThat(log.at("ERROR")).isEmpty();
    }
}
