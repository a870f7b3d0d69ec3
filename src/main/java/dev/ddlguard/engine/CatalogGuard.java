package dev.ddlguard.engine;

import dev.ddlguard.dialect.CatalogQuery;
import dev.ddlguard.dialect.Dialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Savepoint;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the {@link LiveCatalog}'s questions on the caller's own connection so that none can hurt the caller's
 * statement: inside a transaction under a savepoint (one per judgement), one answer per question and judgement,
 * and any failure turned into "unknown" and a note for the audit record ({@link #takeFailures}). After a
 * question timed out, questions that could wait on a table lock are not asked again for the same SQL string.
 */
final class CatalogGuard {

    private static final Logger LOG = LoggerFactory.getLogger("dev.ddlguard");

    /** SQLStates and error codes of a statement cancelled by its timeout: PostgreSQL, MariaDB, MySQL. */
    private static final Set<String> TIMEOUT_STATES = Set.of("57014", "70100");

    private static final Set<Integer> TIMEOUT_CODES = Set.of(1969, 3024);
    private static final Object NULL = new Object();

    private final Connection raw;
    private final Dialect connected;
    /** What went wrong since the judge last took it: "what was asked: why it failed". */
    private final Set<String> failures = new LinkedHashSet<>();
    /** Set when a question timed out: lock-bound questions about this SQL string are not asked again. */
    private boolean busy;
    /**
     * The answers given while judging one SQL string, by question: the catalog cannot change while the string
     * is judged (none of it has run yet), so each question is asked once per judgement (MySQL's lock model and
     * rules asked the same index question five times per ALTER). Cleared by {@link #start()}; no answer
     * outlives the judgement, so no DDL that ran can leave a stale one.
     */
    private final Map<String, Object> answers = new HashMap<>();
    /** {@link #once} values, cleared with {@link #answers}. */
    private final Map<Object, Object> derived = new HashMap<>();
    /** Whether a judgement is under way: its questions share one savepoint inside a transaction. */
    private boolean judging;
    /** The savepoint the current judgement's questions run under, opened at the first question. */
    private Savepoint judgementSavepoint;

    CatalogGuard(Connection raw, Dialect connected) {
        this.raw = raw;
        this.connected = connected;
    }

    /** Before judging a new SQL string: a busy table earlier says nothing about this one. */
    void start() {
        busy = false;
        failures.clear();
        answers.clear();
        derived.clear();
        judging = true;
    }

    /** After judging a SQL string: releases the judgement's savepoint; later questions (after a failure) use their own. */
    void end() {
        judging = false;
        answers.clear();
        derived.clear();
        Savepoint open = judgementSavepoint;
        judgementSavepoint = null;
        if (open != null) {
            try {
                raw.releaseSavepoint(open);
            } catch (SQLException | RuntimeException e) {
                LOG.debug("ddlguard: catalog savepoint not released: {}", e.toString());
            }
        }
    }

    boolean judging() {
        return judging;
    }

    String takeFailures() {
        if (failures.isEmpty()) {
            return null;
        }
        String all = String.join("; ", failures);
        failures.clear();
        return all;
    }

    /** A value computed once per judgement (no database question: nothing to guard); each time outside one. */
    @SuppressWarnings("unchecked")
    <T> T once(Object key, Supplier<T> compute) {
        if (!judging) {
            return compute.get();
        }
        Object known = derived.get(key);
        if (known == null) {
            known = compute.get();
            derived.put(key, known == null ? NULL : known);
        }
        return known == NULL ? null : (T) known;
    }

    /**
     * Asks one question (a failure is {@link CatalogQuery.Unanswered} or any runtime exception); on failure
     * remembers why and answers {@code unknown}.
     *
     * @param mayWaitOnTable whether the query can wait for a lock on a table (the catalog of a table
     *                       opens it on MySQL/MariaDB; PostgreSQL's size functions lock it)
     */
    @SuppressWarnings("unchecked")
    <T> T ask(String what, boolean mayWaitOnTable, Supplier<T> query, T unknown) {
        if (busy && mayWaitOnTable) {
            return unknown;
        }
        if (judging) {
            Object known = answers.get(what);
            if (known != null) {
                return known == NULL ? null : (T) known;
            }
        }
        T answer = askNow(what, query, unknown);
        if (judging) {
            answers.put(what, answer == null ? NULL : answer);
        }
        return answer;
    }

    private <T> T askNow(String what, Supplier<T> query, T unknown) {
        try {
            return guarded(query);
        } catch (SQLException | RuntimeException thrown) {
            Exception e = thrown instanceof CatalogQuery.Unanswered u ? u.getCause() : thrown;
            boolean timedOut = timedOut(e);
            busy |= timedOut;
            String why = e.getMessage() == null ? e.toString() : e.getMessage().strip();
            failures.add(
                    what + ": " + why + (timedOut ? " (later questions that could wait on the table skipped)" : ""));
            LOG.debug("ddlguard: catalog question not answered ({}): {}", what, e.toString());
            return unknown;
        }
    }

    /** Cancelled by the query timeout, or gave up waiting for a lock: asking again would wait as long. */
    private boolean timedOut(Exception e) {
        if (!(e instanceof SQLException sql)) {
            return false;
        }
        String state = sql.getSQLState(); // Set.of(…).contains(null) throws
        return sql instanceof SQLTimeoutException
                || state != null && TIMEOUT_STATES.contains(state)
                || TIMEOUT_CODES.contains(sql.getErrorCode())
                || connected.isLockTimeout(sql);
    }

    /**
     * Inside a transaction, the questions of one judgement share one savepoint (three round trips per
     * question were two too many): opened at the first, released when judging ends; a failed question rolls
     * back to it, so the caller's transaction is never aborted, and the next question opens a new one.
     * Outside a judgement each question has its own.
     */
    private <T> T guarded(Supplier<T> query) throws SQLException {
        if (raw.getAutoCommit()) {
            return query.get();
        }
        boolean shared = judging;
        Savepoint savepoint = shared ? judgementSavepoint : null;
        if (savepoint == null) {
            savepoint = raw.setSavepoint();
            if (shared) {
                judgementSavepoint = savepoint;
            }
        }
        try {
            T answer = query.get();
            if (!shared) {
                raw.releaseSavepoint(savepoint);
            }
            return answer;
        } catch (SQLException | RuntimeException e) {
            if (shared) {
                judgementSavepoint = null;
            }
            try {
                raw.rollback(savepoint);
                raw.releaseSavepoint(savepoint);
            } catch (SQLException ignored) {
                // the connection is gone; the caller's statement will say so itself
            }
            throw e;
        }
    }
}
