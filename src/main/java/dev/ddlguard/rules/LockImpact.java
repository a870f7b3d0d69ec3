package dev.ddlguard.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a statement does to concurrent sessions: the lock it takes, what others must wait for, the
 * work done while it is held, and (from the live catalog, when known) how big that work is.
 *
 * @param mode        the lock mode in the database's own words (ACCESS EXCLUSIVE, SHARE, …), null when unknown
 * @param blocks      what concurrent sessions wait for: "reads", "writes"; empty when nothing waits
 * @param work        metadata | scan | rewrite | index-build
 * @param table       the table locked
 * @param rows        estimated rows of that table, from the catalog
 * @param bytes       its size on disk including indexes, from the catalog
 * @param estimatedMs a rough duration of the work at typical disk speed; null without a size
 * @param otherTables further tables locked (the parent of a foreign key, say)
 */
public record LockImpact(
        String mode,
        List<String> blocks,
        Work work,
        String table,
        Long rows,
        Long bytes,
        Long estimatedMs,
        List<OtherTable> otherTables) {

    public static final List<String> READS_AND_WRITES = List.of("reads", "writes");
    public static final List<String> WRITES = List.of("writes");
    public static final List<String> NOTHING = List.of();

    /** The work done while the lock is held, which decides how long it is held. */
    public enum Work {
        METADATA,
        SCAN,
        REWRITE,
        INDEX_BUILD;

        /** As the audit record and messages spell it: metadata, scan, rewrite, index-build. */
        public String value() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The share of the scan throughput this work runs at: a rewrite also writes the table and every index. */
        public double speed() {
            return switch (this) {
                case METADATA -> Double.POSITIVE_INFINITY;
                case SCAN -> 1.0;
                case INDEX_BUILD -> 0.4; // read, sort, write the index
                case REWRITE -> 0.25; // read, write the copy, rebuild every index
            };
        }
    }

    /** Another table the statement locks, with its own mode. */
    public record OtherTable(String table, String mode) {}

    public LockImpact {
        blocks = List.copyOf(blocks);
        otherTables = List.copyOf(otherTables);
    }

    public static LockImpact of(String mode, List<String> blocks, Work work) {
        return new LockImpact(mode, blocks, work, null, null, null, null, List.of());
    }

    public LockImpact onTable(String table) {
        return new LockImpact(mode, blocks, work, table, rows, bytes, estimatedMs, otherTables);
    }

    public LockImpact alsoLocking(OtherTable other) {
        return alsoLocking(List.of(other));
    }

    /** Several other tables in one copy (adding them one by one copies the list per table: quadratic). */
    public LockImpact alsoLocking(List<OtherTable> others) {
        if (others.isEmpty()) {
            return this;
        }
        List<OtherTable> more = new ArrayList<>(otherTables.size() + others.size());
        more.addAll(otherTables);
        more.addAll(others);
        return new LockImpact(mode, blocks, work, table, rows, bytes, estimatedMs, more);
    }

    public LockImpact withOthers(List<OtherTable> others) {
        return new LockImpact(mode, blocks, work, table, rows, bytes, estimatedMs, others);
    }

    /** Adds catalog figures and derives the time estimate from them: bytes over the work's share of the scan throughput. */
    public LockImpact withSize(Long rows, Long bytes, long scanBytesPerSecond) {
        Long estimate = null;
        if (work == Work.METADATA) {
            estimate = 0L;
        } else if (bytes != null && work != null) {
            estimate = (long) (bytes * 1000.0 / (scanBytesPerSecond * work.speed()));
        }
        return new LockImpact(mode, blocks, work, table, rows, bytes, estimate, otherTables);
    }

    /** Whether the lock conflicts with any other session's work (a lock that blocks nothing needs no warning). */
    public boolean blocksAnything() {
        return !blocks.isEmpty();
    }

    /** One line for messages: {@code ACCESS EXCLUSIVE on orders (blocks reads and writes; rewrite of 1.2 GB, ~25 s)}. */
    public String describe() {
        StringBuilder s = new StringBuilder(mode == null ? "unknown lock" : mode);
        if (table != null) {
            s.append(" on ").append(table);
        }
        s.append(" (")
                .append(
                        blocks.isEmpty()
                                ? "blocks neither reads nor writes"
                                : "blocks " + String.join(" and ", blocks));
        if (work != null) {
            s.append("; ").append(work.value());
        }
        if (rows != null) {
            s.append(", ~").append(rows).append(" rows");
        }
        if (bytes != null) {
            s.append(", ").append(bytes / 1024).append(" kB");
        }
        if (estimatedMs != null && work != Work.METADATA) {
            s.append(", ~").append(estimatedMs).append(" ms");
        }
        for (OtherTable other : otherTables) {
            s.append("; also ").append(other.mode()).append(" on ").append(other.table());
        }
        return s.append(')').toString();
    }
}
