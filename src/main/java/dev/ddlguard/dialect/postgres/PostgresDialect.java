package dev.ddlguard.dialect.postgres;

import dev.ddlguard.dialect.Catalog;
import dev.ddlguard.dialect.CatalogQuery;
import dev.ddlguard.dialect.Dialect;
import dev.ddlguard.dialect.FreeSpace;
import dev.ddlguard.dialect.LockImpact;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.Verb;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** PostgreSQL: the first-class target. */
public final class PostgresDialect implements Dialect {

    /** SQLSTATE 55P03 lock_not_available: raised when lock_timeout expires. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    @Override
    public String name() {
        return "postgresql";
    }

    /** PostgreSQL DDL is transactional (the manual, "Transactions": a rollback takes a CREATE TABLE back too). */
    @Override
    public boolean ddlCommitsImplicitly() {
        return false;
    }

    @Override
    public String transactionState(Connection connection) {
        return PgTransactionState.of(connection);
    }

    @Override
    public SqlSyntax syntax() {
        return SqlSyntax.POSTGRESQL;
    }

    @Override
    public List<Rule> rules() {
        return PostgresRules.ALL;
    }

    @Override
    public LockImpact lockImpact(DdlStatement statement) {
        return PostgresLockModel.of(statement);
    }

    /**
     * Dropping a foreign key, alone or with its table, takes ACCESS EXCLUSIVE on the referenced table
     * too (its triggers are removed), which blocks reads of the parent: only the catalog knows the parent.
     * The other answers only the catalog has are in {@link PostgresLockModel#withCatalog}; the server's version,
     * for the locks that changed between versions, in {@link PgLockVersions}.
     */
    @Override
    public LockImpact lockImpact(DdlStatement statement, Catalog catalog) {
        // What an older server does instead (PgLockVersions): before the foreign-key parents, which no version changes.
        LockImpact impact = PgLockVersions.adjust(statement,
                PostgresLockModel.withCatalog(statement, lockImpact(statement), catalog), catalog);
        List<QualifiedName> parents = new ArrayList<>();
        if (statement.is(Verb.DROP, "TABLE")) {
            statement.names().forEach(t -> parents.addAll(catalog.foreignKeyParents(t, null)));
        }
        for (AlterAction a : statement.actions()) {
            if (a.kind() == AlterAction.Kind.DROP_CONSTRAINT && a.column() != null && statement.table() != null) {
                parents.addAll(catalog.foreignKeyParents(statement.table(), a.column()));
            }
        }
        if (parents.isEmpty()) {
            return impact;
        }
        // A set and one copy: a DROP TABLE of many tables with parents must not be quadratic (issue 13).
        Set<String> listed = new HashSet<>();
        impact.otherTables().forEach(o -> listed.add(o.table()));
        String own = statement.table() == null ? null : statement.table().toSql();
        List<LockImpact.OtherTable> more = new ArrayList<>();
        for (QualifiedName parent : parents) {
            String name = parent.toSql();
            if (!name.equals(own) && listed.add(name)) {
                more.add(new LockImpact.OtherTable(name, "ACCESS EXCLUSIVE"));
            }
        }
        return impact.alsoLocking(more);
    }

    @Override
    public List<QualifiedName> foreignKeyParents(Connection connection, QualifiedName table, Identifier constraint)
            throws SQLException {
        return PostgresCatalog.foreignKeyParents(connection, table, constraint);
    }

    /** Judging for PostgreSQL without a connection to one assumes 15, the oldest version still widely deployed that has every rewrite. */
    @Override
    public int defaultServerVersion() {
        return 150000;
    }

    @Override
    public int serverVersion(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SHOW server_version_num")) {
            return rs.next() ? Integer.parseInt(rs.getString(1).trim()) : 0;
        }
    }

    /** dblink's functions (dblink, dblink_exec, dblink_send_query, …) in any schema; an unanswered question counts as yes. */
    @Override
    public boolean hasRemoteSql(Connection connection) {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT 1 FROM pg_catalog.pg_proc WHERE proname LIKE 'dblink%' LIMIT 1")) {
            return rs.next();
        } catch (SQLException | RuntimeException e) {
            return true;
        }
    }

    /** format_type gives the canonical spelling ("character varying(20)", "timestamp with time zone"). */
    @Override
    public String columnType(Connection connection, QualifiedName table, Identifier column) throws SQLException {
        return PostgresCatalog.columnType(connection, table, column);
    }

    @Override
    public String setting(Connection connection, String name) throws SQLException {
        return PostgresCatalog.setting(connection, name);
    }

    /** pg_proc.provolatile: 'v' volatile, 's' stable, 'i' immutable; overloads disagreeing count as volatile. */
    @Override
    public Boolean isVolatile(Connection connection, String function) throws SQLException {
        return PostgresCatalog.isVolatile(connection, function);
    }

    @Override
    public Set<String> constraintNames(Connection connection, QualifiedName table) throws SQLException {
        return PostgresCatalog.constraintNames(connection, table);
    }

    @Override
    public Boolean exists(Connection connection, String objectType, QualifiedName relation) throws SQLException {
        return PostgresCatalog.exists(connection, relation);
    }

    @Override
    public boolean createdInThisTransaction(Connection connection, QualifiedName table) throws SQLException {
        return PostgresCatalog.createdInThisTransaction(connection, table);
    }

    @Override
    public List<String> validatedChecks(Connection connection, QualifiedName table) throws SQLException {
        return PostgresCatalog.validatedChecks(connection, table);
    }

    @Override
    public String relationKind(Connection connection, QualifiedName table) throws SQLException {
        return PostgresCatalog.relationKind(connection, table);
    }

    @Override
    public List<String> dependents(Connection connection, String objectType, QualifiedName name) throws SQLException {
        return PostgresDependents.dependents(connection, objectType, name);
    }

    @Override
    public String constraintKind(Connection connection, QualifiedName table, Identifier constraint)
            throws SQLException {
        return PostgresDependents.constraintKind(connection, table, constraint);
    }

    @Override
    public Boolean relationExists(Connection connection, QualifiedName name) throws SQLException {
        return PostgresDependents.relationExists(connection, name);
    }

    @Override
    public List<String> nullableIndexColumns(Connection connection, QualifiedName table, Identifier index)
            throws SQLException {
        return PostgresCatalog.nullableIndexColumns(connection, table, index);
    }

    @Override
    public boolean constraintCreatedInThisTransaction(Connection connection, QualifiedName table,
                                                      Identifier constraint) throws SQLException {
        return PostgresDependents.constraintCreatedInThisTransaction(connection, table, constraint);
    }

    @Override
    public Boolean refreshableConcurrently(Connection connection, QualifiedName view) throws SQLException {
        return PostgresDependents.refreshableConcurrently(connection, view);
    }

    @Override
    public QualifiedName tableOfIndex(Connection connection, QualifiedName index) throws SQLException {
        return PostgresCatalog.tableOfIndex(connection, index);
    }

    @Override
    public List<Catalog.Session> lockHolders(Connection connection, QualifiedName table) throws SQLException {
        return PostgresCatalog.lockHolders(connection, table);
    }

    /** Sessions whose transaction is open; a CONCURRENTLY build waits for each one older than itself. */
    @Override
    public List<Catalog.Session> idleOwnTransactions(Connection connection) throws SQLException {
        return PostgresCatalog.idleOwnTransactions(connection);
    }

    @Override
    public List<Catalog.Session> openTransactions(Connection connection) throws SQLException {
        return PostgresCatalog.openTransactions(connection);
    }

    /**
     * PostgreSQL has no SQL function for free disk space (pg_tablespace_size and the like count what is used,
     * not what is left): no figure, and the data directory to check by hand when this role may read it.
     */
    @Override
    public FreeSpace freeSpace(Connection connection) throws SQLException {
        // current_setting('data_directory') fails without pg_read_all_settings (superusers have it): CASE asks first.
        String directory = CatalogQuery.one(connection, "SELECT CASE WHEN pg_has_role(current_user, 'pg_read_all_settings',"
                + " 'member') THEN current_setting('data_directory') END", rs -> rs.getString(1), null);
        return FreeSpace.unknown(directory, "PostgreSQL reports no free disk space over SQL: check the volume of "
                + (directory != null ? directory : "the server's data directory (SHOW data_directory, as a superuser)")
                + " (or of the table's tablespace) on the server itself");
    }

    /** A concurrent index build waits for every open transaction; anything else for the conflicting lock holders. */
    @Override
    public List<Catalog.Session> queuedBehind(DdlStatement statement, Catalog catalog) {
        boolean build = (statement.is(Verb.CREATE, "INDEX") && !statement.has(DdlStatement.Flag.ONLY))
                || statement.verb() == Verb.REINDEX;
        if (build && statement.has(DdlStatement.Flag.CONCURRENTLY)) {
            return catalog.openTransactions();
        }
        return PgLockQueue.holders(statement, catalog);
    }

    /**
     * A failed CREATE INDEX CONCURRENTLY leaves an INVALID index that still slows writes and makes a
     * retry fail with "already exists": drop it, concurrently, when the connection is in autocommit.
     */
    @Override
    public String cleanUpAfterFailure(Connection connection, DdlStatement executed, SQLException failure) throws SQLException {
        if (!executed.is(Verb.CREATE, "INDEX") || !executed.has(DdlStatement.Flag.CONCURRENTLY)
                || executed.names().isEmpty() || !connection.getAutoCommit()) {
            return null;
        }
        // Class 42 (syntax, an unknown column, a name already taken) fails before the build creates its
        // catalog entry: an INVALID index of that name then is someone else's, left for them to judge.
        String state = failure.getSQLState();
        if (state == null || state.startsWith("42")) {
            return null;
        }
        QualifiedName index = executed.names().get(0);
        if (!PostgresCatalog.isInvalidIndex(connection, index)) {
            return null;
        }
        CatalogQuery.execute(connection, "DROP INDEX CONCURRENTLY IF EXISTS " + index.toSql());
        return "dropped the INVALID index " + index.toSql() + " the failed build left behind";
    }


    /**
     * reltuples is the planner's row estimate (-1 before the first ANALYZE on PostgreSQL 14+);
     * pg_total_relation_size counts indexes and TOAST. to_regclass returns NULL, not an error, for a
     * missing table, so the query cannot abort the caller's transaction on that account.
     */
    @Override
    public TableSize tableSize(Connection connection, QualifiedName table) throws SQLException {
        return PostgresCatalog.tableSize(connection, table);
    }

    @Override
    public String currentLockTimeout(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SHOW lock_timeout")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Override
    public void setLockTimeout(Connection connection, Duration timeout) throws SQLException {
        CatalogQuery.execute(connection, "SET lock_timeout = '" + timeout.toMillis() + "ms'");
    }

    @Override
    public void restoreLockTimeout(Connection connection, String previous) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT set_config('lock_timeout', ?, false)")) {
            ps.setString(1, previous);
            ps.execute();
        }
    }

    @Override
    public boolean isLockTimeout(SQLException e) {
        return LOCK_NOT_AVAILABLE.equals(e.getSQLState());
    }

    @Override
    public String currentStatementTimeout(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SHOW statement_timeout")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Override
    public void setStatementTimeout(Connection connection, Duration timeout) throws SQLException {
        CatalogQuery.execute(connection, "SET statement_timeout = '" + timeout.toMillis() + "ms'");
    }

    @Override
    public void restoreStatementTimeout(Connection connection, String previous) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT set_config('statement_timeout', ?, false)")) {
            ps.setString(1, previous);
            ps.execute();
        }
    }

    /** 57014 is any cancel (the JDBC query timeout, pg_cancel_backend); statement_timeout says so in its message. */
    @Override
    public boolean isStatementTimeout(SQLException e) {
        return "57014".equals(e.getSQLState()) && e.getMessage() != null && e.getMessage().contains("statement timeout");
    }

    @Override
    public boolean isDeadlock(SQLException e) {
        return "40P01".equals(e.getSQLState());
    }
}
