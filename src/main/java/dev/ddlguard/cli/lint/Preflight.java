package dev.ddlguard.cli.lint;

import dev.ddlguard.dialect.Dialect;
import dev.ddlguard.engine.JudgedStatement;
import dev.ddlguard.rules.Catalog;
import dev.ddlguard.rules.Catalog.TableSize;
import dev.ddlguard.rules.FreeSpace;
import dev.ddlguard.rules.LockImpact;
import dev.ddlguard.rules.LockImpact.Work;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.Verb;
import java.util.List;
import java.util.Locale;

/**
 * What one statement would meet on the live database now (the seed's pre-migration checklist: estimate the
 * lock, check disk): the real size of the table it locks, how long its lock would be held (an estimate), the
 * sessions it would queue behind, and the extra disk it needs against the free space the server reports.
 *
 * @param table          the table the statement locks, as written
 * @param newTable       whether an earlier statement of the folder creates it and the database does not have it yet
 * @param rows           the table's rows now (the planner's estimate on PostgreSQL, TABLE_ROWS on MySQL/MariaDB), 0 for
 *                       a new table; null when the server has no figure (a PostgreSQL table never analyzed)
 * @param bytes          the table's bytes now, indexes and TOAST included; 0 for a new table
 * @param lock           the lock as the statement would run (the rewrite when lint's enforce would send one), with the
 *                       live size and its {@code estimated_ms}
 * @param lockEstimate   how {@code estimated_ms} was computed, in words
 * @param queuedBehind   the sessions it would wait for now
 * @param extraDiskBytes the disk it needs besides what the table has: a rewrite's copy, a new index's estimated size;
 *                       0 when it writes no copy; null when unknown
 * @param extraDiskFor   what that disk is for and how it was estimated, or null when none is needed
 * @param freeSpace      the free space the server reports, or why it reports none
 * @param note           anything that qualifies the figures (a table the folder creates that exists already), or null
 */
public record Preflight(
        String table,
        boolean newTable,
        Long rows,
        Long bytes,
        LockImpact lock,
        String lockEstimate,
        List<Catalog.Session> queuedBehind,
        Long extraDiskBytes,
        String extraDiskFor,
        FreeSpace freeSpace,
        String note) {

    public Preflight {
        queuedBehind = List.copyOf(queuedBehind);
    }

    /** Whether the extra disk fits in the free space; null when either is unknown. */
    public Boolean diskFits() {
        return extraDiskBytes == null || freeSpace.bytes() == null ? null : extraDiskBytes <= freeSpace.bytes();
    }

    /**
     * The figures for a judged statement, or null when it locks no existing or folder-made table (CREATE TABLE,
     * a statement on no table). Asked while the live catalog is judging it, so each question is asked once.
     *
     * @param historyKnown whether Flyway's history told which files are applied (then a table an applied file created
     *                     and the database has is no surprise)
     */
    static Preflight of(
            JudgedStatement s,
            PreflightCatalog catalog,
            Dialect dialect,
            long throughput,
            boolean mysql,
            boolean historyKnown) {
        LockImpact running = s.rewriteSent() && s.executedLock() != null ? s.executedLock() : s.lock();
        DdlStatement ddl = s.executed();
        if (running == null || ddl == null || ddl.is(Verb.CREATE, "TABLE")) {
            return null;
        }
        QualifiedName table = ddl.table() != null
                ? dialect.sizedTable(ddl) // the table the lock's work runs over (an EXCHANGE's swapped-in one)
                : running.table() == null ? null : QualifiedName.fromSql(running.table());
        if (table == null) {
            return null;
        }
        boolean fresh = catalog.newHere(table);
        Long rows;
        Long bytes;
        String note = null;
        if (fresh) {
            rows = 0L;
            bytes = 0L;
            note =
                    "created earlier in the folder, not in the database yet: empty when created (rows a migration inserts in between are not counted)";
        } else {
            TableSize size = catalog.tableSize(table);
            rows = size.rows();
            bytes = size.bytes();
            if (catalog.alreadyThere(table)
                    && !historyKnown) { // with Flyway's history, applied files are known as such
                note = "the folder creates this table, and the database has it already: has that migration run before?";
            } else if (bytes == null && Boolean.FALSE.equals(catalog.relationExists(table))) {
                note = "not in the database, and no earlier statement of the folder creates it";
            } else if (rows == null && bytes != null) {
                note = "the server has no row count yet (PostgreSQL: the table was never analyzed; ANALYZE it for one)";
            }
        }
        if (!fresh && rows != null && rows > 0 && dropsData(ddl)) {
            // the seed's checklist: back up before a drop
            note = (note == null ? "" : note + "; ") + "drops data that is there now (" + rows
                    + " rows): back it up first";
        }
        LockImpact lock = running.onTable(running.table() != null ? running.table() : table.toSql())
                .withSize(rows, bytes, throughput);
        Long extra;
        String extraFor;
        if (lock.work() == Work.REWRITE) {
            extra = bytes;
            extraFor =
                    "a rewrite writes a new copy of the table and its indexes (the table's bytes now); the old copy is freed at commit";
        } else if (lock.work() == Work.INDEX_BUILD) {
            extra = IndexSizeEstimate.bytes(ddl, table, rows, catalog, mysql);
            extraFor = "the new index, estimated from the table's rows and the key columns' types"
                    + (mysql
                            ? " (an 8-byte primary key assumed); the build also sorts in innodb_tmpdir"
                            : "; a sort larger than maintenance_work_mem also writes temporary files of about that size while it runs");
        } else {
            extra = lock.work() == null ? null : 0L;
            extraFor = null;
        }
        List<Catalog.Session> queue = dialect.queuedBehind(ddl, catalog);
        FreeSpace free = catalog.freeSpace();
        String failed = catalog.takeFailures();
        if (failed != null) {
            note = (note == null ? "" : note + "; ") + "catalog questions not answered: " + failed;
        }
        return new Preflight(
                table.toSql(),
                fresh,
                rows,
                bytes,
                lock,
                lockEstimate(lock, throughput),
                queue,
                extra,
                extraFor,
                free,
                note);
    }

    private static boolean dropsData(DdlStatement ddl) {
        return ddl.is(Verb.DROP, "TABLE") || ddl.verb() == Verb.TRUNCATE || ddl.hasAction(AlterAction.Kind.DROP_COLUMN);
    }

    /** {@code an estimate: 61 MB of index build at 40% of ddlguard.throughput (200 MB/s)}. */
    static String lockEstimate(LockImpact lock, long throughput) {
        if (lock.work() == Work.METADATA) {
            return "a catalog change: held for a moment once granted (plus however long it queues)";
        }
        if (lock.estimatedMs() == null || lock.work() == null) {
            return "unknown: no size for the table";
        }
        return "an estimate: " + megabytes(lock.bytes()) + " of " + lock.work().value() + " at "
                + Math.round(lock.work().speed() * 100)
                + "% of ddlguard.throughput (" + megabytes(throughput)
                + "/s); the real time depends on the disk, the CPU and"
                + " the load (plus however long it queues)";
    }

    /** {@code 42.3 MB}: bytes in MB (2^20, as ddlguard's settings and pg_size_pretty count) with one decimal. */
    static String megabytes(Long bytes) {
        return bytes == null ? "unknown" : String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }
}
