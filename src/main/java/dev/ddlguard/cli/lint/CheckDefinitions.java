package dev.ddlguard.cli.lint;

import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.StatementText;
import dev.ddlguard.sql.Token;
import java.util.Locale;

/** The CHECK constraints lint remembers, as the database prints them. */
final class CheckDefinitions {

    private CheckDefinitions() {}

    /**
     * The CHECK's expression as PostgreSQL prints it in pg_get_constraintdef, for the simple forms a rule
     * compares: {@code CHECK ((a IS NOT NULL))} (unquoted names folded, keywords upper case, single spaces).
     */
    static String of(StatementText text, AlterAction a) {
        StringBuilder expression = new StringBuilder();
        int depth = 0;
        boolean afterCheck = false;
        for (Token token : text.tokens()) {
            if (token.start() < a.start() || token.end() > a.end() || token.isComment()) {
                continue;
            }
            String word = token.text(text.source());
            if (!afterCheck) {
                afterCheck = word.equalsIgnoreCase("CHECK");
                continue;
            }
            if (word.equals("(")) {
                depth++;
            } else if (word.equals(")")) {
                depth--;
            }
            expression.append(expression.length() == 0 ? "" : " ").append(folded(word));
            if (depth == 0) {
                break;
            }
        }
        String e = expression.toString().replace("( ", "(").replace(" )", ")");
        return e.isEmpty() ? null : "CHECK (" + e + ")";
    }

    private static String folded(String word) {
        if (word.startsWith("\"")) {
            return word;
        }
        String upper = word.toUpperCase(Locale.ROOT);
        return upper.equals("IS") || upper.equals("NOT") || upper.equals("NULL")
                ? upper
                : word.toLowerCase(Locale.ROOT);
    }
}
