package dev.ddlguard.dialect.postgres;

import dev.ddlguard.dialect.Dialect;
import dev.ddlguard.dialect.LockImpact;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SqlSyntax;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

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
