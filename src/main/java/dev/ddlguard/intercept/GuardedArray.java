package dev.ddlguard.intercept;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * An SQL array read or created through a guarded connection. The driver's {@code getResultSet()} may
 * lead back to an unguarded statement (PostgreSQL's runs on a statement of the driver's own
 * connection); this one wraps it like any other result set ({@link GuardedResultSet}). Arrays handed
 * back to the driver ({@code setArray}, {@code setObject}, {@code updateArray}, …) are unwrapped
 * first: drivers recognise their own arrays by class (MariaDB refuses any other).
 *
 * <p>Hand-written, like {@link GuardedResultSet}: no reflection. An array is a value, so
 * {@code equals}, {@code hashCode} and {@code toString} are the driver's (PostgreSQL's
 * {@code toString()} is the array literal). {@link ForwardingArray} forwards every other call.
 */
final class GuardedArray extends ForwardingArray {

    /** The guarded statement the array was read from, which its result sets return; null when there is none. */
    private final Statement statement;

    private GuardedArray(Array delegate, Statement statement) {
        super(delegate);
        this.statement = statement;
    }

    /** The driver's array, wrapped; null stays null. */
    static Array wrap(Array array, Statement statement) {
        return array == null || array instanceof GuardedArray ? array : new GuardedArray(array, statement);
    }

    /** Any parameter value, with a guarded array replaced by the driver's own. */
    static Object unwrapped(Object value) {
        return value instanceof GuardedArray guarded ? guarded.delegate : value;
    }

    // ------------------------------------------------------------------ back doors: lead to guarded objects only

    @Override
    public ResultSet getResultSet() throws SQLException {
        return guarded(delegate.getResultSet());
    }

    @Override
    public ResultSet getResultSet(Map<String, Class<?>> map) throws SQLException {
        return guarded(delegate.getResultSet(map));
    }

    @Override
    public ResultSet getResultSet(long index, int count) throws SQLException {
        return guarded(delegate.getResultSet(index, count));
    }

    @Override
    public ResultSet getResultSet(long index, int count, Map<String, Class<?>> map) throws SQLException {
        return guarded(delegate.getResultSet(index, count, map));
    }

    private ResultSet guarded(ResultSet rs) {
        return rs == null ? null : new GuardedResultSet(rs, statement);
    }

    // ------------------------------------------------------------------ a value: the driver's identity

    @Override
    public boolean equals(Object other) {
        return other == this || delegate.equals(unwrapped(other));
    }

    @Override
    public int hashCode() {
        return delegate.hashCode();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
