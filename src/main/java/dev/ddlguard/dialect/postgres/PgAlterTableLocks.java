package dev.ddlguard.dialect.postgres;

import static dev.ddlguard.dialect.postgres.PgLockText.containsRun;
import static dev.ddlguard.dialect.postgres.PgLockText.nameAfter;
import static dev.ddlguard.dialect.postgres.PgLockText.same;
import static dev.ddlguard.dialect.postgres.PgLockText.single;
import static dev.ddlguard.dialect.postgres.PgLockText.withOthers;
import static dev.ddlguard.dialect.postgres.PgLockText.words;
import static dev.ddlguard.dialect.postgres.PostgresLockModel.ACCESS_EXCLUSIVE;
import static dev.ddlguard.dialect.postgres.PostgresLockModel.SHARE_ROW_EXCLUSIVE;
import static dev.ddlguard.dialect.postgres.PostgresLockModel.SHARE_UPDATE_EXCLUSIVE;
import static dev.ddlguard.dialect.postgres.PostgresLockModel.lock;
import static dev.ddlguard.dialect.postgres.PostgresLockModel.strength;
import static dev.ddlguard.rules.LockImpact.NOTHING;
import static dev.ddlguard.rules.LockImpact.READS_AND_WRITES;
import static dev.ddlguard.rules.LockImpact.WRITES;

import dev.ddlguard.rules.LockImpact;
import dev.ddlguard.rules.LockImpact.OtherTable;
import dev.ddlguard.rules.LockImpact.Work;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.ColumnDefinition;
import dev.ddlguard.sql.Constraint;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.FunctionCalls;
import dev.ddlguard.sql.SqlSyntax;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PostgreSQL's locks for ALTER TABLE, action by action (ALTER TABLE reference page: each subcommand names its
 * lock; a volatile default, an identity or a stored generated column rewrites the table), and for all the
 * actions of one statement together: the strongest mode, the longest work, every other table.
 */
final class PgAlterTableLocks {

    /**
     * Built-in volatile functions common in defaults, whose call in an added column's DEFAULT rewrites the table
     * (ALTER TABLE, Notes); others are asked of pg_proc when connected. One list for the lock model and
     * add-column-rewrites-table. uuidv4/uuidv7 are PostgreSQL 18's, random_normal 16's.
     */
    static final Set<String> VOLATILE_FUNCTIONS = Set.of(
            "random",
            "random_normal",
            "gen_random_uuid",
            "uuidv4",
            "uuidv7",
            "uuid_generate_v1",
            "uuid_generate_v1mc",
            "uuid_generate_v4",
            "clock_timestamp",
            "timeofday",
            "nextval",
            "setseed",
            "txid_current");

    /** The forms of an ALTER TABLE action the classifier leaves as OTHER: words in order, then the lock. */
    private record Form(List<String> words, LockImpact impact) {}

    private static final List<Form> OTHER_ACTIONS = List.of(
            new Form(List.of("NO", "INHERIT"), lock(ACCESS_EXCLUSIVE, Work.METADATA)),
            // ALTER TABLE reference page: these name SHARE UPDATE EXCLUSIVE or SHARE ROW EXCLUSIVE explicitly.
            new Form(List.of("SET", "STATISTICS"), lock(SHARE_UPDATE_EXCLUSIVE, Work.METADATA)),
            new Form(List.of("CLUSTER", "ON"), lock(SHARE_UPDATE_EXCLUSIVE, Work.METADATA)),
            new Form(List.of("SET", "WITHOUT", "CLUSTER"), lock(SHARE_UPDATE_EXCLUSIVE, Work.METADATA)),
            new Form(List.of("ENABLE", "TRIGGER"), lock(SHARE_ROW_EXCLUSIVE, Work.METADATA)),
            new Form(List.of("ENABLE", "REPLICA", "TRIGGER"), lock(SHARE_ROW_EXCLUSIVE, Work.METADATA)),
            new Form(List.of("ENABLE", "ALWAYS", "TRIGGER"), lock(SHARE_ROW_EXCLUSIVE, Work.METADATA)),
            new Form(List.of("DISABLE", "TRIGGER"), lock(SHARE_ROW_EXCLUSIVE, Work.METADATA)),
            new Form(List.of("SET", "ACCESS", "METHOD"), lock(ACCESS_EXCLUSIVE, Work.REWRITE)),
            // 17+: a stored generated column's new expression is computed for every row, in a new file. (18's virtual
            // columns are not rewritten; only the catalog knows the kind, so the model assumes the stored one.)
            new Form(List.of("SET", "EXPRESSION"), lock(ACCESS_EXCLUSIVE, Work.REWRITE)));

    static LockImpact alterTable(DdlStatement s) {
        List<LockImpact> impacts = new ArrayList<>(s.actions().size());
        for (AlterAction action : s.actions()) {
            impacts.add(action(s, action));
        }
        return impacts.isEmpty() ? lock(ACCESS_EXCLUSIVE, Work.METADATA) : combine(impacts);
    }

    static LockImpact action(DdlStatement s, AlterAction a) {
        return switch (a.kind()) {
            case ADD_COLUMN -> addColumn(s, a, a.definition());
            case ALTER_COLUMN_TYPE -> lock(ACCESS_EXCLUSIVE, Work.REWRITE);
            case SET_NOT_NULL -> lock(ACCESS_EXCLUSIVE, Work.SCAN);
            case ADD_CONSTRAINT -> addConstraint(s, a.constraintDef(), notEnforced(s, a));
            case VALIDATE_CONSTRAINT -> lock(SHARE_UPDATE_EXCLUSIVE, Work.SCAN);
            // SET LOGGED / UNLOGGED / TABLESPACE copy the table into a new file (to its own tablespace: a no-op).
            case SET_LOGGED, SET_TABLESPACE -> lock(ACCESS_EXCLUSIVE, Work.REWRITE);
            // ALTER TABLE reference page: SHARE UPDATE EXCLUSIVE on the parent, ACCESS EXCLUSIVE on the new
            // partition, whose rows are checked against the bound unless a CHECK constraint proves it.
            case ATTACH_PARTITION ->
                withOthers(
                        lock(SHARE_UPDATE_EXCLUSIVE, Work.SCAN),
                        single(nameAfter(s, a, "PARTITION"), ACCESS_EXCLUSIVE),
                        s.table());
            // DETACH: ACCESS EXCLUSIVE on both; CONCURRENTLY (and FINALIZE) SHARE UPDATE EXCLUSIVE on the parent.
            case DETACH_PARTITION ->
                withOthers(
                        lock(
                                words(s, a).contains("CONCURRENTLY")
                                                || words(s, a).contains("FINALIZE")
                                        ? SHARE_UPDATE_EXCLUSIVE
                                        : ACCESS_EXCLUSIVE,
                                Work.METADATA),
                        single(nameAfter(s, a, "PARTITION"), ACCESS_EXCLUSIVE),
                        s.table());
            // INHERIT parent: SHARE UPDATE EXCLUSIVE on the parent (MergeAttributesIntoExisting).
            case OTHER ->
                words(s, a).size() > 1 && "INHERIT".equals(words(s, a).get(0))
                        ? withOthers(
                                lock(ACCESS_EXCLUSIVE, Work.METADATA),
                                single(nameAfter(s, a, "INHERIT"), SHARE_UPDATE_EXCLUSIVE),
                                s.table())
                        : other(words(s, a));
            default -> lock(ACCESS_EXCLUSIVE, Work.METADATA);
        };
    }

    /**
     * ALTER TABLE, Notes: a volatile DEFAULT, an identity or serial column, or a generated (stored)
     * column rewrites the table; any other ADD COLUMN only changes the catalog. REFERENCES locks the parent.
     */
    private static LockImpact addColumn(DdlStatement s, AlterAction a, ColumnDefinition d) {
        Work work = Work.METADATA;
        if (d != null && (d.identity() || storedGenerated(s, a, d) || volatileDefault(d.defaultExpr()))) {
            work = Work.REWRITE;
        } else if (d != null && (d.primaryKey() || d.unique())) {
            work = Work.INDEX_BUILD;
        } else if (d != null && d.notNull() && !d.hasDefault()) {
            work = Work.SCAN;
        } else if (d != null && containsRun(words(s, a), List.of("CHECK", "("))) {
            work = Work.SCAN; // the new column's CHECK is verified row by row, even on the NULLs it has
        } else if (d != null && d.checksParentRows()) {
            // an inline foreign key whose DEFAULT fills every row is validated against the parent row by row (3M
            // rows: 0.4 to 1.4 s under ACCESS EXCLUSIVE, measured on 15); all NULL, it is not checked at all (2 ms)
            work = Work.SCAN;
        }
        LockImpact impact = lock(ACCESS_EXCLUSIVE, work);
        if (d != null && d.references() != null && !same(d.references(), s.table())) {
            impact = impact.alsoLocking(new OtherTable(d.references().toSql(), SHARE_ROW_EXCLUSIVE));
        }
        return impact;
    }

    /**
     * A generated column whose values are written: STORED (mandatory before 18). PostgreSQL 18's virtual columns
     * (VIRTUAL, the default there) are computed on read, so adding one writes nothing.
     */
    static boolean storedGenerated(DdlStatement s, AlterAction a, ColumnDefinition d) {
        return d != null && d.generated() && words(s, a).contains("STORED");
    }

    /** CHECK or FOREIGN KEY … NOT ENFORCED (18+): never checked, so never scanned. */
    static boolean notEnforced(DdlStatement s, AlterAction a) {
        return containsRun(words(s, a), List.of("NOT", "ENFORCED"));
    }

    static boolean volatileDefault(String expression) {
        if (expression == null) {
            return false;
        }
        for (String function : FunctionCalls.in(expression, SqlSyntax.POSTGRESQL)) {
            if (VOLATILE_FUNCTIONS.contains(function)) {
                return true;
            }
        }
        return false;
    }

    /**
     * ALTER TABLE reference page: ADD FOREIGN KEY takes SHARE ROW EXCLUSIVE on both tables; NOT VALID
     * skips the scan; ADD … USING INDEX adopts a built index (PRIMARY KEY may still check NOT NULL).
     */
    private static LockImpact addConstraint(DdlStatement s, Constraint c, boolean notEnforced) {
        if (c == null) {
            return lock(ACCESS_EXCLUSIVE, Work.SCAN);
        }
        boolean unchecked = c.notValid() || notEnforced;
        return switch (c.kind()) {
            case "FOREIGN KEY" ->
                withOthers(
                        lock(SHARE_ROW_EXCLUSIVE, unchecked ? Work.METADATA : Work.SCAN),
                        single(c.references(), SHARE_ROW_EXCLUSIVE),
                        s.table());
            case "UNIQUE" -> lock(ACCESS_EXCLUSIVE, c.usingIndex() != null ? Work.METADATA : Work.INDEX_BUILD);
            case "PRIMARY KEY" -> lock(ACCESS_EXCLUSIVE, c.usingIndex() != null ? Work.SCAN : Work.INDEX_BUILD);
            case "EXCLUDE" -> lock(ACCESS_EXCLUSIVE, Work.INDEX_BUILD);
            default -> lock(ACCESS_EXCLUSIVE, unchecked ? Work.METADATA : Work.SCAN);
        };
    }

    private static LockImpact other(List<String> words) {
        if (containsRun(words, List.of("SET", "(")) || containsRun(words, List.of("RESET", "("))) {
            // Storage parameters (reloptions): SHARE UPDATE EXCLUSIVE, except user_catalog_table.
            return words.contains("USER_CATALOG_TABLE")
                    ? lock(ACCESS_EXCLUSIVE, Work.METADATA)
                    : lock(SHARE_UPDATE_EXCLUSIVE, Work.METADATA);
        }
        for (Form form : OTHER_ACTIONS) {
            if (containsRun(words, form.words())) {
                return form.impact();
            }
        }
        return lock(ACCESS_EXCLUSIVE, Work.METADATA);
    }

    /** Two actions' locks on one table: the stronger mode, the longer work, every other table. */
    static LockImpact combine(LockImpact x, LockImpact y) {
        return combine(List.of(x, y));
    }

    /** Every action's lock at once (combining pairwise re-merged the other tables per action: quadratic). */
    static LockImpact combine(List<LockImpact> impacts) {
        LockImpact x = impacts.get(0);
        String mode = x.mode();
        boolean reads = false;
        boolean writes = false;
        Work work = x.work();
        Map<String, String> others = new LinkedHashMap<>();
        for (LockImpact y : impacts) {
            mode = strength(y.mode()) > strength(mode) ? y.mode() : mode;
            reads |= y.blocks().contains("reads");
            writes |= y.blocks().contains("writes");
            work = weight(y.work()) > weight(work) ? y.work() : work;
            for (OtherTable o : y.otherTables()) {
                others.merge(o.table(), o.mode(), (p, q) -> strength(q) > strength(p) ? q : p);
            }
        }
        List<String> blocks = reads ? READS_AND_WRITES : writes ? WRITES : NOTHING;
        List<OtherTable> all = new ArrayList<>(others.size());
        for (Map.Entry<String, String> o : others.entrySet()) {
            all.add(new OtherTable(o.getKey(), o.getValue()));
        }
        return LockImpact.of(mode, blocks, work).alsoLocking(all);
    }

    static int weight(Work work) {
        return work == null
                ? -1
                : switch (work) {
                    case METADATA -> 0;
                    case SCAN -> 1;
                    case INDEX_BUILD -> 2;
                    case REWRITE -> 3;
                };
    }

    private PgAlterTableLocks() {}
}
