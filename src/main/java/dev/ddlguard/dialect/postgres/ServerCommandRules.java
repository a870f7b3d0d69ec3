package dev.ddlguard.dialect.postgres;

import dev.ddlguard.policy.Action;
import dev.ddlguard.rules.RoutineRules;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.rules.RuleContext;
import dev.ddlguard.rules.StatementWords;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.ForeignOptions;
import dev.ddlguard.sql.TokenCursor;
import dev.ddlguard.sql.Verb;
import java.util.List;

/**
 * Statements whose effect reaches past the migration to the whole server or database: a shell command, the server's
 * configuration, a function run at every DDL command.
 */
final class ServerCommandRules {

    private ServerCommandRules() {}

    /**
     * COPY reference page: "PROGRAM: a command to execute … executed by the shell" as the server's OS user; file_fdw's
     * {@code program} option runs one at every read of the foreign table (an outside tester's dropped a table through
     * psql so, every DDL step allowed).
     */
    static final Rule COPY_PROGRAM = Rule.builder("copy-program")
            .defaultAction(Action.BLOCK)
            .lock(
                    "none on the table beyond COPY's own; the shell command itself can do anything the server's OS user can")
            .reason("COPY … TO PROGRAM / FROM PROGRAM runs a shell command on the database server as its OS user, and "
                    + "so does every read of a file_fdw foreign table with a program option: it can drop files, the "
                    + "data directory, or run SQL through psql, and no guard sees what it does")
            .safeAlternative("copy to or from the client (COPY … TO STDOUT / FROM STDIN, psql's \\copy, pgjdbc's "
                    + "CopyManager) and run the command on the client side; give a file_fdw table a filename")
            .on(Verb.COPY, Verb.CREATE, Verb.ALTER)
            .matches((s, c) -> s.verb() == Verb.COPY && "PROGRAM".equals(s.objectType())
                    ? "runs a shell command on the server with COPY … PROGRAM"
                    : ForeignOptions.mayGive(s) && givesProgram(s)
                            ? "gives a foreign table a program option, a shell command file_fdw runs on the server at"
                                    + " every read"
                            : null)
            .build();

    /** A {@code program 'command'} option: the name followed by a string (a column named program has a type). */
    private static boolean givesProgram(DdlStatement s) {
        return !ForeignOptions.valuesOf(s.text(), "program", s.syntax()).isEmpty();
    }

    /** ALTER SYSTEM reference page: it writes postgresql.auto.conf and "cannot be executed inside a transaction block". */
    static final Rule ALTER_SYSTEM = Rule.builder("alter-system")
            .defaultAction(Action.BLOCK)
            .lock("none on tables; it rewrites the server's postgresql.auto.conf")
            .reason("ALTER SYSTEM changes the configuration of the whole server, every database and session of it, "
                    + "from its next reload or restart, and outlives the migration: a wrong value (shared_buffers, "
                    + "max_connections, listen_addresses) can keep the server from starting again; PostgreSQL also "
                    + "refuses it inside a transaction block, where a migration tool runs it")
            .safeAlternative("change server settings in the server's own configuration (postgresql.conf, the managed "
                    + "service's parameter group) through the operations change process; for the application's "
                    + "database or role only, ALTER DATABASE … SET or ALTER ROLE … SET")
            .on(Verb.ALTER)
            .matches((s, c) -> s.is(Verb.ALTER, "SYSTEM") ? "changes the server's configuration" : null)
            .build();

    /**
     * CREATE EVENT TRIGGER reference page and "Event Trigger Firing Matrix": the function runs for the event's commands
     * of every session of the database, superusers' too, inside each command's transaction; commands on event
     * triggers themselves do not fire them, so ALTER EVENT TRIGGER … DISABLE always works. A warning: auditing DDL is
     * a deliberate use. ALTER EVENT TRIGGER … ENABLE (REPLICA, ALWAYS) switches one on as creating it does.
     */
    static final Rule CREATE_EVENT_TRIGGER = Rule.builder("create-event-trigger")
            .defaultAction(Action.WARN)
            .lock("none on tables; its function then runs inside every DDL command of the database, in every session")
            .reason("an event trigger runs its function at the DDL commands of every session of the database "
                    + "(ddl_command_start | end, sql_drop, table_rewrite), superusers' included, inside each "
                    + "command's transaction: a function that raises an error stops every later schema change, the "
                    + "next migration's and its rollback's included, until a superuser disables it, and a slow one "
                    + "slows each")
            .safeAlternative("create it in a change of its own after testing the function on a copy of the database "
                    + "(a WHEN TAG IN (…) filter limits what it fires on), with an inline ddlguard:allow "
                    + "create-event-trigger comment; ALTER EVENT TRIGGER … DISABLE switches it off again")
            .on(Verb.CREATE, Verb.ALTER)
            .matches((s, c) -> !"EVENT TRIGGER".equals(s.objectType())
                            || s.names().isEmpty()
                    ? replacedEventTriggerFunction(s, c)
                    : s.verb() == Verb.CREATE
                            ? "creates event trigger " + s.names().get(0) + ", run at DDL commands of every session"
                            : enables(s)
                                    ? "enables event trigger " + s.names().get(0)
                                            + ", run at DDL commands of every session"
                                    : null)
            .build();

    /**
     * CREATE OR REPLACE FUNCTION of a function an event trigger runs: the new body runs at every session's DDL from
     * then on, as a new event trigger's would (an outside tester's replaced body refused the next CREATE TABLE). The
     * live catalog names the event triggers; offline nothing is known.
     */
    private static String replacedEventTriggerFunction(DdlStatement s, RuleContext c) {
        List<String> triggers = RoutineRules.replacedFunctionsDependents(s, c, d -> d.startsWith("event trigger "));
        return triggers.isEmpty()
                ? null
                : "replaces function " + s.names().get(0) + ", which " + String.join(", ", triggers)
                        + " runs at DDL commands of every session";
    }

    /** ALTER EVENT TRIGGER name ENABLE …: the word after the name (a trigger may be called "enable"). */
    private static boolean enables(DdlStatement s) {
        TokenCursor after = StatementWords.after(s, "EVENT", "TRIGGER");
        return after != null && after.acceptName() != null && after.acceptWord("ENABLE");
    }

    /** This pack's rules, in the order they are reported: a new rule of the pack is listed here. */
    static final List<Rule> ALL = List.of(COPY_PROGRAM, ALTER_SYSTEM, CREATE_EVENT_TRIGGER);
}
