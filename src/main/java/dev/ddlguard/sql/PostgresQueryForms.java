package dev.ddlguard.sql;

import dev.ddlguard.sql.DdlStatement.Flag;

/**
 * PostgreSQL statements that look like a query or a data move but are judged as DDL: {@code SELECT … INTO}
 * creates a table, {@code COPY … PROGRAM} runs a shell command on the server.
 */
final class PostgresQueryForms {

    private PostgresQueryForms() {}

    /**
     * PostgreSQL {@code COPY … TO PROGRAM 'cmd'} / {@code FROM PROGRAM 'cmd'} runs a shell command on the
     * server (COPY reference page); a rule blocks it. Other COPY forms move rows, not schema: not DDL.
     */
    static DdlStatement copy(TokenCursor c, DdlStatementBuilder b) {
        if (b.syntax != SqlSyntax.POSTGRESQL) {
            return null;
        }
        int depth = 0;
        Token previous = null;
        QualifiedName table = c.peekKind(TokenKind.LEFT_PAREN) ? null : c.acceptName();
        while (!c.atEnd()) {
            Token t = c.next();
            depth += t.kind() == TokenKind.LEFT_PAREN ? 1 : t.kind() == TokenKind.RIGHT_PAREN ? -1 : 0;
            if (depth == 0
                    && previous != null
                    && t.isWord(c.sql(), "PROGRAM")
                    && (previous.isWord(c.sql(), "TO") || previous.isWord(c.sql(), "FROM"))) {
                b.objectType = "PROGRAM";
                if (table != null) {
                    b.names.add(table);
                }
                return b.build();
            }
            previous = t;
        }
        return null;
    }

    /**
     * PostgreSQL {@code SELECT … INTO [TEMP|UNLOGGED] [TABLE] name …} creates a table like CREATE TABLE AS
     * (SELECT INTO reference page). The grammar allows INTO only at the top level of the first SELECT, between
     * its target list and FROM; a word after AS or a dot is a label, not a key word. Null when there is no INTO
     * there (an ordinary query, or WITH … INSERT INTO, which is DML).
     */
    static DdlStatement selectInto(TokenCursor c, DdlStatementBuilder b) {
        int depth = 0;
        Token previous = null;
        while (!c.atEnd()) {
            Token t = c.next();
            depth += t.kind() == TokenKind.LEFT_PAREN ? 1 : t.kind() == TokenKind.RIGHT_PAREN ? -1 : 0;
            if (depth <= 0 && t.kind() == TokenKind.WORD && !isLabelPosition(previous, c.sql())) {
                if (t.isWord(c.sql(), "INTO")) {
                    return selectIntoTarget(c, b);
                }
                if (t.isWord(c.sql(), "INSERT")
                        || t.isWord(c.sql(), "UPDATE")
                        || t.isWord(c.sql(), "DELETE")
                        || t.isWord(c.sql(), "MERGE")) {
                    return null;
                }
            }
            previous = t;
        }
        return null;
    }

    private static boolean isLabelPosition(Token previous, String sql) {
        return previous != null && (previous.kind() == TokenKind.DOT || previous.isWord(sql, "AS"));
    }

    private static DdlStatement selectIntoTarget(TokenCursor c, DdlStatementBuilder b) {
        b.objectType = "TABLE";
        b.flags.add(Flag.AS_SELECT);
        while (c.acceptWord("GLOBAL") || c.acceptWord("LOCAL")) {
            // GLOBAL/LOCAL TEMPORARY: accepted, same as TEMPORARY
        }
        if (c.acceptWord("TEMP") || c.acceptWord("TEMPORARY")) {
            b.flags.add(Flag.TEMPORARY);
        }
        c.acceptWord("UNLOGGED");
        c.acceptWord("TABLE");
        QualifiedName name = c.acceptName();
        if (name != null) {
            b.names.add(name);
            b.table = name;
        }
        return b.build();
    }
}
