package dev.ddlguard.cli.lint;

import dev.ddlguard.rules.Catalog;
import dev.ddlguard.rules.FreeSpace;
import dev.ddlguard.rules.LockImpact.Work;
import java.util.Locale;

/** A statement's {@link Preflight} figures as the text report's indented lines. */
final class PreflightText {

    private PreflightText() {}

    static String lines(Preflight p) {
        StringBuilder s = new StringBuilder();
        s.append("  preflight: ").append(p.table()).append(": ");
        if (p.newTable()) {
            s.append("new (0 rows)");
        } else {
            s.append(p.rows() == null ? "rows unknown" : p.rows() + " rows")
                    .append(", ")
                    .append(Preflight.megabytes(p.bytes()))
                    .append(p.bytes() == null ? "" : " (" + p.bytes() + " bytes, indexes included)");
        }
        s.append(" now\n");
        s.append("    lock: ")
                .append(p.lock().mode() == null ? "unknown" : p.lock().mode())
                .append(
                        p.lock().blocks().isEmpty()
                                ? ", blocks neither reads nor writes"
                                : ", blocks " + String.join(" and ", p.lock().blocks()));
        if (p.lock().estimatedMs() != null && p.lock().work() != Work.METADATA) {
            s.append(", held ~").append(duration(p.lock().estimatedMs()));
        }
        s.append(" (").append(p.lockEstimate()).append(")\n");
        if (p.queuedBehind().isEmpty()) {
            s.append("    queues behind: no session now\n");
        } else {
            s.append("    queues behind ")
                    .append(p.queuedBehind().size())
                    .append(p.queuedBehind().size() == 1 ? " session" : " sessions")
                    .append(" now:\n");
            for (Catalog.Session session : p.queuedBehind()) {
                s.append("      ").append(session.describe()).append('\n');
            }
        }
        s.append("    disk: ");
        if (p.extraDiskBytes() == null) {
            s.append("extra space unknown");
        } else if (p.extraDiskFor() == null) {
            s.append("no copy written");
        } else {
            s.append("needs ~")
                    .append(Preflight.megabytes(p.extraDiskBytes()))
                    .append(" more (")
                    .append(p.extraDiskFor())
                    .append(')');
        }
        FreeSpace free = p.freeSpace();
        s.append("; free: ")
                .append(free.bytes() == null ? "unknown (see the last line)" : Preflight.megabytes(free.bytes()));
        if (Boolean.FALSE.equals(p.diskFits())) {
            s.append(" -- DOES NOT FIT");
        }
        s.append('\n');
        if (p.note() != null) {
            s.append("    note: ").append(p.note()).append('\n');
        }
        return s.toString();
    }

    /** The report's last line: the free space the server reports, and where, or why there is no figure. */
    static String freeSpace(FreeSpace free) {
        return "free disk: "
                + (free.bytes() == null
                        ? "unknown: " + free.unknown()
                        : Preflight.megabytes(free.bytes()) + " (" + free.bytes() + " bytes) on " + free.where()
                                + ", as the server reports it");
    }

    /** {@code 850 ms}, {@code 12.4 s}, {@code 3.5 min}. */
    static String duration(long ms) {
        if (ms < 1000) {
            return ms + " ms";
        }
        return ms < 120_000
                ? String.format(Locale.ROOT, "%.1f s", ms / 1000.0)
                : String.format(Locale.ROOT, "%.1f min", ms / 60_000.0);
    }
}
