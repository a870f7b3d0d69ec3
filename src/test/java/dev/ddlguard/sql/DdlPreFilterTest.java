package dev.ddlguard.sql;

import static dev.ddlguard.sql.SqlSyntax.ANSI;
import static dev.ddlguard.sql.SqlSyntax.MYSQL;
import static dev.ddlguard.sql.SqlSyntax.POSTGRESQL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class DdlPreFilterTest {

    static final List<String> KEYWORDS = List.of(
            "CREATE",
            "ALTER",
            "DROP",
            "TRUNCATE",
            "RENAME",
            "COMMENT",
            "REINDEX",
            "CLUSTER",
            "VACUUM",
            "OPTIMIZE",
            "DO",
            "REFRESH",
            "IMPORT",
            "EXECUTE",
            "PREPARE",
            "GRANT",
            "REVOKE",
            "SECURITY",
            "COPY",
            "LOCK",
            "FLUSH",
            "REASSIGN",
            "INSTALL",
            "UNINSTALL");

    @ParameterizedTest
    @EnumSource(SqlSyntax.class)
    void flagsEveryKeywordInAnyCase(SqlSyntax syntax) {
        for (String keyword : KEYWORDS) {
            String mixed = keyword.charAt(0) + keyword.substring(1).toLowerCase(Locale.ROOT);
            for (String word : List.of(keyword, keyword.toLowerCase(Locale.ROOT), mixed)) {
                assertThat(DdlPreFilter.mightContainDdl(word + " x", syntax))
                        .as(word)
                        .isTrue();
                assertThat(DdlPreFilter.mightContainDdl(word, syntax)).as(word).isTrue();
                assertThat(DdlPreFilter.mightContainDdl("SELECT 1; " + word + " x", syntax))
                        .as(word)
                        .isTrue();
                // Word boundaries: a longer word is another word.
                assertThat(DdlPreFilter.mightContainDdl(word + "d x", syntax))
                        .as(word)
                        .isFalse();
                assertThat(DdlPreFilter.mightContainDdl(word + "_x", syntax))
                        .as(word)
                        .isFalse();
                assertThat(DdlPreFilter.mightContainDdl(word + "$", syntax))
                        .as(word)
                        .isFalse();
            }
        }
    }

    /**
     * MySQL/MariaDB: a SET that reaches past the session (the server's settings, a password, the binary log, MariaDB's
     * SET STATEMENT … FOR another statement) is parsed, and so are SHUTDOWN and the binary-log and replication
     * statements; a session's SET is not, and PostgreSQL's SET and RESET never are.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "SET GLOBAL read_only = 1",
                "set @@global.offline_mode=ON",
                "SET persist max_connections = 10",
                "SET PERSIST_ONLY innodb_log_file_size = 1",
                "SET STATEMENT max_statement_time=100 FOR DROP TABLE orders",
                "SET PASSWORD FOR app = 'x'",
                "SET SESSION sql_mode = 'ANSI', GLOBAL time_zone = '+00:00'",
                "SELECT 1; SET GLOBAL read_only = 1",
                "/* note */ SET\tGlobal read_only = 1",
                "SET sql_log_bin = 0",
                "SET DEFAULT ROLE NONE FOR app",
                "SHUTDOWN",
                "reset master",
                "PURGE BINARY LOGS TO 'binlog.000002'",
                "CHANGE MASTER TO MASTER_HOST = 'db2'",
                "STOP REPLICA"
            })
    void parsesMySqlStatementsReachingPastTheSession(String sql) {
        assertThat(DdlPreFilter.mightContainDdl(unescape(sql), MYSQL)).isTrue();
        assertThat(DdlPreFilter.mightContainDdl(unescape(sql).replace("SELECT 1; ", ""), POSTGRESQL))
                .isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SET NAMES utf8mb4",
                "SET autocommit = 1",
                "SET SESSION sql_mode = 'ANSI_QUOTES'",
                "SET @@session.time_zone = '+00:00'",
                "SET TRANSACTION ISOLATION LEVEL READ COMMITTED",
                "SETTINGS global"
            })
    void leavesASessionsSetToTheDriver(String sql) {
        assertThat(DdlPreFilter.mightContainDdl(sql, MYSQL)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SET EXCLUSIVE 1",
                "set referential_integrity false",
                "SET DATABASE_EVENT_LISTENER 'com.acme.Listener'",
                "SET /* maintenance */ EXCLUSIVE 2",
                "SHUTDOWN",
                "SELECT 1; shutdown compact"
            })
    void parsesH2StatementsReachingTheWholeDatabase(String sql) {
        assertThat(DdlPreFilter.mightContainDdl(sql, ANSI)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SET LOCK_TIMEOUT 5000", "SET MODE MySQL", "SET EXCLUSIVES 1", "SET", "SET   "})
    void leavesAnH2SessionsSetToTheDriver(String sql) {
        assertThat(DdlPreFilter.mightContainDdl(sql, ANSI)).isFalse();
    }

    /**
     * The first-letter shortcut in the keyword test refuses on ASCII only: a letter that Java's
     * case-insensitive comparison folds to the keyword's first letter ('ı' to 'I', 'ſ' to 'S') gets the
     * same answer as before the shortcut, so no statement the full comparison flagged slips through.
     */
    @Test
    void keywordFirstLetterComparesAsRegionMatchesDoes() {
        for (String keyword : KEYWORDS) {
            for (char c = 1; c < 0x250; c++) {
                if (!Character.isLetter(c)) {
                    continue;
                }
                String word = c + keyword.substring(1);
                boolean expected = word.regionMatches(true, 0, keyword, 0, keyword.length());
                assertThat(DdlPreFilter.mightContainDdl(word + " x", POSTGRESQL))
                        .as(word)
                        .isEqualTo(expected);
            }
        }
        assertThat(DdlPreFilter.mightContainDdl("\u0131MPORT FOREIGN SCHEMA s FROM SERVER f INTO t", POSTGRESQL))
                .isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      ANSI       | -- migration\\n-- second line\\nDROP TABLE t
      POSTGRESQL | /* outer /* inner */ still comment */ ALTER TABLE t ADD c int
      ANSI       | /* a /* b */ */create table t (a int)
      POSTGRESQL | ((CREATE TABLE t AS SELECT 1))
      ANSI       | \\t\\r\\n  Truncate t
      ANSI       | \\u00A0\\u2003\\u3000DROP\\u00A0TABLE t
      ANSI       | \\u001F\\u0000DROP TABLE t
      ANSI       | SELECT 1; // c\\nDROP TABLE t
      ANSI       | {oj DROP TABLE t}
      POSTGRESQL | SELECT 1 AS x\\u200B$$; DROP TABLE t; --$$
      MYSQL      | SELECT 'a\\\\'; DROP TABLE t'
      MYSQL      | SELECT 1 /*!99999 ' */; DROP TABLE t; -- '
      MYSQL      | SELECT 1 -- x\\r'\\n; DROP TABLE t; -- '
      POSTGRESQL | SELECT 'a\\\\'; DROP TABLE t; --'
      MYSQL      | SELECT "a\\"; DROP TABLE t; -- "
      MYSQL      | # note\\nDROP TABLE t
      MYSQL      | -- note\\nRENAME TABLE a TO b
      ANSI       | SELECT 1; DROP TABLE t
      POSTGRESQL | SELECT 1;DROP TABLE t
      ANSI       | SELECT 1; -- c\\n/* d */ (drop table t)
      ANSI       | SELECT ';' ; DROP TABLE t
      POSTGRESQL | SELECT $$;$$; DROP TABLE t
      POSTGRESQL | SELECT E'\\\\';'; DROP TABLE t
      MYSQL      | SELECT 'a\\\\';' ; DROP TABLE t
      MYSQL      | /*!50000 DROP TABLE t */
      MYSQL      | SELECT 1 /*!50000 , (SELECT 1) */
      MYSQL      | /*M!100100 DROP TABLE t */
      MYSQL      | SELECT 1 --;DROP TABLE t
      ANSI       | SELECT 1;;; ;DROP TABLE t
      POSTGRESQL | SELECT * INTO n FROM t
      POSTGRESQL | select a, b into temp n from t
      POSTGRESQL | SeLeCt 1 iNtO n
      POSTGRESQL | SELECT 1 AS from INTO n
      POSTGRESQL | SELECT 1 IS DISTINCT FROM 2 INTO n
      POSTGRESQL | SELECT /* FROM */ 'FROM', "from", $$FROM$$ INTO n FROM t
      POSTGRESQL | WITH x AS (SELECT 1 FROM t) SELECT * INTO n FROM x
      POSTGRESQL | (SELECT 1 INTO n)
      POSTGRESQL | SELECT 1; SELECT 2 INTO n
      POSTGRESQL | COPY t TO PROGRAM 'gzip > /tmp/t.gz'
      POSTGRESQL | lock table t
      MYSQL      | SELECT 1; LOCK TABLES t WRITE
      MYSQL      | Flush Tables With Read Lock
      MYSQL      | DELETE HISTORY FROM hist
      MYSQL      | delete /* prune */ history from hist before system_time now()
      MYSQL      | DELETE /*M!100300 HISTORY */ FROM hist
      MYSQL      | SELECT 1; DELETE HISTORY FROM hist
      """)
    void flagsPossibleDdl(SqlSyntax syntax, String escaped) {
        assertThat(DdlPreFilter.mightContainDdl(unescape(escaped), syntax)).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      ANSI       | SELECT * FROM t
      ANSI       | insert into t values (1)
      ANSI       | UPDATE t SET a = 1
      ANSI       | DELETE FROM t
      ANSI       | WITH x AS (SELECT 1) SELECT * FROM x
      ANSI       | CALL p()
      ANSI       | BEGIN
      POSTGRESQL | SELECT 'DROP TABLE t'
      POSTGRESQL | SELECT 1 -- ; DROP TABLE t
      POSTGRESQL | SELECT '; DROP TABLE x'
      POSTGRESQL | INSERT INTO t VALUES ('a;b')
      POSTGRESQL | SELECT $$; DROP$$
      POSTGRESQL | SELECT $t$; DROP TABLE x $t$
      POSTGRESQL | SELECT "; DROP" FROM t
      POSTGRESQL | SELECT 1 /* ; /* ; */ DROP */
      POSTGRESQL | SELECT created FROM t
      POSTGRESQL | SELECT 1; SELECT dropped_at FROM t;
      POSTGRESQL | SELECT 1; CREATED
      POSTGRESQL | SELECT 1; DROPS
      MYSQL      | SELECT 1 # ; DROP TABLE t
      MYSQL      | SELECT `a;DROP` FROM t
      MYSQL      | SELECT /*+ BKA(t) */ 1
      MYSQL      | SELECT 1 /* ; /* ; */ ; SELECT 2
      ANSI       | ;;
      ANSI       | /* unterminated DROP
      POSTGRESQL | SELECT x FROM t WHERE y = 'INTO'
      POSTGRESQL | SELECT t.into FROM t
      POSTGRESQL | SELECT 1 AS "into" FROM t
      POSTGRESQL | SELECT a FROM t WHERE b IN (SELECT c FROM d) ORDER BY a
      POSTGRESQL | WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x
      POSTGRESQL | SELECT link, blink, "kind" FROM t
      MYSQL      | SELECT 1 INTO @x
      MYSQL      | DELETE FROM hist WHERE id = 1
      MYSQL      | DELETE LOW_PRIORITY FROM history
      POSTGRESQL | DELETE FROM history
      """)
    void letsDmlThrough(SqlSyntax syntax, String escaped) {
        assertThat(DdlPreFilter.mightContainDdl(unescape(escaped), syntax)).isFalse();
    }

    /**
     * Where dblink is installed (the guard asks at connect), any statement that may call it is parsed;
     * elsewhere ordinary statements do not pay for the scans that look for it.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "SELECT dblink_exec('c', 'DROP TABLE t')",
                "SELECT * FROM t, DbLink('c', 'x') AS r(a int)",
                "SELECT \"dblink_exec\"('c', 'x')",
                "UPDATE t SET a = public.DBLINK_EXEC('c', 'x')",
                "SELECT U&\"dbl!0069nk_exec\" UESCAPE '!' ('c', 'x')"
            })
    void flagsCallsOfDblinkWhereItIsInstalled(String sql) {
        assertThat(DdlPreFilter.mightContainDdl(sql, POSTGRESQL, true)).isTrue();
        assertThat(DdlPreFilter.mightContainDdl(sql, POSTGRESQL, false)).isFalse();
        assertThat(DdlPreFilter.mightContainDdl("SELECT link, blink, kind FROM t", POSTGRESQL, true))
                .isFalse();
    }

    @ParameterizedTest
    @EnumSource(SqlSyntax.class)
    void walksScriptsWithManySemicolons(SqlSyntax syntax) {
        String many = "SELECT 1;".repeat(40);
        assertThat(DdlPreFilter.mightContainDdl(many + "SELECT 'x; DROP TABLE t'", syntax))
                .isFalse();
        assertThat(DdlPreFilter.mightContainDdl(many + "SELECT 2; DROP TABLE t", syntax))
                .isTrue();
        assertThat(DdlPreFilter.mightContainDdl("SELECT ';DROP';" + many, syntax))
                .isFalse();
    }

    @Test
    void toleratesNulls() {
        assertThat(DdlPreFilter.mightContainDdl(null, ANSI)).isFalse();
        assertThat(DdlPreFilter.mightContainDdl("", ANSI)).isFalse();
        assertThat(DdlPreFilter.mightContainDdl(" \n ", MYSQL)).isFalse();
        assertThat(DdlPreFilter.mightContainDdl("DROP TABLE t", null)).isTrue();
    }

    /**
     * Safety property: whenever the splitter finds a statement that starts (after comments and
     * opening parentheses) with a DDL keyword, the pre-filter says so for the whole script.
     */
    @ParameterizedTest
    @EnumSource(SqlSyntax.class)
    void neverMissesAStatementTheSplitterFinds(SqlSyntax syntax) {
        Random random = new Random(11);
        for (int round = 0; round < 20_000; round++) {
            String sql = Fuzz.randomSql(random);
            boolean ddlStatement = StatementSplitter.split(sql, syntax).stream().anyMatch(s -> startsWithKeyword(s));
            if (ddlStatement) {
                assertThat(DdlPreFilter.mightContainDdl(sql, syntax))
                        .as("%s", sql)
                        .isTrue();
            }
        }
    }

    static boolean startsWithKeyword(StatementText statement) {
        String sql = statement.source();
        return statement.tokens().stream()
                .filter(t -> !t.isComment() && t.kind() != TokenKind.LEFT_PAREN)
                .findFirst()
                .map(t -> KEYWORDS.stream().anyMatch(k -> t.isWord(sql, k)))
                .orElse(false);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SELECT u.id, u.name, u.created_at FROM users u WHERE u.tenant_id = ? AND u.status = ?",
                "INSERT INTO orders (id, customer_id, total, note) VALUES (?, ?, ?, 'created; dropped')",
                "UPDATE t SET a = ? WHERE b = ?;"
            })
    void doesNotAllocate(String sql) {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        long id = Thread.currentThread().getId();
        boolean any = false;
        for (int i = 0; i < 20_000; i++) {
            any |= DdlPreFilter.mightContainDdl(sql, MYSQL) | DdlPreFilter.mightContainDdl(sql, POSTGRESQL);
        }
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 100_000; i++) {
            any |= DdlPreFilter.mightContainDdl(sql, MYSQL) | DdlPreFilter.mightContainDdl(sql, POSTGRESQL);
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertThat(any).isFalse();
        // 200,000 calls: anything per call would show as megabytes; allow the probe's own noise.
        assertThat(allocated).isLessThan(64 * 1024);
    }

    /** Undoes the {@code \n}, {@code \t}, {@code \r}, {@code \\} and {@code \\uXXXX} escapes of the tables. */
    static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                out.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'u' -> {
                    out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(e);
            }
        }
        return out.toString();
    }

    /** The cheap check that lets an ordinary SELECT skip the INTO walk: INTO in any ASCII case, nowhere else. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiterString = "=>", textBlock = """
            SELECT 1 INTO t => true
            into => true
            select 1 iNtO t => true
            SELECT o.id, o.created_at FROM orders => false
            SELECT 'int' || 'o' => false
            oooo => false
            SELECT * FROM t WHERE a = 'point o' => false
            xINTOx => true
            SELECT 1 \u0130NTO t => true
            SELECT 1 \u0131nto t => true
            """)
    void intoLettersAreFoundInAnyCase(String sql, boolean expected) {
        org.assertj.core.api.Assertions.assertThat(DdlPreFilter.hasIntoLetters(sql))
                .isEqualTo(expected);
    }
}
