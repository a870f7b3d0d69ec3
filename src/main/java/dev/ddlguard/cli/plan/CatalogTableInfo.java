package dev.ddlguard.cli.plan;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@link TableInfo} read from the connected database's catalog (PostgreSQL, or MySQL/MariaDB information_schema). */
final class CatalogTableInfo implements TableInfo {

    // to_regclass resolves the name as PostgreSQL would (search_path for an unqualified one), format %I quotes it back.
    private static final String PG_COLUMN =
            "SELECT format_type(a.atttypid, a.atttypmod), a.attnotnull FROM pg_attribute a"
                    + " WHERE a.attrelid = to_regclass(%s) AND a.attname = ? AND a.attnum > 0 AND NOT a.attisdropped";
    private static final String PG_KEY =
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
                    + " AND a.attnum = ANY (i.indkey) WHERE i.indrelid = to_regclass(%s) AND i.indisprimary"
                    + " ORDER BY array_position(i.indkey::int2[], a.attnum)";
    private static final String MY_COLUMN = "SELECT COLUMN_TYPE, IS_NULLABLE = 'NO' FROM information_schema.COLUMNS"
            + " WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? AND COLUMN_NAME = ?";
    private static final String MY_KEY = "SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE"
            + " WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY'"
            + " ORDER BY ORDINAL_POSITION";

    private final Connection connection;

    CatalogTableInfo(Connection connection) {
        this.connection = connection;
    }

    @Override
    public String typeOf(String table, String column) {
        List<String> row = column(table, column);
        return row.isEmpty() ? null : row.get(0);
    }

    @Override
    public Boolean notNull(String table, String column) {
        List<String> row = column(table, column);
        return row.isEmpty() ? null : "t".equals(row.get(1)) || "true".equals(row.get(1)) || "1".equals(row.get(1));
    }

    @Override
    public List<String> primaryKey(String table) {
        return query(table, postgres() ? PG_KEY : MY_KEY, null);
    }

    private List<String> column(String table, String column) {
        return query(table, postgres() ? PG_COLUMN : MY_COLUMN, column);
    }

    private boolean postgres() {
        try {
            return connection
                    .getMetaData()
                    .getDatabaseProductName()
                    .toLowerCase(Locale.ROOT)
                    .contains("postgres");
        } catch (SQLException e) {
            return false;
        }
    }

    /** One column of rows for a key query, or the columns of the first row for a column query; empty when unknown. */
    private List<String> query(String table, String sql, String column) {
        int dot = table.lastIndexOf('.');
        String schema = dot < 0 ? null : table.substring(0, dot);
        String name = table.substring(dot + 1);
        boolean pg = postgres();
        String regclass = schema == null ? "format('%I', ?)" : "format('%I.%I', ?, ?)";
        try (PreparedStatement ps = connection.prepareStatement(pg ? String.format(sql, regclass) : sql)) {
            int i = 1;
            if (pg && schema != null) {
                ps.setString(i++, schema);
            }
            if (!pg) {
                ps.setString(i++, schema);
            }
            ps.setString(i++, name);
            if (column != null) {
                ps.setString(i, column);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (column == null) {
                        values.add(rs.getString(1));
                    } else {
                        return List.of(rs.getString(1), rs.getString(2));
                    }
                }
            }
            return values;
        } catch (SQLException e) {
            return List.of(); // unknown: the plan falls back to placeholders and says so
        }
    }
}
