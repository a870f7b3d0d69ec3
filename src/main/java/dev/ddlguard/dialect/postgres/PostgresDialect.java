package dev.ddlguard.dialect.postgres;

import dev.ddlguard.dialect.Catalog;
import dev.ddlguard.dialect.Dialect;
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
import java.util.List;
import java.util.Locale;

/** PostgreSQL: the first-class target. */
public final class PostgresDialect implements Dialect {

    /** SQLSTATE 55P03 lock_not_available: raised when lock_timeout expires. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    @Override
    public String name() {
        return "postgresql";
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
     */
    @Override
    public LockImpact lockImpact(DdlStatement statement, Catalog catalog) {
        LockImpact impact = lockImpact(statement);
        List<QualifiedName> parents = new ArrayList<>();
        if (statement.is(Verb.DROP, "TABLE")) {
            statement.names().forEach(t -> parents.addAll(catalog.foreignKeyParents(t, null)));
        }
        for (AlterAction a : statement.actions()) {
            if (a.kind() == AlterAction.Kind.DROP_CONSTRAINT && a.column() != null && statement.table() != null) {
                parents.addAll(catalog.foreignKeyParents(statement.table(), a.column()));
            }
        }
        for (QualifiedName parent : parents) {
            boolean listed = impact.otherTables().stream().anyMatch(o -> o.table().equals(parent.toSql()));
            if (!listed && (statement.table() == null || !parent.toSql().equals(statement.table().toSql()))) {
                impact = impact.alsoLocking(new LockImpact.OtherTable(parent.toSql(), "ACCESS EXCLUSIVE"));
            }
        }
        return impact;
    }

    @Override
    public List<QualifiedName> foreignKeyParents(Connection connection, QualifiedName table, Identifier constraint)
            throws SQLException {
        String sql = "SELECT confrelid::regclass::text FROM pg_constraint WHERE conrelid = to_regclass(?)"
                + " AND contype = 'f' AND (?::text IS NULL OR conname = ?)";
        List<QualifiedName> parents = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setQueryTimeout(2);
            ps.setString(1, table.toSql());
            String name = constraint == null ? null : constraint.quoted() ? constraint.text() : constraint.text().toLowerCase(Locale.ROOT);
            ps.setString(2, name);
            ps.setString(3, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    parents.add(QualifiedName.of(rs.getString(1).split("\\.")));
                }
            }
        }
        return parents;
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

    /** format_type gives the canonical spelling ("character varying(20)", "timestamp with time zone"). */
    @Override
    public String columnType(Connection connection, QualifiedName table, Identifier column) throws SQLException {
        String sql = "SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a"
                + " WHERE a.attrelid = to_regclass(?) AND a.attname = ? AND NOT a.attisdropped";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setQueryTimeout(2);
            ps.setString(1, table.toSql());
            ps.setString(2, column.quoted() ? column.text() : column.text().toLowerCase(Locale.ROOT));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Override
    public String setting(Connection connection, String name) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT current_setting(?, true)")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** pg_proc.provolatile: 'v' volatile, 's' stable, 'i' immutable; overloads disagreeing count as volatile. */
    @Override
    public Boolean isVolatile(Connection connection, String function) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT bool_or(provolatile = 'v') FROM pg_proc WHERE proname = ?")) {
            ps.setString(1, function.toLowerCase(Locale.ROOT));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                boolean v = rs.getBoolean(1);
                return rs.wasNull() ? null : v;
            }
        }
    }

    @Override
    public java.util.Set<String> constraintNames(Connection connection, QualifiedName table) throws SQLException {
        java.util.Set<String> names = new java.util.HashSet<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT conname FROM pg_constraint WHERE conrelid = to_regclass(?)")) {
            ps.setQueryTimeout(2);
            ps.setString(1, table.toSql());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    @Override
    public java.util.List<String> validatedChecks(Connection connection, QualifiedName table) throws SQLException {
        java.util.List<String> checks = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                + " WHERE conrelid = to_regclass(?) AND contype = 'c' AND convalidated")) {
            ps.setQueryTimeout(2);
            ps.setString(1, table.toSql());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    checks.add(rs.getString(1));
                }
            }
        }
        return checks;
    }

    @Override
    public String relationKind(Connection connection, QualifiedName table) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT relkind::text FROM pg_class WHERE oid = to_regclass(?)")) {
            ps.setQueryTimeout(2);
            ps.setString(1, table.toSql());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Override
    public QualifiedName tableOfIndex(Connection connection, QualifiedName index) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT indrelid::regclass::text FROM pg_index WHERE indexrelid = to_regclass(?)")) {
            ps.setQueryTimeout(2);
            ps.setString(1, index.toSql());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? QualifiedName.of(rs.getString(1).split("\\.")) : null;
            }
        }
    }

    @Override
    public List<Catalog.Session> lockHolders(Connection connection, QualifiedName table) throws SQLException {
        return sessions(connection, "SELECT a.pid, a.state, extract(epoch FROM now() - coalesce(a.xact_start, a.query_start))::bigint,"
                + " a.application_name, a.query, l.mode FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                + " WHERE l.relation = to_regclass(?) AND l.granted AND l.pid <> pg_backend_pid()"
                + " ORDER BY a.xact_start NULLS LAST LIMIT 10", table.toSql());
    }

    /** Sessions whose transaction is open; a CONCURRENTLY build waits for each one older than itself. */
    @Override
    public List<Catalog.Session> openTransactions(Connection connection) throws SQLException {
        return sessions(connection, "SELECT a.pid, a.state, extract(epoch FROM now() - a.xact_start)::bigint,"
                + " a.application_name, a.query, NULL FROM pg_stat_activity a"
                // Only transactions with a snapshot or an xid make a concurrent build wait.
                + " WHERE a.xact_start IS NOT NULL AND (a.backend_xmin IS NOT NULL OR a.backend_xid IS NOT NULL)"
                + " AND a.pid <> pg_backend_pid() AND a.datname = current_database()"
                + " AND a.backend_type = 'client backend' ORDER BY a.xact_start LIMIT 10", null);
    }

    /**
     * A failed CREATE INDEX CONCURRENTLY leaves an INVALID index that still slows writes and makes a
     * retry fail with "already exists": drop it, concurrently, when the connection is in autocommit.
     */
    @Override
    public String cleanUpAfterFailure(Connection connection, DdlStatement executed) throws SQLException {
        if (!executed.is(Verb.CREATE, "INDEX") || !executed.has(DdlStatement.Flag.CONCURRENTLY)
                || executed.names().isEmpty() || !connection.getAutoCommit()) {
            return null;
        }
        QualifiedName index = executed.names().get(0);
        String sql = "SELECT NOT i.indisvalid FROM pg_index i WHERE i.indexrelid = to_regclass(?)";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, index.toSql());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return null;
                }
            }
        }
        execute(connection, "DROP INDEX CONCURRENTLY IF EXISTS " + index.toSql());
        return "dropped the INVALID index " + index.toSql() + " the failed build left behind";
    }

    private static List<Catalog.Session> sessions(Connection connection, String sql, String parameter) throws SQLException {
        List<Catalog.Session> result = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setQueryTimeout(2);
            if (parameter != null) {
                ps.setString(1, parameter);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long age = rs.getLong(3);
                    result.add(new Catalog.Session(rs.getInt(1), rs.getString(2), rs.wasNull() ? null : age,
                            rs.getString(4), rs.getString(5), rs.getString(6)));
                }
            }
        }
        return result;
    }

    /**
     * reltuples is the planner's row estimate (-1 before the first ANALYZE on PostgreSQL 14+);
     * pg_total_relation_size counts indexes and TOAST. to_regclass returns NULL, not an error, for a
     * missing table, so the query cannot abort the caller's transaction on that account.
     */
    @Override
    public TableSize tableSize(Connection connection, QualifiedName table) throws SQLException {
        String sql = "SELECT CASE WHEN c.reltuples < 0 THEN NULL ELSE c.reltuples::bigint END, pg_total_relation_size(c.oid)"
                + " FROM pg_class c WHERE c.oid = to_regclass(?)";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setQueryTimeout(2);
            ps.setString(1, table.toSql());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return TableSize.UNKNOWN;
                }
                long rows = rs.getLong(1);
                Long rowsOrNull = rs.wasNull() ? null : rows;
                return new TableSize(rowsOrNull, rs.getLong(2));
            }
        }
    }

    @Override
    public String currentLockTimeout(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SHOW lock_timeout")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Override
    public void setLockTimeout(Connection connection, Duration timeout) throws SQLException {
        execute(connection, "SET lock_timeout = '" + timeout.toMillis() + "ms'");
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

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        }
    }
}
