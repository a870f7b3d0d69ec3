package dev.ddlguard.dialect;

import dev.ddlguard.rules.Rule;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SqlSyntax;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Everything that differs between databases, behind one interface (as Flyway's {@code Database}):
 * lexical syntax, the rule pack, the lock model, session lock timeouts and catalog statistics.
 * Generic behaviour lives in the default methods; each database overrides what it knows better.
 */
public interface Dialect {

    /** The setting value and audit name: postgresql, mysql, mariadb, h2, generic. */
    String name();

    SqlSyntax syntax();

    /** Rules that only make sense on this database; the dialect-independent ones are added by the engine. */
    default List<Rule> rules() {
        return List.of();
    }

    /** The lock the statement takes as written, before catalog figures are added. */
    LockImpact lockImpact(DdlStatement statement);

    /**
     * The lock as written plus what only the live catalog knows (the parents of foreign keys a DROP
     * removes, say). The default knows nothing more than the text.
     */
    default LockImpact lockImpact(DdlStatement statement, Catalog catalog) {
        return lockImpact(statement);
    }

    /** The tables the table's foreign keys reference, or only the named constraint's. */
    default List<QualifiedName> foreignKeyParents(Connection connection, QualifiedName table, Identifier constraint)
            throws SQLException {
        return List.of();
    }

    /** The version rules assume when judging for this database without being connected to it. */
    default int defaultServerVersion() {
        return 0;
    }

    /** The connected server's version in PostgreSQL's server_version_num form; 0 when unknown. */
    default int serverVersion(Connection connection) throws SQLException {
        return 0;
    }

    /**
     * Whether the database has functions that run SQL on a connection of their own (PostgreSQL's dblink),
     * so that any statement may hide DDL in a call: asked once per connection; true when unsure.
     */
    default boolean hasRemoteSql(Connection connection) {
        return false;
    }

    /** The column's current type, or null. */
    default String columnType(Connection connection, QualifiedName table, Identifier column) throws SQLException {
        return null;
    }

    /** A session setting, or null. */
    default String setting(Connection connection, String name) throws SQLException {
        return null;
    }

    /** Whether the function is volatile, or null when unknown. */
    default Boolean isVolatile(Connection connection, String function) throws SQLException {
        return null;
    }

    /** The names of the table's constraints. */
    default Set<String> constraintNames(Connection connection, QualifiedName table) throws SQLException {
        return Set.of();
    }

    /** The character sets of the table's string columns, lower case. */
    default Set<String> columnCharsets(Connection connection, QualifiedName table) throws SQLException {
        return Set.of();
    }

    /** The relation's kind in the database's own code, or null. */
    default String relationKind(Connection connection, QualifiedName table) throws SQLException {
        return null;
    }

    /** The definitions of the table's validated CHECK constraints. */
    default List<String> validatedChecks(Connection connection, QualifiedName table) throws SQLException {
        return List.of();
    }

    /** Whether the table was created by the current, still open transaction. */
    default boolean createdInThisTransaction(Connection connection, QualifiedName table) throws SQLException {
        return false;
    }

    /** Whether a relation of that name exists, or null when this database's catalog is not asked. */
    default Boolean exists(Connection connection, String objectType, QualifiedName relation) throws SQLException {
        return null;
    }

    /**
     * The versions Flyway recorded as successfully applied, from its default history table in the
     * connection's schema. The same SQL runs on every database the guard knows (success is a boolean
     * on PostgreSQL and H2, a TINYINT on MySQL/MariaDB, where a bare column is a truth value too).
     */
    default List<String> appliedMigrationVersions(Connection connection) throws SQLException {
        return CatalogQuery.all(connection, "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL",
                rs -> rs.getString(1));
    }

    /** The kinds of index the table has, upper case. */
    default Set<String> indexTypes(Connection connection, QualifiedName table) throws SQLException {
        return Set.of();
    }

    /**
     * A clearer error for a failure the guard caused or can explain (the server refusing the online
     * clause a rewrite added), or null to let the database's own error through. {@code refused} is what
     * the server answered to the weaker rewrites tried before ({@link #weakerRewrite}), oldest first.
     */
    default SQLException explainFailure(SQLException failure, DdlStatement executed, List<String> refused) {
        return null;
    }

    /**
     * After the server refused a rewrite ({@code failure}): {@code sent} with the next weaker form
     * that still keeps the table online (MySQL: the next ALGORITHM/LOCK clause), or null when there is
     * none and the statement must fail. {@code executed} is {@code sent} as the classifier reads it.
     */
    default String weakerRewrite(SQLException failure, String sent, DdlStatement executed) {
        return null;
    }

    /**
     * When {@code failure} is the server refusing what a rewrite asked for: what was asked and what the
     * server answered, for the message and the audit record ({@code ALGORITHM=INSTANT, LOCK=NONE: ERROR
     * 1845 "…"}); else null.
     */
    default String describeRefusal(SQLException failure, DdlStatement executed) {
        return null;
    }

    /** Something worth recording after a statement succeeded (MySQL: rows affected by an ALTER mean the table was copied). */
    default String noteAfterSuccess(DdlStatement executed, long rowsAffected) {
        return null;
    }

    /** The table an index belongs to, or null. */
    default QualifiedName tableOfIndex(Connection connection, QualifiedName index) throws SQLException {
        return null;
    }

    /** What dropping the object takes with it, as {@link Catalog#dependents} describes; null when this database cannot say. */
    default List<String> dependents(Connection connection, String objectType, QualifiedName name) throws SQLException {
        return null;
    }

    /** The table's constraint's kind (FOREIGN KEY, PRIMARY KEY, UNIQUE, CHECK, EXCLUDE), or null. */
    default String constraintKind(Connection connection, QualifiedName table, Identifier constraint) throws SQLException {
        return null;
    }

    /** Whether the relation exists; null when this database cannot say. */
    default Boolean relationExists(Connection connection, QualifiedName name) throws SQLException {
        return null;
    }

    /** Whether the table's index is a UNIQUE or PRIMARY key; null when unknown. */
    default Boolean isUniqueIndex(Connection connection, QualifiedName table, Identifier index) throws SQLException {
        return null;
    }

    /** As {@link Catalog#nullableIndexColumns}. */
    default List<String> nullableIndexColumns(Connection connection, QualifiedName table, Identifier index) throws SQLException {
        return null;
    }

    /** Whether the table's constraint was created by the current, still open transaction. */
    default boolean constraintCreatedInThisTransaction(Connection connection, QualifiedName table, Identifier constraint)
            throws SQLException {
        return false;
    }

    /** Whether REFRESH MATERIALIZED VIEW CONCURRENTLY can run on the view; null when unknown. */
    default Boolean refreshableConcurrently(Connection connection, QualifiedName view) throws SQLException {
        return null;
    }

    /** Other sessions holding granted locks on the table. */
    default List<Catalog.Session> lockHolders(Connection connection, QualifiedName table) throws SQLException {
        return List.of();
    }

    /**
     * The open transactions a concurrent build would wait for, when all of them are idle in transaction
     * under the current user (a deadlock with the caller's own process, most likely); else empty.
     */
    default List<Catalog.Session> idleOwnTransactions(Connection connection) throws SQLException {
        return List.of();
    }

    /** Other sessions with an open transaction. */
    default List<Catalog.Session> openTransactions(Connection connection) throws SQLException {
        return List.of();
    }

    /**
     * Cleans up after a failed statement, e.g. the INVALID index a failed CREATE INDEX CONCURRENTLY
     * leaves behind (a retry would fail with "already exists"). Returns what was done, or null.
     *
     * @param failure what the server answered: only what the failed statement itself left may be cleaned up
     */
    default String cleanUpAfterFailure(Connection connection, DdlStatement executed, SQLException failure) throws SQLException {
        return null;
    }

    /**
     * The free disk space the server reports for its data directory. Only read by tools (lint's preflight),
     * never while a guarded statement waits; a server with no way to report it says so, it does not guess.
     */
    default FreeSpace freeSpace(Connection connection) throws SQLException {
        return FreeSpace.unknown(null, name() + " reports no free disk space over SQL");
    }

    /**
     * The sessions the statement, as it will run, would queue behind right now: the holders of conflicting
     * locks on each table it locks, or for a concurrent index build every open transaction; empty when none
     * or when the catalog cannot say.
     */
    default List<Catalog.Session> queuedBehind(DdlStatement statement, Catalog catalog) {
        return statement.table() == null ? List.of() : catalog.lockHolders(statement.table());
    }

    /** Estimated rows and bytes of a table from the live catalog; null fields where the database does not say. */
    default TableSize tableSize(Connection connection, QualifiedName table) throws SQLException {
        return TableSize.UNKNOWN;
    }

    /** The session's current lock timeout as a value {@link #setLockTimeout} accepts back, or null if this database has none. */
    default String currentLockTimeout(Connection connection) throws SQLException {
        return null;
    }

    /** Sets the session lock timeout: a duration, or a value read by {@link #currentLockTimeout}. */
    default void setLockTimeout(Connection connection, Duration timeout) throws SQLException {
    }

    default void restoreLockTimeout(Connection connection, String previous) throws SQLException {
    }

    /**
     * Whether DDL commits the open transaction itself (MySQL/MariaDB: "Statements That Cause an Implicit
     * Commit"; H2: "This command commits an open transaction"), so that a later rollback cannot take it back.
     * PostgreSQL runs DDL inside the transaction.
     */
    default boolean ddlCommitsImplicitly() {
        return true;
    }

    /**
     * The driver's own idea of the session's transaction, without a round trip: {@code IDLE} (none open),
     * {@code OPEN}, {@code FAILED} (an error aborted it: a COMMIT will roll it back); null when the
     * driver does not say.
     */
    default String transactionState(Connection connection) {
        return null;
    }

    /** Whether the error means "gave up waiting for a lock", which is worth a retry in autocommit. */
    default boolean isLockTimeout(SQLException e) {
        return false;
    }

    /**
     * The session's statement timeout as a value {@link #restoreStatementTimeout} accepts back, or null when this
     * database has no session setting that bounds DDL (the guard then uses the JDBC query timeout).
     */
    default String currentStatementTimeout(Connection connection) throws SQLException {
        return null;
    }

    default void setStatementTimeout(Connection connection, Duration timeout) throws SQLException {
    }

    default void restoreStatementTimeout(Connection connection, String previous) throws SQLException {
    }

    /** Whether the error means the statement ran past its time bound and was cancelled (SQLSTATE 57014 query_canceled). */
    default boolean isStatementTimeout(SQLException e) {
        return "57014".equals(e.getSQLState());
    }

    /**
     * Whether the server broke a deadlock by aborting this statement (PostgreSQL 40P01, MySQL/MariaDB 1213):
     * like a lock timeout, worth a retry in autocommit, where the other session has gone on meanwhile.
     */
    default boolean isDeadlock(SQLException e) {
        return "40P01".equals(e.getSQLState()) || e.getErrorCode() == 1213;
    }

    /** Rows and bytes of a table as the catalog estimates them; null where unknown. */
    /**
     * @param empty whether the table certainly holds no rows (PostgreSQL: its main fork has no page at all);
     *              null when the catalog cannot say for sure (MySQL/MariaDB row counts are estimates)
     */
    record TableSize(Long rows, Long bytes, Boolean empty) {
        public static final TableSize UNKNOWN = new TableSize(null, null, null);

        public TableSize(Long rows, Long bytes) {
            this(rows, bytes, null);
        }
    }
}
