package dev.ddlguard.rules;

import dev.ddlguard.policy.Action;

/**
 * The guard bounds each DDL statement's lock wait ({@code ddlguard.lock-timeout}) and, when asked, its run
 * ({@code ddlguard.statement-timeout}) by setting the session's timeout before the string runs, and puts the session's
 * value back after. A SET of that timeout earlier in the same string or batch replaces the bound for every statement
 * after it (an outside tester's {@code SET lock_timeout = 0; ALTER TABLE …} queued 32 s behind a reader, and every
 * query on the table queued behind it). Like {@link BlockingLockRule}, it is asked by the judge, which knows the
 * policy's timeouts, not through a dialect's list.
 */
public final class TimeoutOverrideRule {

    public static final String ID = "timeout-override";

    public static final Rule RULE = Rule.builder(ID)
            .defaultAction(Action.BLOCK)
            .lock("whatever the statement takes, waited for without the guard's bound")
            .reason("an earlier statement of the same string or batch sets the lock timeout (or the statement "
                    + "timeout) the guard sets around each DDL statement: this statement runs without the guard's "
                    + "bound, and while it waits for its lock every query on the table waits behind it")
            .safeAlternative("take the SET out of the string (the guard sets ddlguard.lock-timeout around each DDL "
                    + "statement and puts the session's value back after), set a value no longer than the guard's, or "
                    + "raise ddlguard.lock-timeout (ddlguard.statement-timeout) for the run instead")
            .matches((s, c) -> null) // judged by the judge, which knows the policy's timeouts
            .build();

    private TimeoutOverrideRule() {}

    /** The finding for a statement whose bound an earlier SET replaced; {@code detail} says which and to what. */
    public static Finding finding(String detail) {
        return new Finding(RULE, detail, null, null);
    }
}
