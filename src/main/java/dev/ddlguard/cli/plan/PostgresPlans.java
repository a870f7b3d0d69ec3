package dev.ddlguard.cli.plan;

import dev.ddlguard.policy.Target;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.SqlSyntax;
import java.util.List;

/** Expand-contract plans in PostgreSQL's SQL (11+; 12+ for the scan-free SET NOT NULL). */
final class PostgresPlans implements ExpandContractPlans {

    /** The one instance: the plans keep no state. */
    static final PostgresPlans INSTANCE = new PostgresPlans();

    private static final Target PG = Target.POSTGRESQL;
    private static final PlanText.Sync SYNC = PlanText.Sync.ONE_TRIGGER;

    private PostgresPlans() {}

    @Override
    public Plan renameColumn(Change c, int batchSize) {
        String a = c.columnSql();
        String b = c.newNameSql();
        Identifier name = Names.generated(PG, "ddlguard_sync", "", c.table().name(), c.column(), c.newName());
        String function = Names.inSchemaOf(c.table(), name);
        // INSERT: code that knows b writes it (prefer b); older code leaves b NULL (copy a).
        // UPDATE: copy whichever side the statement changed.
        String body = "  IF TG_OP = 'INSERT' THEN\n"
                + "    IF NEW." + b + " IS NULL THEN NEW." + b + " := NEW." + a + "; ELSE NEW." + a + " := NEW." + b
                + "; END IF;\n"
                + "  ELSIF NEW." + a + " IS DISTINCT FROM OLD." + a + " THEN\n    NEW." + b + " := NEW." + a + ";\n"
                + "  ELSIF NEW." + b + " IS DISTINCT FROM OLD." + b + " THEN\n    NEW." + a + " := NEW." + b + ";\n"
                + "  END IF;\n";
        PlanBuilder plan = new PlanBuilder(c)
                .expand()
                .sql(
                        "ALTER TABLE " + c.tableSql() + " ADD COLUMN " + b + " " + c.type(),
                        "nullable, no default: metadata only, a brief lock")
                .sql(PostgresSql.function(function, body), PlanText.keepEqual(a, b))
                .sql(PostgresSql.trigger(name, c.tableSql(), function))
                .app(PlanText.writeBoth(a, b, SYNC))
                .migrate()
                .sql(
                        PostgresSql.backfill(c, b + " = " + a, b + " IS DISTINCT FROM " + a, batchSize),
                        PlanText.copy(a, b) + ": " + String.format(PostgresSql.BACKFILL_WHY, batchSize));
        if (c.endsNotNull()) {
            plan.all(PostgresSql.notNull(c, c.newName()));
        }
        return plan.app(PlanText.switchReads(a, b, SYNC))
                .contract()
                .all(PostgresSql.atomically(
                        "together: from here on no trigger fills " + a + ", so it must go at once",
                        PlanText.dropSyncTrigger(name.toSql() + " ON " + c.tableSql()),
                        "DROP FUNCTION " + function + "()",
                        dropColumn(c, a, PlanText.renamedTo(c.newName()))))
                .build();
    }

    @Override
    public Plan renameTable(Change c) {
        String renamed = Names.inSchemaOf(c.table(), c.newName());
        return new PlanBuilder(c)
                .expand()
                .all(PostgresSql.atomically(
                        "together, so no query ever finds neither name",
                        "/* ddlguard:allow rename-table a view keeps the old name working until no code uses it */ ALTER TABLE "
                                + c.tableSql() + " RENAME TO " + c.newNameSql(),
                        "CREATE VIEW " + c.tableSql() + " AS SELECT * FROM " + renamed))
                .app(PlanText.useNewName(renamed, c.tableSql())
                        + " (the view is updatable: reads and writes through the old name keep working)")
                .contract()
                .sql(
                        "/* ddlguard:allow drop-view nothing uses the old name any more */ DROP VIEW " + c.tableSql(),
                        "nothing uses the old name any more")
                .build();
    }

    @Override
    public PlanBuilder addNullable(Change c) {
        String b = c.columnSql();
        PlanBuilder plan = new PlanBuilder(c)
                .expand()
                .sql(
                        "ALTER TABLE " + c.tableSql() + " ADD COLUMN " + b + " " + c.type(),
                        "nullable, no default: metadata only, whatever the table's size");
        if (c.defaultExpr() != null) {
            plan.sql(
                    "ALTER TABLE " + c.tableSql() + " ALTER COLUMN " + b + " SET DEFAULT " + c.defaultExpr(),
                    "for new rows only: existing rows are filled in batches below instead of by a table rewrite");
        }
        return plan;
    }

    @Override
    public Plan changeType(Change c, int batchSize) {
        String col = c.columnSql();
        Identifier fresh = Names.generated(PG, "", "new", c.column());
        String value = c.using() != null
                ? StatementParts.onNewRow(c.using(), c.column(), SqlSyntax.POSTGRESQL)
                : "CAST(NEW." + col + " AS " + c.type() + ")";
        String rowValue = c.using() != null ? c.using() : "CAST(" + col + " AS " + c.type() + ")";
        Identifier name = Names.generated(PG, "ddlguard_sync", "", c.table().name(), c.column(), fresh);
        String function = Names.inSchemaOf(c.table(), name);
        PlanBuilder plan = new PlanBuilder(c)
                .expand()
                .sql(
                        "ALTER TABLE " + c.tableSql() + " ADD COLUMN " + fresh.toSql() + " " + c.type(),
                        "nullable, no default: metadata only")
                .sql(
                        PostgresSql.function(function, "  NEW." + fresh.toSql() + " := " + value + ";\n"),
                        PlanText.everyWriteCopied(col))
                .sql(PostgresSql.trigger(name, c.tableSql(), function))
                .app(PlanText.nothingToDeployYet(col, fresh.toSql(), SYNC))
                .migrate()
                .all(backfill(
                        c,
                        fresh.toSql() + " = " + rowValue,
                        fresh.toSql() + " IS NULL",
                        batchSize,
                        PlanText.CONVERT_EXISTING_ROWS));
        if (c.endsNotNull()) {
            plan.all(notNull(c, fresh));
        }
        return plan.app(PlanText.acceptNewType(col, c.type()))
                .contract()
                .all(PostgresSql.atomically(
                        "together: the swap is atomic, and no write to " + col + " is missed between the steps",
                        PlanText.dropSyncTrigger(name.toSql() + " ON " + c.tableSql()),
                        "DROP FUNCTION " + function + "()",
                        dropColumn(c, col, PlanText.replacedBy(fresh) + " as " + c.type()),
                        "/* ddlguard:allow rename-column " + fresh.text()
                                + " takes the name of the column it replaces, "
                                + "no code uses " + fresh.text() + " */ ALTER TABLE " + c.tableSql() + " RENAME COLUMN "
                                + fresh.toSql()
                                + " TO " + col))
                .build();
    }

    @Override
    public Plan dropColumn(Change c) {
        String col = c.columnSql();
        Identifier backup = Names.generated(PG, "", "backup", c.table().name(), c.column());
        PlanBuilder plan = new PlanBuilder(c).expand();
        if (!Boolean.FALSE.equals(c.notNull())) {
            plan.sql(
                    "ALTER TABLE " + c.tableSql() + " ALTER COLUMN " + col + " DROP NOT NULL",
                    "metadata only: code that stops writing " + col + " can still insert (a no-op if it is nullable)");
        }
        return plan.app(PlanText.stopUsing(col) + " (ORMs: remove it from the mapping too)")
                .migrate()
                .sql(PlanText.keepData(c, backup), "keep the data: reads only, writes go on")
                .contract()
                .sql(dropColumn(c, col, PlanText.dataKeptIn(backup)), "metadata only: a brief lock")
                .build();
    }

    @Override
    public List<Step> backfill(Change c, String set, String filter, int batchSize, String why) {
        return List.of(new Step.Sql(
                PostgresSql.backfill(c, set, filter, batchSize),
                why + ": " + String.format(PostgresSql.BACKFILL_WHY, batchSize)));
    }

    @Override
    public List<Step> notNull(Change c, Identifier column) {
        return PostgresSql.notNull(c, column);
    }

    private static String dropColumn(Change c, String column, String reason) {
        return PlanText.allowDropColumn(reason) + "ALTER TABLE " + c.tableSql() + " DROP COLUMN " + column;
    }
}
