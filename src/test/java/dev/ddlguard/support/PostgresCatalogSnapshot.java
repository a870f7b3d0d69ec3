package dev.ddlguard.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The catalog rows of one schema's relations whose names start with a prefix, as text, read by a session of
 * its own: pg_class (kind, relfilenode — a rewrite or a new index gives a new one — columns, whether it has
 * indexes), pg_attribute (every column with its type and nullability), pg_index (each index with its key and
 * validity) and pg_constraint. Two snapshots are equal exactly when no DDL touched those relations between them.
 * Planner statistics (reltuples, relpages) are left out: ANALYZE and autovacuum change them without any DDL.
 */
public final class PostgresCatalogSnapshot {

    private static final String[][] PARTS = {
        {
            "pg_class",
            "SELECT string_agg(concat_ws(',', c.relname, c.relkind, c.relfilenode, c.relnatts, c.relhasindex,"
                    + " c.relpersistence), ';' ORDER BY c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = ? AND c.relname LIKE ?"
        },
        {
            "pg_attribute",
            "SELECT string_agg(concat_ws(',', c.relname, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod),"
                    + " a.attnotnull, a.attisdropped, a.atthasdef), ';' ORDER BY c.relname, a.attnum) FROM pg_attribute a"
                    + " JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = ? AND c.relname LIKE ?"
        },
        {
            "pg_index",
            "SELECT string_agg(concat_ws(',', i.indexrelid::regclass::text, i.indrelid::regclass::text, i.indkey::text,"
                    + " i.indisunique, i.indisvalid, i.indisready), ';' ORDER BY i.indexrelid::regclass::text) FROM pg_index i"
                    + " JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = ? AND c.relname LIKE ?"
        },
        {
            "pg_constraint",
            "SELECT string_agg(concat_ws(',', c.relname, k.conname, k.contype, k.convalidated,"
                    + " pg_get_constraintdef(k.oid)), ';' ORDER BY c.relname, k.conname) FROM pg_constraint k"
                    + " JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = ? AND c.relname LIKE ?"
        },
    };

    private final Connection monitor;
    private final String schema;
    private final String prefix;

    /** @param prefix the start of the relation names to watch (indexes and TOAST tables named after them included) */
    public PostgresCatalogSnapshot(Connection monitor, String schema, String prefix) {
        this.monitor = monitor;
        this.schema = schema;
        this.prefix = prefix;
    }

    /** Every part, one string each, in the order of {@link #PARTS}, prefixed with its name. */
    public List<String> read() throws SQLException {
        List<String> parts = new ArrayList<>(PARTS.length);
        for (String[] part : PARTS) {
            try (PreparedStatement ps = monitor.prepareStatement(part[1])) {
                ps.setString(1, schema);
                ps.setString(2, prefix.replace("_", "\\_") + "%");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    parts.add(part[0] + ": " + rs.getString(1));
                }
            }
        }
        return parts;
    }
}
