package dev.ddlguard.sql;

import java.util.List;

/**
 * MariaDB runs compound statements outside stored programs (MariaDB "Using Compound Statements
 * Outside of Stored Programs": {@code BEGIN NOT ATOMIC ... END}, {@code IF ... THEN ... END IF},
 * {@code CASE}, {@code LOOP}, {@code REPEAT}, {@code WHILE ... DO}, {@code FOR ... DO}, labels), so
 * {@code IF 1 THEN DROP TABLE t; END IF} drops t. Cut at {@code ;}, such a text gives pieces like
 * {@code IF 1 THEN DROP TABLE t} whose first word hides the statement inside. This reads past the
 * control words at the start of a piece to the statement they lead to. MariaDB's Oracle mode adds {@code FOR … LOOP},
 * {@code WHILE … LOOP}, {@code ELSIF}, {@code EXCEPTION WHEN … THEN}, {@code <<label>>} and an empty {@code DECLARE}: an outside tester's
 * anonymous blocks ran EXECUTE IMMEDIATE 'DROP TABLE …' behind each, unrecorded.
 */
public final class CompoundStatements {

    /**
     * Control words after which a MySQL statement may start. Not DO: at the start of a text it is a
     * statement of its own ({@code DO expr}); after WHILE or FOR it is found with them.
     */
    private static final String[] LEADING = {"ELSE", "LOOP", "REPEAT"};

    /** Words of a DECLARE ... HANDLER FOR condition list. */
    private static final String[] CONDITION_WORDS = {"SQLEXCEPTION", "SQLWARNING", "NOT", "FOUND", "SQLSTATE", "VALUE"};

    private CompoundStatements() {}

    /**
     * The statement inside {@code piece} when it starts with compound-statement control words, or
     * {@code piece} itself. Only MySQL syntax has them.
     */
    public static StatementText inner(StatementText piece, SqlSyntax syntax) {
        if (syntax != SqlSyntax.MYSQL) {
            return piece;
        }
        String sql = piece.source();
        List<Token> tokens = piece.tokens();
        int k = nextCode(tokens, 0);
        int start = k;
        while (k >= 0) {
            int after = afterControl(sql, tokens, k);
            if (after == k) {
                break;
            }
            k = after;
        }
        if (k == start || k < 0) {
            return piece;
        }
        Token first = tokens.get(k);
        return new StatementText(
                sql, first.start(), piece.end(), first.line(), first.column(), tokens.subList(k, tokens.size()));
    }

    /** Index of the code token after the control words at {@code k}, or {@code k} when there are none (-1: none left). */
    private static int afterControl(String sql, List<Token> tokens, int k) {
        Token t = tokens.get(k);
        int next = nextCode(tokens, k + 1);
        if (t.kind() == TokenKind.WORD
                && next >= 0
                && ":".equals(tokens.get(next).text(sql))) {
            return nextCode(tokens, next + 1); // label:
        }
        if (t.isWord(sql, "BEGIN")) {
            if (next >= 0 && tokens.get(next).isWord(sql, "NOT")) {
                int atomic = nextCode(tokens, next + 1);
                return atomic >= 0 && tokens.get(atomic).isWord(sql, "ATOMIC") ? nextCode(tokens, atomic + 1) : k;
            }
            // a nested BEGIN ... END; top-level BEGIN [WORK] starts a transaction
            return next >= 0 && !tokens.get(next).isWord(sql, "WORK") ? next : k;
        }
        for (String word : LEADING) {
            if (t.isWord(sql, word)) {
                return next;
            }
        }
        if (t.isWord(sql, "IF")
                || t.isWord(sql, "ELSEIF")
                || t.isWord(sql, "ELSIF")
                || t.isWord(sql, "WHEN")
                || t.isWord(sql, "CASE")) {
            return after(sql, tokens, k, "THEN");
        }
        if (t.isWord(sql, "WHILE") || t.isWord(sql, "FOR")) {
            int afterDo = after(sql, tokens, k, "DO");
            return afterDo != k ? afterDo : after(sql, tokens, k, "LOOP"); // Oracle mode: FOR i IN 1..3 LOOP
        }
        if (t.isWord(sql, "EXCEPTION")) {
            return next; // Oracle mode: EXCEPTION WHEN … THEN statement
        }
        if (t.kind() == TokenKind.OPERATOR && t.text(sql).equals("<<")) {
            int close = next < 0 ? -1 : nextCode(tokens, next + 1);
            return close >= 0 && tokens.get(close).text(sql).equals(">>") ? nextCode(tokens, close + 1) : k;
        }
        if (t.isWord(sql, "DECLARE")) {
            // Oracle mode: DECLARE with nothing declared runs the BEGIN after it (an outside tester's DECLARE BEGIN
            // DROP TABLE t; END dropped t unrecorded)
            return next >= 0 && tokens.get(next).isWord(sql, "BEGIN") ? next : afterHandler(sql, tokens, k);
        }
        return k;
    }

    /** The code token after the first {@code keyword} outside parentheses, or {@code k} when none. */
    private static int after(String sql, List<Token> tokens, int k, String keyword) {
        int depth = 0;
        for (int j = k + 1; j < tokens.size(); j++) {
            Token t = tokens.get(j);
            if (t.kind() == TokenKind.LEFT_PAREN) {
                depth++;
            } else if (t.kind() == TokenKind.RIGHT_PAREN) {
                depth = Math.max(0, depth - 1);
            } else if (depth == 0 && t.isWord(sql, keyword)) {
                return nextCode(tokens, j + 1);
            }
        }
        return k;
    }

    /** {@code DECLARE ... HANDLER FOR condition[, ...] statement}: the code token of the statement. */
    private static int afterHandler(String sql, List<Token> tokens, int k) {
        int j = k;
        for (; j < tokens.size(); j++) {
            if (tokens.get(j).isWord(sql, "HANDLER")) {
                break;
            }
        }
        j = nextCode(tokens, j + 1);
        if (j < 0 || !tokens.get(j).isWord(sql, "FOR")) {
            return k;
        }
        j = nextCode(tokens, j + 1);
        boolean expectCondition = true; // at the start of the list and after each comma
        while (j >= 0) {
            Token t = tokens.get(j);
            if (t.kind() == TokenKind.COMMA) {
                expectCondition = true;
            } else if (t.kind() == TokenKind.STRING || t.kind() == TokenKind.NUMBER || isConditionWord(sql, t)) {
                expectCondition = false;
            } else if (expectCondition && t.kind() == TokenKind.WORD) {
                expectCondition = false; // a declared condition's name
            } else {
                return j;
            }
            j = nextCode(tokens, j + 1);
        }
        return -1;
    }

    private static boolean isConditionWord(String sql, Token t) {
        for (String word : CONDITION_WORDS) {
            if (t.isWord(sql, word)) {
                return true;
            }
        }
        return false;
    }

    /** The index of the first token at or after {@code from} that is no comment, or -1. */
    static int previousCode(List<Token> tokens, int from) {
        for (int k = from - 1; k >= 0; k--) {
            if (!tokens.get(k).isComment()) {
                return k;
            }
        }
        return -1;
    }

    /** Whether the code token before {@code i} (comments skipped) is the word. */
    static boolean codeBeforeIsWord(List<Token> tokens, int i, String sql, String word) {
        int k = previousCode(tokens, i);
        return k >= 0 && tokens.get(k).isWord(sql, word);
    }

    static int nextCode(List<Token> tokens, int from) {
        for (int j = from; j < tokens.size(); j++) {
            if (!tokens.get(j).isComment()) {
                return j;
            }
        }
        return -1;
    }
}
