package dev.ddlguard.dialect.mysql;

import static dev.ddlguard.rules.LockImpact.NOTHING;
import static dev.ddlguard.rules.LockImpact.READS_AND_WRITES;
import static dev.ddlguard.rules.LockImpact.WRITES;

import dev.ddlguard.dialect.GenericLockModel;
import dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Algorithm;
import dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Flavour;
import dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Support;
import dev.ddlguard.rules.Catalog;
import dev.ddlguard.rules.LockImpact;
import dev.ddlguard.rules.LockImpact.OtherTable;
import dev.ddlguard.rules.LockImpact.Work;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.QualifiedName;
import java.util.List;

/**
 * MySQL/MariaDB lock impact from the online-DDL matrix: an online ALTER holds a shared upgradable
 * metadata lock (exclusive only briefly at its start and end); LOCK=SHARED blocks writes, EXCLUSIVE
 * blocks reads too. An explicit clause in the statement is what the server does, so it wins.
 */
final class MySqlLockModel {

    private MySqlLockModel() {}

    static LockImpact of(MySqlStatement m, int version) {
        Support support = m.support();
        if (support == null) {
            String table = m.ddl().table() == null ? null : m.ddl().table().toSql();
            LockImpact exchange = exchange(m.ddl(), table);
            if (exchange != null) {
                return exchange;
            }
            if ("USER".equals(m.ddl().objectType()) || "ROLE".equals(m.ddl().objectType())) {
                return LockImpact.of(null, NOTHING, Work.METADATA); // accounts: no table is locked
            }
            if (!MySqlOperations.unmodelled(m.ddl()).isEmpty()) {
                // fail closed: what the matrix does not know is assumed to be what ORDER BY is, a table copy
                // under LOCK=SHARED; the blocking-lock catch-all then judges it
                return new LockImpact(
                        "SHARED_NO_WRITE metadata lock (assumed: a table copy, ALGORITHM=COPY)",
                        WRITES,
                        Work.REWRITE,
                        table,
                        null,
                        null,
                        null,
                        List.of());
            }
            LockImpact generic = GenericLockModel.of(m.ddl());
            String mode = generic.blocks().isEmpty() ? null : "EXCLUSIVE metadata lock";
            return new LockImpact(
                    mode, generic.blocks(), generic.work(), generic.table(), null, null, null, generic.otherTables());
        }
        String lock = m.lock() != null ? m.lock() : support.lock().name();
        String algorithm =
                m.algorithm() != null ? m.algorithm() : support.algorithm().name();
        // A written ALGORITHM=COPY without LOCK (or LOCK=DEFAULT) takes a shared lock whatever the operation could do
        // online: "COPY algorithm requires a lock" on MySQL and on MariaDB before 11.2's online copy.
        boolean onlineCopy = m.flavour() == Flavour.MARIADB && version >= OnlineDdlMatrix.MARIADB_11_2;
        if ("COPY".equals(m.algorithm()) && (m.lock() == null || m.lock().equals("DEFAULT")) && !onlineCopy) {
            lock = "SHARED";
        }
        boolean instant = algorithm.equals(Algorithm.INSTANT.name());
        String mode;
        List<String> blocks;
        switch (lock) {
            case "NONE" -> {
                mode = instant
                        ? "EXCLUSIVE metadata lock, briefly (INSTANT)"
                        : "SHARED_UPGRADABLE metadata lock (LOCK=NONE)";
                blocks = NOTHING;
            }
            case "SHARED" -> {
                mode = "SHARED_NO_WRITE metadata lock (LOCK=SHARED)";
                blocks = WRITES;
            }
            case "EXCLUSIVE" -> {
                mode = "EXCLUSIVE metadata lock (LOCK=EXCLUSIVE)";
                blocks = READS_AND_WRITES;
            }
            default -> { // DEFAULT: the least the algorithm needs
                mode = support.concurrentDml() ? "SHARED_UPGRADABLE metadata lock" : "SHARED_NO_WRITE metadata lock";
                blocks = support.concurrentDml() ? NOTHING : WRITES;
            }
        }
        Work work = instant
                ? Work.METADATA
                : support.rebuildsTable() || algorithm.equals("COPY")
                        ? Work.REWRITE
                        : m.operations().stream().anyMatch(OnlineDdlOperation::buildsIndex)
                                ? Work.INDEX_BUILD
                                : Work.METADATA;
        String table = m.ddl().table() == null ? null : m.ddl().table().toSql();
        return new LockImpact(mode, blocks, work, table, null, null, null, List.of());
    }

    /**
     * EXCHANGE PARTITION, which the online-DDL tables do not cover. Measured on MariaDB 10.11: while the rows of the
     * swapped-in table are checked, writes to both tables wait and reads go on; the swap itself is brief.
     */
    private static LockImpact exchange(DdlStatement ddl, String table) {
        AlterAction a = PartitionRules.exchange(ddl);
        if (a == null) {
            return null;
        }
        QualifiedName swapped = PartitionRules.swappedInTable(ddl, a);
        boolean checks = PartitionRules.checksRows(ddl, a);
        String otherMode = checks ? "SHARED_NO_WRITE metadata lock" : "EXCLUSIVE metadata lock, briefly";
        return new LockImpact(
                checks
                        ? "SHARED_NO_WRITE metadata lock while the swapped-in rows are checked"
                        : "EXCLUSIVE metadata lock, briefly (WITHOUT VALIDATION)",
                checks ? WRITES : READS_AND_WRITES,
                checks ? Work.SCAN : Work.METADATA,
                table,
                null,
                null,
                null,
                swapped == null ? List.of() : List.of(new OtherTable(swapped.toSql(), otherMode)));
    }

    static LockImpact of(DdlStatement ddl, Flavour flavour, int version, Catalog catalog) {
        List<QualifiedName> copied = CopyRules.lockedSources(ddl, catalog, flavour);
        if (!copied.isEmpty()) {
            return copy(copied);
        }
        return of(MySqlStatement.of(ddl, flavour, version, catalog), version);
    }

    /**
     * CREATE TABLE … SELECT reading with locks (REPEATABLE READ, or a locking clause): measured on MariaDB 10.11,
     * a write to a row already copied waits for the copy's end; reads go on. The first source sizes the estimate.
     */
    private static LockImpact copy(List<QualifiedName> sources) {
        String mode = "shared row locks (held until the copy commits)";
        return new LockImpact(
                mode,
                WRITES,
                Work.SCAN,
                sources.get(0).toSql(),
                null,
                null,
                null,
                sources.subList(1, sources.size()).stream()
                        .map(t -> new OtherTable(t.toSql(), mode))
                        .toList());
    }
}
