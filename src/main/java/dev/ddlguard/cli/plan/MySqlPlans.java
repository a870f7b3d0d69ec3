package dev.ddlguard.cli.plan;

import static dev.ddlguard.cli.plan.MySqlSql.ONLINE;

import dev.ddlguard.sql.Identifier;
import java.util.List;

/**
 * Expand-contract plans in MySQL/MariaDB SQL: MySQL 8.0+ or MariaDB 10.5+ (RENAME COLUMN); the
 * contract of a rename or type change drops a column with ALGORITHM=INSTANT (MariaDB 10.4+, MySQL 8.0.29+).
 */
final class MySqlPlans implements ExpandContractPlans {

    /** The one instance: the plans keep no state. */
    static final MySqlPlans INSTANCE = new MySqlPlans();

    private static final String INSTANT_NOTE =
            "the Contract phase drops the column with ALGORITHM=INSTANT (MariaDB 10.4+, "
                    + "MySQL 8.0.29+), so the table is locked only for a moment; an older server refuses it before anything changed";

    private static final PlanText.Sync SYNC = PlanText.Sync.TRIGGERS;

    private MySqlPlans() {}

    @Override
    public Plan renameColumn(Change c, int batchSize) {
        String a = c.columnSql();
        String b = c.newNameSql();
        Identifier insert =
                Names.generated(c.target(), "ddlguard", "ins", c.table().name(), c.column());
        Identifier update =
                Names.generated(c.target(), "ddlguard", "upd", c.table().name(), c.column());
        PlanBuilder plan = new PlanBuilder(c)
                .expand()
                .sql(
                        "ALTER TABLE " + c.tableSql() + " ADD COLUMN " + b + " " + c.type() + ONLINE,
                        "nullable, no default: online")
                // INSERT: code that knows b writes it (prefer b); older code leaves b NULL (copy a).
                .sql(
                        MySqlSql.trigger(
                                insert,
                                "INSERT",
                                c.tableSql(),
                                "  IF NEW." + b + " IS NULL THEN SET NEW." + b + " = NEW." + a + "; ELSE SET NEW." + a
                                        + " = NEW." + b + "; END IF;\n"),
                        PlanText.keepEqual(a, b))
                // UPDATE: copy whichever side the statement changed (<=> is NULL-safe equality).
                .sql(MySqlSql.trigger(
                        update,
                        "UPDATE",
                        c.tableSql(),
                        "  IF NOT (NEW." + a + " <=> OLD." + a + ") THEN SET NEW." + b
                                + " = NEW." + a + ";\n  ELSEIF NOT (NEW." + b + " <=> OLD." + b + ") THEN SET NEW." + a
                                + " = NEW." + b
                                + ";\n  END IF;\n"))
                .app(PlanText.writeBoth(a, b, SYNC))
                .migrate()
                .all(MySqlSql.backfill(
                        c, b + " = " + a, "NOT (" + b + " <=> " + a + ")", batchSize, PlanText.copy(a, b)));
        if (c.endsNotNull()) {
            plan.sql(
                    "ALTER TABLE " + c.tableSql() + " MODIFY " + b + " " + c.type() + " NOT NULL" + ONLINE,
                    "every row is filled: NOT NULL online (strict sql_mode); the triggers fill " + b
                            + " before the check");
        }
        plan.app(PlanText.switchReads(a, b, SYNC))
                .note(INSTANT_NOTE)
                .contract()
                .all(MySqlSql.locked(
                        c.tableSql(),
                        "no write may land between dropping " + a + " and its triggers; INSTANT keeps "
                                + "the lock brief, and fails first, before anything changed, where the server cannot do it",
                        PlanText.allowDropColumn(PlanText.renamedTo(c.newName())) + "ALTER TABLE " + c.tableSql()
                                + " DROP COLUMN " + a + ", ALGORITHM=INSTANT",
                        PlanText.dropSyncTrigger(Names.inSchemaOf(c.table(), insert)),
                        PlanText.dropSyncTrigger(Names.inSchemaOf(c.table(), update))));
        if (c.definition() != null && !restatesOnly(c)) {
            // Not earlier: with a DEFAULT, an insert by older code that writes only the old column would find the
            // new one filled with the default, and the trigger would copy that over the written value.
            plan.sql(
                    "ALTER TABLE " + c.tableSql() + " MODIFY " + b + " " + c.definition() + ONLINE,
                    "the rest of the column definition (DEFAULT, COMMENT …), now that nothing writes " + a);
        }
        return plan.build();
    }

    /** Whether the definition says no more than the type and NOT NULL, which the plan has already applied. */
    private static boolean restatesOnly(Change c) {
        String d = c.definition().replaceAll("\\s+", " ").strip();
        return d.equalsIgnoreCase(c.type())
                || d.equalsIgnoreCase(c.type() + " NOT NULL")
                || d.equalsIgnoreCase(c.type() + " NULL");
    }

    /** MySQL DDL is not transactional: the new name comes first as a view, and the contract swaps both names atomically. */
    @Override
    public Plan renameTable(Change c) {
        String renamed = Names.inSchemaOf(c.table(), c.newName());
        String parked = Names.inSchemaOf(c.table(), Names.generated(c.target(), "ddlguard", "view", c.newName()));
        return new PlanBuilder(c)
                .expand()
                .sql(
                        "CREATE VIEW " + renamed + " AS SELECT * FROM " + c.tableSql(),
                        "the new name works at once: a single-table view is updatable, reads and writes go through it")
                .app(PlanText.useNewName(renamed, c.tableSql()))
                .contract()
                .sql(
                        "/* ddlguard:allow rename-table the table takes the name its view had; no code uses the old name */ "
                                + "RENAME TABLE " + renamed + " TO " + parked + ", " + c.tableSql() + " TO " + renamed,
                        "one atomic RENAME: the view steps aside and the table takes its name (a statement that"
                                + " opened the view at that very instant can fail once with error 1356: retry it)")
                .sql("/* ddlguard:allow drop-view it only stood in for the old name, which no code uses */ DROP VIEW "
                        + parked)
                .build();
    }

    @Override
    public PlanBuilder addNullable(Change c) {
        String withDefault = c.defaultExpr() != null ? " DEFAULT " + c.defaultExpr() : "";
        return new PlanBuilder(c)
                .expand()
                .sql(
                        "ALTER TABLE " + c.tableSql() + " ADD COLUMN " + c.columnSql() + " " + c.type() + withDefault
                                + ONLINE,
                        "nullable: existing rows need no value yet, and deployed code that does not write it keeps working");
    }

    @Override
    public Plan changeType(Change c, int batchSize) {
        String col = c.columnSql();
        Identifier fresh = Names.generated(c.target(), "", "new", c.column());
        Identifier insert =
                Names.generated(c.target(), "ddlguard", "ins", c.table().name(), c.column());
        Identifier update =
                Names.generated(c.target(), "ddlguard", "upd", c.table().name(), c.column());
        String copy = "  SET NEW." + fresh.toSql() + " = NEW." + col + ";\n";
        PlanBuilder plan = new PlanBuilder(c)
                .expand()
                .sql(
                        "ALTER TABLE " + c.tableSql() + " ADD COLUMN " + fresh.toSql() + " " + c.type() + ONLINE,
                        "nullable, no default: online")
                .sql(MySqlSql.trigger(insert, "INSERT", c.tableSql(), copy), PlanText.everyWriteCopied(col))
                .sql(MySqlSql.trigger(update, "UPDATE", c.tableSql(), copy))
                .app(PlanText.nothingToDeployYet(col, fresh.toSql(), SYNC))
                .migrate()
                .all(backfill(
                        c,
                        fresh.toSql() + " = " + col,
                        fresh.toSql() + " IS NULL",
                        batchSize,
                        PlanText.CONVERT_EXISTING_ROWS));
        if (c.definition() != null && !c.definition().equalsIgnoreCase(c.type())) {
            plan.sql(
                    "ALTER TABLE " + c.tableSql() + " MODIFY " + fresh.toSql() + " " + c.definition() + ONLINE,
                    "the column as the statement defines it (NOT NULL, DEFAULT …), now that every row is filled");
        }
        return plan.app(PlanText.acceptNewType(col, c.type()))
                .note(INSTANT_NOTE)
                .contract()
                .all(MySqlSql.locked(
                        c.tableSql(),
                        "no write may land between the swap and dropping the triggers; INSTANT keeps the "
                                + "lock brief, and fails first, before anything changed, where the server cannot do it",
                        "/* ddlguard:allow drop-column " + PlanText.replacedBy(fresh) + " "
                                + "ddlguard:allow rename-column " + fresh.text()
                                + " takes the name of the column it replaces */ "
                                + "ALTER TABLE " + c.tableSql() + " DROP COLUMN " + col + ", RENAME COLUMN "
                                + fresh.toSql() + " TO " + col
                                + ", ALGORITHM=INSTANT",
                        PlanText.dropSyncTrigger(Names.inSchemaOf(c.table(), insert)),
                        PlanText.dropSyncTrigger(Names.inSchemaOf(c.table(), update))))
                .build();
    }

    @Override
    public Plan dropColumn(Change c) {
        String col = c.columnSql();
        Identifier backup = Names.generated(c.target(), "", "backup", c.table().name(), c.column());
        PlanBuilder plan = new PlanBuilder(c).expand();
        if (Boolean.TRUE.equals(c.notNull()) && c.type() != null) {
            plan.sql(
                    "ALTER TABLE " + c.tableSql() + " MODIFY " + col + " " + c.type() + " NULL" + ONLINE,
                    "code that stops writing " + col + " can still insert");
        }
        return plan.app(PlanText.stopUsing(col)
                        + (c.notNull() == null
                                ? " (if it is NOT NULL without a DEFAULT, first MODIFY it to NULL)"
                                : ""))
                .migrate()
                // READ COMMITTED: a consistent read, without the shared row locks that CREATE TABLE … SELECT
                // takes under REPEATABLE READ and that block writers (copy-locks-source). For the session: a
                // one-shot SET TRANSACTION does not reach the copy (measured on MariaDB 10.11: the write waited).
                .sql(
                        "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
                        "keep the data: the copy below takes no row locks")
                .sql(PlanText.keepData(c, backup))
                .sql("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ", "the session's default again")
                .contract()
                .sql(
                        PlanText.allowDropColumn(PlanText.dataKeptIn(backup)) + "ALTER TABLE " + c.tableSql()
                                + " DROP COLUMN " + col + ONLINE,
                        "online")
                .build();
    }

    @Override
    public List<Step> backfill(Change c, String set, String filter, int batchSize, String why) {
        return MySqlSql.backfill(c, set, filter, batchSize, why);
    }

    /**
     * The changed column as the statement defines it (NOT NULL, DEFAULT …): MODIFY restates the whole definition,
     * which only the change's own column has, so {@code column} must be it (the MySQL plans never ask for another).
     */
    @Override
    public List<Step> notNull(Change c, Identifier column) {
        if (!column.equals(c.column())) {
            throw new IllegalArgumentException("MySQL restates only the change's own column, not " + column);
        }
        return MySqlSql.notNull(c);
    }
}
