package dev.ddlguard.dialect.postgres;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.sql.Connection;

/**
 * pgjdbc's transaction status of a connection ({@code BaseConnection.getTransactionState()}: IDLE, OPEN,
 * FAILED), which it keeps from the status byte of every ReadyForQuery message: reading it costs no round
 * trip. Read by reflection, since pgjdbc is not a dependency of the guard; null for any other driver.
 * The look-up is made once per connection class (it is asked after every DDL statement).
 */
final class PgTransactionState {

    private static final String BASE_CONNECTION = "org.postgresql.core.BaseConnection";

    /** Per connection class: pgjdbc's BaseConnection and its getTransactionState(), or NONE. */
    private static final ClassValue<Reader> READERS = new ClassValue<>() {
        @Override
        protected Reader computeValue(Class<?> type) {
            try {
                Class<?> base = Class.forName(BASE_CONNECTION, false, type.getClassLoader());
                MethodHandle state = MethodHandles.publicLookup()
                        .findVirtual(
                                base,
                                "getTransactionState",
                                MethodType.methodType(
                                        base.getMethod("getTransactionState").getReturnType()));
                return new Reader(base, state.asType(MethodType.methodType(Object.class, Object.class)));
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                return Reader.NONE; // not pgjdbc, or one without the method: the caller falls back on autocommit
            }
        }
    };

    private record Reader(Class<?> base, MethodHandle state) {
        static final Reader NONE = new Reader(null, null);
    }

    private PgTransactionState() {}

    static String of(Connection connection) {
        Reader reader = READERS.get(connection.getClass());
        if (reader.base() == null) {
            return null;
        }
        try {
            Object pg = reader.base().isInstance(connection)
                    ? connection
                    : connection.isWrapperFor(reader.base()) ? connection.unwrap(reader.base()) : null;
            if (pg == null) {
                return null;
            }
            Object value = (Object) reader.state().invokeExact(pg); // exact (Object)Object: no adaptation per call
            return value == null ? null : value.toString();
        } catch (LinkageError | Exception e) {
            return null; // a connection that cannot say: the caller falls back on autocommit
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            return null;
        }
    }
}
