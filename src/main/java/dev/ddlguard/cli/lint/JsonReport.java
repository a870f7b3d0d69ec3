package dev.ddlguard.cli.lint;

import dev.ddlguard.audit.AuditEvent;
import dev.ddlguard.audit.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The report for scripts (README "Command line"): a JSON array with one object per DDL statement
 * judged, its fields named and shaped as in the audit record, one object per line for diffs.
 */
public final class JsonReport {

    private JsonReport() {}

    public static void write(LintResult result, Appendable out) {
        try {
            out.append('[');
            List<LintFinding> findings = result.findings();
            for (int i = 0; i < findings.size(); i++) {
                out.append(i == 0 ? "\n" : ",\n").append(object(findings.get(i)));
            }
            out.append(findings.isEmpty() ? "]\n" : "\n]\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String object(LintFinding f) {
        StringBuilder out = new StringBuilder(512);
        Json json = new Json(out)
                .field("file", f.file())
                .field("line", (long) f.line())
                .field("changeset", f.changeset())
                .field("sql", f.sql())
                .field("decision", f.decision().value());
        AuditEvent.verdicts(json.raw("rules"), f.rules());
        json.field("rewritten_sql", f.rewrittenSql());
        AuditEvent.lock(json.raw("lock"), f.lock());
        AuditEvent.lock(json.raw("executed_lock"), f.executedLock());
        json.raw("in_transaction").append(f.inTransaction());
        json.raw("lock_timeout_set").append(f.lockTimeoutSet());
        json.field("note", f.note());
        if (f.preflight() != null) {
            PreflightJson.write(
                    json.raw("preflight"), f.preflight()); // only with --url: offline objects keep their fields
        }
        json.end();
        return out.toString();
    }
}
