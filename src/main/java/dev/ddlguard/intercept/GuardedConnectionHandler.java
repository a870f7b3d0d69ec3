package dev.ddlguard.intercept;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import net.ttddyy.dsproxy.ConnectionInfo;
import net.ttddyy.dsproxy.proxy.ConnectionProxyLogic;
import net.ttddyy.dsproxy.proxy.ProxyConfig;

/**
 * The guarded connection: datasource-proxy's own connection logic (statements from our factory,
 * prepares through our transformer), plus one override: its metadata leads back to this connection,
 * not to the driver's ({@code getMetaData().getConnection()} was a way around the guard). One proxy,
 * one reflective hop per call, as datasource-proxy alone would cost.
 */
final class GuardedConnectionHandler implements InvocationHandler {

    private final ConnectionProxyLogic logic;

    GuardedConnectionHandler(Connection real, ConnectionInfo info, ProxyConfig config) {
        this.logic = new ConnectionProxyLogic(real, info, config);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        Object result = logic.invoke(proxy, method, args);
        return "getMetaData".equals(method.getName()) && result instanceof DatabaseMetaData md
                ? EscapeHatches.metaData(md, (Connection) proxy) : result;
    }
}
