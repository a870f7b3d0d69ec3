package dev.ddlguard.sql;

/**
 * The pre-filter's rarer walks, off its hot path: the walk of a text whose {@code ;} is followed by a
 * DDL-ish word (is that {@code ;} code, or inside a string or comment?), and PostgreSQL's {@code SELECT …
 * INTO}, which {@link DdlPreFilter} walks only when the letters {@code into} occur at all. Allocation-free,
 * as the pre-filter must be.
 */
final class PreFilterWalks {

    /** PostgreSQL's default reading, made once: the pre-filter must not allocate. */
    private static final Lexing POSTGRESQL_DEFAULTS = Lexing.of(SqlSyntax.POSTGRESQL);

    private PreFilterWalks() {}

    /**
     * Walks the text with the lexer's rules, without building tokens, and checks the first word
     * after each {@code ;} that is not inside a string, quoted identifier, comment or dollar quote.
     * This may see more statement starts than {@link StatementSplitter} (it ignores parentheses and
     * routine bodies), which only makes it answer {@code true} more often.
     */
    static boolean laterStatementMayBeDdl(String sql, int from, Lexing lexing) {
        SqlSyntax syntax = lexing.syntax();
        boolean mysql = syntax == SqlSyntax.MYSQL;
        boolean swallow = lexing.multibyteSwallow();
        int n = sql.length();
        int i = from;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == ';') {
                i = DdlPreFilter.skipToCode(sql, i + 1, syntax);
                if (DdlPreFilter.startsDdl(sql, i, syntax)) {
                    return true;
                }
            } else if (c == '\'') {
                i = QuoteRules.quotedEnd(sql, i, lexing.plainStringBackslashes(), swallow);
            } else if (c == '"' && mysql && !lexing.ansiQuotes()) {
                i = QuoteRules.quotedEnd(sql, i, lexing.backslashEscapes(), swallow);
            } else if (c == '"' || (c == '`' && syntax != SqlSyntax.POSTGRESQL)) {
                i = QuoteRules.quotedEnd(sql, i, false, swallow);
            } else if (c == '[' && lexing.bracketNames()) {
                int close = sql.indexOf(']', i + 1);
                i = close < 0 ? n : close + 1;
            } else if (CommentRules.startsLineComment(sql, i, syntax)) {
                i = CommentRules.lineCommentEnd(sql, i, syntax);
            } else if (CommentRules.startsBlockComment(sql, i)) {
                if (mysql
                        && CommentRules.executableOpenerEnd(sql, i) >= 0
                        && (!CommentRules.versionedOpener(sql, i) || lexing.runsVersioned(sql, i))) {
                    return true; // the server runs its content: let the classifier look inside
                }
                i = CommentRules.blockCommentEnd(sql, i, !mysql);
            } else if (c == '$' && QuoteRules.dollarTagEnd(sql, i, syntax) > 0) {
                i = QuoteRules.dollarQuotedEnd(sql, i, QuoteRules.dollarTagEnd(sql, i, syntax));
            } else {
                i = skipWordOrChar(sql, i, lexing);
            }
        }
        return false;
    }

    /**
     * Skips a whole word, or a prefixed string such as {@code E'..'}, or one character. Words are
     * skipped whole because {@code $} inside a word ({@code a$b$}) does not open a dollar quote.
     */
    private static int skipWordOrChar(String sql, int i, Lexing lexing) {
        SqlSyntax syntax = lexing.syntax();
        int cp = sql.codePointAt(i);
        if (!CharClasses.isIdentifierStart(cp, syntax)) {
            return i + Character.charCount(cp);
        }
        int prefix = QuoteRules.prefixLength(sql, i, syntax);
        if (prefix > 0) {
            boolean identifier = sql.charAt(i + prefix) == '"';
            return QuoteRules.quotedEnd(
                    sql,
                    i + prefix,
                    !identifier && QuoteRules.prefixedBackslashes(sql, i, lexing),
                    lexing.multibyteSwallow());
        }
        return TokenRules.wordEnd(sql, i, lexing);
    }

    /**
     * PostgreSQL {@code SELECT … INTO new_table} creates a table. The grammar (gram.y, simple_select) allows
     * INTO only in the first SELECT, between its target list and FROM, so only that stretch is walked: up
     * to the first top-level FROM (not the one of {@code IS DISTINCT FROM}), {@code ;} or the end. For
     * {@code WITH}, the CTEs are parenthesised and the walk goes on to the main statement; it stops at a
     * top-level INSERT, UPDATE, DELETE or MERGE. A word after {@code AS} or {@code .} is a label ({@code
     * SELECT 1 AS from INTO t} is valid). Allocation-free, and for an ordinary SELECT only as long as its
     * target list.
     */
    static boolean selectMayCreateTable(String sql, int i) {
        int n = sql.length();
        if (i >= n || !CharClasses.isIdentifierStart(sql.codePointAt(i), SqlSyntax.POSTGRESQL)) {
            return false;
        }
        int wordEnd = TokenRules.wordEnd(sql, i, SqlSyntax.POSTGRESQL);
        if (!(wordEnd - i == 6 && DdlPreFilter.is(sql, i, "SELECT"))
                && !(wordEnd - i == 4 && DdlPreFilter.is(sql, i, "WITH"))) {
            return false;
        }
        int depth = 0;
        boolean label = false; // the previous token was AS or '.'
        boolean distinct = false; // the previous word was DISTINCT
        int j = wordEnd;
        while (j < n) {
            char c = sql.charAt(j);
            if (c == ';') {
                return false;
            }
            if (CharClasses.isWhitespace(c, SqlSyntax.POSTGRESQL)) {
                j++;
                continue;
            }
            if (CommentRules.startsLineComment(sql, j, SqlSyntax.POSTGRESQL)) {
                j = CommentRules.lineCommentEnd(sql, j, SqlSyntax.POSTGRESQL);
                continue;
            }
            if (CommentRules.startsBlockComment(sql, j)) {
                j = CommentRules.blockCommentEnd(sql, j, true);
                continue;
            }
            boolean wasLabel = label;
            boolean wasDistinct = distinct;
            label = false;
            distinct = false;
            if (c == '\'' || c == '"') {
                j = QuoteRules.quotedEnd(sql, j, false);
            } else if (c == '$' && QuoteRules.dollarTagEnd(sql, j, SqlSyntax.POSTGRESQL) > 0) {
                j = QuoteRules.dollarQuotedEnd(sql, j, QuoteRules.dollarTagEnd(sql, j, SqlSyntax.POSTGRESQL));
            } else if (c == '(') {
                depth++;
                j++;
            } else if (c == ')') {
                depth--;
                j++;
            } else if (c == '.') {
                label = true;
                j++;
            } else if (CharClasses.isIdentifierStart(sql.codePointAt(j), SqlSyntax.POSTGRESQL)) {
                if (QuoteRules.prefixLength(sql, j, SqlSyntax.POSTGRESQL) > 0) {
                    j = skipWordOrChar(sql, j, POSTGRESQL_DEFAULTS);
                    continue;
                }
                int end = TokenRules.wordEnd(sql, j, SqlSyntax.POSTGRESQL);
                int length = end - j;
                if (depth <= 0 && !wasLabel) {
                    if (length == 4 && DdlPreFilter.is(sql, j, "INTO")) {
                        return true;
                    }
                    if ((length == 4 && DdlPreFilter.is(sql, j, "FROM") && !wasDistinct)
                            || (length == 6
                                    && (DdlPreFilter.is(sql, j, "INSERT")
                                            || DdlPreFilter.is(sql, j, "UPDATE")
                                            || DdlPreFilter.is(sql, j, "DELETE")))
                            || (length == 5 && DdlPreFilter.is(sql, j, "MERGE"))) {
                        return false;
                    }
                }
                label = length == 2 && DdlPreFilter.is(sql, j, "AS");
                distinct = length == 8 && DdlPreFilter.is(sql, j, "DISTINCT");
                j = end;
            } else {
                j++;
            }
        }
        return false;
    }

    /**
     * MariaDB's DELETE HISTORY: after the word DELETE (ending at {@code end}), HISTORY next, or a versioned comment
     * that may hold it. Any other DELETE, DML, costs one skip of whitespace and comments.
     */
    static boolean history(String sql, int end) {
        int j = DdlPreFilter.skipToCode(sql, end, SqlSyntax.MYSQL);
        return j < sql.length()
                && (DdlPreFilter.is(sql, j, "HISTORY") || CommentRules.executableOpenerEnd(sql, j) >= 0);
    }

    /**
     * MySQL: whether a system procedure's name starts at {@code i}: one of the {@code sys} or {@code mysql} schema
     * ({@code sys.}, {@code `mysql`.}, {@code "sys".} under ANSI_QUOTES), or one of theirs that runs SQL it builds
     * unqualified (USE sys first, or the connection's database: an outside tester's). After CALL, or after a JDBC
     * {@code {call} escape ({@link DynamicSqlStatements#call}). A versioned comment there may hold one too.
     */
    static boolean systemProcedureAt(String sql, int i) {
        if (CommentRules.executableOpenerEnd(sql, i) >= 0) {
            return true;
        }
        boolean quoted = i < sql.length() && (sql.charAt(i) == '`' || sql.charAt(i) == '"');
        int start = quoted ? i + 1 : i;
        int end = start;
        while (end < sql.length() && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
            end++;
        }
        if (DynamicSqlStatements.runsBuiltSql(sql, start, end)) {
            return true;
        }
        boolean system = end - start == 3 && sql.regionMatches(true, start, "SYS", 0, 3)
                || end - start == 5 && sql.regionMatches(true, start, "MYSQL", 0, 5);
        if (!system) {
            return false;
        }
        int j = quoted && end < sql.length() && sql.charAt(end) == sql.charAt(i) ? end + 1 : end;
        j = DdlPreFilter.skipToCode(sql, j, SqlSyntax.MYSQL);
        return j < sql.length() && sql.charAt(j) == '.';
    }
}
