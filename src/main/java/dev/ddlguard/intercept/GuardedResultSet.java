package dev.ddlguard.intercept;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.Statement;
import java.util.Map;

/**
 * Every {@code ResultSet} handed out by a guarded connection. The driver's result set would lead back
 * to the driver's statement through {@code getStatement()}, and from there to the unguarded
 * connection; this one returns the guarded statement instead (null for metadata). Arrays and cursors
 * read from its columns are wrapped too ({@link EscapeHatches#value}). {@code unwrap} still returns the
 * driver's object on request: an explicit, documented way out, not an accident.
 *
 * <p>Hand-written rather than a {@code java.lang.reflect.Proxy}: {@code next()} and the getters are one
 * direct call each, with no reflection, no argument array and no boxing, and a select costs one small
 * object. This class holds only the calls with logic; {@link ForwardingResultSet} forwards all the others.
 */
final class GuardedResultSet extends ForwardingResultSet {

    /** The guarded statement that produced this result set; null for metadata. */
    private final Statement statement;

    GuardedResultSet(ResultSet delegate, Statement statement) {
        super(delegate);
        this.statement = statement;
    }

    // ------------------------------------------------------------------ back doors: lead to guarded objects only

    @Override
    public Statement getStatement() {
        return statement;
    }

    @Override
    public Array getArray(int columnIndex) throws SQLException {
        return GuardedArray.wrap(delegate.getArray(columnIndex), statement);
    }

    @Override
    public Array getArray(String columnLabel) throws SQLException {
        return GuardedArray.wrap(delegate.getArray(columnLabel), statement);
    }

    @Override
    public Object getObject(int columnIndex) throws SQLException {
        return EscapeHatches.value(delegate.getObject(columnIndex), statement);
    }

    @Override
    public Object getObject(String columnLabel) throws SQLException {
        return EscapeHatches.value(delegate.getObject(columnLabel), statement);
    }

    @Override
    public <T> T getObject(int columnIndex, Class<T> type) throws SQLException {
        return EscapeHatches.value(delegate.getObject(columnIndex, type), type, statement);
    }

    @Override
    public <T> T getObject(String columnLabel, Class<T> type) throws SQLException {
        return EscapeHatches.value(delegate.getObject(columnLabel, type), type, statement);
    }

    @Override
    public Object getObject(int columnIndex, Map<String, Class<?>> map) throws SQLException {
        return EscapeHatches.value(delegate.getObject(columnIndex, map), statement);
    }

    @Override
    public Object getObject(String columnLabel, Map<String, Class<?>> map) throws SQLException {
        return EscapeHatches.value(delegate.getObject(columnLabel, map), statement);
    }

    // ------------------------------------------------------------------ arrays go back to the driver unwrapped

    @Override
    public void updateArray(int columnIndex, Array x) throws SQLException {
        delegate.updateArray(columnIndex, GuardedArray.unwrapped(x));
    }

    @Override
    public void updateArray(String columnLabel, Array x) throws SQLException {
        delegate.updateArray(columnLabel, GuardedArray.unwrapped(x));
    }

    @Override
    public void updateObject(int columnIndex, Object x) throws SQLException {
        delegate.updateObject(columnIndex, GuardedArray.unwrapped(x));
    }

    @Override
    public void updateObject(String columnLabel, Object x) throws SQLException {
        delegate.updateObject(columnLabel, GuardedArray.unwrapped(x));
    }

    @Override
    public void updateObject(int columnIndex, Object x, int scaleOrLength) throws SQLException {
        delegate.updateObject(columnIndex, GuardedArray.unwrapped(x), scaleOrLength);
    }

    @Override
    public void updateObject(String columnLabel, Object x, int scaleOrLength) throws SQLException {
        delegate.updateObject(columnLabel, GuardedArray.unwrapped(x), scaleOrLength);
    }

    @Override
    public void updateObject(int columnIndex, Object x, SQLType targetSqlType) throws SQLException {
        delegate.updateObject(columnIndex, GuardedArray.unwrapped(x), targetSqlType);
    }

    @Override
    public void updateObject(String columnLabel, Object x, SQLType targetSqlType) throws SQLException {
        delegate.updateObject(columnLabel, GuardedArray.unwrapped(x), targetSqlType);
    }

    @Override
    public void updateObject(int columnIndex, Object x, SQLType targetSqlType, int scaleOrLength) throws SQLException {
        delegate.updateObject(columnIndex, GuardedArray.unwrapped(x), targetSqlType, scaleOrLength);
    }

    @Override
    public void updateObject(String columnLabel, Object x, SQLType targetSqlType, int scaleOrLength)
            throws SQLException {
        delegate.updateObject(columnLabel, GuardedArray.unwrapped(x), targetSqlType, scaleOrLength);
    }

    // ------------------------------------------------------------------ wrapper and identity

    /** This result set when it is of the requested type; the driver's otherwise (an explicit way out). */
    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        if (statement instanceof GuardedStatement guarded) {
            guarded.handedOutDriverObject(); // the driver's result set leads to the driver's statement
        }
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return wraps(iface);
    }
}
