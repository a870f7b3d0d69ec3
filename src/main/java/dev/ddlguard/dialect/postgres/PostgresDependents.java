package dev.ddlguard.dialect.postgres;

import static dev.ddlguard.dialect.CatalogQuery.all;

import dev.ddlguard.rules.Catalog;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What a drop takes with it, from {@code pg_depend} (manual: 53.18 pg_depend, "DEPENDENCY_NORMAL": the
 * dependents a CASCADE drops), for {@link PostgresCatalog#dependents}.
 */
final class PostgresDependents {

    /** How many objects a message lists; the rest are counted. */
    static final int LIMIT = 50;

    /**
     * What keeps a value computed by its dependency, said after its description: a stored generated column's default
     * ("default value for column g of table t" alone reads as a plain default, computed anew for each row) and a
     * partitioned table reached directly (only its partition key depends on a function so).
     */
    private static final String KEPT = "CASE WHEN w.classid = 'pg_attrdef'::regclass AND EXISTS (SELECT 1 FROM"
            + " pg_attrdef ad JOIN pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum"
            + " WHERE ad.oid = w.objid AND a.attgenerated = 's') THEN ' (stored generated)'"
            + " WHEN w.classid = 'pg_class'::regclass AND w.depth = 1 AND EXISTS (SELECT 1 FROM pg_class r"
            + " WHERE r.oid = w.objid AND r.relkind = 'p') THEN ' (partition key)' ELSE '' END";

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
            + " SELECT DISTINCT pg_describe_object(w.classid, w.objid, w.objsubid) || " + KEPT + " FROM walk w"
            + " WHERE NOT EXISTS (SELECT 1 FROM start s WHERE s.classid = w.classid AND s.objid = w.objid)"
            + " ORDER BY 1 LIMIT " + (LIMIT + 1);

    /**
     * {@link Catalog#LINKED_TABLES}: children and partitions at any depth, and the sequences it owns (OWNED BY), that
     * the open transaction did not create, nor (a sequence) the transaction that created the table (a serial's own);
     * and, after {@code references }, the tables referencing it by a foreign key. Created by a transaction: the xmin of
     * the row type's dependency on the relation, or (a sequence has no row type) of its namespace dependency, both
     * written once by CREATE ({@link PostgresCatalog#createdInThisTransaction}).
     */
    private static final String LINKED = "WITH RECURSIVE t AS (SELECT to_regclass(?) AS oid),"
            + " kids(oid) AS (SELECT i.inhrelid FROM pg_inherits i, t WHERE i.inhparent = t.oid"
            + " UNION SELECT i.inhrelid FROM pg_inherits i JOIN kids k ON i.inhparent = k.oid),"
            + " linked(oid, prefix) AS (SELECT oid, '' FROM kids"
            + " UNION SELECT d.objid, '' FROM pg_depend d, t WHERE d.classid = 'pg_class'::regclass"
            + " AND d.refclassid = 'pg_class'::regclass AND d.refobjid = t.oid AND d.deptype IN ('a', 'i')"
            + " AND (SELECT r.relkind FROM pg_class r WHERE r.oid = d.objid) = 'S'"
            + " AND (" + made("d.objid") + " IS NOT DISTINCT FROM " + made("t.oid") + ") IS NOT TRUE"
            + " UNION SELECT k.conrelid, 'references ' FROM pg_constraint k, t WHERE k.contype = 'f'"
            + " AND k.confrelid = t.oid AND k.conrelid <> k.confrelid)"
            + " SELECT l.prefix || quote_ident(n.nspname) || '.' || quote_ident(r.relname) FROM linked l"
            + " JOIN pg_class r ON r.oid = l.oid JOIN pg_namespace n ON n.oid = r.relnamespace"
            + " WHERE coalesce(" + made("l.oid") + " <> txid_current_if_assigned() % 4294967296, true)"
            + " ORDER BY 1 LIMIT " + (LIMIT + 1);

    /** The xmin of the relation's row-type dependency, or (a sequence has no row type) of its namespace dependency. */
    private static String made(String oid) {
        return "coalesce((SELECT md.xmin FROM pg_depend md JOIN pg_class mr ON mr.oid = " + oid
                + " WHERE md.classid = 'pg_type'::regclass AND md.objid = mr.reltype"
                + " AND md.refclassid = 'pg_class'::regclass AND md.refobjid = mr.oid AND md.deptype = 'i'),"
                + " (SELECT md.xmin FROM pg_depend md WHERE md.classid = 'pg_class'::regclass AND md.objid = " + oid
                + " AND md.refclassid = 'pg_namespace'::regclass))::text::bigint";
    }

    private PostgresDependents() {}

    private static String mapped(String d) {
        String rule = d + ".classid = 'pg_rewrite'::regclass";
        return "SELECT CASE WHEN " + rule + " THEN 'pg_class'::regclass::oid ELSE " + d + ".classid END AS classid,"
                + " CASE WHEN " + rule + " THEN (SELECT r.ev_class FROM pg_rewrite r WHERE r.oid = " + d + ".objid)"
                + " ELSE " + d + ".objid END AS objid,"
                + " CASE WHEN " + rule + " THEN 0 ELSE " + d + ".objsubid END AS objsubid";
    }

    /** Null for object types whose identity the name alone does not give (a function's signature, say). */
    static List<String> dependents(Connection c, String objectType, QualifiedName name) throws SQLException {
        if (objectType.equals(Catalog.LINKED_TABLES)) {
            return all(c, LINKED, rs -> rs.getString(1), name.toSql());
        }
        String start = switch (objectType) {
            case "SCHEMA" ->
                "SELECT 'pg_namespace'::regclass::oid AS classid, oid AS objid FROM pg_namespace WHERE nspname = ?";
            // and its row type, which hangs off it by an internal dependency: a view's NULL::t or a column of type t
            // goes with DROP TABLE t CASCADE too (an outside tester's old view did, unlisted)
            case "TABLE", "VIEW", "MATERIALIZED VIEW", "SEQUENCE", "FOREIGN TABLE", "INDEX" ->
                "SELECT x.classid, x.objid FROM (SELECT to_regclass(?)::oid AS o) r CROSS JOIN LATERAL"
                        + " (SELECT 'pg_class'::regclass::oid AS classid, r.o AS objid UNION ALL"
                        + " SELECT 'pg_type'::regclass::oid, c.reltype FROM pg_class c WHERE c.oid = r.o"
                        + " AND c.reltype <> 0) x";
            // and its array type, which hangs off it by an internal dependency: a column or a signature of mood[]
            // goes with DROP TYPE mood CASCADE too (an outside tester's: the walk missed it)
            case "TYPE", "DOMAIN" ->
                "SELECT 'pg_type'::regclass::oid AS classid, x.oid AS objid FROM (SELECT to_regtype(?)::oid AS o) r"
                        + " CROSS JOIN LATERAL (SELECT r.o AS oid UNION ALL SELECT t.typarray FROM pg_type t"
                        + " WHERE t.oid = r.o AND t.typarray <> 0) x";
            case "EXTENSION" ->
                "SELECT 'pg_extension'::regclass::oid AS classid, oid AS objid FROM pg_extension WHERE extname = ?";
            // every overload of the name, in its schema or else the one an unqualified CREATE uses, current_schema()
            // (CREATE OR REPLACE FUNCTION names a signature; its types are not read, so all overloads answer)
            case "FUNCTIONS NAMED" ->
                "SELECT 'pg_proc'::regclass::oid AS classid, p.oid AS objid FROM pg_proc p"
                        + " WHERE p.proname = ? AND p.pronamespace = (SELECT n.oid FROM pg_namespace n"
                        + " WHERE n.nspname = coalesce(?, current_schema()))";
            case "OWNED" -> null;
            default -> "";
        };
        if (start == null) {
            return owned(c, name);
        }
        if (start.isEmpty()) {
            return null;
        }
        if (objectType.equals("FUNCTIONS NAMED")) {
            String schema = name.schema() == null ? null : folded(name.schema());
            return all(c, String.format(WALK, start), rs -> rs.getString(1), folded(name.name()), schema);
        }
        String argument =
                objectType.equals("SCHEMA") || objectType.equals("EXTENSION") ? folded(name.name()) : name.toSql();
        return all(c, String.format(WALK, start), rs -> rs.getString(1), argument);
    }

    /** DROP OWNED BY drops, in the current database, every object the role owns (pg_shdepend, deptype 'o'). */
    private static List<String> owned(Connection c, QualifiedName role) throws SQLException {
        return all(
                c,
                "SELECT DISTINCT pg_describe_object(classid, objid, objsubid) FROM pg_shdepend"
                        + " WHERE refclassid = 'pg_authid'::regclass AND deptype = 'o'"
                        + " AND refobjid = (SELECT oid FROM pg_roles WHERE rolname = ?)"
                        + " AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
                        + " ORDER BY 1 LIMIT " + (LIMIT + 1),
                rs -> rs.getString(1),
                folded(role.name()));
    }

    private static String folded(Identifier id) {
        return PgNames.folded(id);
    }
}
