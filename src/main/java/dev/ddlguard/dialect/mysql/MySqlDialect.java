package dev.ddlguard.dialect.mysql;

import dev.ddlguard.dialect.Dialect;
import dev.ddlguard.dialect.GenericLockModel;
import dev.ddlguard.dialect.LockImpact;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SqlSyntax;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * MySQL and MariaDB: their lexical rules, metadata-lock timeout and catalog sizes. The online-DDL
 * rule pack (ALGORITHM/LOCK) is not written yet; until then only the generic rules apply.
 */
public final class MySqlDialect implements Dialect {

    /** ER_LOCK_WAIT_TIMEOUT, also raised when lock_wait_timeout expires on a metadata lock. */
    private static final int LOCK_WAIT_TIMEOUT = 1205;

    private final String name;

    public MySqlDialect(boolean mariadb) {
        this.name = mariadb ? "mariadb" : "mysql";
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SqlSyntax syntax() {
        return SqlSyntax.MYSQL;
    }

    @Override
    public LockImpact lockImpact(DdlStatement statement) {
        return GenericLockModel.of(statement);
    }

    @Override
    public TableSize tableSize(Connection connection, QualifiedName table) throws SQLException {
        String sql = "SELECT TABLE_ROWS, DATA_LENGTH + INDEX_LENGTH FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setQueryTimeout(2);
            ps.setString(1, table.schema() == null ? null : table.schema().text());
            ps.setString(2, table.name().text());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new TableSize(rs.getLong(1), rs.getLong(2)) : TableSize.UNKNOWN;
            }
        }
    }

    @Override
    public String currentLockTimeout(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT @@SESSION.lock_wait_timeout")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** lock_wait_timeout is in whole seconds, at least 1. */
    @Override
    public void setLockTimeout(Connection connection, Duration timeout) throws SQLException {
        long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
        execute(connection, "SET SESSION lock_wait_timeout = " + seconds);
    }

    @Override
    public void restoreLockTimeout(Connection connection, String previous) throws SQLException {
        execute(connection, "SET SESSION lock_wait_timeout = " + Long.parseLong(previous.trim()));
    }

    @Override
    public boolean isLockTimeout(SQLException e) {
        return e.getErrorCode() == LOCK_WAIT_TIMEOUT;
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        }
    }
}
