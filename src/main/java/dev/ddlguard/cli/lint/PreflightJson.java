package dev.ddlguard.cli.lint;

import dev.ddlguard.audit.AuditEvent;
import dev.ddlguard.audit.Json;
import dev.ddlguard.rules.Catalog;

/**
 * A statement's {@link Preflight} figures as one JSON object, for the JSON report's {@code preflight} field and
 * the SARIF result's property bag. Unknown figures are null, never made up; {@code free_disk_unknown} says why.
 */
final class PreflightJson {

    private PreflightJson() {}

    /** Appends the object, or {@code null}. */
    static void write(StringBuilder out, Preflight p) {
        if (p == null) {
            out.append("null");
            return;
        }
        Json json = new Json(out).field("table", p.table());
        json.raw("new_table").append(p.newTable());
        json.field("rows", p.rows()).field("bytes", p.bytes());
        AuditEvent.lock(json.raw("lock"), p.lock());
        json.field("estimated_lock_ms", p.lock().estimatedMs()).field("lock_estimate", p.lockEstimate());
        StringBuilder queue = json.raw("queued_behind").append('[');
        for (int i = 0; i < p.queuedBehind().size(); i++) {
            Catalog.Session s = p.queuedBehind().get(i);
            queue.append(i == 0 ? "" : ",");
            new Json(queue)
                    .field("pid", (long) s.pid())
                    .field("state", s.state())
                    .field("age_seconds", s.ageSeconds())
                    .field("application", s.application())
                    .field("query", s.query())
                    .field("mode", s.mode())
                    .end();
        }
        queue.append(']');
        json.field("extra_disk_bytes", p.extraDiskBytes())
                .field("extra_disk_for", p.extraDiskFor())
                .field("free_disk_bytes", p.freeSpace().bytes())
                .field("free_disk_where", p.freeSpace().where())
                .field("free_disk_unknown", p.freeSpace().unknown());
        json.raw("disk_fits").append(p.diskFits());
        json.field("note", p.note()).end();
    }
}
