package dev.ddlguard.intercept;

import dev.ddlguard.engine.BatchEntry;
import dev.ddlguard.engine.ConnectionGuard;
import dev.ddlguard.engine.Judgement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

/**
 * The {@code PreparedStatement} of a guarded connection. Its SQL was judged when it was prepared
 * ({@link PrepareTransformer}, handed over by {@link GuardedConnectionHandler}): when it holds DDL, each execution runs through the guard with that
 * judgement; otherwise executions, and all the parameter setters, go straight to the driver.
 *
 * <p>Hand-written, like {@link GuardedStatement}, so that the setters of a hot insert or select cost
 * one direct call each: no reflection, no argument array, no boxing. This class holds only the calls
 * with logic; {@link ForwardingPreparedStatement} forwards all the others.
 */
class GuardedPreparedStatement extends ForwardingPreparedStatement {

    /** The judgement made at prepare time when this statement holds DDL; null otherwise. */
    private final Judgement prepared;
    /** The caller's SQL, judged again at each execution when it holds DDL. */
    private final String sql;

    GuardedPreparedStatement(
            PreparedStatement delegate, Connection connection, ConnectionGuard guard, Judgement prepared, String sql) {
        super(delegate, connection, guard);
        this.prepared = prepared;
        this.sql = sql;
    }

    // ------------------------------------------------------------------ executions: DDL through the guard

    // The 4 executions are generated (ForwardingPreparedStatement): each asks judgeExecution() and, when the
    // statement holds no DDL, calls the driver's method of the same name from the call itself.

    /**
     * DDL is judged again when it runs: the schema, the table's rows and this run's tables may have changed since it
     * was prepared ({@link ConnectionGuard#judgePreparedExecution}).
     */
    @Override
    protected final Judgement judgeExecution() throws SQLException {
        if (prepared == null) {
            return guard.judgeNonDdlExecution(sql); // a COMMIT or ROLLBACK of a transaction holding DDL, or null
        }
        return guard.judgePreparedExecution(sql, prepared);
    }

    @Override
    protected final Object executePrepared(Judgement j, int call) throws SQLException {
        return guard.executePrepared(j, ignored -> send(call), delegate);
    }

    @Override
    public void addBatch() throws SQLException {
        Judgement inBatch = guard.notInABatch(prepared); // a prepared CONCURRENTLY build cannot run in a batch
        if (inBatch != null && inBatch.blocked()) {
            throw guard.reject(inBatch);
        }
        delegate.addBatch();
        countBatchEntry(prepared == null ? null : new BatchEntry(prepared, batchSize(), sql, false, Map.of(), true));
    }

    // ------------------------------------------------------------------ arrays go back to the driver unwrapped

    @Override
    protected Object toDriver(Object value) {
        return GuardedArray.unwrapped(value);
    }
}
