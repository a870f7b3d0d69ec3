package dev.ddlguard.intercept;

import dev.ddlguard.engine.ConnectionGuard;
import dev.ddlguard.engine.Judgement;
import java.sql.CallableStatement;
import java.sql.Connection;

/**
 * The {@code CallableStatement} of a guarded connection: a {@link GuardedPreparedStatement} whose OUT
 * parameters are read through. A cursor or an array read from an OUT parameter is wrapped
 * ({@link EscapeHatches#value}), since the driver's would lead back to an unguarded statement: every
 * getter of such a value passes through the value hooks ({@link ForwardingCallableStatement}, generated);
 * arrays handed to the driver are unwrapped by {@link GuardedPreparedStatement}'s.
 *
 * <p>Hand-written, like {@link GuardedStatement}: no reflection, no argument array, no boxing on the
 * way to the driver. This class holds only the calls with logic; {@link ForwardingCallableStatement}
 * forwards all the others.
 */
final class GuardedCallableStatement extends ForwardingCallableStatement {

    GuardedCallableStatement(
            CallableStatement delegate, Connection connection, ConnectionGuard guard, Judgement prepared, String sql) {
        super(delegate, connection, guard, prepared, sql);
    }

    // ------------------------------------------------------------------ OUT parameters that could lead back

    /** Every array and object value read from an OUT parameter (getArray, getObject). */
    @Override
    protected <T> T fromDriver(T value, Class<T> type) {
        return EscapeHatches.value(value, type, this);
    }
}
