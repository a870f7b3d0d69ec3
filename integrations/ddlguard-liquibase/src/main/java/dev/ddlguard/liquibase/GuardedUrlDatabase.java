package dev.ddlguard.liquibase;

import liquibase.database.AbstractJdbcDatabase;
import liquibase.database.DatabaseConnection;

/**
 * Tells Liquibase the driver class of a {@code jdbc:ddlguard:} URL, so that {@code url} alone is enough.
 *
 * <p>Given a URL and no driver, Liquibase's {@code DatabaseFactory.openConnection} asks
 * {@code findDefaultDriver(url)}, which asks each registered {@link liquibase.database.Database}
 * (META-INF/services/liquibase.database.Database) for {@link #getDefaultDriver(String)} and takes the
 * first answer; none of Liquibase's own answers for {@code jdbc:ddlguard:}, hence "Driver class was not
 * specified and could not be determined from the url". This implementation answers for that prefix
 * and for nothing else.
 *
 * <p>It never claims a connection ({@link #isCorrectDatabaseImplementation} is false): once connected,
 * Liquibase picks its Database from the connection's metadata, which the guard leaves the real
 * driver's, so PostgreSQL, MariaDB or H2 get Liquibase's own implementation, SQL and all.
 */
public class GuardedUrlDatabase extends AbstractJdbcDatabase {

    static final String PREFIX = "jdbc:ddlguard:";
    static final String DRIVER_CLASS = "dev.ddlguard.DdlGuardDriver";

    @Override
    public String getDefaultDriver(String url) {
        return url != null && url.regionMatches(true, 0, PREFIX, 0, PREFIX.length()) ? DRIVER_CLASS : null;
    }

    /** Never: the connection is the real database's, served by Liquibase's implementation for it. */
    @Override
    public boolean isCorrectDatabaseImplementation(DatabaseConnection connection) {
        return false;
    }

    @Override
    public String getShortName() {
        return "ddlguard";
    }

    @Override
    protected String getDefaultDatabaseProductName() {
        return "ddlguard";
    }

    @Override
    public int getPriority() {
        return PRIORITY_DEFAULT;
    }

    @Override
    public Integer getDefaultPort() {
        return null;
    }

    @Override
    public boolean supportsInitiallyDeferrableColumns() {
        return false;
    }

    @Override
    public boolean supportsTablespaces() {
        return false;
    }
}
