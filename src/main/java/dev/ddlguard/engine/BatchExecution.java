package dev.ddlguard.engine;

import dev.ddlguard.audit.AuditEvent;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a statement batch that holds DDL entries: one driver call for the whole batch, no retry (the
 * driver cannot resend part of a batch), then each entry's follow-ups, and one record per statement
 * with the outcome its entry's update count shows.
 */
final class BatchExecution {

    private final GuardedSession session;
    private final AuditWriter audit;
    private final FollowUps followUps;

    BatchExecution(GuardedSession session, AuditWriter audit, FollowUps followUps) {
        this.session = session;
        this.audit = audit;
        this.followUps = followUps;
    }

    /**
     * Runs the batch; when an entry's follow-up fails, only that entry's record is an error.
     *
     * @param statement the driver's statement of the batch, whose query timeout the follow-ups get; may be null
     */
    <T> T run(List<BatchEntry> entries, SqlCall<T> call, Statement statement) throws SQLException {
        for (BatchEntry entry : entries) {
            audit.logWarnings(entry.judgement());
        }
        int queryTimeout = FollowUps.queryTimeout(statement);
        String schema = audit.currentSchema();
        Connection raw = session.raw();
        SessionTimeoutScope lockTimeout = SessionTimeoutScope.lockTimeout(
                session.connected(), raw, session.policy().lockTimeout());
        lockTimeout.set();
        boolean autocommit = raw.getAutoCommit();
        StatementTimeoutScope statementTimeout = StatementTimeoutScope.open(
                session.connected(), raw, session.policy().statementTimeout(), statement);
        statementTimeout.set();
        SessionTimeouts timeouts = new SessionTimeouts(lockTimeout, statementTimeout);
        long start = System.nanoTime();
        Throwable failure = null; // any Throwable: a RuntimeException or Error from the driver fails the batch too
        String[] followUpFailed = new String[entries.size()];
        try {
            T result = call.call(null);
            for (int e = 0; e < entries.size(); e++) {
                int entry = e;
                followUps.run(
                        entries.get(e).judgement(),
                        followUp -> followUps.runOne(followUp, queryTimeout),
                        note -> followUpFailed[entry] = note);
            }
            return result;
        } catch (Throwable e) {
            failure = e;
            throw e;
        } finally {
            long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            timeouts.restore(failure);
            session.catalog().forgetSchema(); // a batch may hold a SET among its DDL
            CreatedTablesRecord.afterBatch(
                    entries.stream().map(BatchEntry::judgement).toList(), session.catalog(), schema, failure != null);
            record(
                    entries,
                    schema,
                    durationMs,
                    failure,
                    followUpFailed,
                    session.transactions().of(autocommit));
        }
    }

    private void record(
            List<BatchEntry> entries,
            String schema,
            long durationMs,
            Throwable failure,
            String[] followUpFailed,
            String transaction) {
        boolean afterTheBatch = false;
        for (String note : followUpFailed) {
            afterTheBatch |= note != null;
        }
        for (int e = 0; e < entries.size(); e++) {
            BatchEntry entry = entries.get(e);
            boolean failed =
                    afterTheBatch ? followUpFailed[e] != null : failure != null && entryFailed(failure, entry.index());
            String error = !failed
                    ? null
                    : followUpFailed[e] != null && failure == null
                            ? null
                            : entry.judgement().secrets().scrub(AuditWriter.message(failure));
            for (JudgedStatement s : entry.judgement().statements()) {
                audit.record(
                        s,
                        schema,
                        durationMs,
                        1,
                        failed ? AuditEvent.ERROR : AuditEvent.OK,
                        error,
                        followUpFailed[e],
                        failed ? null : transaction);
            }
        }
    }

    /** An entry failed when its update count says so, or when the driver stopped before reaching it. */
    private static boolean entryFailed(Throwable failure, int index) {
        if (failure instanceof BatchUpdateException bue && bue.getUpdateCounts() != null) {
            int[] counts = bue.getUpdateCounts();
            return index >= counts.length || counts[index] == Statement.EXECUTE_FAILED;
        }
        return true;
    }
}
