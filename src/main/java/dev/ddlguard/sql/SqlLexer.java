package dev.ddlguard.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Splits SQL text into {@link Token}s, comments included, following the lexical rules of a
 * {@link SqlSyntax}; it never throws, and unterminated constructs run to the end of the text.
 */
public final class SqlLexer {

    private final String sql;
    private final Lexing lexing;
    private final SqlSyntax syntax;
    private final List<Token> tokens = new ArrayList<>();
    /** Inside a MySQL executable comment, whose content is lexed as ordinary code. */
    private boolean inExecutable;
    /** Line bookkeeping, advanced lazily up to each token start. */
    private int line = 1;

    private int lineStart;
    private int counted;

    private SqlLexer(String sql, Lexing lexing) {
        this.sql = sql;
        this.lexing = lexing;
        this.syntax = lexing.syntax();
    }

    /**
     * Returns all tokens of {@code sql}, comments included, in order; whitespace is skipped.
     *
     * @param sql the text; {@code null} gives no tokens
     * @param syntax lexical flavour; {@code null} means {@link SqlSyntax#ANSI}
     * @return an unmodifiable list of tokens
     */
    public static List<Token> tokenize(String sql, SqlSyntax syntax) {
        return tokenizeUnder(sql, Lexing.of(syntax));
    }

    /**
     * Returns all tokens of {@code sql} as a server with the given session settings reads them.
     *
     * @param sql the text; {@code null} gives no tokens
     * @param lexing syntax and session settings
     * @return an unmodifiable list of tokens
     */
    public static List<Token> tokenizeUnder(String sql, Lexing lexing) {
        if (sql == null || sql.isEmpty()) {
            return List.of();
        }
        SqlLexer lexer = new SqlLexer(sql, lexing);
        lexer.run();
        return Collections.unmodifiableList(lexer.tokens);
    }

    private void run() {
        int n = sql.length();
        int i = 0;
        while (i < n) {
            int cp = sql.codePointAt(i);
            if (CharClasses.isWhitespace(cp, syntax)) {
                i += Character.charCount(cp);
            } else {
                // MySQL 9.7: the server runs what is inside /*! ... */, so the markers vanish and the
                // content is lexed as code.
                int marker = syntax == SqlSyntax.MYSQL ? executableMarkerEnd(i) : -1;
                i = marker >= 0 ? marker : token(i, cp);
            }
        }
    }

    /**
     * End of a MySQL executable-comment opener or closer at {@code i}, or -1. A versioned one the
     * server may skip is left to {@link #token} as a comment when {@link Lexing#versionedRun} is off.
     */
    private int executableMarkerEnd(int i) {
        if (inExecutable) {
            if (CommentRules.isCommentClose(sql, i)) {
                inExecutable = false;
                return i + 2;
            }
            return -1;
        }
        if (CommentRules.versionedOpener(sql, i) && !lexing.runsVersioned(sql, i)) {
            return -1;
        }
        int end = CommentRules.executableOpenerEnd(sql, i);
        inExecutable = end >= 0;
        return end;
    }

    /** Lexes the token starting at {@code i} and returns its end. */
    private int token(int i, int cp) {
        char c = sql.charAt(i);
        boolean mysql = syntax == SqlSyntax.MYSQL;
        if (CommentRules.startsLineComment(sql, i, syntax)) {
            return add(TokenKind.LINE_COMMENT, i, CommentRules.lineCommentEnd(sql, i, syntax));
        }
        if (CommentRules.startsBlockComment(sql, i)) {
            // a versioned comment here is one the server skips (see executableMarkerEnd): it nests one level
            return add(
                    TokenKind.BLOCK_COMMENT,
                    i,
                    mysql && CommentRules.versionedOpener(sql, i)
                            ? CommentRules.skippedVersionedEnd(sql, i)
                            : CommentRules.blockCommentEnd(sql, i, !mysql));
        }
        int prefix = QuoteRules.prefixLength(sql, i, syntax);
        if (prefix > 0) {
            boolean identifier = sql.charAt(i + prefix) == '"';
            int end = QuoteRules.quotedEnd(
                    sql,
                    i + prefix,
                    !identifier && QuoteRules.prefixedBackslashes(sql, i, lexing),
                    lexing.multibyteSwallow());
            return add(identifier ? TokenKind.QUOTED_IDENTIFIER : TokenKind.STRING, i, end);
        }
        boolean swallow = lexing.multibyteSwallow();
        switch (c) {
            case '\'':
                return add(TokenKind.STRING, i, QuoteRules.quotedEnd(sql, i, lexing.plainStringBackslashes(), swallow));
            case '"':
                // MySQL 9.1.1: without ANSI_QUOTES, double quotes delimit strings, not identifiers.
                if (mysql && !lexing.ansiQuotes()) {
                    return add(TokenKind.STRING, i, QuoteRules.quotedEnd(sql, i, lexing.backslashEscapes(), swallow));
                }
                return add(TokenKind.QUOTED_IDENTIFIER, i, QuoteRules.quotedEnd(sql, i, false, swallow));
            case '`':
                // MySQL 9.2 "Schema Object Names"; H2 reads backticks as quotes in every mode (its Tokenizer).
                if (syntax != SqlSyntax.POSTGRESQL) {
                    return add(TokenKind.QUOTED_IDENTIFIER, i, QuoteRules.quotedEnd(sql, i, false, swallow));
                }
                break;
            case '[':
                // H2 in MSSQLServer mode: [name] up to the first ], no escape.
                if (lexing.bracketNames()) {
                    int close = sql.indexOf(']', i + 1);
                    return add(TokenKind.QUOTED_IDENTIFIER, i, close < 0 ? sql.length() : close + 1);
                }
                break;
            case '$':
                return dollar(i);
            case ';':
                return add(TokenKind.SEMICOLON, i, i + 1);
            case '(':
                return add(TokenKind.LEFT_PAREN, i, i + 1);
            case ')':
                return add(TokenKind.RIGHT_PAREN, i, i + 1);
            case ',':
                return add(TokenKind.COMMA, i, i + 1);
            default:
                break;
        }
        if (CharClasses.isIdentifierStart(cp, syntax)) {
            return add(TokenKind.WORD, i, wordEnd(i));
        }
        if (TokenRules.startsNumber(sql, i)) {
            return number(i);
        }
        if (c == '.') {
            return add(TokenKind.DOT, i, i + 1);
        }
        int parameterEnd = TokenRules.parameterEnd(sql, i, syntax);
        if (parameterEnd > 0) {
            return add(TokenKind.PARAMETER, i, parameterEnd);
        }
        if (CharClasses.isOperatorChar(c, syntax)) {
            return add(TokenKind.OPERATOR, i, TokenRules.operatorEnd(sql, i, syntax, inExecutable));
        }
        return add(TokenKind.OTHER, i, i + Character.charCount(cp));
    }

    /**
     * A {@code $}: a dollar quote, a {@code $1} parameter, or (MySQL, where identifiers may start
     * with {@code $}) a word; otherwise a lone character.
     */
    private int dollar(int i) {
        int tagEnd = QuoteRules.dollarTagEnd(sql, i, syntax);
        if (tagEnd > 0) {
            return add(TokenKind.STRING, i, QuoteRules.dollarQuotedEnd(sql, i, tagEnd));
        }
        int parameterEnd = TokenRules.parameterEnd(sql, i, syntax);
        if (parameterEnd > 0) {
            return add(TokenKind.PARAMETER, i, parameterEnd);
        }
        if (syntax == SqlSyntax.MYSQL
                && i + 1 < sql.length()
                && CharClasses.isIdentifierPart(sql.codePointAt(i + 1), syntax)) {
            return add(TokenKind.WORD, i, wordEnd(i));
        }
        return add(TokenKind.OTHER, i, i + 1);
    }

    /**
     * A number; in MySQL one that runs into identifier characters is an identifier instead
     * (MySQL 11.2 "Schema Object Names": names may begin with a digit, as in {@code 2fa_codes}).
     */
    private int number(int i) {
        int end = TokenRules.numberEnd(sql, i);
        if (syntax == SqlSyntax.MYSQL
                && end < sql.length()
                && sql.charAt(i) != '.'
                && CharClasses.isIdentifierPart(sql.codePointAt(end), syntax)) {
            return add(TokenKind.WORD, i, wordEnd(end));
        }
        return add(TokenKind.NUMBER, i, end);
    }

    private int wordEnd(int i) {
        return TokenRules.wordEnd(sql, i, lexing);
    }

    private int add(TokenKind kind, int start, int end) {
        // Count line breaks up to the token start; LF, CR LF and a lone CR each end one line.
        for (int k = counted; k < start; k++) {
            char c = sql.charAt(k);
            if (c == '\n' || (c == '\r' && (k + 1 >= sql.length() || sql.charAt(k + 1) != '\n'))) {
                line++;
                lineStart = k + 1;
            }
        }
        counted = start;
        tokens.add(new Token(kind, start, end, line, start - lineStart + 1));
        return end;
    }
}
