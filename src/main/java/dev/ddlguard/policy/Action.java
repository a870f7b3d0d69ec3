package dev.ddlguard.policy;

import java.util.Locale;

/** What happens to a statement a rule matched; ordered from mildest to strongest. */
public enum Action {
    ALLOW,
    WARN,
    REWRITE,
    BLOCK;

    /** The setting value, as written in properties files and the audit record. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Action strongest(Action other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
