package dev.ddlguard.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a script into statements at top-level semicolons, never at one inside a string, quoted
 * identifier, comment, dollar quote, parentheses or routine body.
 */
public final class StatementSplitter {

    private StatementSplitter() {}

    /**
     * Returns the statements of {@code sql} in order. Comments between a {@code ;} and the next
     * statement belong to that statement; segments holding only comments are dropped. A
     * {@code ;} does not split inside parentheses (as psql and pgjdbc behave, for
     * {@code CREATE RULE ... DO (a; b)}) nor inside a routine body: PostgreSQL 14
     * {@code BEGIN ATOMIC ... END}, or a MySQL stored-program {@code BEGIN ... END} (see
     * {@code BlockTracker}).
     *
     * @param sql the script; {@code null} gives no statements
     * @param syntax lexical flavour; {@code null} means {@link SqlSyntax#ANSI}
     * @return an unmodifiable list of statements
     */
    public static List<StatementText> split(String sql, SqlSyntax syntax) {
        return splitUnder(sql, Lexing.of(syntax));
    }

    /**
     * Returns the statements of {@code sql} as a server with the given session settings reads them.
     *
     * @param sql the script; {@code null} gives no statements
     * @param lexing syntax and session settings
     * @return an unmodifiable list of statements
     */
    public static List<StatementText> splitUnder(String sql, Lexing lexing) {
        List<Token> tokens = SqlLexer.tokenizeUnder(sql, lexing);
        if (tokens.isEmpty()) {
            return List.of();
        }
        List<StatementText> statements = new ArrayList<>();
        BlockTracker blocks = new BlockTracker(sql, tokens, lexing.syntax() == SqlSyntax.MYSQL);
        int from = 0;
        for (int k = 0; k < tokens.size(); k++) {
            if (tokens.get(k).kind() == TokenKind.SEMICOLON && blocks.atTopLevel()) {
                addStatement(sql, tokens, from, k, statements);
                from = k + 1;
                blocks.reset();
            } else {
                blocks.accept(k);
            }
        }
        addStatement(sql, tokens, from, tokens.size(), statements);
        return List.copyOf(statements);
    }

    /** Adds the tokens {@code [from, to)} as a statement unless they are all comments. */
    private static void addStatement(String sql, List<Token> tokens, int from, int to, List<StatementText> statements) {
        boolean hasCode = false;
        for (int k = from; k < to && !hasCode; k++) {
            hasCode = !tokens.get(k).isComment();
        }
        if (!hasCode) {
            return;
        }
        Token first = tokens.get(from);
        Token last = tokens.get(to - 1);
        statements.add(new StatementText(
                sql, first.start(), last.end(), first.line(), first.column(), tokens.subList(from, to)));
    }
}
