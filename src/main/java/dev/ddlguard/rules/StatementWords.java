package dev.ddlguard.rules;

import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.TokenCursor;
import dev.ddlguard.sql.TokenKind;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds keyword runs in a statement's code (comments and string literals never match), for rules whose
 * statement form the classifier reads only as far as its object: {@code ALTER VIEW v RENAME COLUMN …},
 * {@code ALTER TABLE t DISCARD TABLESPACE}. One linear pass over the tokens.
 */
public final class StatementWords {

    private StatementWords() {}

    /** A cursor just after the first run of the words outside parentheses, or null when there is none. */
    public static TokenCursor after(DdlStatement s, String... words) {
        TokenCursor c = new TokenCursor(s.text());
        int depth = 0;
        while (!c.atEnd()) {
            if (depth == 0) {
                int mark = c.position();
                if (c.acceptWords(words)) {
                    return c;
                }
                c.reset(mark);
            }
            Token t = c.next();
            depth += t.kind() == TokenKind.LEFT_PAREN ? 1 : t.kind() == TokenKind.RIGHT_PAREN ? -1 : 0;
        }
        return null;
    }

    /** A cursor just after each run of the words outside parentheses, in order; empty when there is none. */
    public static List<TokenCursor> afterEach(DdlStatement s, String... words) {
        List<TokenCursor> found = new ArrayList<>(1);
        TokenCursor c = new TokenCursor(s.text());
        int depth = 0;
        while (!c.atEnd()) {
            if (depth == 0 && c.acceptWords(words)) {
                TokenCursor at = new TokenCursor(s.text());
                at.reset(c.position());
                found.add(at);
                continue;
            }
            Token t = c.next();
            depth += t.kind() == TokenKind.LEFT_PAREN ? 1 : t.kind() == TokenKind.RIGHT_PAREN ? -1 : 0;
        }
        return found;
    }

    /** The identifier after each run of the words (and an IF EXISTS), as written: DROP ATTRIBUTE a, DROP ATTRIBUTE b. */
    public static List<String> identifiersAfterEach(DdlStatement s, String... words) {
        List<String> names = new ArrayList<>(1);
        for (TokenCursor c : afterEach(s, words)) {
            c.acceptWords("IF", "EXISTS");
            Identifier name = c.acceptIdentifier();
            if (name != null) {
                names.add(name.toString());
            }
        }
        return names;
    }

    /**
     * A cursor just after the first top-level {@code SET setting} (PostgreSQL's ALTER DATABASE | ROLE … SET), the
     * setting written as a word or a quoted identifier ({@code SET "session_replication_role"}), in any case; null
     * when there is none.
     */
    public static TokenCursor afterSetting(DdlStatement s, String setting) {
        for (TokenCursor c : afterEach(s, "SET")) {
            Token name = c.peek();
            if (name == null) {
                continue;
            }
            String text = name.kind() == TokenKind.QUOTED_IDENTIFIER
                    ? Identifier.ofQuoted(name.text(c.sql())).text()
                    : name.kind() == TokenKind.WORD ? name.text(c.sql()) : "";
            if (text.equalsIgnoreCase(setting)) {
                c.next();
                return c;
            }
        }
        return null;
    }

    public static boolean has(DdlStatement s, String... words) {
        return after(s, words) != null;
    }
}
