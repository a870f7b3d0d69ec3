package dev.ddlguard.engine;

import dev.ddlguard.dialect.Dialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session lock timeout around one DDL statement: the session's own value is read once, the
 * guard's is set before every attempt, and the session's is restored on close, whatever happened.
 * Nothing is set when the previous value cannot be read, since it could not be restored.
 */
final class LockTimeoutScope implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("dev.ddlguard");

    private final Dialect dialect;
    private final Connection raw;
    private final Optional<Duration> timeout;
    private final String previous;

    private LockTimeoutScope(Dialect dialect, Connection raw, Optional<Duration> timeout, String previous) {
        this.dialect = dialect;
        this.raw = raw;
        this.timeout = timeout;
        this.previous = previous;
    }

    static LockTimeoutScope open(Dialect dialect, Connection raw, Optional<Duration> timeout) {
        String previous = null;
        if (timeout.isPresent()) {
            try {
                previous = dialect.lockTimeout().current(raw);
            } catch (SQLException | RuntimeException e) {
                LOG.warn(
                        "ddlguard: could not read the session lock timeout; the statement runs without one: {}",
                        e.toString());
            }
        }
        return new LockTimeoutScope(dialect, raw, timeout, previous);
    }

    Optional<Duration> timeout() {
        return timeout;
    }

    /** Before each attempt: a retry after a failed statement must not run with whatever the failure left. */
    void set() {
        if (previous == null || timeout.isEmpty()) {
            return;
        }
        try {
            dialect.lockTimeout().set(raw, timeout.get());
        } catch (SQLException | RuntimeException e) {
            LOG.warn(
                    "ddlguard: could not set the session lock timeout; the statement runs without it: {}",
                    e.toString());
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
            dialect.lockTimeout().restore(raw, previous);
        } catch (SQLException | RuntimeException e) {
            LOG.debug("ddlguard: lock timeout not restored now ({}); the transaction's end restores it", e.toString());
        }
    }
}
