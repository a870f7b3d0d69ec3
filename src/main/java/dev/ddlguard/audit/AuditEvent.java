package dev.ddlguard.audit;

import dev.ddlguard.dialect.LockImpact;
import dev.ddlguard.engine.RuleVerdict;
import java.time.Instant;
import java.util.List;

/**
 * One audit record: one DDL statement attempted, what the guard decided, what reached the
 * database and how it ended. Field names are fixed by the product contract (SPEC.md).
 *
 * @param enforceDecision what enforce mode would decide; differs from decision only in audit mode
 * @param rewrittenSql    the safe equivalent a rule produced, also when it was only reported
 * @param attempts        how many times the statement was sent (lock-timeout retries), null when blocked
 * @param note            why the guard did something unusual (rewrite not sent, guard failure), or null
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
        String note) {

    public static final String OK = "ok";
    public static final String ERROR = "error";
    public static final String BLOCKED = "blocked";

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
        StringBuilder r = json.raw("rules").append('[');
        for (int i = 0; i < rules.size(); i++) {
            RuleVerdict v = rules.get(i);
            if (i > 0) {
                r.append(',');
            }
            new Json(r).field("id", v.ruleId()).field("action", v.action().value()).field("message", v.message())
                    .field("safe_sql", v.safeSql()).end();
        }
        r.append(']');
        lock(json.raw("lock"), lock);
        lock(json.raw("executed_lock"), executedLock);
        json.field("duration_ms", durationMs)
                .field("outcome", outcome)
                .field("error", error)
                .field("rewritten_sql", rewrittenSql)
                .field("attempts", attempts == null ? null : attempts.longValue())
                .field("note", note)
                .end();
        return out.toString();
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
