package dev.ddlguard.engine;

import dev.ddlguard.rules.ActedOn;
import dev.ddlguard.rules.Catalog;
import dev.ddlguard.rules.Catalog.TableSize;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.DdlStatement.Flag;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.Verb;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Why a rule that matched does not apply to this statement's object, or null when it does. What a
 * rule guards against needs deployed code using the object, or other sessions waiting on its lock:
 * <ul>
 *   <li>a table created by this transaction is invisible to every other session;</li>
 *   <li>a table this process created through the guard earlier in the run (or earlier in the same SQL
 *       string) is known to no deployed code, and nobody else has reason to wait on it; so is a view it
 *       created with a plain CREATE VIEW (a migration that changes a view's columns drops and recreates it);</li>
 *   <li>a table with no rows at all keeps a lock for moments: the size-bound (lock-bound) rules only.
 *       An empty table may still be busy (a queue its consumers emptied), so being empty never excuses
 *       dropping or renaming it;</li>
 *   <li>{@code DROP … IF EXISTS} of objects that do not exist, and {@code ALTER TABLE IF EXISTS} of a table that does
 *       not, does nothing and locks nothing.</li>
 * </ul>
 */
record Exemption(String createdInTransaction, String createdInRun, String empty, String missing) {

    static final Exemption NONE = new Exemption(null, null, null, null);

    /** Relations whose existence {@code to_regclass} answers, so a DROP … IF EXISTS of a missing one is known to be a no-op. */
    private static final Set<String> RELATIONS = Set.of("TABLE", "INDEX", "VIEW", "MATERIALIZED VIEW", "SEQUENCE");

    /** A DROP SCHEMA | DATABASE IF EXISTS of none (a fresh database's idempotent script) does nothing too. */
    private static final Set<String> SCHEMAS = Set.of("SCHEMA", "DATABASE");

    /**
     * @param createdEarlier whether an earlier statement of the same SQL string creates the table
     */
    static Exemption of(
            DdlStatement ddl,
            boolean autocommit,
            Predicate<QualifiedName> createdEarlier,
            TableSize size,
            Catalog catalog,
            boolean firstOfString) {
        if (ddl.verb() == Verb.CREATE && "TABLE".equals(ddl.objectType())) {
            return NONE; // judged as it is: nothing of this table exists yet
        }
        String missing = missing(ddl, catalog, createdEarlier);
        // Every relation the statement acts on must be new: one old table in a list is locked or dropped all the same.
        List<QualifiedName> tables = ActedOn.relations(ddl, catalog);
        if (tables == null || tables.isEmpty()) {
            return new Exemption(null, null, null, missing);
        }
        String inTransaction = null;
        String inRun = null;
        if (tables.stream().allMatch(createdEarlier)) {
            inRun = names(tables) + " is created earlier in the same SQL string, so no deployed code uses it and no "
                    + "other session has reason to wait on it";
        } else if (!autocommit
                && tables.stream().allMatch(t -> createdEarlier.test(t) || catalog.createdInThisTransaction(t))) {
            inTransaction = "the table was created in this transaction, so no other session can wait on it";
        } else {
            // DROP … IF EXISTS a, b where a is this run's and b is not there: b is a no-op, a is judged as new.
            List<QualifiedName> absent = absentUnderIfExists(ddl, tables, catalog);
            List<QualifiedName> ours =
                    tables.stream().filter(t -> !absent.contains(t)).toList();
            if (!ours.isEmpty()
                    && ours.stream()
                            .allMatch(t -> createdEarlier.test(t)
                                    || catalog.createdInThisRun(t)
                                    || (!autocommit && catalog.createdInThisTransaction(t))
                                    // asked before the string runs: right only for its first statement; and only
                                    // of a table (MySQL: a temporary table v hides the table v, not the view v);
                                    // named twice, the second finds the table the temporary one hid (RENAME TABLE
                                    // tz TO a, tz TO b renamed an outside tester's permanent tz)
                                    || (firstOfString
                                            && actsOnTables(ddl)
                                            && !namedTwice(ddl.names())
                                            && catalog.isTemporary(t)))) {
                inRun = names(ours) + " was created by this migration run (through ddlguard, in this process, or "
                        + "as a temporary table of this session), so no deployed code uses it and no other session "
                        + "has reason to wait on it"
                        + (absent.isEmpty()
                                ? ""
                                : "; " + names(absent) + " does not exist, which IF EXISTS makes a no-op");
            }
        }
        if ((inRun != null || inTransaction != null)
                && (holdsOldTables(ddl, tables, catalog, createdEarlier)
                        || locksThroughAView(ddl, tables, catalog, createdEarlier))) {
            // old partitions or children attached, an old sequence owned, old tables referencing it: it reaches them
            inRun = null;
            inTransaction = null;
        }
        String empty = size != null && Boolean.TRUE.equals(size.empty()) && tables.size() == 1
                ? tables.get(0) + " holds no rows (no data page in the live catalog), so its lock is held for moments"
                : null;
        return new Exemption(inTransaction, inRun, empty, missing);
    }

    /**
     * Whether a new table has old relations hanging on it ({@link Catalog#LINKED_TABLES}) that are neither this run's
     * nor this string's: outside testers attached an old partition to a new partitioned table, made an old table
     * inherit from a new one, referenced a new one from an old table and gave it an old sequence (OWNED BY), then
     * dropped, truncated (CASCADE) and retyped the new one, exempt, and the old relations went with it. Unknown
     * (offline, another database, a question that failed): none.
     */
    private static boolean holdsOldTables(
            DdlStatement ddl, List<QualifiedName> tables, Catalog catalog, Predicate<QualifiedName> createdEarlier) {
        // a referencing table is reached only by what cascades or rebuilds its key: a new lookup table that an old
        // table references may still get a column, an index or a rename of another column (a fourth round's)
        boolean reachesReferencing = ddl.verb() == Verb.TRUNCATE
                || ddl.verb() == Verb.DROP
                || ddl.text().hasWord("CASCADE")
                || ddl.hasAction(AlterAction.Kind.ALTER_COLUMN_TYPE);
        for (QualifiedName t : tables) {
            List<String> linked = catalog.dependents(Catalog.LINKED_TABLES, t);
            for (String name : linked == null ? List.<String>of() : linked) {
                if (name.startsWith(REFERENCES) && !reachesReferencing) {
                    continue;
                }
                QualifiedName table =
                        QualifiedName.fromSql(name.startsWith(REFERENCES) ? name.substring(REFERENCES.length()) : name);
                if (table == null || !(createdEarlier.test(table) || catalog.createdInThisRun(table))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static final String REFERENCES = "references ";

    /**
     * LOCK TABLE(S) or FLUSH TABLES … WITH READ LOCK of a view the run created locks the view's base tables, old ones
     * too (outside testers' writers of the old table waited 4.3 s behind MariaDB's LOCK TABLES v_new WRITE): a name
     * the catalog knows as a view loses the exemption. A view created earlier in the same string, or offline, is not
     * told apart (the catalog has not seen it).
     */
    private static boolean locksThroughAView(
            DdlStatement ddl, List<QualifiedName> tables, Catalog catalog, Predicate<QualifiedName> createdEarlier) {
        if (ddl.verb() != Verb.LOCK && ddl.verb() != Verb.FLUSH) {
            return false;
        }
        return tables.stream()
                .filter(t -> !createdEarlier.test(t))
                .map(catalog::relationKind)
                .anyMatch(kind -> "v".equals(kind) || "m".equals(kind));
    }

    /** The reason the rule does not apply, or null. */
    String reasonFor(Rule rule) {
        // Rule.aboutDeployedCode: the danger is to deployed code or data, which a table created in this run cannot
        // hurt.
        boolean relaxable = rule.lockBound() || rule.aboutDeployedCode();
        if (missing != null) {
            return missing; // a statement that does nothing hurts nothing: every rule
        }
        String created = createdInTransaction != null ? createdInTransaction : createdInRun;
        if (created != null && relaxable) {
            return created;
        }
        return rule.lockBound() ? empty : null;
    }

    /** Whether a name stands twice in the statement's own list (ActedOn's relations are deduplicated). */
    private static boolean namedTwice(List<QualifiedName> tables) {
        Set<String> seen = new HashSet<>();
        for (QualifiedName t : tables) {
            if (t != null && !seen.add(t.name().text().toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /** A statement whose names are tables (or an index's table), which a temporary table of that name hides. */
    private static boolean actsOnTables(DdlStatement ddl) {
        return "TABLE".equals(ddl.objectType()) || "INDEX".equals(ddl.objectType()) || ddl.verb() == Verb.TRUNCATE;
    }

    /** Set.of(…).contains(null) throws: a DROP with no object type ("DROP" alone) has none. */
    private static boolean isOneOf(Set<String> types, String type) {
        return type != null && types.contains(type);
    }

    /** The names of a DROP … IF EXISTS that are not this run's and that the catalog says do not exist. */
    private static List<QualifiedName> absentUnderIfExists(
            DdlStatement ddl, List<QualifiedName> tables, Catalog catalog) {
        if (ddl.verb() != Verb.DROP
                || !ddl.has(Flag.IF_EXISTS)
                || !isOneOf(RELATIONS, ddl.objectType())
                || tables.size() < 2) {
            return List.of();
        }
        return tables.stream()
                .filter(t -> !catalog.createdInThisRun(t) && Boolean.FALSE.equals(catalog.exists(ddl.objectType(), t)))
                .toList();
    }

    private static String missing(DdlStatement ddl, Catalog catalog, Predicate<QualifiedName> createdEarlier) {
        if (ddl.is(Verb.ALTER, "TABLE") && ddl.has(Flag.IF_EXISTS) && ddl.table() != null) {
            // ALTER TABLE IF EXISTS of a table that is not there: skipped with a notice (an idempotent script's)
            return !createdEarlier.test(ddl.table()) && Boolean.FALSE.equals(catalog.exists("TABLE", ddl.table()))
                    ? "no table named " + ddl.table().toSql()
                            + " exists: IF EXISTS makes this a no-op that locks nothing"
                    : null;
        }
        if (ddl.verb() != Verb.DROP
                || !ddl.has(Flag.IF_EXISTS)
                || !(isOneOf(RELATIONS, ddl.objectType()) || isOneOf(SCHEMAS, ddl.objectType()))
                || ddl.names().isEmpty()) {
            return null;
        }
        for (QualifiedName name : ddl.names()) {
            if (!Boolean.FALSE.equals(catalog.exists(ddl.objectType(), name))) {
                return null; // exists, or unknown: judged as usual
            }
        }
        return "no " + ddl.objectType().toLowerCase(Locale.ROOT) + " named " + names(ddl.names())
                + " exists: IF EXISTS makes this a no-op that locks nothing";
    }

    private static String names(List<QualifiedName> names) {
        return String.join(", ", names.stream().map(QualifiedName::toSql).toList());
    }
}
