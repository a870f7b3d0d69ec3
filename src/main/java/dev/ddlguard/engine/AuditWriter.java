package dev.ddlguard.engine;

import dev.ddlguard.audit.AuditEvent;
import dev.ddlguard.audit.AuditLog;
import dev.ddlguard.policy.Action;
import dev.ddlguard.rules.RuleVerdict;
import dev.ddlguard.sql.SqlSyntax;
import java.sql.SQLException;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the audit of one guarded connection: exactly one record per DDL statement (README, "Audit record"),
 * the WARN lines of warned statements, and the current schema each record names.
 */
final class AuditWriter {

    private static final Logger LOG = LoggerFactory.getLogger("dev.ddlguard");

    /** The note of an allowed statement of a string another statement of which was blocked: the string ran not at all. */
    static final String NOT_SENT = "not sent: another statement of the same string was blocked";

    private final GuardedSession session;

    AuditWriter(GuardedSession session) {
        this.session = session;
    }

    /**
     * Writes one record.
     *
     * @param transaction the transaction the DDL ran in ({@link TransactionWatch#of}); null when it did not run.
     *     An open one holds the record, to be recorded again if that transaction does not commit.
     */
    void record(
            JudgedStatement s,
            String schema,
            Long durationMs,
            Integer attempts,
            String outcome,
            String error,
            String extraNote,
            String transaction) {
        String note = extraNote == null ? s.note() : s.note() == null ? extraNote : s.note() + "; " + extraNote;
        AuditEvent event = AuditEvent.builder()
                .ts(Instant.now())
                .statement(session.db(), session.target().name(), session.user(), schema)
                .sql(s.sql(), AuditEvent.BLOCKED.equals(outcome) ? null : s.executedSql()) // a blocked string sent none
                .decision(s.decision().value(), s.enforceDecision().value())
                .rules(s.verdicts())
                .lock(s.lock(), s.executedLock())
                .durationMs(durationMs)
                .outcome(outcome)
                .error(error)
                .rewrittenSql(s.rewrittenSql())
                .attempts(attempts)
                .note(note)
                .transaction(transaction)
                .build();
        if (AuditEvent.OPEN.equals(transaction)) {
            session.transactions().hold(event);
        }
        AuditLog.record(event);
    }

    /** A record for each statement of a blocked string: none of it was sent, its allowed statements included. */
    void blocked(Judgement j, String schema) {
        for (JudgedStatement s : j.statements()) {
            record(s, schema, null, null, AuditEvent.BLOCKED, null, s.blocked() ? null : NOT_SENT, null);
        }
    }

    /**
     * An error record for each statement of {@code j} that never reached the database: the failure's message,
     * secrets scrubbed, no duration, no attempt, and {@code why} it was not sent.
     */
    void notSent(Judgement j, String schema, Throwable e, String why) {
        for (JudgedStatement s : j.statements()) {
            record(s, schema, null, 0, AuditEvent.ERROR, j.secrets().scrub(message(e)), why, null);
        }
    }

    /** The message of a failure for the audit record; an Error without one is named by its class. */
    static String message(Throwable e) {
        return e.getMessage() != null && !(e instanceof Error)
                ? e.getMessage()
                : e.getMessage() == null ? e.getClass().getName() : e.getClass().getName() + ": " + e.getMessage();
    }

    /** The WARN line (README, "Audit record") for warned statements, rewrites that are only reported, and audit-mode verdicts. */
    void logWarnings(Judgement j) {
        for (JudgedStatement s : j.statements()) {
            for (RuleVerdict v : s.verdicts()) {
                String what;
                if (s.decision() == Decision.AUDITED && v.action() != Action.ALLOW) {
                    what = "would " + v.action().value() + " (audit mode)";
                } else if (v.action() == Action.REWRITE && !s.rewriteSent()) {
                    what = "would rewrite (" + s.note() + ")";
                } else if (v.action() == Action.WARN) {
                    what = "warns";
                } else {
                    continue;
                }
                LOG.warn(
                        "ddlguard {} {} [{}]: {}{}",
                        what,
                        s.summary(),
                        v.ruleId(),
                        v.message(),
                        v.safeSql() == null ? "" : "\nSafe alternative:\n" + v.safeSql());
            }
        }
    }

    /** The session's current schema for the record, or null when the connection cannot say. */
    String currentSchema() {
        try {
            // MySQL and MariaDB call a database a catalog: getSchema() is always null there. MariaDB
            // Connector/J keeps the current database from the server's session tracking, so no round trip.
            // PostgreSQL's is a round trip: the catalog keeps the answer while nothing can have changed it.
            return session.connected().syntax() == SqlSyntax.MYSQL
                    ? session.raw().getCatalog()
                    : session.catalog().currentSchema();
        } catch (SQLException | RuntimeException | AbstractMethodError e) {
            return null;
        }
    }
}
