package dev.ddlguard.sql;

/**
 * A token with its position in the original text; the text itself is never copied.
 *
 * @param kind lexical category
 * @param start index of the first character in the SQL text
 * @param end index after the last character
 * @param line 1-based line of {@code start} (a line ends at LF, CR LF or a lone CR)
 * @param column 1-based column of {@code start}, counted in UTF-16 code units
 */
public record Token(TokenKind kind, int start, int end, int line, int column) {

    /** Returns this token's text, {@code sql.substring(start, end)}. */
    public String text(String sql) {
        return sql.substring(start, end);
    }

    /**
     * Tells whether this is an unquoted word equal, ignoring case, to {@code upperKeyword}; it
     * compares in place so that keyword checks never allocate.
     */
    public boolean isWord(String sql, String upperKeyword) {
        int length = upperKeyword.length();
        return kind == TokenKind.WORD
                && end - start == length
                && sql.regionMatches(true, start, upperKeyword, 0, length);
    }

    /** Tells whether this token is a line or block comment. */
    public boolean isComment() {
        return kind == TokenKind.LINE_COMMENT || kind == TokenKind.BLOCK_COMMENT;
    }
}
