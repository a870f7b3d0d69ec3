package dev.ddlguard.rules;

import dev.ddlguard.policy.Action;
import dev.ddlguard.sql.DdlStatement;
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

    /** How PostgreSQL and MySQL spell a boolean false and true (PostgreSQL's parse_bool accepts prefixes too). */
    private static final Set<String> FALSE = Set.of("false", "off", "0", "no", "n", "f");

    private static final Set<String> TRUE = Set.of("true", "on", "1", "yes", "y", "t");

    public static final Rule CLOSE_DATABASE = Rule.builder("close-database")
            .defaultAction(Action.BLOCK)
            .lock("none on tables; metadata only")
            .reason("a database closed to new connections (PostgreSQL ALLOW_CONNECTIONS false, CONNECTION LIMIT 0) "
                    + "or made read-only (MySQL READ ONLY = 1: every write and DDL of every session fails at once; "
                    + "PostgreSQL SET default_transaction_read_only for a database or role: every new session's "
                    + "writes fail) stops the application as surely as a dropped database, from the commit on")
            .safeAlternative("close or freeze a database by hand in a maintenance window once nothing writes to it "
                    + "(pg_stat_activity, information_schema.PROCESSLIST), with an inline ddlguard:allow "
                    + "close-database comment saying so; to retire it, move the application first")
            .on(Verb.ALTER)
            .matches((s, c) -> closed(s))
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

    public static final List<Rule> ALL = List.of(CLOSE_DATABASE, DISABLE_REDO_LOG);

    /** "closes database app to new connections (ALLOW_CONNECTIONS false)", or null. */
    private static String closed(DdlStatement s) {
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
        if (isOneOf(value(s, "SET", "DEFAULT_TRANSACTION_READ_ONLY"), TRUE)) {
            return "makes every new session of " + what + " read-only (default_transaction_read_only)";
        }
        if (!database) {
            return null;
        }
        if (isOneOf(value(s, "ALLOW_CONNECTIONS"), FALSE)) {
            return "closes " + what + " to new connections (ALLOW_CONNECTIONS false)";
        }
        if ("0".equals(value(s, "CONNECTION", "LIMIT"))) {
            return "closes " + what + " to new connections (CONNECTION LIMIT 0)";
        }
        // MySQL 8.0.22+: ALTER {DATABASE | SCHEMA} [name] READ ONLY [=] {DEFAULT | 0 | 1}
        return "1".equals(value(s, "READ", "ONLY")) ? "makes " + what + " read-only for every session" : null;
    }

    /** The value after the words and an optional = or TO, lower case and unquoted; null when there is none. */
    private static String value(DdlStatement s, String... words) {
        TokenCursor c = StatementWords.after(s, words);
        if (c == null) {
            return null;
        }
        if (!c.atEnd()
                && c.peek().kind() == TokenKind.OPERATOR
                && "=".equals(c.peek().text(c.sql()))) {
            c.next();
        } else {
            c.acceptWord("TO");
        }
        if (c.atEnd()) {
            return null;
        }
        String v = c.peek().text(c.sql());
        if (c.peek().kind() == TokenKind.STRING && v.length() >= 2) {
            v = v.substring(1, v.length() - 1);
        }
        return v.toLowerCase(Locale.ROOT);
    }

    private static boolean isOneOf(String value, Set<String> values) {
        return value != null && values.contains(value);
    }
}
