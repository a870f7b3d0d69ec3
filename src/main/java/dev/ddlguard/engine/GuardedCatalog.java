package dev.ddlguard.engine;

import dev.ddlguard.dialect.Dialect;
import dev.ddlguard.rules.Catalog;
import dev.ddlguard.rules.FreeSpace;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import java.sql.Connection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The connected dialect's catalog questions, each asked through the {@link CatalogGuard}: under the words its
 * failure note uses ("kind of relation app.orders", also the key of its one answer per judgement), and with
 * whether it may wait on the table's lock (the questions that open the table; see {@link LiveCatalog}). The
 * questions differ only in those words, that flag and what "unknown" is for their type: nothing else lives here.
 * {@link LiveCatalog} adds what needs more than asking.
 */
abstract class GuardedCatalog implements Catalog {

    /** The connected dialect's catalog: the questions as the database answers them, unguarded. */
    final Catalog asked;
    /** Asks them so that none can hurt the caller's statement. */
    final CatalogGuard guard;
    /** When false, only table sizes are asked: the other questions are written in the connected database's language. */
    final boolean targetIsConnected;

    GuardedCatalog(Connection raw, Dialect connected, boolean targetIsConnected) {
        this.asked = connected.catalog(raw);
        this.guard = new CatalogGuard(raw, connected);
        this.targetIsConnected = targetIsConnected;
    }

    @Override
    public String columnType(QualifiedName table, Identifier column) {
        return opensTable("type of " + table.toSql() + "." + column.toSql(), c -> c.columnType(table, column));
    }

    @Override
    public String columnFill(QualifiedName table, Identifier column) {
        return opensTable("default of " + table.toSql() + "." + column.toSql(), c -> c.columnFill(table, column));
    }

    @Override
    public Boolean columnExists(QualifiedName table, Identifier column) {
        return readsRows("column " + table.toSql() + "." + column.toSql(), c -> c.columnExists(table, column));
    }

    @Override
    public List<String> columnNames(QualifiedName relation) {
        return opensTable("columns of " + relation.toSql(), c -> c.columnNames(relation));
    }

    @Override
    public String setting(String name) {
        return readsRows("setting " + name, c -> c.setting(name));
    }

    @Override
    public Boolean isVolatile(String function) {
        return readsRows("volatility of " + function, c -> c.isVolatile(function));
    }

    @Override
    public List<QualifiedName> foreignKeyParents(QualifiedName table, Identifier constraint) {
        return readsRows("foreign keys of " + table.toSql(), c -> c.foreignKeyParents(table, constraint));
    }

    @Override
    public Set<String> constraintNames(QualifiedName table) {
        return readsRows("constraints of " + table.toSql(), c -> c.constraintNames(table));
    }

    @Override
    public Set<String> columnCharsets(QualifiedName table) {
        return opensTable("character sets of " + table.toSql(), c -> c.columnCharsets(table));
    }

    @Override
    public String relationKind(QualifiedName table) {
        return readsRows("kind of relation " + table.toSql(), c -> c.relationKind(table));
    }

    @Override
    public Boolean hasDefaultPartition(QualifiedName table) {
        return readsRows("default partition of " + table.toSql(), c -> c.hasDefaultPartition(table));
    }

    @Override
    public List<String> validatedChecks(QualifiedName table) {
        return readsRows("checks of " + table.toSql(), c -> c.validatedChecks(table));
    }

    @Override
    public boolean isTemporary(QualifiedName table) {
        return Boolean.TRUE.equals(readsRows("persistence of " + table.toSql(), c -> c.isTemporary(table)));
    }

    @Override
    public boolean createdInThisTransaction(QualifiedName table) {
        return Boolean.TRUE.equals(readsRows("age of " + table.toSql(), c -> c.createdInThisTransaction(table)));
    }

    @Override
    public Boolean exists(String objectType, QualifiedName relation) {
        return readsRows(
                "existence of " + String.valueOf(objectType).toLowerCase(Locale.ROOT) + " " + relation.toSql(),
                c -> c.exists(objectType, relation));
    }

    @Override
    public String latestMigrationVersion() {
        return guard.ask("flyway_schema_history", false, asked::latestMigrationVersion, null);
    }

    @Override
    public String tableEngine(QualifiedName table) {
        return opensTable("engine of " + table.toSql(), c -> c.tableEngine(table));
    }

    @Override
    public QualifiedName tableOfIndex(QualifiedName index) {
        return readsRows("table of index " + index.toSql(), c -> c.tableOfIndex(index));
    }

    @Override
    public List<String> dependents(String objectType, QualifiedName name) {
        return opensTable(
                "dependents of " + String.valueOf(objectType).toLowerCase(Locale.ROOT) + " " + name.toSql(),
                c -> c.dependents(objectType, name));
    }

    @Override
    public String constraintKind(QualifiedName table, Identifier constraint) {
        return opensTable(
                "kind of constraint " + table.toSql() + "." + constraint.toSql(),
                c -> c.constraintKind(table, constraint));
    }

    @Override
    public Boolean relationExists(QualifiedName name) {
        return readsRows("existence of relation " + name.toSql(), c -> c.relationExists(name));
    }

    /**
     * A question that failed is taken at its worst, unique, so that dropping the index is judged (drop-constraint)
     * rather than let through; offline, and for another database than the target, it stays unknown.
     */
    @Override
    public Boolean isUniqueIndex(QualifiedName table, Identifier index) {
        return targetIsConnected
                ? guard.ask(
                        "uniqueness of " + table.toSql() + "." + index.toSql(),
                        true,
                        () -> asked.isUniqueIndex(table, index),
                        Boolean.TRUE)
                : null;
    }

    @Override
    public List<String> nullableIndexColumns(QualifiedName table, Identifier index) {
        return readsRows(
                "nullable columns of " + table.toSql() + "." + index.toSql(),
                c -> c.nullableIndexColumns(table, index));
    }

    @Override
    public boolean constraintCreatedInThisTransaction(QualifiedName table, Identifier constraint) {
        return Boolean.TRUE.equals(readsRows(
                "age of constraint " + table.toSql() + "." + constraint.toSql(),
                c -> c.constraintCreatedInThisTransaction(table, constraint)));
    }

    @Override
    public Boolean refreshableConcurrently(QualifiedName view) {
        return readsRows("unique indexes of " + view.toSql(), c -> c.refreshableConcurrently(view));
    }

    @Override
    public List<Session> lockHolders(QualifiedName table) {
        return readsRows("sessions holding " + table.toSql(), c -> c.lockHolders(table));
    }

    @Override
    public FreeSpace freeSpace() {
        FreeSpace unknown =
                FreeSpace.unknown(null, "the server could not be asked for free disk space (see the catalog note)");
        return ask("free disk space", false, () -> asked.freeSpace(), unknown);
    }

    @Override
    public List<Session> idleOwnTransactions() {
        return readsRows("idle transactions of this user", c -> c.idleOwnTransactions());
    }

    @Override
    public List<Session> openTransactions() {
        return readsRows("open transactions", c -> c.openTransactions());
    }

    /** A question that reads catalog rows or sessions: it takes no table lock, so it is asked even when the table is busy. */
    private <T> T readsRows(String what, Function<Catalog, T> question) {
        return ask(what, false, () -> question.apply(asked), question.apply(OFFLINE));
    }

    /** A question that opens the table (and so may wait on its lock): not asked once the table proved busy. */
    <T> T opensTable(String what, Function<Catalog, T> question) {
        return ask(what, true, () -> question.apply(asked), question.apply(OFFLINE));
    }

    /**
     * Asks one question of the connected catalog, guarded; {@code unknown} when the target is another database.
     * The unknown answer is the {@link Catalog#OFFLINE offline catalog}'s, but for free space, which says why.
     */
    private <T> T ask(String what, boolean mayWaitOnTable, Supplier<T> query, T unknown) {
        return targetIsConnected ? guard.ask(what, mayWaitOnTable, query, unknown) : unknown;
    }
}
