package dev.ddlguard.dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Function;

/**
 * A session setting that bounds a wait (PostgreSQL's lock_timeout and statement_timeout, MySQL's
 * lock_wait_timeout, MariaDB's max_statement_time, H2's LOCK_TIMEOUT): read before a guarded statement, set
 * for it, put back after. Plain statements without a query timeout: they run around every guarded DDL.
 */
public final class SessionTimeout {

    /** A database without such a setting: nothing is read ({@link #current} is null), set or restored. */
    public static final SessionTimeout NONE = new SessionTimeout(null, null, null);

    /** Puts a value {@link #current} read back. */
    @FunctionalInterface
    private interface Restore {
        void restore(Connection connection, String previous) throws SQLException;
    }

    private final String read;
    private final Function<Duration, String> set;
    private final Restore restore;

    private SessionTimeout(String read, Function<Duration, String> set, Restore restore) {
        this.read = read;
        this.set = set;
        this.restore = restore;
    }

    /**
     * @param read    the query whose first column is the current value
     * @param set     the command that sets a timeout
     * @param restore the command that sets a value {@code read} gave back (parse it: it is written into the SQL)
     */
    public static SessionTimeout of(String read, Function<Duration, String> set, Function<String, String> restore) {
        return new SessionTimeout(read, set, (c, previous) -> CatalogQuery.execute(c, restore.apply(previous.trim())));
    }

    /** As {@link #of}, restored by a query that takes the previous value as its one parameter ({@code set_config}). */
    public static SessionTimeout bound(String read, Function<Duration, String> set, String restore) {
        return new SessionTimeout(read, set, (c, previous) -> {
            try (PreparedStatement ps = c.prepareStatement(restore)) {
                ps.setString(1, previous);
                ps.execute();
            }
        });
    }

    /** The session's current value as {@link #restore} accepts it back, or null when the database has no such setting. */
    public String current(Connection connection) throws SQLException {
        return read == null ? null : CatalogQuery.value(connection, read);
    }

    public void set(Connection connection, Duration timeout) throws SQLException {
        if (set != null) {
            CatalogQuery.execute(connection, set.apply(timeout));
        }
    }

    public void restore(Connection connection, String previous) throws SQLException {
        if (restore != null) {
            restore.restore(connection, previous);
        }
    }
}
