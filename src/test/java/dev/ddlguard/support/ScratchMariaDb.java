package dev.ddlguard.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A throwaway database on the test MariaDB server with a throwaway user that has privileges on it
 * alone: for SQL nobody has read (fuzzing), so that nothing it does reaches the other databases of the
 * shared server. Both are dropped on close.
 */
public final class ScratchMariaDb implements AutoCloseable {

    private static final Pattern URL = Pattern.compile("(jdbc:mariadb://[^/?]+/)([^?]*)(\\?.*)?");

    private final String database;
    private final String user;
    private final String password = UUID.randomUUID().toString().replace("-", "");
    private final Matcher testUrl;

    /** Skips (or fails under CI=true) when the server is not reachable, as every real-server test does. */
    public ScratchMariaDb(String purpose) throws SQLException {
        testUrl = URL.matcher(TestDatabases.MARIADB_URL);
        if (!testUrl.matches()) {
            throw new IllegalStateException("cannot derive a scratch URL from DDLGUARD_TEST_MARIADB_URL");
        }
        String suffix = Long.toHexString(System.nanoTime());
        database = "ddlg_" + purpose + "_" + suffix;
        user = "ddlg_" + suffix;
        try (Connection admin = TestDatabases.mariadb();
                Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + database);
            st.execute("CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + password + "'");
            st.execute("GRANT ALL PRIVILEGES ON " + database + ".* TO '" + user + "'@'%'");
        }
    }

    /** The JDBC URL of the scratch database as the scratch user, with {@code extra} parameters. */
    public String url(String extra) {
        return testUrl.group(1) + database + "?user=" + user + "&password=" + password
                + (extra.isEmpty() ? "" : "&" + extra);
    }

    /** The scratch database as the test URL's user (root): to read the catalog. */
    public Connection admin() throws SQLException {
        return DriverManager.getConnection(
                testUrl.group(1) + database + (testUrl.group(3) == null ? "" : testUrl.group(3)));
    }

    public String database() {
        return database;
    }

    @Override
    public void close() throws SQLException {
        try (Connection admin = TestDatabases.mariadb();
                Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + database);
            st.execute("DROP USER IF EXISTS '" + user + "'@'%'");
        }
    }
}
