package dev.ddlguard.dialect.postgres;

import dev.ddlguard.policy.Action;
import dev.ddlguard.rules.Rewrite;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.rules.Rule.Advice;
import dev.ddlguard.rules.RuleContext;
import dev.ddlguard.rules.StatementWords;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.AlterAction.Kind;
import dev.ddlguard.sql.ColumnDefinition;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.DdlStatement.Flag;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.Verb;
import java.util.List;

/**
 * Statements that hold a blocking lock for a build, a refresh or a validation, and that no other rule
 * names: a column added with an inline UNIQUE or PRIMARY KEY, an EXCLUDE constraint, CREATE TRIGGER,
 * a plain REFRESH MATERIALIZED VIEW, a VALIDATE in the transaction that added the constraint, and a domain
 * constraint checked in every table that uses the domain.
 * Manual: ALTER TABLE (lock levels per subcommand), CREATE TRIGGER, REFRESH MATERIALIZED VIEW.
 */
final class LockHeavyRules {

    private LockHeavyRules() {}

    static final Rule ADD_COLUMN_BUILDS_INDEX = Rule.builder("add-column-builds-index")
            .defaultAction(Action.BLOCK)
            .lockBound()
            .lock("ACCESS EXCLUSIVE for the index build: blocks reads and writes")
            .reason("a column added with UNIQUE or PRIMARY KEY builds its index in the same statement, under the "
                    + "ACCESS EXCLUSIVE lock of ADD COLUMN: no reads or writes until the build is done")
            .safeAlternative("add the column without the key, CREATE UNIQUE INDEX CONCURRENTLY on it, then ADD "
                    + "CONSTRAINT … UNIQUE (or PRIMARY KEY) USING INDEX, a brief lock")
            .on(Verb.ALTER, Verb.RENAME)
            .matches((s, c) -> {
                AlterAction a = keyedColumn(s);
                return a == null
                        ? null
                        : "adds column " + a.column() + " to " + s.table() + " with "
                                + (a.definition().primaryKey() ? "PRIMARY KEY" : "UNIQUE")
                                + ", building its index under ACCESS EXCLUSIVE";
            })
            .advice((s, c) -> {
                AlterAction a = keyedColumn(s);
                String t = s.table().toSql();
                Identifier index = PgNames.constraintName(
                        s.table(), List.of(a.column()), a.definition().primaryKey() ? "pkey" : "key");
                String kind = a.definition().primaryKey() ? "PRIMARY KEY" : "UNIQUE";
                return new Advice(
                        "ALTER TABLE " + t + " ADD COLUMN " + a.column().toSql() + " "
                                + (a.definition().type() == null
                                        ? "<type>"
                                        : a.definition().type()) + ";\n"
                                + "CREATE UNIQUE INDEX CONCURRENTLY " + index.toSql() + " ON " + t + " ("
                                + a.column().toSql() + ");\n"
                                + "ALTER TABLE " + t + " ADD CONSTRAINT " + index.toSql() + " " + kind + " USING INDEX "
                                + index.toSql() + ";",
                        null);
            })
            .build();

    static final Rule ADD_EXCLUSION_CONSTRAINT = Rule.builder("add-exclusion-constraint")
            .defaultAction(Action.BLOCK)
            .lockBound()
            .lock("ACCESS EXCLUSIVE for the index build: blocks reads and writes")
            .reason("ADD CONSTRAINT … EXCLUDE builds its index and checks every row under ACCESS EXCLUSIVE; unlike "
                    + "UNIQUE it cannot adopt an index built CONCURRENTLY")
            .safeAlternative("a maintenance window; or enforce the rule with a trigger on new rows first and add the "
                    + "constraint while the table is small")
            .on(Verb.ALTER, Verb.RENAME)
            .matches((s, c) -> s.table() == null
                    ? null
                    : s.actions().stream()
                            .filter(a -> a.kind() == Kind.ADD_CONSTRAINT && "EXCLUDE".equals(a.constraint()))
                            .findFirst()
                            .map(a -> "adds an EXCLUDE constraint to " + s.table()
                                    + ", building its index under ACCESS EXCLUSIVE")
                            .orElse(null))
            .build();

    static final Rule CREATE_TRIGGER = Rule.builder("create-trigger")
            .defaultAction(Action.WARN)
            .lockBound()
            .lock("SHARE ROW EXCLUSIVE on the table: blocks writes while it waits for running writers, then briefly")
            .reason(
                    "CREATE TRIGGER takes SHARE ROW EXCLUSIVE: it queues behind every open transaction that wrote to the "
                            + "table, and every write queues behind it; the trigger then runs on every row written (a warning, "
                            + "since the expand phase of expand-contract needs exactly this)")
            .safeAlternative("keep ddlguard.lock-timeout short so a queued CREATE TRIGGER gives up instead of stalling "
                    + "writes, run it when no long write transaction is open, and keep the trigger function cheap")
            .on(Verb.CREATE)
            .matches((s, c) -> (s.is(Verb.CREATE, "TRIGGER") || s.is(Verb.CREATE, "CONSTRAINT TRIGGER"))
                            && s.table() != null
                    ? "creates trigger " + (s.names().isEmpty() ? "" : s.names().get(0) + " ") + "on " + s.table()
                            + ", blocking its writes"
                    : null)
            .build();

    static final Rule REFRESH_CONCURRENTLY = Rule.builder("refresh-materialized-view-concurrently")
            .defaultAction(Action.REWRITE)
            .lockBound()
            .lock("ACCESS EXCLUSIVE for the whole refresh: blocks reads (CONCURRENTLY: EXCLUSIVE, reads go on)")
            .reason("REFRESH MATERIALIZED VIEW reruns the query and replaces the contents under ACCESS EXCLUSIVE: "
                    + "every read of the view waits for the whole refresh")
            .safeAlternative(
                    "REFRESH MATERIALIZED VIEW CONCURRENTLY, which needs a UNIQUE index on plain columns of the "
                            + "view covering all rows (create one CONCURRENTLY first); the view must be populated")
            .on(Verb.REFRESH)
            .matches((s, c) -> s.verb() == Verb.REFRESH && !s.has(Flag.CONCURRENTLY) && s.table() != null
                    ? "refreshes " + s.table() + " under ACCESS EXCLUSIVE"
                    : null)
            .advice(LockHeavyRules::refreshConcurrently)
            .build();

    static final Rule VALIDATE_IN_ADDING_TRANSACTION = Rule.builder("validate-in-adding-transaction")
            .defaultAction(Action.BLOCK)
            .lockBound()
            .lock(
                    "the lock of the ADD (SHARE ROW EXCLUSIVE for a foreign key, ACCESS EXCLUSIVE for a CHECK), held for the validation scan")
            .reason("VALIDATE CONSTRAINT in the transaction that added the constraint NOT VALID scans the table while "
                    + "that transaction still holds the ADD's lock, which blocks writes (or reads and writes): NOT VALID "
                    + "only helps when the two commit separately")
            .safeAlternative(
                    "commit after ADD … NOT VALID and VALIDATE CONSTRAINT in a transaction of its own (Flyway: a "
                            + "separate migration; or run the migration outside a transaction)")
            .on(Verb.ALTER, Verb.RENAME)
            .matches((s, c) -> {
                if (s.table() == null) {
                    return null;
                }
                // asked in autocommit too: a string (or DO block) runs as one transaction, and its catalog knows the
                // constraints its earlier statements added NOT VALID (AddedConstraints); the live one answers no
                return s.actions().stream()
                        .filter(a -> a.kind() == Kind.VALIDATE_CONSTRAINT
                                && a.column() != null
                                && c.catalog().constraintCreatedInThisTransaction(s.table(), a.column()))
                        .findFirst()
                        .map(a -> "validates constraint " + a.column() + " of " + s.table()
                                + " in the transaction that added it")
                        .orElse(null);
            })
            .build();

    /**
     * ALTER DOMAIN … ADD CONSTRAINT (validated), VALIDATE CONSTRAINT and SET NOT NULL check every value of the
     * domain in every table column of that type, holding a SHARE lock on each table for its scan (measured on
     * PostgreSQL 15, pg_locks: ShareLock on the table for all three). Unlike a table's, a domain's VALIDATE does
     * not let writes go on. Columns that use the domain come from pg_depend; none: nothing is scanned.
     */
    static final Rule DOMAIN_CONSTRAINT_SCAN = Rule.builder("domain-constraint-scan")
            .defaultAction(Action.BLOCK)
            .lock("SHARE on every table with a column of the domain, for the scan: blocks their writes")
            .reason("adding a constraint to a domain (or validating one, or SET NOT NULL) checks every value of the "
                    + "domain in every table that uses it, under a SHARE lock on each of those tables that blocks writes; "
                    + "even VALIDATE CONSTRAINT takes it on a domain")
            .safeAlternative(
                    "add it NOT VALID (new values are checked at once, nothing is scanned) and validate when "
                            + "writes to those tables can wait, with an inline ddlguard:allow domain-constraint-scan comment; or "
                            + "put the CHECK on each table column instead (NOT VALID, then VALIDATE under SHARE UPDATE EXCLUSIVE)")
            .on(Verb.ALTER)
            .matches(LockHeavyRules::domainScan)
            .build();

    /** This pack's rules, in the order they are reported: a new rule of the pack is listed here. */
    static final List<Rule> ALL = List.of(
            ADD_COLUMN_BUILDS_INDEX,
            ADD_EXCLUSION_CONSTRAINT,
            CREATE_TRIGGER,
            REFRESH_CONCURRENTLY,
            VALIDATE_IN_ADDING_TRANSACTION,
            DOMAIN_CONSTRAINT_SCAN);

    /** "column amount of table app.orders" (pg_describe_object): whether that table was created by this run. */
    private static boolean ofTableOfThisRun(String column, RuleContext c) {
        int at = column.lastIndexOf(" of table ");
        QualifiedName table = at < 0 ? null : QualifiedName.fromSql(column.substring(at + " of table ".length()));
        return table != null
                && (c.catalog().createdInThisRun(table)
                        || (!c.autocommit() && c.catalog().createdInThisTransaction(table)));
    }

    private static String domainScan(DdlStatement s, RuleContext c) {
        if (!s.is(Verb.ALTER, "DOMAIN") || s.names().isEmpty()) {
            return null;
        }
        String what = StatementWords.has(s, "VALIDATE", "CONSTRAINT")
                ? "validates a constraint of"
                : StatementWords.has(s, "SET", "NOT", "NULL")
                        ? "sets NOT NULL on"
                        : StatementWords.has(s, "ADD") && !StatementWords.has(s, "NOT", "VALID")
                                ? "adds a constraint to"
                                : null;
        if (what == null) {
            return null;
        }
        QualifiedName domain = s.names().get(0);
        List<String> dependents = c.catalog().dependents("DOMAIN", domain);
        if (dependents == null) {
            return what + " domain " + domain
                    + ", checking every value in the tables that use it (which ones could not be "
                    + "read from the catalog) under SHARE locks that block their writes";
        }
        List<String> columns =
                dependents.stream().filter(d -> d.startsWith("column ")).toList();
        if (columns.isEmpty() || columns.stream().allMatch(col -> ofTableOfThisRun(col, c))) {
            return null; // no table column has the type, or only tables no other session knows yet: nothing to wait on
        }
        return what + " domain " + domain + ", checking every value of "
                + String.join(", ", columns.stream().limit(5).toList())
                + (columns.size() > 5 ? " and " + (columns.size() - 5) + " more" : "")
                + " under a SHARE lock on each table that blocks its writes";
    }

    private static AlterAction keyedColumn(DdlStatement s) {
        if (s.table() == null) {
            return null;
        }
        for (AlterAction a : s.actions()) {
            ColumnDefinition d = a.definition();
            if (a.kind() == Kind.ADD_COLUMN && d != null && a.column() != null && (d.unique() || d.primaryKey())) {
                return a;
            }
        }
        return null;
    }

    /** CONCURRENTLY goes after MATERIALIZED VIEW when the catalog says the view qualifies; otherwise there is no rewrite. */
    private static Advice refreshConcurrently(DdlStatement s, RuleContext c) {
        // CONCURRENTLY needs a unique index on plain columns covering every row; the view may have one already
        String safe = "-- if " + s.table().toSql()
                + " has no unique index on plain columns: CREATE UNIQUE INDEX CONCURRENTLY "
                + s.table().name().withSuffix("_key").toSql() + " ON "
                + s.table().toSql() + " (<key columns>);\n"
                + "REFRESH MATERIALIZED VIEW CONCURRENTLY " + s.table().toSql() + ";";
        int at = PgNames.afterWord(s, "VIEW", s.text().codeStart());
        // "CONCURRENTLY and WITH NO DATA options cannot be used together": emptying the view has no concurrent form.
        if (at < 0 || s.text().hasWord("NO") || !Boolean.TRUE.equals(c.catalog().refreshableConcurrently(s.table()))) {
            return new Advice(safe, null);
        }
        Rewrite rewrite = Rewrite.insert(at, " CONCURRENTLY", null);
        return new Advice(rewrite.apply(s.text()) + ";", rewrite);
    }
}
