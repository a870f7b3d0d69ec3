package dev.ddlguard.dialect;

import dev.ddlguard.rules.Catalog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The few shapes of catalog query the dialects run: one row, all rows, or a session command. Every
 * query is bounded ({@value #TIMEOUT_SECONDS} s), so a slow catalog cannot hold the caller's DDL.
 */
public final class CatalogQuery {

    static final int TIMEOUT_SECONDS = 2;

    private CatalogQuery() {}

    /** Reads one row into a value. */
    @FunctionalInterface
    public interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** The first row read, or {@code none} when there is no row. String parameters only: names, never values. */
    public static <T> T one(Connection connection, String sql, Row<T> row, T none, String... parameters)
            throws SQLException {
        List<T> rows = read(connection, sql, row, 1, null, parameters);
        return rows.isEmpty() ? none : rows.get(0);
    }

    /** {@link #one}, failing on a warning as {@link #allStrict} does. */
    public static <T> T oneStrict(
            Connection connection, String sql, Row<T> row, T none, String read, String... parameters)
            throws SQLException {
        List<T> rows = read(connection, sql, row, 1, read, parameters);
        return rows.isEmpty() ? none : rows.get(0);
    }

    /** Every row read. */
    public static <T> List<T> all(Connection connection, String sql, Row<T> row, String... parameters)
            throws SQLException {
        return read(connection, sql, row, Integer.MAX_VALUE, null, parameters);
    }

    /**
     * Every row read, and a warning is a failure: MySQL/MariaDB's information_schema turns "cannot
     * open this table" (a lock wait timeout, say) into a warning and leaves the table out or its columns NULL, so
     * the question has no answer then. {@code read} names what was read, for the message.
     */
    public static <T> List<T> allStrict(
            Connection connection, String sql, Row<T> row, String read, String... parameters) throws SQLException {
        return read(connection, sql, row, Integer.MAX_VALUE, read, parameters);
    }

    private static <T> List<T> read(
            Connection connection, String sql, Row<T> row, int most, String strict, String... parameters)
            throws SQLException {
        List<T> result = new ArrayList<>();
        try (PreparedStatement ps = prepare(connection, sql, parameters)) {
            try (ResultSet rs = ps.executeQuery()) {
                while (result.size() < most && rs.next()) {
                    result.add(row.read(rs));
                }
            }
            SQLWarning warning = strict == null ? null : ps.getWarnings();
            if (warning != null) {
                throw new SQLException(
                        "information_schema could not read " + strict + ": " + warning.getMessage(),
                        warning.getSQLState(),
                        warning.getErrorCode());
            }
        }
        return result;
    }

    /**
     * A catalog question that could not be answered, unchecked so that it passes through {@link Catalog}'s
     * methods: the {@link #getCause() cause} is what the server answered. The live catalog turns it into
     * "unknown" and a note.
     */
    public static final class Unanswered extends RuntimeException {
        public Unanswered(SQLException cause) {
            super(cause.getMessage(), cause, false, false);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    /** One question's SQL, which may fail. */
    @FunctionalInterface
    public interface Question<T> {
        T ask() throws SQLException;
    }

    /** The question's answer; a failure is {@link Unanswered}. */
    public static <T> T answer(Question<T> question) {
        try {
            return question.ask();
        } catch (SQLException e) {
            throw new Unanswered(e);
        }
    }

    /**
     * The first column of a session query's first row ({@code SHOW lock_timeout}, {@code SELECT @@SESSION.x}),
     * or null: a plain statement without a timeout, as it runs around every guarded DDL statement.
     */
    public static String value(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
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

    private static PreparedStatement prepare(Connection connection, String sql, String... parameters)
            throws SQLException {
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
