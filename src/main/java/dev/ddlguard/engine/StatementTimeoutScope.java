package dev.ddlguard.engine;

import dev.ddlguard.dialect.Dialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ddlguard.statement-timeout} around one DDL statement: the database's session setting where it has one
 * that bounds DDL (PostgreSQL statement_timeout, MariaDB max_statement_time), read once, set before every
 * attempt and restored on close; elsewhere (H2, MySQL) the JDBC query timeout of the caller's statement, in
 * whole seconds, kept when the caller's own is already shorter. Nothing is set when the session's value cannot
 * be read, since it could not be restored.
 */
final class StatementTimeoutScope implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("dev.ddlguard");

    private final Dialect dialect;
    private final Connection raw;
    private final Optional<Duration> timeout;
    private final String previous;
    private final Statement statement;
    private final int previousQueryTimeout;

    private StatementTimeoutScope(
            Dialect dialect,
            Connection raw,
            Optional<Duration> timeout,
            String previous,
            Statement statement,
            int previousQueryTimeout) {
        this.dialect = dialect;
        this.raw = raw;
        this.timeout = timeout;
        this.previous = previous;
        this.statement = statement;
        this.previousQueryTimeout = previousQueryTimeout;
    }

    /** @param statement the caller's statement, whose query timeout bounds the run where the database has no setting; may be null */
    static StatementTimeoutScope open(
            Dialect dialect, Connection raw, Optional<Duration> timeout, Statement statement) {
        if (timeout.isEmpty()) {
            return new StatementTimeoutScope(dialect, raw, timeout, null, null, 0);
        }
        String previous = null;
        try {
            previous = dialect.statementTimeout().current(raw);
        } catch (SQLException | RuntimeException e) {
            LOG.warn(
                    "ddlguard: could not read the session statement timeout; the statement runs without one: {}",
                    e.toString());
            return new StatementTimeoutScope(dialect, raw, Optional.empty(), null, null, 0);
        }
        if (previous != null || statement == null) {
            return new StatementTimeoutScope(
                    dialect, raw, previous == null ? Optional.empty() : timeout, previous, null, 0);
        }
        int seconds = (int) Math.max(1, (timeout.get().toMillis() + 999) / 1000);
        try {
            int callers = statement.getQueryTimeout();
            if (callers == 0 || callers > seconds) {
                statement.setQueryTimeout(seconds);
                return new StatementTimeoutScope(dialect, raw, timeout, null, statement, callers);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("ddlguard: could not set the query timeout; the statement runs without it: {}", e.toString());
        }
        return new StatementTimeoutScope(dialect, raw, Optional.empty(), null, null, 0);
    }

    /** Before each attempt, like the lock timeout: a retry must not run with whatever a failure left. */
    void set() {
        if (previous == null || timeout.isEmpty()) {
            return;
        }
        try {
            dialect.statementTimeout().set(raw, timeout.get());
        } catch (SQLException | RuntimeException e) {
            LOG.warn(
                    "ddlguard: could not set the session statement timeout; the statement runs without it: {}",
                    e.toString());
        }
    }

    /**
     * The caller's exception when the statement ran past the guard's bound: says so, keeps the database's
     * SQLSTATE, vendor code and message; any other exception as it is.
     */
    SQLException explain(JudgedStatement first, SQLException e) {
        if (timeout.isEmpty() || !dialect.isStatementTimeout(e)) {
            return e;
        }
        return new SQLTimeoutException(
                "ddlguard: " + first.summary() + " ran longer than ddlguard.statement-timeout ("
                        + timeout.get().toMillis()
                        + " ms) and the database cancelled it; not retried. Run it when the table "
                        + "is quiet with a longer ddlguard.statement-timeout, or in smaller steps. Database said: "
                        + e.getMessage(),
                e.getSQLState(),
                e.getErrorCode(),
                e);
    }

    /** Restores the session's value (the transaction's end does, when the statement aborted it) or the caller's query timeout. */
    @Override
    public void close() {
        try {
            if (previous != null) {
                dialect.statementTimeout().restore(raw, previous);
            } else if (statement != null) {
                statement.setQueryTimeout(previousQueryTimeout);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug(
                    "ddlguard: statement timeout not restored now ({}); the transaction's end restores it",
                    e.toString());
        }
    }
}
