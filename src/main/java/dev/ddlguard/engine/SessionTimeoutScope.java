package dev.ddlguard.engine;

import dev.ddlguard.dialect.Dialect;
import dev.ddlguard.dialect.SessionTimeout;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session timeout setting around one DDL statement (the lock timeout, the statement timeout): the
 * session's own value is read once, the guard's is set before every attempt, and the session's is restored on
 * close, whatever happened. Nothing is set when the previous value cannot be read, since it could not be
 * restored.
 *
 * @param name       what the setting is, in the log: {@code lock timeout}, {@code statement timeout}
 * @param timeout    the timeout asked for, whether or not the session's value could be read
 * @param previous   the session's own value, to put back; null when nothing is set
 * @param unreadable whether a timeout was asked for and the session's value could not be read: nothing is set
 */
record SessionTimeoutScope(
        SessionTimeout setting,
        String name,
        Connection raw,
        Optional<Duration> timeout,
        String previous,
        boolean unreadable)
        implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("dev.ddlguard");

    /** The database's lock timeout around the statement: reads the session's value, sets nothing yet. */
    static SessionTimeoutScope lockTimeout(Dialect dialect, Connection raw, Optional<Duration> timeout) {
        return open(dialect.lockTimeout(), "lock timeout", raw, timeout);
    }

    /** The database's statement timeout setting around the statement: reads the session's value, sets nothing yet. */
    static SessionTimeoutScope statementTimeout(Dialect dialect, Connection raw, Optional<Duration> timeout) {
        return open(dialect.statementTimeout(), "statement timeout", raw, timeout);
    }

    /** Reads the session's value when there is a timeout to set; sets nothing yet. */
    private static SessionTimeoutScope open(
            SessionTimeout setting, String name, Connection raw, Optional<Duration> timeout) {
        String previous = null;
        boolean unreadable = false;
        if (timeout.isPresent()) {
            try {
                previous = setting.current(raw);
            } catch (SQLException | RuntimeException e) {
                LOG.warn(
                        "ddlguard: could not read the session {}; the statement runs without one: {}",
                        name,
                        e.toString());
                unreadable = true;
            }
        }
        return new SessionTimeoutScope(setting, name, raw, timeout, previous, unreadable);
    }

    /** Whether the guard sets the session's value: a timeout was asked for, and the value to restore was read. */
    boolean sets() {
        return previous != null;
    }

    /** Before each attempt: a retry after a failed statement must not run with whatever the failure left. */
    void set() {
        if (previous == null || timeout.isEmpty()) {
            return;
        }
        try {
            setting.set(raw, timeout.get());
        } catch (SQLException | RuntimeException e) {
            LOG.warn("ddlguard: could not set the session {}; the statement runs without it: {}", name, e.toString());
        }
    }

    /**
     * Restores the session's value. It fails only when the statement aborted the transaction, and then
     * the rollback restores the setting anyway (SET is transactional in PostgreSQL).
     */
    @Override
    public void close() {
        if (previous == null) {
            return;
        }
        try {
            setting.restore(raw, previous);
        } catch (SQLException | RuntimeException e) {
            LOG.debug("ddlguard: {} not restored now ({}); the transaction's end restores it", name, e.toString());
        }
    }
}
