package dev.ddlguard.dialect;

import dev.ddlguard.policy.MigrationVersion;
import dev.ddlguard.rules.Catalog;
import dev.ddlguard.sql.QualifiedName;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The catalog of one live connection as its database answers, with no caching and no failure handling: a
 * question that fails throws {@link CatalogQuery.Unanswered}. Each dialect extends it with the questions
 * its catalog can answer ({@link Dialect#catalog}); the engine's live catalog asks it under savepoints,
 * keeps the answers of one judgement, and turns a failure into "unknown" and a note.
 *
 * <p>Answers what every database answers the same way: Flyway's history.
 */
public class JdbcCatalog implements Catalog {

    protected final Connection connection;
    /** What dropping an object takes with it, as this database's catalog tells; null when it cannot say. */
    private final Dependents dependents;

    public JdbcCatalog(Connection connection) {
        this(connection, null);
    }

    protected JdbcCatalog(Connection connection, Dependents dependents) {
        this.connection = connection;
        this.dependents = dependents;
    }

    /** The objects a DROP … CASCADE (or DROP DATABASE, DROP OWNED BY) takes with it: see {@link Catalog#dependents}. */
    @FunctionalInterface
    protected interface Dependents {
        List<String> of(Connection connection, String objectType, QualifiedName name) throws SQLException;
    }

    /** As {@link CatalogQuery#one}, unchecked. */
    protected final <T> T one(String sql, CatalogQuery.Row<T> row, T none, String... parameters) {
        return CatalogQuery.answer(() -> CatalogQuery.one(connection, sql, row, none, parameters));
    }

    /** As {@link CatalogQuery#all}, unchecked. */
    protected final <T> List<T> all(String sql, CatalogQuery.Row<T> row, String... parameters) {
        return CatalogQuery.answer(() -> CatalogQuery.all(connection, sql, row, parameters));
    }

    /**
     * The versions Flyway recorded as successfully applied, from its default history table in the connection's
     * schema. The same SQL runs on every database the guard knows (success is a boolean on PostgreSQL and H2, a
     * TINYINT on MySQL/MariaDB, where a bare column is a truth value too).
     */
    @Override
    public String latestMigrationVersion() {
        List<String> versions = all(
                "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL",
                rs -> rs.getString(1));
        return versions.stream()
                .map(MigrationVersion::parseOrNull)
                .filter(Objects::nonNull)
                .max(Comparator.naturalOrder())
                .map(Object::toString)
                .orElse("");
    }

    @Override
    public List<String> dependents(String objectType, QualifiedName name) {
        return dependents == null ? null : answer(() -> dependents.of(connection, objectType, name));
    }

    /** Used by a subclass whose question needs more than one query. */
    protected static <T> T answer(CatalogQuery.Question<T> question) {
        return CatalogQuery.answer(question);
    }

    /** The schema part of a name as the database stores it, or null for the connection's own. */
    protected static String schemaOf(QualifiedName name) {
        return name.schema() == null ? null : name.schema().text();
    }
}
