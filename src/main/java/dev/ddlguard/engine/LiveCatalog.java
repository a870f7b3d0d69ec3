package dev.ddlguard.engine;

import dev.ddlguard.dialect.Catalog;
import dev.ddlguard.dialect.Dialect;
import dev.ddlguard.dialect.Dialect.TableSize;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog of the connected database, asked through its dialect. Every query is guarded: inside
 * a transaction it runs under a savepoint, so a failing catalog query cannot abort the caller's
 * transaction, and any failure means "unknown", never an error for the caller's statement.
 *
 * <p>Only table sizes are asked when the target is another database: the other questions are
 * written in the target's catalog language.
 */
final class LiveCatalog implements Catalog {

    private static final Logger LOG = LoggerFactory.getLogger("dev.ddlguard");

    /** How long a table's size is reused: a migration often touches one table several times in a row. */
    private static final long SIZE_TTL_NANOS = 5_000_000_000L;

    private final Connection raw;
    private final Dialect connected;
    private final boolean targetIsConnected;
    /** Per connection, which one thread uses at a time: no synchronisation needed. */
    private final Map<String, CachedSize> sizes = new HashMap<>();

    private record CachedSize(TableSize size, long at) {
    }

    LiveCatalog(Connection raw, Dialect connected, boolean targetIsConnected) {
        this.raw = raw;
        this.connected = connected;
        this.targetIsConnected = targetIsConnected;
    }

    /** One catalog question. */
    private interface Query<T> {
        T ask() throws SQLException;
    }

    @Override
    public TableSize tableSize(QualifiedName table) {
        String key = table.toSql();
        CachedSize cached = sizes.get(key);
        long now = System.nanoTime();
        if (cached != null && now - cached.at() < SIZE_TTL_NANOS) {
            return cached.size();
        }
        TableSize size;
        try {
            size = guarded(() -> connected.tableSize(raw, table));
        } catch (SQLException | RuntimeException e) {
            return TableSize.failed(e.toString());
        }
        sizes.put(key, new CachedSize(size, now));
        return size;
    }

    @Override
    public String columnType(QualifiedName table, Identifier column) {
        return targetIsConnected ? quietly(() -> connected.columnType(raw, table, column), null) : null;
    }

    @Override
    public String setting(String name) {
        return targetIsConnected ? quietly(() -> connected.setting(raw, name), null) : null;
    }

    @Override
    public Boolean isVolatile(String function) {
        return targetIsConnected ? quietly(() -> connected.isVolatile(raw, function), null) : null;
    }

    @Override
    public List<QualifiedName> foreignKeyParents(QualifiedName table, Identifier constraint) {
        return targetIsConnected ? quietly(() -> connected.foreignKeyParents(raw, table, constraint), List.of()) : List.of();
    }

    @Override
    public java.util.Set<String> constraintNames(QualifiedName table) {
        return targetIsConnected ? quietly(() -> connected.constraintNames(raw, table), java.util.Set.of()) : java.util.Set.of();
    }

    @Override
    public String relationKind(QualifiedName table) {
        return targetIsConnected ? quietly(() -> connected.relationKind(raw, table), null) : null;
    }

    @Override
    public java.util.List<String> validatedChecks(QualifiedName table) {
        return targetIsConnected ? quietly(() -> connected.validatedChecks(raw, table), java.util.List.of()) : java.util.List.of();
    }

    @Override
    public boolean createdInThisTransaction(QualifiedName table) {
        return targetIsConnected && Boolean.TRUE.equals(quietly(() -> connected.createdInThisTransaction(raw, table), false));
    }

    @Override
    public java.util.Set<String> indexTypes(QualifiedName table) {
        return targetIsConnected ? quietly(() -> connected.indexTypes(raw, table), java.util.Set.of()) : java.util.Set.of();
    }

    @Override
    public QualifiedName tableOfIndex(QualifiedName index) {
        return targetIsConnected ? quietly(() -> connected.tableOfIndex(raw, index), null) : null;
    }

    @Override
    public List<Session> lockHolders(QualifiedName table) {
        return targetIsConnected ? quietly(() -> connected.lockHolders(raw, table), List.of()) : List.of();
    }

    @Override
    public List<Session> openTransactions() {
        return targetIsConnected ? quietly(() -> connected.openTransactions(raw), List.of()) : List.of();
    }

    private <T> T quietly(Query<T> query, T unknown) {
        try {
            return guarded(query);
        } catch (SQLException | RuntimeException e) {
            LOG.debug("ddlguard: catalog question not answered: {}", e.toString());
            return unknown;
        }
    }

    private <T> T guarded(Query<T> query) throws SQLException {
        Savepoint savepoint = raw.getAutoCommit() ? null : raw.setSavepoint();
        try {
            T answer = query.ask();
            if (savepoint != null) {
                raw.releaseSavepoint(savepoint);
            }
            return answer;
        } catch (SQLException | RuntimeException e) {
            if (savepoint != null) {
                try {
                    raw.rollback(savepoint);
                } catch (SQLException ignored) {
                    // the connection is gone; the caller's statement will say so itself
                }
            }
            throw e;
        }
    }
}
