package dev.ddlguard.engine;

import dev.ddlguard.dialect.Dialect;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.DdlStatement.Flag;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.Verb;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The catalog of the connected database: its dialect's {@link Dialect#catalog catalog} answers, each asked
 * through {@link CatalogGuard} ({@link GuardedCatalog}), and this class adds what needs more than asking: table
 * sizes reused for a few seconds, the tables this run created, and the session's current schema. Every query is guarded: inside
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
public final class LiveCatalog extends GuardedCatalog {

    /** How long a table's size is reused: a migration often touches one table several times in a row. */
    private static final long SIZE_TTL_NANOS = 5_000_000_000L;

    private final Connection raw;
    /** Whether the connected server reads SQL as MySQL/MariaDB do. */
    private final boolean mysql;

    private final String database;
    /** Per connection; ConnectionGuard judges on one thread at a time (it locks this catalog while judging). */
    private final Map<String, CachedSize> sizes = new HashMap<>();
    /** {@link #currentSchema()} kept across statements until {@link #forgetSchema()}; null when not known. */
    private String knownSchema;
    /** Set by {@link #neverKeepSchema()}. */
    private volatile boolean unseenSqlPossible;
    /** The current schema, once asked during this judgement (PostgreSQL's getSchema() is a round trip). */
    private String schema;

    private boolean schemaAsked;
    /** MySQL/MariaDB: whether this connection created a temporary table through the guard ({@link #isTemporary}). */
    private boolean createdTemporaryTable;
    /** {@link #foldsTableNameCase()}, once answered. */
    private volatile Boolean foldsCase;

    private record CachedSize(TableSize size, long at) {}

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
        super(raw, connected, targetIsConnected);
        this.database = database;
        this.raw = raw;
        this.connected = connected;
        this.mysql = connected.syntax() == SqlSyntax.MYSQL;
    }

    private final Dialect connected;

    /**
     * The connection, when its transaction is open on a database whose DDL it holds (PostgreSQL, from the driver's own
     * state: no round trip): a table created now is this connection's alone until the commit; else null.
     */
    Object openTransaction() {
        String state = connected.ddlCommitsImplicitly() ? null : connected.transactionState(raw);
        return state != null && !"IDLE".equals(state) ? raw : null;
    }

    /** Before judging a new SQL string: a busy table earlier says nothing about this one. */
    public void startJudging() {
        guard.start();
        schema = null;
        schemaAsked = false;
    }

    /** After judging a SQL string: releases the judgement's savepoint; later questions (after a failure) use their own. */
    public void endJudging() {
        guard.end();
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
        return guard.takeFailures();
    }

    @Override
    public TableSize tableSize(QualifiedName table) {
        String key = table.toSql();
        CachedSize cached = sizes.get(key);
        long now = System.nanoTime();
        // Sizes are estimates anyway and reused; "empty" is a certainty that one written row ends, so it is asked
        // again.
        if (cached != null
                && now - cached.at() < SIZE_TTL_NANOS
                && !Boolean.TRUE.equals(cached.size().empty())) {
            return cached.size();
        }
        TableSize size = guard.ask("size of " + key, true, () -> asked.tableSize(table), null);
        if (size == null) {
            return TableSize.UNKNOWN; // not cached: the next statement asks again
        }
        sizes.put(key, new CachedSize(size, now));
        return size;
    }

    @Override
    public boolean createdInThisRun(QualifiedName table) {
        if (database == null || !RunCreatedTables.mayContain(database, table)) {
            return false; // the common case on a database with history: no question asked
        }
        // Asked by several rules of one statement; the record cannot change while the string is judged.
        return guard.judging() ? guard.once("run\0" + table.toSql(), () -> recorded(table)) : recorded(table);
    }

    /**
     * The run's record has the table, and on PostgreSQL, once a rollback or a DROP may have taken it away unseen, the
     * table is still there: the record outlives it, and an unqualified name then finds a table of that name later on
     * the search path (an outside tester's {@code BEGIN; CREATE TABLE t …; ROLLBACK}, then {@code DROP TABLE t}
     * dropped the old public.t as the run's), or while another connection's transaction that created it is open (it
     * may never commit; until it does, the name finds another table here). One question, asked only then.
     */
    private boolean recorded(QualifiedName table) {
        String schema = schemaFor(table);
        if (!RunCreatedTables.contains(database, syntax(), schema, table, this::foldsTableNameCase)) {
            return false;
        }
        if (RunCreatedTables.isType(database, syntax(), schema, table)) {
            // a type or domain of the run: the name is it only where it finds no relation (an outside tester's CREATE
            // DOMAIN orders, then TRUNCATE orders emptied the old public.orders as the run's)
            return Boolean.FALSE.equals(relationExists(table));
        }
        if (trustedWithoutAsking(schema, table)) {
            return true;
        }
        QualifiedName where = table.schema() != null || schema == null
                ? table
                : new QualifiedName(List.of(new Identifier(schema, true), table.name()));
        return Boolean.TRUE.equals(relationExists(where));
    }

    /**
     * Whether the run's record of a table holds without asking the server: always on MySQL/MariaDB (DDL commits, a name
     * finds one database's table); on PostgreSQL unless something may have taken the table away since (a rollback, a
     * DROP, a CALL or DO block) or another connection's CREATE is not known committed. Asked too by the lock timeout
     * ({@link LockWaits}: an outside tester's ALTER after a rolled-back CREATE waited 24 s, set no timeout).
     */
    boolean trustedWithoutAsking(String schema, QualifiedName table) {
        return syntax() != SqlSyntax.POSTGRESQL
                || !RunCreatedTables.mayBeGone(database, syntax(), schema, table)
                        && !RunCreatedTables.uncommittedElsewhere(database, syntax(), schema, table, raw)
                        && !RunCreatedTables.isType(database, syntax(), schema, table);
    }

    @Override
    public boolean schemaCreatedInThisRun(QualifiedName schema) {
        return database != null
                && schema.parts().size() == 1
                && RunCreatedTables.containsSchema(database, syntax(), schema.name(), this::foldsTableNameCase);
    }

    /** The schema an unqualified name resolves in (null for a qualified one), asked once per judgement. */
    private String schemaFor(QualifiedName table) {
        return table.schema() != null ? null : guard.judging() ? schemaOfJudgement() : currentSchema();
    }

    @Override
    public <T> T oncePerJudgement(Object key, Supplier<T> compute) {
        return guard.once(key, compute);
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
    @Override
    public String currentSchema() {
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
        boolean verb =
                s.verb() == Verb.CREATE || s.verb() == Verb.ALTER || s.verb() == Verb.DROP || s.verb() == Verb.COMMENT;
        // A CREATE … AS SELECT or a materialized view runs its query, which may call set_config (CREATE TABLE x AS
        // SELECT set_config('search_path', …): the next CREATE was recorded in the wrong schema, an outside tester's
        // find); so may a statement that names the settings in any way.
        boolean runsQuery =
                s.has(Flag.AS_SELECT) || (s.verb() == Verb.CREATE && "MATERIALIZED VIEW".equals(s.objectType()));
        return verb && SCHEMA_NEUTRAL.contains(s.objectType()) && !runsQuery && !SchemaMoves.namesSettings(s.text());
    }

    private static final Set<String> SCHEMA_NEUTRAL =
            Set.of("TABLE", "INDEX", "VIEW", "MATERIALIZED VIEW", "SEQUENCE", "TYPE", "DOMAIN", "COLUMN", "CONSTRAINT");

    String database() {
        return database;
    }

    @Override
    public Set<String> indexTypes(QualifiedName table) {
        if (!targetIsConnected) {
            return Set.of();
        }
        // Asked only for FULLTEXT (MySQL's online DDL): a table this run created has one only if a statement the
        // guard saw named it; information_schema.STATISTICS costs 0.15-0.3 ms a question on MariaDB.
        if (createdInThisRun(table)
                && !RunCreatedTables.fulltextPossible(database, syntax(), schemaFor(table), table)) {
            return Set.of();
        }
        return opensTable("indexes of " + table.toSql(), c -> c.indexTypes(table));
    }

    /**
     * MySQL/MariaDB: lower_case_table_names, asked once per connection (a server setting, fixed at its start): 1 or 2
     * compare table names without case, 0 exactly. Unknown (the question failed) counts as exact, and is asked
     * again next time.
     */
    @Override
    public boolean foldsTableNameCase() {
        if (!mysql || !targetIsConnected) {
            return false;
        }
        Boolean folds = foldsCase;
        if (folds == null) {
            String value = setting("lower_case_table_names");
            if (value == null) {
                return false;
            }
            folds = !value.strip().equals("0");
            foldsCase = folds;
        }
        return folds;
    }

    /**
     * MySQL/MariaDB: asked only on a connection that created a temporary table through the guard (a session has no
     * other way to get one but a procedure, which the safe side leaves judged): the question opens the table it names
     * ({@code SHOW CREATE TABLE}), so it is not worth a round trip on every DDL statement of a migration.
     */
    @Override
    public boolean isTemporary(QualifiedName table) {
        if (!mysql) {
            return super.isTemporary(table);
        }
        return createdTemporaryTable
                && Boolean.TRUE.equals(opensTable("persistence of " + table.toSql(), c -> c.isTemporary(table)));
    }

    /** MySQL/MariaDB: a CREATE TEMPORARY TABLE of this connection ran through the guard. */
    void createdTemporaryTable() {
        createdTemporaryTable = true;
    }

    /** The syntax whose naming rules the record of created tables keys names by (MySQL/MariaDB: as spelled). */
    SqlSyntax syntax() {
        return mysql ? SqlSyntax.MYSQL : SqlSyntax.POSTGRESQL;
    }

    /** Whether the connected server reads SQL as MySQL/MariaDB do. */
    boolean isMySql() {
        return mysql;
    }
}
