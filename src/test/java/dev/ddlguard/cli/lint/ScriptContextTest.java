package dev.ddlguard.cli.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.ddlguard.policy.Policy;
import dev.ddlguard.policy.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The context a file gives its statements: tool transactions, BEGIN/COMMIT, lock timeouts, psql and mysql client commands. */
class ScriptContextTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private List<String> lint(Target target, Path... paths) {
        return describe(Linter.lint(List.of(paths), new LintOptions(target, Policy.defaults())));
    }

    private List<String> describe(LintResult result) {
        return result.findings().stream()
                .map(f -> Path.of(f.file()).getFileName() + ":" + f.line() + " "
                        + f.decision().value()
                        + f.rules().stream().map(v -> " " + v.ruleId()).collect(Collectors.joining())
                        + (f.inTransaction() ? " [tx]" : "") + (f.lockTimeoutSet() ? " [lock_timeout]" : ""))
                .toList();
    }

    @Test
    void psqlMetaCommandsAndCopyDataAreNotSql() throws IOException {
        Path file = write("regress.sql", """
                \\set VERBOSITY terse \\\\ -- a comment after the separator
                \\d+ orders
                CREATE INDEX orders_a_idx ON orders (a);
                COPY orders (a, b) FROM stdin;
                1\tdrop table orders
                2\tit's
                \\.
                SELECT 'create table x (a int)' \\gexec
                DROP TABLE orders;
                \\echo it's done
                ALTER TABLE orders DROP COLUMN b;
                """);
        assertThat(lint(Target.POSTGRESQL, file))
                .containsExactly(
                        "regress.sql:3 rewritten require-concurrent-index",
                        "regress.sql:9 blocked drop-table",
                        "regress.sql:11 blocked drop-column");
    }

    @Test
    void windowsLineEndings() throws IOException {
        Path file =
                write("crlf.sql", "\\d t\r\nSELECT 'x' \\gexec\r\nCOPY t FROM stdin;\r\n1\r\n\\.\r\nDROP TABLE t;\r\n");
        assertThat(lint(Target.POSTGRESQL, file)).containsExactly("crlf.sql:6 blocked drop-table");
        Path changelog = write(
                "crlf-changelog.sql",
                "--liquibase formatted sql\r\n--changeset a:1\r\nDROP TABLE t;\r\n--rollback x\r\n");
        assertThat(lint(Target.POSTGRESQL, changelog)).containsExactly("crlf-changelog.sql:3 blocked drop-table [tx]");
    }

    @Test
    void psqlNeutralizingKeepsEveryLineAndLength() {
        String sql = "\\d t\nSELECT 1 \\gset\nCREATE TABLE t (a int);\n";
        String out = PsqlScript.neutralize(sql);
        assertThat(out).hasSameSizeAs(sql);
        assertThat(out.lines()).containsExactly("    ", "SELECT 1 ;    ", "CREATE TABLE t (a int);");
        assertThat(PsqlScript.neutralize("SELECT E'\\\\d' ;"))
                .isEqualTo("SELECT E'\\\\d' ;"); // a backslash in a string stays
    }

    @Test
    void flywayRunsScriptsWithCONCURRENTLYOutsideATransactionByItself() throws IOException {
        Path detected = write("V5__concurrently.sql", "CREATE INDEX CONCURRENTLY a_idx ON t (a);\n");
        Path forced = write("V6__forced.sql", "CREATE INDEX CONCURRENTLY b_idx ON t (b);\n");
        write("V6__forced.sql.conf", "executeInTransaction=true\n");
        Path shortConf = write("V7__short_conf.sql", "CREATE INDEX c_idx ON t (c);\n");
        write("V7__short_conf.conf", "executeInTransaction = FALSE\n");
        Path detach = write("V8__detach.sql", "ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY;\n");
        assertThat(lint(Target.POSTGRESQL, dir))
                .containsExactly(
                        "V5__concurrently.sql:1 allowed",
                        "V6__forced.sql:1 blocked concurrently-in-transaction [tx]",
                        // Flyway reads only V7__short_conf.sql.conf: the .conf without .sql is ignored, as by Flyway
                        "V7__short_conf.sql:1 blocked require-concurrent-index [tx]",
                        // Flyway does not recognise DETACH … CONCURRENTLY, so it stays in Flyway's transaction and
                        // fails there
                        "V8__detach.sql:1 blocked concurrently-in-transaction change-inheritance [tx]");
    }

    /** Flyway runs its SQL callbacks in a transaction too, unless their script config says otherwise. */
    @Test
    void flywayCallbacksRunInATransaction() throws IOException {
        Path dir2 = Files.createDirectories(dir.resolve("callbacks"));
        Files.writeString(dir2.resolve("afterMigrate.sql"), "CREATE INDEX IF NOT EXISTS t_b ON t (b);\n");
        Files.writeString(
                dir2.resolve("beforeEachMigrate__lock.sql"),
                "ALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (a) REFERENCES p (id);\n");
        Files.writeString(dir2.resolve("afterMigrate__outside.sql"), "CREATE INDEX t_c ON t (c);\n");
        Files.writeString(dir2.resolve("afterMigrate__outside.sql.conf"), "executeInTransaction=false\n");
        assertThat(lint(Target.POSTGRESQL, dir2))
                .containsExactlyInAnyOrder(
                        "afterMigrate.sql:1 blocked require-concurrent-index [tx]",
                        "afterMigrate__outside.sql:1 rewritten require-concurrent-index",
                        "beforeEachMigrate__lock.sql:1 blocked constraint-missing-not-valid [tx]");
    }

    @Test
    void lockTimeoutSetEarlierInTheFile() throws IOException {
        Path file = write("timeouts.sql", """
                ALTER TABLE t ADD COLUMN a int;
                SET lock_timeout = '3s';
                ALTER TABLE t ADD COLUMN b int;
                SET lock_timeout TO 0;
                ALTER TABLE t ADD COLUMN c int;
                BEGIN;
                SET LOCAL lock_timeout = '1s';
                ALTER TABLE t ADD COLUMN d int;
                COMMIT;
                ALTER TABLE t ADD COLUMN e int;
                SELECT set_config('lock_timeout', '2s', false);
                ALTER TABLE t ADD COLUMN f int;
                RESET ALL;
                ALTER TABLE t ADD COLUMN g int;
                """);
        assertThat(lint(Target.POSTGRESQL, file))
                .containsExactly(
                        "timeouts.sql:1 allowed",
                        "timeouts.sql:3 allowed [lock_timeout]",
                        "timeouts.sql:5 allowed",
                        "timeouts.sql:8 allowed [tx] [lock_timeout]",
                        "timeouts.sql:10 allowed",
                        "timeouts.sql:12 allowed [lock_timeout]",
                        "timeouts.sql:14 allowed");
    }

    @Test
    void mysqlLockWaitTimeoutDelimiterAndImplicitCommit() throws IOException {
        Path file = write("V1__mysql.sql", """
                SET SESSION lock_wait_timeout = 5;
                DELIMITER $$
                CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW
                BEGIN
                  SET NEW.b = NEW.a;
                END$$
                DELIMITER ;
                ALTER TABLE t ADD INDEX t_a (a);
                SET @@session.lock_wait_timeout = DEFAULT;
                ALTER TABLE t ADD INDEX t_b (b);
                """);
        // MySQL commits before every DDL statement, so none runs in Flyway's transaction
        assertThat(lint(Target.MYSQL, file))
                .containsExactly(
                        "V1__mysql.sql:3 warned create-trigger [lock_timeout]",
                        "V1__mysql.sql:8 rewritten require-online-ddl [lock_timeout]",
                        "V1__mysql.sql:10 rewritten require-online-ddl");
    }

    @Test
    void mysqlCopiesUnderTheIsolationLevelTheScriptSet() throws IOException {
        Path file = write("V1__copy.sql", """
                CREATE TABLE a_backup AS SELECT * FROM orders;
                SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED;
                CREATE TABLE b_backup AS SELECT * FROM orders;
                SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ;
                CREATE TABLE c_backup AS SELECT * FROM orders;
                SET @@session.tx_isolation = 'READ-COMMITTED';
                CREATE TABLE d_backup AS SELECT * FROM orders;
                SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE;
                SET GLOBAL TRANSACTION ISOLATION LEVEL READ COMMITTED;
                CREATE TABLE e_backup AS SELECT * FROM orders;
                SET TRANSACTION ISOLATION LEVEL READ COMMITTED;
                SET @@transaction_isolation = 'READ-COMMITTED';
                CREATE TABLE f_backup AS SELECT * FROM orders;
                SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED;
                SET SESSION tx_isolation = DEFAULT;
                CREATE TABLE g_backup AS SELECT * FROM orders;
                SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED;
                SET SESSION TRANSACTION READ WRITE, ISOLATION LEVEL REPEATABLE READ;
                CREATE TABLE h_backup AS SELECT * FROM orders;
                SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED;
                SET @@SESSION.tx_isolation = @@GLOBAL.tx_isolation;
                CREATE TABLE i_backup AS SELECT * FROM orders;
                SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED;
                SET SESSION tx_isolation = 'READ-COMMITTED', SESSION tx_isolation = 'REPEATABLE-READ';
                CREATE TABLE j_backup AS SELECT * FROM orders;
                SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED;
                SET GLOBAL TRANSACTION ISOLATION LEVEL SERIALIZABLE;
                CREATE TABLE k_backup AS SELECT * FROM orders;
                """);
        // the default (REPEATABLE READ) and SERIALIZABLE lock the rows copied; GLOBAL changes other sessions only,
        // SET TRANSACTION and an unscoped @@ the next transaction only
        assertThat(lint(Target.MARIADB, file))
                .containsExactly(
                        "V1__copy.sql:1 blocked copy-locks-source",
                        "V1__copy.sql:3 allowed",
                        "V1__copy.sql:5 blocked copy-locks-source",
                        "V1__copy.sql:7 allowed",
                        "V1__copy.sql:9 blocked set-global", // every session's default: set-global judges it
                        "V1__copy.sql:10 blocked copy-locks-source",
                        "V1__copy.sql:13 blocked copy-locks-source",
                        // what lint cannot read as one session level is the default: DEFAULT, a variable, a list
                        "V1__copy.sql:16 blocked copy-locks-source",
                        "V1__copy.sql:19 blocked copy-locks-source",
                        "V1__copy.sql:22 blocked copy-locks-source",
                        "V1__copy.sql:25 blocked copy-locks-source",
                        "V1__copy.sql:27 blocked set-global",
                        "V1__copy.sql:28 allowed");
    }

    @Test
    void liquibaseSkipsRollbacksIgnoredLinesAndOtherDatabases() throws IOException {
        Path file = write("changelog.sql", """
                --liquibase formatted sql
                DROP TABLE before_any_changeset;
                --changeset bob:1 dbms:mysql,mariadb
                ALTER TABLE t MODIFY a BIGINT;
                --changeset bob:2 dbms:postgresql
                ALTER TABLE t DROP COLUMN a;
                --rollback ALTER TABLE t ADD COLUMN a int;
                /* liquibase rollback
                DROP TABLE t;
                */
                --changeset bob:3
                --ignoreLines:start
                DROP TABLE ignored;
                --ignoreLines:end
                CREATE TABLE u (a int)
                --changeset bob:4 runInTransaction:false
                CREATE INDEX t_b ON t (b)
                """);
        // (t, not u: u is created by this run, which exempts its index, see SchemaAcrossFilesTest)
        // A changeset needs no trailing semicolon: the next --changeset ends it.
        assertThat(lint(Target.POSTGRESQL, file))
                .containsExactly(
                        "changelog.sql:6 blocked drop-column [tx]",
                        "changelog.sql:15 allowed [tx]",
                        "changelog.sql:17 rewritten require-concurrent-index");
        assertThat(lint(Target.MARIADB, file))
                .containsExactly(
                        "changelog.sql:4 blocked no-online-ddl-path",
                        "changelog.sql:15 allowed",
                        "changelog.sql:17 rewritten require-online-ddl");
    }

    /**
     * Liquibase splits formatted SQL at a line holding only GO or / (or the changeset's endDelimiter), skips an
     * ignore:true changeset, reads runInTransaction:false only without a space, and reads past blank lines before the
     * header (an outside tester's finds: a DROP after a GO line was one allowed statement to lint).
     */
    @Test
    void liquibaseSplitsAtGoAndSlashLinesAndSkipsIgnoredChangesets() throws IOException {
        Path file = write("go-changelog.sql", """

                --liquibase formatted sql

                --changeset alice:1
                CREATE TABLE audit_log (id int)
                GO
                DROP TABLE users
                go
                --changeset alice:2 endDelimiter:@@
                CREATE TABLE audit_2 (id int)
                @@
                TRUNCATE orders
                /
                --changeset alice:3 ignore:true
                DROP TABLE legacy_users;
                --changeset alice:4 runInTransaction: false
                CREATE INDEX t_b ON t (b);
                """);
        assertThat(lint(Target.POSTGRESQL, file))
                .containsExactly(
                        "go-changelog.sql:5 allowed [tx]",
                        "go-changelog.sql:7 blocked drop-table [tx]",
                        "go-changelog.sql:10 allowed [tx]",
                        "go-changelog.sql:12 blocked truncate-table [tx]",
                        "go-changelog.sql:17 blocked require-concurrent-index [tx]");
    }

    /** Flyway's built-in placeholders are names to lint; a project's own stay unknown. */
    @Test
    void flywaysBuiltInPlaceholdersAreReadAsNames() throws IOException {
        Path file = write("V1__placeholders.sql", """
                CREATE TABLE ${flyway:defaultSchema}.audit (id int);
                DROP TABLE ${flyway:defaultSchema}.users;
                """);
        assertThat(lint(Target.POSTGRESQL, file))
                .containsExactly(
                        "V1__placeholders.sql:1 allowed [tx]", "V1__placeholders.sql:2 blocked drop-table [tx]");

        // a project's own placeholder in the code stands for a statement lint cannot see; in a string it makes no DDL
        Path own = write("V2__own.sql", """
                ${cleanup};
                ${verb} TABLE users;
                INSERT INTO settings VALUES ('${environment}');
                UPDATE t SET note = 'x';
                """);
        assertThat(lint(Target.POSTGRESQL, own))
                .containsExactly("V2__own.sql:1 blocked unanalyzable [tx]", "V2__own.sql:2 blocked unanalyzable [tx]");
    }

    @Test
    void unreadableInputIsAnErrorNotAnException() throws IOException {
        Path latin1 = dir.resolve("latin1.sql");
        Files.write(latin1, "-- caf\u00e9\nDROP TABLE t;\n".getBytes(StandardCharsets.ISO_8859_1));
        Path notSql = write("notes.txt", "DROP TABLE t;");
        Path conf = write("V1__a.sql.conf", "executeInTransaction=false");
        LintResult result = Linter.lint(
                List.of(latin1, notSql, conf, dir.resolve("gone")),
                new LintOptions(Target.POSTGRESQL, Policy.defaults()));
        assertThat(result.errors())
                .extracting(InputError::message)
                .containsExactly(
                        "not a .sql file or a Liquibase changelog",
                        "no such file or directory",
                        "not UTF-8 text (invalid byte at line 1, byte offset 6)");
        assertThat(result.findings()).isEmpty();
        assertThat(result.exitCode()).isEqualTo(2);
    }

    @Test
    void byteOrderMarkAndNaturalOrder() throws IOException {
        write("db/V10__later.sql", "\uFEFFCREATE TABLE b (a int);\n");
        write("db/V2__earlier.sql", "CREATE TABLE a (a int);\n");
        write("db/README.md", "DROP TABLE x;");
        write("db/.git/V3__hidden.sql", "DROP TABLE x;");
        Files.createSymbolicLink(
                dir.resolve("db/V3__linked.sql"), write("elsewhere/V3.sql", "CREATE TABLE c (a int);\n"));
        assertThat(lint(Target.POSTGRESQL, dir.resolve("db"), dir.resolve("db/V2__earlier.sql")))
                .containsExactly(
                        "V2__earlier.sql:1 allowed [tx]",
                        "V3__linked.sql:1 allowed [tx]",
                        "V10__later.sql:1 allowed [tx]");
    }

    @Test
    void auditModeInTheConfigStillReportsWhatEnforceWouldDo() throws IOException {
        Path file = write("index.sql", "CREATE INDEX a ON t (a);\n");
        Policy defaults = Policy.defaults();
        Policy audit = new Policy(
                dev.ddlguard.policy.Mode.AUDIT,
                Target.AUTO,
                java.util.Map.of("require-concurrent-index", dev.ddlguard.policy.Action.WARN),
                defaults.lockTimeout(),
                defaults.lockTimeoutRetries(),
                defaults.concurrentLockTimeout(),
                0,
                defaults.throughputBytesPerSecond(),
                defaults.statementTimeout(),
                defaults.baseline());
        LintResult result = Linter.lint(List.of(file), new LintOptions(Target.POSTGRESQL, audit));
        assertThat(describe(result)).containsExactly("index.sql:1 warned require-concurrent-index");
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void aFolderWithoutPermissionIsAnError() throws IOException {
        // root reads every folder whatever its mode, so there is nothing to test then
        assumeFalse("root".equals(System.getProperty("user.name")), "running as root: permissions are not enforced");
        Path locked = Files.createDirectories(dir.resolve("locked"));
        write("locked/V1__a.sql", "DROP TABLE t;");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        try {
            LintResult result = Linter.lint(List.of(locked), new LintOptions(Target.POSTGRESQL, Policy.defaults()));
            assertThat(result.errors()).containsExactly(new InputError(locked.toString(), "permission denied"));
            assertThat(result.exitCode()).isEqualTo(2);
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
    }
}
