package dev.ddlguard.engine;

import dev.ddlguard.dialect.Catalog;
import dev.ddlguard.dialect.Dialect;
import dev.ddlguard.dialect.Dialect.TableSize;
import dev.ddlguard.dialect.FreeSpace;
import dev.ddlguard.policy.MigrationVersion;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.Verb;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Savepoint;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog of the connected database, asked through its dialect. Every query is guarded: inside
 * a transaction it runs under a savepoint, so a failing catalog query cannot abort the caller's
 * transaction, and any failure means "unknown", never an error for the caller's statement.
 *
 * <p>Failures are remembered until the judge takes them for the audit note ({@link #takeFailures}).
 * Once a question has timed out, or waited for a lock in vain, the rest of the questions about the
 * same SQL string that could wait on a table lock are not asked: the table is busy, and each would
 * wait as long again. Those are the ones that open the table: its size (PostgreSQL's
 * pg_total_relation_size locks it), and on MySQL/MariaDB its columns and indexes in
 * information_schema. The others read catalog rows or sessions, take no table lock, and are still asked.
 *
 * <p>Only table sizes are asked when the target is another database: the other questions are
 * written in the target's catalog language.
 */
public final class LiveCatalog implements Catalog {

    private static final Logger LOG = LoggerFactory.getLogger("dev.ddlguard");

    /** How long a table's size is reused: a migration often touches one table several times in a row. */
    private static final long SIZE_TTL_NANOS = 5_000_000_000L;

    /** SQLStates and error codes of a statement cancelled by its timeout: PostgreSQL, MariaDB, MySQL. */
    private static final Set<String> TIMEOUT_STATES = Set.of("57014", "70100");
    private static final Set<Integer> TIMEOUT_CODES = Set.of(1969, 3024);

    private final Connection raw;
    private final Dialect connected;
    private final boolean targetIsConnected;
    private final String database;
    /** Per connection; ConnectionGuard judges on one thread at a time (it locks this catalog while judging). */
    private final Map<String, CachedSize> sizes = new HashMap<>();
    /** What went wrong since the judge last took it: "what was asked: why it failed". */
    private final Set<String> failures = new LinkedHashSet<>();
    /** Set when a question timed out: lock-bound questions about this SQL string are not asked again. */
    private boolean busy;
    /**
     * The answers given while judging one SQL string, by question: the catalog cannot change while the string
     * is judged (none of it has run yet), so each question is asked once per judgement (MySQL's lock model and
     * rules asked the same index question five times per ALTER). Cleared by {@link #startJudging()}; no
     * answer outlives the judgement, so no DDL that ran can leave a stale one.
     */
    private final Map<String, Object> answers = new HashMap<>();
    /** {@link #oncePerJudgement} values, cleared with {@link #answers}. */
    private final Map<Object, Object> derived = new HashMap<>();
    private static final Object NULL = new Object();
    /** Whether a judgement is under way: its questions share one savepoint inside a transaction. */
    private boolean judging;
    /** The savepoint the current judgement's questions run under, opened at the first question. */
    private Savepoint judgementSavepoint;
    /** {@link #currentSchema()} kept across statements until {@link #forgetSchema()}; null when not known. */
    private String knownSchema;
    /** Set by {@link #neverKeepSchema()}. */
    private volatile boolean unseenSqlPossible;
    /** The current schema, once asked during this judgement (PostgreSQL's getSchema() is a round trip). */
    private String schema;
    private boolean schemaAsked;

    private record CachedSize(TableSize size, long at) {
    }

    LiveCatalog(Connection raw, Dialect connected, boolean targetIsConnected) {
        this(raw, connected, targetIsConnected, null);
    }

    /**
     * The catalog of a connection that is not guarded, judged as its own dialect, keeping no run record: for
     * tools that only read (lint's preflight against a live database). Ask between {@link #startJudging()}
     * and {@link #endJudging()} to share one savepoint and one answer per question.
     */
    public LiveCatalog(Connection raw, Dialect connected) {
        this(raw, connected, true, null);
    }

    /** @param database the database's identity for {@link RunCreatedTables}, or null to keep no record */
    LiveCatalog(Connection raw, Dialect connected, boolean targetIsConnected, String database) {
        this.database = database;
        this.raw = raw;
        this.connected = connected;
        this.targetIsConnected = targetIsConnected;
    }

    /** One catalog question. */
    private interface Query<T> {
        T ask() throws SQLException;
    }

    /** Before judging a new SQL string: a busy table earlier says nothing about this one. */
    public void startJudging() {
        busy = false;
        failures.clear();
        answers.clear();
        derived.clear();
        schema = null;
        schemaAsked = false;
        judging = true;
    }

    /** After judging a SQL string: releases the judgement's savepoint; later questions (after a failure) use their own. */
    public void endJudging() {
        judging = false;
        answers.clear();
        derived.clear();
        Savepoint open = judgementSavepoint;
        judgementSavepoint = null;
        if (open != null) {
            try {
                raw.releaseSavepoint(open);
            } catch (SQLException | RuntimeException e) {
                LOG.debug("ddlguard: catalog savepoint not released: {}", e.toString());
            }
        }
    }

    /** The schema the judgement just ended asked for, if it asked: the same statement runs in it right after. */
    String schemaAskedWhileJudging() {
        return schemaAsked ? schema : null;
    }

    boolean askedSchemaWhileJudging() {
        return schemaAsked;
    }

    /** A table changed or is gone (DDL ran on it): its cached size is not reused. */
    void forget(QualifiedName table) {
        sizes.remove(table.toSql());
    }

    @Override
    public String takeFailures() {
        if (failures.isEmpty()) {
            return null;
        }
        String all = String.join("; ", failures);
        failures.clear();
        return all;
    }

    @Override
    public TableSize tableSize(QualifiedName table) {
        String key = table.toSql();
        CachedSize cached = sizes.get(key);
        long now = System.nanoTime();
        // Sizes are estimates anyway and reused; "empty" is a certainty that one written row ends, so it is asked again.
        if (cached != null && now - cached.at() < SIZE_TTL_NANOS && !Boolean.TRUE.equals(cached.size().empty())) {
            return cached.size();
        }
        TableSize size = ask("size of " + key, true, () -> connected.tableSize(raw, table), null);
        if (size == null) {
            return TableSize.UNKNOWN;   // not cached: the next statement asks again
        }
        sizes.put(key, new CachedSize(size, now));
        return size;
    }

    @Override
    public String columnType(QualifiedName table, Identifier column) {
        return targetIsConnected ? ask("type of " + table.toSql() + "." + column.toSql(), true,
                () -> connected.columnType(raw, table, column), null) : null;
    }

    @Override
    public String setting(String name) {
        return targetIsConnected ? ask("setting " + name, false, () -> connected.setting(raw, name), null) : null;
    }

    @Override
    public Boolean isVolatile(String function) {
        return targetIsConnected ? ask("volatility of " + function, false, () -> connected.isVolatile(raw, function), null) : null;
    }

    @Override
    public List<QualifiedName> foreignKeyParents(QualifiedName table, Identifier constraint) {
        return targetIsConnected ? ask("foreign keys of " + table.toSql(), false,
                () -> connected.foreignKeyParents(raw, table, constraint), List.of()) : List.of();
    }

    @Override
    public Set<String> constraintNames(QualifiedName table) {
        return targetIsConnected ? ask("constraints of " + table.toSql(), false,
                () -> connected.constraintNames(raw, table), Set.of()) : Set.of();
    }

    @Override
    public Set<String> columnCharsets(QualifiedName table) {
        return targetIsConnected ? ask("character sets of " + table.toSql(), true,
                () -> connected.columnCharsets(raw, table), Set.of()) : Set.of();
    }

    @Override
    public String relationKind(QualifiedName table) {
        return targetIsConnected ? ask("kind of relation " + table.toSql(), false, () -> connected.relationKind(raw, table), null) : null;
    }

    @Override
    public List<String> validatedChecks(QualifiedName table) {
        return targetIsConnected ? ask("checks of " + table.toSql(), false,
                () -> connected.validatedChecks(raw, table), List.of()) : List.of();
    }

    @Override
    public boolean createdInThisTransaction(QualifiedName table) {
        return targetIsConnected && Boolean.TRUE.equals(ask("age of " + table.toSql(), false,
                () -> connected.createdInThisTransaction(raw, table), false));
    }

    @Override
    public boolean createdInThisRun(QualifiedName table) {
        if (database == null || !RunCreatedTables.mayContain(database, table)) {
            return false;   // the common case on a database with history: no question asked
        }
        if (!judging) {
            return RunCreatedTables.contains(database, table.schema() != null ? null : currentSchema(), table);
        }
        // Asked by several rules of one statement; the record cannot change while the string is judged.
        String key = "run\0" + table.toSql();
        Object known = answers.get(key);
        if (known == null) {
            known = RunCreatedTables.contains(database, table.schema() != null ? null : schemaOfJudgement(), table);
            answers.put(key, known);
        }
        return (Boolean) known;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T oncePerJudgement(Object key, Supplier<T> compute) {
        if (!judging) {
            return compute.get();
        }
        Object known = derived.get(key);
        if (known == null) {
            known = compute.get();
            derived.put(key, known == null ? NULL : known);
        }
        return known == NULL ? null : (T) known;
    }

    /** {@link #currentSchema()}, asked once per judgement. */
    private String schemaOfJudgement() {
        if (!schemaAsked) {
            schema = currentSchema();
            schemaAsked = true;
        }
        return schema;
    }

    /**
     * The schema an unqualified name is created in: PostgreSQL's current_schema, MySQL/MariaDB's database.
     * PostgreSQL's answer is a round trip (pgjdbc's getSchema() runs {@code select current_schema()}), asked
     * for most DDL statements; it is kept until {@link #forgetSchema()}, which the guard calls whenever SQL it
     * did not judge as schema-neutral DDL may have run (see {@link ConnectionGuard}).
     */
    String currentSchema() {
        String known = knownSchema;
        if (known != null) {
            return known;
        }
        try {
            String schema = raw.getSchema();
            String answer = schema != null ? schema : raw.getCatalog();
            if (!unseenSqlPossible) {
                knownSchema = answer;
            }
            return answer;
        } catch (SQLException | RuntimeException | AbstractMethodError e) {
            return null;
        }
    }

    /**
     * Anything that may change the session's schema ran, or may have: SQL the guard did not judge (a SET, a
     * function call, a procedure), DDL outside {@link #keepsSchema}, a commit or rollback (they end a SET LOCAL
     * or undo a SET), setSchema. The next question asks the server again. A plain field: a connection is used by
     * one thread at a time, and it is on the path of every statement.
     */
    void forgetSchema() {
        knownSchema = null;
    }

    /** The driver's own connection or statement was handed out (unwrap): SQL may run unseen, nothing is kept from now on. */
    void neverKeepSchema() {
        unseenSqlPossible = true;
        knownSchema = null;
    }

    /**
     * Whether the session's schema is still what it was before this DDL ran: statements on tables, indexes,
     * views, sequences, types and comments never change the search path or which of its schemas exist. (A
     * function a DEFAULT or an index expression calls could run set_config; a function can run any SQL
     * unseen by any guard, so it is no new way around this one.) Anything else (CREATE/DROP SCHEMA, GRANT,
     * extensions, DO, CALL, event triggers) is taken to change it.
     */
    static boolean keepsSchema(DdlStatement s) {
        if (s == null || s.opaque() != null || s.objectType() == null) {
            return false;
        }
        boolean verb = s.verb() == Verb.CREATE || s.verb() == Verb.ALTER || s.verb() == Verb.DROP || s.verb() == Verb.COMMENT;
        return verb && SCHEMA_NEUTRAL.contains(s.objectType());
    }

    private static final Set<String> SCHEMA_NEUTRAL = Set.of("TABLE", "INDEX", "VIEW", "MATERIALIZED VIEW", "SEQUENCE",
            "TYPE", "DOMAIN", "COLUMN", "CONSTRAINT");

    String database() {
        return database;
    }

    @Override
    public Boolean exists(String objectType, QualifiedName relation) {
        return targetIsConnected ? ask("existence of " + String.valueOf(objectType).toLowerCase(Locale.ROOT) + " " + relation.toSql(), false,
                () -> connected.exists(raw, objectType, relation), null) : null;
    }

    @Override
    public String latestMigrationVersion() {
        List<String> versions = ask("flyway_schema_history", false, () -> connected.appliedMigrationVersions(raw), null);
        if (versions == null) {
            return null;
        }
        return versions.stream().map(MigrationVersion::parseOrNull).filter(Objects::nonNull)
                .max(Comparator.naturalOrder()).map(Object::toString).orElse("");
    }

    @Override
    public Set<String> indexTypes(QualifiedName table) {
        if (!targetIsConnected) {
            return Set.of();
        }
        // Asked only for FULLTEXT (MySQL's online DDL): a table this run created has one only if a statement the
        // guard saw named it; information_schema.STATISTICS costs 0.15-0.3 ms a question on MariaDB.
        if (createdInThisRun(table) && !RunCreatedTables.fulltextPossible(database, table.schema() != null ? null
                : judging ? schemaOfJudgement() : currentSchema(), table)) {
            return Set.of();
        }
        return ask("indexes of " + table.toSql(), true, () -> connected.indexTypes(raw, table), Set.of());
    }

    /** Whether the connected server reads SQL as MySQL/MariaDB do. */
    boolean isMySql() {
        return connected.syntax() == SqlSyntax.MYSQL;
    }

    @Override
    public QualifiedName tableOfIndex(QualifiedName index) {
        return targetIsConnected ? ask("table of index " + index.toSql(), false, () -> connected.tableOfIndex(raw, index), null)
                : null;
    }

    @Override
    public List<String> dependents(String objectType, QualifiedName name) {
        return targetIsConnected ? ask("dependents of " + String.valueOf(objectType).toLowerCase(Locale.ROOT) + " " + name.toSql(), true,
                () -> connected.dependents(raw, objectType, name), null) : null;
    }

    @Override
    public String constraintKind(QualifiedName table, Identifier constraint) {
        return targetIsConnected ? ask("kind of constraint " + table.toSql() + "." + constraint.toSql(), true,
                () -> connected.constraintKind(raw, table, constraint), null) : null;
    }

    @Override
    public Boolean relationExists(QualifiedName name) {
        return targetIsConnected ? ask("existence of relation " + name.toSql(), false, () -> connected.relationExists(raw, name), null)
                : null;
    }

    @Override
    public Boolean isUniqueIndex(QualifiedName table, Identifier index) {
        return targetIsConnected ? ask("uniqueness of " + table.toSql() + "." + index.toSql(), true,
                () -> connected.isUniqueIndex(raw, table, index), null) : null;
    }

    @Override
    public List<String> nullableIndexColumns(QualifiedName table, Identifier index) {
        return targetIsConnected ? ask("nullable columns of " + table.toSql() + "." + index.toSql(), false,
                () -> connected.nullableIndexColumns(raw, table, index), null) : null;
    }

    @Override
    public boolean constraintCreatedInThisTransaction(QualifiedName table, Identifier constraint) {
        return targetIsConnected && Boolean.TRUE.equals(ask("age of constraint " + table.toSql() + "." + constraint.toSql(), false,
                () -> connected.constraintCreatedInThisTransaction(raw, table, constraint), false));
    }

    @Override
    public Boolean refreshableConcurrently(QualifiedName view) {
        return targetIsConnected ? ask("unique indexes of " + view.toSql(), false,
                () -> connected.refreshableConcurrently(raw, view), null) : null;
    }

    @Override
    public List<Session> lockHolders(QualifiedName table) {
        return targetIsConnected ? ask("sessions holding " + table.toSql(), false,
                () -> connected.lockHolders(raw, table), List.of()) : List.of();
    }

    @Override
    public FreeSpace freeSpace() {
        FreeSpace unknown = FreeSpace.unknown(null,
                "the server could not be asked for free disk space (see the catalog note)");
        return targetIsConnected ? ask("free disk space", false, () -> connected.freeSpace(raw), unknown) : unknown;
    }

    /** See {@link Dialect#idleOwnTransactions}; empty when unknown. */
    List<Session> idleOwnTransactions() {
        return targetIsConnected ? ask("idle transactions of this user", false, () -> connected.idleOwnTransactions(raw),
                List.of()) : List.of();
    }

    @Override
    public List<Session> openTransactions() {
        return targetIsConnected ? ask("open transactions", false, () -> connected.openTransactions(raw), List.of()) : List.of();
    }

    /**
     * Asks one question; on failure remembers why and answers {@code unknown}.
     *
     * @param mayWaitOnTable whether the query can wait for a lock on a table (the catalog of a table
     *                       opens it on MySQL/MariaDB; PostgreSQL's size functions lock it)
     */
    @SuppressWarnings("unchecked")
    private <T> T ask(String what, boolean mayWaitOnTable, Query<T> query, T unknown) {
        if (busy && mayWaitOnTable) {
            return unknown;
        }
        if (judging) {
            Object known = answers.get(what);
            if (known != null) {
                return known == NULL ? null : (T) known;
            }
        }
        T answer = askNow(what, query, unknown);
        if (judging) {
            answers.put(what, answer == null ? NULL : answer);
        }
        return answer;
    }

    private <T> T askNow(String what, Query<T> query, T unknown) {
        try {
            return guarded(query);
        } catch (SQLException | RuntimeException e) {
            boolean timedOut = timedOut(e);
            busy |= timedOut;
            String why = e.getMessage() == null ? e.toString() : e.getMessage().strip();
            failures.add(what + ": " + why + (timedOut ? " (later questions that could wait on the table skipped)" : ""));
            LOG.debug("ddlguard: catalog question not answered ({}): {}", what, e.toString());
            return unknown;
        }
    }

    /** Cancelled by the query timeout, or gave up waiting for a lock: asking again would wait as long. */
    private boolean timedOut(Exception e) {
        if (!(e instanceof SQLException sql)) {
            return false;
        }
        String state = sql.getSQLState();   // Set.of(…).contains(null) throws
        return sql instanceof SQLTimeoutException || state != null && TIMEOUT_STATES.contains(state)
                || TIMEOUT_CODES.contains(sql.getErrorCode()) || connected.isLockTimeout(sql);
    }

    private <T> T guarded(Query<T> query) throws SQLException {
        if (judging && !raw.getAutoCommit()) {
            return underJudgementSavepoint(query);
        }
        Savepoint savepoint = raw.getAutoCommit() ? null : raw.setSavepoint();
        try {
            T answer = query.ask();
            if (savepoint != null) {
                raw.releaseSavepoint(savepoint);
            }
            return answer;
        } catch (SQLException | RuntimeException e) {
            if (savepoint != null) {
                try {
                    raw.rollback(savepoint);
                    raw.releaseSavepoint(savepoint);
                } catch (SQLException ignored) {
                    // the connection is gone; the caller's statement will say so itself
                }
            }
            throw e;
        }
    }

    /**
     * Inside a transaction, the questions of one judgement share one savepoint (three round trips per
     * question were two too many): opened at the first, released when judging ends; a failed question rolls
     * back to it, so the caller's transaction is never aborted, and the next question opens a new one.
     */
    private <T> T underJudgementSavepoint(Query<T> query) throws SQLException {
        if (judgementSavepoint == null) {
            judgementSavepoint = raw.setSavepoint();
        }
        try {
            return query.ask();
        } catch (SQLException | RuntimeException e) {
            Savepoint failed = judgementSavepoint;
            judgementSavepoint = null;
            try {
                raw.rollback(failed);
                raw.releaseSavepoint(failed);
            } catch (SQLException ignored) {
                // the connection is gone; the caller's statement will say so itself
            }
            throw e;
        }
    }
}
