package dev.ddlguard.dialect.postgres;

import static dev.ddlguard.rules.LockImpact.NOTHING;

import dev.ddlguard.rules.Catalog;
import dev.ddlguard.rules.LockImpact;
import dev.ddlguard.rules.LockImpact.OtherTable;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Verb;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a statement's locks differ between PostgreSQL major versions. {@link PostgresLockModel} describes the
 * current servers (14 and later); each entry here is what an older server does instead, traced on the real
 * servers of both sides of the boundary by {@code PostgresLockTableTest}'s version matrix (issue 17):
 *
 * <ul>
 *   <li>ATTACH PARTITION: ACCESS EXCLUSIVE on the partitioned parent before 12 (SHARE UPDATE EXCLUSIVE since);
 *   <li>ALTER INDEX … RENAME: ACCESS EXCLUSIVE on the index before 12 (SHARE UPDATE EXCLUSIVE since), which
 *       makes every query planned on its table wait;
 *   <li>DETACH PARTITION: SHARE UPDATE EXCLUSIVE on the partition before 14 (ACCESS EXCLUSIVE since, when
 *       CONCURRENTLY came); the parent's ACCESS EXCLUSIVE is the same on every version;
 *   <li>DROP STATISTICS: no lock on the statistics object's table before 12 (SHARE UPDATE EXCLUSIVE since).
 * </ul>
 *
 * The server's version comes from the live catalog ({@code server_version_num}), asked only for these forms;
 * without a connection the model is the current servers'.
 */
final class PgLockVersions {

    private PgLockVersions() {}

    static LockImpact adjust(DdlStatement s, LockImpact impact, Catalog catalog) {
        if (!dependsOnVersion(s)) {
            return impact;
        }
        int version = version(catalog);
        if (version == 0 || version >= 140000) {
            return impact;
        }
        if (s.hasAction(AlterAction.Kind.ATTACH_PARTITION) && version < 120000) {
            return strongerOnTable(impact, PostgresLockModel.ACCESS_EXCLUSIVE);
        }
        if (s.is(Verb.ALTER, "INDEX")
                && PgNames.hasWords(s, "RENAME", "TO")
                && version < 120000
                && PostgresLockModel.SHARE_UPDATE_EXCLUSIVE.equals(impact.mode())) {
            return strongerOnTable(impact, PostgresLockModel.ACCESS_EXCLUSIVE);
        }
        if (s.is(Verb.DROP, "STATISTICS") && version < 120000) {
            return impact.table() == null
                    ? impact
                    : LockImpact.of(null, NOTHING, impact.work()).onTable(impact.table());
        }
        if (s.hasAction(AlterAction.Kind.DETACH_PARTITION)) {
            List<OtherTable> others = new ArrayList<>();
            for (OtherTable o : impact.otherTables()) {
                others.add(
                        PostgresLockModel.ACCESS_EXCLUSIVE.equals(o.mode())
                                ? new OtherTable(o.table(), PostgresLockModel.SHARE_UPDATE_EXCLUSIVE)
                                : o);
            }
            return LockImpact.of(impact.mode(), impact.blocks(), impact.work())
                    .onTable(impact.table())
                    .withOthers(others);
        }
        return impact;
    }

    /** Only these forms make the model ask the server's version (a catalog round trip). */
    private static boolean dependsOnVersion(DdlStatement s) {
        return s.hasAction(AlterAction.Kind.ATTACH_PARTITION)
                || s.hasAction(AlterAction.Kind.DETACH_PARTITION)
                || s.is(Verb.ALTER, "INDEX")
                || s.is(Verb.DROP, "STATISTICS");
    }

    /** server_version_num (150004 for 15.4), or 0 when not connected or not a number. */
    static int version(Catalog catalog) {
        String v = catalog.setting("server_version_num");
        if (v == null) {
            return 0;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static LockImpact strongerOnTable(LockImpact impact, String mode) {
        return LockImpact.of(mode, PostgresLockModel.blockedBy(mode), impact.work())
                .onTable(impact.table())
                .withOthers(impact.otherTables());
    }
}
