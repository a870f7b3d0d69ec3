package dev.ddlguard.intercept;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The {@code DataSource} methods a guarded data source passes on, forwarded to the wrapped one: the base of
 * {@link GuardedDataSource}, which overrides only the calls with logic.
 *
 * <p>Not forwarded, on purpose: {@code createConnectionBuilder()} and {@code createShardingKeyBuilder()}.
 * Their interface defaults refuse them ({@code SQLFeatureNotSupportedException}); forwarded, a builder
 * would hand out the wrapped data source's connections, unguarded.
 */
abstract class ForwardingDataSource extends DriverWrapper implements DataSource {

    /** The wrapped data source. */
    protected final DataSource delegate;

    ForwardingDataSource(DataSource delegate) {
        super(delegate);
        this.delegate = delegate;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return delegate.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return delegate.getConnection(username, password);
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
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return delegate.isWrapperFor(iface);
    }
}
