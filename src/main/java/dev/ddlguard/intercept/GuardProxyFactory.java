package dev.ddlguard.intercept;

import dev.ddlguard.engine.ConnectionGuard;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import net.ttddyy.dsproxy.ConnectionInfo;
import net.ttddyy.dsproxy.proxy.JdbcProxyFactory;
import net.ttddyy.dsproxy.proxy.ProxyConfig;

/**
 * datasource-proxy makes the connection proxy; the statements it hands out are ours, so that the
 * guard owns each DDL execution (lock timeout around it, retries, follow-up statements) while
 * every other call goes straight to the driver's statement.
 */
final class GuardProxyFactory implements JdbcProxyFactory {

    private final ConnectionGuard guard;
    /**
     * The connection handed to the caller (datasource-proxy's proxy inside {@link EscapeHatches#connection}),
     * which statements return from {@code getConnection()}. Set once, by {@link #createConnection},
     * before any statement exists; the factory belongs to this one connection.
     */
    private volatile Connection guarded;

    GuardProxyFactory(ConnectionGuard guard) {
        this.guard = guard;
    }

    @Override
    public DataSource createDataSource(DataSource dataSource, ProxyConfig proxyConfig) {
        return DEFAULT.createDataSource(dataSource, proxyConfig);
    }

    @Override
    public Connection createConnection(Connection connection, ConnectionInfo connectionInfo, ProxyConfig proxyConfig) {
        // Wrapped once more so that getMetaData().getConnection() cannot lead to the driver's connection.
        Connection outer = EscapeHatches.connection(DEFAULT.createConnection(connection, connectionInfo, proxyConfig));
        guarded = outer;
        return outer;
    }

    private Connection guarded(Connection proxyConnection) {
        Connection outer = guarded;
        return outer != null ? outer : proxyConnection;
    }

    @Override
    public Statement createStatement(Statement statement, ConnectionInfo connectionInfo, Connection proxyConnection,
                                     ProxyConfig proxyConfig) {
        return proxy(Statement.class, new GuardedStatementHandler(statement, guarded(proxyConnection), guard, null));
    }

    @Override
    public PreparedStatement createPreparedStatement(PreparedStatement preparedStatement, String query,
                                                     ConnectionInfo connectionInfo, Connection proxyConnection,
                                                     ProxyConfig proxyConfig, boolean generateKey) {
        return proxy(PreparedStatement.class,
                new GuardedStatementHandler(preparedStatement, guarded(proxyConnection), guard, guard.takePrepared(query)));
    }

    @Override
    public CallableStatement createCallableStatement(CallableStatement callableStatement, String query,
                                                     ConnectionInfo connectionInfo, Connection proxyConnection,
                                                     ProxyConfig proxyConfig) {
        return proxy(CallableStatement.class,
                new GuardedStatementHandler(callableStatement, guarded(proxyConnection), guard, guard.takePrepared(query)));
    }

    @Override
    public ResultSet createResultSet(ResultSet resultSet, ConnectionInfo connectionInfo, ProxyConfig proxyConfig) {
        return resultSet;   // result sets carry no SQL: not proxied
    }

    @Override
    public ResultSet createGeneratedKeys(ResultSet resultSet, ConnectionInfo connectionInfo, ProxyConfig proxyConfig) {
        return resultSet;
    }

    private static <T> T proxy(Class<T> type, GuardedStatementHandler handler) {
        return type.cast(Proxy.newProxyInstance(GuardProxyFactory.class.getClassLoader(), new Class<?>[]{type}, handler));
    }
}
