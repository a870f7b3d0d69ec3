package dev.ddlguard.intercept;

import dev.ddlguard.engine.ConnectionGuard;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import net.ttddyy.dsproxy.ConnectionInfo;
import net.ttddyy.dsproxy.proxy.ConnectionProxyLogic;
import net.ttddyy.dsproxy.proxy.ProxyConfig;

/**
 * The guarded connection: datasource-proxy's own connection logic (statements from our factory,
 * prepares through our transformer), plus two overrides: its metadata leads back to this connection,
 * not to the driver's ({@code getMetaData().getConnection()} was a way around the guard), and its
 * arrays' result sets do not lead to a statement of the driver's connection ({@link GuardedArray}).
 * A DDL prepare the driver refuses is still audited.
 * One proxy, one reflective hop per call, as datasource-proxy alone would cost.
 */
final class GuardedConnectionHandler implements InvocationHandler {

    private final ConnectionProxyLogic logic;
    private final ConnectionGuard guard;

    GuardedConnectionHandler(Connection real, ConnectionInfo info, ProxyConfig config, ConnectionGuard guard) {
        this.logic = new ConnectionProxyLogic(real, info, config);
        this.guard = guard;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        Object result;
        try {
            result = logic.invoke(proxy, method, args);
        } catch (SQLException e) {
            if (method.getName().startsWith("prepare")) {
                guard.prepareFailed(e);   // DDL judged for this prepare, refused by the driver: still audited
            }
            throw e;
        }
        if ("getMetaData".equals(method.getName()) && result instanceof DatabaseMetaData md) {
            return EscapeHatches.metaData(md, (Connection) proxy);
        }
        if ("createArrayOf".equals(method.getName()) && result instanceof Array array) {
            return GuardedArray.wrap(array, null);
        }
        return result;
    }
}
