package dev.ddlguard.sql;

/** Where quoted strings, quoted identifiers and dollar quotes end. */
final class QuoteRules {

    private QuoteRules() {}

    /**
     * End of a quoted run opened by the quote character at {@code i}: index after the closing
     * quote, or the end of the text. A doubled quote is an escaped quote (PostgreSQL 4.1.2.1
     * "String Constants", 4.1.1 for {@code ""} in identifiers, MySQL 9.1.1 "String Literals" and
     * {@code ``} in identifiers). With {@code backslashEscapes}, a backslash escapes the next
     * character (MySQL 9.1.1 by default, PostgreSQL 4.1.2.2 for {@code E'...'}).
     */
    static int quotedEnd(String sql, int i, boolean backslashEscapes) {
        return quotedEnd(sql, i, backslashEscapes, false);
    }

    /**
     * As {@link #quotedEnd(String, int, boolean)}; with {@code multibyteSwallow} a non-ASCII
     * character followed by a backslash or backtick takes that character as its second byte (see
     * {@link Lexing#multibyteSwallow}).
     */
    static int quotedEnd(String sql, int i, boolean backslashEscapes, boolean multibyteSwallow) {
        int n = sql.length();
        char quote = sql.charAt(i);
        int j = i + 1;
        while (j < n) {
            char c = sql.charAt(j);
            if (multibyteSwallow && c >= 0x80 && swallowable(sql, j + 1)) {
                j += 2;
            } else if (c == '\\' && backslashEscapes) {
                j += 2;
            } else if (c == quote) {
                if (j + 1 < n && sql.charAt(j + 1) == quote) {
                    j += 2;
                } else {
                    return j + 1;
                }
            } else {
                j++;
            }
        }
        return n;
    }

    /** Whether the character at {@code j} is one a multibyte lead byte can swallow. */
    static boolean swallowable(String sql, int j) {
        return j < sql.length() && (sql.charAt(j) == '\\' || sql.charAt(j) == '`');
    }

    /**
     * Length of a string-constant prefix at {@code i} (0 if none): {@code E'} escape strings
     * (PostgreSQL 4.1.2.2), {@code B'} and {@code X'} bit strings (4.1.2.5; MySQL 9.1.5 and 9.1.4),
     * {@code N'} national strings, and {@code U&'} or {@code U&"} Unicode escapes (4.1.2.3, 4.1.1;
     * also H2). MySQL's {@code _charset'...'} introducers are left as a word followed by a string.
     */
    static int prefixLength(String sql, int i, SqlSyntax syntax) {
        int n = sql.length();
        if (i + 1 >= n) {
            return 0;
        }
        char next = sql.charAt(i + 1);
        switch (sql.charAt(i)) {
            case 'E':
            case 'e':
                return syntax == SqlSyntax.POSTGRESQL && next == '\'' ? 1 : 0;
            case 'B':
            case 'b':
            case 'X':
            case 'x':
            case 'N':
            case 'n':
                return next == '\'' ? 1 : 0;
            case 'U':
            case 'u':
                if (syntax == SqlSyntax.MYSQL || next != '&' || i + 2 >= n) {
                    return 0;
                }
                char quote = sql.charAt(i + 2);
                return quote == '\'' || quote == '"' ? 2 : 0;
            default:
                return 0;
        }
    }

    /**
     * Whether the prefixed string at {@code i} takes backslash escapes: MySQL as its plain strings,
     * PostgreSQL's E always, and its N'..' as a plain string (scan.l reads N as the key word NCHAR,
     * then an ordinary string, which follows standard_conforming_strings).
     */
    static boolean prefixedBackslashes(String sql, int i, Lexing lexing) {
        char c = sql.charAt(i);
        if (lexing.mysql()) {
            return lexing.backslashEscapes();
        }
        return c == 'E' || c == 'e' || ((c == 'N' || c == 'n') && lexing.plainStringBackslashes());
    }

    /**
     * End of the opening delimiter of a dollar quote at {@code i}, or -1 if none starts there.
     * PostgreSQL 4.1.2.4 "Dollar-Quoted String Constants": {@code $tag$} where the tag follows
     * identifier rules but may not contain {@code $} nor start with a digit (so {@code $1} stays a
     * parameter). H2 knows only the empty tag {@code $$}; MySQL has no dollar quotes.
     */
    static int dollarTagEnd(String sql, int i, SqlSyntax syntax) {
        int n = sql.length();
        if (syntax == SqlSyntax.MYSQL || i + 1 >= n) {
            return -1;
        }
        if (sql.charAt(i + 1) == '$') {
            return i + 2;
        }
        if (syntax != SqlSyntax.POSTGRESQL || !CharClasses.isDollarTagChar(sql.charAt(i + 1), true)) {
            return -1;
        }
        int j = i + 2;
        while (j < n && CharClasses.isDollarTagChar(sql.charAt(j), false)) {
            j++;
        }
        return j < n && sql.charAt(j) == '$' ? j + 1 : -1;
    }

    /**
     * End of a dollar-quoted string whose opening delimiter spans {@code [i, tagEnd)}: index after
     * the identical closing delimiter, or the end of the text. Other tags inside are plain text,
     * which is what lets {@code $fn$ ... $q$ ... $q$ ... $fn$} nest.
     */
    static int dollarQuotedEnd(String sql, int i, int tagEnd) {
        int n = sql.length();
        int tagLength = tagEnd - i;
        int j = tagEnd;
        while (true) {
            // Compare in place rather than searching for a substring: the pre-filter must not allocate.
            j = sql.indexOf('$', j);
            if (j < 0) {
                return n;
            }
            if (sql.regionMatches(j, sql, i, tagLength)) {
                return j + tagLength;
            }
            j++;
        }
    }
}
