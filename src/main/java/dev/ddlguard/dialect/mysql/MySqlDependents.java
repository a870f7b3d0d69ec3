package dev.ddlguard.dialect.mysql;

import static dev.ddlguard.dialect.CatalogQuery.all;
import static dev.ddlguard.dialect.CatalogQuery.one;

import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a dropped database takes with it on MySQL/MariaDB, from information_schema: its tables, views
 * and routines, and what refers to it from other databases (foreign keys, views reading it). MySQL
 * has no CASCADE for tables (the word is accepted and ignored); a database drop is the cascade.
 */
final class MySqlDependents {

    static final int LIMIT = 50;

    private MySqlDependents() {
    }

    static List<String> dependents(Connection c, String objectType, QualifiedName name) throws SQLException {
        List<String> out = new ArrayList<>();
        switch (objectType) {
            case "DATABASE", "SCHEMA" -> {
                String db = name.name().text();
                out.addAll(all(c, "SELECT CONCAT(IF(TABLE_TYPE = 'VIEW', 'view ', 'table '), TABLE_NAME)"
                        + " FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY 1 LIMIT " + LIMIT,
                        rs -> rs.getString(1), db));
                out.addAll(all(c, "SELECT CONCAT(LOWER(ROUTINE_TYPE), ' ', ROUTINE_NAME) FROM information_schema.ROUTINES"
                        + " WHERE ROUTINE_SCHEMA = ? ORDER BY 1 LIMIT " + LIMIT, rs -> rs.getString(1), db));
                out.addAll(all(c, "SELECT CONCAT('foreign key ', CONSTRAINT_NAME, ' on ', CONSTRAINT_SCHEMA, '.', TABLE_NAME,"
                        + " ' (refers to it)') FROM information_schema.REFERENTIAL_CONSTRAINTS"
                        + " WHERE UNIQUE_CONSTRAINT_SCHEMA = ? AND CONSTRAINT_SCHEMA <> ? ORDER BY 1 LIMIT " + LIMIT,
                        rs -> rs.getString(1), db, db));
                // A view's definition is stored with every name quoted and qualified: `db`.`t`.
                out.addAll(all(c, "SELECT CONCAT('view ', TABLE_SCHEMA, '.', TABLE_NAME, ' (reads from it)') FROM information_schema.VIEWS"
                        + " WHERE TABLE_SCHEMA <> ? AND LOCATE(CONCAT('`', ?, '`.'), VIEW_DEFINITION) > 0"
                        + " ORDER BY 1 LIMIT " + LIMIT, rs -> rs.getString(1), db, db));
            }
            default -> {
                return null;
            }
        }
        return out;
    }

    /** TABLE_CONSTRAINTS.CONSTRAINT_TYPE: PRIMARY KEY, UNIQUE, FOREIGN KEY, CHECK. */
    static String constraintKind(Connection c, QualifiedName table, Identifier constraint) throws SQLException {
        return one(c, "SELECT CONSTRAINT_TYPE FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = COALESCE(?, DATABASE())"
                + " AND TABLE_NAME = ? AND CONSTRAINT_NAME = ? ORDER BY CONSTRAINT_TYPE = 'CHECK' LIMIT 1",
                rs -> rs.getString(1), null, table.schema() == null ? null : table.schema().text(), table.name().text(),
                constraint.text());
    }

    /** information_schema.TABLES has a row for every table and view the user can see. */
    static Boolean relationExists(Connection c, QualifiedName name) throws SQLException {
        return one(c, "SELECT COUNT(*) > 0 FROM information_schema.TABLES WHERE TABLE_SCHEMA = COALESCE(?, DATABASE())"
                + " AND TABLE_NAME = ?", rs -> rs.getBoolean(1), null,
                name.schema() == null ? null : name.schema().text(), name.name().text());
    }

    /** STATISTICS.NON_UNIQUE = 0 for UNIQUE and PRIMARY KEY indexes; null when the table has no such index. */
    static Boolean isUniqueIndex(Connection c, QualifiedName table, Identifier index) throws SQLException {
        return one(c, "SELECT MIN(NON_UNIQUE) = 0 FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = COALESCE(?, DATABASE())"
                + " AND TABLE_NAME = ? AND INDEX_NAME = ? HAVING COUNT(*) > 0", rs -> rs.getBoolean(1), null,
                table.schema() == null ? null : table.schema().text(), table.name().text(), index.text());
    }
}
