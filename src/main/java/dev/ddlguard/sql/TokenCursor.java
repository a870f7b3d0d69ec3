package dev.ddlguard.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Walks the code tokens of one statement (comments skipped) with keyword look-ahead, the way a
 * recursive-descent reader needs. Tokens keep their positions, so callers can splice the original
 * text at token boundaries instead of re-rendering SQL.
 */
public final class TokenCursor {

    private final String sql;
    private final List<Token> tokens;
    private int position;

    public TokenCursor(StatementText statement) {
        this.sql = statement.source();
        this.tokens = statement.code();
    }

    /** A cursor at the first code token of the statement that starts at or after {@code offset} (an ALTER action's). */
    public static TokenCursor at(StatementText statement, int offset) {
        TokenCursor c = new TokenCursor(statement);
        while (!c.atEnd() && c.peek().start() < offset) {
            c.next();
        }
        return c;
    }

    public String sql() {
        return sql;
    }

    public boolean atEnd() {
        return position >= tokens.size();
    }

    public int position() {
        return position;
    }

    public void reset(int position) {
        this.position = position;
    }

    /** The token {@code ahead} places on, or null past the end. */
    public Token peek(int ahead) {
        int index = position + ahead;
        return index < tokens.size() ? tokens.get(index) : null;
    }

    public Token peek() {
        return peek(0);
    }

    public Token next() {
        return atEnd() ? null : tokens.get(position++);
    }

    /** The last token consumed, or null at the start. */
    public Token previous() {
        return position > 0 ? tokens.get(position - 1) : null;
    }

    public boolean peekWord(String upperKeyword) {
        Token token = peek();
        return token != null && token.isWord(sql, upperKeyword);
    }

    public boolean peekWord(int ahead, String upperKeyword) {
        Token token = peek(ahead);
        return token != null && token.isWord(sql, upperKeyword);
    }

    public boolean peekKind(TokenKind kind) {
        Token token = peek();
        return token != null && token.kind() == kind;
    }

    /** Consumes the keyword if it is next. */
    public boolean acceptWord(String upperKeyword) {
        if (peekWord(upperKeyword)) {
            position++;
            return true;
        }
        return false;
    }

    /** Consumes the keywords only if all of them follow in this order. */
    public boolean acceptWords(String... upperKeywords) {
        for (int i = 0; i < upperKeywords.length; i++) {
            if (!peekWord(i, upperKeywords[i])) {
                return false;
            }
        }
        position += upperKeywords.length;
        return true;
    }

    public boolean acceptKind(TokenKind kind) {
        if (peekKind(kind)) {
            position++;
            return true;
        }
        return false;
    }

    /** Consumes an identifier (bare or quoted) if one is next. */
    public Identifier acceptIdentifier() {
        Token token = peek();
        if (token == null) {
            return null;
        }
        if (token.kind() == TokenKind.WORD) {
            position++;
            return new Identifier(token.text(sql), false);
        }
        if (token.kind() == TokenKind.QUOTED_IDENTIFIER) {
            position++;
            String raw = token.text(sql);
            if (raw.regionMatches(true, 0, "U&", 0, 2) && peekWord("UESCAPE") && peekKind(1, TokenKind.STRING)) {
                String escape = StringLiterals.decode(peek(1).text(sql), SqlSyntax.POSTGRESQL, '\0');
                position += 2; // U&"!0074" UESCAPE '!'
                return Identifier.ofUnicode(raw, escape != null && escape.length() == 1 ? escape.charAt(0) : '\\');
            }
            return Identifier.ofQuoted(raw);
        }
        return null;
    }

    private boolean peekKind(int ahead, TokenKind kind) {
        Token token = peek(ahead);
        return token != null && token.kind() == kind;
    }

    /** Consumes a dotted name such as {@code schema.table} if one is next. */
    public QualifiedName acceptName() {
        Identifier first = acceptIdentifier();
        if (first == null) {
            return null;
        }
        List<Identifier> parts = new ArrayList<>(3);
        parts.add(first);
        while (peekKind(TokenKind.DOT)) {
            int mark = position;
            position++;
            Identifier part = acceptIdentifier();
            if (part == null) {
                position = mark;
                break;
            }
            parts.add(part);
        }
        return new QualifiedName(parts);
    }

    /** Skips a parenthesised group if one is next (the opening paren included), tracking nesting. */
    public boolean skipParenthesised() {
        if (!peekKind(TokenKind.LEFT_PAREN)) {
            return false;
        }
        int depth = 0;
        while (!atEnd()) {
            Token token = next();
            if (token.kind() == TokenKind.LEFT_PAREN) {
                depth++;
            } else if (token.kind() == TokenKind.RIGHT_PAREN && --depth == 0) {
                return true;
            }
        }
        return true;
    }

    /** Advances past the first top-level {@code keyword} from here on; false (at the end) when there is none. */
    public boolean skipPastTopLevelWord(String upperKeyword) {
        int depth = 0;
        while (!atEnd()) {
            Token t = next();
            if (t.kind() == TokenKind.LEFT_PAREN) {
                depth++;
            } else if (t.kind() == TokenKind.RIGHT_PAREN) {
                depth--;
            } else if (depth == 0 && t.isWord(sql, upperKeyword)) {
                return true;
            }
        }
        return false;
    }

    /** The tokens from here up to (not including) the next top-level comma or the end; consumes them. */
    public List<Token> untilTopLevelComma() {
        List<Token> result = new ArrayList<>();
        int depth = 0;
        while (!atEnd()) {
            Token token = peek();
            if (depth == 0 && (token.kind() == TokenKind.COMMA || token.kind() == TokenKind.RIGHT_PAREN)) {
                break;
            }
            if (token.kind() == TokenKind.LEFT_PAREN) {
                depth++;
            } else if (token.kind() == TokenKind.RIGHT_PAREN) {
                depth--;
            }
            result.add(next());
        }
        return result;
    }

    /** Whether any remaining code token is the keyword, at any depth. */
    public boolean remainingContainsWord(String upperKeyword) {
        for (int i = position; i < tokens.size(); i++) {
            if (tokens.get(i).isWord(sql, upperKeyword)) {
                return true;
            }
        }
        return false;
    }
}
