package dev.ddlguard.sql;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads a column definition ({@code name type [constraints…]}) up to the next top-level comma or
 * closing parenthesis. Shared by CREATE TABLE-style and ALTER TABLE ADD/MODIFY/CHANGE forms.
 */
final class ColumnDefinitionReader {

    /** Words that end a DEFAULT expression at depth 0. */
    private static final Set<String> AFTER_DEFAULT = Set.of(
            "NOT",
            "NULL",
            "CONSTRAINT",
            "PRIMARY",
            "KEY",
            "UNIQUE",
            "CHECK",
            "REFERENCES",
            "GENERATED",
            "COLLATE",
            "AUTO_INCREMENT",
            "COMMENT",
            "FIRST",
            "AFTER",
            "INVISIBLE",
            "VISIBLE",
            "ON");

    /** Words that end the data type and start the column's constraints or options: those that end a DEFAULT, and more. */
    private static final Set<String> AFTER_TYPE = Stream.concat(
                    AFTER_DEFAULT.stream(),
                    Stream.of("DEFAULT", "AS", "IDENTITY", "STORAGE", "COMPRESSION", "KEY", "SELECTIVITY", "SEQUENCE"))
            .collect(Collectors.toUnmodifiableSet());

    private ColumnDefinitionReader() {}

    static ColumnDefinition read(TokenCursor c) {
        Identifier name = c.acceptIdentifier();
        String type = readUntil(c, AFTER_TYPE);
        String lowerType = type == null ? "" : type.toLowerCase(Locale.ROOT);
        boolean identity =
                lowerType.endsWith("serial") || lowerType.startsWith("serial") || lowerType.contains(" identity");

        boolean notNull = false;
        String defaultExpr = null;
        boolean generated = false;
        boolean primaryKey = false;
        boolean unique = false;
        QualifiedName references = null;
        while (!c.atEnd()) {
            Token t = c.peek();
            if (t.kind() == TokenKind.COMMA || t.kind() == TokenKind.RIGHT_PAREN) {
                break;
            }
            if (c.acceptWords("NOT", "NULL")) {
                notNull = true;
            } else if (c.acceptWord("DEFAULT")) {
                defaultExpr = readDefault(c);
            } else if (c.acceptWord("GENERATED")) {
                if (c.remainingContainsWord("IDENTITY") && !nextIsParenthesisedExpression(c)) {
                    identity = true;
                } else {
                    generated = true;
                }
                skipToNextOption(c);
            } else if (c.acceptWord("AS")) {
                generated = true; // MySQL/MariaDB: col type AS (expr) [VIRTUAL|STORED|PERSISTENT]
                c.skipParenthesised();
            } else if (c.acceptWord("AUTO_INCREMENT") || c.acceptWord("IDENTITY")) {
                identity = true;
            } else if (c.acceptWords("PRIMARY", "KEY")) {
                primaryKey = true;
                notNull = true;
            } else if (c.acceptWord("UNIQUE")) {
                unique = true;
                c.acceptWord("KEY"); // MySQL/MariaDB: UNIQUE [KEY]
            } else if (c.acceptWord("KEY")) {
                primaryKey = true; // MySQL/MariaDB: a bare KEY in a column definition is PRIMARY KEY
                notNull = true;
            } else if (c.acceptWord("REFERENCES")) {
                references = c.acceptName();
            } else if (c.acceptWord("CHECK")) {
                c.skipParenthesised();
            } else {
                Token skipped = c.next();
                if (skipped.kind() == TokenKind.LEFT_PAREN) {
                    c.reset(c.position() - 1);
                    c.skipParenthesised();
                }
            }
        }
        return new ColumnDefinition(
                name, type, notNull, defaultExpr, generated, identity, primaryKey, unique, references);
    }

    private static String readDefault(TokenCursor c) {
        String expression = readUntil(c, AFTER_DEFAULT);
        return expression != null ? expression : "";
    }

    /**
     * The text from here to the first top-level comma or closing parenthesis, or to a word of {@code stopWords}
     * after the first token (a type or a default expression, up to the clause that follows it); consumed.
     * Null when there is none.
     */
    static String readUntil(TokenCursor c, Set<String> stopWords) {
        String sql = c.sql();
        int start = -1;
        int end = -1;
        int depth = 0;
        while (!c.atEnd()) {
            Token t = c.peek();
            if (depth == 0 && (t.kind() == TokenKind.COMMA || t.kind() == TokenKind.RIGHT_PAREN)) {
                break;
            }
            if (depth == 0 && start >= 0 && t.kind() == TokenKind.WORD && stopWords.contains(upper(t, sql))) {
                break;
            }
            depth += depthChange(t);
            if (start < 0) {
                start = t.start();
            }
            end = t.end();
            c.next();
        }
        return start >= 0 ? sql.substring(start, end) : null;
    }

    /** {@code GENERATED ALWAYS AS (expr)}: the parenthesis after AS distinguishes a computed column from IDENTITY. */
    private static boolean nextIsParenthesisedExpression(TokenCursor c) {
        int mark = c.position();
        try {
            c.acceptWord("ALWAYS");
            c.acceptWords("BY", "DEFAULT");
            return c.acceptWord("AS") && c.peekKind(TokenKind.LEFT_PAREN);
        } finally {
            c.reset(mark);
        }
    }

    private static void skipToNextOption(TokenCursor c) {
        c.acceptWord("ALWAYS");
        c.acceptWords("BY", "DEFAULT");
        c.acceptWord("AS");
        c.acceptWord("IDENTITY");
        c.skipParenthesised();
        if (!c.acceptWord("STORED")) {
            c.acceptWord("VIRTUAL");
        }
    }

    private static int depthChange(Token t) {
        return t.kind() == TokenKind.LEFT_PAREN ? 1 : t.kind() == TokenKind.RIGHT_PAREN ? -1 : 0;
    }

    static String upper(Token t, String sql) {
        return t.text(sql).toUpperCase(Locale.ROOT);
    }
}
