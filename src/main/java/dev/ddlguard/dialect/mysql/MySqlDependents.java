package dev.ddlguard.dialect.mysql;

import static dev.ddlguard.dialect.CatalogQuery.all;

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

    private MySqlDependents() {}

    static List<String> dependents(Connection c, String objectType, QualifiedName name) throws SQLException {
        List<String> out = new ArrayList<>();
        switch (objectType) {
            case "DATABASE", "SCHEMA" -> {
                String db = name.name().text();
                out.addAll(all(
                        c,
                        "SELECT CONCAT(IF(TABLE_TYPE = 'VIEW', 'view ', 'table '), TABLE_NAME)"
                                + " FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY 1 LIMIT " + LIMIT,
                        rs -> rs.getString(1),
                        db));
                out.addAll(all(
                        c,
                        "SELECT CONCAT(LOWER(ROUTINE_TYPE), ' ', ROUTINE_NAME) FROM information_schema.ROUTINES"
                                + " WHERE ROUTINE_SCHEMA = ? ORDER BY 1 LIMIT " + LIMIT,
                        rs -> rs.getString(1),
                        db));
                out.addAll(all(
                        c,
                        "SELECT CONCAT('foreign key ', CONSTRAINT_NAME, ' on ', CONSTRAINT_SCHEMA, '.', TABLE_NAME,"
                                + " ' (refers to it)') FROM information_schema.REFERENTIAL_CONSTRAINTS"
                                + " WHERE UNIQUE_CONSTRAINT_SCHEMA = ? AND CONSTRAINT_SCHEMA <> ? ORDER BY 1 LIMIT "
                                + LIMIT,
                        rs -> rs.getString(1),
                        db,
                        db));
                // A view's definition is stored with every name quoted and qualified: `db`.`t`.
                out.addAll(all(
                        c,
                        "SELECT CONCAT('view ', TABLE_SCHEMA, '.', TABLE_NAME, ' (reads from it)') FROM information_schema.VIEWS"
                                + " WHERE TABLE_SCHEMA <> ? AND LOCATE(CONCAT('`', ?, '`.'), VIEW_DEFINITION) > 0"
                                + " ORDER BY 1 LIMIT " + LIMIT,
                        rs -> rs.getString(1),
                        db,
                        db));
            }
            default -> {
                return null;
            }
        }
        return out;
    }
}
