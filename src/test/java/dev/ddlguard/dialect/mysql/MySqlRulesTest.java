package dev.ddlguard.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddlguard.engine.Decision;
import dev.ddlguard.engine.JudgedStatement;
import dev.ddlguard.engine.Judgement;
import dev.ddlguard.engine.StatementJudge;
import dev.ddlguard.policy.Policy;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The MySQL/MariaDB rule pack without a server: which clause each flavour gets, where it goes, and
 * what is blocked, against the documented matrix (MySQL 8.4 and MariaDB 10.11 defaults).
 */
class MySqlRulesTest {

    enum Server {
        MYSQL_84(new MySqlDialect(false, OnlineDdlMatrix.MYSQL_8_4)),
        MYSQL_57(new MySqlDialect(false, OnlineDdlMatrix.MYSQL_5_7)),
        MARIADB_1011(new MySqlDialect(true, OnlineDdlMatrix.MARIADB_10_11));

        final MySqlDialect dialect;

        Server(MySqlDialect dialect) {
            this.dialect = dialect;
        }
    }

    private static JudgedStatement judge(Server server, String sql) {
        Judgement j = new StatementJudge(Policy.defaults(), server.dialect, server.dialect)
                .judge(sql, StatementJudge.Context.offline(true));
        assertThat(j).isNotNull();
        assertThat(j.statements()).hasSize(1);
        return j.statements().get(0);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            MARIADB_1011 | ALTER TABLE t ADD INDEX i (a)                  | ALTER TABLE t ADD INDEX i (a), ALGORITHM=NOCOPY, LOCK=NONE
            MYSQL_84     | ALTER TABLE t ADD INDEX i (a)                  | ALTER TABLE t ADD INDEX i (a), ALGORITHM=INPLACE, LOCK=NONE
            MARIADB_1011 | CREATE INDEX i ON t (a)                        | CREATE INDEX i ON t (a) ALGORITHM=NOCOPY LOCK=NONE
            MYSQL_84     | CREATE UNIQUE INDEX i ON t (a)                 | CREATE UNIQUE INDEX i ON t (a) ALGORITHM=INPLACE LOCK=NONE
            MARIADB_1011 | DROP INDEX i ON t                              | ALTER TABLE t DROP INDEX i, ALGORITHM=NOCOPY, LOCK=NONE
            MARIADB_1011 | ALTER TABLE t ADD COLUMN c INT                 | ALTER TABLE t ADD COLUMN c INT, ALGORITHM=INSTANT, LOCK=NONE
            MYSQL_84     | ALTER TABLE t ADD COLUMN c INT                 | ALTER TABLE t ADD COLUMN c INT, ALGORITHM=INSTANT
            MYSQL_57     | ALTER TABLE t ADD COLUMN c INT                 | ALTER TABLE t ADD COLUMN c INT, ALGORITHM=INPLACE, LOCK=NONE
            MARIADB_1011 | ALTER TABLE t ALTER COLUMN c SET DEFAULT 1     | ALTER TABLE t ALTER COLUMN c SET DEFAULT 1, ALGORITHM=INSTANT, LOCK=NONE
            MYSQL_84     | /* keep */ ALTER TABLE t ADD INDEX i (a)       | /* keep */ ALTER TABLE t ADD INDEX i (a), ALGORITHM=INPLACE, LOCK=NONE
            """)
    void appendsTheStrongestClauseWhereTheStatementTakesIt(Server server, String sql, String expected) {
        JudgedStatement s = judge(server, sql);
        assertThat(s.decision()).isEqualTo(Decision.REWRITTEN);
        assertThat(s.executedSql()).isEqualTo(expected);
        assertThat(s.executedLock().blocks())
                .as("an online clause blocks neither reads nor writes")
                .isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            MARIADB_1011 | ALTER TABLE t MODIFY c BIGINT                          | no-online-ddl-path
            MYSQL_84     | ALTER TABLE t MODIFY c BIGINT                          | no-online-ddl-path
            MARIADB_1011 | ALTER TABLE t ADD FULLTEXT INDEX f (body)              | no-online-ddl-path
            MARIADB_1011 | ALTER TABLE t ADD id INT NOT NULL AUTO_INCREMENT, ADD PRIMARY KEY (id) | no-online-ddl-path
            MARIADB_1011 | ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4        | no-online-ddl-path
            MARIADB_1011 | ALTER TABLE t PARTITION BY HASH (id) PARTITIONS 4     | partitioning-change
            MARIADB_1011 | ALTER TABLE t REMOVE PARTITIONING                      | partitioning-change
            MYSQL_84     | ALTER TABLE t ADD INDEX i (a), ALGORITHM=COPY          | explicit-blocking-algorithm
            MARIADB_1011 | ALTER TABLE t ADD INDEX i (a), LOCK=SHARED             | explicit-blocking-algorithm
            """)
    void blocksWhatHasNoOnlinePath(Server server, String sql, String rule) {
        JudgedStatement s = judge(server, sql);
        assertThat(s.decision()).isEqualTo(Decision.BLOCKED);
        assertThat(s.verdicts().stream().map(v -> v.ruleId()).collect(Collectors.toList()))
                .contains(rule);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            MARIADB_1011 | ALTER TABLE t ADD INDEX i (a), ALGORITHM=NOCOPY, LOCK=NONE
            MYSQL_84     | ALTER TABLE t ADD COLUMN c INT, ALGORITHM=INSTANT
            MARIADB_1011 | CREATE TABLE t2 (id INT PRIMARY KEY)
            """)
    void leavesAnExplicitOnlineClauseAndNewTablesAlone(Server server, String sql) {
        JudgedStatement s = judge(server, sql);
        assertThat(s.decision()).isEqualTo(Decision.ALLOWED);
        assertThat(s.executedSql()).isEqualTo(sql);
    }

    /** The live column as MySqlDialect.columnType describes it, for the classification tests. */
    private static JudgedStatement judge(
            Server server,
            String sql,
            java.util.Map<String, String> columns,
            java.util.Map<String, String> settings,
            java.util.Set<String> charsets,
            java.util.Map<String, String> constraints) {
        dev.ddlguard.rules.Catalog catalog = new dev.ddlguard.rules.Catalog() {
            @Override
            public String columnType(dev.ddlguard.sql.QualifiedName table, dev.ddlguard.sql.Identifier column) {
                return columns.get(column.text());
            }

            @Override
            public String setting(String name) {
                return settings.get(name);
            }

            @Override
            public java.util.Set<String> columnCharsets(dev.ddlguard.sql.QualifiedName table) {
                return charsets;
            }

            @Override
            public String constraintKind(dev.ddlguard.sql.QualifiedName table, dev.ddlguard.sql.Identifier constraint) {
                return constraints.get(constraint.text());
            }
        };
        Judgement j = new StatementJudge(Policy.defaults(), server.dialect, server.dialect)
                .judge(sql, new StatementJudge.Context(true, 0, catalog));
        assertThat(j).isNotNull();
        return j.statements().get(0);
    }

    /**
     * What a MODIFY / CHANGE / DROP CONSTRAINT / CONVERT TO / FOREIGN KEY does depends on the table as
     * it is: read against the catalog, each gets the strongest clause (MariaDbStrongestClauseTest proves
     * them on the server), and a change only a copy can do is blocked at once.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            default change, restated                | ALTER TABLE t MODIFY COLUMN a INT NOT NULL DEFAULT 9 | ALGORITHM=INSTANT, LOCK=NONE
            collation only                          | ALTER TABLE t MODIFY v VARCHAR(20) COLLATE utf8mb4_bin | ALGORITHM=INSTANT, LOCK=NONE
            collation of an indexed column          | ALTER TABLE t MODIFY b VARCHAR(20) COLLATE utf8mb4_bin | ALGORITHM=NOCOPY, LOCK=NONE
            widened and NOT NULL dropped            | ALTER TABLE t MODIFY name VARCHAR(128)               | ALGORITHM=INPLACE, LOCK=NONE
            DROP CONSTRAINT of a UNIQUE key         | /* ddlguard:allow drop-constraint no code relies on it */ ALTER TABLE t DROP CONSTRAINT uk | ALGORITHM=NOCOPY, LOCK=NONE
            DROP CONSTRAINT of a CHECK              | ALTER TABLE t DROP CONSTRAINT ck                     | ALGORITHM=INSTANT, LOCK=NONE
            FK, checks off, an index leads with b   | ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (b) REFERENCES p (id) | ALGORITHM=INSTANT, LOCK=NONE
            FK, checks off, no index on a           | ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES p (id) | ALGORITHM=NOCOPY, LOCK=NONE
            CONVERT TO utf8mb4 of utf8mb3 columns   | ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4       | ALGORITHM=INSTANT, LOCK=NONE
            """)
    void readsTheLiveTable(String name, String sql, String clause) {
        JudgedStatement s = judge(
                Server.MARIADB_1011,
                sql,
                COLUMNS,
                java.util.Map.of("foreign_key_checks", "0"),
                java.util.Set.of("utf8mb3"),
                java.util.Map.of("uk", "UNIQUE", "ck", "CHECK"));
        assertThat(s.decision()).as(s.verdicts().toString()).isEqualTo(Decision.REWRITTEN);
        assertThat(s.executedSql()).isEqualTo(sql + ", " + clause);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            latin1 column takes the table's utf8mb4 | ALTER TABLE t MODIFY l VARCHAR(20)
            CHANGE renames and changes the type     | ALTER TABLE t CHANGE a a2 BIGINT
            CONVERT TO utf8mb4 with latin1 columns  | ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4
            FK with checks on                       | ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (b) REFERENCES p (id)
            """)
    void blocksWhatTheLiveTableMakesACopy(String name, String sql) {
        JudgedStatement s = judge(
                Server.MARIADB_1011,
                sql,
                COLUMNS,
                java.util.Map.of("foreign_key_checks", "1"),
                java.util.Set.of("utf8mb4", "latin1"),
                java.util.Map.of());
        assertThat(s.decision()).isEqualTo(Decision.BLOCKED);
        assertThat(s.verdicts().stream().map(v -> v.ruleId()).collect(Collectors.toList()))
                .contains("no-online-ddl-path");
        String message = s.verdicts().stream()
                .filter(v -> v.ruleId().equals("no-online-ddl-path"))
                .findFirst()
                .orElseThrow()
                .message();
        assertThat(message)
                .contains("MariaDB 10.11 can do it only as ALGORITHM=COPY with LOCK=SHARED")
                .doesNotContain("Measured", "(1846)", "COPY only");
    }

    /** Issue 15: every statement of the safe SQL a no-online-path verdict prints passes the guard itself. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            MARIADB_1011 | ALTER TABLE t MODIFY a BIGINT
            MYSQL_84     | ALTER TABLE t MODIFY a BIGINT
            MARIADB_1011 | ALTER TABLE t MODIFY l VARCHAR(20)
            MARIADB_1011 | ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a, b) REFERENCES p (x, y)
            MYSQL_84     | ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES p (id)
            """)
    void theSafeSqlOfABlockPassesTheGuard(Server server, String sql) {
        JudgedStatement s = judge(server, sql, COLUMNS, java.util.Map.of(), java.util.Set.of(), java.util.Map.of());
        assertThat(s.decision()).isEqualTo(Decision.BLOCKED);
        String safe = s.verdicts().stream()
                .filter(v -> v.ruleId().equals("no-online-ddl-path"))
                .findFirst()
                .orElseThrow()
                .safeSql();
        boolean fk = sql.contains("FOREIGN KEY");
        assertThat(safe)
                .contains(
                        fk
                                ? List.of("LEFT JOIN", "SET SESSION foreign_key_checks = 0", sql + ", ALGORITHM=")
                                : List.of("ADD COLUMN", "UPDATE", "DROP COLUMN"));
        int ddl = 0;
        for (dev.ddlguard.sql.StatementText part :
                dev.ddlguard.sql.StatementSplitter.split(safe, dev.ddlguard.sql.SqlSyntax.MYSQL)) {
            Judgement j = new StatementJudge(Policy.defaults(), server.dialect, server.dialect)
                    .judge(part.text(), StatementJudge.Context.offline(true));
            if (j == null) {
                continue; // the UPDATE
            }
            ddl++;
            assertThat(j.blocked())
                    .as("%s blocked: %s", part, j.statements().get(0).verdicts())
                    .isFalse();
        }
        assertThat(ddl).isEqualTo(fk ? 1 : 2);
    }

    private static final java.util.Map<String, String> COLUMNS = java.util.Map.of(
            "a", "int(11) not null table collate utf8mb4_general_ci",
            "b",
                    "varchar(20) character set utf8mb4 collate utf8mb4_general_ci indexed leads index table collate utf8mb4_general_ci",
            "v", "varchar(20) character set utf8mb4 collate utf8mb4_general_ci table collate utf8mb4_general_ci",
            "name",
                    "varchar(64) character set utf8mb4 collate utf8mb4_general_ci not null table collate utf8mb4_general_ci",
            "l", "varchar(20) character set latin1 collate latin1_swedish_ci table collate utf8mb4_general_ci");
}
