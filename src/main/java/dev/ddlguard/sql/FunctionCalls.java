package dev.ddlguard.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The functions an expression calls, read from its tokens: a name (bare or quoted, the last part of a
 * qualified one) directly followed by {@code (}. String literals are tokens of their own, so a function
 * name inside a literal is not a call. Linear in the expression (issue 13: the regular expressions this
 * replaces took quadratic time on a long identifier and overflowed the stack on a long literal).
 */
public final class FunctionCalls {

    private FunctionCalls() {}

    /** The called names, in order: bare names lower-cased (PostgreSQL folds them), quoted ones as written. */
    public static List<String> in(String expression, SqlSyntax syntax) {
        List<String> names = new ArrayList<>(2);
        if (expression == null) {
            return names;
        }
        List<Token> tokens = SqlLexer.tokenize(expression, syntax);
        Token previous = null;
        for (Token token : tokens) {
            if (token.isComment()) {
                continue;
            }
            if (token.kind() == TokenKind.LEFT_PAREN && previous != null) {
                if (previous.kind() == TokenKind.WORD) {
                    names.add(previous.text(expression).toLowerCase(Locale.ROOT));
                } else if (previous.kind() == TokenKind.QUOTED_IDENTIFIER) {
                    String quoted = previous.text(expression);
                    names.add(quoted.length() >= 2 ? quoted.substring(1, quoted.length() - 1) : quoted);
                }
            }
            previous = token;
        }
        return names;
    }
}
