package dev.ddlguard.sql;

/** Where words, numbers, operators and parameters end. */
final class TokenRules {

    private TokenRules() {}

    /**
     * End of an unquoted identifier or key word starting at {@code i} (PostgreSQL 4.1.1
     * "Identifiers and Key Words"). Walks code points so that letters outside the BMP stay whole.
     */
    static int wordEnd(String sql, int i, SqlSyntax syntax) {
        int n = sql.length();
        int j = i + Character.charCount(sql.codePointAt(i));
        while (j < n) {
            int cp = sql.codePointAt(j);
            if (!CharClasses.isIdentifierPart(cp, syntax)) {
                break;
            }
            j += Character.charCount(cp);
        }
        return j;
    }

    /**
     * End of the word at {@code i} under {@code lexing}: when a multibyte character may swallow a
     * following backslash or backtick ({@link Lexing#multibyteSwallow}), that character stays inside
     * the word too.
     */
    static int wordEnd(String sql, int i, Lexing lexing) {
        SqlSyntax syntax = lexing.syntax();
        int end = wordEnd(sql, i, syntax);
        while (lexing.multibyteSwallow()
                && end < sql.length()
                && sql.charAt(end - 1) >= 0x80
                && QuoteRules.swallowable(sql, end)) {
            end = end + 1 < sql.length() && CharClasses.isIdentifierPart(sql.codePointAt(end + 1), syntax)
                    ? wordEnd(sql, end + 1, syntax)
                    : end + 1;
        }
        return end;
    }

    /** Whether a number starts at {@code i}: a digit, or a point followed by a digit. */
    static boolean startsNumber(String sql, int i) {
        char c = sql.charAt(i);
        return CharClasses.isDigit(c) || (c == '.' && i + 1 < sql.length() && CharClasses.isDigit(sql.charAt(i + 1)));
    }

    /**
     * End of a numeric constant (PostgreSQL 4.1.2.6 "Numeric Constants"): {@code digits[.digits]
     * [e[+-]digits]}, {@code .5}, {@code 0x1F}/{@code 0o17}/{@code 0b101} and {@code 1_000}. A point
     * followed by another point is left alone, for MariaDB's {@code 1..10} ranges.
     */
    static int numberEnd(String sql, int i) {
        int n = sql.length();
        if (sql.charAt(i) == '0'
                && i + 2 < n
                && isRadixLetter(sql.charAt(i + 1))
                && CharClasses.isHexDigit(sql.charAt(i + 2))) {
            int j = i + 2;
            while (j < n && (CharClasses.isHexDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
                j++;
            }
            return j;
        }
        int j = digitsEnd(sql, i);
        if (j < n && sql.charAt(j) == '.' && !(j + 1 < n && sql.charAt(j + 1) == '.')) {
            j = digitsEnd(sql, j + 1);
        }
        if (j < n && (sql.charAt(j) == 'e' || sql.charAt(j) == 'E')) {
            int k = j + 1;
            if (k < n && (sql.charAt(k) == '+' || sql.charAt(k) == '-')) {
                k++;
            }
            if (k < n && CharClasses.isDigit(sql.charAt(k))) {
                j = digitsEnd(sql, k);
            }
        }
        return j;
    }

    private static boolean isRadixLetter(char c) {
        return c == 'x' || c == 'X' || c == 'o' || c == 'O' || c == 'b' || c == 'B';
    }

    /** Digits, with single underscores between them (PostgreSQL 16 allows {@code 1_000}). */
    private static int digitsEnd(String sql, int i) {
        int n = sql.length();
        int j = i;
        while (j < n) {
            char c = sql.charAt(j);
            boolean separator = c == '_' && j > i && j + 1 < n && CharClasses.isDigit(sql.charAt(j + 1));
            if (!CharClasses.isDigit(c) && !separator) {
                break;
            }
            j++;
        }
        return j;
    }

    /**
     * End of a bind parameter at {@code i}, or -1: JDBC's {@code ?}, PostgreSQL's positional
     * {@code $1} (4.1.4 "Special Characters"), and named {@code :name}, which needs a letter right
     * after the colon and no colon before it so that the cast {@code x::text} stays an operator.
     */
    static int parameterEnd(String sql, int i, SqlSyntax syntax) {
        int n = sql.length();
        char c = sql.charAt(i);
        if (c == '?') {
            return i + 1;
        }
        if (c == '$' && i + 1 < n && CharClasses.isDigit(sql.charAt(i + 1))) {
            int j = i + 1;
            while (j < n && CharClasses.isDigit(sql.charAt(j))) {
                j++;
            }
            return j;
        }
        if (c == ':'
                && i + 1 < n
                && (i == 0 || sql.charAt(i - 1) != ':')
                && CharClasses.isIdentifierStart(sql.codePointAt(i + 1), syntax)) {
            return wordEnd(sql, i + 1, syntax);
        }
        return -1;
    }

    /**
     * End of an operator at {@code i} (PostgreSQL 4.1.3 "Operators"): a run of operator characters
     * that stops before a comment start (the manual: "{@code --} and {@code /*} cannot appear
     * anywhere in an operator name"), before a {@code :name} parameter and, inside a MySQL
     * executable comment, before its closing <code>*&#47;</code>. Always at least one character.
     */
    static int operatorEnd(String sql, int i, SqlSyntax syntax, boolean inExecutable) {
        int n = sql.length();
        int j = i + 1;
        while (j < n
                && CharClasses.isOperatorChar(sql.charAt(j), syntax)
                && !CommentRules.startsComment(sql, j, syntax)
                && !(inExecutable && CommentRules.isCommentClose(sql, j))
                && !(sql.charAt(j) == ':' && parameterEnd(sql, j, syntax) > 0)) {
            j++;
        }
        return syntax == SqlSyntax.POSTGRESQL ? trimTrailingSign(sql, i, j) : j;
    }

    /**
     * PostgreSQL 4.1.3: "A multiple-character operator name cannot end in + or -, unless the name
     * also contains at least one of these characters: ~ ! @ # % ^ &amp; | ` ?", so {@code =-1}
     * lexes as {@code =} then {@code -1}.
     */
    private static int trimTrailingSign(String sql, int i, int end) {
        int j = end;
        if (j - i < 2 || !isSign(sql.charAt(j - 1))) {
            return j;
        }
        for (int k = i; k < j; k++) {
            if ("~!@#%^&|`?".indexOf(sql.charAt(k)) >= 0) {
                return j;
            }
        }
        while (j - i > 1 && isSign(sql.charAt(j - 1))) {
            j--;
        }
        return j;
    }

    private static boolean isSign(char c) {
        return c == '+' || c == '-';
    }
}
