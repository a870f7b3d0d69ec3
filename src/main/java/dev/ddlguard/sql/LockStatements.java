package dev.ddlguard.sql;

/**
 * Statements that take a table lock by hand and keep it: PostgreSQL's {@code LOCK [TABLE] t [IN mode MODE]}
 * (held to the end of the transaction), MySQL's and MariaDB's {@code LOCK TABLES t WRITE} (held to UNLOCK
 * TABLES) and {@code FLUSH TABLES [t, …] WITH READ LOCK | FOR EXPORT}. Not DDL, but lock-heavy as DDL is: read
 * as such so a rule judges them (the mode is read by the rule, {@code rules/ExplicitLockRules}). Other FLUSH
 * statements (PRIVILEGES, LOGS, STATUS) lock no table and are not read.
 */
public final class LockStatements {

    /** PostgreSQL's LOCK without IN … MODE. */
    public static final String DEFAULT_POSTGRES_MODE = "ACCESS EXCLUSIVE";

    private LockStatements() {}

    /**
     * The mode of PostgreSQL's {@code LOCK t IN ROW EXCLUSIVE MODE}, in upper case with single spaces ("ROW
     * EXCLUSIVE"); {@link #DEFAULT_POSTGRES_MODE} when the statement names none.
     */
    public static String postgresMode(DdlStatement s) {
        TokenCursor c = new TokenCursor(s.text());
        while (!c.atEnd() && !c.peekWord("IN")) {
            c.next();
        }
        if (!c.acceptWord("IN")) {
            return DEFAULT_POSTGRES_MODE;
        }
        StringBuilder mode = new StringBuilder();
        while (!c.atEnd() && !c.peekWord("MODE") && c.peek().kind() == TokenKind.WORD) {
            mode.append(mode.isEmpty() ? "" : " ").append(DdlStatementBuilder.word(c.next(), c));
        }
        return mode.isEmpty() ? DEFAULT_POSTGRES_MODE : mode.toString();
    }

    /**
     * Whether the statement holds a table lock once it returns: every LOCK TABLE(S); FLUSH TABLES only WITH READ
     * LOCK or FOR EXPORT (a plain FLUSH TABLES closes the tables and keeps nothing).
     */
    public static boolean locks(DdlStatement s) {
        return s.verb() == Verb.LOCK
                || s.verb() == Verb.FLUSH && (hasWords(s, "WITH", "READ", "LOCK") || hasWords(s, "FOR", "EXPORT"));
    }

    /** MySQL: whether a table is locked so that others cannot even read it ({@code LOCK TABLES t WRITE}). */
    public static boolean blocksReads(DdlStatement s) {
        return s.verb() == Verb.LOCK && hasWords(s, "WRITE");
    }

    private static boolean hasWords(DdlStatement s, String... words) {
        TokenCursor c = new TokenCursor(s.text());
        while (!c.atEnd()) {
            int mark = c.position();
            if (c.acceptWords(words)) {
                return true;
            }
            c.reset(mark);
            c.next();
        }
        return false;
    }

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

    /** Table names separated by commas, each with whatever follows it (alias, lock type) up to the next comma. */
    private static void readTables(TokenCursor c, DdlStatementBuilder b) {
        while (!c.atEnd()) {
            if (c.peekWord("IN") || c.peekWord("WITH") || c.peekWord("FOR") || c.peekWord("NOWAIT")) {
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
                if (c.peekWord("IN") || c.peekWord("WITH") || c.peekWord("FOR") || c.peekWord("NOWAIT")) {
                    return;
                }
                c.next(); // alias, READ [LOCAL], [LOW_PRIORITY] WRITE, WAIT n
            }
            if (!c.acceptKind(TokenKind.COMMA)) {
                return;
            }
        }
    }
}
