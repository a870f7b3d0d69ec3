package dev.ddlguard.engine;

import dev.ddlguard.audit.AuditEvent;
import dev.ddlguard.policy.Mode;
import dev.ddlguard.policy.Policy;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SqlSyntax;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs one judged string that may run: with the session's lock and statement timeouts, lock-timeout
 * retries ({@link Retries}), CONCURRENTLY statements one by one, the rewrite's follow-ups, and one audit
 * record per statement, whatever happens.
 */
final class StatementExecution {

    private final GuardedSession session;
    private final AuditWriter audit;
    private final FollowUps followUps;
    private final Retries retries;

    StatementExecution(GuardedSession session, AuditWriter audit, FollowUps followUps, Retries retries) {
        this.session = session;
        this.audit = audit;
        this.followUps = followUps;
        this.retries = retries;
    }

    /**
     * Runs {@code j} through the caller's call.
     *
     * @param statement  the driver's statement the call runs on, for its update count and query timeout; may be null
     * @param resendable whether the call sends the string it is given (a prepared statement's SQL is fixed)
     * @param schema     the session's schema before the statement runs, for the records
     */
    <T> T run(Judgement j, SqlCall<T> call, Statement statement, boolean resendable, String schema)
            throws SQLException {
        boolean autocommit;
        SessionTimeouts timeouts;
        int queryTimeout;
        Connection raw = session.raw();
        Policy policy = session.policy();
        try {
            autocommit = raw.getAutoCommit();
            SessionTimeoutScope lockTimeout = SessionTimeoutScope.lockTimeout(
                    session.connected(),
                    raw,
                    LockWaits.canWaitOnOthers(j, session.catalog(), schema)
                            ? j.concurrently() ? policy.concurrentLockTimeout() : policy.lockTimeout()
                            : Optional.empty());
            queryTimeout = FollowUps.queryTimeout(statement);
            timeouts = new SessionTimeouts(
                    lockTimeout,
                    StatementTimeoutScope.open(session.connected(), raw, policy.statementTimeout(), statement));
        } catch (Throwable e) { // a connection closed under the guard: the DDL was not sent, and says so
            audit.notSent(j, schema, e, "the connection failed before the statement was sent");
            throw e;
        }
        Set<QualifiedName> newViews = CreatedTablesRecord.notThereYet(j, session.catalog());
        long start = System.nanoTime();
        Attempts attempts = new Attempts();
        attempts.resendable = resendable;
        // Whatever the driver throws (an Error, a RuntimeException) is recorded as an error and thrown on unchanged.
        Throwable failure = null;
        SQLException ranWithoutRows = null;
        try {
            if (j.concurrently() && autocommit && policy.mode() == Mode.ENFORCE) {
                SQLException never = SelfWait.check(j, session.catalog());
                // the check is best effort: unanswered, the lock timeout still bounds the wait
                session.catalog().takeFailures();
                if (never != null) {
                    throw never;
                }
            }
            T result = null;
            try {
                result = send(j, call, statement, autocommit, timeouts, attempts);
            } catch (SQLException e) {
                if (!ranWithoutResultSet(e)) {
                    throw e;
                }
                ranWithoutRows = e;
                attempts.cleanUp = join(attempts.cleanUp, RAN_WITHOUT_RESULT_SET);
            }
            CreatedTablesRecord.afterSafely(j, session.catalog(), schema, statement, newViews);
            attempts.cleanUp = join(attempts.cleanUp, afterSuccess(j, result, statement));
            followUps.run(
                    j,
                    followUp -> retries.send(
                            j, autocommit, timeouts, null, ignored -> followUps.runOne(followUp, queryTimeout)),
                    note -> attempts.cleanUp = join(attempts.cleanUp, note));
            if (ranWithoutRows != null) {
                throw ranWithoutRows; // the caller gets the driver's answer to its call, as without the guard
            }
            return result;
        } catch (Throwable e) {
            if (e != ranWithoutRows) { // thrown on purpose: the statement ran, its record says ok
                failure = e;
            }
            throw e;
        } finally {
            recordRun(j, schema, start, timeouts, failure, autocommit, attempts);
        }
    }

    static final String RAN_WITHOUT_RESULT_SET =
            "the driver then reported that no result set came back (executeQuery of DDL):" + " the statement ran";

    /**
     * pgjdbc's executeQuery of a statement that returns no rows sends it, then throws 02000 "No results were returned
     * by the query": the DDL ran (and, in autocommit, committed). The server never sends 02000 as an error; MySQL's
     * 02000 (a procedure's FETCH past the last row) stops a CALL half way, so only PostgreSQL's is read so.
     */
    private boolean ranWithoutResultSet(SQLException e) {
        return "02000".equals(e.getSQLState()) && session.connected().syntax() == SqlSyntax.POSTGRESQL;
    }

    /** Sends the string, or on PostgreSQL in autocommit its CONCURRENTLY statements one by one. */
    private <T> T send(
            Judgement j,
            SqlCall<T> call,
            Statement statement,
            boolean autocommit,
            SessionTimeouts timeouts,
            Attempts attempts)
            throws SQLException {
        List<String> pieces = autocommit && j.concurrently()
                ? OneByOne.pieces(j, session.target().syntax(), statement instanceof PreparedStatement)
                : null;
        if (pieces == null) {
            // sql: a weaker online clause the dialect retries with after the server refused the rewrite (MySQL/MariaDB)
            attempts.wholeString = true;
            return retries.send(j, autocommit, timeouts, attempts, sql -> call.call(sql == null ? j.sqlToSend() : sql));
        }
        // PostgreSQL runs a multi-statement string as one implicit transaction, where CONCURRENTLY fails (25001).
        attempts.cleanUp = OneByOne.NOTE;
        T result = null;
        SQLException ranWithoutRows = null;
        for (int i = 0; i < pieces.size(); i++) {
            String piece = pieces.get(i);
            try {
                result = retries.send(j, autocommit, timeouts, attempts, ignored -> call.call(piece));
            } catch (SQLException e) {
                if (!ranWithoutResultSet(e)) {
                    attempts.cleanUp = join(attempts.cleanUp, OneByOne.failedAt(i, pieces.size()));
                    throw e;
                }
                ranWithoutRows = e; // the piece ran: the next one is sent, as in the string sent whole
            }
        }
        if (ranWithoutRows != null) {
            throw ranWithoutRows;
        }
        return result;
    }

    /** After the run, successful or not: the session as it was, the catalog's cache updated, one record per statement. */
    private void recordRun(
            Judgement j,
            String schema,
            long start,
            SessionTimeouts timeouts,
            Throwable failure,
            boolean autocommit,
            Attempts attempts) {
        long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        timeouts.restore(failure);
        // a cached size of a table DDL touched is not reused
        LockWaits.changedTables(j).forEach(session.catalog()::forget);
        if (!keepsSchema(j)) {
            session.catalog().forgetSchema();
        }
        String transaction = failure == null ? session.transactions().of(autocommit) : null;
        for (JudgedStatement s : j.statements()) {
            audit.record(
                    attempts.weakened != null ? attempts.weakened : s,
                    schema,
                    durationMs,
                    attempts.count,
                    failure == null ? AuditEvent.OK : AuditEvent.ERROR,
                    failure == null ? null : j.secrets().scrub(AuditWriter.message(failure)),
                    join(attempts.refusalNote(), attempts.cleanUp),
                    transaction);
        }
    }

    /** What the dialect wants recorded after success (MySQL: rows affected by an ALTER mean a table copy). */
    private String afterSuccess(Judgement j, Object result, Statement statement) {
        long rows;
        try {
            rows = result instanceof Number n ? n.longValue() : statement != null ? statement.getUpdateCount() : -1;
        } catch (SQLException | RuntimeException e) {
            return null;
        }
        String note = null;
        for (JudgedStatement s : j.statements()) {
            if (s.executed() != null && rows > 0) {
                note = join(note, session.connected().noteAfterSuccess(s.executed(), rows));
            }
        }
        return note;
    }

    private static String join(String a, String b) {
        return a == null ? b : b == null ? a : a + "; " + b;
    }

    /**
     * Whether the session's schema is as it was before {@code j} ran: one statement alone in its string (a
     * multi-statement string may hold a SET between its DDL), and one that cannot change it
     * ({@link LiveCatalog#keepsSchema}).
     */
    private static boolean keepsSchema(Judgement j) {
        if (j.statements().size() != 1 || !j.followUps().isEmpty() || j.sqlToSend() == null) {
            return false;
        }
        String sent = j.sqlToSend();
        int semicolon = sent.indexOf(';');
        if (semicolon >= 0 && !sent.substring(semicolon + 1).isBlank()) {
            return false; // more than one statement, or a ';' in a literal: not worth telling apart
        }
        return LiveCatalog.keepsSchema(j.statements().get(0).executed());
    }
}
