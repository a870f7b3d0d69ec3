package dev.ddlguard.rules;

import static dev.ddlguard.sql.AlterAction.Kind.ADD_COLUMN;
import static dev.ddlguard.sql.AlterAction.Kind.DROP_COLUMN;
import static dev.ddlguard.sql.AlterAction.Kind.RENAME_COLUMN;
import static dev.ddlguard.sql.AlterAction.Kind.RENAME_TABLE;

import dev.ddlguard.policy.Action;
import dev.ddlguard.rules.Rule.Advice;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.ColumnDefinition;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.DdlStatement.Flag;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.TablesTakenIn;
import dev.ddlguard.sql.Verb;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The dialect-independent branches of the safe-migration decision tree: irreversible drops,
 * renames and NOT NULL columns that need expand-contract. New tables and nullable columns are safe
 * and have no rule. {@link #ALL} lists every dialect-independent rule, these and the other files'.
 */
public final class CoreRules {

    private CoreRules() {}

    public static final Rule DROP_TABLE = Rule.builder("drop-table")
            .defaultAction(Action.BLOCK)
            .aboutDeployedCode()
            .lock(
                    "the strongest table lock (PostgreSQL ACCESS EXCLUSIVE, MySQL exclusive metadata lock): blocks reads and writes; metadata only")
            .reason(
                    "DROP TABLE deletes the table and its data irreversibly, under a lock that blocks reads and writes; "
                            + "deployed code that still uses it starts failing")
            .safeAlternative(
                    "back up the table first, deploy code that no longer uses it (the contract phase of "
                            + "expand-contract), then drop it with an inline ddlguard:allow drop-table comment giving the reason")
            .on(Verb.DROP)
            .matches((s, c) -> s.verb() == Verb.DROP
                            && "TABLE".equals(s.objectType())
                            && !s.has(Flag.TEMPORARY)
                            && !s.names().isEmpty()
                    ? "drops table " + names(s)
                    : null) // no name: unanalyzable says so
            .advice((s, c) -> new Advice(
                    "-- 1. keep a copy\n"
                            + copyOf(s, s.names(), "") + "\n" // every table it drops, not just the first
                            + "-- 2. once no deployed code reads or writes it\n"
                            + allowed("drop-table", s),
                    null))
            .build();

    public static final Rule DROP_COLUMN_RULE = Rule.builder("drop-column")
            .defaultAction(Action.BLOCK)
            .aboutDeployedCode()
            .lock(
                    "ACCESS EXCLUSIVE (MySQL: a table copy or rebuild): blocks reads and writes; metadata only on PostgreSQL")
            .reason(
                    "dropping a column loses its data irreversibly, and deployed code that still reads or writes it fails")
            .safeAlternative(
                    "expand-contract: deploy code that no longer reads or writes the column, back up its data, "
                            + "then drop it with an inline ddlguard:allow drop-column comment giving the reason")
            .on(Verb.ALTER, Verb.RENAME)
            .matches((s, c) -> s.is(Verb.ALTER, "FOREIGN TABLE")
                    ? ForeignTableColumns.dropped(s)
                    : s.is(Verb.ALTER, "TYPE")
                            ? TypeAttributes.dropped(s, c)
                            : detail(
                                    s,
                                    a -> a.kind() == DROP_COLUMN,
                                    a -> "drops column " + a.column() + " of " + s.table()))
            .advice((s, c) -> new Advice(dropColumnSteps(s), null))
            .build();

    /** What to do before a column goes: keep its data (a composite type's values, a table's rows), then drop it. */
    private static String dropColumnSteps(DdlStatement s) {
        if (s.is(Verb.ALTER, "TYPE")) {
            return TypeAttributes.steps(s) + allowed("drop-column", s);
        }
        if (s.table() == null) { // a foreign table: its rows live on the remote server, nothing to copy here
            return "-- 1. deploy code that no longer uses the column\n-- 2. then\n" + allowed("drop-column", s);
        }
        return "-- 1. deploy code that no longer uses the column\n-- 2. keep a copy\n"
                + copyOf(s, List.of(s.table()), "") + "\n-- 3. then\n" + allowed("drop-column", s);
    }

    public static final Rule TRUNCATE = Rule.builder("truncate-table")
            .defaultAction(Action.BLOCK)
            .aboutDeployedCode()
            .lock("ACCESS EXCLUSIVE: blocks reads and writes")
            .reason(
                    "TRUNCATE deletes every row irreversibly (it is not MVCC-safe) under a lock that blocks reads and writes; "
                            + "so do MySQL's and MariaDB's ALTER TABLE … TRUNCATE PARTITION and DROP PARTITION, for the partition's rows")
            .safeAlternative("back up the rows first, or delete them in small batches that do not block other sessions")
            .on(Verb.TRUNCATE, Verb.ALTER)
            .matches((s, c) -> s.verb() == Verb.TRUNCATE ? "truncates " + names(s) : PartitionRowsDeleted.by(s))
            .advice((s, c) -> s.table() == null
                    ? Advice.NONE
                    : s.verb() != Verb.TRUNCATE
                            ? partitionBackup(s)
                            : new Advice(
                                    copyOf(s, List.of(s.table()), "") + "\n-- then, repeated until no row is left:\n"
                                            + batchDelete(s),
                                    null))
            .build();

    public static final Rule RENAME_COLUMN_RULE = Rule.builder("rename-column")
            .defaultAction(Action.BLOCK)
            .aboutDeployedCode()
            .lock("ACCESS EXCLUSIVE, briefly: blocks reads and writes; metadata only")
            .reason("renaming a column breaks every deployed query that uses the old name, the moment it commits")
            .safeAlternative("expand-contract: add the new column, keep both in sync with a trigger while the "
                    + "application writes both, backfill in batches, switch reads, then drop the old column")
            .on(Verb.ALTER, Verb.RENAME)
            .matches((s, c) -> detail(
                    s,
                    a -> a.kind() == RENAME_COLUMN,
                    a -> "renames column " + a.column() + " of " + s.table() + " to " + a.newName()))
            .advice((s, c) -> PlanAdvice.of(s, () -> renameColumnPlan(s)))
            .build();

    public static final Rule RENAME_TABLE_RULE = Rule.builder("rename-table")
            .defaultAction(Action.BLOCK)
            .aboutDeployedCode()
            .lock("ACCESS EXCLUSIVE, briefly: blocks reads and writes; metadata only")
            .reason("renaming a table breaks every deployed query that uses the old name, the moment it commits")
            .safeAlternative("rename it and leave a view with the old name in the same transaction, deploy code that "
                    + "uses the new name, then drop the view")
            .on(Verb.ALTER, Verb.RENAME)
            .matches((s, c) -> Optional.ofNullable(TablesTakenIn.convertedIn(s)) // CONVERT TABLE x TO PARTITION
                    .orElseGet(() -> detail(
                            s,
                            a -> a.kind() == RENAME_TABLE,
                            a -> "renames table " + renamed(s, a) + " to " + a.newName())))
            .advice((s, c) -> TablesTakenIn.convertedIn(s) != null
                    ? Advice.NONE
                    : s.verb() == Verb.ALTER ? PlanAdvice.of(s, () -> renameTablePlan(s)) : renameTablePlan(s))
            .build();

    public static final Rule ADD_COLUMN_NOT_NULL = Rule.builder("add-column-not-null")
            .defaultAction(Action.BLOCK)
            .aboutDeployedCode()
            .lock("ACCESS EXCLUSIVE: blocks reads and writes; fails on the first existing row (PostgreSQL, H2);"
                    + " MySQL/MariaDB fill existing rows with the type's implicit default instead")
            .reason("existing rows get no value of yours (PostgreSQL and H2 fail on the first one; MySQL and MariaDB "
                    + "fill each with the type's implicit default: 0, '', the first ENUM value), and deployed code that "
                    + "does not write the column fails once it exists")
            .safeAlternative(
                    "expand-contract: add the column as nullable, write it from the application, backfill "
                            + "existing rows in batches, then set NOT NULL (or add it with a constant DEFAULT if one value fits all rows)")
            .on(Verb.ALTER, Verb.RENAME)
            .matches((s, c) -> detail(
                    s,
                    CoreRules::isNotNullWithoutDefault,
                    a -> "adds NOT NULL column " + a.column() + " without a default to " + s.table()
                            + (s.syntax() == SqlSyntax.MYSQL ? CoreRules.IMPLICIT_DEFAULT : "")))
            .advice((s, c) -> PlanAdvice.of(s, () -> addNotNullPlan(s)))
            .build();

    /** All core rules, in the order they are reported. */
    public static final List<Rule> ALL = Stream.of(
                    List.of(
                            DROP_TABLE,
                            DROP_COLUMN_RULE,
                            TRUNCATE,
                            RENAME_COLUMN_RULE,
                            RENAME_TABLE_RULE,
                            ADD_COLUMN_NOT_NULL),
                    DestructiveRules.ALL,
                    RenameRules.ALL,
                    RoutineRules.ALL,
                    SequenceRules.ALL,
                    ColumnFillRules.ALL,
                    AccessRules.ALL,
                    PrivilegeRules.ALL,
                    ServerStateRules.ALL,
                    ExplicitLockRules.ALL,
                    List.of(UnanalyzableRule.RULE))
            .flatMap(List::stream)
            .toList();

    private static boolean isNotNullWithoutDefault(AlterAction a) {
        ColumnDefinition d = a.definition();
        return a.kind() == ADD_COLUMN
                && d != null
                && d.notNull()
                && !hasNonNullDefault(d)
                && !d.identity()
                && !d.generated();
    }

    /** {@code DEFAULT NULL} fills existing rows with NULL, which a NOT NULL column rejects just as without a default. */
    private static boolean hasNonNullDefault(ColumnDefinition d) {
        return d.hasDefault() && !d.defaultExpr().strip().equalsIgnoreCase("NULL");
    }

    /**
     * {@code CREATE TABLE t_backup AS SELECT * FROM t<from>;} for each table: the rows kept before an irreversible
     * step. On MySQL and MariaDB under READ COMMITTED, where the default would lock every row copied
     * (copy-locks-source).
     */
    private static String copyOf(DdlStatement s, List<QualifiedName> tables, String from) {
        String copies = tables.stream()
                .map(t -> "CREATE TABLE " + backupOf(t) + " AS SELECT * FROM " + t.toSql() + from)
                .collect(Collectors.joining(";\n"));
        return s.syntax() == SqlSyntax.MYSQL ? readCommitted(copies) : copies + ";";
    }

    /**
     * MySQL/MariaDB: {@code sql} (statements without their last semicolon) run under READ COMMITTED, a consistent
     * read that locks no row of what it copies, with the default restored after.
     */
    public static String readCommitted(String sql) {
        return "-- READ COMMITTED: a consistent read, no row of the source locked (binlog_format ROW or MIXED)\n"
                + "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED;\n"
                + sql + ";\n"
                + "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ;";
    }

    /** The statement itself as the deliberate last step: the allow comment asks for the reason. */
    private static String allowed(String ruleId, DdlStatement s) {
        return "/* ddlguard:allow " + ruleId + " <why this is safe> */ " + s.code() + ";";
    }

    /** {@code s.orders} → {@code s.orders_backup}; a quoted name stays quoted ({@code "My Table_backup"}), in the same schema. */
    private static String backupOf(QualifiedName table) {
        Identifier name = table.name();
        String backup = name.withSuffix("_backup").toSql();
        return table.schema() == null ? backup : table.schema().toSql() + "." + backup;
    }

    /** The partition's rows copied out first, then the statement as a deliberate step. */
    private static Advice partitionBackup(DdlStatement s) {
        return new Advice(
                "-- keep a copy of the partition's rows (SELECT … FROM t PARTITION (p) names the partition)\n"
                        + copyOf(s, List.of(s.table()), " PARTITION (<partition>)") + "\n"
                        + allowed("truncate-table", s),
                null);
    }

    /** MySQL has no LIMIT in an IN subquery, but limits DELETE itself. */
    private static String batchDelete(DdlStatement s) {
        String t = s.table().toSql();
        return s.syntax() == SqlSyntax.MYSQL
                ? "DELETE FROM " + t + " LIMIT 10000;"
                : "DELETE FROM " + t + " WHERE <key> IN (SELECT <key> FROM " + t + " LIMIT 10000);";
    }

    /**
     * The renamed table's name as the view must reference it: PostgreSQL and H2 keep the table in its
     * schema ({@code ALTER TABLE s.t RENAME TO u} makes {@code s.u}), so the schema is added back.
     * MySQL moves an unqualified new name to the current database, so it stays as written.
     */
    private static String renamedTable(DdlStatement s, AlterAction rename) {
        Identifier schema = s.table().schema();
        if (s.verb() == Verb.ALTER && schema != null && s.syntax() != SqlSyntax.MYSQL) {
            return schema.toSql() + "." + rename.newName().toSql();
        }
        return rename.newName().toSql();
    }

    private static Advice renameTablePlan(DdlStatement s) {
        AlterAction rename = first(s, a -> a.kind() == RENAME_TABLE);
        String newName = rename.newName() == null ? "<new name>" : renamedTable(s, rename);
        return new Advice(
                "BEGIN;\n/* ddlguard:allow rename-table a view keeps the old name working until no code uses it */ "
                        + s.code() + ";\nCREATE VIEW " + s.table().toSql() + " AS SELECT * FROM "
                        + newName + ";\nCOMMIT;\n-- after every deployment uses " + newName
                        + ":\n/* ddlguard:allow drop-view it only stood in for the old name, which no code uses */ DROP VIEW "
                        + s.table().toSql() + ";",
                null);
    }

    private static Advice renameColumnPlan(DdlStatement s) {
        AlterAction a = first(s, x -> x.kind() == RENAME_COLUMN);
        String t = s.table().toSql();
        String oldName = String.valueOf(a.column());
        String newName = a.newName() == null ? "<new name>" : a.newName().toSql();
        return new Advice(
                "-- expand\nALTER TABLE " + t + " ADD COLUMN " + newName + " <type of " + oldName + ">;\n"
                        + "-- plus a trigger that copies " + oldName + " to " + newName
                        + " on INSERT and UPDATE; deploy code writing both\n"
                        + "-- migrate, in batches\nUPDATE " + t + " SET " + newName + " = " + oldName + " WHERE "
                        + newName + " IS NULL;\n"
                        + "-- switch reads to " + newName + " and deploy code that no longer uses " + oldName
                        + ", then contract\n"
                        + "/* ddlguard:allow drop-column renamed to " + newName
                        + ", which holds the same values */ ALTER TABLE " + t
                        + " DROP COLUMN " + oldName + ";",
                null);
    }

    /**
     * Measured on MariaDB 10.11, strict (STRICT_TRANS_TABLES) and not: the ADD succeeds on a table with
     * rows and fills them with the implicit default (MySQL manual "Data Type Default Values"); only a
     * DATE/DATETIME under strict mode with NO_ZERO_DATE fails (ERROR 1292). Afterwards an INSERT that
     * omits the column fails in strict mode (ERROR 1364 "Field … doesn't have a default value") and
     * silently stores the implicit default otherwise.
     */
    private static final String IMPLICIT_DEFAULT = " (MySQL/MariaDB fill the existing rows with the type's implicit"
            + " default, 0, '' or the first ENUM value, rarely the value meant; in strict sql_mode every INSERT that omits"
            + " the column then fails with ERROR 1364, otherwise it silently stores that default)";

    private static Advice addNotNullPlan(DdlStatement s) {
        AlterAction a = first(s, CoreRules::isNotNullWithoutDefault);
        ColumnDefinition d = a.definition();
        String t = s.table().toSql();
        String column = String.valueOf(a.column());
        String type = d.type() == null ? "<type>" : d.type();
        return new Advice(
                "ALTER TABLE " + t + " ADD COLUMN " + column + " " + type + ";\n"
                        + "-- deploy code that writes " + column + "; backfill existing rows in batches:\n"
                        + "UPDATE " + t + " SET " + column + " = <value> WHERE " + column + " IS NULL;\n"
                        + setNotNull(s, t, column, type)
                        + "-- or, when one value fits every existing row:\n"
                        + "ALTER TABLE " + t + " ADD COLUMN " + column + " " + type + " NOT NULL DEFAULT <value>;",
                null);
    }

    /**
     * PostgreSQL 12+ skips SET NOT NULL's full scan when a validated CHECK (column IS NOT NULL) exists
     * (ALTER TABLE, "SET/DROP NOT NULL"); a plain SET NOT NULL would be blocked by set-not-null.
     */
    private static String setNotNull(DdlStatement s, String t, String column, String type) {
        if (s.syntax() == SqlSyntax.MYSQL) {
            return "ALTER TABLE " + t + " MODIFY " + column + " " + type + " NOT NULL, ALGORITHM=INPLACE, LOCK=NONE;\n";
        }
        String check = s.table().name().withSuffix("_" + column + "_not_null").toSql();
        return "ALTER TABLE " + t + " ADD CONSTRAINT " + check + " CHECK (" + column + " IS NOT NULL) NOT VALID;\n"
                + "ALTER TABLE " + t + " VALIDATE CONSTRAINT " + check + ";\n"
                + "ALTER TABLE " + t + " ALTER COLUMN " + column + " SET NOT NULL;\n"
                + "/* ddlguard:allow drop-constraint the NOT NULL column makes this helper check redundant */ ALTER TABLE "
                + t + " DROP CONSTRAINT " + check + ";\n";
    }

    private static String detail(DdlStatement s, Predicate<AlterAction> which, Function<AlterAction, String> describe) {
        if (s.table() == null) {
            return null;
        }
        // A loop, not a stream: every ALTER TABLE asks several rules this, and most actions match none of them.
        StringBuilder details = null;
        for (AlterAction a : s.actions()) {
            if (which.test(a)) {
                String d = describe.apply(a);
                if (details == null) {
                    details = new StringBuilder(d);
                } else {
                    details.append("; ").append(d);
                }
            }
        }
        return details == null || details.isEmpty() ? null : details.toString();
    }

    /** MySQL's RENAME TABLE a TO b, c TO d names each pair's table in order; ALTER TABLE renames its own. */
    private static QualifiedName renamed(DdlStatement s, AlterAction a) {
        int pair = s.actions().indexOf(a);
        return s.verb() == Verb.RENAME && pair < s.names().size() ? s.names().get(pair) : s.table();
    }

    private static AlterAction first(DdlStatement s, Predicate<AlterAction> which) {
        return s.actions().stream().filter(which).findFirst().orElseThrow();
    }

    private static String names(DdlStatement s) {
        return s.names().stream().map(Object::toString).collect(Collectors.joining(", "));
    }
}
