package dev.ddlguard.sql;

import dev.ddlguard.sql.DdlStatement.Flag;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads what a DDL statement does from its tokens: verb, object type, names, ALTER TABLE actions
 * and modifiers. It is deliberately forgiving: text it cannot follow yields a statement with fewer
 * details (the rules then judge it {@code unanalyzable}), never an exception.
 */
public final class DdlClassifier {

    /** Words in a string body (DO block, function, dynamic SQL) that mean it runs DDL. */
    private static final Pattern DDL_WORD = Pattern.compile(
            "(?i)(?<![\\w$])(CREATE|ALTER|DROP|TRUNCATE|RENAME|REINDEX|CLUSTER|VACUUM|GRANT|REVOKE|EXECUTE)(?![\\w$])");

    /** Modifiers between CREATE and the object type. */
    private static final Set<String> CREATE_MODIFIERS = Set.of(
            "GLOBAL", "LOCAL", "TEMP", "TEMPORARY", "UNLOGGED", "UNIQUE", "FULLTEXT", "SPATIAL", "RECURSIVE",
            "MEMORY", "CACHED", "TRUSTED", "PROCEDURAL", "ONLINE", "OFFLINE", "IGNORE", "DEFAULT", "FORCE", "NOFORCE");

    private DdlClassifier() {
    }

    /** The statement's DDL reading, or null when it is not DDL (a SELECT, a plain VACUUM, PostgreSQL's EXECUTE of a prepared query). */
    public static DdlStatement classify(StatementText text, SqlSyntax syntax) {
        TokenCursor c = new TokenCursor(text);
        while (c.acceptKind(TokenKind.LEFT_PAREN)) {
            // a leading parenthesis does not hide the verb
        }
        Token first = c.next();
        if (first != null && first.isWord(c.sql(), "EXPLAIN")) {
            if (!explainRunsTheStatement(c)) {
                return null;   // a plain EXPLAIN only plans
            }
            first = c.next();   // PostgreSQL: EXPLAIN ANALYZE CREATE TABLE … AS runs the CREATE
        }
        if (first == null || first.kind() != TokenKind.WORD) {
            return null;
        }
        Verb verb;
        try {
            verb = Verb.valueOf(first.text(text.source()).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException notDdl) {
            return null;
        }
        Builder b = new Builder(text, syntax, verb);
        return switch (verb) {
            case CREATE -> create(c, b);
            case ALTER -> alter(c, b);
            case DROP -> drop(c, b);
            case TRUNCATE -> truncate(c, b);
            case RENAME -> rename(c, b);
            case COMMENT -> comment(c, b);
            case REINDEX -> reindex(c, b);
            case CLUSTER -> cluster(c, b);
            case VACUUM -> vacuum(c, b);
            case OPTIMIZE -> optimize(c, b);
            case DO -> doBlock(c, b);
            case REFRESH -> refresh(c, b);
            case EXECUTE -> execute(c, b);
            case PREPARE -> prepare(c, b);
            case RUNSCRIPT -> runScript(b);
            case IMPORT, SECURITY, GRANT, REVOKE -> b.build();
        };
    }

    /**
     * Reads EXPLAIN's options, {@code ANALYZE [VERBOSE]} or {@code (ANALYZE [true|on|1], …)}: whether it
     * executes the statement that follows, which then is judged as what it is.
     */
    private static boolean explainRunsTheStatement(TokenCursor c) {
        if (c.acceptWord("ANALYZE") || c.acceptWord("ANALYSE")) {
            c.acceptWord("VERBOSE");
            return true;
        }
        if (!c.acceptKind(TokenKind.LEFT_PAREN)) {
            return false;
        }
        boolean analyze = false;
        while (!c.atEnd() && !c.acceptKind(TokenKind.RIGHT_PAREN)) {
            Token option = c.next();
            if (option.isWord(c.sql(), "ANALYZE") || option.isWord(c.sql(), "ANALYSE")) {
                Token value = c.peek();   // none, or a boolean: ANALYZE false / off / 0 only plans
                analyze = value == null || value.kind() == TokenKind.COMMA || value.kind() == TokenKind.RIGHT_PAREN
                        || c.peekWord("TRUE") || c.peekWord("ON") || "1".equals(value.text(c.sql()));
            }
        }
        return analyze;
    }

    private static DdlStatement create(TokenCursor c, Builder b) {
        if (c.acceptWords("OR", "REPLACE") || c.acceptWords("OR", "ALTER")) {
            b.flags.add(Flag.OR_REPLACE);
        }
        while (!c.atEnd()) {
            if (c.peekWord("UNIQUE")) {
                b.flags.add(Flag.UNIQUE);
            }
            if (c.peekWord("TEMP") || c.peekWord("TEMPORARY")) {
                b.flags.add(Flag.TEMPORARY);
            }
            if (c.peek().kind() == TokenKind.WORD && CREATE_MODIFIERS.contains(word(c.peek(), c))) {
                c.next();
            } else if (skipAssignment(c)) {
                // MySQL: ALGORITHM=MERGE DEFINER=`u`@`h` SQL SECURITY …
            } else if (c.acceptWords("SQL", "SECURITY")) {
                c.next();
            } else {
                break;
            }
        }
        b.objectType = objectType(c);
        if (b.objectType == null) {
            return b.build();
        }
        switch (b.objectType) {
            case "INDEX" -> {
                concurrentlyAndExistence(c, b);
                if (!c.peekWord("ON")) {
                    b.names.add(c.acceptName());
                    if (c.acceptWord("USING")) {
                        c.next();
                    }
                }
                if (c.acceptWord("ON")) {
                    if (c.acceptWord("ONLY")) {
                        b.flags.add(Flag.ONLY);   // PostgreSQL: the partitioned parent only
                    }
                    b.table = c.acceptName();
                }
            }
            case "TABLE" -> {
                concurrentlyAndExistence(c, b);
                b.names.add(c.acceptName());
                b.table = b.names.get(0);
                if (topLevelWord(c, "AS")) {
                    b.flags.add(Flag.AS_SELECT);
                }
            }
            case "FUNCTION", "PROCEDURE", "TRIGGER", "EVENT", "RULE" -> {
                b.names.add(c.acceptName());
                if (bodyRunsDdl(b.text, b.objectType)) {
                    b.opaque = b.objectType.toLowerCase(Locale.ROOT) + " body runs DDL that is judged only when it runs";
                }
            }
            default -> {
                concurrentlyAndExistence(c, b);
                b.names.add(c.acceptName());
            }
        }
        return b.build();
    }

    private static DdlStatement alter(TokenCursor c, Builder b) {
        while (c.acceptWord("ONLINE") || c.acceptWord("OFFLINE") || c.acceptWord("IGNORE")) {
            // MySQL/MariaDB modifiers before TABLE
        }
        b.objectType = objectType(c);
        if (c.acceptWords("IF", "EXISTS")) {
            b.flags.add(Flag.IF_EXISTS);
        }
        if (c.acceptWord("ONLY")) {
            b.flags.add(Flag.ONLY);
        }
        QualifiedName name = c.acceptName();
        b.names.add(name);
        if ("TABLE".equals(b.objectType) && name != null) {
            b.table = name;
            c.acceptKind(TokenKind.OPERATOR);   // ALTER TABLE name * (descendants)
            b.actions.addAll(AlterTableReader.readActions(c));
            for (AlterAction a : b.actions) {
                // DETACH PARTITION … CONCURRENTLY is the one ALTER TABLE form that must run outside a transaction.
                if (a.kind() == AlterAction.Kind.DETACH_PARTITION && b.text.hasWord("CONCURRENTLY", a.start(), a.end())) {
                    b.flags.add(Flag.CONCURRENTLY);
                }
            }
        }
        return b.build();
    }

    private static DdlStatement drop(TokenCursor c, Builder b) {
        if (c.acceptWord("TEMPORARY")) {
            b.flags.add(Flag.TEMPORARY);
        }
        b.objectType = objectType(c);
        concurrentlyAndExistence(c, b);
        readNameList(c, b);
        if (c.acceptWord("ON")) {
            b.table = c.acceptName();   // MySQL: DROP INDEX i ON t
        } else if ("TABLE".equals(b.objectType) && !b.names.isEmpty()) {
            b.table = b.names.get(0);
        }
        if (c.remainingContainsWord("CASCADE")) {
            b.flags.add(Flag.CASCADE);
        }
        return b.build();
    }

    private static DdlStatement truncate(TokenCursor c, Builder b) {
        c.acceptWord("TABLE");
        b.objectType = "TABLE";
        if (c.acceptWord("ONLY")) {
            b.flags.add(Flag.ONLY);
        }
        readNameList(c, b);
        b.table = b.names.isEmpty() ? null : b.names.get(0);
        if (c.remainingContainsWord("CASCADE")) {
            b.flags.add(Flag.CASCADE);
        }
        return b.build();
    }

    /** MySQL {@code RENAME TABLE a TO b[, c TO d]}: each pair becomes a RENAME_TABLE action. */
    private static DdlStatement rename(TokenCursor c, Builder b) {
        b.objectType = objectType(c);
        while (!c.atEnd()) {
            int start = c.peek().start();
            QualifiedName from = c.acceptName();
            if (from == null || !c.acceptWord("TO")) {
                break;
            }
            QualifiedName to = c.acceptName();
            b.names.add(from);
            if ("TABLE".equals(b.objectType)) {
                b.actions.add(new AlterAction(AlterAction.Kind.RENAME_TABLE, null, to == null ? null : to.name(), null,
                        null, false, start, c.previous().end()));
            }
            if (!c.acceptKind(TokenKind.COMMA)) {
                break;
            }
        }
        b.table = "TABLE".equals(b.objectType) && !b.names.isEmpty() ? b.names.get(0) : null;
        return b.build();
    }

    private static DdlStatement comment(TokenCursor c, Builder b) {
        if (c.acceptWord("ON")) {
            b.objectType = objectType(c);
            b.names.add(c.acceptName());
        }
        return b.build();
    }

    private static DdlStatement reindex(TokenCursor c, Builder b) {
        c.skipParenthesised();
        c.acceptWord("VERBOSE");
        b.objectType = objectType(c);
        concurrentlyAndExistence(c, b);
        b.names.add(c.acceptName());
        if ("TABLE".equals(b.objectType)) {
            b.table = b.names.get(0);
        }
        return b.build();
    }

    private static DdlStatement cluster(TokenCursor c, Builder b) {
        c.skipParenthesised();
        c.acceptWord("VERBOSE");
        b.objectType = "TABLE";
        QualifiedName first = c.acceptName();
        if (first != null && c.acceptWord("ON")) {
            b.table = c.acceptName();   // pre-8.3 form: CLUSTER index ON table
        } else {
            b.table = first;
        }
        if (b.table != null) {
            b.names.add(b.table);
        }
        return b.build();
    }

    /** Only VACUUM FULL rewrites the table under an exclusive lock; plain VACUUM is maintenance, not DDL. */
    private static DdlStatement vacuum(TokenCursor c, Builder b) {
        boolean full = false;
        if (c.acceptKind(TokenKind.LEFT_PAREN)) {
            int depth = 1;
            while (!c.atEnd() && depth > 0) {
                if (c.peekWord("FULL") && !c.peekWord(1, "FALSE") && !c.peekWord(1, "OFF") && !isZero(c.peek(1), c)) {
                    full = true;
                }
                TokenKind kind = c.next().kind();
                depth += kind == TokenKind.LEFT_PAREN ? 1 : kind == TokenKind.RIGHT_PAREN ? -1 : 0;
            }
        }
        full |= c.acceptWord("FULL");
        if (!full) {
            return null;
        }
        while (c.acceptWord("FREEZE") || c.acceptWord("VERBOSE") || c.acceptWord("ANALYZE")) {
            // options of the old syntax
        }
        b.flags.add(Flag.FULL);
        b.objectType = "TABLE";
        readNameList(c, b);
        b.table = b.names.isEmpty() ? null : b.names.get(0);
        return b.build();
    }

    /** PostgreSQL booleans in an option list: {@code FULL 0} is {@code FULL false}. */
    private static boolean isZero(Token t, TokenCursor c) {
        return t != null && t.kind() == TokenKind.NUMBER && "0".equals(t.text(c.sql()));
    }

    private static DdlStatement optimize(TokenCursor c, Builder b) {
        c.acceptWord("NO_WRITE_TO_BINLOG");
        c.acceptWord("LOCAL");
        b.objectType = "TABLE";
        c.acceptWord("TABLE");
        readNameList(c, b);
        b.table = b.names.isEmpty() ? null : b.names.get(0);
        return b.build();
    }

    /** A PostgreSQL DO block is opaque: when its body runs DDL, the rules can only report it. */
    private static DdlStatement doBlock(TokenCursor c, Builder b) {
        if (!bodyRunsDdl(b.text, null)) {
            return null;
        }
        b.opaque = "DO block runs DDL that the guard cannot see into";
        return b.build();
    }

    private static DdlStatement refresh(TokenCursor c, Builder b) {
        if (!c.acceptWords("MATERIALIZED", "VIEW")) {
            return null;
        }
        b.objectType = "MATERIALIZED VIEW";
        concurrentlyAndExistence(c, b);
        b.names.add(c.acceptName());
        return b.build();
    }

    /** H2's {@code RUNSCRIPT FROM 'file'} runs every statement of a file (H2 "RUNSCRIPT"), none of which the guard sees. */
    private static DdlStatement runScript(Builder b) {
        b.opaque = "RUNSCRIPT runs the statements of a script file the guard cannot see";
        return b.build();
    }

    /** H2's {@code EXECUTE IMMEDIATE 'sql'} runs dynamic SQL; PostgreSQL's and MySQL's EXECUTE run a prepared statement. */
    private static DdlStatement execute(TokenCursor c, Builder b) {
        if (!c.acceptWord("IMMEDIATE") || !bodyRunsDdl(b.text, null)) {
            return null;
        }
        b.opaque = "EXECUTE IMMEDIATE runs dynamic SQL";
        return b.build();
    }

    /** MySQL {@code PREPARE s FROM 'DROP …'} prepares dynamic SQL; PostgreSQL's PREPARE cannot hold DDL. */
    private static DdlStatement prepare(TokenCursor c, Builder b) {
        if (b.syntax != SqlSyntax.MYSQL) {
            return null;
        }
        c.acceptIdentifier();
        if (!c.acceptWord("FROM")) {
            return null;
        }
        Token source = c.peek();
        if (source != null && source.kind() == TokenKind.STRING && !DDL_WORD.matcher(source.text(c.sql())).find()) {
            return null;
        }
        b.opaque = "PREPARE of dynamic SQL";
        return b.build();
    }

    /** The object type after CREATE/ALTER/DROP: one word, or the known multi-word ones. */
    private static String objectType(TokenCursor c) {
        String[][] multi = {
                {"MATERIALIZED", "VIEW"}, {"FOREIGN", "TABLE"}, {"FOREIGN", "DATA", "WRAPPER"}, {"EVENT", "TRIGGER"},
                {"CONSTRAINT", "TRIGGER"}, {"ACCESS", "METHOD"}, {"OPERATOR", "CLASS"}, {"OPERATOR", "FAMILY"},
                {"USER", "MAPPING"}, {"DEFAULT", "PRIVILEGES"}, {"TEXT", "SEARCH"}, {"LARGE", "OBJECT"},
        };
        for (String[] words : multi) {
            if (c.acceptWords(words)) {
                return String.join(" ", words);
            }
        }
        Token t = c.peek();
        if (t == null || t.kind() != TokenKind.WORD) {
            return null;
        }
        c.next();
        return word(t, c);
    }

    private static void concurrentlyAndExistence(TokenCursor c, Builder b) {
        if (c.acceptWord("CONCURRENTLY")) {
            b.flags.add(Flag.CONCURRENTLY);
        }
        if (c.acceptWords("IF", "NOT", "EXISTS")) {
            b.flags.add(Flag.IF_NOT_EXISTS);
        }
        if (c.acceptWords("IF", "EXISTS")) {
            b.flags.add(Flag.IF_EXISTS);
        }
    }

    private static void readNameList(TokenCursor c, Builder b) {
        do {
            QualifiedName name = c.acceptName();
            if (name == null) {
                return;
            }
            b.names.add(name);
            c.acceptKind(TokenKind.OPERATOR);   // TRUNCATE t * (descendants)
        } while (c.acceptKind(TokenKind.COMMA));
    }

    /** Skips {@code WORD = value} (MySQL's ALGORITHM=, DEFINER=user@host). */
    private static boolean skipAssignment(TokenCursor c) {
        Token eq = c.peek(1);
        if (c.peek().kind() != TokenKind.WORD || eq == null || eq.kind() != TokenKind.OPERATOR
                || !"=".equals(eq.text(c.sql()))) {
            return false;
        }
        c.next();
        c.next();
        c.next();
        while (c.peek() != null && c.peek().kind() == TokenKind.OPERATOR && c.peek().text(c.sql()).startsWith("@")) {
            c.next();
            c.next();
        }
        return true;
    }

    private static boolean topLevelWord(TokenCursor c, String keyword) {
        int mark = c.position();
        int depth = 0;
        try {
            while (!c.atEnd()) {
                Token t = c.next();
                if (t.kind() == TokenKind.LEFT_PAREN) {
                    depth++;
                } else if (t.kind() == TokenKind.RIGHT_PAREN) {
                    depth--;
                } else if (depth == 0 && t.isWord(c.sql(), keyword)) {
                    return true;
                }
            }
            return false;
        } finally {
            c.reset(mark);
        }
    }

    /** Whether a body (string literals, or the code after BEGIN for SQL-standard and MySQL bodies) holds DDL words. */
    private static boolean bodyRunsDdl(StatementText text, String objectType) {
        boolean inBody = false;
        for (Token token : text.tokens()) {
            if (token.kind() == TokenKind.STRING && DDL_WORD.matcher(token.text(text.source())).find()) {
                return true;
            }
            if (token.isWord(text.source(), "BEGIN")
                    || ("EVENT".equals(objectType) && token.isWord(text.source(), "DO"))) {   // MySQL: CREATE EVENT … DO stmt
                inBody = true;
            } else if (inBody && objectType != null && token.kind() == TokenKind.WORD
                    && DDL_WORD.matcher(token.text(text.source())).matches()) {
                return true;
            }
        }
        return false;
    }

    private static String word(Token t, TokenCursor c) {
        return t.text(c.sql()).toUpperCase(Locale.ROOT);
    }

    /** Mutable state while one statement is read. */
    private static final class Builder {
        final StatementText text;
        final SqlSyntax syntax;
        final Verb verb;
        String objectType;
        final List<QualifiedName> names = new ArrayList<>(2);
        QualifiedName table;
        final List<AlterAction> actions = new ArrayList<>(2);
        final EnumSet<Flag> flags = EnumSet.noneOf(Flag.class);
        String opaque;

        Builder(StatementText text, SqlSyntax syntax, Verb verb) {
            this.text = text;
            this.syntax = syntax;
            this.verb = verb;
        }

        DdlStatement build() {
            names.removeIf(java.util.Objects::isNull);
            return new DdlStatement(text, syntax, verb, objectType, names, table, actions, flags, opaque);
        }
    }
}
