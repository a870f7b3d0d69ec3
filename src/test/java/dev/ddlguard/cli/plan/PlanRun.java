package dev.ddlguard.cli.plan;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a plan phase by phase while a {@link PlanWriter} keeps writing: N operations the old way
 * before each phase, writes going on during it, and the application's switch between phases.
 */
final class PlanRun {

    /** Operations the writer does between two phases, as the deployed application would. */
    static final int BETWEEN_PHASES = 40;

    /** What the application writes after each phase. */
    record Periods(PlanWriter.Op afterExpand, PlanWriter.Op afterMigrate, PlanWriter.Op afterContract) {}

    /** A check run on the database between phases. */
    interface Check {
        void run() throws SQLException;
    }

    private PlanRun() {}

    /**
     * Runs every phase of {@code plan} on {@code ddl} while {@code writer} writes. {@code agreement}
     * runs, with the writer still writing, after the Migrate phase and again after the application
     * switched to the new column, just before the Contract phase: old and new must agree both times.
     */
    static void run(Plan plan, Connection ddl, PlanWriter writer, Periods periods, Check agreement) throws Exception {
        writer.await(BETWEEN_PHASES);
        execute(ddl, plan.sqlOf(Phase.EXPAND));
        writer.switchTo(periods.afterExpand(), BETWEEN_PHASES);
        execute(ddl, plan.sqlOf(Phase.MIGRATE));
        agreement.run();
        writer.switchTo(periods.afterMigrate(), BETWEEN_PHASES);
        agreement.run();
        execute(ddl, plan.sqlOf(Phase.CONTRACT));
        writer.switchTo(periods.afterContract(), BETWEEN_PHASES);
        writer.close();
    }

    static void execute(Connection ddl, List<String> statements) throws SQLException {
        for (String sql : statements) {
            try (Statement s = ddl.createStatement()) {
                s.execute(sql);
            } catch (SQLException e) {
                throw new SQLException("plan step failed: " + sql + "\n" + e.getMessage(), e.getSQLState(), e);
            }
        }
    }

    /** Inserts {@code rows} rows with {@code column} = id-ish values (every {@code nullEvery}-th NULL, 0: none); returns id to value. */
    static Map<Long, Long> seed(Connection c, String table, String column, int rows, int nullEvery)
            throws SQLException {
        String sql = "INSERT INTO " + table + " (note" + (column == null ? "" : ", " + column) + ") VALUES ('seed'"
                + (column == null ? "" : ", ?") + ")";
        try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 1; i <= rows; i++) {
                if (column != null) {
                    if (nullEvery > 0 && i % nullEvery == 0) {
                        ps.setNull(1, java.sql.Types.BIGINT);
                    } else {
                        ps.setLong(1, i * 10L);
                    }
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return values(c, table, column == null ? "NULL" : column);
    }

    static void update(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Runs each statement, ignoring failures: cleanup of whatever a failed test left behind. */
    static void quietly(Connection c, String... statements) {
        for (String sql : statements) {
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            } catch (SQLException ignored) {
                // nothing to clean up, or not of that kind
            }
        }
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** id to the value of {@code column} (null for NULL), for every row. */
    static Map<Long, Long> values(Connection c, String table, String column) throws SQLException {
        Map<Long, Long> values = new HashMap<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, " + column + " FROM " + table)) {
            while (rs.next()) {
                long id = rs.getLong(1);
                long v = rs.getLong(2);
                values.put(id, rs.wasNull() ? null : v);
            }
        }
        return values;
    }

    /** Column name to "data_type nullable?" of the table, in column order, from information_schema. */
    static Map<String, String> schema(Connection c, String schemaExpr, String table) throws SQLException {
        Map<String, String> columns = new LinkedHashMap<>();
        String sql = "SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = "
                + schemaExpr + " AND table_name = '" + table + "' ORDER BY ordinal_position";
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                columns.put(
                        rs.getString(1).toLowerCase(),
                        rs.getString(2).toLowerCase() + ("YES".equals(rs.getString(3)) ? " null" : " not null"));
            }
        }
        return columns;
    }

    /** Fills every placeholder with the value given for it; fails on one the test did not expect. */
    static Plan filled(Plan plan, Map<String, String> values) {
        Plan filled = plan;
        for (Map.Entry<String, String> e : values.entrySet()) {
            filled = filled.fill(e.getKey(), e.getValue());
        }
        List<String> left = new ArrayList<>(filled.placeholders());
        if (!left.isEmpty()) {
            throw new AssertionError("placeholders left: " + left + " in\n" + filled.render());
        }
        return filled;
    }
}
