package dev.ddlguard.intercept;

import dev.ddlguard.policy.Policy;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A data source whose connections are guarded ({@code DdlGuard.wrap(dataSource)}), with the settings
 * resolved once, when it was wrapped; everything else is the wrapped one's ({@link ForwardingDataSource}).
 */
final class GuardedDataSource extends ForwardingDataSource {

    private final Policy policy;

    GuardedDataSource(DataSource delegate, Policy policy) {
        super(delegate);
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

    /** The connection guarded; closed when guarding it fails, so that it does not leak. */
    private Connection guard(Connection real) throws SQLException {
        try {
            return GuardedConnections.wrap(real, policy);
        } catch (SQLException | RuntimeException e) {
            real.close();
            throw e;
        }
    }

    // ------------------------------------------------------------------ wrapper and identity

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : delegate.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return wraps(type);
    }
}
