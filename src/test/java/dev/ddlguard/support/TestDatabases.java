package dev.ddlguard.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real servers of the README's "Test databases": reached at DDLGUARD_TEST_PG_URL and
 * DDLGUARD_TEST_MARIADB_URL (with local defaults). An unreachable server skips the test with the
 * reason, except under CI=true, where it fails: CI must never pass by skipping.
 */
public final class TestDatabases {

    public static final String PG_URL =
            env("DDLGUARD_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    public static final String MARIADB_URL =
            env("DDLGUARD_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test?user=root");

    private TestDatabases() {}

    public static Connection postgres() {
        return connect(PG_URL, "PostgreSQL");
    }

    public static Connection mariadb() {
        return connect(MARIADB_URL, "MariaDB");
    }

    /** The same server through the guard, with {@code ddlguard.*} settings as name/value pairs. */
    public static Connection guarded(String realUrl, String... settings) throws SQLException {
        Properties p = new Properties();
        for (int i = 0; i < settings.length; i += 2) {
            p.setProperty(settings[i], settings[i + 1]);
        }
        return DriverManager.getConnection("jdbc:ddlguard:" + realUrl.substring("jdbc:".length()), p);
    }

    private static Connection connect(String url, String name) {
        try {
            return DriverManager.getConnection(url);
        } catch (SQLException e) {
            String reason = name + " not reachable at " + url.replaceAll("password=[^&]*", "password=***") + ": "
                    + e.getMessage();
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                return Assertions.fail(reason + " (CI=true: real-server tests must run)");
            }
            System.out.println("SKIPPED: " + reason);
            Assumptions.abort(reason);
            return null;
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
