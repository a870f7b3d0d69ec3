package dev.ddlguard.dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The few shapes of catalog query the dialects run: one row, all rows, or a session command. Every
 * query is bounded ({@value #TIMEOUT_SECONDS} s), so a slow catalog cannot hold the caller's DDL.
 */
public final class CatalogQuery {

    static final int TIMEOUT_SECONDS = 2;

    private CatalogQuery() {
    }

    /** Reads one row into a value. */
    @FunctionalInterface
    public interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** The first row read, or {@code none} when there is no row. String parameters only: names, never values. */
    public static <T> T one(Connection connection, String sql, Row<T> row, T none, String... parameters) throws SQLException {
        try (PreparedStatement ps = prepare(connection, sql, parameters); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? row.read(rs) : none;
        }
    }

    /** Every row read. */
    public static <T> List<T> all(Connection connection, String sql, Row<T> row, String... parameters) throws SQLException {
        List<T> result = new ArrayList<>();
        try (PreparedStatement ps = prepare(connection, sql, parameters); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                result.add(row.read(rs));
            }
        }
        return result;
    }

    /** Runs a session command such as {@code SET lock_timeout = …}. */
    public static void execute(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        }
    }

    /** A nullable long column. */
    public static Long longOrNull(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static PreparedStatement prepare(Connection connection, String sql, String... parameters) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(sql);
        try {
            ps.setQueryTimeout(TIMEOUT_SECONDS);
            for (int i = 0; i < parameters.length; i++) {
                ps.setString(i + 1, parameters[i]);
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }
}
