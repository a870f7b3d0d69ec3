package dev.ddlguard.sql;

import java.util.List;

/**
 * A table constraint added by {@code ALTER TABLE … ADD [CONSTRAINT name] …}, as far as the rules
 * and rewrites need it.
 *
 * @param kind       PRIMARY KEY, UNIQUE, FOREIGN KEY, CHECK, EXCLUDE or OTHER
 * @param name       the constraint's name, or null when the database will make one up
 * @param columns    the key columns of PRIMARY KEY, UNIQUE and FOREIGN KEY; empty otherwise
 * @param references the referenced table of a FOREIGN KEY
 * @param notValid   whether it says NOT VALID (PostgreSQL: added without checking existing rows)
 * @param usingIndex the index of {@code … USING INDEX name}, or null
 * @param plain      whether nothing follows the key column list (no INCLUDE, WITH, DEFERRABLE …), so that
 *                   the constraint can be rebuilt from its parts
 */
public record Constraint(
        String kind,
        Identifier name,
        List<Identifier> columns,
        QualifiedName references,
        boolean notValid,
        Identifier usingIndex,
        boolean plain) {

    public Constraint {
        columns = List.copyOf(columns);
    }
}
