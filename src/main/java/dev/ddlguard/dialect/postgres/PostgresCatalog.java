package dev.ddlguard.dialect.postgres;

import static dev.ddlguard.dialect.CatalogQuery.longOrNull;

import dev.ddlguard.dialect.CatalogQuery;
import dev.ddlguard.dialect.JdbcCatalog;
import dev.ddlguard.rules.FreeSpace;
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
final class PostgresCatalog extends JdbcCatalog {

    /** A session's migration lock, as Flyway (9.1.2+) holds it: an advisory lock in its open transaction. */
    private static final String ADVISORY = "CASE WHEN EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid"
            + " AND l.locktype = 'advisory' AND l.granted) THEN 'an advisory lock' END";
    /** Other client sessions of this database, as pg_stat_activity a. */
    private static final String OTHER_CLIENTS = " AND a.pid <> pg_backend_pid() AND a.datname = current_database()"
            + " AND a.backend_type = 'client backend'";

    PostgresCatalog(Connection connection) {
        super(connection, PostgresDependents::dependents);
    }

    /**
     * reltuples is the planner's estimate (-1 before the first ANALYZE on 14+); the size counts indexes and TOAST.
     * Empty is certain, not estimated: a heap gets its first page with its first row, and keeps it until VACUUM
     * truncates it (deleted rows still count). Only for plain tables and materialized views without inheritance
     * children: a partitioned parent has no storage of its own whatever its partitions hold, and a statement on an
     * inheritance parent recurses to its children (an empty parent of a full child excused the child's rewrite, an
     * outside tester's find). For both, rows and bytes are unknown rather than the parent's own nothing (its tree's
     * sum would open every partition): no size-bound rule is softened for a small-looking parent.
     * {@code relhassubclass} may stay true after the last child went: the safe side.
     */
    @Override
    public TableSize tableSize(QualifiedName table) {
        return one(
                "SELECT CASE WHEN c.reltuples < 0 OR c.relhassubclass OR c.relkind = 'p' THEN NULL"
                        + " ELSE c.reltuples::bigint END,"
                        + " CASE WHEN c.relhassubclass OR c.relkind = 'p' THEN NULL"
                        + " ELSE pg_total_relation_size(c.oid) END,"
                        + " CASE WHEN c.relkind IN ('r', 'm') AND NOT c.relhassubclass"
                        + " THEN pg_relation_size(c.oid) = 0 END"
                        + " FROM pg_class c WHERE c.oid = to_regclass(?)",
                rs -> new TableSize(longOrNull(rs, 1), longOrNull(rs, 2), rs.getObject(3, Boolean.class)),
                TableSize.UNKNOWN,
                table.toSql());
    }

    /**
     * Relations, schemas and databases by name; and {@code DOMAIN WITH CONSTRAINTS}: whether the type, as written in a column definition
     * (to_regtype reads it, modifiers and all), is a domain with a CHECK or NOT NULL (or over another domain, the safe
     * side): such a column is checked against every row when added.
     */
    @Override
    public Boolean exists(String objectType, QualifiedName relation) {
        if (CONSTRAINED_DOMAIN.equals(objectType)) {
            return one(
                    "SELECT t.typtype = 'd' AND (t.typnotnull"
                            + " OR EXISTS (SELECT 1 FROM pg_constraint k WHERE k.contypid = t.oid)"
                            + " OR EXISTS (SELECT 1 FROM pg_type b WHERE b.oid = t.typbasetype AND b.typtype = 'd'))"
                            + " FROM pg_type t WHERE t.oid = to_regtype(?)",
                    rs -> rs.getBoolean(1),
                    null,
                    relation.name().text());
        }
        if (VOLATILE_DEFAULT_DOMAIN.equals(objectType)) {
            // pg_depend records no dependency on a built-in function: the default's text is matched against the
            // names of the volatile functions (a name that is also a stable overload's counts: the safe side)
            return one(
                    "SELECT t.typtype = 'd' AND t.typdefault IS NOT NULL AND EXISTS (SELECT 1 FROM pg_proc p"
                            + " WHERE p.provolatile = 'v' AND t.typdefault ~* ('\\m' || p.proname || '\\s*\\('))"
                            + " FROM pg_type t WHERE t.oid = to_regtype(?)",
                    rs -> rs.getBoolean(1),
                    null,
                    relation.name().text());
        }
        if ("SCHEMA".equals(objectType) || "DATABASE".equals(objectType)) {
            String named = "SCHEMA".equals(objectType) ? "pg_namespace WHERE nspname" : "pg_database WHERE datname";
            return one(
                    "SELECT EXISTS (SELECT 1 FROM " + named + " = ?)",
                    rs -> rs.getBoolean(1),
                    null,
                    PgNames.folded(relation.name()));
        }
        return relationExists(relation);
    }

    @Override
    public Boolean relationExists(QualifiedName name) {
        return ofRelation("SELECT to_regclass(?) IS NOT NULL", rs -> rs.getBoolean(1), name);
    }

    /** format_type gives the canonical spelling ("character varying(20)", "timestamp with time zone"). */
    @Override
    public String columnType(QualifiedName table, Identifier column) {
        return ofNamed(
                "SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a"
                        + " WHERE a.attrelid = to_regclass(?) AND a.attname = ? AND NOT a.attisdropped",
                table,
                column);
    }

    @Override
    public Boolean columnExists(QualifiedName table, Identifier column) {
        return one(
                "SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass(?) AND attname = ?"
                        + " AND attnum > 0 AND NOT attisdropped)",
                rs -> rs.getBoolean(1),
                null,
                table.toSql(),
                PgNames.folded(column));
    }

    /**
     * An identity (attidentity) or a nextval(…) default (serial) generates keys, "generated by" the sequence
     * (pg_get_serial_sequence, else the one the default names); pg_attrdef holds the default.
     */
    @Override
    public String columnFill(QualifiedName table, Identifier column) {
        return ofNamed(
                "SELECT CASE WHEN a.attidentity <> '' OR pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%'"
                        + " THEN 'generated' || coalesce(' by ' || coalesce(pg_get_serial_sequence("
                        + "a.attrelid::regclass::text, a.attname), substring(pg_get_expr(d.adbin, d.adrelid)"
                        + " from 'nextval\\(''([^'']+)''')), '') WHEN a.attnotnull THEN 'required' ELSE 'nullable' END"
                        + " || CASE WHEN d.adbin IS NOT NULL AND a.attidentity = ''"
                        + " AND pg_get_expr(d.adbin, d.adrelid) NOT LIKE 'nextval(%' THEN ' defaulted' ELSE '' END"
                        + " FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                        + " WHERE a.attrelid = to_regclass(?) AND a.attname = ? AND NOT a.attisdropped",
                table, column);
    }

    @Override
    public String setting(String name) {
        return one("SELECT current_setting(?, true)", rs -> rs.getString(1), null, name);
    }

    /** pg_proc.provolatile: 'v' volatile, 's' stable, 'i' immutable; overloads disagreeing count as volatile. */
    @Override
    public Boolean isVolatile(String function) {
        return one(
                "SELECT bool_or(provolatile = 'v') FROM pg_proc WHERE proname = ?",
                rs -> {
                    boolean v = rs.getBoolean(1);
                    return rs.wasNull() ? null : v;
                },
                null,
                function.toLowerCase(Locale.ROOT));
    }

    @Override
    public List<QualifiedName> foreignKeyParents(QualifiedName table, Identifier constraint) {
        String name = constraint == null ? null : PgNames.folded(constraint);
        return all(
                "SELECT confrelid::regclass::text FROM pg_constraint WHERE conrelid = to_regclass(?)"
                        + " AND contype = 'f' AND (?::text IS NULL OR conname = ?)",
                rs -> QualifiedName.of(rs.getString(1).split("\\.")),
                table.toSql(),
                name,
                name);
    }

    @Override
    public Set<String> constraintNames(QualifiedName table) {
        return new HashSet<>(all(
                "SELECT conname FROM pg_constraint WHERE conrelid = to_regclass(?)",
                rs -> rs.getString(1),
                table.toSql()));
    }

    @Override
    public List<String> validatedChecks(QualifiedName table) {
        return all(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                        + " WHERE conrelid = to_regclass(?) AND contype = 'c' AND convalidated",
                rs -> rs.getString(1),
                table.toSql());
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
    @Override
    public boolean createdInThisTransaction(QualifiedName table) {
        // The row type's dependency on the relation, written once by CREATE, left alone by RENAME, ALTER, GRANT and
        // CREATE OR REPLACE; else the ctid row, which an outside tester's GRANT SELECT (ctid) … REVOKE rewrote: the
        // old table counted as new, and its DROP TABLE and TRUNCATE were allowed.
        return one(
                "SELECT coalesce((SELECT d.xmin FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = r.reltype"
                        + " AND d.refclassid = 'pg_class'::regclass AND d.refobjid = r.oid AND d.deptype = 'i'),"
                        + " (SELECT a.xmin FROM pg_attribute a WHERE a.attrelid = r.oid AND a.attnum = -1))::text::bigint"
                        + " = txid_current_if_assigned() % 4294967296 FROM pg_class r WHERE r.oid = to_regclass(?)",
                rs -> rs.getBoolean(1), false, table.toSql());
    }

    /** to_regclass resolves the name as the statement will: an unqualified one finds pg_temp first. */
    @Override
    public boolean isTemporary(QualifiedName table) {
        return Boolean.TRUE.equals(ofRelation(
                "SELECT relpersistence = 't' FROM pg_class WHERE oid = to_regclass(?)", rs -> rs.getBoolean(1), table));
    }

    @Override
    public String relationKind(QualifiedName table) {
        return ofRelation(
                "SELECT relkind::text FROM pg_class WHERE oid = to_regclass(?)", rs -> rs.getString(1), table);
    }

    @Override
    public Boolean hasDefaultPartition(QualifiedName table) {
        return ofRelation(
                "SELECT partdefid <> 0 FROM pg_partitioned_table WHERE partrelid = to_regclass(?)",
                rs -> rs.getBoolean(1),
                table);
    }

    /** The table of an index, or of an extended statistics object (DROP STATISTICS locks that table). */
    @Override
    public QualifiedName tableOfIndex(QualifiedName index) {
        return one(
                "SELECT coalesce((SELECT indrelid::regclass::text FROM pg_index WHERE indexrelid = to_regclass(?)),"
                        + " (SELECT s.stxrelid::regclass::text FROM pg_statistic_ext s WHERE s.stxname = ?"
                        + " AND pg_statistics_obj_is_visible(s.oid)))",
                rs -> rs.getString(1) == null
                        ? null
                        : QualifiedName.of(rs.getString(1).split("\\.")),
                null,
                index.toSql(),
                PgNames.folded(index.parts().get(index.parts().size() - 1)));
    }

    /** pg_index.indisunique; the index is looked up in the table's schema (a primary key's index is unique too). */
    @Override
    public Boolean isUniqueIndex(QualifiedName table, Identifier index) {
        return one(
                "SELECT indisunique FROM pg_index WHERE indexrelid = to_regclass(?)",
                rs -> rs.getBoolean(1),
                null,
                inSchemaOf(table, index));
    }

    /** pg_attribute.attnotnull of the index's key columns; the index is looked up in the table's schema. */
    @Override
    public List<String> nullableIndexColumns(QualifiedName table, Identifier index) {
        return all(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
                        + " AND a.attnum = ANY(i.indkey) WHERE i.indexrelid = to_regclass(?) AND NOT a.attnotnull ORDER BY a.attnum",
                rs -> rs.getString(1),
                inSchemaOf(table, index));
    }

    /** pg_constraint.contype in words. */
    @Override
    public String constraintKind(QualifiedName table, Identifier constraint) {
        return ofNamed(
                "SELECT CASE contype WHEN 'f' THEN 'FOREIGN KEY' WHEN 'p' THEN 'PRIMARY KEY' WHEN 'u' THEN 'UNIQUE'"
                        + " WHEN 'c' THEN 'CHECK' WHEN 'x' THEN 'EXCLUDE' ELSE 'OTHER' END FROM pg_constraint"
                        + " WHERE conrelid = to_regclass(?) AND conname = ?",
                table,
                constraint);
    }

    /**
     * Whether the constraint's pg_constraint row was written by this transaction, a savepoint of it included:
     * its xmin is the top-level xid, or a later xid (a subtransaction's) whose status is still "in progress"
     * (a visible row written by another session's open transaction cannot exist). The epoch is the top-level
     * xid's; a subtransaction xid that wrapped past 2^32 since is taken for another's (no error is possible:
     * txid_status is only asked about an xid between the top-level one and the next).
     */
    @Override
    public boolean constraintCreatedInThisTransaction(QualifiedName table, Identifier constraint) {
        return one(
                "SELECT CASE WHEN top IS NULL THEN false WHEN x = top % 4294967296 THEN true"
                        + " WHEN x > top % 4294967296 THEN txid_status((top >> 32 << 32) + x) = 'in progress' ELSE false END"
                        + " FROM (SELECT xmin::text::bigint AS x, txid_current_if_assigned() AS top FROM pg_constraint"
                        + " WHERE conrelid = to_regclass(?) AND conname = ?) s",
                rs -> rs.getBoolean(1), false, table.toSql(), PgNames.folded(constraint));
    }

    /**
     * REFRESH MATERIALIZED VIEW, "CONCURRENTLY": needs a populated view with a UNIQUE index that uses only
     * column names and covers all rows (no expression, no WHERE).
     */
    @Override
    public Boolean refreshableConcurrently(QualifiedName view) {
        return ofRelation(
                "SELECT m.relispopulated AND EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = m.oid"
                        + " AND i.indisunique AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL)"
                        + " FROM pg_class m WHERE m.oid = to_regclass(?) AND m.relkind = 'm'",
                rs -> rs.getBoolean(1),
                view);
    }

    /**
     * PostgreSQL has no SQL function for free disk space (pg_tablespace_size and the like count what is used,
     * not what is left): no figure, and the data directory to check by hand when this role may read it.
     */
    @Override
    public FreeSpace freeSpace() {
        // current_setting('data_directory') fails without pg_read_all_settings (superusers have it): CASE asks first.
        String directory = one(
                "SELECT CASE WHEN pg_has_role(current_user, 'pg_read_all_settings',"
                        + " 'member') THEN current_setting('data_directory') END",
                rs -> rs.getString(1),
                null);
        return FreeSpace.unknown(
                directory,
                "PostgreSQL reports no free disk space over SQL: check the volume of "
                        + (directory != null
                                ? directory
                                : "the server's data directory (SHOW data_directory, as a superuser)")
                        + " (or of the table's tablespace) on the server itself");
    }

    @Override
    public List<Session> lockHolders(QualifiedName table) {
        return all(
                "SELECT a.pid, a.state, extract(epoch FROM now() - coalesce(a.xact_start, a.query_start))::bigint,"
                        + " a.application_name, a.query, l.mode FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                        + " WHERE l.relation = to_regclass(?) AND l.granted AND l.pid <> pg_backend_pid()"
                        + " ORDER BY a.xact_start NULLS LAST LIMIT 10",
                PostgresCatalog::session,
                table.toSql());
    }

    /** Only transactions with a snapshot or an xid make a concurrent build wait. */
    @Override
    public List<Session> openTransactions() {
        // A session holding an advisory lock in its open transaction is how Flyway (9.1.2+) holds its migration lock.
        return all(
                "SELECT a.pid, a.state, extract(epoch FROM now() - a.xact_start)::bigint,"
                        + " a.application_name, a.query, " + ADVISORY + " FROM pg_stat_activity a"
                        + " WHERE a.xact_start IS NOT NULL AND (a.backend_xmin IS NOT NULL OR a.backend_xid IS NOT NULL)"
                        + OTHER_CLIENTS + " ORDER BY a.xact_start LIMIT 10",
                PostgresCatalog::session);
    }

    /**
     * The open transactions a CONCURRENTLY build waits for, when every one of them is under this same database
     * user, idle in transaction or running a statement of it: most likely this very process's other connection
     * (Flyway's migration lock, held in an open transaction on its own connection until the migration ends, a
     * catalog read of which may still be running), which waits for the build in turn. Empty when there are none,
     * or when any other session is among them. The caller tells idle from running by the state. Only sessions
     * holding a snapshot (backend_xmin) count: the build's wait for older snapshots skips the others.
     */
    @Override
    public List<Session> idleOwnTransactions() {
        return all(
                "WITH t AS (SELECT a.pid, a.state, extract(epoch FROM now() - a.xact_start)::bigint AS age,"
                        + " a.application_name, a.query, " + ADVISORY + " AS mode,"
                        + " a.state IN ('idle in transaction', 'active') AND a.usename = current_user AS own"
                        + " FROM pg_stat_activity a"
                        + " WHERE a.xact_start IS NOT NULL AND a.backend_xmin IS NOT NULL" + OTHER_CLIENTS + ")"
                        + " SELECT pid, state, age, application_name, query, mode FROM t WHERE NOT EXISTS (SELECT 1 FROM t WHERE NOT own)"
                        + " ORDER BY pid LIMIT 10",
                PostgresCatalog::session);
    }

    /** The index's name in its table's schema, for to_regclass(?): index names are unique per schema. */
    private static String inSchemaOf(QualifiedName table, Identifier index) {
        List<Identifier> parts = new ArrayList<>(table.parts());
        parts.set(parts.size() - 1, index);
        return new QualifiedName(parts).toSql();
    }

    /** A question about one relation, named for to_regclass(?): its one row's answer, null without a row. */
    private <T> T ofRelation(String sql, CatalogQuery.Row<T> row, QualifiedName relation) {
        return one(sql, row, null, relation.toSql());
    }

    /** A question about a column or constraint of a relation, named for to_regclass(?) and its folded name: its text. */
    private String ofNamed(String sql, QualifiedName relation, Identifier name) {
        return one(sql, rs -> rs.getString(1), null, relation.toSql(), PgNames.folded(name));
    }

    private static Session session(ResultSet rs) throws SQLException {
        return new Session(
                rs.getInt(1), rs.getString(2), longOrNull(rs, 3), rs.getString(4), rs.getString(5), rs.getString(6));
    }
}
