package dev.ddlguard.sql;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * MySQL/MariaDB statements that reach past the session, read as DDL: {@code SET GLOBAL | PERSIST | PERSIST_ONLY}
 * (and {@code @@global.} spellings) change a setting of the whole server for every session, and outlive the
 * migration; {@code SET sql_log_bin} keeps the session's statements from the binary log (and so from replicas);
 * {@code SET PASSWORD} replaces an account's password, {@code SET DEFAULT ROLE} the roles its next sessions start with; {@code INSTALL | UNINSTALL PLUGIN | SONAME |
 * COMPONENT} loads or unloads code in the server; SHUTDOWN, and RESET | PURGE | CHANGE | STOP of the binary logs
 * or of replication, act on the server and its replicas. MariaDB's {@code SET STATEMENT … FOR statement} runs the statement
 * after FOR: the classifier reads that one ({@link #statementAssignments}), flagged when its assignments keep it
 * from the binary log. {@code SET skip_replication = 1} marks the session's statements for replicas to skip. Any other SET (session variables,
 * NAMES, a user variable) is not DDL.
 */
public final class ServerSettings {

    /** The scopes of an assignment that reach every session of the server. */
    private static final List<String> SERVER_SCOPES = List.of("GLOBAL", "PERSIST", "PERSIST_ONLY");

    private ServerSettings() {}

    /**
     * One assignment of a SET statement.
     *
     * @param variable the setting, lower case ({@code read_only})
     * @param scope GLOBAL, PERSIST, PERSIST_ONLY, SESSION, LOCAL, or null when none is written (the session's)
     * @param value the value as written, lower case and unquoted; null when it is an expression of several tokens
     */
    public record Assignment(String variable, String scope, String value) {

        public boolean serverWide() {
            return scope != null && SERVER_SCOPES.contains(scope);
        }

        /** Set to a value known to mean on (1, ON, TRUE) or to its DEFAULT; an expression or a variable is not known. */
        public boolean switchedOn() {
            return value != null && List.of("1", "on", "true", "default").contains(value);
        }

        /** sql_log_bin set to a value not known to be on: what follows is not written to the binary log. */
        public boolean keepsFromBinlog() {
            return variable.equals("sql_log_bin") && !switchedOn();
        }

        /**
         * Galera: wsrep_on set to a value not known to be on (the session's writes stay on this node), or
         * wsrep_OSU_method to one other than TOI (0, the default: RSU runs DDL on this node alone).
         */
        public boolean keepsOnThisNode() {
            return variable.equals("wsrep_on") && !switchedOn()
                    || variable.equals("wsrep_osu_method")
                            && !List.of("toi", "0", "default").contains(value);
        }

        /** Set to a value known to mean off (0, OFF, FALSE) or to its DEFAULT (of a setting off by default). */
        public boolean switchedOff() {
            return value != null && List.of("0", "off", "false", "default").contains(value);
        }
    }

    /**
     * MariaDB: at {@code STATEMENT var = value [, …] FOR}, reads the assignments and moves past FOR to the statement it
     * runs (to the end when there is no FOR: no statement follows, and none is not DDL).
     */
    static List<Assignment> statementAssignments(TokenCursor c) {
        c.next(); // STATEMENT
        List<Assignment> all = new ArrayList<>(2);
        List<Token> tokens = new ArrayList<>();
        int depth = 0;
        while (!c.atEnd()) {
            Token t = c.next();
            if (depth == 0 && (t.kind() == TokenKind.COMMA || t.isWord(c.sql(), "FOR"))) {
                Assignment a = assignment(tokens, c.sql());
                if (a != null) {
                    all.add(a);
                }
                if (t.kind() != TokenKind.COMMA) {
                    return all;
                }
                tokens = new ArrayList<>();
                continue;
            }
            depth += t.kind() == TokenKind.LEFT_PAREN ? 1 : t.kind() == TokenKind.RIGHT_PAREN ? -1 : 0;
            tokens.add(t);
        }
        return all;
    }

    /**
     * Whether the assignments keep statements out of the binary log: sql_log_bin set to a value not known to be on,
     * or (MariaDB) skip_replication set to a value not known to be off, which replicas that skip such events
     * ({@code replicate_events_marked_for_skip}) never apply; on a Galera cluster, wsrep_on set to a value not known
     * to be on (the session's writes stay on this node) or wsrep_OSU_method to one other than TOI (RSU: DDL runs on
     * this node alone).
     */
    public static boolean skipsBinlog(List<Assignment> assignments) {
        for (Assignment a : assignments) {
            if (a.keepsFromBinlog()
                    || a.variable().equals("skip_replication") && !a.switchedOff()
                    || a.keepsOnThisNode()) {
                return true;
            }
        }
        return false;
    }

    /** alter_algorithm's values (and old_alter_table's, its older spelling) that leave the server an online path. */
    private static final Set<String> ONLINE_ALGORITHMS = Set.of("default", "instant", "nocopy", "inplace");

    /**
     * Whether the assignments make the session's ALTER TABLEs copy the table: MariaDB's alter_algorithm, or
     * old_alter_table (MySQL too), set to COPY (1, ON) or to a value not known (an expression). Measured on MariaDB
     * 10.11 by an outside tester: with alter_algorithm = COPY even ALGORITHM=INSTANT without a LOCK clause copied
     * 1.5M rows, and OPTIMIZE TABLE blocked writes; the guard's rewrites, which add LOCK=NONE, stayed online.
     */
    public static boolean forcesCopy(List<Assignment> assignments) {
        for (Assignment a : assignments) {
            if (a.variable().equals("alter_algorithm") && !ONLINE_ALGORITHMS.contains(String.valueOf(a.value()))
                    || a.variable().equals("old_alter_table")
                            && !a.switchedOff()
                            && !ONLINE_ALGORITHMS.contains(String.valueOf(a.value()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * SET STATEMENT sql_log_bin = 0 FOR statement: the statement flagged {@link DdlStatement.Flag#NO_BINLOG}; one that is not DDL
     * (an INSERT) is read as the SET that keeps it from the binary log.
     */
    static DdlStatement withoutBinlog(DdlStatement inner, StatementText text, SqlSyntax syntax) {
        if (inner == null) {
            DdlStatementBuilder b = new DdlStatementBuilder(text, syntax, Verb.SET);
            b.objectType = "SQL_LOG_BIN";
            b.flags.add(DdlStatement.Flag.NO_BINLOG);
            return b.build();
        }
        return flagged(inner, text, syntax, DdlStatement.Flag.NO_BINLOG);
    }

    /** The statement SET STATEMENT … FOR runs, with a flag of what its assignments do to it. */
    static DdlStatement flagged(DdlStatement inner, StatementText text, SqlSyntax syntax, DdlStatement.Flag flag) {
        EnumSet<DdlStatement.Flag> flags = EnumSet.of(flag);
        flags.addAll(inner.flags());
        return new DdlStatement(
                text,
                syntax,
                inner.verb(),
                inner.objectType(),
                inner.names(),
                inner.table(),
                inner.actions(),
                flags,
                inner.opaque());
    }

    /** SET (after the word): DDL only when it reaches past the session; null otherwise. */
    static DdlStatement set(TokenCursor c, DdlStatementBuilder b) {
        if (b.syntax == SqlSyntax.ANSI) {
            return H2DatabaseSettings.set(c, b); // SET EXCLUSIVE, DATABASE_EVENT_LISTENER, REFERENTIAL_INTEGRITY
        }
        if (b.syntax != SqlSyntax.MYSQL) {
            return null; // PostgreSQL's SET acts on the session (ALTER SYSTEM is PostgreSQL's server-wide form)
        }
        if (c.acceptWord("PASSWORD")) {
            b.objectType = "PASSWORD"; // SET PASSWORD [FOR account] = …
            return b.build();
        }
        if (c.acceptWords("DEFAULT", "ROLE")) {
            b.objectType = "DEFAULT ROLE"; // SET DEFAULT ROLE {NONE | ALL | role, …} [FOR account, …]: at next login
            return b.build();
        }
        List<Assignment> assignments = assignments(c);
        if (assignments.stream().anyMatch(Assignment::serverWide)) {
            b.objectType = "GLOBAL";
        } else if (skipsBinlog(assignments)) {
            b.objectType = "SQL_LOG_BIN"; // the session's later statements may leave the binary log: replicas miss them
        } else if (forcesCopy(assignments)) {
            b.objectType = "ALTER_ALGORITHM"; // the session's later ALTER TABLEs copy the table
        }
        return b.objectType == null ? null : b.build();
    }

    /** INSTALL | UNINSTALL {PLUGIN name | SONAME 'library' | COMPONENT 'urn'} (after the word). */
    static DdlStatement plugin(TokenCursor c, DdlStatementBuilder b) {
        if (b.syntax != SqlSyntax.MYSQL) {
            return null;
        }
        Token kind = c.next();
        if (kind == null || kind.kind() != TokenKind.WORD) {
            return b.build(); // unanalyzable: could not read what it acts on
        }
        b.objectType = kind.text(c.sql()).toUpperCase(Locale.ROOT);
        Token name = c.peek();
        if (name != null && name.kind() == TokenKind.STRING) {
            String library = name.text(c.sql()); // SONAME 'auth_ed25519', COMPONENT 'file://…'
            String unquoted = library.length() >= 2 ? library.substring(1, library.length() - 1) : library;
            b.names.add(new QualifiedName(List.of(new Identifier(unquoted, true))));
        } else {
            Identifier plugin = c.acceptIdentifier();
            if (plugin != null) {
                b.names.add(new QualifiedName(List.of(plugin)));
            }
        }
        return b.build();
    }

    /** What replication and binary-log statements act on (after the verb), when they act on it. */
    private static final Set<String> ADMINISTERED = Set.of(
            "MASTER", "BINARY", "SLAVE", "REPLICA", "REPLICATION", "ALL", "GROUP_REPLICATION", "SLAVES", "REPLICAS");

    /**
     * SHUTDOWN, and RESET | PURGE | CHANGE | STOP of the binary logs or replication (after the verb): what it acts on
     * ({@code SERVER} for SHUTDOWN, else its first word: MASTER, BINARY, SLAVE, REPLICA, REPLICATION …); null for
     * anything else (MySQL's RESET QUERY CACHE, RESET PERSIST, PostgreSQL's RESET of a setting).
     */
    /**
     * MySQL's {@code BINLOG 'base64'} replays binary-log row events as mariadb-binlog prints them: they write any
     * table, the mysql schema's too (an outside tester's wrote a routine into mysql.proc, and its CALL dropped a table,
     * unrecorded). Unanalyzable; null elsewhere.
     */
    static DdlStatement binlog(DdlStatementBuilder b) {
        if (b.syntax != SqlSyntax.MYSQL) {
            return null;
        }
        b.opaque = "BINLOG replays binary-log events, which write any table (the mysql schema's too) unseen";
        return b.build();
    }

    static DdlStatement administration(TokenCursor c, DdlStatementBuilder b) {
        if (b.syntax == SqlSyntax.ANSI && b.verb == Verb.SHUTDOWN) {
            return H2DatabaseSettings.shutdown(b); // H2: closes the database for every connection
        }
        if (b.syntax != SqlSyntax.MYSQL) {
            return null;
        }
        if (b.verb == Verb.SHUTDOWN) {
            b.objectType = "SERVER";
            return b.build();
        }
        Token what = c.peek();
        String word = what == null || what.kind() != TokenKind.WORD
                ? ""
                : what.text(c.sql()).toUpperCase(Locale.ROOT);
        if (!ADMINISTERED.contains(word)) {
            return null;
        }
        b.objectType = word;
        return b.build();
    }

    /** The assignments of a SET statement, read from its text (for the rules). */
    public static List<Assignment> assignments(DdlStatement s) {
        TokenCursor c = new TokenCursor(s.text());
        c.next(); // SET
        return assignments(c);
    }

    /**
     * Reads {@code [scope] variable {= | :=} value [, …]} from the cursor to the end. A scope word or an
     * {@code @@scope.} prefix applies to its own assignment only, as MySQL reads it; {@code SET GLOBAL TRANSACTION …}
     * is an assignment of {@code transaction}.
     */
    private static List<Assignment> assignments(TokenCursor c) {
        List<Assignment> all = new ArrayList<>(2);
        while (!c.atEnd()) {
            List<Token> tokens = c.untilTopLevelComma();
            if (!c.atEnd()) {
                c.next(); // the comma, or a stray closing parenthesis
            }
            Assignment a = assignment(tokens, c.sql());
            if (a != null) {
                all.add(a);
            }
        }
        return all;
    }

    private static Assignment assignment(List<Token> tokens, String sql) {
        int i = 0;
        String scope = null;
        if (i < tokens.size()
                && tokens.get(i).kind() == TokenKind.WORD
                && isScope(tokens.get(i).text(sql))) {
            scope = tokens.get(i).text(sql).toUpperCase(Locale.ROOT);
            i++;
        } else if (i + 2 < tokens.size()
                && "@@".equals(tokens.get(i).text(sql))
                && tokens.get(i + 2).kind() == TokenKind.DOT
                && isScope(tokens.get(i + 1).text(sql))) {
            scope = tokens.get(i + 1).text(sql).toUpperCase(Locale.ROOT); // @@global.read_only
            i += 3;
        } else if (i < tokens.size() && "@@".equals(tokens.get(i).text(sql))) {
            scope = "SESSION"; // @@read_only: the session's value (of a global-only variable, an error)
            i++;
        }
        if (i >= tokens.size()) {
            return null;
        }
        Token name = tokens.get(i++);
        if (name.kind() != TokenKind.WORD && name.kind() != TokenKind.QUOTED_IDENTIFIER) {
            return null; // @user_variable = …: not a server setting
        }
        String variable = name.kind() == TokenKind.WORD
                ? name.text(sql).toLowerCase(Locale.ROOT)
                : Identifier.ofQuoted(name.text(sql)).text().toLowerCase(Locale.ROOT);
        String value = null;
        if (i + 2 == tokens.size() && tokens.get(i).kind() == TokenKind.OPERATOR) {
            Token v = tokens.get(i + 1);
            String text = v.text(sql);
            value = (v.kind() == TokenKind.STRING && text.length() >= 2 ? text.substring(1, text.length() - 1) : text)
                    .toLowerCase(Locale.ROOT);
        }
        return new Assignment(variable, scope, value);
    }

    private static boolean isScope(String word) {
        String w = word.toUpperCase(Locale.ROOT);
        return SERVER_SCOPES.contains(w) || w.equals("SESSION") || w.equals("LOCAL");
    }
}
