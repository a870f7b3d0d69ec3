package dev.ddlguard.dialect;

import dev.ddlguard.rules.Catalog;
import dev.ddlguard.rules.LockImpact;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SqlSyntax;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Everything that differs between databases, behind one interface (as Flyway's {@code Database}):
 * lexical syntax, the rule pack, the lock model, session lock timeouts, and its {@link #catalog catalog}.
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

    /**
     * The lock the statement takes as written, before catalog figures are added. The default is the
     * {@link GenericLockModel generic model}, for a database without a model of its own.
     */
    default LockImpact lockImpact(DdlStatement statement) {
        return GenericLockModel.of(statement);
    }

    /**
     * The table whose size decides how long the statement holds its lock: the statement's own, unless the work
     * runs over another table (MySQL's EXCHANGE PARTITION checks the rows of the table it swaps in).
     */
    default QualifiedName sizedTable(DdlStatement statement) {
        return statement.table();
    }

    /**
     * The lock as written plus what only the live catalog knows (the parents of foreign keys a DROP
     * removes, say). The default knows nothing more than the text.
     */
    default LockImpact lockImpact(DdlStatement statement, Catalog catalog) {
        return lockImpact(statement);
    }

    /**
     * The catalog of a live connection to this database, as the database answers: one object per dialect
     * that knows this catalog's questions. It neither caches nor forgives: a question that fails throws
     * {@link CatalogQuery.Unanswered}; the engine's live catalog wraps it with savepoints, one answer per
     * question and judgement, and failure notes. The default knows only what every database answers alike.
     */
    default Catalog catalog(Connection connection) {
        return new JdbcCatalog(connection);
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
     * Whether the database has functions that run SQL the guard does not see (PostgreSQL's dblink, xml2's xpath_table),
     * so that any statement may hide DDL in a call: asked once per connection; true when unsure.
     */
    default boolean hasRemoteSql(Connection connection) {
        return false;
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

    /**
     * Cleans up after a failed statement, e.g. the INVALID index a failed CREATE INDEX CONCURRENTLY
     * leaves behind (a retry would fail with "already exists"). Returns what was done, or null.
     *
     * @param failure what the server answered: only what the failed statement itself left may be cleaned up
     */
    default String cleanUpAfterFailure(Connection connection, DdlStatement executed, SQLException failure)
            throws SQLException {
        return null;
    }

    /**
     * The sessions the statement, as it will run, would queue behind right now: the holders of conflicting
     * locks on each table it locks, or for a concurrent index build every open transaction; empty when none
     * or when the catalog cannot say.
     */
    default List<Catalog.Session> queuedBehind(DdlStatement statement, Catalog catalog) {
        return statement.table() == null ? List.of() : catalog.lockHolders(statement.table());
    }

    /** The session's lock timeout (the guard sets it around each statement); {@link SessionTimeout#NONE} if this database has none. */
    default SessionTimeout lockTimeout() {
        return SessionTimeout.NONE;
    }

    /**
     * The session setting that bounds a statement's run, DDL included; {@link SessionTimeout#NONE} when this database
     * has none (the guard then uses the JDBC query timeout).
     */
    default SessionTimeout statementTimeout() {
        return SessionTimeout.NONE;
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
}
