package dev.ddlguard.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A throwaway database on the test PostgreSQL server, owned by a throwaway login role without any
 * special privileges: for tests that change what a database allows (revoked catalog functions) or
 * that send SQL nobody has read (fuzzing), so that nothing they do reaches the shared {@code test}
 * database. Both are dropped on close, the database with {@code WITH (FORCE)}.
 */
public final class ScratchPostgres implements AutoCloseable {

    private static final Pattern URL = Pattern.compile("(jdbc:postgresql://[^/?]+/)([^?]*)(\\?.*)?");

    private final String database;
    private final String role;
    private final String password = UUID.randomUUID().toString().replace("-", "");
    private final Matcher testUrl;

    /** Skips (or fails under CI=true) when the server is not reachable, as every real-server test does. */
    public ScratchPostgres(String purpose) throws SQLException {
        testUrl = URL.matcher(TestDatabases.PG_URL);
        if (!testUrl.matches()) {
            throw new IllegalStateException("cannot derive a scratch URL from DDLGUARD_TEST_PG_URL");
        }
        String suffix = Long.toHexString(System.nanoTime());
        database = "ddlg_" + purpose + "_" + suffix;
        role = "ddlg_" + purpose + "_role_" + suffix;
        try (Connection admin = TestDatabases.postgres();
                Statement st = admin.createStatement()) {
            st.execute(
                    "CREATE ROLE " + role + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '" + password + "'");
            st.execute("CREATE DATABASE " + database + " OWNER " + role);
        }
    }

    /** The JDBC URL of the scratch database as the scratch role (the test URL's other parameters kept). */
    public String url() {
        String query = testUrl.group(3) == null
                ? ""
                : testUrl.group(3)
                        .substring(1)
                        .replaceAll("(^|&)(user|password)=[^&]*", "")
                        .replaceAll("^&", "");
        return testUrl.group(1) + database + "?user=" + role + "&password=" + password
                + (query.isEmpty() ? "" : "&" + query);
    }

    /** The scratch database as the test URL's superuser: for setup the role may not do itself. */
    public Connection admin() throws SQLException {
        return DriverManager.getConnection(
                testUrl.group(1) + database + (testUrl.group(3) == null ? "" : testUrl.group(3)));
    }

    public String role() {
        return role;
    }

    public String database() {
        return database;
    }

    /** The role's own connection, unguarded. */
    public Connection raw() throws SQLException {
        return DriverManager.getConnection(url());
    }

    @Override
    public void close() throws SQLException {
        try (Connection admin = TestDatabases.postgres();
                Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            st.execute("DROP ROLE IF EXISTS " + role);
        }
    }
}
