package dev.ddlguard.dialect.mysql;

import dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Flavour;
import dev.ddlguard.policy.Action;
import dev.ddlguard.rules.ExplicitLockRules;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.rules.StatementWords;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.Verb;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * MySQL/MariaDB statements that close a table in every session before they act: FLUSH TABLES and REPAIR TABLE wait
 * for every statement running on the table and queue every new one behind them, like an exclusive metadata lock, and
 * do nothing an InnoDB schema change needs. (FLUSH TABLES … WITH READ LOCK | FOR EXPORT, which keep their lock, are
 * {@code explicit-lock}'s.)
 */
final class TableCacheRules {

    private TableCacheRules() {}

    /**
     * MariaDB 10.11, measured: {@code FLUSH TABLES t} waits for a running SELECT on t and a SELECT sent after it waits
     * too (2.2 s behind a 3 s query), bounded by lock_wait_timeout; a plain {@code FLUSH TABLES} no longer waits
     * (MDEV-5336, 10.4). MySQL's plain FLUSH TABLES still closes every table in use and waits ("Waiting for table
     * flush").
     */
    static Rule flushTables(Flavour flavour) {
        return Rule.builder("flush-tables")
                .defaultAction(Action.WARN)
                .lockBound()
                .on(Verb.FLUSH)
                .lock("the table's cache entry closed in every session: waits for every statement running on the "
                        + "table, and every new statement on it waits behind (up to lock_wait_timeout)")
                .reason("FLUSH TABLES closes the tables in every session: it waits for the longest query running on "
                        + "them, and every query sent meanwhile waits behind it, as behind an exclusive metadata lock; "
                        + "InnoDB writes its changes without it, so a schema change never needs it")
                .safeAlternative("leave it out of the migration; to copy a table's files use FLUSH TABLES t FOR "
                        + "EXPORT in a maintenance window, and to reload privileges FLUSH PRIVILEGES, which closes no "
                        + "table")
                .matches((s, c) -> flushed(s, flavour))
                .build();
    }

    private static String flushed(DdlStatement s, Flavour flavour) {
        if (s.verb() != Verb.FLUSH || !"TABLE".equals(s.objectType()) || ExplicitLockRules.locks(s)) {
            return null;
        }
        if (s.names().isEmpty()) {
            // MariaDB 10.4+ closes only the tables not in use and marks the others (MDEV-5336): it waits for nothing
            return flavour == Flavour.MARIADB ? null : "closes every open table of the server";
        }
        return "closes " + s.names().stream().map(Object::toString).collect(Collectors.joining(", "))
                + " in every session";
    }

    /**
     * MySQL manual, REPAIR TABLE: for MyISAM, ARCHIVE and CSV only (MariaDB: Aria too); USE_FRM "may destroy data".
     * MariaDB 10.11, measured: on an InnoDB table it waits for the exclusive metadata lock (a SELECT sent after it
     * waited 2.3 s behind a running 3 s query) and then only notes "The storage engine for the table doesn't
     * support repair"; on Aria a 600,000-row repair held an INSERT for its whole run.
     */
    static final Rule REPAIR_TABLE = Rule.builder("repair-table")
            .defaultAction(Action.BLOCK)
            .lockBound()
            .on(Verb.REPAIR)
            .lock("an exclusive metadata lock on each table: reads and writes wait for it, and (MyISAM, Aria) writes "
                    + "for the whole repair")
            .reason("REPAIR TABLE waits for an exclusive metadata lock on each table, so every query sent after it "
                    + "queues behind the longest one running; InnoDB does not support it (the lock is taken for "
                    + "nothing), and on MyISAM or Aria it rebuilds the table while writes wait, USE_FRM at the risk "
                    + "of the data")
            .safeAlternative("for InnoDB, rebuild online: ALTER TABLE t FORCE, ALGORITHM=INPLACE, LOCK=NONE; repair "
                    + "a MyISAM or Aria table in a maintenance window (or move it to InnoDB), with an inline "
                    + "ddlguard:allow repair-table comment saying so")
            .matches((s, c) -> s.verb() == Verb.REPAIR && !s.names().isEmpty()
                    ? "repairs " + s.names().stream().map(Object::toString).collect(Collectors.joining(", "))
                    : null)
            .build();

    /**
     * MyISAM and Aria have no online rebuild: OPTIMIZE TABLE and ALTER TABLE … ENABLE KEYS ran as "Repair by sorting"
     * under a table lock (an outside tester's, MariaDB 10.11: a primary-key read waited 1.1 s and 1.5 s), where the
     * guard modelled InnoDB's online OPTIMIZE. The engine is asked of the live catalog; offline it is unknown, and
     * InnoDB, the default, is assumed.
     */
    static final Rule LOCKED_MAINTENANCE = Rule.builder("locked-maintenance")
            .defaultAction(Action.BLOCK)
            .lockBound()
            .on(Verb.OPTIMIZE, Verb.ALTER)
            .lock("a table lock for the whole rebuild (MyISAM, Aria): reads and writes wait")
            .reason("OPTIMIZE TABLE and ALTER TABLE … ENABLE | DISABLE KEYS of a MyISAM or Aria table rebuild it, or "
                    + "its indexes, under a table lock: every read and write of the table waits for the whole "
                    + "rebuild (InnoDB's OPTIMIZE rebuilds online)")
            .safeAlternative("run it in a maintenance window with an inline ddlguard:allow locked-maintenance comment, "
                    + "or move the table to InnoDB first (see change-engine), where OPTIMIZE TABLE rebuilds online")
            .matches((s, c) -> {
                boolean keys = s.is(Verb.ALTER, "TABLE")
                        && (StatementWords.has(s, "ENABLE", "KEYS") || StatementWords.has(s, "DISABLE", "KEYS"));
                if (s.verb() != Verb.OPTIMIZE && !keys || s.names().isEmpty() && s.table() == null) {
                    return null;
                }
                List<String> locked = new ArrayList<>(1);
                for (QualifiedName t : s.verb() == Verb.OPTIMIZE ? s.names() : List.of(s.table())) {
                    String engine = t == null ? null : c.catalog().tableEngine(t);
                    if (engine != null && !engine.equalsIgnoreCase("InnoDB")) {
                        locked.add(t + " (" + engine + ")");
                    }
                }
                return locked.isEmpty()
                        ? null
                        : (keys ? "rebuilds the indexes of " : "rebuilds ") + String.join(", ", locked)
                                + " under a table lock";
            })
            .build();
}
