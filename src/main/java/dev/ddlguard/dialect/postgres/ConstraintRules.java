package dev.ddlguard.dialect.postgres;

import dev.ddlguard.policy.Action;
import dev.ddlguard.rules.Rewrite;
import dev.ddlguard.rules.Rewrite.TextEdit;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.rules.Rule.Advice;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.AlterAction.Kind;
import dev.ddlguard.sql.Constraint;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Identifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Constraints are added, then validated: checking existing rows under the lock of ADD CONSTRAINT
 * blocks writes (FOREIGN KEY, on both tables) or everything (CHECK) for a full scan. Manual: ALTER
 * TABLE, "NOT VALID" and "VALIDATE CONSTRAINT"; "ADD table_constraint_using_index".
 */
final class ConstraintRules {

    private static final String SEPARATE_TRANSACTIONS =
            "NOT VALID and VALIDATE CONSTRAINT must commit separately, or the validation scan runs under the "
                    + "first statement's lock: run this migration outside a transaction, or split it into two migrations";

    private ConstraintRules() {
    }

    static final Rule CONSTRAINT_MISSING_NOT_VALID = Rule.builder("constraint-missing-not-valid")
            .defaultAction(Action.REWRITE)
            .lockBound()
            .lock("FOREIGN KEY: SHARE ROW EXCLUSIVE on both tables, blocks writes; CHECK: ACCESS EXCLUSIVE, blocks reads and writes; for a full scan (VALIDATE: SHARE UPDATE EXCLUSIVE)")
            .reason("adding a FOREIGN KEY or CHECK validates every existing row while holding its lock: a FOREIGN KEY "
                    + "blocks writes to both tables, a CHECK blocks reads and writes, for a full scan")
            .safeAlternative("add it NOT VALID (a brief lock, new rows are checked), then VALIDATE CONSTRAINT in its "
                    + "own transaction (SHARE UPDATE EXCLUSIVE: reads and writes go on)")
            .matches((s, c) -> {
                List<AlterAction> found = unvalidated(s);
                return found.isEmpty() ? null : "adds " + found.get(0).constraint()
                        + (found.get(0).constraintDef().references() != null
                        ? " to " + found.get(0).constraintDef().references() : "") + " on " + s.table()
                        + " and validates it under the lock";
            })
            .advice((s, c) -> {
                Rewrite rewrite = notValidThenValidate(s);
                return new Advice(rewrite.apply(s.text()) + ";\n" + String.join(";\n", rewrite.followUps()) + ";", rewrite);
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
            .matches((s, c) -> {
                AlterAction a = uniqueToBuild(s);
                return a == null ? null : "adds " + a.constraint() + " (" + PgNames.columnList(a.constraintDef().columns())
                        + ") to " + s.table() + ", building its index under ACCESS EXCLUSIVE";
            })
            .advice((s, c) -> indexFirst(s))
            .build();

    static final Rule SET_NOT_NULL = Rule.builder("set-not-null")
            .defaultAction(Action.BLOCK)
            .lockBound()
            .lock("ACCESS EXCLUSIVE for a full scan: blocks reads and writes")
            .reason("SET NOT NULL scans the whole table under ACCESS EXCLUSIVE, blocking reads and writes")
            .safeAlternative("add CHECK (column IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL (PostgreSQL 12+ "
                    + "uses the validated check and skips the scan), then drop the check")
            .matches((s, c) -> s.actions().stream().filter(a -> a.kind() == Kind.SET_NOT_NULL).findFirst()
                    .map(a -> "sets NOT NULL on " + s.table() + "." + a.column()).orElse(null))
            .advice((s, c) -> notNullViaCheck(s, c.atLeast(12)))
            .build();

    private static List<AlterAction> unvalidated(DdlStatement s) {
        List<AlterAction> found = new ArrayList<>();
        for (AlterAction a : s.actions()) {
            Constraint k = a.constraintDef();
            if (a.kind() == Kind.ADD_CONSTRAINT && k != null && !k.notValid()
                    && (k.kind().equals("FOREIGN KEY") || k.kind().equals("CHECK"))) {
                found.add(a);
            }
        }
        return s.table() == null ? List.of() : found;
    }

    /** Splices NOT VALID after each constraint (naming unnamed ones, since VALIDATE needs the name) and validates each after. */
    private static Rewrite notValidThenValidate(DdlStatement s) {
        List<TextEdit> edits = new ArrayList<>();
        List<String> followUps = new ArrayList<>();
        int checks = 0;
        for (AlterAction a : unvalidated(s)) {
            Constraint k = a.constraintDef();
            Identifier name = k.name();
            if (name == null) {
                name = k.kind().equals("FOREIGN KEY")
                        ? PgNames.constraintName(s.table(), k.columns(), "fkey")
                        : PgNames.constraintName(s.table(), List.of(), checks++ == 0 ? "check" : "check" + checks);
                edits.add(new TextEdit(a.start() + "ADD".length(), a.start() + "ADD".length(), " CONSTRAINT " + name.toSql()));
            }
            edits.add(new TextEdit(a.end(), a.end(), " NOT VALID"));
            followUps.add("ALTER TABLE " + s.table().toSql() + " VALIDATE CONSTRAINT " + name.toSql());
        }
        return new Rewrite(edits, followUps, SEPARATE_TRANSACTIONS);
    }

    private static AlterAction uniqueToBuild(DdlStatement s) {
        for (AlterAction a : s.actions()) {
            Constraint k = a.constraintDef();
            if (a.kind() == Kind.ADD_CONSTRAINT && k != null && k.usingIndex() == null
                    && (k.kind().equals("UNIQUE") || k.kind().equals("PRIMARY KEY"))) {
                return s.table() == null ? null : a;
            }
        }
        return null;
    }

    /** The whole statement becomes the concurrent index build; attaching it as the constraint follows. */
    private static Advice indexFirst(DdlStatement s) {
        AlterAction a = uniqueToBuild(s);
        Constraint k = a.constraintDef();
        boolean primary = k.kind().equals("PRIMARY KEY");
        Identifier name = k.name() != null ? k.name()
                : PgNames.constraintName(s.table(), primary ? List.of() : k.columns(), primary ? "pkey" : "key");
        String columns = k.columns().isEmpty() ? "<columns>" : PgNames.columnList(k.columns());
        String build = "CREATE UNIQUE INDEX CONCURRENTLY " + name.toSql() + " ON " + s.table().toSql() + " (" + columns + ")";
        String attach = "ALTER TABLE " + s.table().toSql() + " ADD CONSTRAINT " + name.toSql() + " " + k.kind()
                + " USING INDEX " + name.toSql();
        String safeSql = build + ";\n" + attach + ";";
        // Rebuilt from its parts, so only a plain constraint that is the statement's only action can be rewritten.
        if (s.actions().size() != 1 || !k.plain() || k.columns().isEmpty()) {
            return new Advice(safeSql, null);
        }
        int from = PgNames.codeStart(s);
        Rewrite rewrite = new Rewrite(List.of(new TextEdit(from, s.text().end(), build)), List.of(attach),
                IndexRules.NEEDS_AUTOCOMMIT);
        return new Advice(safeSql, rewrite);
    }

    /** PostgreSQL 12+: a validated CHECK (col IS NOT NULL) lets SET NOT NULL skip its scan. */
    private static Advice notNullViaCheck(DdlStatement s, boolean skipsScan) {
        AlterAction a = s.actions().stream().filter(x -> x.kind() == Kind.SET_NOT_NULL).findFirst().orElseThrow();
        String t = s.table().toSql();
        Identifier check = PgNames.constraintName(s.table(), List.of(a.column()), "not_null");
        List<String> steps = List.of(
                "ALTER TABLE " + t + " ADD CONSTRAINT " + check.toSql() + " CHECK (" + a.column().toSql() + " IS NOT NULL) NOT VALID",
                "ALTER TABLE " + t + " VALIDATE CONSTRAINT " + check.toSql(),
                "ALTER TABLE " + t + " ALTER COLUMN " + a.column().toSql() + " SET NOT NULL",
                "ALTER TABLE " + t + " DROP CONSTRAINT " + check.toSql());
        String safeSql = String.join(";\n", steps) + ";" + (skipsScan ? "" : "\n-- before PostgreSQL 12 the SET NOT NULL still scans");
        if (!skipsScan || s.actions().size() != 1) {
            return new Advice(safeSql, null);
        }
        Rewrite rewrite = new Rewrite(List.of(new TextEdit(PgNames.codeStart(s), s.text().end(), steps.get(0))),
                steps.subList(1, steps.size()), SEPARATE_TRANSACTIONS);
        return new Advice(safeSql, rewrite);
    }
}
