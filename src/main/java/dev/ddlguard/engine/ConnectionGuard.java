package dev.ddlguard.engine;

import dev.ddlguard.BlockedStatementException;
import dev.ddlguard.dialect.Dialect;
import dev.ddlguard.dialect.Dialects;
import dev.ddlguard.policy.Policy;
import dev.ddlguard.rules.Catalog;
import dev.ddlguard.sql.DdlPreFilter;
import dev.ddlguard.sql.SqlSyntax;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * The guard of one connection: judges SQL strings and runs the judged ones with a lock timeout,
 * retries, follow-up statements and exactly one audit record per DDL statement.
 *
 * <p>A JDBC connection may be used by several threads in turn, and so may its guard. Judging uses the
 * connection's catalog cache and is serialised, on DDL only; what an open transaction holds is kept in
 * {@link TransactionWatch}. Nothing is handed from one call to another through a field: a prepared statement's
 * judgement travels with the statement. Non-DDL statements take no lock.
 *
 * <p>The facade the intercept layer calls: it judges here, and hands the rest on: a string that runs to
 * {@link StatementExecution} (whose attempts are {@link Retries}'), a batch to {@link BatchExecution}, the
 * records to {@link AuditWriter}, the end of a transaction to {@link TransactionWatch}.
 */
public final class ConnectionGuard {

    private final Connection raw;
    private final Policy policy;
    private final StatementJudge judge;
    private final SqlSyntax syntax;
    private final LiveCatalog catalog;
    private final int serverVersion;
    /** How the transaction a DDL statement ran in ends: recorded again when it does not commit. */
    private final TransactionWatch transactions;
    /**
     * Held while DDL runs: the timeouts set around it and put back after must not interleave between threads sharing
     * the connection (an outside tester's four threads left statement_timeout at 2 s for the application's queries).
     */
    private final Object executing = new Object();

    /** Whether this database has dblink or xml2: statements that may call them are then judged whole. */
    private final RemoteSqlWatch remoteSql;

    private final SessionLexing lexing;
    private final AuditWriter audit;
    private final StatementExecution execution;
    private final BatchExecution batches;
    /**
     * The judgement whose judging asked the current schema, and the answer: a plain Statement runs the string
     * right after judging it, in the same schema, so its audit record reuses the answer instead of asking again
     * (pgjdbc's getSchema() is a round trip). Only for {@link #execute(Judgement, SqlCall, Statement)} of that
     * very judgement; a prepared statement's execution, later, asks again.
     */
    private volatile SchemaAsked schemaAsked;

    /** One value, so that two threads taking turns on the connection never pair one judgement with another's schema. */
    private record SchemaAsked(Judgement judgement, String schema) {}

    private ConnectionGuard(Connection raw, Policy policy, Dialect connected, String db, String user, String identity)
            throws SQLException {
        this.raw = raw;
        this.policy = policy;
        this.judge = new StatementJudge(policy, Dialects.target(policy.target(), connected), connected);
        this.syntax = judge.target().syntax();
        boolean targetIsConnected = judge.target().name().equals(connected.name());
        this.catalog = new LiveCatalog(raw, connected, targetIsConnected, identity);
        this.serverVersion = targetIsConnected ? connected.serverVersion(raw) : 0;
        this.transactions = new TransactionWatch(raw, connected);
        this.remoteSql = new RemoteSqlWatch(raw, connected, targetIsConnected, identity);
        this.lexing =
                new SessionLexing(raw, syntax, targetIsConnected, serverVersion, "mariadb".equals(connected.name()));
        GuardedSession session =
                new GuardedSession(raw, connected, judge.target(), policy, catalog, transactions, db, user);
        this.audit = new AuditWriter(session);
        FollowUps followUps = new FollowUps(raw);
        this.execution = new StatementExecution(session, audit, followUps, new Retries(session));
        this.batches = new BatchExecution(session, audit, followUps);
    }

    /** Reads what the connection is (once, at connect time) and builds its guard. */
    public static ConnectionGuard open(Connection raw, Policy policy) throws SQLException {
        DatabaseMetaData md = raw.getMetaData();
        String product = md.getDatabaseProductName();
        String version = md.getDatabaseProductVersion();
        return new ConnectionGuard(
                raw,
                policy,
                Dialects.connected(product, version),
                product + " " + version,
                md.getUserName(),
                identity(md));
    }

    /**
     * The database's identity for the tables created in this run: its URL without parameters (scheme,
     * host, port, database), so two data sources on the same database share it and two databases never do.
     */
    private static String identity(DatabaseMetaData md) {
        try {
            String url = md.getURL();
            if (url == null) {
                return null;
            }
            int parameters = url.indexOf('?');
            return parameters < 0 ? url : url.substring(0, parameters);
        } catch (SQLException | RuntimeException | AbstractMethodError e) {
            return null; // no identity, no record: every table is judged by the catalog alone
        }
    }

    public Policy policy() {
        return policy;
    }

    /**
     * The judgement of a SQL string, or null when it holds no DDL. This is the hot path of every
     * statement: for non-DDL it costs the allocation-free pre-filter and nothing else.
     */
    public Judgement judge(String sql) throws SQLException {
        return judge(sql, false, false, false, Map.of());
    }

    /**
     * The judgement of an entry of a statement batch: an earlier entry may change a session setting that changes how
     * this one is read (SET standard_conforming_strings, SET sql_mode), and it only runs later, so the session's
     * current settings are not taken as known. After an earlier entry that may move the schema (a SET search_path,
     * USE: {@code schemaMayHaveMoved}), no unqualified name of this one counts as new, temporary, empty or absent
     * (SET search_path TO victim; DROP TABLE IF EXISTS t dropped victim.t as absent from public), as within one
     * string ({@link SchemaMoves}); the settings earlier entries give ({@link #settingsGiven}) are its session's.
     */
    public Judgement judgeBatchEntry(String sql, boolean schemaMayHaveMoved, Map<String, String> settings)
            throws SQLException {
        Judgement j = judge(sql, true, true, schemaMayHaveMoved, settings);
        if (j == null || j.isTransactionControl()) {
            return j;
        }
        return LaterRuns.notInABatch(schemaMayHaveMoved ? LaterRuns.noted(j, SchemaMoves.NOTE) : j);
    }

    /** The session settings a batch entry gives the entries after it ({@link SessionSets}); empty for most. */
    public Map<String, String> settingsGiven(String sql, Judgement judged) {
        return SessionSets.given(sql, syntax, judged);
    }

    /** A prepared statement added to a batch: blocked when it sends a CONCURRENTLY build ({@link LaterRuns}). */
    public Judgement notInABatch(Judgement j) {
        return LaterRuns.notInABatch(j);
    }

    /** Whether the string may move the schema names resolve in when it runs (a batch entry: later entries judge so). */
    public boolean mayMoveSchema(String sql) {
        return sql != null && SchemaMoves.mayMove(sql, syntax);
    }

    /**
     * The judgement of a prepared DDL statement when it is executed: judged again, since the session's schema, the
     * table's rows and this run's tables may have changed since it was prepared (an outside tester prepared DROP
     * TABLE t of a table the run had created, moved the schema, executed: another schema's t went; a type change
     * prepared on an empty table ran after 200,000 rows went in); {@link LaterRuns#atExecution} decides.
     */
    public Judgement judgePreparedExecution(String sql, Judgement prepared) throws SQLException {
        return LaterRuns.atExecution(judgePrepared(sql), prepared);
    }

    /**
     * The judgement of the SQL of a prepared statement, which runs later, maybe many times: what only holds while
     * it is judged (a temporary table hiding a permanent one, the session's sql_mode: a SET NO_BACKSLASH_ESCAPES
     * between prepare and execute turned an outside tester's string literal into a DROP TABLE) is not taken as
     * holding then; the text is read every way the session could read it.
     */
    public Judgement judgePrepared(String sql) throws SQLException {
        return judge(sql, true, true, false, Map.of());
    }

    /**
     * @param runsLater a batch entry or a prepared statement: the SQL does not run right after its judgement, so the
     *                  session's temporary tables are not asked (the one hiding a permanent table may be gone by then:
     *                  a batch of DROP TABLE orders twice dropped the permanent one, a review's find)
     * @param moved earlier SQL that runs before this (a batch's entries) may move the schema, or give settings
     */
    private Judgement judge(
            String sql, boolean settingsMayChange, boolean runsLater, boolean moved, Map<String, String> settings)
            throws SQLException {
        if (sql == null) {
            return null;
        }
        try {
            boolean remote = remoteSql.known();
            if (!DdlPreFilter.mightContainDdl(sql, syntax, remote)
                    && (remote || !remoteSql.installedSince(sql, syntax))) {
                catalog.forgetSchema(); // a SET search_path, a function call: the next DDL asks the schema again
                // while a transaction holds DDL, a COMMIT or ROLLBACK must be seen run; otherwise one volatile read
                return transactions.holdsDdl() ? transactions.control(sql) : null;
            }
        } catch (RuntimeException | StackOverflowError e) {
            return judge.failed(sql, e); // fail closed: blocked in enforce mode, recorded in audit mode
        }
        boolean autocommit = autocommitOrAssumed();
        synchronized (catalog) { // the catalog's cache and failure list belong to one judgement at a time
            catalog.startJudging();
            try {
                // JDBC escapes ({oj ...}, {fn ...}, {call ...}): judge the text the driver will send.
                String sent = sql.indexOf('{') >= 0 ? JdbcEscapes.nativeSql(raw, sql) : sql;
                SessionLexing.Known known = settingsMayChange ? lexing.unknown() : lexing.known(sent);
                Catalog asked =
                        SessionSets.withSettings(runsLater ? new NoTemporaryTables(catalog) : catalog, settings);
                Judgement j = judge.judge(
                        sent,
                        new StatementJudge.Context(
                                autocommit, serverVersion, moved ? new MovedSchemaCatalog(asked) : asked),
                        known.lexing(),
                        known.uncertain());
                remoteSql.judged(j); // CREATE EXTENSION dblink: look for calls from now on
                if (j == null) {
                    catalog.forgetSchema(); // not DDL after all: it may change the schema like any other SQL
                }
                Judgement result = JdbcEscapes.sendAsWritten(j, sql, sent);
                schemaAsked = catalog.askedSchemaWhileJudging()
                        ? new SchemaAsked(result, catalog.schemaAskedWhileJudging())
                        : null;
                return result;
            } catch (RuntimeException | StackOverflowError e) {
                return judge.failed(sql, e); // fail closed: blocked in enforce mode, recorded in audit mode
            } finally {
                catalog.endJudging();
            }
        }
    }

    /** The connection's autocommit; when the connection cannot say (closed), judged as autocommit: running it fails anyway. */
    private boolean autocommitOrAssumed() {
        try {
            return raw.getAutoCommit();
        } catch (SQLException | RuntimeException e) {
            return true;
        }
    }

    /**
     * Audits DDL the driver refused before running it (at prepare or {@code addBatch}): an error
     * record with the driver's message, no duration, no attempt.
     */
    public void refusedByDriver(Judgement j, Throwable e, String call) {
        audit.notSent(j, audit.currentSchema(), e, "the driver refused it at " + call + ", before sending it");
    }

    /** Audits a blocked statement and returns the exception to throw; nothing of it reached the database. */
    public BlockedStatementException reject(Judgement j) {
        audit.blocked(j, audit.currentSchema());
        return BlockedMessage.exception(j, judge.target().name());
    }

    /**
     * Runs a judged string through the caller's own call, with lock timeout, retries and follow-ups.
     *
     * @param statement the driver's statement the call runs on, to read its update count and query
     *     timeout (which the follow-ups get too); may be null
     */
    public <T> T execute(Judgement j, SqlCall<T> call, Statement statement) throws SQLException {
        return execute(j, call, statement, true);
    }

    /**
     * {@link #execute(Judgement, SqlCall, Statement)} for a prepared statement: its SQL was fixed at
     * prepare time and the call ignores the string it is given, so no weaker rewrite can be sent after
     * the server refused one (the refusal is explained instead).
     */
    public <T> T executePrepared(Judgement j, SqlCall<T> call, Statement statement) throws SQLException {
        return execute(j, call, statement, false);
    }

    private <T> T execute(Judgement j, SqlCall<T> call, Statement statement, boolean resendable) throws SQLException {
        if (j.isTransactionControl()) {
            return transactions.endsTransaction(j.sqlToSend(), call);
        }
        if (j.blocked()) {
            throw reject(j);
        }
        audit.logWarnings(j);
        // before: the schema the statement runs in, and no query after it
        SchemaAsked asked = schemaAsked;
        schemaAsked = null;
        String schema = resendable && asked != null && asked.judgement() == j ? asked.schema() : audit.currentSchema();
        synchronized (executing) {
            return execution.run(j, call, statement, resendable, schema);
        }
    }

    /**
     * Runs a batch holding DDL entries; each entry's record gets the outcome its update count shows.
     * After the batch, each entry's follow-ups run; when one fails, only that entry's record is an error.
     *
     * @param statement the driver's statement of the batch, whose query timeout the follow-ups get; may be null
     */
    public <T> T executeBatch(List<BatchEntry> entries, SqlCall<T> call, Statement statement) throws SQLException {
        synchronized (executing) {
            return batches.run(entries, call, statement);
        }
    }

    // ------------------------------------------------------------------ the end of a transaction that holds DDL

    /** Whether the open transaction holds DDL; one volatile read. */
    public boolean holdsDdl() {
        return transactions.holdsDdl();
    }

    /** What a call on the connection does to the transaction. */
    public enum TransactionEnd {
        COMMIT,
        ROLLBACK,
        ROLLBACK_TO,
        SAVEPOINT,
        CLOSE
    }

    /** A call on the connection that may end the transaction. */
    @FunctionalInterface
    public interface ConnectionCall {
        Object call() throws Throwable;
    }

    /**
     * Runs {@code commit()}, {@code rollback()}, {@code rollback(Savepoint)}, {@code setSavepoint()},
     * {@code close()} or {@code setAutoCommit(true)} while the transaction holds DDL, and records the
     * held DDL a rollback took back. Call it only when {@link #holdsDdl()}.
     *
     * @param savepoint the savepoint rolled back to, for {@link TransactionEnd#ROLLBACK_TO}
     * @param how the call, for the record's note
     */
    public Object transactionEnds(TransactionEnd end, Object savepoint, String how, ConnectionCall call)
            throws Throwable {
        return transactions.ends(end, savepoint, how, call);
    }

    /**
     * SQL the guard did not judge ran on this connection (a prepared or callable statement that is not DDL,
     * a batch): it may have changed the session's schema.
     */
    public void otherSqlRan() {
        catalog.forgetSchema();
    }

    /**
     * A prepared statement without DDL runs: a ROLLBACK, COMMIT or ROLLBACK TO of a transaction holding DDL must be seen
     * run, as a plain one is (a prepared ROLLBACK left a record "open"); otherwise null, and the schema is asked again.
     */
    public Judgement judgeNonDdlExecution(String sql) {
        catalog.forgetSchema();
        return sql != null && transactions.holdsDdl() ? transactions.control(sql) : null;
    }

    /**
     * A connection method that ends a transaction or sets the schema ran (a rollback undoes a SET, a commit
     * ends a SET LOCAL), or the driver's own object was handed out ({@code unwrap}), through which SQL runs unseen.
     */
    public void sessionMayHaveChanged(boolean forGood) {
        if (forGood) {
            catalog.neverKeepSchema();
        } else {
            catalog.forgetSchema();
        }
    }
}
