package dev.ddlguard.bench;

import com.p6spy.engine.spy.P6DataSource;
import dev.ddlguard.DdlGuard;
import java.util.Map;
import javax.sql.DataSource;
import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;

/** The four ways a benchmark reaches the database: raw, and through each interceptor. */
public enum Variant {
    /** The real driver's data source, nothing in between. */
    RAW,
    /** datasource-proxy with an empty listener: the floor of ddlguard's design, which builds on it. */
    DSPROXY,
    /** p6spy 3.9.1 with its logging module off (see spy.properties). */
    P6SPY,
    /** ddlguard in enforce mode (the default), wrapping the same data source. */
    DDLGUARD;

    static {
        // p6spy reads spy.properties from the classpath; keep it from writing spy.log or registering JMX.
        System.setProperty("p6spy.config.modulelist", "com.p6spy.engine.spy.P6SpyFactory");
        System.setProperty("p6spy.config.jmx", "false");
    }

    private static final QueryExecutionListener EMPTY = new QueryExecutionListener() {
        @Override
        public void beforeQuery(ExecutionInfo execInfo, java.util.List<QueryInfo> queryInfoList) {
        }

        @Override
        public void afterQuery(ExecutionInfo execInfo, java.util.List<QueryInfo> queryInfoList) {
        }
    };

    public DataSource wrap(DataSource raw) {
        switch (this) {
            case RAW:
                return raw;
            case DSPROXY:
                return ProxyDataSourceBuilder.create(raw).listener(EMPTY).build();
            case P6SPY:
                return new P6DataSource(raw);
            case DDLGUARD:
                return DdlGuard.wrap(raw, Map.of("ddlguard.mode", "enforce"));
            default:
                throw new AssertionError(this);
        }
    }
}
