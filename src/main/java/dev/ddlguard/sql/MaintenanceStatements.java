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
     * {@code option} is in it and not switched off. The name may be quoted ({@code "full"}, a NonReservedWord to
     * the grammar: an outside tester's {@code VACUUM ("full") t} was no DDL at all); a quoted name in another case,
     * which the server refuses, is taken as the option too. REINDEX looks at the top level of the list only,
     * VACUUM at any depth.
     */
    private static boolean optionListSwitchesOn(TokenCursor c, String option, boolean topLevelOnly) {
        boolean on = false;
        if (c.acceptKind(TokenKind.LEFT_PAREN)) {
            int depth = 1;
            while (!c.atEnd() && depth > 0) {
                if ((depth == 1 || !topLevelOnly) && isOption(c.peek(), option, c.sql())) {
                    on = !switchedOff(c); // written twice, the last counts: (FULL 1, FULL 0) is a plain VACUUM
                }
                TokenKind kind = c.next().kind();
                depth += kind == TokenKind.LEFT_PAREN ? 1 : kind == TokenKind.RIGHT_PAREN ? -1 : 0;
            }
        }
        return on;
    }

    private static boolean isOption(Token t, String option, String sql) {
        return t != null
                && (t.isWord(sql, option)
                        || (t.kind() == TokenKind.QUOTED_IDENTIFIER
                                && t.text(sql).equalsIgnoreCase('"' + option + '"')));
    }

    /**
     * Whether the value after the option's name (the cursor is on the name) is false as the server's defGetBoolean
     * reads it: an integer 0 (signed or not), or {@code false | off} in any case as a word, a quoted name or a
     * plain string. No value, {@code true}, or a value the server would refuse is not off: the statement is judged.
     */
    private static boolean switchedOff(TokenCursor c) {
        Token value = c.peek(1);
        if (value == null) {
            return false;
        }
        String sql = c.sql();
        String text = value.text(sql);
        if (value.kind() == TokenKind.OPERATOR && (text.equals("-") || text.equals("+"))) {
            value = c.peek(2);
            return value != null && isZero(value, sql);
        }
        if (isZero(value, sql)) {
            return true;
        }
        boolean quoted = value.kind() == TokenKind.QUOTED_IDENTIFIER && text.startsWith("\"")
                || value.kind() == TokenKind.STRING && text.startsWith("'");
        String word = quoted && text.length() >= 2
                ? text.substring(1, text.length() - 1)
                : value.kind() == TokenKind.WORD ? text : null;
        return word != null && (word.equalsIgnoreCase("false") || word.equalsIgnoreCase("off"));
    }

    /** An integer constant of value 0 ({@code 0}, {@code 00}). */
    private static boolean isZero(Token t, String sql) {
        return t.kind() == TokenKind.NUMBER && t.text(sql).chars().allMatch(ch -> ch == '0');
    }

    static DdlStatement optimize(TokenCursor c, DdlStatementBuilder b) {
        c.acceptWord("NO_WRITE_TO_BINLOG");
        c.acceptWord("LOCAL");
        b.objectType = "TABLE";
        if (!c.acceptWord("TABLE")) {
            c.acceptWord("TABLES"); // OPTIMIZE TABLES a, b: the same (an outside tester's, read as a table "TABLES")
        }
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
