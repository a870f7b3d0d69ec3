package dev.ddlguard.dialect.postgres;

import static dev.ddlguard.dialect.CatalogQuery.all;
import static dev.ddlguard.dialect.CatalogQuery.one;

import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What a drop takes with it, from {@code pg_depend} (manual: 53.18 pg_depend, "DEPENDENCY_NORMAL": the
 * dependents a CASCADE drops), and the few other catalog facts the coverage rules ask about.
 */
final class PostgresDependents {

    /** How many objects a message lists; the rest are counted. */
    static final int LIMIT = 50;

    /**
     * Walks normal dependencies from the object. A view depends on a table through its {@code _RETURN}
     * rule, so a rule is read as its view (and the walk goes on from the view); a column depending on a
     * type or domain is dropped alone, so the walk does not go on from it.
     */
    private static final String WALK = "WITH RECURSIVE start AS (%s),"
            + " walk(classid, objid, objsubid, depth) AS ("
            + "  SELECT m.classid, m.objid, m.objsubid, 1 FROM pg_depend d JOIN start s"
            + "   ON d.refclassid = s.classid AND d.refobjid = s.objid AND d.deptype = 'n'"
            + "   CROSS JOIN LATERAL (" + mapped("d") + ") m"
            + "  UNION"
            + "  SELECT m.classid, m.objid, m.objsubid, w.depth + 1 FROM pg_depend d JOIN walk w"
            + "   ON d.refclassid = w.classid AND d.refobjid = w.objid AND w.objsubid = 0 AND d.deptype = 'n'"
            + "   CROSS JOIN LATERAL (" + mapped("d") + ") m WHERE w.depth < 4)"
            + " SELECT DISTINCT pg_describe_object(w.classid, w.objid, w.objsubid) FROM walk w"
            + " WHERE NOT EXISTS (SELECT 1 FROM start s WHERE s.classid = w.classid AND s.objid = w.objid)"
            + " ORDER BY 1 LIMIT " + (LIMIT + 1);

    private PostgresDependents() {
    }

    private static String mapped(String d) {
        String rule = d + ".classid = 'pg_rewrite'::regclass";
        return "SELECT CASE WHEN " + rule + " THEN 'pg_class'::regclass::oid ELSE " + d + ".classid END AS classid,"
                + " CASE WHEN " + rule + " THEN (SELECT r.ev_class FROM pg_rewrite r WHERE r.oid = " + d + ".objid)"
                + " ELSE " + d + ".objid END AS objid,"
                + " CASE WHEN " + rule + " THEN 0 ELSE " + d + ".objsubid END AS objsubid";
    }

    /** Null for object types whose identity the name alone does not give (a function's signature, say). */
    static List<String> dependents(Connection c, String objectType, QualifiedName name) throws SQLException {
        String start = switch (objectType) {
            case "SCHEMA" -> "SELECT 'pg_namespace'::regclass::oid AS classid, oid AS objid FROM pg_namespace WHERE nspname = ?";
            case "TABLE", "VIEW", "MATERIALIZED VIEW", "SEQUENCE", "FOREIGN TABLE", "INDEX" ->
                    "SELECT 'pg_class'::regclass::oid AS classid, to_regclass(?)::oid AS objid";
            case "TYPE", "DOMAIN" -> "SELECT 'pg_type'::regclass::oid AS classid, to_regtype(?)::oid AS objid";
            case "EXTENSION" -> "SELECT 'pg_extension'::regclass::oid AS classid, oid AS objid FROM pg_extension WHERE extname = ?";
            case "OWNED" -> null;
            default -> "";
        };
        if (start == null) {
            return owned(c, name);
        }
        if (start.isEmpty()) {
            return null;
        }
        String argument = objectType.equals("SCHEMA") || objectType.equals("EXTENSION") ? folded(name.name()) : name.toSql();
        return all(c, String.format(WALK, start), rs -> rs.getString(1), argument);
    }

    /** DROP OWNED BY drops, in the current database, every object the role owns (pg_shdepend, deptype 'o'). */
    private static List<String> owned(Connection c, QualifiedName role) throws SQLException {
        return all(c, "SELECT DISTINCT pg_describe_object(classid, objid, objsubid) FROM pg_shdepend"
                + " WHERE refclassid = 'pg_authid'::regclass AND deptype = 'o'"
                + " AND refobjid = (SELECT oid FROM pg_roles WHERE rolname = ?)"
                + " AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
                + " ORDER BY 1 LIMIT " + (LIMIT + 1), rs -> rs.getString(1), folded(role.name()));
    }

    /** pg_constraint.contype in words. */
    static String constraintKind(Connection c, QualifiedName table, Identifier constraint) throws SQLException {
        return one(c, "SELECT CASE contype WHEN 'f' THEN 'FOREIGN KEY' WHEN 'p' THEN 'PRIMARY KEY' WHEN 'u' THEN 'UNIQUE'"
                + " WHEN 'c' THEN 'CHECK' WHEN 'x' THEN 'EXCLUDE' ELSE 'OTHER' END FROM pg_constraint"
                + " WHERE conrelid = to_regclass(?) AND conname = ?", rs -> rs.getString(1), null, table.toSql(), folded(constraint));
    }

    static Boolean relationExists(Connection c, QualifiedName name) throws SQLException {
        return one(c, "SELECT to_regclass(?) IS NOT NULL", rs -> rs.getBoolean(1), null, name.toSql());
    }

    /**
     * Whether the constraint's pg_constraint row was written by this transaction, a savepoint of it included:
     * its xmin is the top-level xid, or a later xid (a subtransaction's) whose status is still "in progress"
     * (a visible row written by another session's open transaction cannot exist). The epoch is the top-level
     * xid's; a subtransaction xid that wrapped past 2^32 since is taken for another's (no error is possible:
     * txid_status is only asked about an xid between the top-level one and the next).
     */
    static boolean constraintCreatedInThisTransaction(Connection c, QualifiedName table, Identifier constraint)
            throws SQLException {
        return one(c, "SELECT CASE WHEN top IS NULL THEN false WHEN x = top % 4294967296 THEN true"
                + " WHEN x > top % 4294967296 THEN txid_status((top >> 32 << 32) + x) = 'in progress' ELSE false END"
                + " FROM (SELECT xmin::text::bigint AS x, txid_current_if_assigned() AS top FROM pg_constraint"
                + " WHERE conrelid = to_regclass(?) AND conname = ?) s", rs -> rs.getBoolean(1), false,
                table.toSql(), folded(constraint));
    }

    /**
     * REFRESH MATERIALIZED VIEW, "CONCURRENTLY": needs a populated view with a UNIQUE index that uses only
     * column names and covers all rows (no expression, no WHERE).
     */
    static Boolean refreshableConcurrently(Connection c, QualifiedName view) throws SQLException {
        return one(c, "SELECT m.relispopulated AND EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = m.oid"
                + " AND i.indisunique AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL)"
                + " FROM pg_class m WHERE m.oid = to_regclass(?) AND m.relkind = 'm'", rs -> rs.getBoolean(1), null,
                view.toSql());
    }

    private static String folded(Identifier id) {
        return PgNames.folded(id);
    }
}
