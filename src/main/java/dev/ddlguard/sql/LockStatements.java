package dev.ddlguard.sql;

/**
 * Statements that take a table lock by hand and keep it: PostgreSQL's {@code LOCK [TABLE] t [IN mode MODE]}
 * (held to the end of the transaction), MySQL's and MariaDB's {@code LOCK TABLES t WRITE} (held to UNLOCK
 * TABLES) and {@code FLUSH TABLES [t, …] WITH READ LOCK | FOR EXPORT}. Not DDL, but lock-heavy as DDL is: read
 * as such so a rule judges them (the mode is read by {@code rules/ExplicitLockRules}). Other FLUSH
 * statements (PRIVILEGES, LOGS, STATUS) lock no table and are not read.
 */
final class LockStatements {

    private LockStatements() {}

    /** {@code LOCK [TABLE | TABLES] [ONLY] a [*] [[AS] alias] [mode], b …}; MySQL 8's LOCK INSTANCE FOR BACKUP too. */
    static DdlStatement lock(TokenCursor c, DdlStatementBuilder b) {
        if (c.acceptWord("INSTANCE")) {
            b.objectType = "INSTANCE"; // blocks DDL and some writes to non-InnoDB tables only
            return b.build();
        }
        if (!c.acceptWord("TABLE")) {
            c.acceptWord("TABLES");
        }
        b.objectType = "TABLE";
        if (c.acceptWord("ONLY")) {
            b.flags.add(DdlStatement.Flag.ONLY);
        }
        readTables(c, b);
        return b.build();
    }

    /** {@code FLUSH [NO_WRITE_TO_BINLOG | LOCAL] TABLE[S] [a, b] [WITH READ LOCK | FOR EXPORT]}; null for other FLUSHes. */
    static DdlStatement flush(TokenCursor c, DdlStatementBuilder b) {
        c.acceptWord("NO_WRITE_TO_BINLOG");
        c.acceptWord("LOCAL");
        if (!c.acceptWord("TABLES") && !c.acceptWord("TABLE")) {
            return null;
        }
        b.objectType = "TABLE";
        if (!c.peekWord("WITH") && !c.peekWord("FOR")) {
            readTables(c, b);
        }
        return b.build();
    }

    /**
     * MariaDB's {@code BACKUP STAGE stage} (object type STAGE, the stage as its one name: START, FLUSH, BLOCK_DDL,
     * BLOCK_COMMIT, END) and {@code BACKUP LOCK t} (object type LOCK, the table); {@code BACKUP UNLOCK} has no name.
     * Null in another syntax.
     */
    static DdlStatement backup(TokenCursor c, DdlStatementBuilder b) {
        if (b.syntax != SqlSyntax.MYSQL) {
            return null;
        }
        if (c.acceptWord("STAGE")) {
            b.objectType = "STAGE";
        } else if (c.acceptWord("LOCK")) {
            b.objectType = "LOCK";
        } else if (c.acceptWord("UNLOCK")) {
            b.objectType = "UNLOCK";
            return b.build();
        } else {
            return b.build(); // unanalyzable: not a BACKUP statement MariaDB knows
        }
        QualifiedName name = c.acceptName();
        if (name != null) {
            b.names.add(name);
            b.table = "LOCK".equals(b.objectType) ? name : null;
        }
        return b.build();
    }

    /** Table names separated by commas, each with whatever follows it (alias, lock type) up to the next comma. */
    private static void readTables(TokenCursor c, DdlStatementBuilder b) {
        while (!c.atEnd()) {
            if (atLockClause(c)) {
                return;
            }
            QualifiedName name = c.acceptName();
            if (name == null) {
                return;
            }
            b.names.add(name);
            if (b.table == null) {
                b.table = name;
            }
            c.acceptKind(TokenKind.OPERATOR); // LOCK t * (descendants)
            while (!c.atEnd() && c.peek().kind() != TokenKind.COMMA) {
                if (atLockClause(c)) {
                    return;
                }
                c.next(); // alias, READ [LOCAL], [LOW_PRIORITY] WRITE, WAIT n
            }
            if (!c.acceptKind(TokenKind.COMMA)) {
                return;
            }
        }
    }

    /** Where the table list ends: PostgreSQL's IN … MODE or NOWAIT, FLUSH's WITH READ LOCK or FOR EXPORT. */
    private static boolean atLockClause(TokenCursor c) {
        return c.peekWord("IN") || c.peekWord("WITH") || c.peekWord("FOR") || c.peekWord("NOWAIT");
    }
}
