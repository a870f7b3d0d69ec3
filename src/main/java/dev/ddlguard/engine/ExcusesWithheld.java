package dev.ddlguard.engine;

import dev.ddlguard.rules.Catalog;
import dev.ddlguard.rules.ForwardingCatalog;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import java.util.List;
import java.util.Set;

/**
 * A catalog that withholds, for some tables, the answers that excuse a statement: a column's type (a type change that
 * needs no rewrite), whether a column exists (an IF [NOT] EXISTS no-op), a validated CHECK (SET NOT NULL without a
 * scan), a constraint being a CHECK (its drop is harmless), the names of its constraints and the character sets of its
 * columns. The answers that find harm (a serial's default, a unique index, a nullable index column, a constraint of
 * another kind) are kept: unknown, they would excuse. Which tables: {@link ChangedRelations} (an earlier statement of
 * the same string changed them), {@link MovedSchemaCatalog} (unqualified names after a schema move). For a name that
 * may now find another table, what makes it new, temporary or empty is withheld as well.
 */
abstract class ExcusesWithheld extends ForwardingCatalog {

    ExcusesWithheld(Catalog catalog) {
        super(catalog);
    }

    /** Whether what the catalog says of the table may be from before a change the statement will see. */
    abstract boolean withheld(QualifiedName table);

    @Override
    public String columnType(QualifiedName table, Identifier column) {
        return withheld(table) ? null : super.columnType(table, column);
    }

    @Override
    public Boolean columnExists(QualifiedName table, Identifier column) {
        return withheld(table) ? null : super.columnExists(table, column);
    }

    @Override
    public Set<String> constraintNames(QualifiedName table) {
        return withheld(table) ? Set.of() : super.constraintNames(table);
    }

    @Override
    public Set<String> columnCharsets(QualifiedName table) {
        return withheld(table) ? Set.of() : super.columnCharsets(table);
    }

    /** A * over the table is read as its columns: after a change, unknown (the view rule cannot tell then). */
    @Override
    public List<String> columnNames(QualifiedName relation) {
        return withheld(relation) ? COLUMNS_WITHHELD : super.columnNames(relation);
    }

    @Override
    public List<String> validatedChecks(QualifiedName table) {
        return withheld(table) ? List.of() : super.validatedChecks(table);
    }

    @Override
    public String constraintKind(QualifiedName table, Identifier constraint) {
        String kind = super.constraintKind(table, constraint);
        return withheld(table) && "CHECK".equals(kind) ? null : kind;
    }

    /**
     * Whether the name may now find another table than the one the catalog answered for: then what made it new
     * (this run's record, the open transaction's), temporary or empty is withheld too.
     */
    abstract boolean mayFindAnother(QualifiedName table);

    @Override
    public TableSize tableSize(QualifiedName table) {
        return mayFindAnother(table) ? TableSize.UNKNOWN : super.tableSize(table);
    }

    @Override
    public boolean createdInThisRun(QualifiedName table) {
        return !mayFindAnother(table) && super.createdInThisRun(table);
    }

    @Override
    public boolean createdInThisTransaction(QualifiedName table) {
        return !mayFindAnother(table) && super.createdInThisTransaction(table);
    }

    @Override
    public boolean isTemporary(QualifiedName table) {
        return !mayFindAnother(table) && super.isTemporary(table);
    }
}
