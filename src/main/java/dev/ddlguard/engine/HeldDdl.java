package dev.ddlguard.engine;

import dev.ddlguard.audit.AuditEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit records of DDL that ran inside the connection's still open transaction (PostgreSQL runs
 * DDL transactionally, so a rollback takes it back), with the savepoints set since the first of them.
 *
 * <p>A connection may be used by several threads in turn: changes are synchronised, and the one check
 * every statement pays, {@link #any()}, is a volatile read.
 */
final class HeldDdl {

    private final List<AuditEvent> held = new ArrayList<>();
    /** Savepoint (the driver's object, or a name) to how many records were held when it was set. */
    private final Map<Object, Integer> savepoints = new HashMap<>();

    private volatile boolean any;

    boolean any() {
        return any;
    }

    synchronized void hold(AuditEvent event) {
        held.add(event);
        any = true;
    }

    /**
     * A savepoint set while DDL is held. One set before any was held is not known here, and rolling
     * back to it takes back everything held: it was set before all of it.
     */
    synchronized void savepoint(Object savepoint) {
        if (any && savepoint != null) {
            savepoints.put(savepoint, held.size());
        }
    }

    /** The transaction ended (committed, or in a way whose outcome is unknown): nothing is held any more. */
    synchronized void release() {
        held.clear();
        savepoints.clear();
        any = false;
    }

    /** The transaction was rolled back: returns what it held. */
    synchronized List<AuditEvent> rollBack() {
        List<AuditEvent> taken = List.copyOf(held);
        release();
        return taken;
    }

    /** Rolled back to a savepoint: returns what was held since it was set (all, for a savepoint unknown here). */
    synchronized List<AuditEvent> rollBackTo(Object savepoint) {
        Integer mark = savepoint == null ? null : savepoints.get(savepoint);
        int from = mark == null ? 0 : mark;
        List<AuditEvent> since = held.subList(from, held.size());
        List<AuditEvent> taken = List.copyOf(since);
        since.clear();
        savepoints.values().removeIf(m -> m > from);
        any = !held.isEmpty();
        if (!any) {
            savepoints.clear();
        }
        return taken;
    }
}
