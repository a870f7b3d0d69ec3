package dev.ddlguard.intercept;

import java.sql.SQLException;
import java.sql.Wrapper;

/**
 * What a guarded JDBC object (a statement, a result set, a data source) says of itself, the same for each:
 * it is a wrapper for its own types and for whatever the object it wraps is a wrapper for, and it prints
 * as {@code ddlguard:} and that object. The root of {@link ForwardingStatement}, {@link ForwardingResultSet}
 * and {@link ForwardingDataSource}, which hold the wrapped object with its own type; {@code unwrap} stays
 * with each {@code Guarded*} class, since what handing out the driver's object means differs.
 */
abstract class DriverWrapper {

    /** The wrapped object, the same as the subclass's {@code delegate}. */
    private final Wrapper wrapped;

    DriverWrapper(Wrapper wrapped) {
        this.wrapped = wrapped;
    }

    /** {@code isWrapperFor}: this object when it is of the requested type, else the wrapped one's answer. */
    final boolean wraps(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || wrapped.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return "ddlguard:" + wrapped;
    }
}
