package dev.ddlguard.engine;

import dev.ddlguard.rules.Catalog;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import java.util.Set;

/**
 * The catalog for the statements of a string after one that may move names to another schema ({@link SchemaMoves}).
 * Every statement of a string is judged before any of it runs, so what the catalog says of an unqualified name is
 * about the table that name found before the move. Its answers about harm are kept, the best there are (judging
 * without any let a dropped serial default or a replaced unique index through: a review's find); but nothing exempts
 * an unqualified name any more: not this run's record, a transaction's or a temporary table, being empty or small,
 * or being absent under IF EXISTS. A schema-qualified name means the same table before and after: answered as ever.
 */
final class MovedSchemaCatalog extends ExcusesWithheld {

    /** Object types whose names the search path resolves, as {@link Catalog#exists} is asked them. */
    private static final Set<String> RELATIONS = Set.of("TABLE", "INDEX", "VIEW", "MATERIALIZED VIEW", "SEQUENCE");

    MovedSchemaCatalog(Catalog live) {
        super(live);
    }

    private static boolean unqualified(QualifiedName name) {
        return name == null || name.schema() == null;
    }

    @Override
    public boolean constraintCreatedInThisTransaction(QualifiedName table, Identifier constraint) {
        return !unqualified(table) && super.constraintCreatedInThisTransaction(table, constraint);
    }

    @Override
    public Boolean exists(String objectType, QualifiedName relation) {
        return RELATIONS.contains(objectType) && unqualified(relation) ? null : super.exists(objectType, relation);
    }

    @Override
    public Boolean relationExists(QualifiedName name) {
        return unqualified(name) ? null : super.relationExists(name);
    }

    /**
     * What the catalog says of an unqualified name's columns and constraints is of the table the name found before the
     * move: SET search_path = other; ALTER TABLE t ALTER c TYPE bigint was judged from public.t's bigint (no change)
     * and rewrote other.t (a review's find, measured on PostgreSQL 15). The answers that excuse are withheld.
     */
    @Override
    boolean withheld(QualifiedName table) {
        return unqualified(table);
    }

    /** Not this run's record, a transaction's or a temporary table, nor empty or small: the name may find another. */
    @Override
    boolean mayFindAnother(QualifiedName table) {
        return unqualified(table);
    }

    /** Unknown after the move: a qualified and an unqualified name are never taken for the same table. */
    @Override
    public String currentSchema() {
        return null;
    }
}
