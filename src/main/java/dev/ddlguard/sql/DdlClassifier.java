package dev.ddlguard.sql;

import dev.ddlguard.sql.DdlStatement.Flag;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Reads what a DDL statement does from its tokens: verb, object type, names, ALTER TABLE actions
 * and modifiers. It is deliberately forgiving: text it cannot follow yields a statement with fewer
 * details (the rules then judge it {@code unanalyzable}), never an exception.
 */
public final class DdlClassifier {

    /** PostgreSQL languages whose bodies the guard reads (PL/pgSQL and SQL as text; C and internal name a symbol). */
    private static final Set<String> READABLE_LANGUAGES = Set.of("SQL", "PLPGSQL", "C", "INTERNAL");

    /** PostgreSQL dblink functions that send SQL to a connection of their own (dblink extension, F.11). */
    private static final Set<String> DBLINK_SENDING = Set.of("dblink", "dblink_exec", "dblink_send_query");

    /** Modifiers between CREATE and the object type. */
    private static final Set<String> CREATE_MODIFIERS = Set.of(
            "GLOBAL", "LOCAL", "TEMP", "TEMPORARY", "UNLOGGED", "UNIQUE", "FULLTEXT", "SPATIAL", "RECURSIVE",
            "MEMORY", "CACHED", "TRUSTED", "PROCEDURAL", "ONLINE", "OFFLINE", "IGNORE", "DEFAULT", "FORCE", "NOFORCE");

    private DdlClassifier() {
    }

    /** The statement's DDL reading, or null when it is not DDL (a SELECT, a plain VACUUM, PostgreSQL's EXECUTE of a prepared query). */
    public static DdlStatement classify(StatementText text, SqlSyntax syntax) {
        DdlStatement ddl = read(text, syntax);
        if (syntax != SqlSyntax.POSTGRESQL) {
            return ddl;
        }
        // Any PostgreSQL statement may call dblink, which runs SQL on a connection the guard does not guard.
        String remote = remoteSql(text, syntax);
        if (remote == null || (ddl != null && ddl.opaque() != null)) {
            return ddl;
        }
        if (ddl == null) {
            Builder b = new Builder(text, syntax, Verb.EXECUTE);
            b.opaque = remote;
            return b.build();
        }
        return new DdlStatement(text, syntax, ddl.verb(), ddl.objectType(), ddl.names(), ddl.table(), ddl.actions(),
                ddl.flags(), remote);
    }

    private static DdlStatement read(StatementText text, SqlSyntax syntax) {
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
        if (syntax == SqlSyntax.POSTGRESQL && (first.isWord(c.sql(), "SELECT") || first.isWord(c.sql(), "WITH"))) {
            return selectInto(c, new Builder(text, syntax, Verb.CREATE));
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
            case COPY -> copy(c, b);
            case RUNSCRIPT -> runScript(b);
            case IMPORT, SECURITY, GRANT, REVOKE -> b.build();
        };
    }

    /**
     * Reads EXPLAIN's options, {@code ANALYZE [VERBOSE]} or {@code (ANALYZE [value], …)}: whether it
     * executes the statement that follows, which then is judged as what it is. PostgreSQL reads the
     * value with defGetBoolean (src/backend/commands/define.c): none, true/on or the integer 1 run it,
     * false/off or the integer 0 do not, quoted or not; parse_bool elsewhere also takes yes/no and unique
     * prefixes. Only a value that certainly means false counts as "plans only"; anything else (an error
     * on the server at worst) is judged as running the statement.
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
                        || !isFalse(value, c.sql());
            }
        }
        return analyze;
    }

    /** A boolean option value that certainly means false: false, off, no and their unique prefixes, or a zero, quoted or not. */
    private static boolean isFalse(Token value, String sql) {
        String text = value.text(sql);
        if (value.kind() == TokenKind.STRING || value.kind() == TokenKind.QUOTED_IDENTIFIER) {
            if (text.length() < 2 || (text.charAt(0) != '\'' && text.charAt(0) != '"')) {
                return false;   // E'…', U&'…': not worth decoding, judged as running
            }
            text = text.substring(1, text.length() - 1);
        } else if (value.kind() != TokenKind.WORD && value.kind() != TokenKind.NUMBER) {
            return false;
        }
        String v = text.strip().toLowerCase(Locale.ROOT);
        if (!v.isEmpty() && v.chars().allMatch(ch -> ch == '0')) {
            return true;
        }
        return v.length() >= 1 && ("false".startsWith(v) || "no".startsWith(v))
                || v.length() >= 2 && "off".startsWith(v);
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
                String language = unreadableLanguage(b);
                if (language != null) {
                    b.opaque = b.objectType.toLowerCase(Locale.ROOT) + " body in " + language
                            + ", which the guard cannot read, may run DDL or anything else when it runs";
                } else if (b.syntax == SqlSyntax.ANSI && "TRIGGER".equals(b.objectType) && javaTrigger(b.text)) {
                    b.opaque = "H2 trigger runs Java code the guard cannot judge";
                } else if (bodyRunsDdl(b.text, b.objectType, b.syntax)) {
                    b.opaque = b.objectType.toLowerCase(Locale.ROOT) + " body runs DDL that is judged only when it runs";
                }
                if (b.objectType.equals("TRIGGER")) {
                    b.table = nameAfterTopLevel(c, "ON");   // the table whose lock the trigger takes
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
                    b.opaque = "CREATE " + b.objectType + " binds Java code (source or a class method) the guard cannot judge";
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
            // MariaDB: ALTER TABLE name [WAIT n | NOWAIT] actions (a lock-wait bound, not an action)
            if (!c.acceptWord("NOWAIT") && c.acceptWord("WAIT")) {
                c.acceptKind(TokenKind.NUMBER);
            }
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
        b.objectType = tablesAsTable(objectType(c));
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
        b.objectType = tablesAsTable(objectType(c));
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
        // PostgreSQL 14+: REINDEX (CONCURRENTLY [true]) INDEX i is REINDEX INDEX CONCURRENTLY i
        if (c.acceptKind(TokenKind.LEFT_PAREN)) {
            int depth = 1;
            while (!c.atEnd() && depth > 0) {
                if (depth == 1 && c.peekWord("CONCURRENTLY") && !c.peekWord(1, "FALSE") && !c.peekWord(1, "OFF")
                        && !isZero(c.peek(1), c)) {
                    b.flags.add(Flag.CONCURRENTLY);
                }
                TokenKind kind = c.next().kind();
                depth += kind == TokenKind.LEFT_PAREN ? 1 : kind == TokenKind.RIGHT_PAREN ? -1 : 0;
            }
        }
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
        String language = unreadableLanguage(b);
        if (language != null) {
            b.opaque = "DO block in " + language + ", which the guard cannot read, may run DDL";
            return b.build();
        }
        if (!bodyRunsDdl(b.text, null, b.syntax)) {
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
        b.table = b.names.get(0);   // the relation it locks and fills
        return b.build();
    }

    /** H2's {@code RUNSCRIPT FROM 'file'} runs every statement of a file (H2 "RUNSCRIPT"), none of which the guard sees. */
    private static DdlStatement runScript(Builder b) {
        b.opaque = "RUNSCRIPT runs the statements of a script file the guard cannot see";
        return b.build();
    }

    /**
     * H2's and MariaDB's {@code EXECUTE IMMEDIATE} run dynamic SQL; PostgreSQL's and MySQL's EXECUTE run a
     * prepared statement. Only a single literal can be read (decoded first); any other argument
     * ({@code CONCAT('DR','OP TABLE t')}, a variable) is built at run time, so it is opaque.
     */
    private static DdlStatement execute(TokenCursor c, Builder b) {
        if (!c.acceptWord("IMMEDIATE")) {
            return null;
        }
        Boolean literal = literalRunsDdl(c, b, "USING");
        if (Boolean.FALSE.equals(literal)) {
            return null;
        }
        b.opaque = literal == null ? "EXECUTE IMMEDIATE of SQL built at run time, which the guard cannot read"
                : "EXECUTE IMMEDIATE runs dynamic SQL";
        return b.build();
    }

    /**
     * MySQL {@code PREPARE s FROM 'DROP …'} prepares dynamic SQL: a literal is read (its escapes decoded);
     * a variable ({@code FROM @v}) or an expression (MariaDB) is opaque. PostgreSQL's PREPARE cannot hold DDL.
     */
    private static DdlStatement prepare(TokenCursor c, Builder b) {
        if (b.syntax != SqlSyntax.MYSQL) {
            return null;
        }
        c.acceptIdentifier();
        if (!c.acceptWord("FROM")) {
            return null;
        }
        Boolean literal = literalRunsDdl(c, b, null);
        if (Boolean.FALSE.equals(literal)) {
            return null;
        }
        b.opaque = literal == null ? "PREPARE from a variable or expression, which the guard cannot read"
                : "PREPARE of dynamic SQL";
        return b.build();
    }

    /**
     * When the rest of the statement is one string literal (optionally followed by {@code stopWord} and
     * anything): whether its decoded value may run DDL. Null when it is anything else (run-time SQL).
     */
    private static Boolean literalRunsDdl(TokenCursor c, Builder b, String stopWord) {
        Token source = c.next();
        Token after = c.peek();
        if (source == null || source.kind() != TokenKind.STRING
                || (after != null && (stopWord == null || !after.isWord(c.sql(), stopWord)))) {
            return null;
        }
        List<Token> tokens = b.text.tokens();
        return DynamicSql.literalMayRunDdl(tokens, tokens.indexOf(source), c.sql(), b.syntax);
    }

    /**
     * PostgreSQL {@code COPY … TO PROGRAM 'cmd'} / {@code FROM PROGRAM 'cmd'} runs a shell command on the
     * server (COPY reference page); a rule blocks it. Other COPY forms move rows, not schema: not DDL.
     */
    private static DdlStatement copy(TokenCursor c, Builder b) {
        if (b.syntax != SqlSyntax.POSTGRESQL) {
            return null;
        }
        int depth = 0;
        Token previous = null;
        QualifiedName table = c.peekKind(TokenKind.LEFT_PAREN) ? null : c.acceptName();
        while (!c.atEnd()) {
            Token t = c.next();
            depth += t.kind() == TokenKind.LEFT_PAREN ? 1 : t.kind() == TokenKind.RIGHT_PAREN ? -1 : 0;
            if (depth == 0 && previous != null && t.isWord(c.sql(), "PROGRAM")
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
    private static DdlStatement selectInto(TokenCursor c, Builder b) {
        int depth = 0;
        Token previous = null;
        while (!c.atEnd()) {
            Token t = c.next();
            if (t.kind() == TokenKind.LEFT_PAREN) {
                depth++;
            } else if (t.kind() == TokenKind.RIGHT_PAREN) {
                depth--;
            } else if (depth <= 0 && t.kind() == TokenKind.WORD && !isLabelPosition(previous, c.sql())) {
                if (t.isWord(c.sql(), "INTO")) {
                    return selectIntoTarget(c, b);
                }
                if (t.isWord(c.sql(), "INSERT") || t.isWord(c.sql(), "UPDATE") || t.isWord(c.sql(), "DELETE")
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

    private static DdlStatement selectIntoTarget(TokenCursor c, Builder b) {
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

    /**
     * PostgreSQL: a call of dblink, dblink_exec or dblink_send_query runs SQL on another connection, which
     * the guard does not guard. dblink_exec is opaque whatever its arguments; dblink and dblink_send_query
     * are when an argument is not a literal or a literal may run DDL. Null when the statement calls none.
     */
    private static String remoteSql(StatementText text, SqlSyntax syntax) {
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
                if (function != null && DBLINK_SENDING.contains(function)
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
            return value == null ? "dblink_exec" : value;   // an undecodable name: assume the worst
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

    /**
     * PostgreSQL: the LANGUAGE of a routine or DO block when it is one whose body the guard cannot read
     * (PL/Python, PL/Perl, PL/Tcl, PL/v8, …), else null. Such a body may run SQL through its own API.
     */
    private static String unreadableLanguage(Builder b) {
        if (b.syntax != SqlSyntax.POSTGRESQL) {
            return null;
        }
        List<Token> tokens = b.text.tokens();
        String sql = b.text.source();
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (!tokens.get(i).isWord(sql, "LANGUAGE")) {
                continue;
            }
            int j = i + 1;
            while (j < tokens.size() && tokens.get(j).isComment()) {
                j++;
            }
            if (j >= tokens.size()) {
                return null;
            }
            Token name = tokens.get(j);
            String language = name.kind() == TokenKind.WORD ? name.text(sql).toUpperCase(Locale.ROOT)
                    : name.kind() == TokenKind.STRING || name.kind() == TokenKind.QUOTED_IDENTIFIER
                    ? String.valueOf(StringLiterals.decode(name.text(sql), b.syntax, '\0')).toUpperCase(Locale.ROOT) : null;
            if (language != null && !READABLE_LANGUAGES.contains(language)) {
                return "language " + language.toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    /** H2: {@code CREATE TRIGGER … CALL 'class'} or {@code … AS 'java source'} runs Java on every firing. */
    private static boolean javaTrigger(StatementText text) {
        return text.hasWord("CALL") || text.hasWord("AS");
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

    /** MariaDB accepts {@code DROP TABLES} and {@code RENAME TABLES} for DROP TABLE and RENAME TABLE. */
    private static String tablesAsTable(String objectType) {
        return "TABLES".equals(objectType) ? "TABLE" : objectType;
    }

    /** The name after the first top-level {@code keyword} from here on, or null; consumes nothing. */
    private static QualifiedName nameAfterTopLevel(TokenCursor c, String keyword) {
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
                    return c.acceptName();
                }
            }
            return null;
        } finally {
            c.reset(mark);
        }
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
    private static boolean bodyRunsDdl(StatementText text, String objectType, SqlSyntax syntax) {
        boolean inBody = false;
        List<Token> tokens = text.tokens();
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            // A literal is read as the server will: escapes (E'\x44ROP', U&'\0044ROP') decoded first.
            if (token.kind() == TokenKind.STRING && DynamicSql.literalMayRunDdl(tokens, i, text.source(), syntax)) {
                return true;
            }
            if (token.isWord(text.source(), "BEGIN")
                    || ("EVENT".equals(objectType) && token.isWord(text.source(), "DO"))) {   // MySQL: CREATE EVENT … DO stmt
                inBody = true;
            } else if (inBody && objectType != null && token.kind() == TokenKind.WORD
                    && DynamicSql.isDdlWord(token.text(text.source()))) {
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
            names.removeIf(Objects::isNull);
            return new DdlStatement(text, syntax, verb, objectType, names, table, actions, flags, opaque);
        }
    }
}
