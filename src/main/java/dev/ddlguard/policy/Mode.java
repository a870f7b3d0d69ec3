package dev.ddlguard.policy;

/** What the guard does with its verdicts: apply them, only record them, or nothing at all. */
public enum Mode {
    /** Apply every action: rewrite and block as the policy says. */
    ENFORCE,
    /** Never block or rewrite; record what {@code enforce} would have done. */
    AUDIT,
    /** Pass every statement through untouched: the connection is not even wrapped. */
    OFF
}
