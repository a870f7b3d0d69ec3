package dev.ddlguard.sql;

/**
 * MariaDB's system-versioned tables: {@code DELETE HISTORY FROM t [BEFORE SYSTEM_TIME …]} deletes history rows
 * irreversibly. DML in shape, it is read in MySQL syntax as DDL so a rule judges it; any other DELETE is DML and
 * not read ({@link DdlPreFilter} lets only DELETE HISTORY through).
 */
final class SystemVersioning {

    private SystemVersioning() {}

    /**
     * After DELETE: HISTORY FROM t [PARTITION (…)] [BEFORE SYSTEM_TIME …] (the grammar allows nothing else), the table
     * as its name; null for any other DELETE, and outside MySQL syntax. {@code DELETE history.* FROM …} and
     * {@code DELETE history FROM history JOIN … | WHERE …} are multi-table DELETEs of a table named history on MySQL
     * (MariaDB refuses the second with a syntax error: measured on 10.11): not read.
     */
    static DdlStatement deleteHistory(TokenCursor c, DdlStatementBuilder b) {
        if (b.syntax != SqlSyntax.MYSQL || !c.peekWord("HISTORY")) {
            return null;
        }
        c.next();
        if (!c.acceptWord("FROM")) {
            return null;
        }
        b.objectType = "HISTORY";
        b.table = c.acceptName();
        if (b.table == null) {
            return b.build(); // unread: judged as DELETE HISTORY of an unknown table, on the safe side
        }
        if (c.acceptWord("PARTITION")) {
            c.skipParenthesised();
        }
        if (!c.atEnd() && !c.peekWord("BEFORE")) {
            return null;
        }
        b.names.add(b.table);
        return b.build();
    }
}
