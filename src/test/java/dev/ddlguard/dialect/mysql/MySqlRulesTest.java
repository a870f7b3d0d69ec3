package dev.ddlguard.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddlguard.engine.Decision;
import dev.ddlguard.engine.JudgedStatement;
import dev.ddlguard.engine.Judgement;
import dev.ddlguard.engine.StatementJudge;
import dev.ddlguard.policy.Policy;
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
        assertThat(s.executedLock().blocks()).as("an online clause blocks neither reads nor writes").isEmpty();
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
        assertThat(s.verdicts().stream().map(v -> v.ruleId()).collect(Collectors.toList())).contains(rule);
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
}
