package dev.ddlguard.cli.lint;

import dev.ddlguard.sql.StatementText;
import dev.ddlguard.sql.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the statements of a file have done to their session so far: whether a transaction block is
 * open (the tool's own, or the script's BEGIN … COMMIT), whether a lock timeout is set, and (MySQL/MariaDB) the
 * isolation level the session reads under.
 */
final class SessionState {

    private static final Pattern PG_SET =
            Pattern.compile("(?i)SET\\s+(SESSION\\s+|LOCAL\\s+)?LOCK_TIMEOUT\\s*(?:=|TO)\\s*(.+)");
    private static final Pattern PG_RESET = Pattern.compile("(?i)RESET\\s+(LOCK_TIMEOUT|ALL)");
    private static final Pattern PG_SET_CONFIG = Pattern.compile(
            "(?i)SELECT\\s+(?:PG_CATALOG\\.)?SET_CONFIG\\s*\\(\\s*'lock_timeout'\\s*,\\s*('[^']*')\\s*,\\s*(TRUE|FALSE)\\s*\\).*");
    private static final Pattern MYSQL_SET = Pattern.compile(
            "(?i)(?:^SET\\s+|,\\s*)(?:SESSION\\s+|LOCAL\\s+|@@SESSION\\.|@@LOCAL\\.|@@)?LOCK_WAIT_TIMEOUT\\s*:?=\\s*([^\\s,]+)");
    /** Zero disables PostgreSQL's lock_timeout, and DEFAULT restores the server's default, which is zero. */
    private static final Pattern NO_TIMEOUT =
            Pattern.compile("(?i)'?\\s*(0+(\\.0*)?\\s*(us|ms|s|min|h|d)?|DEFAULT)\\s*'?");

    private static final Pattern MENTIONS_TIMEOUT = Pattern.compile("(?i)lock_(wait_)?timeout");

    /**
     * MySQL/MariaDB: the session's isolation level, as a statement or a variable sets it. Not GLOBAL (other sessions),
     * not {@code SET TRANSACTION …} or {@code SET @@transaction_isolation} without a scope: those set the next
     * transaction's only, and do not reach a CREATE TABLE … SELECT after its implicit commit.
     */
    private static final Pattern MYSQL_ISOLATION = Pattern.compile(
            "(?i)SET\\s+SESSION\\s+TRANSACTION\\s+ISOLATION\\s+LEVEL\\s+(READ\\s+COMMITTED|READ\\s+UNCOMMITTED|REPEATABLE\\s+READ|SERIALIZABLE)\\b.*"
                    + "|SET\\s+(?:SESSION\\s+|LOCAL\\s+|@@SESSION\\.|@@LOCAL\\.)?(?:TX|TRANSACTION)_ISOLATION\\s*:?=\\s*'([A-Z -]+)'.*");

    private static final Pattern MENTIONS_ISOLATION = Pattern.compile("(?i)isolation");

    /** PostgreSQL: what sets the search path ({@code SET SCHEMA 'x'} is its alias); group 2 is the value. */
    private static final Pattern PG_SEARCH_PATH =
            Pattern.compile("(?i)SET\\s+(SESSION\\s+|LOCAL\\s+)?(?:SEARCH_PATH\\s*(?:=|TO)|SCHEMA)\\s*(.+)");

    private static final Pattern PG_SEARCH_PATH_CONFIG = Pattern.compile(
            "(?i)SELECT\\s+(?:PG_CATALOG\\.)?SET_CONFIG\\s*\\(\\s*'search_path'\\s*,\\s*'([^']*)'\\s*,\\s*(TRUE|FALSE)\\s*\\).*");

    private static final Pattern PG_RESET_SEARCH_PATH = Pattern.compile("(?i)RESET\\s+(SEARCH_PATH|ALL)");

    private static final Pattern MENTIONS_SCHEMA = Pattern.compile("(?i)search_path|\\bSCHEMA\\b");

    /**
     * PostgreSQL: what sets the session's time zone ({@code SET TIME ZONE x}, {@code SET TimeZone = x}); group 2 is the
     * value. The time zone decides whether timestamp ↔ timestamptz rewrites the table.
     */
    private static final Pattern PG_TIME_ZONE =
            Pattern.compile("(?is)SET\\s+(SESSION\\s+|LOCAL\\s+)?(?:TIME\\s+ZONE|TIMEZONE\\s*(?:=|TO))\\s*(.+)");

    private static final Pattern MENTIONS_TIME_ZONE = Pattern.compile("(?i)time\\s*zone");

    /** MySQL/MariaDB: {@code USE db}. */
    private static final Pattern MYSQL_USE = Pattern.compile("(?i)USE\\s+(`[^`]+`|[A-Za-z0-9_$]+)\\s*");

    /** A plain first element of a search path: an unquoted name (folded), a quoted one (as written). */
    private static final Pattern FIRST_SCHEMA =
            Pattern.compile("\\s*(?:([A-Za-z_][A-Za-z0-9_$]*)|\"([^\"]+)\")\\s*(?:,.*)?");

    /** A SET of the global level or of the next transaction's only: the session's own level stays as it was. */
    private static final Pattern OTHER_SCOPE = Pattern.compile(
            "(?i)SET\\s+(?:GLOBAL\\s+|@@GLOBAL\\.|PERSIST\\s+|PERSIST_ONLY\\s+)(?:TRANSACTION\\s|TX_ISOLATION|TRANSACTION_ISOLATION)[^,]*"
                    + "|SET\\s+TRANSACTION\\s[^,]*"
                    + "|SET\\s+@@(?:TX|TRANSACTION)_ISOLATION\\s*:?=[^,]*");

    private final boolean mysql;
    private boolean toolTransaction;
    private boolean explicitTransaction;
    private boolean lockTimeout;
    private boolean localLockTimeout;
    private String isolation;
    /** The schema unqualified names resolve in, as {@link #schema()} answers it. */
    private String schema;
    /** Whether the open transaction changed the schema (SET LOCAL, or a SET a ROLLBACK takes back). */
    private boolean schemaChangedInTransaction;
    /** PostgreSQL: the time zone the file set for its session, as written (Europe/Berlin, UTC); null: not known. */
    private String timeZone;
    /** Whether the open transaction set the time zone (SET LOCAL, or a SET a ROLLBACK takes back). */
    private boolean timeZoneChangedInTransaction;
    /** Numbers each schema lint cannot name, so that no two of them are taken for the same. */
    private int unknownSchemas;

    SessionState(boolean mysql) {
        this.mysql = mysql;
    }

    /** A new unit of the tool (a file, a changeset): its own transaction, or none. */
    void startUnit(boolean inTransaction) {
        toolTransaction = inTransaction;
        explicitTransaction = false;
        localLockTimeout = false;
    }

    /** MySQL and MariaDB commit implicitly before every DDL statement, so DDL never runs inside a transaction there. */
    boolean inTransaction() {
        return !mysql && (toolTransaction || explicitTransaction);
    }

    boolean lockTimeoutSet() {
        return lockTimeout || localLockTimeout;
    }

    /** MySQL/MariaDB: the isolation level the file set for its session (READ-COMMITTED, …), or null: the server's default. */
    String isolation() {
        return isolation;
    }

    /** PostgreSQL: the time zone the file set for the session, or null: the session's own, which lint does not know. */
    String timeZone() {
        return timeZone;
    }

    /**
     * The schema (PostgreSQL) or database (MySQL/MariaDB) an unqualified name resolves in, as the server spells it:
     * null for the session's default, which lint does not know; a name starting with a NUL character for a schema
     * lint cannot name (set from a value it does not read), unlike any other.
     */
    String schema() {
        return schema;
    }

    /** Takes note of what a statement does to the session, after it ran. */
    void after(StatementText statement, boolean ddl) {
        List<String> words = leadingWords(statement, 2);
        String first = words.isEmpty() ? "" : words.get(0);
        String second = words.size() > 1 ? words.get(1) : "";
        if ((first.equals("BEGIN") && !second.equals("NOT"))
                || (first.equals("START") && second.equals("TRANSACTION"))) {
            explicitTransaction = true;
        } else if (first.equals("END")
                || first.equals("ABORT")
                || (first.equals("COMMIT") && !second.equals("PREPARED"))
                || (first.equals("ROLLBACK") && !second.equals("TO") && !second.equals("PREPARED"))
                || (first.equals("PREPARE") && second.equals("TRANSACTION"))
                || (mysql && ddl)) {
            explicitTransaction = false;
            localLockTimeout = false;
            if (timeZoneChangedInTransaction) {
                timeZone = null; // SET LOCAL ends, a ROLLBACK takes a SET back: the session's own is not known
                timeZoneChangedInTransaction = false;
            }
            if (schemaChangedInTransaction) {
                schema =
                        unknownSchema(); // SET LOCAL ends, a ROLLBACK takes a SET back: which one, lint does not follow
                schemaChangedInTransaction = false;
            }
        } else if (mysql && first.equals("USE")) {
            Matcher use = MYSQL_USE.matcher(code(statement));
            schema = use.matches() ? use.group(1).replace("`", "") : unknownSchema();
        } else if (!mysql
                && (first.equals("SET") || first.equals("SELECT") || first.equals("RESET"))
                && MENTIONS_SCHEMA.matcher(statement.text()).find()) {
            searchPath(code(statement));
        } else if (!mysql
                && (first.equals("SET") || first.equals("RESET"))
                && MENTIONS_TIME_ZONE.matcher(statement.text()).find()) {
            timeZone(code(statement));
        } else if (mysql
                && first.equals("SET")
                && MENTIONS_ISOLATION.matcher(statement.text()).find()) {
            isolation = isolationAfter(code(statement));
        } else if (first.equals("RESET")
                || ((first.equals("SET") || first.equals("SELECT"))
                        && MENTIONS_TIMEOUT.matcher(statement.text()).find())) {
            settings(code(statement)); // only then: most SELECTs and SETs are about something else
        }
    }

    /**
     * The session's isolation level after a SET that mentions isolation: the level one recognised session assignment
     * gives; unchanged after what sets only other sessions' (GLOBAL) or the next transaction's (SET TRANSACTION, an
     * unscoped {@code @@}); otherwise null, the server's default as far as lint knows (DEFAULT, a value read from a
     * variable, several assignments): a copy after it is judged, not let through.
     */
    private String isolationAfter(String code) {
        Matcher m = MYSQL_ISOLATION.matcher(code);
        if (m.matches() && code.indexOf(',') < 0) {
            String level = m.group(1) != null ? m.group(1) : m.group(2);
            return level.strip().toUpperCase(Locale.ROOT).replaceAll("[\\s-]+", "-");
        }
        return OTHER_SCOPE.matcher(code).matches() ? isolation : null;
    }

    /** PostgreSQL: the schema after a statement that mentions the search path. */
    private void searchPath(String code) {
        Matcher set = PG_SEARCH_PATH.matcher(code);
        Matcher config = PG_SEARCH_PATH_CONFIG.matcher(code);
        String value;
        boolean local;
        if (set.matches()) {
            value = set.group(2);
            local = set.group(1) != null && set.group(1).strip().equalsIgnoreCase("LOCAL");
        } else if (config.matches()) {
            value = "'" + config.group(1) + "'";
            local = config.group(2).equalsIgnoreCase("TRUE");
        } else if (PG_RESET_SEARCH_PATH.matcher(code).matches()) {
            schema = null;
            schemaChangedInTransaction |= inTransaction();
            return;
        } else {
            return; // a SELECT that only reads it (current_setting('search_path')), or another SET
        }
        if (local && !inTransaction()) {
            return; // SET LOCAL outside a transaction has no effect
        }
        value = value.strip();
        if (value.equalsIgnoreCase("DEFAULT")) {
            schema = null;
        } else {
            if (value.startsWith("'") && value.endsWith("'") && value.length() > 1) {
                value = value.substring(1, value.length() - 1);
            }
            Matcher first = FIRST_SCHEMA.matcher(value);
            schema = !first.matches()
                    ? unknownSchema() // "$user", an expression: lint cannot name it
                    : first.group(1) != null ? first.group(1).toLowerCase(Locale.ROOT) : first.group(2);
        }
        schemaChangedInTransaction |= inTransaction();
    }

    /**
     * PostgreSQL: the time zone after a SET or RESET of it: the value as written (unquoted), or null where lint cannot
     * tell (RESET, DEFAULT, LOCAL, an INTERVAL offset). SET LOCAL outside a transaction block changes nothing.
     */
    private void timeZone(String code) {
        Matcher set = PG_TIME_ZONE.matcher(code.strip());
        boolean local =
                set.matches() && set.group(1) != null && set.group(1).strip().equalsIgnoreCase("LOCAL");
        if (local && !inTransaction()) {
            return;
        }
        String value = set.matches() ? set.group(2).strip() : "";
        if (value.length() > 1 && value.startsWith("'") && value.endsWith("'")) {
            value = value.substring(1, value.length() - 1);
        }
        boolean known = !value.isEmpty()
                && !value.equalsIgnoreCase("DEFAULT")
                && !value.equalsIgnoreCase("LOCAL")
                && !value.regionMatches(true, 0, "INTERVAL", 0, 8);
        timeZone = known ? value : null;
        timeZoneChangedInTransaction |= inTransaction();
    }

    private String unknownSchema() {
        return "\0" + ++unknownSchemas;
    }

    private void settings(String code) {
        if (mysql) {
            Matcher m = MYSQL_SET.matcher(code);
            if (m.find()) {
                lockTimeout = !m.group(1).equalsIgnoreCase("DEFAULT");
            }
            return;
        }
        Matcher set = PG_SET.matcher(code);
        Matcher config = PG_SET_CONFIG.matcher(code);
        if (set.matches()) {
            record(set.group(1) != null && set.group(1).strip().equalsIgnoreCase("LOCAL"), set.group(2));
        } else if (config.matches()) {
            record(config.group(2).equalsIgnoreCase("TRUE"), config.group(1));
        } else if (PG_RESET.matcher(code).matches()) {
            lockTimeout = false;
            localLockTimeout = false;
        }
    }

    private void record(boolean local, String value) {
        boolean set = !NO_TIMEOUT.matcher(value.strip()).matches();
        if (local) {
            localLockTimeout = set && inTransaction(); // SET LOCAL outside a transaction has no effect
        } else {
            lockTimeout = set;
            localLockTimeout = false;
        }
    }

    /** The statement without comments, tokens joined by one space, {@code @@session . x} closed up to {@code @@session.x}. */
    private static String code(StatementText statement) {
        StringBuilder b = new StringBuilder();
        for (Token t : statement.tokens()) {
            if (!t.isComment()) {
                b.append(b.length() == 0 ? "" : " ").append(statement.source(), t.start(), t.end());
            }
        }
        return b.toString().replaceAll("\\s*\\.\\s*", ".").replaceAll("@@\\s+", "@@");
    }

    static List<String> leadingWords(StatementText statement, int max) {
        List<String> words = new ArrayList<>(max);
        for (Token t : statement.tokens()) {
            if (words.size() == max) {
                break;
            }
            if (!t.isComment()) {
                words.add(t.text(statement.source()).toUpperCase(Locale.ROOT));
            }
        }
        return words;
    }
}
