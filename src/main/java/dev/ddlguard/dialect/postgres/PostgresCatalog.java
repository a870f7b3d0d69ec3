package dev.ddlguard.dialect.postgres;

import static dev.ddlguard.dialect.CatalogQuery.all;
import static dev.ddlguard.dialect.CatalogQuery.longOrNull;
import static dev.ddlguard.dialect.CatalogQuery.one;

import dev.ddlguard.dialect.Catalog;
import dev.ddlguard.dialect.Dialect.TableSize;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * PostgreSQL's catalog questions. Names go through {@code to_regclass}, which answers NULL rather
 * than failing for a missing table, so a question about an unknown table cannot abort the caller's
 * transaction on that account.
 */
final class PostgresCatalog {

    private PostgresCatalog() {
    }

    /**
     * reltuples is the planner's estimate (-1 before the first ANALYZE on 14+); the size counts indexes and TOAST.
     * Empty is certain, not estimated: a heap gets its first page with its first row, and keeps it until VACUUM
     * truncates it (deleted rows still count). Only for plain tables and materialized views: a partitioned
     * parent has no storage of its own whatever its partitions hold.
     */
    static TableSize tableSize(Connection c, QualifiedName table) throws SQLException {
        return one(c, "SELECT CASE WHEN c.reltuples < 0 THEN NULL ELSE c.reltuples::bigint END, pg_total_relation_size(c.oid),"
                        + " CASE WHEN c.relkind IN ('r', 'm') THEN pg_relation_size(c.oid) = 0 END"
                        + " FROM pg_class c WHERE c.oid = to_regclass(?)",
                rs -> {
                    boolean empty = rs.getBoolean(3);
                    return new TableSize(longOrNull(rs, 1), longOrNull(rs, 2), rs.wasNull() ? null : empty);
                }, TableSize.UNKNOWN, table.toSql());
    }

    static Boolean exists(Connection c, QualifiedName relation) throws SQLException {
        return one(c, "SELECT to_regclass(?) IS NOT NULL", rs -> rs.getBoolean(1), null, relation.toSql());
    }

    /** format_type gives the canonical spelling ("character varying(20)", "timestamp with time zone"). */
    static String columnType(Connection c, QualifiedName table, Identifier column) throws SQLException {
        return one(c, "SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a"
                        + " WHERE a.attrelid = to_regclass(?) AND a.attname = ? AND NOT a.attisdropped",
                rs -> rs.getString(1), null, table.toSql(), folded(column));
    }

    static String setting(Connection c, String name) throws SQLException {
        return one(c, "SELECT current_setting(?, true)", rs -> rs.getString(1), null, name);
    }

    /** pg_proc.provolatile: 'v' volatile, 's' stable, 'i' immutable; overloads disagreeing count as volatile. */
    static Boolean isVolatile(Connection c, String function) throws SQLException {
        return one(c, "SELECT bool_or(provolatile = 'v') FROM pg_proc WHERE proname = ?", rs -> {
            boolean v = rs.getBoolean(1);
            return rs.wasNull() ? null : v;
        }, null, function.toLowerCase(Locale.ROOT));
    }

    static List<QualifiedName> foreignKeyParents(Connection c, QualifiedName table, Identifier constraint) throws SQLException {
        String name = constraint == null ? null : folded(constraint);
        return all(c, "SELECT confrelid::regclass::text FROM pg_constraint WHERE conrelid = to_regclass(?)"
                        + " AND contype = 'f' AND (?::text IS NULL OR conname = ?)",
                rs -> QualifiedName.of(rs.getString(1).split("\\.")), table.toSql(), name, name);
    }

    static Set<String> constraintNames(Connection c, QualifiedName table) throws SQLException {
        return new HashSet<>(all(c, "SELECT conname FROM pg_constraint WHERE conrelid = to_regclass(?)",
                rs -> rs.getString(1), table.toSql()));
    }

    static List<String> validatedChecks(Connection c, QualifiedName table) throws SQLException {
        return all(c, "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                + " WHERE conrelid = to_regclass(?) AND contype = 'c' AND convalidated", rs -> rs.getString(1), table.toSql());
    }

    /**
     * Whether the table's own catalog rows were inserted by this transaction. Not pg_class.xmin: every
     * ALTER TABLE (ADD COLUMN, SET NOT NULL, a trigger, ANALYZE's counts) updates the pg_class row, and the
     * new row version carries this transaction's xid although the table is old and full of rows. The
     * pg_attribute row of the system column ctid (attnum -1) is written once, by CREATE TABLE, and never
     * updated (every relation with storage, and partitioned tables, has one). txid_current_if_assigned is
     * epoch-extended, xmin is not: compare modulo 2^32. A table created under a savepoint carries the
     * subtransaction's xid and counts as old: the safe side.
     */
    static boolean createdInThisTransaction(Connection c, QualifiedName table) throws SQLException {
        // Views and composite types have no ctid row: their row type's internal dependency on the relation,
        // written once by CREATE and left alone by RENAME, ALTER and CREATE OR REPLACE, stands in for it.
        return one(c, "SELECT coalesce((SELECT a.xmin FROM pg_attribute a WHERE a.attrelid = r.oid AND a.attnum = -1),"
                + " (SELECT d.xmin FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = r.reltype"
                + " AND d.refclassid = 'pg_class'::regclass AND d.refobjid = r.oid AND d.deptype = 'i'))::text::bigint"
                + " = txid_current_if_assigned() % 4294967296 FROM pg_class r WHERE r.oid = to_regclass(?)",
                rs -> rs.getBoolean(1), false, table.toSql());
    }

    static String relationKind(Connection c, QualifiedName table) throws SQLException {
        return one(c, "SELECT relkind::text FROM pg_class WHERE oid = to_regclass(?)", rs -> rs.getString(1), null, table.toSql());
    }

    /** The table of an index, or of an extended statistics object (DROP STATISTICS locks that table). */
    static QualifiedName tableOfIndex(Connection c, QualifiedName index) throws SQLException {
        return one(c, "SELECT coalesce((SELECT indrelid::regclass::text FROM pg_index WHERE indexrelid = to_regclass(?)),"
                        + " (SELECT s.stxrelid::regclass::text FROM pg_statistic_ext s WHERE s.stxname = ?"
                        + " AND pg_statistics_obj_is_visible(s.oid)))",
                rs -> rs.getString(1) == null ? null : QualifiedName.of(rs.getString(1).split("\\.")), null,
                index.toSql(), folded(index.parts().get(index.parts().size() - 1)));
    }

    /** pg_attribute.attnotnull of the index's key columns; the index is looked up in the table's schema. */
    static List<String> nullableIndexColumns(Connection c, QualifiedName table, Identifier index) throws SQLException {
        List<Identifier> parts = new ArrayList<>(table.parts());
        parts.set(parts.size() - 1, index);
        return all(c, "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
                + " AND a.attnum = ANY(i.indkey) WHERE i.indexrelid = to_regclass(?) AND NOT a.attnotnull ORDER BY a.attnum",
                rs -> rs.getString(1), new QualifiedName(parts).toSql());
    }

    /** Whether the index exists and is INVALID (what a failed CREATE INDEX CONCURRENTLY leaves behind). */
    static boolean isInvalidIndex(Connection c, QualifiedName index) throws SQLException {
        return one(c, "SELECT NOT i.indisvalid FROM pg_index i WHERE i.indexrelid = to_regclass(?)",
                rs -> rs.getBoolean(1), false, index.toSql());
    }

    static List<Catalog.Session> lockHolders(Connection c, QualifiedName table) throws SQLException {
        return all(c, "SELECT a.pid, a.state, extract(epoch FROM now() - coalesce(a.xact_start, a.query_start))::bigint,"
                + " a.application_name, a.query, l.mode FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                + " WHERE l.relation = to_regclass(?) AND l.granted AND l.pid <> pg_backend_pid()"
                + " ORDER BY a.xact_start NULLS LAST LIMIT 10", PostgresCatalog::session, table.toSql());
    }

    /** Only transactions with a snapshot or an xid make a concurrent build wait. */
    static List<Catalog.Session> openTransactions(Connection c) throws SQLException {
        // A session holding an advisory lock in its open transaction is how Flyway (9.1.2+) holds its migration lock.
        return all(c, "SELECT a.pid, a.state, extract(epoch FROM now() - a.xact_start)::bigint,"
                + " a.application_name, a.query, CASE WHEN EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid"
                + " AND l.locktype = 'advisory' AND l.granted) THEN 'an advisory lock' END FROM pg_stat_activity a"
                + " WHERE a.xact_start IS NOT NULL AND (a.backend_xmin IS NOT NULL OR a.backend_xid IS NOT NULL)"
                + " AND a.pid <> pg_backend_pid() AND a.datname = current_database()"
                + " AND a.backend_type = 'client backend' ORDER BY a.xact_start LIMIT 10", PostgresCatalog::session);
    }

    /**
     * The open transactions a CONCURRENTLY build waits for, when every one of them is idle in transaction
     * under this same database user: most likely this very process's other connection (Flyway's migration
     * lock, held in an open transaction on its own connection until the migration ends), which waits for
     * the build in turn. Empty when there are none, or when any other session is among them. Only sessions
     * holding a snapshot (backend_xmin) count: the build's wait for older snapshots skips the others.
     */
    static List<Catalog.Session> idleOwnTransactions(Connection c) throws SQLException {
        return all(c, "WITH t AS (SELECT a.pid, a.state, extract(epoch FROM now() - a.xact_start)::bigint AS age,"
                + " a.application_name, a.query, CASE WHEN EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid"
                + " AND l.locktype = 'advisory' AND l.granted) THEN 'an advisory lock' END AS mode,"
                + " a.state = 'idle in transaction' AND a.usename = current_user AS own FROM pg_stat_activity a"
                + " WHERE a.xact_start IS NOT NULL AND a.backend_xmin IS NOT NULL"
                + " AND a.pid <> pg_backend_pid() AND a.datname = current_database()"
                + " AND a.backend_type = 'client backend')"
                + " SELECT pid, state, age, application_name, query, mode FROM t WHERE NOT EXISTS (SELECT 1 FROM t WHERE NOT own)"
                + " ORDER BY pid LIMIT 10", PostgresCatalog::session);
    }

    private static Catalog.Session session(ResultSet rs) throws SQLException {
        return new Catalog.Session(rs.getInt(1), rs.getString(2), longOrNull(rs, 3), rs.getString(4), rs.getString(5),
                rs.getString(6));
    }

    /** Unquoted names are stored lower case. */
    private static String folded(Identifier id) {
        return id.quoted() ? id.text() : id.text().toLowerCase(Locale.ROOT);
    }
}
