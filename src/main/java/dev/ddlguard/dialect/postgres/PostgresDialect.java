package dev.ddlguard.dialect.postgres;

import dev.ddlguard.dialect.CatalogQuery;
import dev.ddlguard.dialect.Dialect;
import dev.ddlguard.dialect.SessionTimeout;
import dev.ddlguard.rules.Catalog;
import dev.ddlguard.rules.LockImpact;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.Verb;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** PostgreSQL: the first-class target. */
public final class PostgresDialect implements Dialect {

    private static final SessionTimeout LOCK_TIMEOUT = timeout("lock_timeout");
    private static final SessionTimeout STATEMENT_TIMEOUT = timeout("statement_timeout");

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
        LockImpact impact = PgLockVersions.adjust(
                statement, PgCatalogLocks.withCatalog(statement, lockImpact(statement), catalog), catalog);
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
    public Catalog catalog(Connection connection) {
        return new PostgresCatalog(connection);
    }

    /** Judging for PostgreSQL without a connection to one assumes 15, the oldest version still widely deployed that has every rewrite. */
    @Override
    public int defaultServerVersion() {
        return 150000;
    }

    @Override
    public int serverVersion(Connection connection) throws SQLException {
        String number = CatalogQuery.value(connection, "SHOW server_version_num");
        return number == null ? 0 : Integer.parseInt(number.trim());
    }

    /** dblink's functions (dblink, dblink_exec, …) or xml2's xpath_table in any schema; an unanswered question counts as yes. */
    @Override
    public boolean hasRemoteSql(Connection connection) {
        try {
            return CatalogQuery.value(
                            connection,
                            "SELECT 1 FROM pg_catalog.pg_proc WHERE proname LIKE 'dblink%' OR proname = 'xpath_table' LIMIT 1")
                    != null;
        } catch (SQLException | RuntimeException e) {
            return true;
        }
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
    public String cleanUpAfterFailure(Connection connection, DdlStatement executed, SQLException failure)
            throws SQLException {
        if (!executed.is(Verb.CREATE, "INDEX")
                || !executed.has(DdlStatement.Flag.CONCURRENTLY)
                || executed.names().isEmpty()
                || !connection.getAutoCommit()) {
            return null;
        }
        // Class 42 (syntax, an unknown column, a name already taken) fails before the build creates its
        // catalog entry: an INVALID index of that name then is someone else's, left for them to judge.
        String state = failure.getSQLState();
        if (state == null || state.startsWith("42")) {
            return null;
        }
        QualifiedName index = executed.names().get(0);
        if (!isInvalidIndex(connection, index)) {
            return null;
        }
        CatalogQuery.execute(connection, "DROP INDEX CONCURRENTLY IF EXISTS " + index.toSql());
        return "dropped the INVALID index " + index.toSql() + " the failed build left behind";
    }

    /** Set in milliseconds; SHOW's answer goes back through set_config (a bound value: no quoting). */
    private static SessionTimeout timeout(String name) {
        return SessionTimeout.bound(
                name,
                SessionTimeout::milliseconds,
                "SHOW " + name,
                t -> "SET " + name + " = '" + t.toMillis() + "ms'",
                "SELECT set_config('" + name + "', ?, false)");
    }

    /** Whether the index exists and is INVALID (what a failed CREATE INDEX CONCURRENTLY leaves behind). */
    private static boolean isInvalidIndex(Connection c, QualifiedName index) throws SQLException {
        String sql = "SELECT NOT i.indisvalid FROM pg_index i WHERE i.indexrelid = to_regclass(?)";
        return CatalogQuery.one(c, sql, rs -> rs.getBoolean(1), false, index.toSql());
    }

    @Override
    public SessionTimeout lockTimeout() {
        return LOCK_TIMEOUT;
    }

    @Override
    public SessionTimeout statementTimeout() {
        return STATEMENT_TIMEOUT;
    }

    @Override
    public boolean isLockTimeout(SQLException e) {
        return LOCK_NOT_AVAILABLE.equals(e.getSQLState());
    }

    /** 57014 is any cancel (the JDBC query timeout, pg_cancel_backend); statement_timeout says so in its message. */
    @Override
    public boolean isStatementTimeout(SQLException e) {
        return "57014".equals(e.getSQLState())
                && e.getMessage() != null
                && e.getMessage().contains("statement timeout");
    }

    @Override
    public boolean isDeadlock(SQLException e) {
        return "40P01".equals(e.getSQLState());
    }
}
