package dev.ddlguard.intercept;

import dev.ddlguard.engine.ConnectionGuard;
import dev.ddlguard.engine.Judgement;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Array;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import net.ttddyy.dsproxy.ConnectionInfo;
import net.ttddyy.dsproxy.proxy.ConnectionProxyLogic;
import net.ttddyy.dsproxy.proxy.ProxyConfig;

/**
 * The guarded connection: datasource-proxy's own connection logic (statements from our factory),
 * plus overrides. Prepares are ours: the SQL is judged ({@link PrepareTransformer}) and the judgement
 * goes straight into the statement created, so concurrent prepares on one connection never mix them up.
 * Its metadata leads back to this connection, not to the driver's ({@code getMetaData().getConnection()}
 * was a way around the guard), and its arrays' result sets do not lead to a statement of the driver's
 * connection ({@link GuardedArray}). A DDL prepare the driver refuses is still audited. The end of a
 * transaction (commit, rollback, close, autocommit on) is told to the guard, which records DDL a
 * rollback took back ({@link ConnectionGuard#transactionEnds}).
 * One proxy, one reflective hop per call, as datasource-proxy alone would cost.
 */
final class GuardedConnectionHandler implements InvocationHandler {

    private final Connection real;
    private final ConnectionProxyLogic logic;
    private final ConnectionGuard guard;

    GuardedConnectionHandler(Connection real, ConnectionInfo info, ProxyConfig config, ConnectionGuard guard) {
        this.real = real;
        this.logic = new ConnectionProxyLogic(real, info, config);
        this.guard = guard;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        // Identity: datasource-proxy compares the targets of two ProxyJdbcObjects, which this proxy is not.
        if ("equals".equals(name)
                && args != null
                && args.length == 1
                && method.getParameterTypes()[0] == Object.class) {
            return proxy == args[0];
        }
        if ("hashCode".equals(name) && args == null) {
            return System.identityHashCode(proxy);
        }
        if (("prepareStatement".equals(name) || "prepareCall".equals(name))
                && args != null
                && args.length > 0
                && (args[0] == null || args[0] instanceof String)) {
            return prepare((Connection) proxy, method, args, (String) args[0]); // null SQL: the driver's to refuse
        }
        switch (name) {
            // the session's schema, which the guard keeps between DDL statements, may differ after these
            case "commit", "rollback", "setAutoCommit", "setSchema", "setCatalog" -> guard.sessionMayHaveChanged(false);
            default -> {}
        }
        if ("setCatalog".equals(name) && args != null && args.length == 1 && args[0] instanceof String database) {
            // MySQL/MariaDB: judged as the USE it sends (USE mysql makes the server's own tables unqualified names)
            Judgement use = guard.judge("USE `" + database.replace("`", "``") + "`");
            if (use != null) {
                return guard.execute(use, sql -> invokeForSql(proxy, method, args), null);
            }
        }
        Object result = guard.holdsDdl() ? endingTransaction(proxy, method, args) : logic.invoke(proxy, method, args);
        if ("unwrap".equals(name) && result != proxy) {
            guard.sessionMayHaveChanged(true); // the driver's own connection: SQL can run through it unseen
        }
        if ("getMetaData".equals(name) && result instanceof DatabaseMetaData md) {
            return EscapeHatches.metaData(md, (Connection) proxy, () -> guard.sessionMayHaveChanged(true));
        }
        if ("createArrayOf".equals(name) && result instanceof Array array) {
            return GuardedArray.wrap(array, null);
        }
        return result;
    }

    /** A call run as a judged statement's: what it throws, as an SQLException where it is none. */
    private Object invokeForSql(Object proxy, Method method, Object[] args) throws SQLException {
        try {
            return logic.invoke(proxy, method, args);
        } catch (SQLException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new SQLException(e);
        }
    }

    /**
     * A call while the transaction holds DDL: the guard watches the ones that end the transaction (JDBC 4.3,
     * {@code Connection}: setAutoCommit(true) during a transaction commits it; close() leaves the driver or the
     * server to roll it back) or set a savepoint.
     */
    private Object endingTransaction(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        ConnectionGuard.ConnectionCall call = () -> logic.invoke(proxy, method, args);
        int arity = args == null ? 0 : args.length;
        return switch (name) {
            case "commit" -> guard.transactionEnds(ConnectionGuard.TransactionEnd.COMMIT, null, "commit()", call);
            case "rollback" ->
                arity == 0
                        ? guard.transactionEnds(ConnectionGuard.TransactionEnd.ROLLBACK, null, "rollback()", call)
                        : guard.transactionEnds(
                                ConnectionGuard.TransactionEnd.ROLLBACK_TO, args[0], "rollback(Savepoint)", call);
            case "setSavepoint" ->
                guard.transactionEnds(ConnectionGuard.TransactionEnd.SAVEPOINT, null, "setSavepoint()", call);
            case "close", "abort" ->
                guard.transactionEnds(ConnectionGuard.TransactionEnd.CLOSE, null, name + "()", call);
            case "setAutoCommit" ->
                Boolean.TRUE.equals(args[0]) && !real.getAutoCommit()
                        ? guard.transactionEnds(
                                ConnectionGuard.TransactionEnd.COMMIT, null, "setAutoCommit(true)", call)
                        : call.call();
            default -> call.call();
        };
    }

    /** Judges, prepares what the judgement says to send, and wraps the driver's statement with the judgement. */
    private Object prepare(Connection proxy, Method method, Object[] args, String sql) throws Throwable {
        Judgement judgement = PrepareTransformer.judge(guard, sql);
        Object[] toDriver = args;
        if (judgement != null) {
            toDriver = args.clone();
            toDriver[0] = judgement.sqlToSend();
        }
        Object statement;
        try {
            statement = method.invoke(real, toDriver);
        } catch (InvocationTargetException wrapped) {
            Throwable e = wrapped.getTargetException();
            if (judgement != null) {
                guard.refusedByDriver(judgement, e, method.getName()); // refused before it ran: still audited
            }
            throw e;
        }
        if (statement instanceof CallableStatement call && "prepareCall".equals(method.getName())) {
            return new GuardedCallableStatement(call, proxy, guard, judgement, sql);
        }
        return new GuardedPreparedStatement((PreparedStatement) statement, proxy, guard, judgement, sql);
    }
}
