package dev.ddlguard.sql;

/** Lexical flavour of SQL text. */
public enum SqlSyntax {
    /**
     * H2 and unknown databases: {@code '...'} strings with {@code ''} escapes, {@code "..."}
     * identifiers, {@code --} line comments, nested <code>/* *&#47;</code> block comments and
     * {@code $$...$$} strings.
     */
    ANSI,
    /**
     * PostgreSQL: ANSI plus {@code E'...'} strings with backslash escapes, {@code U&'...'} and
     * {@code U&"..."}, {@code B'...'} and {@code X'...'}, dollar quotes {@code $tag$...$tag$} and
     * {@code $1} parameters.
     */
    POSTGRESQL,
    /**
     * MySQL and MariaDB: {@code '...'} and {@code "..."} strings with backslash escapes, backtick
     * identifiers, {@code #} comments, {@code -- } comments only before whitespace, block comments
     * that do not nest, and executable comments whose content is lexed as code.
     */
    MYSQL
}
