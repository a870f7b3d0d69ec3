package dev.ddlguard;

import dev.ddlguard.dialect.Dialects;
import dev.ddlguard.intercept.GuardedConnections;
import dev.ddlguard.policy.PolicyResolver;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
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
        return GuardedConnections.wrap(dataSource, PolicyResolver.resolve(settings, Dialects.ruleIds()));
    }

    /** Guards one connection; closing the result closes it. */
    public static Connection wrap(Connection connection, Map<String, String> settings) throws SQLException {
        return GuardedConnections.wrap(connection, DdlGuardDriver.resolve(settings));
    }
}
