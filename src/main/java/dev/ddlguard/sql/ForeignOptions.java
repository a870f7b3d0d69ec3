package dev.ddlguard.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * PostgreSQL's {@code OPTIONS (name 'value', …)} of a foreign table, server or wrapper ({@code ADD | SET name 'value'}
 * in an ALTER), read as the server reads them: the name a word (folded), a quoted name or a {@code U&"…"} name (decoded),
 * comments anywhere between. An outside tester's {@code "program" 'cmd'}, {@code program /**}{@code / 'cmd'} and {@code
 * U&"progr\0061m" 'cmd'} each ran a shell command where only {@code program 'cmd'} was read.
 */
public final class ForeignOptions {

    private ForeignOptions() {}

    /**
     * Whether the statement may give a foreign table options: CREATE | ALTER FOREIGN TABLE, and PostgreSQL's ALTER TABLE,
     * which takes {@code OPTIONS (…)} of a foreign table too (an outside tester's ALTER TABLE ft OPTIONS (ADD program
     * 'cmd') ran a shell command, allowed, where ALTER FOREIGN TABLE was blocked).
     */
    public static boolean mayGive(DdlStatement s) {
        return "FOREIGN TABLE".equals(s.objectType())
                || (s.syntax() == SqlSyntax.POSTGRESQL
                        && s.is(Verb.ALTER, "TABLE")
                        && s.text().hasWord("OPTIONS"));
    }

    /**
     * The values given to options of that name (any case: the safe side), decoded, in order; null for a value the guard
     * cannot decode, and for the value of a name it cannot read (a {@code U&"…" UESCAPE 'c'} name).
     */
    public static List<String> valuesOf(StatementText text, String option, SqlSyntax syntax) {
        String sql = text.source();
        List<Token> code = text.code();
        List<String> values = new ArrayList<>();
        for (int i = 0; i + 1 < code.size(); i++) {
            Token t = code.get(i);
            String name = t.kind() == TokenKind.WORD
                    ? t.text(sql).toLowerCase(Locale.ROOT)
                    : t.kind() == TokenKind.QUOTED_IDENTIFIER
                            ? Identifier.ofQuoted(t.text(sql)).text()
                            : null;
            if (name == null) {
                continue;
            }
            int value = i + 1;
            if (code.get(value).isWord(sql, "UESCAPE") && value + 2 < code.size()) {
                name = null; // decoded with another escape character: unread, counts as the option
                value += 2;
            }
            if (code.get(value).kind() == TokenKind.STRING && (name == null || name.equalsIgnoreCase(option))) {
                values.add(DynamicSql.literalValue(code, value, sql, syntax));
            }
        }
        return values;
    }
}
