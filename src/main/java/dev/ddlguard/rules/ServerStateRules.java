package dev.ddlguard.rules;

import dev.ddlguard.policy.Action;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.ServerSettings;
import dev.ddlguard.sql.ServerSettings.Assignment;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.TokenCursor;
import dev.ddlguard.sql.TokenKind;
import dev.ddlguard.sql.Verb;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Statements that change the state of a whole database or server rather than one object: no table lock, but every
 * session of the application is refused or loses its writes at once (a database closed to connections or made
 * read-only), or the server's data is put at risk (redo logging switched off).
 */
public final class ServerStateRules {

    private ServerStateRules() {}

    public static final Rule CLOSE_DATABASE = Rule.builder("close-database")
            .defaultAction(Action.BLOCK)
            .lock("none on tables; metadata only")
            .reason("a database closed to new connections (PostgreSQL ALLOW_CONNECTIONS false, CONNECTION LIMIT 0) "
                    + "or made read-only (MySQL READ ONLY = 1: every write and DDL of every session fails at once; "
                    + "PostgreSQL SET default_transaction_read_only for a database or role: every new session's "
                    + "writes fail), or a MySQL/MariaDB server made read-only or put offline (SET GLOBAL read_only, "
                    + "super_read_only, offline_mode: client sessions are refused or disconnected), or an H2 database "
                    + "put in exclusive mode (SET EXCLUSIVE: every other connection's statements wait, new ones are "
                    + "refused, 2 closes the others), stops the "
                    + "application as surely as a dropped database, from the commit on")
            .safeAlternative("close or freeze a database by hand in a maintenance window once nothing writes to it "
                    + "(pg_stat_activity, information_schema.PROCESSLIST), with an inline ddlguard:allow "
                    + "close-database comment saying so; to retire it, move the application first")
            .on(Verb.ALTER, Verb.SET)
            .matches((s, c) -> s.verb() != Verb.SET
                    ? closed(s, c.catalog())
                    : s.is(Verb.SET, "EXCLUSIVE") ? exclusive(s) : serverClosed(s))
            .build();

    /** MySQL/MariaDB: SET GLOBAL | PERSIST of any server setting (close-database names the ones that stop it). */
    public static final Rule SET_GLOBAL = Rule.builder("set-global")
            .defaultAction(Action.BLOCK)
            .lock("none on tables; a setting of the whole server")
            .reason("SET GLOBAL | PERSIST | PERSIST_ONLY changes a setting of the whole MySQL/MariaDB server for every "
                    + "new session (PERSIST also after a restart) and outlives the migration: a global sql_mode, "
                    + "time_zone, foreign_key_checks, autocommit or max_connections changes what every application's "
                    + "statements do, or whether they run at all; H2's SET REFERENTIAL_INTEGRITY FALSE (ALTER TABLE … "
                    + "SET REFERENTIAL_INTEGRITY FALSE: one table's) turns foreign-key checks off for every connection, "
                    + "and turning them on again does not check the rows written meanwhile")
            .safeAlternative("set it for the migration's own session only (SET SESSION …, or MariaDB's SET STATEMENT "
                    + "… FOR the one statement); change the server's configuration (my.cnf, the managed service's "
                    + "parameter group) through the operations change process")
            .on(Verb.SET, Verb.ALTER)
            .matches((s, c) -> "GLOBAL".equals(s.objectType()) ? "changes " + serverSettings(s) : h2ChecksOff(s))
            .build();

    /** MySQL manual, "INSTALL PLUGIN": the plugin's library is loaded into the server and its code runs there. */
    public static final Rule SERVER_PLUGIN = Rule.builder("server-plugin")
            .defaultAction(Action.BLOCK)
            .lock("none on tables; the server process itself")
            .reason("INSTALL PLUGIN | SONAME | COMPONENT (and CREATE FUNCTION … SONAME, a loadable function) loads a "
                    + "shared library into the server process, where its "
                    + "code runs with the server's rights for every database; UNINSTALL removes one that may be in "
                    + "use: a storage engine's tables become unreadable, an authentication plugin's users cannot log "
                    + "in, an audit plugin stops recording; H2's SET DATABASE_EVENT_LISTENER loads a Java class of the "
                    + "class path and runs it inside the database on its events")
            .safeAlternative("install or remove server plugins through the operations change process (plugin-load-add "
                    + "in the server's configuration, the managed service's options), not from a migration")
            .on(Verb.INSTALL, Verb.UNINSTALL, Verb.SET, Verb.CREATE)
            .matches((s, c) -> s.verb() == Verb.CREATE
                    ? loadableFunction(s)
                    : s.is(Verb.SET, "EVENT_LISTENER")
                            ? "loads class "
                                    + (s.names().isEmpty()
                                            ? "?"
                                            : s.names().get(0).name().text())
                                    + " into the H2 database as its event listener (SET DATABASE_EVENT_LISTENER)"
                            : s.verb() != Verb.INSTALL && s.verb() != Verb.UNINSTALL
                                    ? null // the matcher answers for itself, as every rule's (RuleDispatchTest), not
                                    // only by
                                    // its verbs
                                    : (s.verb() == Verb.INSTALL ? "loads " : "unloads ")
                                            + String.valueOf(s.objectType()).toLowerCase(Locale.ROOT)
                                            + (s.names().isEmpty()
                                                    ? ""
                                                    : " " + s.names().get(0))
                                            + " in the server")
            .build();

    /** MySQL 8.0.21+ manual, "Disabling Redo Logging": "intended only for loading data into a new MySQL instance". */
    public static final Rule DISABLE_REDO_LOG = Rule.builder("disable-redo-log")
            .defaultAction(Action.BLOCK)
            .lock("an exclusive backup lock: blocks other DDL and backups while it runs")
            .reason("ALTER INSTANCE DISABLE INNODB REDO_LOG turns off InnoDB's crash safety for the whole server: an "
                    + "unexpected stop (a crash, an OOM kill, a power loss) while it is off can leave the data files "
                    + "inconsistent and lose the instance's data; the manual means it only for loading a new instance")
            .safeAlternative("load data into a new instance that is not yet in production, and ENABLE INNODB "
                    + "REDO_LOG before it serves; on a production server keep redo logging on")
            .on(Verb.ALTER)
            .matches((s, c) -> s.is(Verb.ALTER, "INSTANCE") && StatementWords.has(s, "DISABLE", "INNODB", "REDO_LOG")
                    ? "disables InnoDB redo logging for the whole server"
                    : null)
            .build();

    private static final Set<Verb> ADMINISTRATION =
            Set.of(Verb.SHUTDOWN, Verb.RESET, Verb.PURGE, Verb.CHANGE, Verb.STOP);

    /** MySQL manual: SHUTDOWN, RESET MASTER / BINARY LOGS AND GTIDS, PURGE BINARY LOGS, CHANGE MASTER TO, STOP REPLICA. */
    public static final Rule SERVER_ADMINISTRATION = Rule.builder("server-administration")
            .defaultAction(Action.BLOCK)
            .lock("none on tables; the server, its binary logs or its replication")
            .reason("none of these is a schema change, and each takes something down for everyone: SHUTDOWN stops the "
                    + "server (H2's: closes the database for every connection); RESET MASTER and PURGE BINARY LOGS delete binary logs (a replica that has not read them "
                    + "stops, point-in-time recovery loses them); RESET, STOP or CHANGE of replication leaves the "
                    + "replicas behind or pointing elsewhere")
            .safeAlternative("leave server and replication administration to the operations change process (the "
                    + "managed service's console, the DBA's runbook); a migration changes the schema only")
            .on(Verb.SHUTDOWN, Verb.RESET, Verb.PURGE, Verb.CHANGE, Verb.STOP)
            .matches((s, c) -> ADMINISTRATION.contains(s.verb()) && s.objectType() != null ? administered(s) : null)
            .build();

    /**
     * MySQL manual, sql_log_bin: "the session's statements are not written to the binary log"; MariaDB's SET STATEMENT
     * sql_log_bin = 0 FOR (accepted by 10.11) does the same for one statement. MariaDB manual, skip_replication: events
     * of a session with it set are flagged, and a replica with replicate_events_marked_for_skip = DONT_REPLICATE or
     * FILTER_ON_MASTER never applies them (10.11 refuses it in SET STATEMENT, error 1971).
     */
    public static final Rule SKIP_BINLOG = Rule.builder("skip-binlog")
            .defaultAction(Action.BLOCK)
            .lock("none on tables")
            .reason("SET sql_log_bin = 0 keeps the session's later statements out of the binary log (MariaDB's SET "
                    + "STATEMENT sql_log_bin = 0 FOR the one statement), and MariaDB's SET skip_replication = 1 marks "
                    + "them for replicas to skip: the migration's changes never reach the replicas, which then differ "
                    + "from the primary (and fail on the next statement that touches what they lack), and "
                    + "point-in-time recovery from the logs loses them")
            .safeAlternative("let the migration's statements replicate; to keep one statement from a replica on "
                    + "purpose, do it on the replica by hand, in the operations change process")
            .matches((s, c) -> s.has(DdlStatement.Flag.NO_BINLOG)
                    ? "runs " + (s.verb() == Verb.SET ? "its statement" : s.summary())
                            + " with sql_log_bin set to a value not known to be 1 (SET STATEMENT … FOR): it never "
                            + "reaches the binary log"
                    : s.is(Verb.SET, "SQL_LOG_BIN") && ServerSettings.skipsBinlog(ServerSettings.assignments(s))
                            ? "keeps the session's statements out of the binary log or from replicas (sql_log_bin set "
                                    + "to a value not known to be 1, skip_replication to one not known to be 0, or "
                                    + "Galera's wsrep_on off or wsrep_OSU_method = RSU)"
                            : null)
            .build();

    /**
     * PostgreSQL's per-database and per-role defaults: the counterpart of MySQL's SET GLOBAL, applied by every session
     * that connects afterwards. An outside tester's {@code ALTER DATABASE app SET search_path = nowhere} and {@code
     * ALTER ROLE app IN DATABASE app SET statement_timeout = '1ms'} passed unjudged. The settings other rules judge
     * (default_transaction_read_only: close-database; session_replication_role: disable-trigger) are left to them.
     */
    public static final Rule SESSION_DEFAULTS = Rule.builder("session-defaults")
            .defaultAction(Action.WARN)
            .lock("none on tables; the defaults of every new session")
            .reason("ALTER DATABASE | ROLE … SET (or RESET) changes a setting for every session that connects "
                    + "afterwards, the application's included, and ALTER FUNCTION | PROCEDURE … SET for every call: "
                    + "a search_path, statement_timeout, TimeZone or DateStyle changes what its queries find (a "
                    + "function an index or a default uses may no longer find what it calls, and every insert "
                    + "fails), how long they may run and what they return, with nothing in its code to show it")
            .safeAlternative("set it for the migration's own session (SET, SET LOCAL); change an application's "
                    + "session defaults in its connection settings (the URL's options, the pool's init SQL), where "
                    + "its code review sees them; if the default is meant, say so with an inline ddlguard:allow "
                    + "session-defaults comment")
            .on(Verb.ALTER)
            .matches((s, c) -> sessionDefaults(s))
            .build();

    public static final List<Rule> ALL = List.of(
            CLOSE_DATABASE,
            DISABLE_REDO_LOG,
            SET_GLOBAL,
            SERVER_PLUGIN,
            SERVER_ADMINISTRATION,
            SKIP_BINLOG,
            SESSION_DEFAULTS);

    /**
     * MySQL's and MariaDB's {@code CREATE [OR REPLACE] [AGGREGATE] FUNCTION [IF NOT EXISTS] f RETURNS type SONAME
     * 'library'} (a "loadable function", once "UDF"): "loads a function from library 'x.so' into the server", or
     * null. Read from the grammar (SONAME right after the one-word return type), not from the word alone: a stored
     * function may be called soname.
     */
    private static String loadableFunction(DdlStatement s) {
        boolean function = s.is(Verb.CREATE, "FUNCTION") || s.is(Verb.CREATE, "AGGREGATE");
        TokenCursor library = function && s.syntax() == SqlSyntax.MYSQL ? StatementWords.after(s, "RETURNS") : null;
        if (library == null || library.next() == null || !library.acceptWord("SONAME")) {
            return null;
        }
        Token name = library.peek();
        return "loads a function from library "
                + (name == null ? "?" : name.text(library.sql()))
                + " into the server (CREATE FUNCTION … SONAME)";
    }

    /** Settings other rules judge when a database or role default changes them. */
    private static final Set<String> JUDGED_ELSEWHERE =
            Set.of("default_transaction_read_only", "session_replication_role");

    /** "sets search_path for every new session of database app", or null. */
    private static String sessionDefaults(DdlStatement s) {
        boolean database = s.is(Verb.ALTER, "DATABASE");
        boolean role = s.is(Verb.ALTER, "ROLE") || s.is(Verb.ALTER, "USER");
        boolean routine = s.is(Verb.ALTER, "FUNCTION") || s.is(Verb.ALTER, "PROCEDURE") || s.is(Verb.ALTER, "ROUTINE");
        if (s.syntax() != SqlSyntax.POSTGRESQL
                || !database && !role && !routine
                || s.names().isEmpty()) {
            return null;
        }
        for (String verb : List.of("SET", "RESET")) {
            for (TokenCursor c : StatementWords.afterEach(s, verb)) {
                Token name = c.peek();
                if (name == null || (name.kind() != TokenKind.WORD && name.kind() != TokenKind.QUOTED_IDENTIFIER)) {
                    continue;
                }
                String setting = name.kind() == TokenKind.QUOTED_IDENTIFIER
                        ? Identifier.ofQuoted(name.text(c.sql())).text()
                        : name.text(c.sql());
                String lower = setting.toLowerCase(Locale.ROOT);
                if (lower.equals("tablespace") || lower.equals("schema") || JUDGED_ELSEWHERE.contains(lower)) {
                    continue; // SET TABLESPACE moves it (table-rewrite), SET SCHEMA a routine (set-schema); others:
                    // above
                }
                String whose = database
                        ? "every new session of database " + s.names().get(0)
                        : routine
                                ? "every call of " + s.objectType().toLowerCase(Locale.ROOT) + " "
                                        + s.names().get(0)
                                : s.names().get(0).toString().equalsIgnoreCase("ALL")
                                        ? "every new session of every role"
                                        : "every new session of "
                                                + s.objectType().toLowerCase(Locale.ROOT) + " "
                                                + s.names().get(0);
                return (verb.equals("SET") ? "sets " : "resets ")
                        + (lower.equals("all") && verb.equals("RESET") ? "every setting" : setting)
                        + " for " + whose;
            }
        }
        return null;
    }

    /**
     * "stops the server (SHUTDOWN)", "deletes binary logs (PURGE BINARY)": the verb and its object only, never the
     * statement's text (CHANGE MASTER TO holds MASTER_PASSWORD).
     */
    private static String administered(DdlStatement s) {
        String written = s.verb() + (s.verb() == Verb.SHUTDOWN ? "" : " " + s.objectType());
        String what = switch (s.verb()) {
            case SHUTDOWN ->
                s.objectType().equals("DATABASE") ? "closes the database for every connection" : "stops the server";
            case PURGE -> "deletes binary logs";
            case RESET ->
                s.objectType().equals("MASTER") || s.objectType().equals("BINARY")
                        ? "deletes every binary log"
                        : "resets replication";
            case STOP -> "stops replication";
            default -> "changes replication";
        };
        return what + " (" + written + ")";
    }

    /** H2's SET EXCLUSIVE 1 | 2: "puts the database in exclusive mode …". */
    private static String exclusive(DdlStatement s) {
        boolean closes = !s.names().isEmpty() && s.names().get(0).name().text().equals("2");
        return "puts the H2 database in exclusive mode: every other connection's statements wait and new connections "
                + "are refused" + (closes ? ", and every other connection is closed" : "") + " (SET EXCLUSIVE)";
    }

    /** H2: SET REFERENTIAL_INTEGRITY FALSE, ALTER TABLE t SET REFERENTIAL_INTEGRITY FALSE; null for anything else. */
    private static String h2ChecksOff(DdlStatement s) {
        if (s.is(Verb.SET, "DATABASE_SETTING") && !s.names().isEmpty()) {
            return "changes " + s.names().get(0).name().text() + ", a setting of the whole H2 database, for every "
                    + "connection";
        }
        if (s.is(Verb.SET, "REFERENTIAL_INTEGRITY")) {
            return "turns foreign-key checks off for every connection of the database (SET REFERENTIAL_INTEGRITY)";
        }
        if (s.syntax() == SqlSyntax.ANSI && s.is(Verb.ALTER, "TABLE")) {
            TokenCursor c = StatementWords.after(s, "SET", "REFERENTIAL_INTEGRITY");
            if (c != null && !c.atEnd() && (c.peekWord("FALSE") || c.peekWord("OFF"))) {
                return "turns foreign-key checks of table " + s.table() + " off for every connection (SET "
                        + "REFERENTIAL_INTEGRITY FALSE)";
            }
        }
        return null;
    }

    /** MySQL/MariaDB settings whose server-wide value refuses or disconnects the application's sessions. */
    private static final List<String> READ_ONLY_SETTINGS = List.of("read_only", "super_read_only", "innodb_read_only");

    /** "makes the whole server read-only for every session (SET GLOBAL read_only)", or null. */
    private static String serverClosed(DdlStatement s) {
        for (Assignment a : ServerSettings.assignments(s)) {
            if (!a.serverWide() || !BooleanValues.isTrue(a.value())) {
                continue;
            }
            if (READ_ONLY_SETTINGS.contains(a.variable())) {
                return "makes the whole server read-only for every session (SET " + a.scope() + " " + a.variable()
                        + ")";
            }
            if (a.variable().equals("offline_mode")) {
                return "puts the server offline: every client session without CONNECTION_ADMIN is disconnected and "
                        + "refused (SET " + a.scope() + " offline_mode)";
            }
        }
        return null;
    }

    /** "the server-wide settings sql_mode, time_zone (GLOBAL)". */
    private static String serverSettings(DdlStatement s) {
        List<String> names = ServerSettings.assignments(s).stream()
                .filter(Assignment::serverWide)
                .map(a -> a.variable() + " (" + a.scope() + ")")
                .toList();
        return (names.size() == 1 ? "the server-wide setting " : "the server-wide settings ")
                + String.join(", ", names);
    }

    /** "closes database app to new connections (ALLOW_CONNECTIONS false)", or null. */
    private static String closed(DdlStatement s, Catalog catalog) {
        boolean database = s.is(Verb.ALTER, "DATABASE") || s.is(Verb.ALTER, "SCHEMA");
        boolean role = s.is(Verb.ALTER, "ROLE") || s.is(Verb.ALTER, "USER");
        if (!database && !role || s.names().isEmpty()) {
            return null;
        }
        String name = s.names().get(0).toString();
        // MySQL: ALTER DATABASE READ ONLY = 1 names no database (the current one); READ is read as its name
        String what = database && name.equalsIgnoreCase("READ")
                ? "the current database"
                : (database ? "database " : s.objectType().toLowerCase(Locale.ROOT) + " ") + name;
        String readOnly = StatementWords.settingValue(s, "default_transaction_read_only", catalog);
        if (BooleanValues.isTrue(readOnly) || StatementWords.UNKNOWN_CURRENT.equals(readOnly)) {
            return "makes every new session of " + what + " read-only (default_transaction_read_only"
                    + (BooleanValues.isTrue(readOnly) ? ")" : " FROM CURRENT: " + readOnly + ")");
        }
        if (!database) {
            return null;
        }
        // the option names are IDENTs to PostgreSQL's grammar: quoted, or CONNECTION_LIMIT for CONNECTION LIMIT
        if (BooleanValues.isFalse(
                StatementWords.valueAt(StatementWords.afterOption(s, "ALLOW_CONNECTIONS"), s.syntax()))) {
            return "closes " + what + " to new connections (ALLOW_CONNECTIONS false)";
        }
        TokenCursor limit = StatementWords.after(s, "CONNECTION", "LIMIT");
        TokenCursor at = limit != null ? limit : StatementWords.afterOption(s, "CONNECTION_LIMIT");
        if ("0".equals(StatementWords.valueAt(at, s.syntax()))) { // 0, +0, -0, 00
            return "closes " + what + " to new connections (CONNECTION LIMIT 0)";
        }
        // MySQL 8.0.22+: ALTER {DATABASE | SCHEMA} [name] READ ONLY [=] {DEFAULT | 0 | 1}
        return "1".equals(value(s, "READ", "ONLY")) ? "makes " + what + " read-only for every session" : null;
    }

    /** The value after the words and an optional = or TO, lower case and unquoted; null when there is none. */
    private static String value(DdlStatement s, String... words) {
        return StatementWords.valueAt(StatementWords.after(s, words), s.syntax());
    }
}
