package dev.ddlguard.sql;

import static dev.ddlguard.sql.DdlStatementBuilder.objectType;
import static dev.ddlguard.sql.DdlStatementBuilder.skipAssignment;
import static dev.ddlguard.sql.DdlStatementBuilder.word;

import dev.ddlguard.sql.DdlStatement.Flag;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads what a DDL statement does from its tokens: verb, object type, names, ALTER TABLE actions
 * and modifiers. It is deliberately forgiving: text it cannot follow yields a statement with fewer
 * details (the rules then judge it {@code unanalyzable}), never an exception.
 *
 * <p>This class reads CREATE, ALTER, DROP, TRUNCATE, RENAME and COMMENT; the other statements that act
 * as DDL are read by {@link MaintenanceStatements}, {@link RoutineBodies}, {@link DynamicSqlStatements},
 * {@link PostgresQueryForms}, {@link RemoteSqlCalls} (dblink) and
 * {@link ServerSettings} (MySQL's SET GLOBAL, INSTALL PLUGIN), and EXPLAIN's options by {@link ExplainOptions}.
 */
public final class DdlClassifier {

    /** Modifiers between CREATE and the object type. */
    private static final Set<String> CREATE_MODIFIERS = Set.of(
            "GLOBAL",
            "LOCAL",
            "TEMP",
            "TEMPORARY",
            "UNLOGGED",
            "UNIQUE",
            "FULLTEXT",
            "SPATIAL",
            "RECURSIVE",
            "MEMORY",
            "CACHED",
            "TRUSTED",
            "PROCEDURAL",
            "ONLINE",
            "OFFLINE",
            "IGNORE",
            "DEFAULT",
            "FORCE",
            "NOFORCE");

    private DdlClassifier() {}

    /** The statement's DDL reading, or null when it is not DDL (a SELECT, a plain VACUUM, PostgreSQL's EXECUTE of a prepared query). */
    public static DdlStatement classify(StatementText text, SqlSyntax syntax) {
        return HiddenDdl.withHidden(read(text, syntax), text, syntax);
    }

    private static DdlStatement read(StatementText text, SqlSyntax syntax) {
        TokenCursor c = new TokenCursor(text);
        while (c.acceptKind(TokenKind.LEFT_PAREN)) {
            // a leading parenthesis does not hide the verb
        }
        Token first = c.next();
        if (first != null && first.isWord(c.sql(), "EXPLAIN")) {
            if (!ExplainOptions.explainRunsTheStatement(c)) {
                return null; // a plain EXPLAIN only plans
            }
            first = c.next(); // PostgreSQL: EXPLAIN ANALYZE CREATE TABLE … AS runs the CREATE
        }
        if (first != null && syntax == SqlSyntax.MYSQL && first.isWord(c.sql(), "SET") && c.peekWord("STATEMENT")) {
            // MariaDB: SET STATEMENT max_statement_time = 5 FOR ALTER TABLE … runs the ALTER
            // (skip_replication is refused there: error 1971)
            List<ServerSettings.Assignment> assignments = ServerSettings.statementAssignments(c);
            boolean noBinlog =
                    assignments.stream().anyMatch(a -> a.keepsFromBinlog() || a.keepsOnThisNode()); // and Galera's
            DdlStatement inner = read(text, syntax, c, c.next());
            if (inner != null && ServerSettings.forcesCopy(assignments)) {
                inner = ServerSettings.flagged(inner, text, syntax, DdlStatement.Flag.FORCES_COPY);
            }
            return noBinlog ? ServerSettings.withoutBinlog(inner, text, syntax) : inner;
        }
        return read(text, syntax, c, first);
    }

    /** The statement from its first word on. */
    private static DdlStatement read(StatementText text, SqlSyntax syntax, TokenCursor c, Token first) {
        if (first == null || first.kind() != TokenKind.WORD) {
            return null;
        }
        if (syntax == SqlSyntax.POSTGRESQL && (first.isWord(c.sql(), "SELECT") || first.isWord(c.sql(), "WITH"))) {
            return PostgresQueryForms.selectInto(c, new DdlStatementBuilder(text, syntax, Verb.CREATE));
        }
        Verb verb;
        try {
            verb = Verb.valueOf(first.text(text.source()).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException notDdl) {
            return null;
        }
        DdlStatementBuilder b = new DdlStatementBuilder(text, syntax, verb);
        return switch (verb) {
            case CREATE -> create(c, b);
            case ALTER -> alter(c, b);
            case DROP -> drop(c, b);
            case TRUNCATE -> truncate(c, b);
            case RENAME -> rename(c, b);
            case COMMENT -> comment(c, b);
            case REINDEX -> MaintenanceStatements.reindex(c, b);
            case CLUSTER -> MaintenanceStatements.cluster(c, b);
            case VACUUM -> MaintenanceStatements.vacuum(c, b);
            case OPTIMIZE -> MaintenanceStatements.optimize(c, b);
            case DO -> RoutineBodies.doBlock(c, b);
            case REFRESH -> MaintenanceStatements.refresh(c, b);
            case EXECUTE -> DynamicSqlStatements.execute(c, b);
            case PREPARE -> DynamicSqlStatements.prepare(c, b);
            case COPY -> PostgresQueryForms.copy(c, b);
            case RUNSCRIPT -> DynamicSqlStatements.runScript(b);
            case LOCK -> LockStatements.lock(c, b);
            case FLUSH -> LockStatements.flush(c, b);
            case REASSIGN -> reassign(c, b);
            case SET -> ServerSettings.set(c, b);
            case INSTALL, UNINSTALL -> ServerSettings.plugin(c, b);
            case SHUTDOWN, RESET, PURGE, CHANGE, STOP -> ServerSettings.administration(c, b);
            case BACKUP -> LockStatements.backup(c, b);
            case BINLOG -> ServerSettings.binlog(b);
            case REPAIR -> MaintenanceStatements.repair(c, b);
            case IMPORT, SECURITY, GRANT, REVOKE -> b.build();
            case DELETE -> SystemVersioning.deleteHistory(c, b);
            case CALL -> DynamicSqlStatements.call(c, b);
        };
    }

    private static DdlStatement create(TokenCursor c, DdlStatementBuilder b) {
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
                b.readConcurrentlyAndExistence(c);
                if (!c.peekWord("ON")) {
                    b.names.add(c.acceptName());
                    if (c.acceptWord("USING")) {
                        c.next();
                    }
                }
                if (c.acceptWord("ON")) {
                    if (c.acceptWord("ONLY")) {
                        b.flags.add(Flag.ONLY); // PostgreSQL: the partitioned parent only
                    }
                    b.table = c.acceptName();
                }
            }
            case "TABLE" -> {
                b.readConcurrentlyAndExistence(c);
                b.names.add(c.acceptName());
                b.table = b.names.get(0);
                if (topLevelWord(c, "AS")) {
                    b.flags.add(Flag.AS_SELECT);
                }
            }
            case "FUNCTION", "PROCEDURE", "TRIGGER", "EVENT", "RULE", "PACKAGE", "PACKAGE BODY" -> {
                b.names.add(c.acceptName());
                String language = RoutineBodies.unreadableLanguage(b);
                if (language != null) {
                    b.opaque = b.objectType.toLowerCase(Locale.ROOT) + " body in " + language
                            + ", which the guard cannot read, may run DDL or anything else when it runs";
                } else if (b.syntax == SqlSyntax.ANSI
                        && "TRIGGER".equals(b.objectType)
                        && RoutineBodies.javaTrigger(b.text)) {
                    b.opaque = "H2 trigger runs Java code the guard cannot judge";
                } else if (RoutineBodies.bodyRunsDdl(b.text, b.objectType, b.syntax)) {
                    b.opaque =
                            b.objectType.toLowerCase(Locale.ROOT) + " body runs DDL that is judged only when it runs";
                }
                if (b.objectType.equals("TRIGGER")) {
                    b.table = nameAfterTopLevel(c, "ON"); // the table whose lock the trigger takes
                }
            }
            case "CONSTRAINT TRIGGER" -> {
                b.names.add(c.acceptName());
                b.table = nameAfterTopLevel(c, "ON");
            }
            case "ALIAS", "AGGREGATE" -> {
                b.names.add(c.acceptName());
                if (b.syntax == SqlSyntax.ANSI) {
                    // H2: CREATE ALIAS … AS $$ java source $$ compiles and runs Java; … FOR "java.lang.…" binds any
                    // static method of the classpath (System.exit, Runtime.exec): nothing the guard can judge.
                    b.opaque = "CREATE " + b.objectType
                            + " binds Java code (source or a class method) the guard cannot judge";
                }
            }
            default -> {
                b.readConcurrentlyAndExistence(c);
                b.names.add(c.acceptName());
                if ("SCHEMA".equals(b.objectType) && b.syntax == SqlSyntax.POSTGRESQL && topLevelWord(c, "GRANT")) {
                    // a GRANT schema element acts on any object the search path finds, public.orders included
                    b.opaque = "CREATE SCHEMA holds a GRANT, which the guard judges only as a statement of its own";
                } else if ("SCHEMA".equals(b.objectType)
                        && b.syntax == SqlSyntax.POSTGRESQL
                        && topLevelWord(c, "CREATE")) {
                    // its CREATE VIEW over pg_class was a writable catalog view, its CREATE TABLE … PARTITION OF an old
                    // parent took ACCESS EXCLUSIVE on it unjudged (outside testers'): each is judged as a statement
                    b.opaque = "CREATE SCHEMA holds schema elements (CREATE TABLE, VIEW, INDEX, SEQUENCE, TRIGGER), "
                            + "which the guard judges only as statements of their own: create the schema, then each";
                }
            }
        }
        return b.build();
    }

    private static DdlStatement alter(TokenCursor c, DdlStatementBuilder b) {
        while (c.acceptWord("ONLINE") || c.acceptWord("OFFLINE") || c.acceptWord("IGNORE")) {
            // MySQL/MariaDB modifiers before TABLE
        }
        while (!c.atEnd() && (skipAssignment(c) || (c.acceptWords("SQL", "SECURITY") && c.next() != null))) {
            // MySQL: ALTER ALGORITHM=MERGE DEFINER=`u`@`h` SQL SECURITY INVOKER VIEW v AS …, as CREATE reads them
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
        if ("EVENT".equals(b.objectType) && RoutineBodies.bodyRunsDdl(b.text, b.objectType, b.syntax)) {
            // MySQL: ALTER EVENT e … DO stmt replaces the body, as CREATE EVENT sets it
            b.opaque = "event body runs DDL that is judged only when it runs";
        }
        if ("TABLE".equals(b.objectType) && name != null) {
            b.table = name;
            c.acceptKind(TokenKind.OPERATOR); // ALTER TABLE name * (descendants)
            // MariaDB: ALTER TABLE name [WAIT n | NOWAIT] actions (a lock-wait bound, not an action)
            if (!c.acceptWord("NOWAIT") && c.acceptWord("WAIT")) {
                c.acceptKind(TokenKind.NUMBER);
            }
            b.actions.addAll(AlterTableReader.readActions(c));
            for (AlterAction a : b.actions) {
                // DETACH PARTITION … CONCURRENTLY is the one ALTER TABLE form that must run outside a transaction.
                if (a.kind() == AlterAction.Kind.DETACH_PARTITION
                        && b.text.hasWord("CONCURRENTLY", a.start(), a.end())) {
                    b.flags.add(Flag.CONCURRENTLY);
                }
            }
        }
        return b.build();
    }

    private static DdlStatement drop(TokenCursor c, DdlStatementBuilder b) {
        if (c.acceptWord("TEMPORARY")) {
            b.flags.add(Flag.TEMPORARY);
        }
        b.objectType = tablesAsTable(objectType(c));
        b.readConcurrentlyAndExistence(c);
        b.readNameList(c);
        if (c.acceptWord("ON")) {
            b.table = c.acceptName(); // MySQL: DROP INDEX i ON t
        } else if ("TABLE".equals(b.objectType) && !b.names.isEmpty()) {
            b.table = b.names.get(0);
        }
        if (c.remainingContainsWord("CASCADE")) {
            b.flags.add(Flag.CASCADE);
        }
        return b.build();
    }

    private static DdlStatement truncate(TokenCursor c, DdlStatementBuilder b) {
        c.acceptWord("TABLE");
        b.objectType = "TABLE";
        if (c.acceptWord("ONLY")) {
            b.flags.add(Flag.ONLY);
        }
        b.readNameList(c);
        b.table = b.names.isEmpty() ? null : b.names.get(0);
        if (c.remainingContainsWord("CASCADE")) {
            b.flags.add(Flag.CASCADE);
        }
        return b.build();
    }

    /** PostgreSQL {@code REASSIGN OWNED BY a[, b] TO c}: the roles whose objects change owner are its names. */
    private static DdlStatement reassign(TokenCursor c, DdlStatementBuilder b) {
        if (!c.acceptWords("OWNED", "BY")) {
            return null;
        }
        b.objectType = "OWNED";
        b.readNameList(c);
        return b.build();
    }

    /** MySQL {@code RENAME TABLE a TO b[, c TO d]}: each pair becomes a RENAME_TABLE action. */
    private static DdlStatement rename(TokenCursor c, DdlStatementBuilder b) {
        b.objectType = tablesAsTable(objectType(c));
        if (c.acceptWords("IF", "EXISTS")) { // MariaDB 10.5.2+
            b.flags.add(Flag.IF_EXISTS);
        }
        while (!c.atEnd()) {
            int start = c.peek().start();
            QualifiedName from = c.acceptName();
            // MariaDB: RENAME TABLE t [WAIT n | NOWAIT] TO u (a bound on the lock wait, not part of the name)
            if (!c.acceptWord("NOWAIT") && c.acceptWord("WAIT")) {
                c.acceptKind(TokenKind.NUMBER);
            }
            if (from == null || !c.acceptWord("TO")) {
                b.names.clear(); // not read to the end: unanalyzable says so, rather than judge half of it
                b.actions.clear();
                break;
            }
            QualifiedName to = c.acceptName();
            b.names.add(from);
            if ("TABLE".equals(b.objectType)) {
                b.actions.add(AlterAction.renameTable(
                        to == null ? null : to.name(), start, c.previous().end()));
            }
            if (!c.acceptKind(TokenKind.COMMA)) {
                break;
            }
        }
        b.table = "TABLE".equals(b.objectType) && !b.names.isEmpty() ? b.names.get(0) : null;
        return b.build();
    }

    private static DdlStatement comment(TokenCursor c, DdlStatementBuilder b) {
        if (c.acceptWord("ON")) {
            b.objectType = objectType(c);
            b.names.add(c.acceptName());
        }
        return b.build();
    }

    /** MariaDB accepts {@code DROP TABLES} and {@code RENAME TABLES} for DROP TABLE and RENAME TABLE. */
    private static String tablesAsTable(String objectType) {
        return "TABLES".equals(objectType) ? "TABLE" : objectType;
    }

    /** The name after the first top-level {@code keyword} from here on, or null; consumes nothing. */
    private static QualifiedName nameAfterTopLevel(TokenCursor c, String keyword) {
        int mark = c.position();
        try {
            return c.skipPastTopLevelWord(keyword) ? c.acceptName() : null;
        } finally {
            c.reset(mark);
        }
    }

    /** Whether a top-level {@code keyword} follows from here on; consumes nothing. */
    private static boolean topLevelWord(TokenCursor c, String keyword) {
        int mark = c.position();
        try {
            return c.skipPastTopLevelWord(keyword);
        } finally {
            c.reset(mark);
        }
    }
}
