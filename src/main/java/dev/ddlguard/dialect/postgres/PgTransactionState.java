package dev.ddlguard.dialect.postgres;

import java.lang.reflect.Method;
import java.sql.Connection;

/**
 * pgjdbc's transaction status of a connection ({@code BaseConnection.getTransactionState()}: IDLE, OPEN,
 * FAILED), which it keeps from the status byte of every ReadyForQuery message: reading it costs no round
 * trip. Read by reflection, since pgjdbc is not a dependency of the guard; null for any other driver.
 */
final class PgTransactionState {

    private static final String BASE_CONNECTION = "org.postgresql.core.BaseConnection";

    private PgTransactionState() {
    }

    static String of(Connection connection) {
        try {
            Class<?> base = Class.forName(BASE_CONNECTION, false, connection.getClass().getClassLoader());
            Object pg = base.isInstance(connection) ? connection
                    : connection.isWrapperFor(base) ? connection.unwrap(base) : null;
            if (pg == null) {
                return null;
            }
            Method state = base.getMethod("getTransactionState");
            Object value = state.invoke(pg);
            return value == null ? null : value.toString();
        } catch (ReflectiveOperationException | LinkageError | java.sql.SQLException | RuntimeException e) {
            return null;   // not pgjdbc, or one without the method: the caller falls back on autocommit
        }
    }
}
