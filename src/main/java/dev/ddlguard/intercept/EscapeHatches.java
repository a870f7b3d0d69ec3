package dev.ddlguard.intercept;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Closes the JDBC back doors to the driver's own objects (issue 8). Without these, code holding a
 * guarded connection could reach the unguarded one through {@code getMetaData().getConnection()}
 * (datasource-proxy hands out the driver's DatabaseMetaData as is), through
 * {@code executeQuery(…).getStatement()} (the driver's ResultSet returns the driver's Statement), or
 * through the result set of an SQL array or a cursor ({@code getArray(…).getResultSet().getStatement()}),
 * and send DDL unseen. Statements, result sets and arrays are hand-written delegates
 * ({@link GuardedStatement}, {@link GuardedResultSet}, {@link GuardedArray}); the metadata, which is
 * rarely called, is a reflective proxy that overrides only {@code getConnection} and wraps its result
 * sets. {@code unwrap} still returns the driver's object on request: that is an explicit, documented
 * way out, not an accident.
 */
final class EscapeHatches {

    private EscapeHatches() {}

    /**
     * Metadata whose {@code getConnection()} is the guarded connection; its result sets have no statement. Its
     * {@code unwrap} to the driver's metadata (or a result set's to the driver's) leads to the driver's connection:
     * {@code handedOut} is told, as for the connection's own unwrap (an outside tester's find: a search_path set
     * through it went unseen, and a run's table name then found another schema's table).
     */
    static DatabaseMetaData metaData(DatabaseMetaData real, Connection guarded, Runnable handedOut) {
        if (real == null) {
            return null;
        }
        return proxy(DatabaseMetaData.class, new Handler(real) {
            @Override
            Object special(Object proxy, Method method, Object[] args) {
                return method.getName().equals("getConnection") ? guarded : NOT_SPECIAL;
            }

            @Override
            void unwrapping() {
                handedOut.run();
            }

            @Override
            Object result(Object value) {
                // JDBC: getStatement() of a metadata result set may be null; the driver's would be unguarded.
                return value instanceof ResultSet rs ? new GuardedResultSet(rs, null, handedOut) : value;
            }
        });
    }

    /**
     * A value read from a column or an OUT parameter: an array or a cursor (a result set) is wrapped,
     * the driver's would lead back to an unguarded statement; anything else is returned as it is.
     *
     * @param statement the guarded statement the value was read through; null for metadata
     */
    static Object value(Object value, Statement statement) {
        if (value instanceof ResultSet rs) {
            return new GuardedResultSet(rs, statement);
        }
        if (value instanceof Array array) {
            return GuardedArray.wrap(array, statement);
        }
        return value;
    }

    /**
     * {@link #value(Object, Statement)} for {@code getObject(…, type)}: wrapped only while the wrapper
     * is still of the requested type (asking for the driver's class is an explicit way out).
     */
    static <T> T value(T value, Class<T> type, Statement statement) {
        Object guarded = value(value, statement);
        return guarded != value && type.isInstance(guarded) ? type.cast(guarded) : value;
    }

    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return type.cast(Proxy.newProxyInstance(EscapeHatches.class.getClassLoader(), new Class<?>[] {type}, handler));
    }

    /** Delegates everything to {@code target} except what {@link #special} answers. */
    private abstract static class Handler implements InvocationHandler {

        static final Object NOT_SPECIAL = new Object();

        final Object target;

        Handler(Object target) {
            this.target = target;
        }

        abstract Object special(Object proxy, Method method, Object[] args) throws SQLException;

        Object result(Object value) {
            return value;
        }

        /** The driver's object is about to be handed out ({@code unwrap} to its type). */
        void unwrapping() {}

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "unwrap" -> {
                    Class<?> type = (Class<?>) args[0];
                    if (type.isInstance(proxy)) {
                        return proxy;
                    }
                    unwrapping();
                }
                case "isWrapperFor" -> {
                    if (((Class<?>) args[0]).isInstance(proxy)) {
                        return true;
                    }
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "toString" -> {
                    return "ddlguard:" + target;
                }
                default -> {
                    Object answer = special(proxy, method, args);
                    if (answer != NOT_SPECIAL) {
                        return answer;
                    }
                }
            }
            try {
                return result(method.invoke(target, args));
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
