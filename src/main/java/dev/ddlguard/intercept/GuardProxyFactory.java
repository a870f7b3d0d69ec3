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
 * datasource-proxy makes the connection proxy; the statements it hands out are ours
 * ({@link GuardedStatement} and its subclasses), so that the guard owns each DDL execution (lock
 * timeout around it, retries, follow-up statements) while every other call goes straight to the
 * driver's statement.
 */
final class GuardProxyFactory implements JdbcProxyFactory {

    private final ConnectionGuard guard;

    GuardProxyFactory(ConnectionGuard guard) {
        this.guard = guard;
    }

    @Override
    public DataSource createDataSource(DataSource dataSource, ProxyConfig proxyConfig) {
        return DEFAULT.createDataSource(dataSource, proxyConfig);
    }

    @Override
    public Connection createConnection(Connection connection, ConnectionInfo connectionInfo, ProxyConfig proxyConfig) {
        // datasource-proxy's connection logic in our handler: its statements come from this factory and see
        // this proxy as their connection, and its metadata leads back here (GuardedConnectionHandler).
        // Not a ProxyJdbcObject: its getTarget() would hand out the driver's connection with no guard.
        return (Connection) Proxy.newProxyInstance(
                GuardProxyFactory.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                new GuardedConnectionHandler(connection, connectionInfo, proxyConfig, guard));
    }

    @Override
    public Statement createStatement(
            Statement statement, ConnectionInfo connectionInfo, Connection proxyConnection, ProxyConfig proxyConfig) {
        return new GuardedStatement(statement, proxyConnection, guard);
    }

    @Override
    public PreparedStatement createPreparedStatement(
            PreparedStatement preparedStatement,
            String query,
            ConnectionInfo connectionInfo,
            Connection proxyConnection,
            ProxyConfig proxyConfig,
            boolean generateKey) {
        throw new IllegalStateException("prepares are made by GuardedConnectionHandler, which judges them");
    }

    @Override
    public CallableStatement createCallableStatement(
            CallableStatement callableStatement,
            String query,
            ConnectionInfo connectionInfo,
            Connection proxyConnection,
            ProxyConfig proxyConfig) {
        throw new IllegalStateException("prepares are made by GuardedConnectionHandler, which judges them");
    }

    @Override
    public ResultSet createResultSet(ResultSet resultSet, ConnectionInfo connectionInfo, ProxyConfig proxyConfig) {
        return resultSet; // called only by datasource-proxy's statements; ours wrap their own (GuardedResultSet)
    }

    @Override
    public ResultSet createGeneratedKeys(ResultSet resultSet, ConnectionInfo connectionInfo, ProxyConfig proxyConfig) {
        return resultSet;
    }
}
