package dev.ddlguard.intercept;

import dev.ddlguard.engine.ConnectionGuard;
import dev.ddlguard.engine.Judgement;
import java.sql.Array;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLType;
import java.util.Map;

/**
 * The {@code CallableStatement} of a guarded connection: a {@link GuardedPreparedStatement} whose OUT
 * parameters are read through. A cursor or an array read from an OUT parameter is wrapped
 * ({@link EscapeHatches#value}), since the driver's would lead back to an unguarded statement.
 *
 * <p>Hand-written, like {@link GuardedStatement}: no reflection, no argument array, no boxing on the
 * way to the driver. This class holds only the calls with logic; {@link ForwardingCallableStatement}
 * forwards all the others.
 */
final class GuardedCallableStatement extends ForwardingCallableStatement {

    GuardedCallableStatement(
            CallableStatement delegate, Connection connection, ConnectionGuard guard, Judgement prepared) {
        super(delegate, connection, guard, prepared);
    }

    // ------------------------------------------------------------------ OUT parameters that could lead back

    @Override
    public Object getObject(int parameterIndex) throws SQLException {
        return EscapeHatches.value(delegate.getObject(parameterIndex), this);
    }

    @Override
    public Object getObject(String parameterName) throws SQLException {
        return EscapeHatches.value(delegate.getObject(parameterName), this);
    }

    @Override
    public <T> T getObject(int parameterIndex, Class<T> type) throws SQLException {
        return EscapeHatches.value(delegate.getObject(parameterIndex, type), type, this);
    }

    @Override
    public <T> T getObject(String parameterName, Class<T> type) throws SQLException {
        return EscapeHatches.value(delegate.getObject(parameterName, type), type, this);
    }

    @Override
    public Object getObject(int parameterIndex, Map<String, Class<?>> map) throws SQLException {
        return EscapeHatches.value(delegate.getObject(parameterIndex, map), this);
    }

    @Override
    public Object getObject(String parameterName, Map<String, Class<?>> map) throws SQLException {
        return EscapeHatches.value(delegate.getObject(parameterName, map), this);
    }

    @Override
    public Array getArray(int parameterIndex) throws SQLException {
        return GuardedArray.wrap(delegate.getArray(parameterIndex), this);
    }

    @Override
    public Array getArray(String parameterName) throws SQLException {
        return GuardedArray.wrap(delegate.getArray(parameterName), this);
    }

    // ------------------------------------------------------------------ arrays go back to the driver unwrapped

    @Override
    public void setObject(String parameterName, Object x) throws SQLException {
        delegate.setObject(parameterName, GuardedArray.unwrapped(x));
    }

    @Override
    public void setObject(String parameterName, Object x, int targetSqlType) throws SQLException {
        delegate.setObject(parameterName, GuardedArray.unwrapped(x), targetSqlType);
    }

    @Override
    public void setObject(String parameterName, Object x, SQLType targetSqlType) throws SQLException {
        delegate.setObject(parameterName, GuardedArray.unwrapped(x), targetSqlType);
    }

    @Override
    public void setObject(String parameterName, Object x, int targetSqlType, int scale) throws SQLException {
        delegate.setObject(parameterName, GuardedArray.unwrapped(x), targetSqlType, scale);
    }

    @Override
    public void setObject(String parameterName, Object x, SQLType targetSqlType, int scaleOrLength)
            throws SQLException {
        delegate.setObject(parameterName, GuardedArray.unwrapped(x), targetSqlType, scaleOrLength);
    }
}
