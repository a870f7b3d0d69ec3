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
 *
 * @param session   the database's session setting, where it has one that bounds DDL
 * @param timeout   the bound in force: empty when none is set
 * @param statement the caller's statement whose query timeout the guard set, or null
 */
record StatementTimeoutScope(
        Dialect dialect,
        SessionTimeoutScope session,
        Optional<Duration> timeout,
        Statement statement,
        int previousQueryTimeout)
        implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("dev.ddlguard");

    /** @param statement the caller's statement, whose query timeout bounds the run where the database has no setting; may be null */
    static StatementTimeoutScope open(
            Dialect dialect, Connection raw, Optional<Duration> timeout, Statement statement) {
        SessionTimeoutScope session = SessionTimeoutScope.statementTimeout(dialect, raw, timeout);
        if (timeout.isEmpty() || session.unreadable()) {
            return new StatementTimeoutScope(dialect, session, Optional.empty(), null, 0);
        }
        if (session.sets() || statement == null) {
            return new StatementTimeoutScope(dialect, session, session.sets() ? timeout : Optional.empty(), null, 0);
        }
        int seconds = (int) Math.max(1, (timeout.get().toMillis() + 999) / 1000);
        try {
            int callers = statement.getQueryTimeout();
            if (callers == 0 || callers > seconds) {
                statement.setQueryTimeout(seconds);
                return new StatementTimeoutScope(dialect, session, timeout, statement, callers);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("ddlguard: could not set the query timeout; the statement runs without it: {}", e.toString());
        }
        return new StatementTimeoutScope(dialect, session, Optional.empty(), null, 0);
    }

    /** Before each attempt, like the lock timeout: a retry must not run with whatever a failure left. */
    void set() {
        session.set();
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
        if (session.sets()) {
            session.close();
        } else if (statement != null) {
            try {
                statement.setQueryTimeout(previousQueryTimeout);
            } catch (SQLException | RuntimeException e) {
                LOG.debug(
                        "ddlguard: statement timeout not restored now ({}); the transaction's end restores it",
                        e.toString());
            }
        }
    }
}
