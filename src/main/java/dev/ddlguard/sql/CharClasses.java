package dev.ddlguard.sql;

/** Character classes shared by the lexer and the pre-filter; all checks take code points. */
final class CharClasses {

    private CharClasses() {}

    /**
     * Whitespace between tokens, as each server's scanner reads it. Control characters count
     * everywhere: H2 skips every character up to U+0020 (its Tokenizer), and PostgreSQL and MySQL
     * reject the statement on them, so seeing the words on either side can only make us more careful.
     * PostgreSQL (scan.l {@code space}: space, tab, newline, carriage return, form feed) and MySQL read
     * every character from U+0080 as part of an identifier (scan.l {@code ident_cont} includes the
     * bytes \200-\377; MySQL 11.2 "Schema Object Names" permits U+0080..U+FFFF unquoted), so for them
     * no non-ASCII character is whitespace. H2 also skips Unicode space characters
     * ({@code Character.isSpaceChar}).
     */
    static boolean isWhitespace(int cp, SqlSyntax syntax) {
        if (cp <= ' ') {
            return true;
        }
        return cp >= 0x80 && syntax == SqlSyntax.ANSI && Character.isSpaceChar(cp);
    }

    /**
     * First character of an unquoted identifier or key word: an ASCII letter or underscore
     * (PostgreSQL 4.1.1 "Identifiers and Key Words"); from U+0080 any character for PostgreSQL and
     * MySQL (see {@link #isWhitespace}), a Java identifier start for H2 (its Tokenizer).
     */
    static boolean isIdentifierStart(int cp, SqlSyntax syntax) {
        if (cp < 0x80) {
            // H2 in MSSQLServer mode reads # in names (#temp); elsewhere it is an H2 syntax error.
            return (cp >= 'a' && cp <= 'z')
                    || (cp >= 'A' && cp <= 'Z')
                    || cp == '_'
                    || (cp == '#' && syntax == SqlSyntax.ANSI);
        }
        if (syntax == SqlSyntax.ANSI) {
            return !Character.isSpaceChar(cp) && Character.isJavaIdentifierStart(cp);
        }
        return true;
    }

    /**
     * Later characters of an unquoted identifier: letters, underscores, digits and dollar signs
     * (PostgreSQL 4.1.1; MySQL 11.2 "Schema Object Names" allows the same set) and, from U+0080,
     * any character for PostgreSQL and MySQL. H2 reads {@code Character.isJavaIdentifierPart}, which
     * also takes the "ignorable" control characters (U+0000..U+0008, U+000E..U+001B, U+007F) and
     * format characters such as U+200B into the word.
     */
    static boolean isIdentifierPart(int cp, SqlSyntax syntax) {
        if (syntax == SqlSyntax.ANSI) {
            return cp == '#' || (Character.isJavaIdentifierPart(cp) && !Character.isSpaceChar(cp));
        }
        if (cp < 0x80) {
            return isIdentifierStart(cp, syntax) || (cp >= '0' && cp <= '9') || cp == '$';
        }
        return true;
    }

    /**
     * Character of a dollar-quote tag (PostgreSQL 4.1.2.4 "Dollar-Quoted String Constants"): the
     * scanner accepts letters, underscore, any non-ASCII byte and, after the first, digits.
     */
    static boolean isDollarTagChar(char c, boolean first) {
        if (c < 0x80) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (!first && c >= '0' && c <= '9');
        }
        return true;
    }

    /** ASCII decimal digit; SQL numbers and parameter numbers use no other digits. */
    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** ASCII hexadecimal digit, for {@code 0x1F} style numbers. */
    static boolean isHexDigit(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /**
     * Operator character (PostgreSQL 4.1.3 "Operators": {@code + - * / < > = ~ ! @ # % ^ & | ` ?}
     * plus {@code :} for casts and MySQL's {@code :=}). {@code ?} is left out because JDBC makes it
     * a bind parameter, and MySQL's and H2's backtick quotes identifiers instead.
     */
    static boolean isOperatorChar(char c, SqlSyntax syntax) {
        switch (c) {
            case '+':
            case '-':
            case '*':
            case '/':
            case '<':
            case '>':
            case '=':
            case '~':
            case '!':
            case '@':
            case '#':
            case '%':
            case '^':
            case '&':
            case '|':
            case ':':
                return true;
            case '`':
                return syntax == SqlSyntax.POSTGRESQL;
            default:
                return false;
        }
    }
}
