package dev.ddlguard.dialect.mysql;

import dev.ddlguard.policy.Action;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.sql.Verb;

/**
 * A trigger is part of its table's definition on MySQL and MariaDB: CREATE TRIGGER takes an exclusive metadata lock on
 * the table, as an ALTER does. MariaDB 10.11, measured: behind a transaction that had only read the table, CREATE
 * TRIGGER waited the 5 s to its commit, and a plain SELECT of the table from a third session waited 4 s behind it.
 * No ALGORITHM or LOCK clause applies; the guard's lock-timeout bounds the wait (MariaDbTriggerTest).
 */
final class TriggerRules {

    private TriggerRules() {}

    static final Rule CREATE_TRIGGER = Rule.builder("create-trigger")
            .defaultAction(Action.WARN)
            .lockBound()
            .on(Verb.CREATE)
            .lock("an exclusive metadata lock on the table: waits for every open transaction that used it, reads "
                    + "included, and every query of the table queues behind the wait; then briefly")
            .reason("CREATE TRIGGER changes the table's definition under an exclusive metadata lock: it queues behind "
                    + "every open transaction that read or wrote the table, and every later query of it, reads too, "
                    + "queues behind it; the trigger then runs on every row written (a warning, since the expand "
                    + "phase of expand-contract needs exactly this)")
            .safeAlternative("keep ddlguard.lock-timeout short so a queued CREATE TRIGGER gives up instead of stalling "
                    + "the table, run it when no long transaction is open on the table, and keep the trigger's body "
                    + "cheap")
            .matches((s, c) -> s.is(Verb.CREATE, "TRIGGER") && s.table() != null
                    ? "creates trigger " + (s.names().isEmpty() ? "" : s.names().get(0) + " ") + "on " + s.table()
                            + ", under an exclusive metadata lock"
                    : null)
            .build();
}
