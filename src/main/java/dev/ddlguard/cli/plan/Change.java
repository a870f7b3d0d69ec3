package dev.ddlguard.cli.plan;

import dev.ddlguard.policy.Target;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import java.util.List;

/**
 * The one change a statement asks for, with everything the plan builders need already resolved
 * from the statement or the {@link TableInfo} (or a placeholder where neither knows).
 *
 * @param table      the table changed (for a table rename: its old name)
 * @param column     the column changed: the renamed, added, retyped, dropped or NOT NULL one
 * @param newName    the new column name, or the new table name
 * @param type       the column type the plan writes: the old type for renames, the new one for additions and type changes
 * @param notNull    whether the column ends up NOT NULL (for a drop: whether it is NOT NULL now); null when unknown
 * @param defaultExpr the DEFAULT written in the statement, or null
 * @param using      PostgreSQL's {@code USING} expression of a type change, or null
 * @param definition MySQL: the column definition after its name as written ({@code BIGINT NOT NULL DEFAULT 0}), or null
 * @param key        the primary key columns, as SQL
 * @param notes      what had to be assumed
 */
record Change(
        Kind kind,
        String statement,
        Target target,
        QualifiedName table,
        Identifier column,
        Identifier newName,
        String type,
        Boolean notNull,
        String defaultExpr,
        String using,
        String definition,
        List<String> key,
        List<String> notes) {

    /** The changes the planner covers. */
    enum Kind {
        RENAME_COLUMN,
        RENAME_TABLE,
        ADD_NOT_NULL_COLUMN,
        CHANGE_TYPE,
        DROP_COLUMN,
        SET_NOT_NULL
    }

    Change {
        key = List.copyOf(key);
        notes = List.copyOf(notes);
    }

    /** The table as SQL. */
    String tableSql() {
        return table.toSql();
    }

    /** The changed column as SQL. */
    String columnSql() {
        return column.toSql();
    }

    /** The new column or table name as SQL. */
    String newNameSql() {
        return newName.toSql();
    }

    boolean endsNotNull() {
        return Boolean.TRUE.equals(notNull);
    }
}
