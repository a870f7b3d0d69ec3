package dev.ddlguard.dialect.postgres;

import dev.ddlguard.policy.Action;
import dev.ddlguard.rules.Rewrite;
import dev.ddlguard.rules.Rewrite.TextEdit;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.rules.Rule.Advice;
import dev.ddlguard.rules.RuleContext;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.AlterAction.Kind;
import dev.ddlguard.sql.Constraint;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.Verb;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Constraints are added, then validated: checking existing rows under the lock of ADD CONSTRAINT
 * blocks writes (FOREIGN KEY, on both tables) or everything (CHECK) for a full scan. Manual: ALTER
 * TABLE, "NOT VALID" and "VALIDATE CONSTRAINT"; "ADD table_constraint_using_index".
 */
final class ConstraintRules {

    private static final String SEPARATE_TRANSACTIONS =
            "NOT VALID and VALIDATE CONSTRAINT must commit separately, or the validation scan runs under the "
                    + "first statement's lock: run this migration outside a transaction, or split it into two migrations";

    private ConstraintRules() {}

    static final Rule CONSTRAINT_MISSING_NOT_VALID = Rule.builder("constraint-missing-not-valid")
            .defaultAction(Action.REWRITE)
            .lockBound()
            .lock(
                    "FOREIGN KEY: SHARE ROW EXCLUSIVE on both tables, blocks writes; CHECK: ACCESS EXCLUSIVE, blocks reads and writes; for a full scan (VALIDATE: SHARE UPDATE EXCLUSIVE)")
            .reason("adding a FOREIGN KEY or CHECK validates every existing row while holding its lock: a FOREIGN KEY "
                    + "blocks writes to both tables, a CHECK blocks reads and writes, for a full scan")
            .safeAlternative("add it NOT VALID (a brief lock, new rows are checked), then VALIDATE CONSTRAINT in its "
                    + "own transaction (SHARE UPDATE EXCLUSIVE: reads and writes go on)")
            .on(Verb.ALTER, Verb.RENAME)
            .matches((s, c) -> {
                List<AlterAction> found = unvalidated(s);
                return found.isEmpty()
                        ? null
                        : "adds " + found.get(0).constraint()
                                + (found.get(0).constraintDef().references() != null
                                        ? " to " + found.get(0).constraintDef().references()
                                        : "")
                                + " on " + s.table()
                                + " and validates it under the lock";
            })
            .advice((s, c) -> {
                if (PartitionedForeignKeys.refusedNotValid(s, c, unvalidated(s))) {
                    return PartitionedForeignKeys.partitionsFirst(s, unvalidated(s));
                }
                Rewrite rewrite = notValidThenValidate(s, c.catalog().constraintNames(s.table()));
                return new Advice(
                        rewrite.apply(s.text()) + ";\n" + String.join(";\n", rewrite.followUps()) + ";", rewrite);
            })
            .build();

    static final Rule REQUIRE_UNIQUE_INDEX_FIRST = Rule.builder("require-unique-index-first")
            .defaultAction(Action.REWRITE)
            .lockBound()
            .lock("ACCESS EXCLUSIVE for the index build: blocks reads and writes (USING INDEX: brief ACCESS EXCLUSIVE)")
            .reason("adding a UNIQUE or PRIMARY KEY constraint builds its index under ACCESS EXCLUSIVE, blocking "
                    + "reads and writes for the whole build (NOT VALID does not exist for these)")
            .safeAlternative("CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … USING INDEX (a brief lock); a "
                    + "PRIMARY KEY also needs its columns NOT NULL first, or the ADD scans for nulls")
            .on(Verb.ALTER, Verb.RENAME)
            .matches((s, c) -> {
                AlterAction a = uniqueToBuild(s);
                return a == null
                        ? null
                        : "adds " + a.constraint() + " ("
                                + PgNames.columnList(a.constraintDef().columns()) + ") to " + s.table()
                                + ", building its index under ACCESS EXCLUSIVE";
            })
            // Not asked for a table this run created: the rule is exempt for it (Exemption), so no advice is shown.
            .advice((s, c) -> s.table() != null
                            && !c.catalog().createdInThisRun(s.table())
                            && "p".equals(c.catalog().relationKind(s.table()))
                    ? indexFirstOnEachPartition(s)
                    : indexFirst(s))
            .build();

    static final Rule SET_NOT_NULL = Rule.builder("set-not-null")
            .defaultAction(Action.BLOCK)
            .lockBound()
            .lock("ACCESS EXCLUSIVE for a full scan: blocks reads and writes")
            .reason("SET NOT NULL scans the whole table under ACCESS EXCLUSIVE, blocking reads and writes")
            .safeAlternative("add CHECK (column IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL (PostgreSQL 12+ "
                    + "uses the validated check and skips the scan), then drop the check")
            .on(Verb.ALTER, Verb.RENAME)
            .matches((s, c) -> {
                AlterAction set = scanningSetNotNull(s, c);
                if (set != null) {
                    return "sets NOT NULL on " + s.table() + "." + set.column();
                }
                List<Identifier> nullable = nullableKeyColumns(s, c);
                return nullable.isEmpty()
                        ? null
                        : "adds a primary key to " + s.table() + " using an index whose column"
                                + (nullable.size() > 1 ? "s " : " ") + PgNames.columnList(nullable)
                                + (nullable.size() > 1 ? " are" : " is")
                                + " nullable: PostgreSQL sets NOT NULL on " + (nullable.size() > 1 ? "them" : "it")
                                + " first, scanning the table";
            })
            .advice((s, c) -> scanningSetNotNull(s, c) != null
                    ? notNullViaCheck(s, scanningSetNotNull(s, c), c.atLeast(12))
                    : primaryKeyAfterChecks(s, nullableKeyColumns(s, c)))
            .build();

    /** This pack's rules, in the order they are reported: a new rule of the pack is listed here. */
    static final List<Rule> ALL = List.of(CONSTRAINT_MISSING_NOT_VALID, REQUIRE_UNIQUE_INDEX_FIRST, SET_NOT_NULL);

    /**
     * ADD CONSTRAINT … PRIMARY KEY USING INDEX (the last step of require-unique-index-first) sets the index's
     * nullable columns NOT NULL, each with a scan under ACCESS EXCLUSIVE unless a validated CHECK proves it
     * (PostgreSQL 12+). The columns come from the live catalog; unknown (offline): none.
     */
    private static List<Identifier> nullableKeyColumns(DdlStatement s, RuleContext c) {
        for (AlterAction a : s.actions()) {
            if (s.table() != null
                    && a.kind() == Kind.ADD_CONSTRAINT
                    && "PRIMARY KEY".equals(a.constraint())
                    && a.constraintDef() != null
                    && a.constraintDef().usingIndex() != null) {
                List<String> nullable = c.catalog()
                        .nullableIndexColumns(s.table(), a.constraintDef().usingIndex());
                if (nullable == null) {
                    return List.of();
                }
                return nullable.stream()
                        .map(n -> new Identifier(n, !n.matches("[a-z_][a-z0-9_$]*")))
                        .filter(column -> !(c.atLeast(12) && provenNotNull(s, column, c)))
                        .toList();
            }
        }
        return List.of();
    }

    /** ADD CONSTRAINT check CHECK (column IS NOT NULL) NOT VALID, then its VALIDATE: what lets a SET NOT NULL skip its scan (12+). */
    private static List<String> notNullCheck(String table, Identifier column, Identifier check) {
        return List.of(
                "ALTER TABLE " + table + " ADD CONSTRAINT " + check.toSql() + " CHECK (" + column.toSql()
                        + " IS NOT NULL) NOT VALID",
                "ALTER TABLE " + table + " VALIDATE CONSTRAINT " + check.toSql());
    }

    /** A validated CHECK (column IS NOT NULL) per nullable key column first, so that the key's SET NOT NULL skips its scan (12+). */
    private static Advice primaryKeyAfterChecks(DdlStatement s, List<Identifier> nullable) {
        String t = s.table().toSql();
        List<String> steps = new ArrayList<>();
        List<String> drops = new ArrayList<>();
        for (Identifier column : nullable) {
            Identifier check = PgNames.constraintName(s.table(), List.of(column), "not_null");
            steps.addAll(notNullCheck(t, column, check));
            drops.add(
                    "/* ddlguard:allow drop-constraint the primary key makes this helper check redundant */ ALTER TABLE "
                            + t + " DROP CONSTRAINT " + check.toSql());
        }
        steps.add(s.code());
        steps.addAll(drops);
        return new Advice(String.join(";\n", steps) + ";", null);
    }

    /**
     * PostgreSQL 12+ skips the scan when a validated CHECK (col IS NOT NULL) already proves it (ALTER TABLE,
     * "SET/DROP NOT NULL"): the last step of the safe path is itself safe.
     */
    private static boolean provenNotNull(DdlStatement s, Identifier id, RuleContext c) {
        String column = id.quoted() ? id.toSql() : PgNames.folded(id);
        String wanted = column + " IS NOT NULL";
        // the whole check, nothing else: CHECK (email IS NOT NULL OR n < 0) proves nothing, and a NO INHERIT one
        // nothing of the children (an outside tester's; the server scanned)
        return c.catalog().validatedChecks(s.table()).stream().anyMatch(d -> wanted.equals(checkExpression(d)));
    }

    /** The expression of {@code CHECK ((expr))} as pg_get_constraintdef writes it, its outer parentheses gone; else null. */
    private static String checkExpression(String definition) {
        if (!definition.startsWith("CHECK ")) {
            return null;
        }
        String e = definition.substring(6).strip();
        while (e.startsWith("(") && e.endsWith(")") && enclosed(e)) {
            e = e.substring(1, e.length() - 1).strip();
        }
        return e;
    }

    /** Whether the first parenthesis closes at the last character (not "(a) OR (b)"). */
    private static boolean enclosed(String e) {
        int depth = 0;
        for (int i = 0; i < e.length(); i++) {
            depth += e.charAt(i) == '(' ? 1 : e.charAt(i) == ')' ? -1 : 0;
            if (depth == 0) {
                return i == e.length() - 1;
            }
        }
        return false;
    }

    /**
     * The first SET NOT NULL that scans the table: one no validated CHECK proves. A column NOT NULL already is not
     * taken as proof: its inheritance children may not be, and an earlier statement of the string may have dropped it
     * (an outside tester's; the server scanned both).
     */
    private static AlterAction scanningSetNotNull(DdlStatement s, RuleContext c) {
        for (AlterAction a : s.actions()) {
            if (a.kind() == Kind.SET_NOT_NULL && !(c.atLeast(12) && provenNotNull(s, a.column(), c))) {
                return a;
            }
        }
        return null;
    }

    private static List<AlterAction> unvalidated(DdlStatement s) {
        List<AlterAction> found = new ArrayList<>();
        for (AlterAction a : s.actions()) {
            Constraint k = a.constraintDef();
            // NOT ENFORCED (18+): never checked, nothing to validate.
            if (a.kind() == Kind.ADD_CONSTRAINT
                    && k != null
                    && !k.notValid()
                    && !PgAlterTableLocks.notEnforced(s, a)
                    && (k.kind().equals("FOREIGN KEY") || k.kind().equals("CHECK"))) {
                found.add(a);
            }
        }
        return s.table() == null ? List.of() : found;
    }

    /**
     * Splices NOT VALID after each constraint (naming unnamed ones, since VALIDATE needs the name) and validates
     * each after.
     *
     * @param taken the table's existing constraint names (from the catalog): PostgreSQL numbers a made-up
     *              name until it is free, and so must we, or the rewrite fails with "already exists"
     */
    private static Rewrite notValidThenValidate(DdlStatement s, Set<String> taken) {
        List<TextEdit> edits = new ArrayList<>();
        List<String> followUps = new ArrayList<>();
        List<String> undo = new ArrayList<>();
        Set<String> chosen = new HashSet<>(taken);
        for (AlterAction a : unvalidated(s)) {
            Constraint k = a.constraintDef();
            Identifier name = k.name();
            if (name == null) {
                // As PostgreSQL's ChooseConstraintName: <table>_<cols>_fkey, <table>_<col>_check for a CHECK on
                // exactly one column (else <table>_check), numbered 1, 2 … when taken within the statement.
                boolean fk = k.kind().equals("FOREIGN KEY");
                List<Identifier> columns = fk ? k.columns() : CheckColumn.of(s, a);
                String suffix = fk ? "fkey" : "check";
                name = PgNames.constraintName(s.table(), columns, suffix);
                for (int pass = 1; !chosen.add(name.text()); pass++) {
                    name = PgNames.constraintName(s.table(), columns, suffix + pass);
                }
                edits.add(new TextEdit(
                        a.start() + "ADD".length(), a.start() + "ADD".length(), " CONSTRAINT " + name.toSql()));
            }
            edits.add(new TextEdit(a.end(), a.end(), " NOT VALID"));
            followUps.add("ALTER TABLE " + s.table().toSql() + " VALIDATE CONSTRAINT " + name.toSql());
            undo.add("ALTER TABLE " + s.table().toSql() + " DROP CONSTRAINT IF EXISTS " + name.toSql());
        }
        return new Rewrite(edits, followUps, SEPARATE_TRANSACTIONS, undo);
    }

    private static AlterAction uniqueToBuild(DdlStatement s) {
        for (AlterAction a : s.actions()) {
            Constraint k = a.constraintDef();
            if (a.kind() == Kind.ADD_CONSTRAINT
                    && k != null
                    && k.usingIndex() == null
                    && (k.kind().equals("UNIQUE") || k.kind().equals("PRIMARY KEY"))) {
                return s.table() == null ? null : a;
            }
        }
        return null;
    }

    /**
     * A partitioned parent: PostgreSQL builds no index CONCURRENTLY on it and attaches no constraint USING INDEX
     * there (the rewrite was refused: "cannot create index on partitioned table concurrently"). Each partition gets
     * its own concurrent index and constraint first; the parent's ADD then attaches them instead of building (measured
     * on 15: the partitions' index files unchanged), under a brief lock. No rewrite: it is one step per partition.
     */
    private static Advice indexFirstOnEachPartition(DdlStatement s) {
        Constraint k = uniqueToBuild(s).constraintDef();
        Identifier name = constraintName(s, k);
        String columns = k.columns().isEmpty() ? "<columns>" : PgNames.columnList(k.columns());
        return new Advice(
                "-- " + s.table().toSql() + " is partitioned: for each partition p, build and attach its own first\n"
                        + "CREATE UNIQUE INDEX CONCURRENTLY p_" + name.text() + " ON p (" + columns + ");\n"
                        + "ALTER TABLE p ADD CONSTRAINT p_" + name.text() + " " + k.kind() + " USING INDEX p_"
                        + name.text() + ";\n"
                        + "-- then the parent's constraint attaches them instead of building\n"
                        + "/* ddlguard:allow require-unique-index-first every partition has its constraint: this "
                        + "attaches them */ ALTER TABLE " + s.table().toSql() + " ADD CONSTRAINT " + name.toSql() + " "
                        + k.kind()
                        + " (" + columns + ");",
                null);
    }

    private static Identifier constraintName(DdlStatement s, Constraint k) {
        boolean primary = k.kind().equals("PRIMARY KEY");
        return k.name() != null
                ? k.name()
                : PgNames.constraintName(s.table(), primary ? List.of() : k.columns(), primary ? "pkey" : "key");
    }

    /** The whole statement becomes the concurrent index build; attaching it as the constraint follows. */
    private static Advice indexFirst(DdlStatement s) {
        AlterAction a = uniqueToBuild(s);
        Constraint k = a.constraintDef();
        Identifier name = constraintName(s, k);
        String columns = k.columns().isEmpty() ? "<columns>" : PgNames.columnList(k.columns());
        String build = "CREATE UNIQUE INDEX CONCURRENTLY " + name.toSql() + " ON "
                + s.table().toSql() + " (" + columns + ")";
        String attach = "ALTER TABLE " + s.table().toSql() + " ADD CONSTRAINT " + name.toSql() + " " + k.kind()
                + " USING INDEX " + name.toSql();
        String safeSql = build + ";\n" + attach + ";";
        // Rebuilt from its parts, so only a plain constraint that is the statement's only action can be rewritten.
        if (s.actions().size() != 1 || !k.plain() || k.columns().isEmpty()) {
            return new Advice(safeSql, null);
        }
        int from = s.text().codeStart();
        Rewrite rewrite = new Rewrite(
                List.of(new TextEdit(from, s.text().end(), build)),
                List.of(attach),
                IndexRules.NEEDS_AUTOCOMMIT,
                List.of("DROP INDEX CONCURRENTLY IF EXISTS " + name.toSql()));
        return new Advice(safeSql, rewrite);
    }

    /** PostgreSQL 12+: a validated CHECK (col IS NOT NULL) lets SET NOT NULL skip its scan. */
    private static Advice notNullViaCheck(DdlStatement s, AlterAction a, boolean skipsScan) {
        String t = s.table().toSql();
        Identifier check = PgNames.constraintName(s.table(), List.of(a.column()), "not_null");
        List<String> building = new ArrayList<>(notNullCheck(t, a.column(), check));
        building.add("ALTER TABLE " + t + " ALTER COLUMN " + a.column().toSql() + " SET NOT NULL");
        building.add("ALTER TABLE " + t + " DROP CONSTRAINT " + check.toSql());
        List<String> steps = List.copyOf(building);
        // printed for the user to run, the last step carries its allow comment; the guard's own rewrite needs none
        List<String> printed = new ArrayList<>(steps);
        printed.set(
                3,
                "/* ddlguard:allow drop-constraint the NOT NULL column makes this helper check redundant */ "
                        + steps.get(3));
        String safeSql = String.join(";\n", printed) + ";"
                + (skipsScan ? "" : "\n-- before PostgreSQL 12 the SET NOT NULL still scans");
        if (!skipsScan || s.actions().size() != 1) {
            return new Advice(safeSql, null);
        }
        Rewrite rewrite = new Rewrite(
                List.of(new TextEdit(s.text().codeStart(), s.text().end(), steps.get(0))),
                steps.subList(1, steps.size()),
                SEPARATE_TRANSACTIONS,
                List.of("ALTER TABLE " + t + " DROP CONSTRAINT IF EXISTS " + check.toSql()));
        return new Advice(safeSql, rewrite);
    }
}
