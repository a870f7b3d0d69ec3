package dev.ddlguard.engine;

import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.StatementText;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.TokenKind;
import java.util.List;
import java.util.function.BiConsumer;

/** The {@code old TO new} pairs of a renaming statement, read from its tokens ({@link ChangedRelations}'). */
final class RenamePairs {

    private RenamePairs() {}

    /**
     * Each {@code old TO new} of a renaming statement (MySQL's {@code AS} too), by the names' last parts: RENAME TABLE
     * a TO b, RENAME INDEX | KEY | CONSTRAINT | COLUMN a TO b; after RENAME itself (ALTER INDEX | VIEW | SEQUENCE | TABLE
     * a RENAME TO b) the old name is the statement's.
     */
    static void each(StatementText text, Identifier statementName, BiConsumer<Identifier, Identifier> renamed) {
        String sql = text.source();
        List<Token> tokens = text.tokens();
        for (int i = 0; i < tokens.size(); i++) {
            if (!tokens.get(i).isWord(sql, "TO") && !tokens.get(i).isWord(sql, "AS")) {
                continue;
            }
            Identifier to = null;
            for (int j = i + 1; j < tokens.size() && name(tokens.get(j), sql, true) != null; j++) {
                Identifier part = name(tokens.get(j), sql, false);
                to = part != null ? part : to;
            }
            Identifier from = null;
            for (int j = i - 1; j >= 0 && from == null; j--) {
                Token t = tokens.get(j);
                if (t.isWord(sql, "RENAME")) {
                    from = statementName;
                    break;
                }
                if (!t.isComment()) {
                    from = name(t, sql, false);
                    if (from == null) {
                        break;
                    }
                }
            }
            if (to != null) {
                renamed.accept(from, to);
            }
        }
    }

    /** A name part (with {@code dotToo}, a dot or comment of a qualified name returns a non-null marker), else null. */
    private static Identifier name(Token t, String sql, boolean dotToo) {
        if (t.kind() == TokenKind.WORD) {
            return new Identifier(t.text(sql), false);
        }
        if (t.kind() == TokenKind.QUOTED_IDENTIFIER) {
            return Identifier.ofQuoted(t.text(sql));
        }
        return dotToo && (t.kind() == TokenKind.DOT || t.isComment()) ? DOT : null;
    }

    private static final Identifier DOT = new Identifier(".", false);
}
