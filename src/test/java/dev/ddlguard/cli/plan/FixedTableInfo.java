package dev.ddlguard.cli.plan;

import java.util.List;
import java.util.Map;

/** A {@link TableInfo} with fixed answers: column name to type, the NOT NULL columns, the key. */
record FixedTableInfo(Map<String, String> types, List<String> notNullColumns, List<String> key) implements TableInfo {

    @Override
    public String typeOf(String table, String column) {
        return types.get(column);
    }

    @Override
    public Boolean notNull(String table, String column) {
        return types.containsKey(column) ? notNullColumns.contains(column) : null;
    }

    @Override
    public List<String> primaryKey(String table) {
        return key;
    }
}
