package dev.ddlguard.dialect.postgres;

import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.TokenKind;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The column an added CHECK constraint is about, which PostgreSQL's ChooseConstraintName puts into the name it
 * makes up ({@code <table>_<column>_check}): the rewrite to NOT VALID must name the constraint as the server would.
 */
final class CheckColumn {

    private CheckColumn() {}

    /** Words in a CHECK expression that are not column names. */
    private static final Set<String> EXPRESSION_WORDS = Set.of(
            "AND",
            "OR",
            "NOT",
            "IS",
            "NULL",
            "TRUE",
            "FALSE",
            "UNKNOWN",
            "IN",
            "BETWEEN",
            "SYMMETRIC",
            "ASYMMETRIC",
            "LIKE",
            "ILIKE",
            "SIMILAR",
            "TO",
            "ESCAPE",
            "CASE",
            "WHEN",
            "THEN",
            "ELSE",
            "END",
            "CAST",
            "AS",
            "DISTINCT",
            "FROM",
            "ANY",
            "ALL",
            "SOME",
            "ARRAY",
            "COLLATE",
            "ISNULL",
            "NOTNULL",
            "CURRENT_DATE",
            "CURRENT_TIME",
            "CURRENT_TIMESTAMP",
            "LOCALTIME",
            "LOCALTIMESTAMP",
            "CURRENT_USER",
            "SESSION_USER",
            "USER",
            "INTERVAL",
            "AT",
            "TIME",
            "ZONE",
            "WITH",
            "WITHOUT",
            "DATE",
            "TIMESTAMP",
            "CHARACTER",
            "VARYING",
            "DOUBLE",
            "PRECISION",
            "OVERLAPS");

    /**
     * The column a CHECK expression uses, when it uses exactly one (PostgreSQL then names the constraint
     * after it); empty otherwise. Function names, casts' types and key words are not columns.
     */
    static List<Identifier> of(DdlStatement s, AlterAction a) {
        String sql = s.text().source();
        List<Token> tokens = s.text().codeWithin(a.start(), a.end());
        int i = 0;
        while (i < tokens.size() && !tokens.get(i).isWord(sql, "CHECK")) {
            i++;
        }
        Set<String> seen = new HashSet<>();
        Identifier column = null;
        int depth = 0;
        for (i++; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.kind() == TokenKind.LEFT_PAREN) {
                depth++;
            } else if (t.kind() == TokenKind.RIGHT_PAREN && --depth == 0) {
                break;
            } else if (depth > 0 && (t.kind() == TokenKind.WORD || t.kind() == TokenKind.QUOTED_IDENTIFIER)) {
                Token previous = tokens.get(i - 1);
                Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
                boolean quoted = t.kind() == TokenKind.QUOTED_IDENTIFIER;
                String text = t.text(sql);
                boolean call = next != null && next.kind() == TokenKind.LEFT_PAREN;
                boolean qualifier = next != null && next.kind() == TokenKind.DOT;
                boolean type = (previous.kind() == TokenKind.OPERATOR
                                && previous.text(sql).equals("::"))
                        || previous.isWord(sql, "AS");
                if (call
                        || qualifier
                        || type
                        || (!quoted && EXPRESSION_WORDS.contains(text.toUpperCase(Locale.ROOT)))) {
                    continue;
                }
                Identifier id = quoted ? Identifier.ofQuoted(text) : new Identifier(text, false);
                if (seen.add(PgNames.folded(id))) {
                    if (column != null) {
                        return List.of(); // a second column
                    }
                    column = id;
                }
            }
        }
        return column == null ? List.of() : List.of(column);
    }
}
