package dev.ddlguard.engine;

import dev.ddlguard.rules.Catalog;
import dev.ddlguard.rules.TableNames;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.AlterAction.Kind;
import dev.ddlguard.sql.ColumnDefinition;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.Verb;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The actions of an ALTER TABLE that the live catalog proves do nothing: {@code ADD COLUMN IF NOT EXISTS} of a column
 * the table has, {@code DROP COLUMN IF EXISTS} of one it has not, PostgreSQL's {@code DROP CONSTRAINT IF EXISTS} of a
 * constraint it has not (the server skips them with a notice). An idempotent
 * script run again, or a Spring Boot schema.sql run at every start, was blocked on them (add-column-not-null,
 * drop-column) although nothing would change. They are left out of what the rules judge; the rest of the statement is
 * judged as ever. Unknown (offline, a catalog question that failed, a table an earlier statement of the same string
 * changed, a schema move) proves nothing.
 *
 * <p>Only a plain column definition counts: PostgreSQL turns a column's UNIQUE, PRIMARY KEY, REFERENCES or CHECK, and a
 * serial's sequence, into steps of their own that may run even when the column is skipped; MariaDB adds a skipped
 * column's key too.
 */
final class NoOpActions {

    private NoOpActions() {}

    /**
     * Words that make a column definition more than a column. MariaDB's bare {@code KEY} is PRIMARY KEY: the server
     * skipped an existing column and still added the key (an outside tester's {@code ALTER IGNORE TABLE p ADD COLUMN
     * IF NOT EXISTS c INT KEY} copied the table and deleted 990 of its 1,000 rows as duplicates).
     */
    private static final Set<String> CONSTRAINT_WORDS = Set.of(
            "UNIQUE",
            "PRIMARY",
            "KEY",
            "INDEX",
            "FULLTEXT",
            "SPATIAL",
            "FOREIGN",
            "REFERENCES",
            "CHECK",
            "CONSTRAINT",
            "AUTO_INCREMENT",
            "SERIAL",
            "BIGSERIAL",
            "SMALLSERIAL");

    /** The statement without its no-op actions; the same statement when there are none. */
    static DdlStatement without(DdlStatement ddl, Catalog catalog) {
        if (!ddl.is(Verb.ALTER, "TABLE") || ddl.table() == null || ddl.opaque() != null || !anyConditional(ddl)) {
            return ddl;
        }
        List<AlterAction> kept = new ArrayList<>(ddl.actions().size());
        for (AlterAction a : ddl.actions()) {
            if (!noOp(ddl, a, catalog)) {
                kept.add(a);
            }
        }
        return kept.size() == ddl.actions().size()
                ? ddl
                : new DdlStatement(
                        ddl.text(),
                        ddl.syntax(),
                        ddl.verb(),
                        ddl.objectType(),
                        ddl.names(),
                        ddl.table(),
                        kept,
                        ddl.flags(),
                        ddl.opaque());
    }

    /** What the audit record's note says of the actions left out. */
    static String note(DdlStatement judged, DdlStatement read) {
        List<String> skipped = new ArrayList<>();
        for (AlterAction a : read.actions()) {
            if (!judged.actions().contains(a)) {
                skipped.add(
                        switch (a.kind()) {
                            case ADD_COLUMN -> "ADD COLUMN IF NOT EXISTS " + a.column() + " (it exists)";
                            case DROP_COLUMN -> "DROP COLUMN IF EXISTS " + a.column() + " (it does not exist)";
                            default -> "DROP CONSTRAINT IF EXISTS " + a.column() + " (it does not exist)";
                        });
            }
        }
        return "a no-op the server skips, not judged: " + String.join(", ", skipped);
    }

    private static boolean anyConditional(DdlStatement ddl) {
        for (AlterAction a : ddl.actions()) {
            if (a.ifExists()
                    && (a.kind() == Kind.ADD_COLUMN
                            || a.kind() == Kind.DROP_COLUMN
                            || a.kind() == Kind.DROP_CONSTRAINT)) {
                return true;
            }
        }
        return false;
    }

    private static boolean noOp(DdlStatement ddl, AlterAction a, Catalog catalog) {
        if (!a.ifExists() || a.column() == null || partitions(ddl, a)) {
            return false;
        }
        if (a.kind() == Kind.DROP_COLUMN) {
            return Boolean.FALSE.equals(catalog.columnExists(ddl.table(), a.column()));
        }
        if (a.kind() == Kind.DROP_CONSTRAINT) {
            return ddl.syntax() == SqlSyntax.POSTGRESQL && constraintAbsent(ddl, a.column(), catalog);
        }
        return a.kind() == Kind.ADD_COLUMN
                && plain(ddl, a)
                && Boolean.TRUE.equals(catalog.columnExists(ddl.table(), a.column()));
    }

    /**
     * The table's constraints are known (a table with none, or a question that failed, answers none: not taken) and the
     * name, as the server folds it, is not among them; a name the server would cut to 63 bytes is not judged absent.
     */
    private static boolean constraintAbsent(DdlStatement ddl, Identifier constraint, Catalog catalog) {
        String name =
                constraint.quoted() ? constraint.text() : TableNames.foldUnquoted(ddl.syntax(), constraint.text());
        if (name.getBytes(StandardCharsets.UTF_8).length > 63) {
            return false;
        }
        Set<String> names = catalog.constraintNames(ddl.table());
        return !names.isEmpty() && !names.contains(name);
    }

    /**
     * MySQL/MariaDB: a partitioning clause after the last action is read as part of it; the server still repartitions
     * (copies the table) when it skips the column (an outside tester's ADD COLUMN IF NOT EXISTS c INT PARTITION BY HASH
     * (id) PARTITIONS 4, and DROP COLUMN IF EXISTS x REMOVE PARTITIONING, passed as no-ops).
     */
    private static boolean partitions(DdlStatement ddl, AlterAction a) {
        return ddl.text().hasWord("PARTITION", a.start(), a.end())
                || ddl.text().hasWord("PARTITIONING", a.start(), a.end())
                || ddl.text().hasWord("PARTITIONS", a.start(), a.end());
    }

    private static boolean plain(DdlStatement ddl, AlterAction a) {
        ColumnDefinition d = a.definition();
        if (d == null || d.identity() || d.generated() || d.primaryKey() || d.unique() || d.references() != null) {
            return false;
        }
        for (String word : CONSTRAINT_WORDS) {
            if (ddl.text().hasWord(word, a.start(), a.end())) {
                return false;
            }
        }
        return true;
    }
}
