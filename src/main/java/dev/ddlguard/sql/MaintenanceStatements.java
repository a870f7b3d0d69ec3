package dev.ddlguard.sql;

import dev.ddlguard.sql.DdlStatement.Flag;

/**
 * Maintenance commands read as DDL: REINDEX, CLUSTER, VACUUM FULL, MySQL's OPTIMIZE TABLE and
 * PostgreSQL's REFRESH MATERIALIZED VIEW lock or rewrite a table like DDL does. Plain VACUUM is not DDL.
 */
final class MaintenanceStatements {

    private MaintenanceStatements() {}

    static DdlStatement reindex(TokenCursor c, DdlStatementBuilder b) {
        // PostgreSQL 14+: REINDEX (CONCURRENTLY [true]) INDEX i is REINDEX INDEX CONCURRENTLY i
        if (optionListSwitchesOn(c, "CONCURRENTLY", true)) {
            b.flags.add(Flag.CONCURRENTLY);
        }
        c.acceptWord("VERBOSE");
        b.objectType = DdlStatementBuilder.objectType(c);
        b.readConcurrentlyAndExistence(c);
        b.names.add(c.acceptName());
        if ("TABLE".equals(b.objectType)) {
            b.table = b.names.get(0);
        }
        return b.build();
    }

    static DdlStatement cluster(TokenCursor c, DdlStatementBuilder b) {
        c.skipParenthesised();
        c.acceptWord("VERBOSE");
        b.objectType = "TABLE";
        QualifiedName first = c.acceptName();
        if (first != null && c.acceptWord("ON")) {
            b.table = c.acceptName(); // pre-8.3 form: CLUSTER index ON table
        } else {
            b.table = first;
        }
        if (b.table != null) {
            b.names.add(b.table);
        }
        return b.build();
    }

    /** Only VACUUM FULL rewrites the table under an exclusive lock; plain VACUUM is maintenance, not DDL. */
    static DdlStatement vacuum(TokenCursor c, DdlStatementBuilder b) {
        boolean full = optionListSwitchesOn(c, "FULL", false);
        full |= c.acceptWord("FULL");
        if (!full) {
            return null;
        }
        while (c.acceptWord("FREEZE") || c.acceptWord("VERBOSE") || c.acceptWord("ANALYZE")) {
            // options of the old syntax
        }
        b.flags.add(Flag.FULL);
        b.objectType = "TABLE";
        b.readNameList(c);
        b.table = b.names.isEmpty() ? null : b.names.get(0);
        return b.build();
    }

    /**
     * Reads the parenthesised option list that may open here (PostgreSQL: {@code (FULL, VERBOSE)}): whether
     * {@code option} is in it and not switched off by {@code false}, {@code off} or {@code 0}. REINDEX looks
     * at the top level of the list only, VACUUM at any depth.
     */
    private static boolean optionListSwitchesOn(TokenCursor c, String option, boolean topLevelOnly) {
        boolean on = false;
        if (c.acceptKind(TokenKind.LEFT_PAREN)) {
            int depth = 1;
            while (!c.atEnd() && depth > 0) {
                if ((depth == 1 || !topLevelOnly)
                        && c.peekWord(option)
                        && !c.peekWord(1, "FALSE")
                        && !c.peekWord(1, "OFF")
                        && !isZero(c.peek(1), c)) {
                    on = true;
                }
                TokenKind kind = c.next().kind();
                depth += kind == TokenKind.LEFT_PAREN ? 1 : kind == TokenKind.RIGHT_PAREN ? -1 : 0;
            }
        }
        return on;
    }

    /** PostgreSQL booleans in an option list: {@code FULL 0} is {@code FULL false}. */
    private static boolean isZero(Token t, TokenCursor c) {
        return t != null && t.kind() == TokenKind.NUMBER && "0".equals(t.text(c.sql()));
    }

    static DdlStatement optimize(TokenCursor c, DdlStatementBuilder b) {
        c.acceptWord("NO_WRITE_TO_BINLOG");
        c.acceptWord("LOCAL");
        b.objectType = "TABLE";
        c.acceptWord("TABLE");
        b.readNameList(c);
        b.table = b.names.isEmpty() ? null : b.names.get(0);
        return b.build();
    }

    /** MySQL's {@code REPAIR [NO_WRITE_TO_BINLOG | LOCAL] TABLE a, b [QUICK] [EXTENDED] [USE_FRM]}; null elsewhere. */
    static DdlStatement repair(TokenCursor c, DdlStatementBuilder b) {
        if (b.syntax != SqlSyntax.MYSQL) {
            return null;
        }
        c.acceptWord("NO_WRITE_TO_BINLOG");
        c.acceptWord("LOCAL");
        b.objectType = "TABLE";
        if (!c.acceptWord("TABLE")) {
            c.acceptWord("TABLES");
        }
        b.readNameList(c);
        b.table = b.names.isEmpty() ? null : b.names.get(0);
        return b.build();
    }

    static DdlStatement refresh(TokenCursor c, DdlStatementBuilder b) {
        if (!c.acceptWords("MATERIALIZED", "VIEW")) {
            return null;
        }
        b.objectType = "MATERIALIZED VIEW";
        b.readConcurrentlyAndExistence(c);
        b.names.add(c.acceptName());
        b.table = b.names.get(0); // the relation it locks and fills
        return b.build();
    }
}
