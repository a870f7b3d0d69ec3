package dev.ddlguard.engine;

import dev.ddlguard.audit.AuditEvent;
import dev.ddlguard.audit.AuditLog;
import dev.ddlguard.dialect.Dialect;
import dev.ddlguard.engine.ConnectionGuard.ConnectionCall;
import dev.ddlguard.engine.ConnectionGuard.TransactionEnd;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Follows the transaction of one guarded connection for the audit: which transaction each DDL statement
 * ran in, and, for DDL an open PostgreSQL transaction holds, how that transaction ends. DDL that a rollback
 * takes back gets a second record, {@code "outcome":"rolled_back"} (issue 13: it was recorded as done).
 *
 * <p>No query of its own: the connection's calls and, while DDL is held, the first words of short
 * statements tell how the transaction ends; pgjdbc's own transaction status (kept from every reply)
 * tells whether one is open and whether an error aborted it.
 */
final class TransactionWatch {

    private final Connection raw;
    private final Dialect connected;
    private final HeldDdl held = new HeldDdl();

    TransactionWatch(Connection raw, Dialect connected) {
        this.raw = raw;
        this.connected = connected;
    }

    /** Whether the open transaction holds DDL; one volatile read. */
    boolean holdsDdl() {
        return held.any();
    }

    /** Holds the record of DDL that ran in an open transaction, until that transaction ends. */
    void hold(AuditEvent event) {
        held.hold(event);
    }

    /**
     * The transaction the DDL that just ran is in: the driver's own state where it keeps one (pgjdbc,
     * no round trip; it also sees a BEGIN sent as SQL), else the autocommit flag read before the statement.
     */
    String of(boolean autocommit) {
        if (connected.ddlCommitsImplicitly()) {
            return autocommit ? AuditEvent.AUTOCOMMIT : AuditEvent.IMPLICIT_COMMIT;
        }
        String state = connected.transactionState(raw);
        boolean open = state == null ? !autocommit : !"IDLE".equals(state);
        return open ? AuditEvent.OPEN : AuditEvent.AUTOCOMMIT;
    }

    /** A call on the connection that may end the transaction ({@link ConnectionGuard#transactionEnds}). */
    Object ends(TransactionEnd end, Object savepoint, String how, ConnectionCall call) throws Throwable {
        String before = connected.transactionState(raw);
        Throwable failure = null;
        Object result = null;
        try {
            result = call.call();
            return result;
        } catch (Throwable e) {
            failure = e;
            throw e;
        } finally {
            settle(end, end == TransactionEnd.SAVEPOINT ? result : savepoint, how, before, failure);
        }
    }

    /**
     * A string without DDL while the transaction holds DDL: a COMMIT, ROLLBACK, SAVEPOINT … is followed ({@link
     * Judgement#transactionControl}); any other that may end the transaction unseen (a ROLLBACK after a SELECT in one
     * string, a PREPARE TRANSACTION that fails and rolls back) makes the run's records be asked again: an outside
     * tester's old tables were dropped as the run's after both.
     */
    Judgement control(String sql) {
        if (TransactionControl.of(sql) != null) {
            return Judgement.transactionControl(sql);
        }
        if (MAY_END.matcher(sql).find()) {
            RunCreatedTables.mayHaveGone();
        }
        return null;
    }

    private static final Pattern MAY_END = Pattern.compile("(?i)\\b(ROLLBACK|ABORT|PREPARE|END|COMMIT)\\b");

    /** A COMMIT, ROLLBACK, SAVEPOINT … sent as SQL while the transaction holds DDL ({@link Judgement#transactionControl}). */
    <T> T endsTransaction(String sql, SqlCall<T> call) throws SQLException {
        TransactionControl control = TransactionControl.of(sql);
        String before = connected.transactionState(raw);
        Throwable failure = null;
        try {
            return call.call(sql);
        } catch (Throwable e) {
            failure = e;
            throw e;
        } finally {
            if (control != null) {
                String how = "SQL " + sql.strip();
                switch (control.kind()) {
                    case COMMIT -> settle(TransactionEnd.COMMIT, null, how, before, failure);
                    case ROLLBACK -> settle(TransactionEnd.ROLLBACK, null, how, before, failure);
                    case ROLLBACK_TO -> settle(TransactionEnd.ROLLBACK_TO, control.savepoint(), how, before, failure);
                    case SAVEPOINT -> settle(TransactionEnd.SAVEPOINT, control.savepoint(), how, before, failure);
                    case PREPARE -> {
                        RunCreatedTables.mayHaveGone(); // it may fail and roll back, or be rolled back elsewhere
                        if (failure == null) {
                            // its fate is decided by COMMIT/ROLLBACK PREPARED, maybe elsewhere: not followed further
                            held.release();
                        }
                    }
                }
            }
        }
    }

    /**
     * How the transaction ended for the DDL it held. A COMMIT of a failed PostgreSQL transaction rolls it
     * back (the server answers ROLLBACK; pgjdbc does not throw by default); a COMMIT that fails leaves no
     * transaction behind there either; a ROLLBACK that fails because the connection broke leaves the server
     * to roll back. Where the driver says no transaction was open any more before the call (an end the
     * guard did not see), the held records are dropped: neither outcome can be told.
     */
    private void settle(TransactionEnd end, Object savepoint, String how, String before, Throwable failure) {
        if ("IDLE".equals(before) && end != TransactionEnd.SAVEPOINT && end != TransactionEnd.ROLLBACK_TO) {
            held.release();
            return;
        }
        switch (end) {
            case COMMIT -> {
                if (failure == null && !"FAILED".equals(before)) {
                    RunCreatedTables.committed(raw);
                    held.release();
                } else if (failure == null) {
                    recordRolledBack(held.rollBack(), how + ", in a transaction an error had aborted");
                } else if ("IDLE".equals(connected.transactionState(raw))) {
                    recordRolledBack(held.rollBack(), how + ", which failed: " + AuditWriter.message(failure));
                }
            }
            case ROLLBACK -> recordRolledBack(held.rollBack(), how);
            case CLOSE -> recordRolledBack(held.rollBack(), how + " without a commit");
            case ROLLBACK_TO -> {
                if (failure == null) {
                    recordRolledBack(held.rollBackTo(key(savepoint)), how);
                }
            }
            case SAVEPOINT -> {
                if (failure == null) {
                    held.savepoint(key(savepoint));
                    if (savepoint instanceof Savepoint jdbc) {
                        held.savepoint(nameOf(jdbc)); // setSavepoint("a") is ROLLBACK TO a in SQL too
                    }
                }
            }
        }
    }

    /**
     * One key for a savepoint however it was named: a JDBC Savepoint as itself; a name from SQL as the server compares
     * it, quotes taken off ({@code SAVEPOINT "a"} and {@code ROLLBACK TO a} are the same, unquoted names come folded).
     * An unknown name counts as rolling back everything held (HeldDdl), so a mismatch recorded kept changes as
     * rolled back (an outside tester's find).
     */
    private static Object key(Object savepoint) {
        return savepoint instanceof String name && name.length() > 1 && name.startsWith("\"") && name.endsWith("\"")
                ? name.substring(1, name.length() - 1).replace("\"\"", "\"")
                : savepoint;
    }

    /** The name a JDBC savepoint has on the server (pgjdbc and MariaDB send the name as given), or null: unnamed. */
    private static String nameOf(Savepoint savepoint) {
        try {
            return savepoint.getSavepointName();
        } catch (SQLException | RuntimeException e) {
            return null; // an unnamed savepoint: only the object rolls back to it
        }
    }

    private static void recordRolledBack(List<AuditEvent> events, String how) {
        RunCreatedTables.mayHaveGone(); // a CREATE TABLE among them leaves its record behind
        for (AuditEvent e : events) {
            AuditLog.record(e.rolledBack(Instant.now(), how));
        }
    }
}
