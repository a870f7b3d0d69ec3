package dev.ddlguard.intercept;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Every {@code ResultSet} handed out by a guarded connection. The driver's result set would lead back
 * to the driver's statement through {@code getStatement()}, and from there to the unguarded
 * connection; this one returns the guarded statement instead (null for metadata). Arrays and cursors
 * read from its columns are wrapped too ({@link EscapeHatches#value}), in the value hooks every getter
 * and updater of such a value passes through ({@link ForwardingResultSet}, generated). {@code unwrap} still returns the
 * driver's object on request: an explicit, documented way out, not an accident.
 *
 * <p>Hand-written rather than a {@code java.lang.reflect.Proxy}: {@code next()} and the getters are one
 * direct call each, with no reflection, no argument array and no boxing, and a select costs one small
 * object. This class holds only the calls with logic; {@link ForwardingResultSet} forwards all the others.
 */
final class GuardedResultSet extends ForwardingResultSet {

    /** The guarded statement that produced this result set; null for metadata. */
    private final Statement statement;

    /** For a result set of no guarded statement (metadata): told when the driver's object is handed out; or null. */
    private final Runnable handedOut;

    GuardedResultSet(ResultSet delegate, Statement statement) {
        this(delegate, statement, null);
    }

    GuardedResultSet(ResultSet delegate, Statement statement, Runnable handedOut) {
        super(delegate);
        this.statement = statement;
        this.handedOut = handedOut;
    }

    // ------------------------------------------------------------------ back doors: lead to guarded objects only

    @Override
    public Statement getStatement() {
        return statement;
    }

    /** Every array and object value read from a column (getArray, getObject): a cursor or an array is wrapped. */
    @Override
    protected <T> T fromDriver(T value, Class<T> type) {
        return EscapeHatches.value(value, type, statement);
    }

    /** Arrays go back to the driver unwrapped. */
    @Override
    protected Object toDriver(Object value) {
        return GuardedArray.unwrapped(value);
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
        } else if (handedOut != null) {
            handedOut.run(); // a metadata result set: the driver's leads to the driver's connection
        }
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return wraps(iface);
    }
}
