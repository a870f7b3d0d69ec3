package dev.ddlguard.sql;

import static dev.ddlguard.sql.SqlSyntax.ANSI;
import static dev.ddlguard.sql.SqlSyntax.MYSQL;
import static dev.ddlguard.sql.SqlSyntax.POSTGRESQL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class StatementSplitterTest {

    static List<String> texts(String sql, SqlSyntax syntax) {
        return StatementSplitter.split(sql, syntax).stream()
                .map(StatementText::text)
                .toList();
    }

    static Stream<Arguments> scripts() {
        return Stream.of(
                arguments(ANSI, "SELECT 1; SELECT 2", List.of("SELECT 1", "SELECT 2")),
                arguments(ANSI, "SELECT 1 ;\n\n", List.of("SELECT 1")),
                arguments(ANSI, ";; ;SELECT 1;;", List.of("SELECT 1")),
                arguments(ANSI, "", List.of()),
                arguments(ANSI, "  -- only a comment\n/* and; another */ ", List.of()),
                // Semicolons that do not split.
                arguments(ANSI, "SELECT ';'; SELECT 2", List.of("SELECT ';'", "SELECT 2")),
                arguments(ANSI, "SELECT \"a;b\" FROM t; SELECT 2", List.of("SELECT \"a;b\" FROM t", "SELECT 2")),
                arguments(
                        ANSI,
                        "SELECT 1 /* ; /* ; */ ; */; SELECT 2",
                        List.of("SELECT 1 /* ; /* ; */ ; */", "SELECT 2")),
                arguments(ANSI, "SELECT 1 -- ;\n; SELECT 2", List.of("SELECT 1 -- ;", "SELECT 2")),
                arguments(
                        POSTGRESQL,
                        "DO $$ BEGIN x; y; END $$; SELECT 2",
                        List.of("DO $$ BEGIN x; y; END $$", "SELECT 2")),
                arguments(
                        POSTGRESQL,
                        "CREATE FUNCTION f() AS $fn$ a; $q$;$q$ $fn$ LANGUAGE sql; DROP TABLE t",
                        List.of("CREATE FUNCTION f() AS $fn$ a; $q$;$q$ $fn$ LANGUAGE sql", "DROP TABLE t")),
                arguments(
                        ANSI,
                        "CREATE ALIAS f AS $$ a; b $$; SELECT 1",
                        List.of("CREATE ALIAS f AS $$ a; b $$", "SELECT 1")),
                arguments(POSTGRESQL, "SELECT E'\\';'; SELECT 2", List.of("SELECT E'\\';'", "SELECT 2")),
                arguments(
                        MYSQL,
                        "SELECT 'a\\';b', `c;d`, \"e;\"; SELECT 2",
                        List.of("SELECT 'a\\';b', `c;d`, \"e;\"", "SELECT 2")),
                arguments(MYSQL, "SELECT 1 # ;\n; SELECT 2", List.of("SELECT 1 # ;", "SELECT 2")),
                arguments(MYSQL, "SELECT 1 --;\nDROP TABLE t", List.of("SELECT 1 --", "DROP TABLE t")),
                arguments(
                        POSTGRESQL,
                        "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); "
                                + "DELETE FROM b); SELECT 2",
                        List.of(
                                "CREATE RULE r AS ON INSERT TO t DO ALSO "
                                        + "(INSERT INTO a VALUES (1); DELETE FROM b)",
                                "SELECT 2")),
                arguments(ANSI, "SELECT 1); SELECT 2", List.of("SELECT 1)", "SELECT 2")),
                // SQL-standard routine bodies (PostgreSQL 14+).
                arguments(
                        POSTGRESQL,
                        "CREATE OR REPLACE FUNCTION f(a int) RETURNS int LANGUAGE sql\n"
                                + "BEGIN ATOMIC\n  SELECT CASE WHEN a > 0 THEN 1 ELSE 2 END;\n  SELECT a;\nEND;\n"
                                + "DROP TABLE t;",
                        List.of(
                                "CREATE OR REPLACE FUNCTION f(a int) RETURNS int LANGUAGE "
                                        + "sql\nBEGIN ATOMIC\n  SELECT CASE WHEN a > 0 THEN 1 ELSE 2 END;\n  SELECT a;\nEND",
                                "DROP TABLE t")),
                arguments(
                        POSTGRESQL,
                        "CREATE PROCEDURE p() begin /* c */ atomic insert into t values (1);" + " end; CALL p()",
                        List.of(
                                "CREATE PROCEDURE p() begin /* c */ atomic insert into t " + "values (1); end",
                                "CALL p()")),
                arguments(
                        POSTGRESQL,
                        "BEGIN; CREATE TABLE t (a int); END;",
                        List.of("BEGIN", "CREATE TABLE t (a int)", "END")),
                arguments(
                        POSTGRESQL,
                        "SELECT CASE WHEN x THEN 1 END; SELECT 2",
                        List.of("SELECT CASE WHEN x THEN 1 END", "SELECT 2")),
                // MySQL stored programs sent as one statement (what a client sends after DELIMITER).
                arguments(
                        MYSQL,
                        "CREATE DEFINER=`root`@`%` PROCEDURE p()\nBEGIN\n"
                                + "  DECLARE done INT DEFAULT 0;\n  IF NOT done THEN SELECT IF(1, 2, 3); END IF;\n"
                                + "  l: LOOP LEAVE l; END LOOP;\n  REPEAT SET x = REPEAT('a', 2); UNTIL 1 END REPEAT;\n"
                                + "  CASE x WHEN 1 THEN SELECT 1; ELSE BEGIN END; END CASE;\n"
                                + "  DROP TABLE IF EXISTS tmp; CREATE TABLE IF NOT EXISTS tmp (a INT);\nEND; DROP TABLE t",
                        List.of(
                                "CREATE DEFINER=`root`@`%` PROCEDURE p()\nBEGIN\n"
                                        + "  DECLARE done INT DEFAULT 0;\n  IF NOT done THEN SELECT IF(1, 2, 3); END IF;\n"
                                        + "  l: LOOP LEAVE l; END LOOP;\n  REPEAT SET x = REPEAT('a', 2); UNTIL 1 END REPEAT;\n"
                                        + "  CASE x WHEN 1 THEN SELECT 1; ELSE BEGIN END; END CASE;\n"
                                        + "  DROP TABLE IF EXISTS tmp; CREATE TABLE IF NOT EXISTS tmp (a INT);\nEND",
                                "DROP TABLE t")),
                arguments(
                        MYSQL,
                        "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW IF NEW.a < 0 THEN "
                                + "SET NEW.a = 0; END IF; DROP TABLE u",
                        List.of(
                                "CREATE TRIGGER tr BEFORE INSERT ON t "
                                        + "FOR EACH ROW IF NEW.a < 0 THEN SET NEW.a = 0; END IF",
                                "DROP TABLE u")),
                arguments(
                        MYSQL,
                        "CREATE PROCEDURE IF NOT EXISTS p() SELECT 1; DROP TABLE IF EXISTS t",
                        List.of("CREATE PROCEDURE IF NOT EXISTS p() SELECT 1", "DROP TABLE IF EXISTS t")),
                arguments(MYSQL, "BEGIN; SELECT 1; COMMIT", List.of("BEGIN", "SELECT 1", "COMMIT")),
                arguments(
                        MYSQL,
                        "DELIMITER $$\nCREATE PROCEDURE p() BEGIN SELECT 1; END$$\nDELIMITER ;",
                        List.of("DELIMITER $$\nCREATE PROCEDURE p() BEGIN SELECT 1", "END$$\nDELIMITER")),
                arguments(
                        MYSQL,
                        "/*!40101 SET NAMES utf8 */; /*!50001 DROP VIEW v */;",
                        List.of("SET NAMES utf8", "DROP VIEW v")),
                arguments(
                        MYSQL,
                        "CREATE /*!32312 IF NOT EXISTS*/ db; SELECT 1",
                        List.of("CREATE /*!32312 IF NOT EXISTS*/ db", "SELECT 1")),
                // Unterminated constructs swallow the rest.
                arguments(
                        POSTGRESQL,
                        "SELECT 1; SELECT $$; DROP TABLE t",
                        List.of("SELECT 1", "SELECT $$; DROP TABLE t")),
                arguments(ANSI, "SELECT 1; /* ; DROP TABLE t", List.of("SELECT 1")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("scripts")
    void splitsAtTopLevelSemicolons(SqlSyntax syntax, String sql, List<String> expected) {
        assertThat(texts(sql, syntax)).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("scripts")
    void spansAreOrderedAndOnlyTriviaLiesBetween(SqlSyntax syntax, String sql, List<String> ignored) {
        assertSpansCoverAllCode(sql, syntax);
    }

    @Test
    void leadingCommentsBelongToTheFollowingStatement() {
        String sql = "SELECT 1; -- keep\n/* ddlguard:allow drop-table reason */\n  DROP TABLE t; -- tail";
        List<StatementText> statements = StatementSplitter.split(sql, POSTGRESQL);
        assertThat(statements).hasSize(2);
        StatementText drop = statements.get(1);
        assertThat(drop.text()).isEqualTo("-- keep\n/* ddlguard:allow drop-table reason */\n  DROP TABLE t");
        assertThat(drop.line()).isEqualTo(1);
        assertThat(drop.column()).isEqualTo(11);
        assertThat(drop.tokens()).first().extracting(Token::kind).isEqualTo(TokenKind.LINE_COMMENT);
        assertThat(drop.tokens()).last().matches(t -> t.isWord(sql, "T"));
        assertThat(drop.source()).isSameAs(sql);
    }

    @Test
    void reportsLineAndColumnOfEachStatement() {
        String sql = "SELECT 1;\n\n  SELECT 2;\r\n\tSELECT 3";
        assertThat(StatementSplitter.split(sql, ANSI))
                .extracting(s -> s.line() + ":" + s.column())
                .containsExactly("1:1", "3:3", "4:2");
    }

    @Test
    void toleratesNullInput() {
        assertThat(StatementSplitter.split(null, POSTGRESQL)).isEmpty();
        assertThat(StatementSplitter.split("SELECT 1", null)).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(SqlSyntax.class)
    void spanPropertyHoldsOnRandomText(SqlSyntax syntax) {
        Random random = new Random(7);
        for (int round = 0; round < 3000; round++) {
            assertSpansCoverAllCode(Fuzz.randomSql(random), syntax);
        }
    }

    /**
     * The statements' spans are in order and do not overlap, and every token outside them is a
     * comment or a semicolon; each statement's tokens lie inside its span.
     */
    static void assertSpansCoverAllCode(String sql, SqlSyntax syntax) {
        List<StatementText> statements = StatementSplitter.split(sql, syntax);
        int previousEnd = 0;
        for (StatementText statement : statements) {
            assertThat(statement.start()).as(sql).isGreaterThanOrEqualTo(previousEnd);
            assertThat(statement.end()).as(sql).isGreaterThan(statement.start());
            assertThat(statement.tokens())
                    .as(sql)
                    .allMatch(t -> t.start() >= statement.start() && t.end() <= statement.end());
            assertThat(statement.tokens()).as(sql).anyMatch(t -> !t.isComment());
            previousEnd = statement.end();
        }
        List<Token> tokens = SqlLexer.tokenize(sql, syntax);
        int covered = 0;
        for (Token token : tokens) {
            // Between tokens there is only whitespace (or MySQL's dropped executable-comment markers).
            assertThat(syntax == MYSQL
                            || sql.substring(covered, token.start())
                                    .codePoints()
                                    .allMatch(cp -> CharClasses.isWhitespace(cp, syntax)))
                    .as(sql)
                    .isTrue();
            covered = token.end();
            boolean inside = statements.stream().anyMatch(s -> token.start() >= s.start() && token.end() <= s.end());
            if (!inside) {
                assertThat(token.isComment() || token.kind() == TokenKind.SEMICOLON)
                        .as("%s outside any statement of %s", token, sql)
                        .isTrue();
            }
        }
    }

    /**
     * With a gbk-like client character set the UTF-8 bytes of a non-ASCII character can end in a lead
     * byte that takes the next backslash as its second byte (MariaDB Connector/J refuses such a
     * connection, other drivers do not): that reading finds the DROP.
     */
    @Test
    void multibyteCharacterMaySwallowTheBackslash() {
        String sql = "SELECT '\u7e17\\'; DROP TABLE t; -- '";
        Lexing plain = Lexing.of(MYSQL);
        assertThat(StatementSplitter.splitUnder(sql, plain)).hasSize(1);
        Lexing gbk = plain.variants(Lexing.MULTIBYTE).get(1);
        assertThat(gbk.multibyteSwallow()).isTrue();
        assertThat(StatementSplitter.splitUnder(sql, gbk))
                .extracting(StatementText::text)
                .containsExactly("SELECT '\u7e17\\'", "DROP TABLE t");
        assertThat(Lexing.relevant(sql, MYSQL, Lexing.ALL) & Lexing.MULTIBYTE).isNotZero();
    }
}
