package dev.ddlguard.sql;

/** The lexical category of a {@link Token}. */
public enum TokenKind {
    /** An unquoted key word or identifier. */
    WORD,
    /** A {@code "quoted"} (ANSI, PostgreSQL, {@code U&"..."}) or {@code `backtick`} (MySQL) identifier. */
    QUOTED_IDENTIFIER,
    /** A string constant, including prefixed ({@code E'..'}, {@code X'..'}) and dollar-quoted ones. */
    STRING,
    /** A numeric constant. */
    NUMBER,
    /** A {@code --} or (MySQL) {@code #} comment, up to but excluding the line break. */
    LINE_COMMENT,
    /** A <code>/* ... *&#47;</code> comment, except MySQL executable comments. */
    BLOCK_COMMENT,
    /** {@code ;} */
    SEMICOLON,
    /** {@code (} */
    LEFT_PAREN,
    /** {@code )} */
    RIGHT_PAREN,
    /** {@code ,} */
    COMMA,
    /** {@code .} */
    DOT,
    /** A run of operator characters such as {@code <=}, {@code ::} or {@code ->>}. */
    OPERATOR,
    /** A bind parameter: {@code ?}, {@code $1} or {@code :name}. */
    PARAMETER,
    /** Any other character, such as {@code [}, <code>{</code> or a backslash. */
    OTHER
}
