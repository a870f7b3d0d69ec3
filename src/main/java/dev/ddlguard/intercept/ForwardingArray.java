package dev.ddlguard.intercept;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/**
 * Every {@code Array} method, forwarded to the driver's array: the base of {@link GuardedArray}, which
 * overrides only the calls with logic. {@code ForwardingTest} checks that every method of the interface
 * is implemented in this class and passes its arguments and its result through unchanged.
 */
abstract class ForwardingArray implements Array {

    /** The driver's array. */
    protected final Array delegate;

    ForwardingArray(Array delegate) {
        this.delegate = delegate;
    }

    @Override
    public void free() throws SQLException {
        delegate.free();
    }

    @Override
    public Object getArray() throws SQLException {
        return delegate.getArray();
    }

    @Override
    public Object getArray(Map<String, Class<?>> map) throws SQLException {
        return delegate.getArray(map);
    }

    @Override
    public Object getArray(long index, int count) throws SQLException {
        return delegate.getArray(index, count);
    }

    @Override
    public Object getArray(long index, int count, Map<String, Class<?>> map) throws SQLException {
        return delegate.getArray(index, count, map);
    }

    @Override
    public int getBaseType() throws SQLException {
        return delegate.getBaseType();
    }

    @Override
    public String getBaseTypeName() throws SQLException {
        return delegate.getBaseTypeName();
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        return delegate.getResultSet();
    }

    @Override
    public ResultSet getResultSet(Map<String, Class<?>> map) throws SQLException {
        return delegate.getResultSet(map);
    }

    @Override
    public ResultSet getResultSet(long index, int count) throws SQLException {
        return delegate.getResultSet(index, count);
    }

    @Override
    public ResultSet getResultSet(long index, int count, Map<String, Class<?>> map) throws SQLException {
        return delegate.getResultSet(index, count, map);
    }
}
