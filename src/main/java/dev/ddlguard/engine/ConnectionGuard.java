package dev.ddlguard.engine;

import dev.ddlguard.BlockedStatementException;
import dev.ddlguard.audit.AuditEvent;
import dev.ddlguard.audit.AuditLog;
import dev.ddlguard.dialect.Dialect;
import dev.ddlguard.dialect.Dialects;
import dev.ddlguard.policy.Action;
import dev.ddlguard.policy.Mode;
import dev.ddlguard.policy.Policy;
import dev.ddlguard.rules.LockImpact;
import dev.ddlguard.rules.RuleVerdict;
import dev.ddlguard.sql.DdlClassifier;
import dev.ddlguard.sql.DdlPreFilter;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.StatementSplitter;
import dev.ddlguard.sql.StatementText;
import dev.ddlguard.sql.Verb;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guard of one connection: judges SQL strings and runs the judged ones with a lock timeout,
 * retries, follow-up statements and exactly one audit record per DDL statement.
 *
 * <p>A JDBC connection may be used by several threads in turn, and so may its guard. Judging uses the
 * connection's catalog cache and is serialised, on DDL only; what an open transaction holds is kept in
 * {@link TransactionWatch}. Nothing is handed from one call to another through a field: a prepared statement's
 * judgement travels with the statement. Non-DDL statements take no lock.
 */
public final class ConnectionGuard {

    private static final Logger LOG = LoggerFactory.getLogger("dev.ddlguard");

    private final Connection raw;
    private final Policy policy;
    private final StatementJudge judge;
    private final Dialect connected;
    private final SqlSyntax syntax;
    private final String db;
    private final String user;
    private final LiveCatalog catalog;
    private final int serverVersion;
    /** How the transaction a DDL statement ran in ends: recorded again when it does not commit. */
    private final TransactionWatch transactions;
    /** Whether this database has dblink: statements that may call it are then judged whole. */
    private volatile boolean remoteSql;
    /**
     * Once any connection in this JVM found dblink, or saw it being installed, every PostgreSQL guard looks
     * for calls to it: a pooled connection opened before CREATE EXTENSION dblink must not miss them.
     */
    private static volatile boolean remoteSqlSeen;
    private final SessionLexing lexing;
    /**
     * The judgement whose judging asked the current schema, and the answer: a plain Statement runs the string
     * right after judging it, in the same schema, so its audit record reuses the answer instead of asking again
     * (pgjdbc's getSchema() is a round trip). Only for {@link #execute(Judgement, SqlCall, Statement)} of that
     * very judgement; a prepared statement's execution, later, asks again.
     */
    private volatile SchemaAsked schemaAsked;

    /** One value, so that two threads taking turns on the connection never pair one judgement with another's schema. */
    private record SchemaAsked(Judgement judgement, String schema) {
    }

    private ConnectionGuard(Connection raw, Policy policy, Dialect connected, String db, String user, String identity)
            throws SQLException {
        this.raw = raw;
        this.policy = policy;
        this.connected = connected;
        this.judge = new StatementJudge(policy, Dialects.target(policy.target(), connected), connected);
        this.syntax = judge.target().syntax();
        this.db = db;
        this.user = user;
        boolean targetIsConnected = judge.target().name().equals(connected.name());
        this.catalog = new LiveCatalog(raw, connected, targetIsConnected, identity);
        this.serverVersion = targetIsConnected ? connected.serverVersion(raw) : 0;
        this.transactions = new TransactionWatch(raw, connected);
        this.remoteSql = targetIsConnected && connected.hasRemoteSql(raw);
        remoteSqlSeen |= remoteSql;
        this.lexing = new SessionLexing(raw, syntax, targetIsConnected, serverVersion, "mariadb".equals(connected.name()));
    }

    /** Reads what the connection is (once, at connect time) and builds its guard. */
    public static ConnectionGuard open(Connection raw, Policy policy) throws SQLException {
        DatabaseMetaData md = raw.getMetaData();
        String product = md.getDatabaseProductName();
        String version = md.getDatabaseProductVersion();
        return new ConnectionGuard(raw, policy, Dialects.connected(product, version), product + " " + version,
                md.getUserName(), identity(md));
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
            return null;   // no identity, no record: every table is judged by the catalog alone
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
        return judge(sql, false);
    }

    /**
     * The judgement of an entry of a statement batch: an earlier entry may change a session setting
     * that changes how this one is read (SET standard_conforming_strings, SET sql_mode), and it
     * only runs later, so the session's current settings are not taken as known.
     */
    public Judgement judgeBatchEntry(String sql) throws SQLException {
        return judge(sql, true);
    }

    private Judgement judge(String sql, boolean settingsMayChange) throws SQLException {
        if (sql == null) {
            return null;
        }
        try {
            if (!DdlPreFilter.mightContainDdl(sql, syntax, remoteSql || remoteSqlSeen)) {
                catalog.forgetSchema();   // a SET search_path, a function call: the next DDL asks the schema again
                // while a transaction holds DDL, a COMMIT or ROLLBACK must be seen run; otherwise one volatile read
                return transactions.holdsDdl() && TransactionControl.of(sql) != null ? Judgement.transactionControl(sql) : null;
            }
        } catch (RuntimeException | StackOverflowError e) {
            return judge.failed(sql, e);   // fail closed: blocked in enforce mode, recorded in audit mode
        }
        boolean autocommit = autocommitOrAssumed();
        synchronized (catalog) {   // the catalog's cache and failure list belong to one judgement at a time
            catalog.startJudging();
            try {
                // JDBC escapes ({oj ...}, {fn ...}, {call ...}): judge the text the driver will send.
                String sent = sql.indexOf('{') >= 0 ? JdbcEscapes.nativeSql(raw, sql) : sql;
                SessionLexing.Known known = settingsMayChange ? lexing.unknown() : lexing.known(sent);
                Judgement j = judge.judge(sent, new StatementJudge.Context(autocommit, serverVersion, catalog),
                        known.lexing(), known.uncertain());
                if (j != null && !remoteSql && j.statements().stream().anyMatch(ConnectionGuard::mayInstallRemoteSql)) {
                    remoteSql = true;   // CREATE EXTENSION dblink, or a function bound to its library: look for calls from now on
                    remoteSqlSeen = true;
                }
                if (j == null) {
                    catalog.forgetSchema();   // not DDL after all: it may change the schema like any other SQL
                }
                Judgement result = JdbcEscapes.sendAsWritten(j, sql, sent);
                schemaAsked = catalog.askedSchemaWhileJudging() ? new SchemaAsked(result, catalog.schemaAskedWhileJudging()) : null;
                return result;
            } catch (RuntimeException | StackOverflowError e) {
                return judge.failed(sql, e);   // fail closed: blocked in enforce mode, recorded in audit mode
            } finally {
                catalog.endJudging();
            }
        }
    }

    private static boolean mayInstallRemoteSql(JudgedStatement s) {
        return s.executed() != null && s.executed().verb() == Verb.CREATE
                && s.sql() != null && s.sql().toLowerCase(Locale.ROOT).contains("dblink");
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
        String schema = currentSchema();
        for (JudgedStatement s : j.statements()) {
            audit(s, schema, null, 0, AuditEvent.ERROR, j.secrets().scrub(message(e)),
                    "the driver refused it at " + call + ", before sending it", null);
        }
    }

    /** The message of a failure for the audit record; an Error without one is named by its class. */
    static String message(Throwable e) {
        return e.getMessage() != null && !(e instanceof Error) ? e.getMessage()
                : e.getMessage() == null ? e.getClass().getName() : e.getClass().getName() + ": " + e.getMessage();
    }

    /** Audits a blocked statement and returns the exception to throw; nothing of it reached the database. */
    public BlockedStatementException reject(Judgement j) {
        String schema = currentSchema();
        for (JudgedStatement s : j.statements()) {
            audit(s, schema, null, null, AuditEvent.BLOCKED, null, null, null);
        }
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
        logWarnings(j);
        // before: the schema the statement runs in, and no query after it
        SchemaAsked asked = schemaAsked;
        schemaAsked = null;
        String schema = resendable && asked != null && asked.judgement() == j ? asked.schema() : currentSchema();
        boolean autocommit;
        LockTimeoutScope lockTimeout;
        int queryTimeout;
        StatementTimeoutScope statementTimeout;
        try {
            autocommit = raw.getAutoCommit();
            lockTimeout = LockTimeoutScope.open(connected, raw, LockWaits.canWaitOnOthers(j, catalog, schema)
                    ? j.concurrently() ? policy.concurrentLockTimeout() : policy.lockTimeout() : Optional.empty());
            queryTimeout = queryTimeout(statement);
            statementTimeout = StatementTimeoutScope.open(connected, raw, policy.statementTimeout(), statement);
        } catch (Throwable e) {   // a connection closed under the guard: the DDL was not sent, and says so
            for (JudgedStatement s : j.statements()) {
                audit(s, schema, null, 0, AuditEvent.ERROR, j.secrets().scrub(message(e)),
                        "the connection failed before the statement was sent", null);
            }
            throw e;
        }
        Set<QualifiedName> newViews = CreatedTablesRecord.viewsNotThereYet(j, catalog);
        long start = System.nanoTime();
        Attempts attempts = new Attempts();
        attempts.resendable = resendable;
        // Whatever the driver throws (an Error, a RuntimeException) is recorded as an error and thrown on unchanged.
        Throwable failure = null;
        try {
            if (j.concurrently() && autocommit && policy.mode() == Mode.ENFORCE) {
                SQLException never = SelfWait.check(j, catalog);
                catalog.takeFailures();   // the check is best effort: unanswered, the lock timeout still bounds the wait
                if (never != null) {
                    throw never;
                }
            }
            List<String> pieces = autocommit && j.concurrently()
                    ? OneByOne.pieces(j, syntax, statement instanceof PreparedStatement) : null;
            T result = null;
            if (pieces == null) {
                // sql: a weaker online clause the dialect retries with after the server refused the rewrite (MySQL/MariaDB)
                result = withRetries(j, autocommit, lockTimeout, statementTimeout, attempts,
                        sql -> call.call(sql == null ? j.sqlToSend() : sql));
            } else {
                // PostgreSQL runs a multi-statement string as one implicit transaction, where CONCURRENTLY fails (25001).
                attempts.cleanUp = OneByOne.NOTE;
                for (int i = 0; i < pieces.size(); i++) {
                    String piece = pieces.get(i);
                    try {
                        result = withRetries(j, autocommit, lockTimeout, statementTimeout, attempts, ignored -> call.call(piece));
                    } catch (SQLException e) {
                        attempts.cleanUp = join(attempts.cleanUp, OneByOne.failedAt(i, pieces.size()));
                        throw e;
                    }
                }
            }
            CreatedTablesRecord.after(j, catalog, schema, statement, newViews);
            attempts.cleanUp = join(attempts.cleanUp, afterSuccess(j, result, statement));
            runFollowUps(j, followUp -> withRetries(j, autocommit, lockTimeout, statementTimeout, null,
                            ignored -> runOne(followUp, queryTimeout)),
                    note -> attempts.cleanUp = join(attempts.cleanUp, note));
            return result;
        } catch (Throwable e) {
            failure = e;
            throw e;
        } finally {
            long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            closeQuietly(statementTimeout::close, failure);
            closeQuietly(lockTimeout::close, failure);
            LockWaits.changedTables(j).forEach(catalog::forget);   // a cached size of a table DDL touched is not reused
            if (!keepsSchema(j)) {
                catalog.forgetSchema();
            }
            String transaction = failure == null ? transactions.of(autocommit) : null;
            for (JudgedStatement s : j.statements()) {
                audit(attempts.weakened != null ? attempts.weakened : s, schema, durationMs, attempts.count,
                        failure == null ? AuditEvent.OK : AuditEvent.ERROR,
                        failure == null ? null : j.secrets().scrub(message(failure)),
                        join(attempts.refusalNote(), attempts.cleanUp), transaction);
            }
        }
    }

    /**
     * Restores a session setting (lock or statement timeout); when the statement already failed, a failure to restore (the connection
     * is gone) must not replace the statement's own failure, nor skip its audit record.
     */
    private static void closeQuietly(Runnable close, Throwable failure) {
        if (failure == null) {
            close.run();
            return;
        }
        try {
            close.run();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * How often a statement was sent, what was cleaned up after failed attempts, and the online clauses
     * the server refused before the one it took (MySQL/MariaDB).
     */
    private static final class Attempts {
        int count;
        String cleanUp;
        /** What the server answered to each refused rewrite: "ALGORITHM=INSTANT, LOCK=NONE: ERROR 1845 …". */
        final List<String> refused = new ArrayList<>();
        /** The statement as finally sent, when a weaker rewrite replaced the judged one; else null. */
        JudgedStatement weakened;
        /** Whether the call sends the string it is given (not a prepared statement's fixed SQL). */
        boolean resendable = true;

        /** For the audit note: which clauses were refused, and what was sent instead. */
        String refusalNote() {
            if (refused.isEmpty()) {
                return null;
            }
            return "the server refused " + String.join("; then ", refused)
                    + (weakened == null ? "" : "; sent the next weaker online form instead");
        }
    }

    /** Sends one follow-up statement. */
    @FunctionalInterface
    private interface FollowUp {
        void run(String sql) throws SQLException;
    }

    /**
     * Runs a rewrite's follow-ups (VALIDATE CONSTRAINT, …) in order, after its first statement succeeded.
     * When one fails, the first statement is taken back where the rewrite says how, and {@code note} is
     * told what ran, what failed and what stayed, before the failure is thrown on.
     */
    private void runFollowUps(Judgement j, FollowUp send, Consumer<String> note) throws SQLException {
        List<String> followUps = j.followUps();
        for (int i = 0; i < followUps.size(); i++) {
            String followUp = followUps.get(i);
            try {
                send.run(followUp);
            } catch (SQLException e) {
                note.accept("the first statement ran; follow-up " + (i + 1) + " of " + followUps.size() + " failed ("
                        + followUp + ")" + undo(j));
                throw e;
            }
        }
    }

    /**
     * Sends one statement, setting the lock and statement timeouts before every attempt. A lock timeout
     * or a deadlock the server broke by aborting this statement is retried with backoff in autocommit
     * (ddlguard.lock-timeout.retries); inside a transaction it is not (the transaction is aborted). A
     * statement timeout is never retried. What a failed attempt left behind (an INVALID index) is
     * cleaned up before the retry or the report.
     */
    private <T> T withRetries(Judgement j, boolean autocommit, LockTimeoutScope lockTimeout,
                              StatementTimeoutScope statementTimeout, Attempts mainAttempts, SqlCall<T> send)
            throws SQLException {
        // A follow-up (null) is the guard's own statement: no weaker form of it is ever tried.
        boolean mayWeaken = mainAttempts != null;
        Attempts attempts = mayWeaken ? mainAttempts : new Attempts();
        String sql = null;   // null: the judged string; else a weaker rewrite after the server refused one
        while (true) {
            attempts.count++;
            lockTimeout.set();
            statementTimeout.set();
            try {
                return send.call(sql);
            } catch (SQLException e) {
                attempts.cleanUp = cleanUp(j, attempts.cleanUp, e);
                SQLException timedOut = statementTimeout.explain(j.statements().get(0), e);
                if (timedOut != e) {
                    throw timedOut;
                }
                String weaker = mayWeaken ? weakerRewrite(j, e, sql == null ? j.sqlToSend() : sql, attempts) : null;
                if (weaker != null) {
                    sql = weaker;
                    continue;
                }
                boolean deadlock = connected.isDeadlock(e);
                if (!connected.isLockTimeout(e) && !deadlock) {
                    throw explained(j, e, attempts);
                }
                int retries = attempts.count - attempts.refused.size();   // refused clauses are not lock retries
                if (deadlock && (!autocommit || retries > policy.lockTimeoutRetries())) {
                    throw deadlock(j, e, attempts.count, autocommit);
                }
                if (!autocommit || retries > policy.lockTimeoutRetries()) {
                    throw LockTimeoutMessage.exception(j, e, attempts.count, autocommit, lockTimeout.timeout(), catalog);
                }
                long pause = backoffMillis(attempts.count);
                LOG.warn("ddlguard: {} on {} (attempt {} of {}), retrying in {} ms", deadlock ? "deadlock" : "lock timeout",
                        j.statements().get(0).summary(), attempts.count, policy.lockTimeoutRetries() + 1, pause);
                sleep(pause);
            }
        }
    }

    /** A deadlock not retried: inside a transaction (the server rolled it back), or after the last retry. */
    private static SQLException deadlock(Judgement j, SQLException e, int attempts, boolean autocommit) {
        String m = "ddlguard: " + j.statements().get(0).summary() + " was chosen as a deadlock victim"
                + (attempts == 1 ? ", once" : ", " + attempts + " times")
                + (autocommit ? "" : "; not retried inside a transaction: the server rolled the transaction back, run "
                        + "the migration again")
                + ". Database said: " + j.secrets().scrub(e.getMessage());
        return new SQLTransactionRollbackException(m, e.getSQLState(), e.getErrorCode(), e);
    }

    /**
     * Sends one statement of the guard's own: a rewrite's follow-up, with the caller's query timeout
     * (a VALIDATE CONSTRAINT scans the table, and the caller set a bound on what it asked for; like
     * every JDBC query timeout it counts per statement, so the follow-up gets the whole of it), or an
     * undo, with none ({@code 0}).
     */
    private Void runOne(String sql, int queryTimeoutSeconds) throws SQLException {
        try (Statement st = raw.createStatement()) {
            if (queryTimeoutSeconds > 0) {
                st.setQueryTimeout(queryTimeoutSeconds);
            }
            st.execute(sql);
        }
        return null;
    }

    /** The query timeout the caller set on its statement, in seconds; 0 (none) when there is no statement. */
    private static int queryTimeout(Statement statement) throws SQLException {
        return statement == null ? 0 : statement.getQueryTimeout();
    }

    /**
     * Takes back a rewrite's first statement when a follow-up failed (a NOT VALID constraint whose
     * VALIDATE found bad rows), so the schema is as before and the migration can simply be re-run.
     * Returns the rest of the audit note: what was taken back, or why it stays.
     */
    private String undo(Judgement j) {
        if (j.undo().isEmpty()) {
            return "; what ran before it stays";
        }
        String statements = String.join("; ", j.undo());
        try {
            for (String statement : j.undo()) {
                runOne(statement, 0);
            }
            LOG.warn("ddlguard: a follow-up statement failed; took back the first one: {}", statements);
            return "; took back the first: " + statements;
        } catch (SQLException | RuntimeException e) {
            String why = j.secrets().scrub(String.valueOf(e.getMessage())).replaceAll("[.\\s]+$", "");
            LOG.warn("ddlguard: a follow-up statement failed and taking back the first one ({}) failed too: {}", statements, why);
            return "; taking back the first (" + statements + ") failed too: " + why + "; the first statement's change stays";
        }
    }

    /**
     * After the server refused a rewrite: the string with the next weaker rewrite that still keeps the
     * table online (MySQL/MariaDB: INSTANT, then NOCOPY, then INPLACE, always LOCK=NONE), or null. Only
     * for a string of one statement whose clause the guard chose (require-online-ddl rewrote it): a
     * clause the author wrote is the author's to weaken. What the server answered goes to the record.
     */
    private String weakerRewrite(Judgement j, SQLException e, String sent, Attempts attempts) {
        if (j.statements().size() != 1) {
            return null;
        }
        JudgedStatement s = attempts.weakened != null ? attempts.weakened : j.statements().get(0);
        boolean guardChoseTheClause = s.verdicts().stream()
                .anyMatch(v -> v.action() == Action.REWRITE && v.ruleId().equals("require-online-ddl"));
        if (!s.rewriteSent() || s.executed() == null || !guardChoseTheClause) {
            return null;
        }
        String refusal = connected.describeRefusal(e, s.executed());
        if (refusal == null) {
            return null;
        }
        attempts.refused.add(j.secrets().scrub(refusal));
        if (!attempts.resendable) {
            return null;
        }
        String next = connected.weakerRewrite(e, sent, s.executed());
        String nextRecorded = s.rewrittenSql() == null ? null : connected.weakerRewrite(e, s.rewrittenSql(), s.executed());
        if (next == null || nextRecorded == null) {
            return null;
        }
        List<StatementText> parts = StatementSplitter.split(next, syntax);
        DdlStatement executed = parts.size() == 1 ? DdlClassifier.classify(parts.get(0), syntax) : null;
        if (executed == null) {
            return null;
        }
        LockImpact before = s.executedLock();
        LockImpact lock = judge.target().lockImpact(executed, catalog);
        if (before != null) {
            lock = lock.withSize(before.rows(), before.bytes(), policy.throughputBytesPerSecond());
        }
        LOG.warn("ddlguard: the server refused the online clause of {} ({}); trying the next weaker online one",
                s.summary(), e.getMessage());
        attempts.weakened = new JudgedStatement(s.sql(), s.summary(), s.verdicts(), s.decision(), s.enforceDecision(),
                nextRecorded, true, s.lock(), lock, s.note(), executed);
        return next;
    }

    /** The dialect's clearer error for a failure a rewrite caused (MySQL refusing the online clause), else the database's own. */
    private SQLException explained(Judgement j, SQLException e, Attempts attempts) {
        for (JudgedStatement first : j.statements()) {
            JudgedStatement s = attempts.weakened != null && j.statements().size() == 1 ? attempts.weakened : first;
            if (s.rewriteSent() && s.executed() != null) {
                SQLException better = connected.explainFailure(e, s.executed(), attempts.refused);
                if (better != null) {
                    return better;
                }
            }
        }
        return e;
    }

    /** What the dialect wants recorded after success (MySQL: rows affected by an ALTER mean a table copy). */
    private String afterSuccess(Judgement j, Object result, Statement statement) {
        long rows;
        try {
            rows = result instanceof Number n ? n.longValue() : statement != null ? statement.getUpdateCount() : -1;
        } catch (SQLException | RuntimeException e) {
            return null;
        }
        String note = null;
        for (JudgedStatement s : j.statements()) {
            if (s.executed() != null && rows > 0) {
                note = join(note, connected.noteAfterSuccess(s.executed(), rows));
            }
        }
        return note;
    }

    private static String join(String a, String b) {
        return a == null ? b : b == null ? a : a + "; " + b;
    }

    /** Lets the dialect undo what a failed statement left behind; returns what was done, for the audit note. */
    private String cleanUp(Judgement j, String already, SQLException failure) {
        for (JudgedStatement s : j.statements()) {
            if (s.executed() == null) {
                continue;
            }
            try {
                String done = connected.cleanUpAfterFailure(raw, s.executed(), failure);
                if (done != null) {
                    LOG.warn("ddlguard: {}", done);
                    return already == null ? done : already + "; " + done;
                }
            } catch (SQLException | RuntimeException e) {
                // the record says so: what the failed statement left behind is still there
                String failed = "could not clean up after the failed " + s.summary() + ": " + e.getMessage();
                LOG.warn("ddlguard: {}", failed);
                return already == null ? failed : already + "; " + failed;
            }
        }
        return already;
    }

    /**
     * Runs a batch holding DDL entries; each entry's record gets the outcome its update count shows.
     * After the batch, each entry's follow-ups run; when one fails, only that entry's record is an error.
     *
     * @param statement the driver's statement of the batch, whose query timeout the follow-ups get; may be null
     */
    public <T> T executeBatch(List<BatchEntry> entries, SqlCall<T> call, Statement statement) throws SQLException {
        entries.forEach(e -> logWarnings(e.judgement()));
        int queryTimeout = queryTimeout(statement);
        String schema = currentSchema();
        LockTimeoutScope lockTimeout = LockTimeoutScope.open(connected, raw, policy.lockTimeout());
        lockTimeout.set();
        boolean autocommit = raw.getAutoCommit();
        StatementTimeoutScope statementTimeout = StatementTimeoutScope.open(connected, raw, policy.statementTimeout(), statement);
        statementTimeout.set();
        long start = System.nanoTime();
        Throwable failure = null;   // any Throwable: a RuntimeException or Error from the driver fails the batch too
        String[] followUpFailed = new String[entries.size()];
        try {
            T result = call.call(null);
            for (int e = 0; e < entries.size(); e++) {
                int entry = e;
                runFollowUps(entries.get(e).judgement(), followUp -> runOne(followUp, queryTimeout),
                        note -> followUpFailed[entry] = note);
            }
            return result;
        } catch (Throwable e) {
            failure = e;
            throw e;
        } finally {
            long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            closeQuietly(statementTimeout::close, failure);
            closeQuietly(lockTimeout::close, failure);
            catalog.forgetSchema();   // a batch may hold a SET among its DDL
            boolean afterTheBatch = Arrays.stream(followUpFailed).anyMatch(Objects::nonNull);
            String transaction = transactions.of(autocommit);
            for (int e = 0; e < entries.size(); e++) {
                BatchEntry entry = entries.get(e);
                boolean failed = afterTheBatch ? followUpFailed[e] != null : failure != null && entryFailed(failure, entry.index());
                String error = !failed ? null : followUpFailed[e] != null && failure == null ? null
                        : entry.judgement().secrets().scrub(message(failure));
                for (JudgedStatement s : entry.judgement().statements()) {
                    audit(s, schema, durationMs, 1, failed ? AuditEvent.ERROR : AuditEvent.OK, error, followUpFailed[e],
                            failed ? null : transaction);
                }
            }
        }
    }

    /** An entry failed when its update count says so, or when the driver stopped before reaching it. */
    private static boolean entryFailed(Throwable failure, int index) {
        if (failure instanceof BatchUpdateException bue && bue.getUpdateCounts() != null) {
            int[] counts = bue.getUpdateCounts();
            return index >= counts.length || counts[index] == Statement.EXECUTE_FAILED;
        }
        return true;
    }

    /** Exponential backoff with full jitter: 100 ms, 200 ms, 400 ms … capped at 5 s, each times [0.5, 1.5). */
    static long backoffMillis(int attempt) {
        long base = Math.min(5_000, 100L << Math.min(attempt - 1, 10));
        return (long) (base * (0.5 + ThreadLocalRandom.current().nextDouble()));
    }

    private static void sleep(long millis) throws SQLException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting to retry after a lock timeout", e);
        }
    }

    /** The WARN line (README, "Audit record") for warned statements, rewrites that are only reported, and audit-mode verdicts. */
    private void logWarnings(Judgement j) {
        for (JudgedStatement s : j.statements()) {
            for (RuleVerdict v : s.verdicts()) {
                String what;
                if (s.decision() == Decision.AUDITED && v.action() != Action.ALLOW) {
                    what = "would " + v.action().value() + " (audit mode)";
                } else if (v.action() == Action.REWRITE && !s.rewriteSent()) {
                    what = "would rewrite (" + s.note() + ")";
                } else if (v.action() == Action.WARN) {
                    what = "warns";
                } else {
                    continue;
                }
                LOG.warn("ddlguard {} {} [{}]: {}{}", what, s.summary(), v.ruleId(), v.message(),
                        v.safeSql() == null ? "" : "\nSafe alternative:\n" + v.safeSql());
            }
        }
    }

    /**
     * Writes one record.
     *
     * @param transaction the transaction the DDL ran in ({@link TransactionWatch#of}); null when it did not run.
     *     An open one holds the record, to be recorded again if that transaction does not commit.
     */
    private void audit(JudgedStatement s, String schema, Long durationMs, Integer attempts, String outcome, String error,
                       String extraNote, String transaction) {
        String note = extraNote == null ? s.note() : s.note() == null ? extraNote : s.note() + "; " + extraNote;
        AuditEvent event = new AuditEvent(Instant.now(), db, judge.target().name(), user, schema, s.sql(),
                s.executedSql(), s.decision().value(), s.enforceDecision().value(), s.verdicts(), s.lock(),
                s.executedLock(), durationMs, outcome, error, s.rewrittenSql(), attempts, note, transaction);
        if (AuditEvent.OPEN.equals(transaction)) {
            transactions.hold(event);
        }
        AuditLog.record(event);
    }

    // ------------------------------------------------------------------ the end of a transaction that holds DDL

    /** Whether the open transaction holds DDL; one volatile read. */
    public boolean holdsDdl() {
        return transactions.holdsDdl();
    }

    /** What a call on the connection does to the transaction. */
    public enum TransactionEnd { COMMIT, ROLLBACK, ROLLBACK_TO, SAVEPOINT, CLOSE }

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
    public Object transactionEnds(TransactionEnd end, Object savepoint, String how, ConnectionCall call) throws Throwable {
        return transactions.ends(end, savepoint, how, call);
    }

    private String currentSchema() {
        try {
            // MySQL and MariaDB call a database a catalog: getSchema() is always null there. MariaDB
            // Connector/J keeps the current database from the server's session tracking, so no round trip.
            // PostgreSQL's is a round trip: the catalog keeps the answer while nothing can have changed it.
            return connected.syntax() == SqlSyntax.MYSQL ? raw.getCatalog() : catalog.currentSchema();
        } catch (SQLException | RuntimeException | AbstractMethodError e) {
            return null;
        }
    }

    /**
     * Whether the session's schema is as it was before {@code j} ran: one statement alone in its string (a
     * multi-statement string may hold a SET between its DDL), and one that cannot change it
     * ({@link LiveCatalog#keepsSchema}).
     */
    private static boolean keepsSchema(Judgement j) {
        if (j.statements().size() != 1 || !j.followUps().isEmpty() || j.sqlToSend() == null) {
            return false;
        }
        String sent = j.sqlToSend();
        int semicolon = sent.indexOf(';');
        if (semicolon >= 0 && !sent.substring(semicolon + 1).isBlank()) {
            return false;   // more than one statement, or a ';' in a literal: not worth telling apart
        }
        return LiveCatalog.keepsSchema(j.statements().get(0).executed());
    }

    /**
     * SQL the guard did not judge ran on this connection (a prepared or callable statement that is not DDL,
     * a batch): it may have changed the session's schema.
     */
    public void otherSqlRan() {
        catalog.forgetSchema();
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
