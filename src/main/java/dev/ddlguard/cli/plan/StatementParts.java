package dev.ddlguard.cli.plan;

import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.SqlLexer;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.StatementText;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.TokenKind;
import java.util.List;
import java.util.Locale;

/** Pieces of an ALTER TABLE action's text that the classifier does not keep: a definition as written, a USING expression. */
final class StatementParts {

    private StatementParts() {}

    /** The first word of the action: ADD, ALTER, MODIFY, CHANGE, RENAME, DROP (upper case). */
    static String verb(StatementText text, AlterAction a) {
        List<Token> tokens = code(text, a);
        return tokens.isEmpty() ? "" : tokens.get(0).text(text.source()).toUpperCase(Locale.ROOT);
    }

    /**
     * The column definition after its name, as written: for {@code CHANGE a b INT NOT NULL DEFAULT 0}
     * (names = 2) or {@code MODIFY b INT NOT NULL} (names = 1) it is {@code INT NOT NULL …}. Kept
     * verbatim because MySQL's MODIFY restates the whole column: COMMENT, charset and DEFAULT included.
     */
    static String definitionAfterName(StatementText text, AlterAction a, int names) {
        List<Token> tokens = code(text, a);
        String src = text.source();
        int i = 1; // ADD / MODIFY / CHANGE
        if (i < tokens.size() && tokens.get(i).isWord(src, "COLUMN")) {
            i++;
        }
        if (i < tokens.size() && tokens.get(i).isWord(src, "IF")) {
            i++;
            while (i < tokens.size()
                    && (tokens.get(i).isWord(src, "NOT") || tokens.get(i).isWord(src, "EXISTS"))) {
                i++;
            }
        }
        i += names;
        return i < tokens.size() ? src.substring(tokens.get(i).start(), a.end()).strip() : null;
    }

    /** PostgreSQL {@code ALTER COLUMN c TYPE t USING expr}: the expression, or null. */
    static String using(StatementText text, AlterAction a) {
        List<Token> tokens = code(text, a);
        int depth = 0;
        for (int i = 0; i < tokens.size() - 1; i++) {
            Token t = tokens.get(i);
            depth += t.kind() == TokenKind.LEFT_PAREN ? 1 : t.kind() == TokenKind.RIGHT_PAREN ? -1 : 0;
            if (depth == 0 && t.isWord(text.source(), "USING")) {
                return text.source()
                        .substring(tokens.get(i + 1).start(), a.end())
                        .strip();
            }
        }
        return null;
    }

    /**
     * The expression with each reference to {@code column} made a reference to {@code NEW.column},
     * so a USING expression written for the table can run in a row trigger.
     */
    static String onNewRow(String expr, Identifier column, SqlSyntax syntax) {
        StringBuilder out = new StringBuilder();
        int from = 0;
        Token previous = null;
        for (Token t : SqlLexer.tokenize(expr, syntax)) {
            boolean name = t.kind() == TokenKind.WORD || t.kind() == TokenKind.QUOTED_IDENTIFIER;
            boolean qualified = previous != null && previous.kind() == TokenKind.DOT;
            if (name && !qualified && column.sameAs(asIdentifier(t, expr))) {
                out.append(expr, from, t.start()).append("NEW.").append(t.text(expr));
                from = t.end();
            }
            if (!t.isComment()) {
                previous = t;
            }
        }
        return out.append(expr.substring(from)).toString();
    }

    /** Whether two type names mean the same MySQL type: {@code int(11)} and {@code INT} do. */
    static boolean sameMySqlType(String a, String b) {
        return normalized(a).equals(normalized(b));
    }

    private static String normalized(String type) {
        String t = type.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
        t = t.replaceAll("\\binteger\\b", "int").replaceAll("\\bbool(ean)?\\b", "tinyint(1)");
        // the display width of integer types is cosmetic (and MySQL 8 no longer reports it)
        return t.replaceAll("^(tinyint|smallint|mediumint|int|bigint)\\((?!1\\))\\d+\\)", "$1")
                .replace(" (", "(");
    }

    private static Identifier asIdentifier(Token t, String src) {
        String raw = t.text(src);
        if (t.kind() == TokenKind.QUOTED_IDENTIFIER && raw.length() >= 2) {
            char q = raw.charAt(0);
            return new Identifier(raw.substring(1, raw.length() - 1).replace(q + "" + q, q + ""), true, q);
        }
        return new Identifier(raw, false);
    }

    /** The action's tokens, comments left out. */
    private static List<Token> code(StatementText text, AlterAction a) {
        return text.codeWithin(a.start(), a.end());
    }
}
