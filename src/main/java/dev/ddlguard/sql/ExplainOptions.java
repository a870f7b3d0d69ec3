package dev.ddlguard.sql;

import java.util.Locale;

/** PostgreSQL EXPLAIN: whether its options make it run the statement it explains. */
final class ExplainOptions {

    private ExplainOptions() {}

    /**
     * Reads EXPLAIN's options, {@code ANALYZE [VERBOSE]} or {@code (ANALYZE [value], …)}: whether it
     * executes the statement that follows, which then is judged as what it is. PostgreSQL reads the
     * value with defGetBoolean (src/backend/commands/define.c): none, true/on or the integer 1 run it,
     * false/off or the integer 0 do not, quoted or not; parse_bool elsewhere also takes yes/no and unique
     * prefixes. Only a value that certainly means false counts as "plans only"; anything else (an error
     * on the server at worst) is judged as running the statement.
     */
    static boolean explainRunsTheStatement(TokenCursor c) {
        if (c.acceptWord("ANALYZE") || c.acceptWord("ANALYSE")) {
            c.acceptWord("VERBOSE");
            return true;
        }
        if (!c.acceptKind(TokenKind.LEFT_PAREN)) {
            return false;
        }
        boolean analyze = false;
        while (!c.atEnd() && !c.acceptKind(TokenKind.RIGHT_PAREN)) {
            Token option = c.next();
            if (option.isWord(c.sql(), "ANALYZE") || option.isWord(c.sql(), "ANALYSE")) {
                Token value = c.peek(); // none, or a boolean: ANALYZE false / off / 0 only plans
                analyze = value == null
                        || value.kind() == TokenKind.COMMA
                        || value.kind() == TokenKind.RIGHT_PAREN
                        || !isFalse(value, c.sql());
            }
        }
        return analyze;
    }

    /** A boolean option value that certainly means false: false, off, no and their unique prefixes, or a zero, quoted or not. */
    private static boolean isFalse(Token value, String sql) {
        String text = value.text(sql);
        if (value.kind() == TokenKind.STRING || value.kind() == TokenKind.QUOTED_IDENTIFIER) {
            if (text.length() < 2 || (text.charAt(0) != '\'' && text.charAt(0) != '"')) {
                return false; // E'…', U&'…': not worth decoding, judged as running
            }
            text = text.substring(1, text.length() - 1);
        } else if (value.kind() != TokenKind.WORD && value.kind() != TokenKind.NUMBER) {
            return false;
        }
        String v = text.strip().toLowerCase(Locale.ROOT);
        if (!v.isEmpty() && v.chars().allMatch(ch -> ch == '0')) {
            return true;
        }
        return v.length() >= 1 && ("false".startsWith(v) || "no".startsWith(v))
                || v.length() >= 2 && "off".startsWith(v);
    }
}
