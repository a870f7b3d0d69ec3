package dev.ddlguard.cli.lint;

import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.QualifiedName;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A table (or view, sequence, type, domain) the scripts created, with what they did to it since. */
final class ScriptTable {

    QualifiedName name;
    /** The schema it is in: its name's, else the one unqualified names resolved in when it was first named. */
    String schema;
    /** A temporary table: the session's own, until it ends (PostgreSQL: the transaction's, as lint counts). */
    boolean temporary;
    /**
     * Not a table: a view (v), materialized view (m) or sequence (S), which share the tables' names, or a type or
     * domain (T); null for a table.
     */
    String kind;
    /** A type or domain: a later statement on something else names it (a column may use it). */
    boolean mentioned;

    final int file;
    final int transaction;
    final boolean partitioned;
    boolean dropped;
    final Map<String, Constraint> constraints = new LinkedHashMap<>();

    ScriptTable(QualifiedName name, ScriptNames names, int file, int transaction, boolean partitioned) {
        this.name = name;
        this.schema = names.schemaOf(name);
        this.file = file;
        this.transaction = transaction;
        this.partitioned = partitioned;
    }

    /** A constraint the scripts added, and the transaction that added it. */
    record Constraint(String kind, boolean validated, String check, int transaction) {}

    /**
     * The table a name means now: a temporary table of the session first (it hides a permanent one of the same
     * name: PostgreSQL searches pg_temp first, MySQL/MariaDB take the temporary one), then the others.
     */
    static ScriptTable find(
            List<ScriptTable> tables,
            ScriptNames names,
            QualifiedName name,
            boolean temporaryFirst,
            int file,
            int transaction) {
        String in = names.schemaOf(name);
        String key = names.tableKey(name.name());
        if (temporaryFirst) {
            for (int i = tables.size() - 1; i >= 0; i--) {
                ScriptTable t = tables.get(i);
                if (t.temporary
                        && !t.dropped
                        && t.alive(file, transaction)
                        && (t.schema.equals(in) || (name.schema() == null && t.schema.equals("pg_temp")))
                        && names.tableKey(t.name.name()).equals(key)) {
                    return t;
                }
            }
        }
        for (int i = tables.size() - 1; i >= 0; i--) {
            ScriptTable t = tables.get(i);
            if (!t.temporary
                    && t.schema.equals(in)
                    && names.tableKey(t.name.name()).equals(key)) {
                return t;
            }
        }
        return null;
    }

    /**
     * A temporary table lives as long as its session, here the file; one created in a transaction block is counted
     * for that transaction only (a ROLLBACK takes it back, ON COMMIT DROP drops it), then forgotten: the name then
     * means the permanent table again, as far as lint can tell.
     */
    private boolean alive(int file, int transaction) {
        return this.file == file && (this.transaction == LintCatalog.NO_TRANSACTION || this.transaction == transaction);
    }

    /** A statement on something else that names a type or domain of this file: a column may now use it. */
    static void noteMentions(List<ScriptTable> tables, ScriptNames names, DdlStatement ddl, Set<String> typesNaming) {
        for (ScriptTable t : tables) {
            if ("T".equals(t.kind)
                    && !t.dropped
                    && !t.mentioned
                    && !(typesNaming.contains(String.valueOf(ddl.objectType()))
                            && !ddl.names().isEmpty()
                            && ddl.names().get(0) != null
                            && names.same(ddl.names().get(0), t.name))
                    && ScriptNames.mentions(ddl.sql(), t.name)) {
                t.mentioned = true;
            }
        }
    }
}
