package dev.ddlguard.sql;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * PostgreSQL functions that run SQL text on a connection or in a way the guard does not guard: dblink's, and xml2's
 * xpath_table, which runs the query it builds from its arguments (an outside tester dropped a table through {@code
 * xpath_table('id', 'b', 't; DROP TABLE victim; SELECT id, b FROM t', …)}). The SQL-text functions of the core and of
 * tablefunc (query_to_xml, crosstab, connectby) run it read-only: PostgreSQL 15 refuses DDL there.
 */
public final class RemoteSqlCalls {

    private RemoteSqlCalls() {}

    /** Functions that run SQL they are given (dblink extension, F.11; xml2, F.50). */
    private static final Set<String> SENDING = Set.of(
            "dblink",
            "dblink_exec",
            "dblink_send_query",
            "dblink_open", // its query, and dblink_close's and dblink_fetch's cursor name, reach PQexec as text
            "dblink_close",
            "dblink_fetch",
            "xpath_table");

    /**
     * Functions that run SQL text they are given, in the server (read-only, so no DDL of their own, but a dblink call
     * in it runs): the SQL/XML and text-search ones of the core, tablefunc's. With text built at run time, on a
     * database where dblink is installed, any of them may run dblink_exec unseen.
     */
    private static final String[] TEXT_RUNNERS = {
        "query_to_xml",
        "query_to_xmlschema",
        "query_to_xml_and_xmlschema",
        "ts_stat",
        "ts_rewrite",
        "crosstab",
        "crosstab2",
        "crosstab3",
        "crosstab4",
        "connectby"
    };

    /**
     * A DDL statement that names one of them without calling it binds it to something that will: CREATE AGGREGATE …
     * (SFUNC = dblink_exec), CREATE OPERATOR … (FUNCTION = dblink_exec), CREATE CAST … WITH FUNCTION (an outside
     * tester dropped tables through both). Null when it names none.
     */
    static String bound(StatementText text) {
        String sql = text.source();
        for (Token t : text.tokens()) {
            String name = t.kind() == TokenKind.WORD
                    ? t.text(sql)
                    : t.kind() == TokenKind.QUOTED_IDENTIFIER
                            ? StringLiterals.decode(t.text(sql), SqlSyntax.POSTGRESQL, '\0')
                            : null;
            if (name != null && runsSql(name)) {
                return "names " + name.toLowerCase(Locale.ROOT)
                        + ", which runs SQL on a connection the guard does not see";
            }
        }
        return null;
    }

    /** Whether the call's arguments (from the parenthesis at {@code open}) are literals, numbers, true, false or null. */
    private static boolean constantArguments(List<Token> tokens, int open, String sql) {
        for (int i = open + 1; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.kind() == TokenKind.RIGHT_PAREN) {
                return true;
            }
            boolean constant = t.isComment()
                    || t.kind() == TokenKind.COMMA
                    || t.kind() == TokenKind.STRING
                    || t.kind() == TokenKind.NUMBER
                    || t.isWord(sql, "TRUE")
                    || t.isWord(sql, "FALSE")
                    || t.isWord(sql, "NULL");
            if (!constant) {
                return false;
            }
        }
        return false;
    }

    private static boolean isTextRunner(String function) {
        for (String runner : TEXT_RUNNERS) {
            if (runner.equalsIgnoreCase(function)) {
                return true;
            }
        }
        return false;
    }

    /** The first word of the text that names one of them, lower case; null when none does. */
    private static String namedIn(String text) {
        int n = text.length();
        for (int i = 0; i < n; ) {
            if (!Character.isLetterOrDigit(text.charAt(i)) && text.charAt(i) != '_') {
                i++;
                continue;
            }
            int end = i;
            while (end < n && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
                end++;
            }
            String word = text.substring(i, end);
            if (runsSql(word)) {
                return word.toLowerCase(Locale.ROOT);
            }
            i = end;
        }
        return null;
    }

    /** Whether a function of this name runs SQL it is given (any case): dblink's, xml2's xpath_table. */
    public static boolean runsSql(String name) {
        return SENDING.contains(name.toLowerCase(Locale.ROOT));
    }

    /**
     * PostgreSQL: a call of a function that runs SQL the guard does not see. dblink_exec is opaque whatever its
     * arguments; the others are when an argument is not a literal or a literal may run DDL. Null when the statement
     * calls none.
     */
    static String remoteSql(StatementText text, SqlSyntax syntax) {
        List<Token> tokens = text.tokens();
        String sql = text.source();
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).kind() == TokenKind.STRING) {
                // SQL text handed on (query_to_xml, ts_stat, ts_rewrite … run it, dblink_exec included: an outside
                // tester renamed a table so): a literal that names one of them is taken as a call
                String value = DynamicSql.literalValue(tokens, i, sql, syntax);
                String named = value == null ? "dblink_exec" : namedIn(value);
                if (named != null) {
                    return "passes on SQL text that calls " + named + ", which runs SQL on a connection the guard"
                            + " does not see";
                }
                continue;
            }
            if (tokens.get(i).kind() != TokenKind.LEFT_PAREN) {
                continue;
            }
            String function = functionBefore(tokens, i, sql, syntax);
            if (function != null && isTextRunner(function) && !constantArguments(tokens, i, sql)) {
                return "calls " + function + " with SQL text built at run time, which may call dblink_exec";
            }
            if (function != null
                    && SENDING.contains(function)
                    && ("dblink_exec".equals(function) || !readableLiteralArguments(tokens, i, sql, syntax))) {
                return "calls " + function + ", which runs SQL on a connection the guard does not see";
            }
        }
        return null;
    }

    /**
     * The name before the parenthesis at {@code open} (comments skipped): a word lower-cased, a quoted name as written,
     * a {@code U&"…"} name decoded, also with its {@code UESCAPE 'c'} (an outside tester's {@code U&"dblin!006B_exec"
     * UESCAPE '!' (…)} passed); null when no name stands there.
     */
    private static String functionBefore(List<Token> tokens, int open, String sql, SqlSyntax syntax) {
        int k = CompoundStatements.previousCode(tokens, open);
        if (k < 0) {
            return null;
        }
        char escape = 0;
        Token t = tokens.get(k);
        if (t.kind() == TokenKind.STRING) {
            int word = CompoundStatements.previousCode(tokens, k);
            int name = word < 0 ? -1 : CompoundStatements.previousCode(tokens, word);
            if (name < 0 || !tokens.get(word).isWord(sql, "UESCAPE")) {
                return null;
            }
            String c = t.text(sql);
            escape = c.length() == 3 ? c.charAt(1) : '\uFFFF'; // not one character: the server refuses it
            t = tokens.get(name);
        }
        if (t.kind() == TokenKind.WORD && escape == 0) {
            return t.text(sql).toLowerCase(Locale.ROOT);
        }
        if (t.kind() == TokenKind.QUOTED_IDENTIFIER) {
            String value = StringLiterals.decode(t.text(sql), syntax, escape);
            return value == null ? "dblink_exec" : value; // an undecodable name: assume the worst
        }
        return null;
    }

    /** Whether the call's arguments (from the parenthesis at {@code open}) are literals and commas only, none running DDL. */
    private static boolean readableLiteralArguments(List<Token> tokens, int open, String sql, SqlSyntax syntax) {
        for (int i = open + 1; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.kind() == TokenKind.RIGHT_PAREN) {
                return true;
            }
            if (t.isComment() || t.kind() == TokenKind.COMMA) {
                continue;
            }
            if (t.kind() != TokenKind.STRING || DynamicSql.literalMayRunDdl(tokens, i, sql, syntax)) {
                return false;
            }
        }
        return false;
    }

    /**
     * PostgreSQL: whether the text may call one of them ({@code dblink}, {@code dblink_exec}, {@code xpath_table}, …),
     * in any case, quoted or not, or hold a {@code U&"…"} identifier (which may spell it in escapes). Looks for the rare
     * letters k and x with the vectorised {@code indexOf} and checks the letters around them: scans that rarely stop,
     * and one more for {@code &}.
     */
    static boolean mayCall(String sql) {
        if (mayCallAnExtension(sql)) {
            return true;
        }
        for (String runner : TEXT_RUNNERS) {
            char first = runner.charAt(0);
            if (before(sql, first, runner) || before(sql, Character.toUpperCase(first), runner)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the text may call dblink's or xml2's functions (the extensions', not the built-in text runners). */
    public static boolean mayCallAnExtension(String sql) {
        return after(sql, 'k', "DBLIN")
                || after(sql, 'K', "DBLIN")
                || before(sql, 'x', "XPATH_TABLE")
                || before(sql, 'X', "XPATH_TABLE")
                || unicodeIdentifier(sql);
    }

    /** Whether a statement the guard let run may have made them callable: CREATE EXTENSION dblink | xml2, a C function bound to their library. */
    public static boolean mayInstall(String sql) {
        String lower = sql.toLowerCase(Locale.ROOT);
        return lower.contains("dblink") || lower.contains("xml2") || lower.contains("xpath_table");
    }

    private static boolean after(String sql, char letter, String letters) {
        int n = letters.length();
        for (int i = sql.indexOf(letter, n); i >= 0; i = sql.indexOf(letter, i + 1)) {
            if (sql.regionMatches(true, i - n, letters, 0, n)) {
                return true;
            }
        }
        return false;
    }

    private static boolean before(String sql, char letter, String word) {
        for (int i = sql.indexOf(letter); i >= 0; i = sql.indexOf(letter, i + 1)) {
            if (sql.regionMatches(true, i, word, 0, word.length())) {
                return true;
            }
        }
        return false;
    }

    private static boolean unicodeIdentifier(String sql) {
        for (int i = sql.indexOf('&', 1); i >= 0 && i + 1 < sql.length(); i = sql.indexOf('&', i + 1)) {
            char u = sql.charAt(i - 1);
            if ((u == 'u' || u == 'U') && sql.charAt(i + 1) == '"') {
                return true;
            }
        }
        return false;
    }
}
