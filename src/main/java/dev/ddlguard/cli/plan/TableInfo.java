package dev.ddlguard.cli.plan;

import java.sql.Connection;
import java.util.List;

/**
 * What the planner may learn about the table beyond the statement: a column's type and
 * nullability, and the primary key that batches are keyed on. Every answer may be "unknown"; the
 * plan then carries a placeholder or an assumption, and says so in its notes.
 *
 * <p>Names are passed as the database's catalog stores them: unquoted, folded to lower case for
 * unquoted PostgreSQL names, and {@code schema.table} when the statement qualifies the table.
 */
public interface TableInfo {

    /** Knows nothing: the command line without a database. */
    TableInfo NONE = new TableInfo() {};

    /** The column's type as it is written in DDL ({@code integer}, {@code varchar(20)}), or null when unknown. */
    default String typeOf(String table, String column) {
        return null;
    }

    /** Whether the column is NOT NULL, or null when unknown. */
    default Boolean notNull(String table, String column) {
        return null;
    }

    /** The primary key columns in key order, or an empty list when unknown. */
    default List<String> primaryKey(String table) {
        return List.of();
    }

    /** Reads the answers from a live PostgreSQL, MySQL or MariaDB catalog; a failing query means "unknown". */
    static TableInfo of(Connection connection) {
        return new CatalogTableInfo(connection);
    }
}
