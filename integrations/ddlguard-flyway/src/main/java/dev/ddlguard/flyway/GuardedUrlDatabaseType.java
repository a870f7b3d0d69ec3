package dev.ddlguard.flyway;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.Types;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.internal.callback.CallbackExecutor;
import org.flywaydb.core.internal.database.DatabaseExecutionStrategy;
import org.flywaydb.core.internal.database.DatabaseType;
import org.flywaydb.core.internal.database.DatabaseTypeRegister;
import org.flywaydb.core.internal.database.base.BaseDatabaseType;
import org.flywaydb.core.internal.database.base.Database;
import org.flywaydb.core.internal.jdbc.ExecutionTemplate;
import org.flywaydb.core.internal.jdbc.JdbcConnectionFactory;
import org.flywaydb.core.internal.jdbc.StatementInterceptor;
import org.flywaydb.core.internal.parser.Parser;
import org.flywaydb.core.internal.parser.ParsingContext;
import org.flywaydb.core.internal.sqlscript.SqlScriptExecutorFactory;
import org.flywaydb.core.internal.sqlscript.SqlScriptFactory;

/**
 * Flyway's database plugin for {@code jdbc:ddlguard:<db>:…} URLs.
 *
 * <p>Flyway picks a plugin twice. Given a URL, {@code DriverDataSource} asks every registered
 * {@link DatabaseType} whether it {@link #handlesJDBCUrl handles the URL}, takes the driver class and the
 * default connection properties from the first that does, and without one fails with "No Flyway database
 * plugin found". Once connected, {@code JdbcConnectionFactory} picks again, from the connection's
 * metadata ({@link #handlesDatabaseProductNameAndVersion}). The guard's connections report the real
 * driver's metadata, so that second pick already lands on Flyway's own plugin for the real database.
 *
 * <p>This plugin therefore claims only the URL: it answers with the guard's driver class and hands
 * every URL question to the plugin Flyway has for the URL behind the prefix ({@code jdbc:<db>:…}), and
 * never claims a connection. Anything Flyway asks about a connection or a configuration goes to the
 * plugin for that connection or that configuration's URL, so this class adds no database behaviour.
 */
public class GuardedUrlDatabaseType extends BaseDatabaseType {

    static final String PREFIX = "jdbc:ddlguard:";
    static final String DRIVER_CLASS = "dev.ddlguard.DdlGuardDriver";

    @Override
    public String getName() {
        return "ddlguard";
    }

    @Override
    public int getNullType() {
        return Types.NULL;
    }

    @Override
    public boolean handlesJDBCUrl(String url) {
        return isGuarded(url);
    }

    @Override
    public String getDriverClass(String url, ClassLoader classLoader) {
        return DRIVER_CLASS;
    }

    @Override
    public String getBackupDriverClass(String url, ClassLoader classLoader) {
        return null;
    }

    /** Never: the guard's connections report the real database, whose own plugin then serves them. */
    @Override
    public boolean handlesDatabaseProductNameAndVersion(String databaseProductName, String databaseProductVersion, Connection connection) {
        return false;
    }

    @Override
    public Pattern getJDBCCredentialsPattern() {
        return BaseDatabaseType.getDefaultJDBCCredentialsPattern();
    }

    @Override
    public List<Pattern> getJDBCCredentialsPatterns() {
        return List.of(BaseDatabaseType.getDefaultJDBCCredentialsPattern());
    }

    @Override
    public void setDefaultConnectionProps(String url, Properties props, ClassLoader classLoader) {
        forUrl(url, null).setDefaultConnectionProps(realUrl(url), props, classLoader);
    }

    @Override
    public void setConfigConnectionProps(Configuration configuration, Properties props, ClassLoader classLoader) {
        if (configuration != null && configuration.getUrl() != null) {
            forConfiguration(configuration).setConfigConnectionProps(configuration, props, classLoader);
        }
    }

    @Override
    public void shutdownDatabase(String url, Driver driver) {
        // The real database's plugin shuts down through the real driver (H2's SHUTDOWN, say): the guard
        // passes the URL through to it.
        forUrl(url, null).shutdownDatabase(realUrl(url), driver);
    }

    @Override
    public boolean detectUserRequiredByUrl(String url) {
        return forUrl(url, null).detectUserRequiredByUrl(realUrl(url));
    }

    @Override
    public boolean detectPasswordRequiredByUrl(String url) {
        return forUrl(url, null).detectPasswordRequiredByUrl(realUrl(url));
    }

    @Override
    public boolean externalAuthPropertiesRequired(String url, String username, String password) {
        return forUrl(url, null).externalAuthPropertiesRequired(realUrl(url), username, password);
    }

    @Override
    public Properties getExternalAuthProperties(String url, String username) {
        return forUrl(url, null).getExternalAuthProperties(realUrl(url), username);
    }

    @Override
    public Database createDatabase(Configuration configuration, JdbcConnectionFactory jdbcConnectionFactory, StatementInterceptor statementInterceptor) {
        return jdbcConnectionFactory.getDatabaseType().createDatabase(configuration, jdbcConnectionFactory, statementInterceptor);
    }

    @Override
    public Parser createParser(Configuration configuration, ResourceProvider resourceProvider, ParsingContext parsingContext) {
        return forConfiguration(configuration).createParser(configuration, resourceProvider, parsingContext);
    }

    @Override
    public SqlScriptFactory createSqlScriptFactory(Configuration configuration, ParsingContext parsingContext) {
        return forConfiguration(configuration).createSqlScriptFactory(configuration, parsingContext);
    }

    @Override
    public SqlScriptExecutorFactory createSqlScriptExecutorFactory(JdbcConnectionFactory jdbcConnectionFactory,
            CallbackExecutor<Event> callbackExecutor, StatementInterceptor statementInterceptor) {
        return jdbcConnectionFactory.getDatabaseType().createSqlScriptExecutorFactory(jdbcConnectionFactory, callbackExecutor, statementInterceptor);
    }

    @Override
    public DatabaseExecutionStrategy createExecutionStrategy(Connection connection) {
        return forConnection(connection).createExecutionStrategy(connection);
    }

    @Override
    public ExecutionTemplate createTransactionalExecutionTemplate(Connection connection, boolean rollbackOnException) {
        return forConnection(connection).createTransactionalExecutionTemplate(connection, rollbackOnException);
    }

    @Override
    public Connection alterConnectionAsNeeded(Connection connection, Configuration configuration) {
        return forConnection(connection).alterConnectionAsNeeded(connection, configuration);
    }

    @Override
    public List<String> getSpecialResourceFilenames(Configuration configuration) {
        return forConfiguration(configuration).getSpecialResourceFilenames(configuration);
    }

    @Override
    public void setOverridingConnectionProps(Map<String, String> props) {
        // nothing of the guard's own; the real database's plugin adds its overrides through the
        // configuration's URL in setConfigConnectionProps
    }

    static boolean isGuarded(String url) {
        return url != null && url.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /** {@code jdbc:ddlguard:postgresql://h/db} → {@code jdbc:postgresql://h/db}. */
    static String realUrl(String url) {
        return isGuarded(url) ? "jdbc:" + url.substring(PREFIX.length()) : url;
    }

    private static DatabaseType forUrl(String url, Configuration configuration) {
        String real = realUrl(url);
        try {
            return DatabaseTypeRegister.getDatabaseTypeForUrl(real, configuration);
        } catch (FlywayException e) {
            throw new FlywayException("ddlguard: Flyway has no database plugin for the URL behind jdbc:ddlguard: ("
                    + DatabaseTypeRegister.redactJdbcUrl(real) + "); add Flyway's module for that database"
                    + " (flyway-database-postgresql, flyway-mysql for MySQL and MariaDB; H2 is in flyway-core)", e);
        }
    }

    private static DatabaseType forConfiguration(Configuration configuration) {
        if (configuration != null && configuration.getUrl() != null) {
            return forUrl(configuration.getUrl(), configuration);
        }
        throw new FlywayException("ddlguard: Flyway asked its jdbc:ddlguard: plugin about a configuration without a URL");
    }

    private static DatabaseType forConnection(Connection connection) {
        return DatabaseTypeRegister.getDatabaseTypeForConnection(connection, null);
    }
}
