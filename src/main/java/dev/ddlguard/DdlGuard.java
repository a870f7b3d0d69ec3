package dev.ddlguard;

import dev.ddlguard.dialect.Dialects;
import dev.ddlguard.intercept.GuardedConnections;
import dev.ddlguard.policy.Policy;
import dev.ddlguard.policy.PolicyResolver;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Map;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The public API for code that hands over a {@link DataSource} (pools, frameworks) instead of a URL:
 * {@code DdlGuard.wrap(dataSource)} guards every connection it gives out, exactly as the
 * {@code jdbc:ddlguard:} URL does. Settings are resolved once, here: a bad one fails at once.
 */
public final class DdlGuard {

    private DdlGuard() {}

    /** Guards a data source with settings from system properties, environment and the settings file. */
    public static DataSource wrap(DataSource dataSource) {
        return wrap(dataSource, Map.of());
    }

    /**
     * Guards a data source; {@code settings} are {@code ddlguard.*} keys that take precedence over
     * every other source.
     *
     * @throws IllegalArgumentException for an unknown setting or a value out of range
     */
    public static DataSource wrap(DataSource dataSource, Map<String, String> settings) {
        return new GuardedDataSource(dataSource, PolicyResolver.resolve(settings, Dialects.ruleIds()));
    }

    /** Guards one connection; closing the result closes it. */
    public static Connection wrap(Connection connection, Map<String, String> settings) throws SQLException {
        return GuardedConnections.wrap(connection, DdlGuardDriver.resolve(settings));
    }

    /** A data source whose connections are guarded; everything else is the wrapped one's. */
    private static final class GuardedDataSource implements DataSource {
        private final DataSource delegate;
        private final Policy policy;

        GuardedDataSource(DataSource delegate, Policy policy) {
            this.delegate = delegate;
            this.policy = policy;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return guard(delegate.getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return guard(delegate.getConnection(username, password));
        }

        private Connection guard(Connection real) throws SQLException {
            try {
                return GuardedConnections.wrap(real, policy);
            } catch (SQLException | RuntimeException e) {
                real.close();
                throw e;
            }
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return delegate.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            delegate.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            delegate.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return delegate.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return delegate.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            return type.isInstance(this) ? type.cast(this) : delegate.unwrap(type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) throws SQLException {
            return type.isInstance(this) || delegate.isWrapperFor(type);
        }

        @Override
        public String toString() {
            return "ddlguard:" + delegate;
        }
    }
}
