package dev.ddlguard.audit;

import dev.ddlguard.rules.LockImpact;
import dev.ddlguard.rules.RuleVerdict;
import java.time.Instant;
import java.util.List;

/**
 * One audit record: one DDL statement attempted, what the guard decided, what reached the
 * database and how it ended. Field names are a public contract (README, "Audit record"): add, never rename.
 *
 * @param enforceDecision what enforce mode would decide; differs from decision only in audit mode
 * @param rewrittenSql    the safe equivalent a rule produced, also when it was only reported
 * @param attempts        how many times the statement was sent (lock-timeout retries), null when blocked
 * @param note            why the guard did something unusual (rewrite not sent, guard failure), or null
 * @param transaction     for DDL that ran: {@code autocommit}, {@code implicit_commit} (the database committed
 *                        the open transaction with it), {@code open} (an open transaction holds it: it counts
 *                        once that commits), or {@code rolled_back} on the second record written when that
 *                        transaction did not commit; null when nothing ran
 */
public record AuditEvent(
        Instant ts,
        String db,
        String target,
        String user,
        String schema,
        String sql,
        String executedSql,
        String decision,
        String enforceDecision,
        List<RuleVerdict> rules,
        LockImpact lock,
        LockImpact executedLock,
        Long durationMs,
        String outcome,
        String error,
        String rewrittenSql,
        Integer attempts,
        String note,
        String transaction) {

    public static final String OK = "ok";
    public static final String ERROR = "error";
    public static final String BLOCKED = "blocked";
    /** The outcome of the second record of DDL whose transaction was rolled back (or closed without commit). */
    public static final String ROLLED_BACK = "rolled_back";

    public static final String AUTOCOMMIT = "autocommit";
    public static final String IMPLICIT_COMMIT = "implicit_commit";
    public static final String OPEN = "open";

    /** A record built field by field: each call site names what it sets; what it leaves unset is null. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The second record of DDL an open transaction held, written when that transaction was rolled back:
     * the statement as first recorded, the time of the rollback, and how it came about in {@code note}.
     */
    public AuditEvent rolledBack(Instant when, String how) {
        return new Builder()
                .statement(db, target, user, schema)
                .sql(sql, executedSql)
                .decision(decision, enforceDecision)
                .rules(rules)
                .lock(lock, executedLock)
                .ts(when)
                .outcome(ROLLED_BACK)
                .rewrittenSql(rewrittenSql)
                .attempts(attempts)
                .note("its transaction was rolled back (" + how + "): the change is not in the database")
                .transaction(ROLLED_BACK)
                .build();
    }

    /** Builds an {@link AuditEvent}; every field starts null. */
    public static final class Builder {
        private Instant ts;
        private String db;
        private String target;
        private String user;
        private String schema;
        private String sql;
        private String executedSql;
        private String decision;
        private String enforceDecision;
        private List<RuleVerdict> rules;
        private LockImpact lock;
        private LockImpact executedLock;
        private Long durationMs;
        private String outcome;
        private String error;
        private String rewrittenSql;
        private Integer attempts;
        private String note;
        private String transaction;

        private Builder() {}

        public Builder ts(Instant ts) {
            this.ts = ts;
            return this;
        }

        /** Where it ran: the database product and version, the judged dialect, the user and the current schema. */
        public Builder statement(String db, String target, String user, String schema) {
            this.db = db;
            this.target = target;
            this.user = user;
            this.schema = schema;
            return this;
        }

        /** The statement as written (redacted) and as sent, when a rewrite was sent. */
        public Builder sql(String sql, String executedSql) {
            this.sql = sql;
            this.executedSql = executedSql;
            return this;
        }

        public Builder decision(String decision, String enforceDecision) {
            this.decision = decision;
            this.enforceDecision = enforceDecision;
            return this;
        }

        public Builder rules(List<RuleVerdict> rules) {
            this.rules = rules;
            return this;
        }

        /** The lock the statement as written takes, and the one the statement as sent takes. */
        public Builder lock(LockImpact lock, LockImpact executedLock) {
            this.lock = lock;
            this.executedLock = executedLock;
            return this;
        }

        public Builder durationMs(Long durationMs) {
            this.durationMs = durationMs;
            return this;
        }

        public Builder outcome(String outcome) {
            this.outcome = outcome;
            return this;
        }

        public Builder error(String error) {
            this.error = error;
            return this;
        }

        public Builder rewrittenSql(String rewrittenSql) {
            this.rewrittenSql = rewrittenSql;
            return this;
        }

        public Builder attempts(Integer attempts) {
            this.attempts = attempts;
            return this;
        }

        public Builder note(String note) {
            this.note = note;
            return this;
        }

        public Builder transaction(String transaction) {
            this.transaction = transaction;
            return this;
        }

        public AuditEvent build() {
            return new AuditEvent(
                    ts,
                    db,
                    target,
                    user,
                    schema,
                    sql,
                    executedSql,
                    decision,
                    enforceDecision,
                    rules,
                    lock,
                    executedLock,
                    durationMs,
                    outcome,
                    error,
                    rewrittenSql,
                    attempts,
                    note,
                    transaction);
        }
    }

    /** The record as one line of JSON. */
    public String toJson() {
        StringBuilder out = new StringBuilder(512);
        Json json = new Json(out)
                .field("ts", ts.toString())
                .field("db", db)
                .field("target", target)
                .field("user", user)
                .field("schema", schema)
                .field("sql", sql)
                .field("executed_sql", executedSql)
                .field("decision", decision)
                .field("enforce_decision", enforceDecision);
        verdicts(json.raw("rules"), rules);
        lock(json.raw("lock"), lock);
        lock(json.raw("executed_lock"), executedLock);
        json.field("duration_ms", durationMs)
                .field("outcome", outcome)
                .field("transaction", transaction)
                .field("error", error)
                .field("rewritten_sql", rewrittenSql)
                .field("attempts", attempts == null ? null : attempts.longValue())
                .field("note", note)
                .end();
        return out.toString();
    }

    /** The verdicts as a JSON array: id, action, message and safe SQL of each. */
    public static void verdicts(StringBuilder out, List<RuleVerdict> rules) {
        out.append('[');
        for (int i = 0; i < rules.size(); i++) {
            RuleVerdict v = rules.get(i);
            if (i > 0) {
                out.append(',');
            }
            new Json(out)
                    .field("id", v.ruleId())
                    .field("action", v.action().value())
                    .field("message", v.message())
                    .field("safe_sql", v.safeSql())
                    .end();
        }
        out.append(']');
    }

    public static void lock(StringBuilder out, LockImpact lock) {
        if (lock == null) {
            out.append("null");
            return;
        }
        Json json = new Json(out)
                .field("mode", lock.mode())
                .strings("blocks", lock.blocks())
                .field("work", lock.work() == null ? null : lock.work().value())
                .field("table", lock.table())
                .field("rows", lock.rows())
                .field("bytes", lock.bytes())
                .field("estimated_ms", lock.estimatedMs());
        StringBuilder others = json.raw("other_tables").append('[');
        for (int i = 0; i < lock.otherTables().size(); i++) {
            if (i > 0) {
                others.append(',');
            }
            LockImpact.OtherTable o = lock.otherTables().get(i);
            new Json(others).field("table", o.table()).field("mode", o.mode()).end();
        }
        others.append(']');
        json.end();
    }
}
