package dev.ddlguard.intercept;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import net.ttddyy.dsproxy.ConnectionInfo;
import net.ttddyy.dsproxy.proxy.ConnectionProxyLogic;
import net.ttddyy.dsproxy.proxy.ProxyConfig;

/**
 * The guarded connection: datasource-proxy's own connection logic (statements from our factory,
 * prepares through our transformer), plus two overrides: its metadata leads back to this connection,
 * not to the driver's ({@code getMetaData().getConnection()} was a way around the guard), and its
 * arrays' result sets do not lead to a statement of the driver's connection ({@link GuardedArray}).
 * One proxy, one reflective hop per call, as datasource-proxy alone would cost.
 */
final class GuardedConnectionHandler implements InvocationHandler {

    private final ConnectionProxyLogic logic;

    GuardedConnectionHandler(Connection real, ConnectionInfo info, ProxyConfig config) {
        this.logic = new ConnectionProxyLogic(real, info, config);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        Object result = logic.invoke(proxy, method, args);
        if ("getMetaData".equals(method.getName()) && result instanceof DatabaseMetaData md) {
            return EscapeHatches.metaData(md, (Connection) proxy);
        }
        if ("createArrayOf".equals(method.getName()) && result instanceof Array array) {
            return GuardedArray.wrap(array, null);
        }
        return result;
    }
}
