package dev.ddlguard.intercept;

import dev.ddlguard.engine.ConnectionGuard;
import dev.ddlguard.engine.Judgement;
import dev.ddlguard.policy.Mode;
import dev.ddlguard.policy.Policy;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import net.ttddyy.dsproxy.ConnectionInfo;
import net.ttddyy.dsproxy.proxy.ProxyConfig;

/** Wraps a real connection with the guard: the one place datasource-proxy is configured. */
public final class GuardedConnections {

    private GuardedConnections() {}

    /** A data source whose every connection is guarded with {@code policy} ({@link GuardedDataSource}). */
    public static DataSource wrap(DataSource dataSource, Policy policy) {
        return new GuardedDataSource(dataSource, policy);
    }

    /** The guarded connection, or the real one itself when the mode is {@code off}. */
    public static Connection wrap(Connection real, Policy policy) throws SQLException {
        if (policy.mode() == Mode.OFF) {
            return real;
        }
        ConnectionGuard guard = ConnectionGuard.open(real, policy);
        judgeDatabase(guard, real.getCatalog());
        // One config per connection: the factory then holds this connection's guard. Prepares are judged by
        // GuardedConnectionHandler itself, not by a QueryTransformer, whose answer could not reach the statement.
        ProxyConfig config = ProxyConfig.Builder.create()
                .dataSourceName("ddlguard")
                .jdbcProxyFactory(new GuardProxyFactory(guard))
                .build();
        ConnectionInfo info = new ConnectionInfo();
        info.setDataSourceName("ddlguard");
        // Through our factory, which also closes the metadata back door (EscapeHatches).
        return config.getJdbcProxyFactory().createConnection(real, info, config);
    }

    /**
     * MySQL/MariaDB: the connection's database, judged as the USE that would choose it (a URL naming mysql makes the
     * server's own tables unqualified names: an outside tester's UPDATE global_priv ran so, unrecorded); blocked, the
     * connection is not handed out. Other databases judge no USE.
     */
    private static void judgeDatabase(ConnectionGuard guard, String database) throws SQLException {
        Judgement use = database == null ? null : guard.judge("USE `" + database.replace("`", "``") + "`");
        if (use != null) {
            guard.execute(use, sql -> null, null);
        }
    }
}
