package dev.ddlguard.intercept;

import dev.ddlguard.engine.BatchEntry;
import dev.ddlguard.engine.ConnectionGuard;
import dev.ddlguard.engine.Judgement;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The proxy behind every {@code Statement}, {@code PreparedStatement} and {@code CallableStatement}
 * of a guarded connection. SQL-carrying calls are judged; everything else is one reflective call to
 * the driver's statement. {@code getConnection()} returns the guarded connection, so that a
 * statement cannot lead back to the unguarded one.
 */
final class GuardedStatementHandler implements InvocationHandler {

    private final Statement target;
    private final Connection proxyConnection;
    private final ConnectionGuard guard;
    /** The judgement made at prepare time when this prepared statement holds DDL; null otherwise. */
    private final Judgement prepared;
    /** DDL entries of the current batch, created only when one is added. */
    private List<BatchEntry> ddlInBatch;
    private int batchSize;

    GuardedStatementHandler(Statement target, Connection proxyConnection, ConnectionGuard guard, Judgement prepared) {
        this.target = target;
        this.proxyConnection = proxyConnection;
        this.guard = guard;
        this.prepared = prepared;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "execute", "executeUpdate", "executeLargeUpdate", "executeQuery" -> {
                if (args != null && args[0] instanceof String sql) {
                    Judgement j = guard.judge(sql);
                    if (j != null) {
                        return wrapResult(guard.execute(j, toSend -> call(method, withSql(args, toSend)), target), proxy);
                    }
                } else if (prepared != null) {
                    return wrapResult(guard.execute(prepared, ignored -> call(method, args), target), proxy);
                }
            }
            case "addBatch" -> {
                if (args != null && args[0] instanceof String sql) {
                    Judgement j = guard.judge(sql);
                    if (j != null) {
                        addDdlToBatch(j);
                        return null;
                    }
                }
                batchSize++;
            }
            case "executeBatch", "executeLargeBatch" -> {
                List<BatchEntry> entries = ddlInBatch;
                ddlInBatch = null;
                batchSize = 0;
                if (entries != null) {
                    return guard.executeBatch(entries, ignored -> call(method, args));
                }
            }
            case "clearBatch" -> {
                ddlInBatch = null;
                batchSize = 0;
            }
            case "getConnection" -> {
                return proxyConnection;
            }
            case "unwrap" -> {
                Class<?> type = (Class<?>) args[0];
                return type.isInstance(proxy) ? proxy : target.unwrap(type);
            }
            case "isWrapperFor" -> {
                Class<?> type = (Class<?>) args[0];
                return type.isInstance(proxy) || target.isWrapperFor(type);
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
                // every other method goes straight through
            }
        }
        return wrapResult(call(method, args), proxy);
    }

    /** A blocked entry fails at addBatch, so the batch never holds it; the others are audited at executeBatch. */
    private void addDdlToBatch(Judgement j) throws SQLException {
        if (j.blocked()) {
            throw guard.reject(j);
        }
        target.addBatch(j.sqlToSend());
        if (ddlInBatch == null) {
            ddlInBatch = new ArrayList<>(2);
        }
        ddlInBatch.add(new BatchEntry(j, batchSize++));
    }

    private Object call(Method method, Object[] args) throws SQLException {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql) {
                throw sql;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new SQLException(cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call " + method + " on the driver's statement", e);
        }
    }

    /**
     * executeQuery / getResultSet / getGeneratedKeys: the driver's result set would lead back to the
     * driver's statement through getStatement() (EscapeHatches), so it is handed out wrapped.
     */
    private static Object wrapResult(Object result, Object proxy) {
        return result instanceof ResultSet rs ? EscapeHatches.resultSet(rs, (Statement) proxy) : result;
    }

    private static Object[] withSql(Object[] args, String sql) {
        if (sql.equals(args[0])) {
            return args;
        }
        Object[] copy = args.clone();
        copy[0] = sql;
        return copy;
    }
}
