package dev.ddlguard.dialect.h2;

import dev.ddlguard.dialect.CatalogQuery;
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
import java.util.Locale;

/** H2, the embedded default: no rule pack of its own, so only the decision tree's generic rules apply. */
public final class H2Dialect implements Dialect {

    /** H2's ErrorCode.LOCK_TIMEOUT_1: "Timeout trying to lock table". */
    private static final int LOCK_TIMEOUT_ERROR = 50200;

    @Override
    public String name() {
        return "h2";
    }

    @Override
    public SqlSyntax syntax() {
        return SqlSyntax.ANSI;
    }

    @Override
    public LockImpact lockImpact(DdlStatement statement) {
        return GenericLockModel.of(statement);
    }

    /** H2 folds unquoted names to upper case; ROW_COUNT_ESTIMATE is kept current by the MVStore. */
    @Override
    public TableSize tableSize(Connection connection, QualifiedName table) throws SQLException {
        String sql = "SELECT ROW_COUNT_ESTIMATE FROM INFORMATION_SCHEMA.TABLES"
                + " WHERE TABLE_SCHEMA = COALESCE(?, SCHEMA()) AND TABLE_NAME = ?";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setQueryTimeout(2);
            ps.setString(1, table.schema() == null ? null : fold(table.schema().text(), table.schema().quoted()));
            ps.setString(2, fold(table.name().text(), table.name().quoted()));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new TableSize(rs.getLong(1), null) : TableSize.UNKNOWN;
            }
        }
    }

    @Override
    public String currentLockTimeout(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT LOCK_TIMEOUT()")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Override
    public void setLockTimeout(Connection connection, Duration timeout) throws SQLException {
        CatalogQuery.execute(connection, "SET LOCK_TIMEOUT " + timeout.toMillis());
    }

    @Override
    public void restoreLockTimeout(Connection connection, String previous) throws SQLException {
        CatalogQuery.execute(connection, "SET LOCK_TIMEOUT " + Long.parseLong(previous.trim()));
    }

    @Override
    public boolean isLockTimeout(SQLException e) {
        return e.getErrorCode() == LOCK_TIMEOUT_ERROR;
    }

    /** H2 has no session statement timeout that bounds DDL: the guard uses the JDBC query timeout (57014 when it fires). */
    @Override
    public boolean isStatementTimeout(SQLException e) {
        return e.getErrorCode() == 57014;
    }

    /** 40001 DEADLOCK_1. */
    @Override
    public boolean isDeadlock(SQLException e) {
        return e.getErrorCode() == 40001;
    }

    private static String fold(String name, boolean quoted) {
        return quoted ? name : name.toUpperCase(Locale.ROOT);
    }
}
