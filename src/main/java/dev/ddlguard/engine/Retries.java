package dev.ddlguard.engine;

import dev.ddlguard.dialect.Dialect;
import dev.ddlguard.policy.Action;
import dev.ddlguard.rules.LockImpact;
import dev.ddlguard.sql.DdlClassifier;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.StatementSplitter;
import dev.ddlguard.sql.StatementText;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one statement attempt after attempt: a lock timeout or a deadlock is retried with backoff in
 * autocommit, an online clause the server refused is retried in its next weaker form (MySQL/MariaDB),
 * and what a failed attempt left behind is cleaned up before the retry or the report.
 */
final class Retries {

    private static final Logger LOG = LoggerFactory.getLogger("dev.ddlguard");

    private final GuardedSession session;
    private final SqlSyntax syntax;

    Retries(GuardedSession session) {
        this.session = session;
        this.syntax = session.target().syntax();
    }

    /**
     * Sends one statement, setting the lock and statement timeouts before every attempt. A lock timeout
     * or a deadlock the server broke by aborting this statement is retried with backoff in autocommit
     * (ddlguard.lock-timeout.retries); inside a transaction it is not (the transaction is aborted). A
     * statement timeout is never retried. What a failed attempt left behind (an INVALID index) is
     * cleaned up before the retry or the report.
     *
     * @param mainAttempts the attempts of the judged statement; null for a follow-up, the guard's own
     *     statement, of which no weaker form is ever tried
     */
    <T> T send(Judgement j, boolean autocommit, SessionTimeouts timeouts, Attempts mainAttempts, SqlCall<T> send)
            throws SQLException {
        boolean mayWeaken = mainAttempts != null;
        Attempts attempts = mayWeaken ? mainAttempts : new Attempts();
        String sql = null; // null: the judged string; else a weaker rewrite after the server refused one
        while (true) {
            attempts.count++;
            timeouts.set();
            try {
                return send.call(sql);
            } catch (SQLException e) {
                attempts.cleanUp = cleanUp(j, attempts.cleanUp, e);
                SQLException timedOut =
                        timeouts.statement().explain(j.statements().get(0), e);
                if (timedOut != e) {
                    throw timedOut;
                }
                String weaker = mayWeaken ? weakerRewrite(j, e, sql == null ? j.sqlToSend() : sql, attempts) : null;
                if (weaker != null) {
                    sql = weaker;
                    continue;
                }
                boolean deadlock = session.connected().isDeadlock(e);
                if (!session.connected().isLockTimeout(e) && !deadlock) {
                    throw explained(j, e, attempts);
                }
                int retries = attempts.count - attempts.refused.size(); // refused clauses are not lock retries
                String notRetried = notRetried(j, autocommit, attempts);
                if (deadlock
                        && (notRetried != null || retries > session.policy().lockTimeoutRetries())) {
                    throw deadlock(j, e, attempts.count, notRetried);
                }
                if (notRetried != null || retries > session.policy().lockTimeoutRetries()) {
                    throw LockTimeoutMessage.exception(
                            j, e, attempts.count, notRetried, timeouts.lock().timeout(), session.catalog());
                }
                long pause = backoffMillis(attempts.count);
                LOG.warn(
                        "ddlguard: {} on {} (attempt {} of {}), retrying in {} ms",
                        deadlock ? "deadlock" : "lock timeout",
                        j.statements().get(0).summary(),
                        attempts.count,
                        session.policy().lockTimeoutRetries() + 1,
                        pause);
                sleep(pause);
            }
        }
    }

    /**
     * Why a lock timeout or deadlock is not retried, or null when it is: inside a transaction (the server aborted or
     * rolled it back), or in a string that holds other statements (what ran before the DDL would run again).
     */
    private String notRetried(Judgement j, boolean autocommit, Attempts attempts) {
        if (!autocommit) {
            return "; not retried inside a transaction: the transaction is aborted, roll it back and run the migration "
                    + "again when the table is quiet";
        }
        boolean others = attempts.wholeString
                && StatementSplitter.split(j.sqlToSend(), syntax).stream()
                                .filter(piece -> !piece.code().isEmpty())
                                .count()
                        > 1;
        return others
                ? "; not retried: the string holds other statements, which ran before it (or, on PostgreSQL, were "
                        + "rolled back with it) and would run again; send the DDL in a string of its own to have it retried"
                : null;
    }

    /** A deadlock not retried: inside a transaction (the server rolled it back), or after the last retry. */
    private static SQLException deadlock(Judgement j, SQLException e, int attempts, String notRetried) {
        String m = "ddlguard: " + j.statements().get(0).summary() + " was chosen as a deadlock victim"
                + (attempts == 1 ? ", once" : ", " + attempts + " times")
                + (notRetried == null ? "" : notRetried)
                + ". Database said: " + j.secrets().scrub(e.getMessage());
        return new SQLTransactionRollbackException(m, e.getSQLState(), e.getErrorCode(), e);
    }

    /** Exponential backoff with full jitter: 100 ms, 200 ms, 400 ms … capped at 5 s, each times [0.5, 1.5). */
    static long backoffMillis(int attempt) {
        long base = Math.min(5_000, 100L << Math.min(attempt - 1, 10));
        return (long) (base * (0.5 + ThreadLocalRandom.current().nextDouble()));
    }

    private static void sleep(long millis) throws SQLException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting to retry after a lock timeout", e);
        }
    }

    /**
     * After the server refused a rewrite: the string with the next weaker rewrite that still keeps the
     * table online (MySQL/MariaDB: INSTANT, then NOCOPY, then INPLACE, always LOCK=NONE), or null. Only
     * for a string of one statement whose clause the guard chose (require-online-ddl rewrote it): a
     * clause the author wrote is the author's to weaken. What the server answered goes to the record.
     */
    private String weakerRewrite(Judgement j, SQLException e, String sent, Attempts attempts) {
        if (j.statements().size() != 1) {
            return null;
        }
        JudgedStatement s =
                attempts.weakened != null ? attempts.weakened : j.statements().get(0);
        boolean guardChoseTheClause = s.verdicts().stream()
                .anyMatch(v -> v.action() == Action.REWRITE && v.ruleId().equals("require-online-ddl"));
        if (!s.rewriteSent() || s.executed() == null || !guardChoseTheClause) {
            return null;
        }
        String refusal = session.connected().describeRefusal(e, s.executed());
        if (refusal == null) {
            return null;
        }
        attempts.refused.add(j.secrets().scrub(refusal));
        if (!attempts.resendable) {
            return null;
        }
        Dialect connected = session.connected();
        String next = connected.weakerRewrite(e, sent, s.executed());
        String nextRecorded =
                s.rewrittenSql() == null ? null : connected.weakerRewrite(e, s.rewrittenSql(), s.executed());
        if (next == null || nextRecorded == null) {
            return null;
        }
        List<StatementText> parts = StatementSplitter.split(next, syntax);
        DdlStatement executed = parts.size() == 1 ? DdlClassifier.classify(parts.get(0), syntax) : null;
        if (executed == null) {
            return null;
        }
        LockImpact before = s.executedLock();
        LockImpact lock = session.target().lockImpact(executed, session.catalog());
        if (before != null) {
            lock = lock.withSize(before.rows(), before.bytes(), session.policy().throughputBytesPerSecond());
        }
        LOG.warn(
                "ddlguard: the server refused the online clause of {} ({}); trying the next weaker online one",
                s.summary(),
                e.getMessage());
        attempts.weakened = new JudgedStatement(
                s.sql(),
                s.summary(),
                s.verdicts(),
                s.decision(),
                s.enforceDecision(),
                nextRecorded,
                true,
                s.lock(),
                lock,
                s.note(),
                executed);
        return next;
    }

    /** The dialect's clearer error for a failure a rewrite caused (MySQL refusing the online clause), else the database's own. */
    private SQLException explained(Judgement j, SQLException e, Attempts attempts) {
        for (JudgedStatement first : j.statements()) {
            JudgedStatement s = attempts.weakened != null && j.statements().size() == 1 ? attempts.weakened : first;
            if (s.rewriteSent() && s.executed() != null) {
                SQLException better = session.connected().explainFailure(e, s.executed(), attempts.refused);
                if (better != null) {
                    return better;
                }
            }
        }
        return e;
    }

    /** Lets the dialect undo what a failed statement left behind; returns what was done, for the audit note. */
    private String cleanUp(Judgement j, String already, SQLException failure) {
        for (JudgedStatement s : j.statements()) {
            if (s.executed() == null) {
                continue;
            }
            try {
                String done = session.connected().cleanUpAfterFailure(session.raw(), s.executed(), failure);
                if (done != null) {
                    LOG.warn("ddlguard: {}", done);
                    return already == null ? done : already + "; " + done;
                }
            } catch (SQLException | RuntimeException e) {
                // the record says so: what the failed statement left behind is still there
                String failed = "could not clean up after the failed " + s.summary() + ": " + e.getMessage();
                LOG.warn("ddlguard: {}", failed);
                return already == null ? failed : already + "; " + failed;
            }
        }
        return already;
    }
}
