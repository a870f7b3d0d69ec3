package dev.ddlguard.sql;

import static dev.ddlguard.sql.SqlSyntax.ANSI;
import static dev.ddlguard.sql.SqlSyntax.MYSQL;
import static dev.ddlguard.sql.SqlSyntax.POSTGRESQL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class SqlLexerTest {

    /** Renders tokens as "KIND text" so that expectations read like the SQL they describe. */
    static List<String> lex(String sql, SqlSyntax syntax) {
        return SqlLexer.tokenize(sql, syntax).stream()
                .map(t -> t.kind() + " " + t.text(sql))
                .toList();
    }

    static Stream<Arguments> rules() {
        return Stream.of(
                // Strings: doubled quotes everywhere, backslashes only in MySQL and PostgreSQL E''.
                arguments(ANSI, "'it''s'", List.of("STRING 'it''s'")),
                arguments(POSTGRESQL, "'a\\' , 1", List.of("STRING 'a\\'", "COMMA ,", "NUMBER 1")),
                arguments(POSTGRESQL, "E'it\\'s;' x", List.of("STRING E'it\\'s;'", "WORD x")),
                arguments(POSTGRESQL, "e'\\\\' x", List.of("STRING e'\\\\'", "WORD x")),
                arguments(POSTGRESQL, "E'a''b'", List.of("STRING E'a''b'")),
                arguments(ANSI, "E'a\\' y'", List.of("WORD E", "STRING 'a\\'", "WORD y", "STRING '")),
                arguments(
                        POSTGRESQL,
                        "U&'d\\0061t' U&\"d;t\"",
                        List.of("STRING U&'d\\0061t'", "QUOTED_IDENTIFIER U&\"d;t\"")),
                arguments(
                        POSTGRESQL,
                        "B'0101' X'FF' N'x' b'1'",
                        List.of("STRING B'0101'", "STRING X'FF'", "STRING N'x'", "STRING b'1'")),
                arguments(POSTGRESQL, "name'x'", List.of("WORD name", "STRING 'x'")),
                arguments(
                        MYSQL,
                        "'a\\'b' \"c\\\"d\" \"e\"\"f\"",
                        List.of("STRING 'a\\'b'", "STRING \"c\\\"d\"", "STRING \"e\"\"f\"")),
                arguments(MYSQL, "X'4D' _utf8mb4'x'", List.of("STRING X'4D'", "WORD _utf8mb4", "STRING 'x'")),
                // Identifiers.
                arguments(ANSI, "\"a\"\"b;\" x", List.of("QUOTED_IDENTIFIER \"a\"\"b;\"", "WORD x")),
                arguments(MYSQL, "`a``b;` x", List.of("QUOTED_IDENTIFIER `a``b;`", "WORD x")),
                arguments(MYSQL, "2fa_codes 1e5 0x1F", List.of("WORD 2fa_codes", "NUMBER 1e5", "NUMBER 0x1F")),
                arguments(POSTGRESQL, "café ĉu_$1 _x", List.of("WORD café", "WORD ĉu_$1", "WORD _x")),
                arguments(ANSI, "\uD835\uDC00bc", List.of("WORD \uD835\uDC00bc")),
                // Dollar quotes and parameters.
                arguments(POSTGRESQL, "$$a;b$$ x", List.of("STRING $$a;b$$", "WORD x")),
                arguments(
                        POSTGRESQL, "$fn$ a $q$;$q$ $$ b $fn$ x", List.of("STRING $fn$ a $q$;$q$ $$ b $fn$", "WORD x")),
                arguments(POSTGRESQL, "$a1$x$a1$", List.of("STRING $a1$x$a1$")),
                arguments(
                        POSTGRESQL,
                        "$1 $12, $1$",
                        List.of("PARAMETER $1", "PARAMETER $12", "COMMA ,", "PARAMETER $1", "OTHER $")),
                arguments(POSTGRESQL, "a$$b$$", List.of("WORD a$$b$$")),
                arguments(POSTGRESQL, "$x y", List.of("OTHER $", "WORD x", "WORD y")),
                arguments(ANSI, "$$a;b$$ $t$x$t$", List.of("STRING $$a;b$$", "OTHER $", "WORD t$x$t$")),
                arguments(MYSQL, "$$ $a", List.of("WORD $$", "WORD $a")),
                arguments(
                        ANSI,
                        "? :name x::text a:=1",
                        List.of(
                                "PARAMETER ?",
                                "PARAMETER :name",
                                "WORD x",
                                "OPERATOR ::",
                                "WORD text",
                                "WORD a",
                                "OPERATOR :=",
                                "NUMBER 1")),
                arguments(ANSI, "a=:b", List.of("WORD a", "OPERATOR =", "PARAMETER :b")),
                // Comments: nested in ANSI and PostgreSQL, not in MySQL.
                arguments(POSTGRESQL, "/* a /* b */ c */ x", List.of("BLOCK_COMMENT /* a /* b */ c */", "WORD x")),
                arguments(ANSI, "/* a /* b */ c */ x", List.of("BLOCK_COMMENT /* a /* b */ c */", "WORD x")),
                arguments(
                        MYSQL,
                        "/* a /* b */ c */ x",
                        List.of("BLOCK_COMMENT /* a /* b */", "WORD c", "OPERATOR */", "WORD x")),
                arguments(POSTGRESQL, "a --x\nb", List.of("WORD a", "LINE_COMMENT --x", "WORD b")),
                arguments(MYSQL, "a --x\nb", List.of("WORD a", "OPERATOR --", "WORD x", "WORD b")),
                // MySQL ends a line comment at LF only: a CR before it belongs to the comment.
                arguments(
                        MYSQL,
                        "a -- x\r\nb --\tc\n--",
                        List.of("WORD a", "LINE_COMMENT -- x\r", "WORD b", "LINE_COMMENT --\tc", "LINE_COMMENT --")),
                arguments(MYSQL, "5---1", List.of("NUMBER 5", "OPERATOR ---", "NUMBER 1")),
                arguments(MYSQL, "a # c;\nb", List.of("WORD a", "LINE_COMMENT # c;", "WORD b")),
                arguments(POSTGRESQL, "a # b", List.of("WORD a", "OPERATOR #", "WORD b")),
                arguments(MYSQL, "/*+ BKA(t) */ x", List.of("BLOCK_COMMENT /*+ BKA(t) */", "WORD x")),
                // MySQL executable comments: markers dropped, content lexed as code.
                arguments(
                        MYSQL,
                        "/*!50100 DROP TABLE t */;",
                        List.of("WORD DROP", "WORD TABLE", "WORD t", "SEMICOLON ;")),
                arguments(MYSQL, "/*!DROP*/ x", List.of("WORD DROP", "WORD x")),
                arguments(MYSQL, "/*M!100100 ALTER */ /*M! y*/", List.of("WORD ALTER", "WORD y")),
                arguments(MYSQL, "/*!40101 SET a=1*/", List.of("WORD SET", "WORD a", "OPERATOR =", "NUMBER 1")),
                arguments(
                        MYSQL,
                        "/*! a /* c */ b */ */",
                        List.of("WORD a", "BLOCK_COMMENT /* c */", "WORD b", "OPERATOR */")),
                arguments(MYSQL, "/*!50100 DROP", List.of("WORD DROP")),
                arguments(POSTGRESQL, "/*!50100 DROP */ x", List.of("BLOCK_COMMENT /*!50100 DROP */", "WORD x")),
                // Operators and numbers.
                arguments(
                        POSTGRESQL,
                        "a->>'k' <= @> !~* a=-1",
                        List.of(
                                "WORD a",
                                "OPERATOR ->>",
                                "STRING 'k'",
                                "OPERATOR <=",
                                "OPERATOR @>",
                                "OPERATOR !~*",
                                "WORD a",
                                "OPERATOR =",
                                "OPERATOR -",
                                "NUMBER 1")),
                arguments(
                        POSTGRESQL,
                        "a*--c\n/b",
                        List.of("WORD a", "OPERATOR *", "LINE_COMMENT --c", "OPERATOR /", "WORD b")),
                arguments(
                        ANSI,
                        "1.5e-3 .5 t.c 1_000 1..2",
                        List.of(
                                "NUMBER 1.5e-3",
                                "NUMBER .5",
                                "WORD t",
                                "DOT .",
                                "WORD c",
                                "NUMBER 1_000",
                                "NUMBER 1",
                                "DOT .",
                                "NUMBER .2")),
                arguments(
                        ANSI,
                        "f(a, b); [x] {y} \\d",
                        List.of(
                                "WORD f",
                                "LEFT_PAREN (",
                                "WORD a",
                                "COMMA ,",
                                "WORD b",
                                "RIGHT_PAREN )",
                                "SEMICOLON ;",
                                "OTHER [",
                                "WORD x",
                                "OTHER ]",
                                "OTHER {",
                                "WORD y",
                                "OTHER }",
                                "OTHER \\",
                                "WORD d")),
                // Unterminated constructs run to the end.
                arguments(ANSI, "x 'abc", List.of("WORD x", "STRING 'abc")),
                arguments(ANSI, "x \"abc", List.of("WORD x", "QUOTED_IDENTIFIER \"abc")),
                arguments(POSTGRESQL, "x /* a /* b */", List.of("WORD x", "BLOCK_COMMENT /* a /* b */")),
                arguments(POSTGRESQL, "x $t$ a $$", List.of("WORD x", "STRING $t$ a $$")),
                arguments(POSTGRESQL, "x E'a\\", List.of("WORD x", "STRING E'a\\")),
                arguments(MYSQL, "x `a", List.of("WORD x", "QUOTED_IDENTIFIER `a")),
                arguments(MYSQL, "x 'a\\", List.of("WORD x", "STRING 'a\\")),
                // H2 skips Unicode space characters, but reads format characters (U+200B, U+FEFF) as
                // identifier parts (Character.isJavaIdentifierPart), as its Tokenizer does.
                arguments(
                        ANSI,
                        "DROP\u00A0TABLE\u2003t\u200B;\u3000\uFEFF\f\u000B",
                        List.of("WORD DROP", "WORD TABLE", "WORD t\u200B", "SEMICOLON ;", "OTHER \uFEFF")),
                // PostgreSQL and MySQL read every non-ASCII character as part of an identifier.
                arguments(
                        POSTGRESQL,
                        "x\u200B$$; DROP TABLE t; --$$",
                        List.of(
                                "WORD x\u200B$$",
                                "SEMICOLON ;",
                                "WORD DROP",
                                "WORD TABLE",
                                "WORD t",
                                "SEMICOLON ;",
                                "LINE_COMMENT --$$")),
                arguments(MYSQL, "1\u00A0AS", List.of("WORD 1\u00A0AS")),
                // H2: // is a line comment, backticks quote, control characters are whitespace.
                arguments(
                        ANSI,
                        "\u001F\u0000a // b\n`c;d`",
                        List.of("WORD a", "LINE_COMMENT // b", "QUOTED_IDENTIFIER `c;d`")),
                arguments(ANSI, "", List.of()),
                arguments(ANSI, " \t\r\n", List.of()));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("rules")
    void lexesEachRule(SqlSyntax syntax, String sql, List<String> expected) {
        assertThat(lex(sql, syntax)).containsExactlyElementsOf(expected);
    }

    @Test
    void nullTextHasNoTokens() {
        assertThat(SqlLexer.tokenize(null, ANSI)).isEmpty();
        assertThat(SqlLexer.tokenize("x", null)).hasSize(1);
    }

    @Test
    void countsLinesAndColumnsFromOne() {
        String sql = "SELECT 1,\n  'a\nb' x\r\n\tz\ry /* \n */ w";
        assertThat(SqlLexer.tokenize(sql, ANSI))
                .extracting(t -> t.text(sql) + "@" + t.line() + ":" + t.column())
                .containsExactly(
                        "SELECT@1:1",
                        "1@1:8",
                        ",@1:9",
                        "'a\nb'@2:3",
                        "x@3:4",
                        "z@4:2",
                        "y@5:1",
                        "/* \n */@5:3",
                        "w@6:5");
    }

    @Test
    void tokenHelpersCompareInPlace() {
        String sql = "drop \"DROP\" dropped";
        List<Token> tokens = SqlLexer.tokenize(sql, POSTGRESQL);
        assertThat(tokens.get(0).isWord(sql, "DROP")).isTrue();
        assertThat(tokens.get(1).isWord(sql, "DROP")).isFalse();
        assertThat(tokens.get(2).isWord(sql, "DROP")).isFalse();
        assertThat(tokens.get(0).isComment()).isFalse();
        assertThat(SqlLexer.tokenize("-- x", ANSI).get(0).isComment()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(SqlSyntax.class)
    void tokensAreOrderedAndNeverThrowOnRandomText(SqlSyntax syntax) {
        Random random = new Random(42);
        for (int round = 0; round < 3000; round++) {
            String sql = Fuzz.randomSql(random);
            assertThatCode(() -> {
                        int previousEnd = 0;
                        for (Token t : SqlLexer.tokenize(sql, syntax)) {
                            assertThat(t.start()).isGreaterThanOrEqualTo(previousEnd);
                            assertThat(t.end()).isGreaterThan(t.start()).isLessThanOrEqualTo(sql.length());
                            assertThat(sql.substring(previousEnd, t.start())
                                                    .codePoints()
                                                    .allMatch(cp -> CharClasses.isWhitespace(cp, syntax))
                                            || syntax == MYSQL)
                                    .isTrue();
                            previousEnd = t.end();
                        }
                    })
                    .as("%s", sql)
                    .doesNotThrowAnyException();
        }
    }
}
