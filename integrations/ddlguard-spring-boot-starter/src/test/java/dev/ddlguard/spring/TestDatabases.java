package dev.ddlguard.spring;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real servers, as the driver's own tests reach them: DDLGUARD_TEST_PG_URL and
 * DDLGUARD_TEST_MARIADB_URL (with local defaults). Unreachable: skipped with the reason, except under
 * CI=true, where it fails.
 */
final class TestDatabases {

    static final String PG_URL = env("DDLGUARD_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    static final String MARIADB_URL = env("DDLGUARD_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test?user=root");

    private TestDatabases() {
    }

    /** A plain connection to the real server, without the guard; skips (or fails under CI) if unreachable. */
    static Connection direct(String url) {
        try {
            return DriverManager.getConnection(url);
        } catch (SQLException e) {
            String reason = "not reachable at " + url.replaceAll("password=[^&]*", "password=***") + ": " + e.getMessage();
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                return Assertions.fail(reason + " (CI=true: real-server tests must run)");
            }
            Assumptions.abort(reason);
            return null;
        }
    }

    /** {@code jdbc:postgresql://…} → {@code jdbc:ddlguard:postgresql://…}. */
    static String guarded(String realUrl) {
        return "jdbc:ddlguard:" + realUrl.substring("jdbc:".length());
    }

    /** The URL with one more parameter ({@code ?} or {@code &} as the URL needs). */
    static String withParameter(String url, String parameter) {
        return url + (url.contains("?") ? "&" : "?") + parameter;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
