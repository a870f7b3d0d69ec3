package dev.ddlguard.driver;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What to tell the user when no driver on the classpath accepts the real URL. A missing driver and a
 * misspelt URL look the same to {@link DriverManager}; the user needs to know which one it is. Names
 * only the scheme, never the rest of the URL: it may carry credentials.
 */
public final class MissingDriverMessage {

    /** The databases ddlguard has a dialect for, as their drivers spell them after {@code jdbc:}. */
    public static final List<String> SUPPORTED = List.of("postgresql", "mysql", "mariadb", "h2");

    /** Spellings people write for a supported database that no driver accepts. */
    private static final Map<String, String> MISSPELLINGS = Map.of(
            "postgres",
            "postgresql",
            "postgre",
            "postgresql",
            "pg",
            "postgresql",
            "pgsql",
            "postgresql",
            "psql",
            "postgresql",
            "maria",
            "mariadb",
            "mysql8",
            "mysql");

    private MissingDriverMessage() {}

    /** The message for a real URL ({@code jdbc:...}) that no registered driver accepts. */
    public static String of(String realUrl) {
        String scheme = schemeName(realUrl);
        if (scheme == null) {
            return "ddlguard: no JDBC driver accepts this URL; write it as " + spellings();
        }
        if (scheme.equals("jdbc")) {
            String inner = schemeName(realUrl.substring("jdbc:".length()));
            return "ddlguard: the URL says jdbc: twice: write jdbc:ddlguard:" + (inner == null ? "<database>" : inner)
                    + ":…, not jdbc:ddlguard:jdbc:" + (inner == null ? "<database>" : inner) + ":… (supported: "
                    + spellings() + ")";
        }
        if (scheme.equals("mysql") && driverAccepts("jdbc:mariadb://localhost/")) {
            return "ddlguard: no JDBC driver for jdbc:mysql: on the classpath: only MariaDB Connector/J is there,"
                    + " and version 3 accepts jdbc:mysql: only with permitMysqlScheme; write jdbc:ddlguard:mariadb://…,"
                    + " or add ?permitMysqlScheme to the URL, or put MySQL Connector/J on the classpath";
        }
        if (SUPPORTED.contains(scheme)) {
            return "ddlguard: no JDBC driver for jdbc:" + scheme
                    + ": on the classpath (the real driver must be there too)";
        }
        String meant = MISSPELLINGS.get(scheme);
        return "ddlguard: unknown database spelling jdbc:ddlguard:" + scheme + ": (no JDBC driver for jdbc:" + scheme
                + ": on the classpath)" + (meant == null ? "" : "; did you mean jdbc:ddlguard:" + meant + ":?")
                + " Supported: " + spellings();
    }

    private static String spellings() {
        return "jdbc:ddlguard:postgresql://…, jdbc:ddlguard:mysql://…, jdbc:ddlguard:mariadb://…, jdbc:ddlguard:h2:…";
    }

    /** {@code postgresql} for {@code jdbc:postgresql://...}, lower case; null when there is none. */
    private static String schemeName(String url) {
        if (url == null || !url.regionMatches(true, 0, "jdbc:", 0, 5)) {
            return null;
        }
        int end = url.indexOf(':', 5);
        if (end <= 5) {
            return null;
        }
        String name = url.substring(5, end).toLowerCase(Locale.ROOT);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.')) {
                return null; // not a scheme: do not echo what may be part of a credential
            }
        }
        return name;
    }

    private static boolean driverAccepts(String url) {
        try {
            return DriverManager.getDriver(url) != null;
        } catch (SQLException none) {
            return false;
        }
    }
}
