package dev.ddlguard.sql;

import dev.ddlguard.sql.DdlStatement.Flag;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** Mutable state while one statement is read, and the readings every kind of statement shares. */
final class DdlStatementBuilder {
    final StatementText text;
    final SqlSyntax syntax;
    final Verb verb;
    String objectType;
    final List<QualifiedName> names = new ArrayList<>(2);
    QualifiedName table;
    final List<AlterAction> actions = new ArrayList<>(2);
    final EnumSet<Flag> flags = EnumSet.noneOf(Flag.class);
    String opaque;

    DdlStatementBuilder(StatementText text, SqlSyntax syntax, Verb verb) {
        this.text = text;
        this.syntax = syntax;
        this.verb = verb;
    }

    DdlStatement build() {
        names.removeIf(Objects::isNull);
        return new DdlStatement(text, syntax, verb, objectType, names, table, actions, flags, opaque);
    }

    /** {@code CONCURRENTLY}, {@code IF NOT EXISTS}, {@code IF EXISTS} before a name, as flags. */
    void readConcurrentlyAndExistence(TokenCursor c) {
        if (c.acceptWord("CONCURRENTLY")) {
            flags.add(Flag.CONCURRENTLY);
        }
        if (c.acceptWords("IF", "NOT", "EXISTS")) {
            flags.add(Flag.IF_NOT_EXISTS);
        }
        if (c.acceptWords("IF", "EXISTS")) {
            flags.add(Flag.IF_EXISTS);
        }
    }

    /** A comma-separated list of names (each optionally followed by {@code *}) into {@link #names}. */
    void readNameList(TokenCursor c) {
        do {
            QualifiedName name = c.acceptName();
            if (name == null) {
                return;
            }
            names.add(name);
            c.acceptKind(TokenKind.OPERATOR); // TRUNCATE t * (descendants)
        } while (c.acceptKind(TokenKind.COMMA));
    }

    private static final String[][] MULTI_WORD_TYPES = {
        {"MATERIALIZED", "VIEW"},
        {"FOREIGN", "TABLE"},
        {"FOREIGN", "DATA", "WRAPPER"},
        {"EVENT", "TRIGGER"},
        {"CONSTRAINT", "TRIGGER"},
        {"ACCESS", "METHOD"},
        {"OPERATOR", "CLASS"},
        {"OPERATOR", "FAMILY"},
        {"USER", "MAPPING"},
        {"PACKAGE", "BODY"},
        {"DEFAULT", "PRIVILEGES"},
        {"TEXT", "SEARCH"},
        {"LARGE", "OBJECT"},
    };

    private static final String[] MULTI_WORD_TYPE_NAMES = new String[MULTI_WORD_TYPES.length];

    static {
        for (int i = 0; i < MULTI_WORD_TYPES.length; i++) {
            MULTI_WORD_TYPE_NAMES[i] = String.join(" ", MULTI_WORD_TYPES[i]);
        }
    }

    /** The object type after CREATE/ALTER/DROP: one word, or the known multi-word ones. */
    static String objectType(TokenCursor c) {
        Token t = c.peek();
        if (t == null || t.kind() != TokenKind.WORD) {
            return null; // no multi-word type starts here either
        }
        for (int i = 0; i < MULTI_WORD_TYPES.length; i++) {
            if (c.acceptWords(MULTI_WORD_TYPES[i])) {
                return MULTI_WORD_TYPE_NAMES[i];
            }
        }
        c.next();
        return word(t, c);
    }

    /** A word in upper case. */
    static String word(Token t, TokenCursor c) {
        return t.text(c.sql()).toUpperCase(Locale.ROOT);
    }

    /** Skips {@code WORD = value} (MySQL's ALGORITHM=, DEFINER=user@host). */
    static boolean skipAssignment(TokenCursor c) {
        Token eq = c.peek(1);
        if (c.peek().kind() != TokenKind.WORD
                || eq == null
                || eq.kind() != TokenKind.OPERATOR
                || !"=".equals(eq.text(c.sql()))) {
            return false;
        }
        c.next();
        c.next();
        c.next();
        while (c.peek() != null
                && c.peek().kind() == TokenKind.OPERATOR
                && c.peek().text(c.sql()).startsWith("@")) {
            c.next();
            c.next();
        }
        return true;
    }
}
