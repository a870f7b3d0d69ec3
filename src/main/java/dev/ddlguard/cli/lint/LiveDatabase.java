package dev.ddlguard.cli.lint;

import dev.ddlguard.dialect.CatalogQuery;
import dev.ddlguard.dialect.Dialect;
import dev.ddlguard.dialect.Dialects;
import dev.ddlguard.engine.LiveCatalog;
import dev.ddlguard.policy.Target;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live database a preflight judges against, read-only by construction: the connection is set read-only,
 * everything runs in one read-only transaction ({@code SET TRANSACTION READ ONLY} on PostgreSQL, {@code START
 * TRANSACTION READ ONLY} on MySQL/MariaDB), only the driver's own catalog questions are sent (never a statement of
 * the linted files), and the transaction is rolled back at the end. The URL is only ever shown with its password
 * masked.
 */
public final class LiveDatabase implements AutoCloseable {

    /** Where a password may come from besides the URL, so that it need not appear on a command line. */
    public static final String PASSWORD_VARIABLE = "DDLGUARD_PASSWORD";

    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;](?:password|pwd)=)([^&;]*)");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/@:?]*:)([^/@?]*)(@)");

    private final Connection connection;
    private final Dialect dialect;
    private final Target target;
    private final ServerVersion version;
    private final LiveCatalog catalog;
    private final String shownUrl;
    private final String product;

    private LiveDatabase(
            Connection connection,
            Dialect dialect,
            Target target,
            ServerVersion version,
            String shownUrl,
            String product) {
        this.connection = connection;
        this.dialect = dialect;
        this.target = target;
        this.version = version;
        this.catalog = new LiveCatalog(connection, dialect);
        this.shownUrl = shownUrl;
        this.product = product;
    }

    /**
     * Connects and opens the read-only transaction. A {@code jdbc:ddlguard:} URL is taken as the database it
     * guards. The password comes from the URL, or from the {@value #PASSWORD_VARIABLE} environment variable.
     *
     * @throws SQLException when the connection or the read-only transaction cannot be had (message password-free)
     * @throws IllegalArgumentException when the database is none of PostgreSQL, MySQL, MariaDB
     */
    public static LiveDatabase open(String url) throws SQLException {
        return open(url, System.getenv(PASSWORD_VARIABLE));
    }

    static LiveDatabase open(String url, String password) throws SQLException {
        String real = url.startsWith("jdbc:ddlguard:") ? "jdbc:" + url.substring("jdbc:ddlguard:".length()) : url;
        Properties properties = new Properties();
        if (password != null && !password.isEmpty()) {
            properties.setProperty("password", password);
        }
        Connection connection;
        try {
            connection = DriverManager.getConnection(real, properties);
        } catch (SQLException e) {
            throw new SQLException(
                    "cannot connect to " + redact(url) + ": " + scrub(e.getMessage(), url, password), e.getSQLState());
        }
        try {
            DatabaseMetaData meta = connection.getMetaData();
            String product = meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion();
            Dialect dialect = Dialects.connected(meta.getDatabaseProductName(), meta.getDatabaseProductVersion());
            Target target = switch (dialect.name()) {
                case "postgresql" -> Target.POSTGRESQL;
                case "mysql" -> Target.MYSQL;
                case "mariadb" -> Target.MARIADB;
                default ->
                    throw new IllegalArgumentException(
                            "preflight judges PostgreSQL, MySQL and MariaDB; " + redact(url) + " is " + product);
            };
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            // Explicit, whatever the JDBC driver makes of setReadOnly: any write in this transaction is refused.
            CatalogQuery.execute(
                    connection,
                    target == Target.POSTGRESQL ? "SET TRANSACTION READ ONLY" : "START TRANSACTION READ ONLY");
            ServerVersion version = new ServerVersion(dialect.serverVersion(connection), false);
            return new LiveDatabase(connection, dialect, target, version, redact(url), product);
        } catch (SQLException | RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the failure below says what matters
            }
            if (e instanceof SQLException sql) {
                throw new SQLException(scrub(sql.getMessage(), url, password), sql.getSQLState(), sql);
            }
            throw e;
        }
    }

    /** The URL with any password replaced by {@code ***}: the only form ever printed. */
    public static String redact(String url) {
        String masked = PASSWORD_PARAMETER.matcher(url).replaceAll("$1***");
        return USER_INFO.matcher(masked).replaceAll("$1***$3");
    }

    /** A driver's message with the password masked, should the driver have echoed it. */
    static String scrub(String message, String url, String password) {
        if (message == null) {
            return "";
        }
        String m = message.replace(url, redact(url));
        for (String secret : new String[] {password, passwordIn(url)}) {
            if (secret != null && secret.length() >= 3) {
                m = m.replace(secret, "***");
            }
        }
        return m;
    }

    private static String passwordIn(String url) {
        Matcher p = PASSWORD_PARAMETER.matcher(url);
        if (p.find()) {
            return p.group(2);
        }
        Matcher u = USER_INFO.matcher(url);
        return u.find() ? u.group(2) : null;
    }

    public Target target() {
        return target;
    }

    public ServerVersion version() {
        return version;
    }

    Dialect dialect() {
        return dialect;
    }

    LiveCatalog catalog() {
        return catalog;
    }

    /** The connection, for tests that prove it cannot write. */
    Connection connection() {
        return connection;
    }

    /** {@code jdbc:postgresql://db/app?user=ci&password=*** (PostgreSQL 15.4)}. */
    public String describe() {
        return shownUrl + " (" + product + ")";
    }

    /** Rolls the read-only transaction back (it changed nothing; this ends it and releases its catalog locks) and closes. */
    @Override
    public void close() {
        try (connection) {
            connection.rollback();
        } catch (SQLException e) {
            // closing ends the transaction too
        }
    }
}
