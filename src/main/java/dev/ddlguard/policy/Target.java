package dev.ddlguard.policy;

import java.util.Locale;

/** The database whose lock semantics statements are judged against. */
public enum Target {
    /** Whatever the connection reports. */
    AUTO,
    POSTGRESQL,
    MYSQL,
    MARIADB;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
