package dev.ddlguard.dialect.postgres;

import dev.ddlguard.policy.Action;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.sql.Verb;
import java.util.List;

/** Statements that run something other than SQL on the database server. */
final class ServerCommandRules {

    private ServerCommandRules() {}

    /** COPY reference page: "PROGRAM: a command to execute … executed by the shell" as the server's OS user. */
    static final Rule COPY_PROGRAM = Rule.builder("copy-program")
            .defaultAction(Action.BLOCK)
            .lock(
                    "none on the table beyond COPY's own; the shell command itself can do anything the server's OS user can")
            .reason("COPY … TO PROGRAM / FROM PROGRAM runs a shell command on the database server as its OS user: "
                    + "it can drop files, the data directory or anything else, and no guard sees what it does")
            .safeAlternative("copy to or from the client (COPY … TO STDOUT / FROM STDIN, psql's \\copy, pgjdbc's "
                    + "CopyManager) and run the command on the client side")
            .on(Verb.COPY)
            .matches((s, c) -> s.verb() == Verb.COPY && "PROGRAM".equals(s.objectType())
                    ? "runs a shell command on the server with COPY … PROGRAM"
                    : null)
            .build();

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

    /** This pack's rules, in the order they are reported: a new rule of the pack is listed here. */
    static final List<Rule> ALL = List.of(COPY_PROGRAM, ALTER_SYSTEM);
}
