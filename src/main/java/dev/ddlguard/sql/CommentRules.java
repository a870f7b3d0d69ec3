package dev.ddlguard.sql;

/** Where comments start and end; every method returns an index and never reads past the text. */
final class CommentRules {

    /** MySQL reads 5-digit versions, MariaDB 6-digit ones ({@code /*M!100100}). */
    private static final int MAX_VERSION_DIGITS = 6;

    private CommentRules() {}

    /**
     * Start of a line comment. PostgreSQL 4.1.5 "Comments": {@code --} always. MySQL 9.7
     * "Comments": {@code #} always, but {@code --} only when the second dash is followed by
     * whitespace or a control character (or ends the text), so {@code 5--1} stays arithmetic.
     * H2 (its Tokenizer) also reads {@code //} as a line comment, in every mode.
     */
    static boolean startsLineComment(String sql, int i, SqlSyntax syntax) {
        int n = sql.length();
        char c = sql.charAt(i);
        if (c == '#') {
            return syntax == SqlSyntax.MYSQL;
        }
        if (c == '/') {
            return syntax == SqlSyntax.ANSI && i + 1 < n && sql.charAt(i + 1) == '/';
        }
        if (c != '-' || i + 1 >= n || sql.charAt(i + 1) != '-') {
            return false;
        }
        if (syntax != SqlSyntax.MYSQL) {
            return true;
        }
        if (i + 2 >= n) {
            return true;
        }
        char next = sql.charAt(i + 2);
        return next <= ' ' || next == 0x7F;
    }

    /**
     * End of a line comment: the line break is not part of it. PostgreSQL (scan.l
     * {@code comment ("--"{non_newline}*)}) and H2 end it at LF or CR; MySQL only at LF (sql_lex.cc
     * skips to '\n'), so there a lone CR stays inside the comment.
     */
    static int lineCommentEnd(String sql, int i, SqlSyntax syntax) {
        int n = sql.length();
        if (syntax == SqlSyntax.MYSQL) {
            int lf = sql.indexOf('\n', i);
            return lf < 0 ? n : lf;
        }
        int j = i;
        while (j < n) {
            char c = sql.charAt(j);
            if (c == '\n' || c == '\r') {
                break;
            }
            j++;
        }
        return j;
    }

    /** Start of a C-style block comment {@code /*} (PostgreSQL 4.1.5, MySQL 9.7). */
    static boolean startsBlockComment(String sql, int i) {
        return sql.charAt(i) == '/' && i + 1 < sql.length() && sql.charAt(i + 1) == '*';
    }

    /**
     * End of a block comment starting at {@code i}. PostgreSQL 4.1.5 and the SQL standard (and H2)
     * nest block comments; MySQL 9.7 does not, so there the first <code>*&#47;</code> closes it.
     * Unterminated comments run to the end of the text.
     */
    static int blockCommentEnd(String sql, int i, boolean nested) {
        return blockCommentEnd(sql, i, nested ? Integer.MAX_VALUE : 1);
    }

    /** The end of a block comment in which comments nest up to {@code maxDepth} levels, itself included. */
    private static int blockCommentEnd(String sql, int i, int maxDepth) {
        int n = sql.length();
        int depth = 1;
        int j = i + 2;
        while (j < n) {
            char c = sql.charAt(j);
            if (c == '*' && j + 1 < n && sql.charAt(j + 1) == '/') {
                j += 2;
                if (--depth == 0) {
                    return j;
                }
            } else if (depth < maxDepth && c == '/' && j + 1 < n && sql.charAt(j + 1) == '*') {
                depth++;
                j += 2;
            } else {
                j++;
            }
        }
        return n;
    }

    /**
     * End of a versioned comment the server skips (a version above its own): MariaDB and MySQL read it with one level of
     * nested comment (sql_lex.cc, {@code consume_comment(lip, 1)}), so {@code /*!999999 /* x *&#47; ; DROP TABLE t;
     * *&#47;} is one comment to its end; a plain comment nests none.
     */
    static int skippedVersionedEnd(String sql, int i) {
        return blockCommentEnd(sql, i, 2);
    }

    /**
     * MySQL: whether the connector's client-side parser may find a {@code ?} where the server reads a comment or a
     * string: one inside a versioned comment; after {@code /*&#47;}, which the connector takes for a whole comment and the
     * server for an opening one; and, under ANSI_QUOTES, after a backslash in a double-quoted name, which the connector
     * reads as an escaped quote and the server as a character (an outside tester's, each dropping a table with the
     * value of the ?).
     */
    static boolean parameterReadTwoWays(String sql, boolean ansiQuotes) {
        return sql.indexOf('?') >= 0
                && (sql.contains("/*/") || ansiQuotes && sql.contains("\\\"") || parameterInExecutable(sql));
    }

    /**
     * MySQL: whether a {@code ?} stands inside an executable or versioned comment. A client-side prepared statement
     * puts its value there as text, and the server may read it as code: an outside tester's {@code /*!999999 /* x *&#47;
     * ? *&#47;} with the value {@code '*&#47; DROP TABLE t /*'} dropped t (the connector ended the comment at the nested
     * one's end and took the ? for a parameter; the server closed it with the value's).
     */
    static boolean parameterInExecutable(String sql) {
        if (sql.indexOf('?') < 0) {
            return false;
        }
        for (int i = sql.indexOf("/*"); i >= 0; ) {
            int open = executableOpenerEnd(sql, i);
            int end = open < 0 ? blockCommentEnd(sql, i, false) : skippedVersionedEnd(sql, i);
            if (open >= 0 && sql.substring(open, end).indexOf('?') >= 0) {
                return true;
            }
            i = sql.indexOf("/*", Math.max(end, i + 2));
        }
        return false;
    }

    /**
     * End of an executable-comment opener, or -1. MySQL 9.7: {@code /*!} or {@code /*!50100} makes
     * the server execute the rest of the comment; MariaDB adds {@code /*M!} and {@code /*M!100100}.
     * The version digits belong to the marker, not to the code.
     */
    static int executableOpenerEnd(String sql, int i) {
        int j;
        if (sql.startsWith("/*!", i)) {
            j = i + 3;
        } else if (sql.startsWith("/*M!", i)) {
            j = i + 4;
        } else {
            return -1;
        }
        int n = sql.length();
        int k = j;
        while (k < n && k - j < MAX_VERSION_DIGITS && CharClasses.isDigit(sql.charAt(k))) {
            k++;
        }
        return k;
    }

    /**
     * Whether a versioned executable comment opens at {@code i}: {@code /*!} with a version, which
     * the server runs only when its own version is at least that one (MariaDB 10.11 skips
     * {@code /*!50700} and {@code /*!99999} but runs {@code /*!50699}), or MariaDB's {@code /*M!},
     * which MySQL reads as a plain comment. Whether its content is code depends on the server.
     */
    static boolean versionedOpener(String sql, int i) {
        if (sql.startsWith("/*M!", i)) {
            return true;
        }
        return sql.startsWith("/*!", i) && i + 3 < sql.length() && CharClasses.isDigit(sql.charAt(i + 3));
    }

    /** Closing <code>*&#47;</code> of an executable comment. */
    static boolean isCommentClose(String sql, int i) {
        return sql.charAt(i) == '*' && i + 1 < sql.length() && sql.charAt(i + 1) == '/';
    }

    /** Start of any comment in this syntax, as an operator scan must stop before one. */
    static boolean startsComment(String sql, int i, SqlSyntax syntax) {
        return startsBlockComment(sql, i) || startsLineComment(sql, i, syntax);
    }
}
