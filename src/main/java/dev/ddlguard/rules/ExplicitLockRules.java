package dev.ddlguard.rules;

import dev.ddlguard.policy.Action;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.TokenCursor;
import dev.ddlguard.sql.TokenKind;
import dev.ddlguard.sql.Verb;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A table lock taken by hand and kept: PostgreSQL's {@code LOCK TABLE} (to the end of the transaction), MySQL's
 * {@code LOCK TABLES} (to UNLOCK TABLES), {@code FLUSH TABLES … WITH READ LOCK | FOR EXPORT} and MariaDB's
 * {@code BACKUP STAGE BLOCK_COMMIT} (every commit of the server, to BACKUP STAGE END). No DDL statement
 * holds its lock longer: everything the migration does after it, and every session queued behind it, waits.
 */
public final class ExplicitLockRules {

    private ExplicitLockRules() {}

    /** PostgreSQL modes that conflict with ROW EXCLUSIVE, the lock every INSERT, UPDATE and DELETE takes. */
    private static final Set<String> BLOCK_WRITES =
            Set.of("SHARE", "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE");

    public static final Rule EXPLICIT_LOCK = Rule.builder("explicit-lock")
            .on(Verb.LOCK, Verb.FLUSH, Verb.BACKUP)
            .defaultAction(Action.BLOCK)
            .lockBound()
            .lock("the mode it names (PostgreSQL's LOCK without IN … MODE: ACCESS EXCLUSIVE; MySQL's LOCK TABLES … "
                    + "WRITE: reads and writes, … READ and FLUSH TABLES … WITH READ LOCK: writes), held to the end of "
                    + "the transaction (MySQL: to UNLOCK TABLES); MariaDB's BACKUP STAGE BLOCK_COMMIT: every commit of the "
                    + "server, to BACKUP STAGE END")
            .reason("a lock taken by hand is held for everything that follows it, not for one statement: writers (and, "
                    + "for the strongest modes, readers) queue behind it for the rest of the migration, and while it "
                    + "waits for a long transaction everyone queues behind the wait too")
            .safeAlternative("leave the locking to each DDL statement, which takes only the lock it needs for as long "
                    + "as it runs (the guard bounds its wait with ddlguard.lock-timeout); if the migration must see the "
                    + "table unchanged, take a weaker mode (SHARE UPDATE EXCLUSIVE lets writes go on) or run it with an "
                    + "inline ddlguard:allow explicit-lock comment after SET lock_timeout")
            .matches(ExplicitLockRules::heldLock)
            .build();

    public static final List<Rule> ALL = List.of(EXPLICIT_LOCK);

    private static String heldLock(DdlStatement s, RuleContext c) {
        String stage = backupStage(s);
        if (stage != null) {
            return stage;
        }
        if ((s.verb() != Verb.LOCK && s.verb() != Verb.FLUSH) || !"TABLE".equals(s.objectType()) || !locks(s)) {
            return null;
        }
        String tables = s.names().isEmpty()
                ? "every table of the server"
                : s.names().stream().map(Object::toString).collect(Collectors.joining(", "));
        if (s.syntax() != SqlSyntax.MYSQL) {
            String mode = postgresMode(s);
            if (!BLOCK_WRITES.contains(mode)) {
                return null; // ACCESS SHARE, ROW SHARE, ROW EXCLUSIVE, SHARE UPDATE EXCLUSIVE: writes go on
            }
            return "locks " + tables + " IN " + mode + " MODE until the transaction ends: blocks "
                    + (mode.equals("ACCESS EXCLUSIVE") ? "reads and writes" : "writes");
        }
        if (s.verb() == Verb.FLUSH) {
            return "flushes " + tables + " and keeps a read lock on "
                    + (s.names().isEmpty() ? "them" : "it") + " until UNLOCK TABLES: blocks writes";
        }
        return "locks " + tables + " until UNLOCK TABLES: blocks "
                + (blocksReads(s) ? "reads and writes of a table locked WRITE" : "writes");
    }

    /**
     * MariaDB's backup stages, each kept to BACKUP STAGE END (after START, a later stage named first runs the ones
     * between): BLOCK_COMMIT blocks every commit of the server (measured on 10.11: an autocommit INSERT into another
     * table waited for it); FLUSH every write to a MyISAM or Aria table (an outside tester's INSERT waited 597 s,
     * "Waiting for backup lock"); BLOCK_DDL every other session's DDL. START alone blocks nothing. The server takes the
     * stage quoted too ({@code BACKUP STAGE `BLOCK_COMMIT`}). Null for anything else.
     */
    private static String backupStage(DdlStatement s) {
        if (!s.is(Verb.BACKUP, "STAGE") || s.names().isEmpty()) {
            return null;
        }
        String until = " until BACKUP STAGE END (BACKUP STAGE "
                + s.names().get(0).name().text() + ")";
        return switch (s.names().get(0).name().text().toUpperCase(Locale.ROOT)) {
            case "BLOCK_COMMIT" -> "blocks every commit of the server" + until;
            case "FLUSH" -> "blocks every write to the server's MyISAM and Aria tables" + until;
            case "BLOCK_DDL" -> "blocks every other session's DDL" + until;
            default -> null;
        };
    }

    /** PostgreSQL's LOCK without IN … MODE. */
    private static final String DEFAULT_POSTGRES_MODE = "ACCESS EXCLUSIVE";

    /**
     * The mode of PostgreSQL's {@code LOCK t IN ROW EXCLUSIVE MODE}, in upper case with single spaces ("ROW
     * EXCLUSIVE"); ACCESS EXCLUSIVE when the statement names none.
     */
    public static String postgresMode(DdlStatement s) {
        TokenCursor c = StatementWords.after(s, "IN");
        StringBuilder mode = new StringBuilder();
        while (c != null && !c.atEnd() && !c.peekWord("MODE") && c.peek().kind() == TokenKind.WORD) {
            mode.append(mode.isEmpty() ? "" : " ").append(c.next().text(c.sql()).toUpperCase(Locale.ROOT));
        }
        return mode.isEmpty() ? DEFAULT_POSTGRES_MODE : mode.toString();
    }

    /**
     * Whether the statement holds a table lock once it returns: every LOCK TABLE(S); FLUSH TABLES only WITH READ
     * LOCK or FOR EXPORT (a plain FLUSH TABLES closes the tables and keeps nothing).
     */
    public static boolean locks(DdlStatement s) {
        return s.verb() == Verb.LOCK
                || s.verb() == Verb.FLUSH
                        && (StatementWords.has(s, "WITH", "READ", "LOCK") || StatementWords.has(s, "FOR", "EXPORT"));
    }

    /** MySQL: whether a table is locked so that others cannot even read it ({@code LOCK TABLES t WRITE}). */
    public static boolean blocksReads(DdlStatement s) {
        return s.verb() == Verb.LOCK && StatementWords.has(s, "WRITE");
    }
}
