package dev.ddlguard.sql;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/** PostgreSQL dblink calls, which run SQL on a connection of their own that the guard does not guard. */
final class RemoteSqlCalls {

    private RemoteSqlCalls() {}

    /** PostgreSQL dblink functions that send SQL to a connection of their own (dblink extension, F.11). */
    private static final Set<String> DBLINK_SENDING = Set.of("dblink", "dblink_exec", "dblink_send_query");

    /**
     * PostgreSQL: a call of dblink, dblink_exec or dblink_send_query runs SQL on another connection, which
     * the guard does not guard. dblink_exec is opaque whatever its arguments; dblink and dblink_send_query
     * are when an argument is not a literal or a literal may run DDL. Null when the statement calls none.
     */
    static String remoteSql(StatementText text, SqlSyntax syntax) {
        List<Token> tokens = text.tokens();
        String sql = text.source();
        Token previous = null;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isComment()) {
                continue;
            }
            if (t.kind() == TokenKind.LEFT_PAREN && previous != null) {
                String function = functionName(previous, sql, syntax);
                if (function != null
                        && DBLINK_SENDING.contains(function)
                        && ("dblink_exec".equals(function) || !readableLiteralArguments(tokens, i, sql, syntax))) {
                    return "calls " + function + ", which runs SQL on a connection the guard does not see";
                }
            }
            previous = t;
        }
        return null;
    }

    /** A word lower-cased, a quoted name as written, a {@code U&"…"} name decoded; null for other tokens. */
    private static String functionName(Token t, String sql, SqlSyntax syntax) {
        if (t.kind() == TokenKind.WORD) {
            return t.text(sql).toLowerCase(Locale.ROOT);
        }
        if (t.kind() == TokenKind.QUOTED_IDENTIFIER) {
            String value = StringLiterals.decode(t.text(sql), syntax, '\0');
            return value == null ? "dblink_exec" : value; // an undecodable name: assume the worst
        }
        return null;
    }

    /** Whether the call's arguments (from the parenthesis at {@code open}) are literals and commas only, none running DDL. */
    private static boolean readableLiteralArguments(List<Token> tokens, int open, String sql, SqlSyntax syntax) {
        for (int i = open + 1; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.kind() == TokenKind.RIGHT_PAREN) {
                return true;
            }
            if (t.isComment() || t.kind() == TokenKind.COMMA) {
                continue;
            }
            if (t.kind() != TokenKind.STRING || DynamicSql.literalMayRunDdl(tokens, i, sql, syntax)) {
                return false;
            }
        }
        return false;
    }
}
