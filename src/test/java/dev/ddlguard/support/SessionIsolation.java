package dev.ddlguard.support;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a MySQL/MariaDB session's {@code @@SESSION.tx_isolation} answers after a statement of the guard's advice:
 * for tests that judge advice step by step without a server, as the live catalog would see the session.
 */
public final class SessionIsolation {

    private static final Pattern SET_ISOLATION =
            Pattern.compile("(?is)SET\\s+SESSION\\s+TRANSACTION\\s+ISOLATION\\s+LEVEL\\s+(\\w+\\s+\\w+)\\s*;?");

    private SessionIsolation() {}

    /** READ-COMMITTED after {@code SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED}; null for any other statement. */
    public static String setBy(String statement) {
        Matcher m = SET_ISOLATION.matcher(
                statement.replaceAll("(?m)^\\s*--.*\\n?", "").strip()); // a comment above
        return m.matches() ? m.group(1).toUpperCase(Locale.ROOT).replaceAll("\\s+", "-") : null;
    }
}
