package dev.ddlguard.dialect.postgres;

import dev.ddlguard.rules.Catalog;
import dev.ddlguard.rules.LockImpact;
import dev.ddlguard.rules.LockImpact.OtherTable;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.QualifiedName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Who a statement would queue behind, on every table it locks: its own table and each other one (a foreign
 * key's parent, a partition's parent, a dropped foreign key's parent from the catalog, an index's table).
 * A lock request waits for every conflicting lock already granted on that relation (13.3.1, Table 13.2),
 * and while it waits every later request on the relation that conflicts with it waits too.
 */
final class PgLockQueue {

    private PgLockQueue() {}

    /**
     * One part per table with conflicting holders ({@code needs SHARE ROW EXCLUSIVE on parent, held against it
     * by: …}), joined by "; and "; null when nothing conflicts. A table whose lock blocks nobody (a relation the
     * statement creates, SHARE UPDATE EXCLUSIVE) queues behind nothing that matters and is skipped.
     */
    static String conflicts(
            DdlStatement s, LockImpact judged, Catalog catalog, Function<List<Catalog.Session>, String> describe) {
        List<String> parts = new ArrayList<>();
        waits(s, judged, catalog)
                .forEach((table, wait) -> parts.add("needs " + wait.mode() + " on " + table + ", held against it by: "
                        + describe.apply(wait.holders())));
        return parts.isEmpty() ? null : parts.stream().collect(Collectors.joining("; and "));
    }

    /** Every session the statement would queue behind, on any of its tables, each once. */
    static List<Catalog.Session> holders(DdlStatement s, Catalog catalog) {
        Map<Integer, Catalog.Session> sessions = new LinkedHashMap<>();
        waits(s, null, catalog).values().forEach(w -> w.holders().forEach(h -> sessions.putIfAbsent(h.pid(), h)));
        return List.copyOf(sessions.values());
    }

    /** The lock needed on one table, and the sessions holding a lock that conflicts with it. */
    private record Wait(String mode, List<Catalog.Session> holders) {}

    /**
     * By table, in the order the statement locks them: only tables with conflicting holders.
     *
     * @param judged the statement's lock impact when the judge computed it already, else null
     */
    private static Map<String, Wait> waits(DdlStatement s, LockImpact judged, Catalog catalog) {
        LockImpact impact = judged != null ? judged : new PostgresDialect().lockImpact(s, catalog);
        Map<String, String> locked = new LinkedHashMap<>();
        String table = impact.table() != null
                ? impact.table()
                : s.table() != null ? s.table().toSql() : null;
        if (table != null && impact.mode() != null && impact.blocksAnything()) {
            locked.put(table, impact.mode());
        }
        for (OtherTable other : impact.otherTables()) {
            if (!PostgresLockModel.blockedBy(other.mode()).isEmpty()) {
                locked.merge(
                        other.table(),
                        other.mode(),
                        (p, q) -> PostgresLockModel.strength(q) > PostgresLockModel.strength(p) ? q : p);
            }
        }
        Map<String, Wait> waits = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : locked.entrySet()) {
            // The name as SQL text, in one part: lockHolders resolves it with to_regclass, quotes and schema included.
            QualifiedName name = QualifiedName.of(e.getKey());
            QualifiedName parsed = QualifiedName.fromSql(e.getKey());
            if (parsed != null && catalog.createdInThisRun(parsed)) {
                continue; // created by this run through the guard: no other session has reason to hold it (see
                // Exemption)
            }
            List<Catalog.Session> waitFor = catalog.lockHolders(name).stream()
                    .filter(h -> PgLockModes.conflict(e.getValue(), h.mode()))
                    .toList();
            if (!waitFor.isEmpty()) {
                waits.put(e.getKey(), new Wait(e.getValue(), waitFor));
            }
        }
        return waits;
    }
}
