package dev.ddlguard.rules;

import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A catalog that passes every question to another: extend it and override only the questions whose answers
 * differ (as lint's preflight puts the folder's own changes on top of the live database). Nothing but
 * forwarding lives here; {@code ForwardingCatalogTest} checks that every question is passed on.
 */
public abstract class ForwardingCatalog implements Catalog {

    private final Catalog delegate;

    protected ForwardingCatalog(Catalog delegate) {
        this.delegate = delegate;
    }

    @Override
    public TableSize tableSize(QualifiedName table) {
        return delegate.tableSize(table);
    }

    @Override
    public String columnType(QualifiedName table, Identifier column) {
        return delegate.columnType(table, column);
    }

    @Override
    public Boolean columnExists(QualifiedName table, Identifier column) {
        return delegate.columnExists(table, column);
    }

    @Override
    public String columnFill(QualifiedName table, Identifier column) {
        return delegate.columnFill(table, column);
    }

    @Override
    public <T> T oncePerJudgement(Object key, Supplier<T> compute) {
        return delegate.oncePerJudgement(key, compute);
    }

    @Override
    public String currentSchema() {
        return delegate.currentSchema();
    }

    @Override
    public String setting(String name) {
        return delegate.setting(name);
    }

    @Override
    public String settingGivenEarlier(String name) {
        return delegate.settingGivenEarlier(name);
    }

    @Override
    public List<String> columnNames(QualifiedName relation) {
        return delegate.columnNames(relation);
    }

    @Override
    public Boolean isVolatile(String function) {
        return delegate.isVolatile(function);
    }

    @Override
    public List<QualifiedName> foreignKeyParents(QualifiedName table, Identifier constraint) {
        return delegate.foreignKeyParents(table, constraint);
    }

    @Override
    public Set<String> constraintNames(QualifiedName table) {
        return delegate.constraintNames(table);
    }

    @Override
    public Set<String> columnCharsets(QualifiedName table) {
        return delegate.columnCharsets(table);
    }

    @Override
    public String relationKind(QualifiedName table) {
        return delegate.relationKind(table);
    }

    @Override
    public Boolean hasDefaultPartition(QualifiedName table) {
        return delegate.hasDefaultPartition(table);
    }

    @Override
    public List<String> validatedChecks(QualifiedName table) {
        return delegate.validatedChecks(table);
    }

    @Override
    public boolean createdInThisTransaction(QualifiedName table) {
        return delegate.createdInThisTransaction(table);
    }

    @Override
    public boolean foldsTableNameCase() {
        return delegate.foldsTableNameCase();
    }

    @Override
    public boolean createdInThisRun(QualifiedName table) {
        return delegate.createdInThisRun(table);
    }

    @Override
    public boolean schemaCreatedInThisRun(QualifiedName schema) {
        return delegate.schemaCreatedInThisRun(schema);
    }

    @Override
    public Boolean exists(String objectType, QualifiedName relation) {
        return delegate.exists(objectType, relation);
    }

    @Override
    public String latestMigrationVersion() {
        return delegate.latestMigrationVersion();
    }

    @Override
    public Set<String> indexTypes(QualifiedName table) {
        return delegate.indexTypes(table);
    }

    @Override
    public String tableEngine(QualifiedName table) {
        return delegate.tableEngine(table);
    }

    @Override
    public QualifiedName tableOfIndex(QualifiedName index) {
        return delegate.tableOfIndex(index);
    }

    @Override
    public List<String> dependents(String objectType, QualifiedName name) {
        return delegate.dependents(objectType, name);
    }

    @Override
    public String constraintKind(QualifiedName table, Identifier constraint) {
        return delegate.constraintKind(table, constraint);
    }

    @Override
    public Boolean relationExists(QualifiedName name) {
        return delegate.relationExists(name);
    }

    @Override
    public Boolean isUniqueIndex(QualifiedName table, Identifier index) {
        return delegate.isUniqueIndex(table, index);
    }

    @Override
    public List<String> nullableIndexColumns(QualifiedName table, Identifier index) {
        return delegate.nullableIndexColumns(table, index);
    }

    @Override
    public boolean constraintCreatedInThisTransaction(QualifiedName table, Identifier constraint) {
        return delegate.constraintCreatedInThisTransaction(table, constraint);
    }

    @Override
    public boolean isTemporary(QualifiedName table) {
        return delegate.isTemporary(table);
    }

    @Override
    public Boolean refreshableConcurrently(QualifiedName view) {
        return delegate.refreshableConcurrently(view);
    }

    @Override
    public FreeSpace freeSpace() {
        return delegate.freeSpace();
    }

    @Override
    public List<Session> lockHolders(QualifiedName table) {
        return delegate.lockHolders(table);
    }

    @Override
    public List<Session> openTransactions() {
        return delegate.openTransactions();
    }

    @Override
    public List<Session> idleOwnTransactions() {
        return delegate.idleOwnTransactions();
    }

    @Override
    public String takeFailures() {
        return delegate.takeFailures();
    }
}
