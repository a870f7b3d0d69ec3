package dev.ddlguard.engine;

import java.util.Locale;

/** What happened to one DDL statement, as the audit record's {@code decision} field names it. */
public enum Decision {
    ALLOWED,
    WARNED,
    REWRITTEN,
    BLOCKED,
    AUDITED;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
