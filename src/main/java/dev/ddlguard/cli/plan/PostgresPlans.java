package dev.ddlguard.cli.plan;

import dev.ddlguard.policy.Target;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.SqlSyntax;

/** Expand-contract plans in PostgreSQL's SQL (11+; 12+ for the scan-free SET NOT NULL). */
final class PostgresPlans {

    private static final Target PG = Target.POSTGRESQL;

    private PostgresPlans() {
    }

    static Plan plan(Change c, int batchSize) {
        return switch (c.kind()) {
            case RENAME_COLUMN -> renameColumn(c, batchSize);
            case RENAME_TABLE -> renameTable(c);
            case ADD_NOT_NULL_COLUMN -> addNotNullColumn(c, batchSize);
            case CHANGE_TYPE -> changeType(c, batchSize);
            case DROP_COLUMN -> dropColumn(c);
            case SET_NOT_NULL -> setNotNull(c, batchSize);
        };
    }

    private static Plan renameColumn(Change c, int batchSize) {
        String a = c.c();
        String b = c.n();
        Identifier name = Names.generated(PG, "ddlguard_sync", "", c.table().name(), c.column(), c.newName());
        String function = Names.inSchemaOf(c.table(), name);
        // INSERT: code that knows b writes it (prefer b); older code leaves b NULL (copy a).
        // UPDATE: copy whichever side the statement changed.
        String body = "  IF TG_OP = 'INSERT' THEN\n"
                + "    IF NEW." + b + " IS NULL THEN NEW." + b + " := NEW." + a + "; ELSE NEW." + a + " := NEW." + b + "; END IF;\n"
                + "  ELSIF NEW." + a + " IS DISTINCT FROM OLD." + a + " THEN\n    NEW." + b + " := NEW." + a + ";\n"
                + "  ELSIF NEW." + b + " IS DISTINCT FROM OLD." + b + " THEN\n    NEW." + a + " := NEW." + b + ";\n"
                + "  END IF;\n";
        PlanBuilder plan = new PlanBuilder(c).expand()
                .sql("ALTER TABLE " + c.t() + " ADD COLUMN " + b + " " + c.type(), "nullable, no default: metadata only, a brief lock")
                .sql(PostgresSql.function(function, body), "keeps " + a + " and " + b + " equal, whichever one a deployed version writes")
                .sql(PostgresSql.trigger(name, c.t(), function))
                .app("deploy code that writes both " + a + " and " + b + " (reads stay on " + a
                        + "); instances still writing only " + a + " are covered by the trigger")
                .migrate()
                .sql(PostgresSql.backfill(c, b + " = " + a, b + " IS DISTINCT FROM " + a, batchSize),
                        "copy " + a + " to " + b + ": " + String.format(PostgresSql.BACKFILL_WHY, batchSize));
        if (c.endsNotNull()) {
            plan.all(PostgresSql.notNull(c, c.newName()));
        }
        return plan.app("switch reads to " + b + ", then deploy code that no longer reads or writes " + a
                        + " (until the Contract phase the trigger still fills " + a + " for older instances)")
                .contract()
                .all(PostgresSql.atomically("together: from here on no trigger fills " + a + ", so it must go at once",
                        "DROP TRIGGER " + name.toSql() + " ON " + c.t(),
                        "DROP FUNCTION " + function + "()",
                        dropColumn(c, a, "renamed to " + c.newName().text() + ", which holds the same values")))
                .build();
    }

    private static Plan renameTable(Change c) {
        String renamed = Names.inSchemaOf(c.table(), c.newName());
        return new PlanBuilder(c).expand()
                .all(PostgresSql.atomically("together, so no query ever finds neither name",
                        "/* ddlguard:allow rename-table a view keeps the old name working until no code uses it */ ALTER TABLE "
                                + c.t() + " RENAME TO " + c.n(),
                        "CREATE VIEW " + c.t() + " AS SELECT * FROM " + renamed))
                .app("deploy code that uses " + renamed + " instead of " + c.t()
                        + " (the view is updatable: reads and writes through the old name keep working)")
                .contract()
                .sql("/* ddlguard:allow drop-view nothing uses the old name any more */ DROP VIEW " + c.t(),
                        "nothing uses the old name any more")
                .build();
    }

    private static Plan addNotNullColumn(Change c, int batchSize) {
        String b = c.c();
        PlanBuilder plan = new PlanBuilder(c).expand()
                .sql("ALTER TABLE " + c.t() + " ADD COLUMN " + b + " " + c.type(),
                        "nullable, no default: metadata only, whatever the table's size");
        String value = c.defaultExpr() != null ? c.defaultExpr() : "<value for " + c.column().text() + ">";
        if (c.defaultExpr() != null) {
            plan.sql("ALTER TABLE " + c.t() + " ALTER COLUMN " + b + " SET DEFAULT " + c.defaultExpr(),
                    "for new rows only: existing rows are filled in batches below instead of by a table rewrite");
        }
        return plan.app("deploy code that writes " + b + " in every INSERT" + (c.defaultExpr() != null ? " (or leaves it to the DEFAULT)" : ""))
                .migrate()
                .sql(PostgresSql.backfill(c, b + " = " + value, b + " IS NULL", batchSize),
                        "fill existing rows: " + String.format(PostgresSql.BACKFILL_WHY, batchSize))
                .all(PostgresSql.notNull(c, c.column()))
                .build();
    }

    private static Plan changeType(Change c, int batchSize) {
        String col = c.c();
        Identifier fresh = Names.generated(PG, "", "new", c.column());
        String value = c.using() != null ? StatementParts.onNewRow(c.using(), c.column(), SqlSyntax.POSTGRESQL)
                : "CAST(NEW." + col + " AS " + c.type() + ")";
        String rowValue = c.using() != null ? c.using() : "CAST(" + col + " AS " + c.type() + ")";
        Identifier name = Names.generated(PG, "ddlguard_sync", "", c.table().name(), c.column(), fresh);
        String function = Names.inSchemaOf(c.table(), name);
        PlanBuilder plan = new PlanBuilder(c).expand()
                .sql("ALTER TABLE " + c.t() + " ADD COLUMN " + fresh.toSql() + " " + c.type(), "nullable, no default: metadata only")
                .sql(PostgresSql.function(function, "  NEW." + fresh.toSql() + " := " + value + ";\n"),
                        "every write to " + col + " also writes its new-type value")
                .sql(PostgresSql.trigger(name, c.t(), function))
                .app("nothing to deploy yet: code keeps using " + col + "; the trigger fills " + fresh.toSql())
                .migrate()
                .sql(PostgresSql.backfill(c, fresh.toSql() + " = " + rowValue, fresh.toSql() + " IS NULL", batchSize),
                        "convert existing rows: " + String.format(PostgresSql.BACKFILL_WHY, batchSize));
        if (c.endsNotNull()) {
            plan.all(PostgresSql.notNull(c, fresh));
        }
        return plan.app("deploy code that accepts " + col + " as " + c.type() + " (the swap below keeps its name)")
                .contract()
                .all(PostgresSql.atomically("together: the swap is atomic, and no write to " + col + " is missed between the steps",
                        "DROP TRIGGER " + name.toSql() + " ON " + c.t(),
                        "DROP FUNCTION " + function + "()",
                        dropColumn(c, col, "replaced by " + fresh.text() + ", which holds the same values as " + c.type()),
                        "/* ddlguard:allow rename-column " + fresh.text() + " takes the name of the column it replaces, "
                                + "no code uses " + fresh.text() + " */ ALTER TABLE " + c.t() + " RENAME COLUMN " + fresh.toSql()
                                + " TO " + col))
                .build();
    }

    private static Plan dropColumn(Change c) {
        String col = c.c();
        Identifier backup = Names.generated(PG, "", "backup", c.table().name(), c.column());
        PlanBuilder plan = new PlanBuilder(c).expand();
        if (!Boolean.FALSE.equals(c.notNull())) {
            plan.sql("ALTER TABLE " + c.t() + " ALTER COLUMN " + col + " DROP NOT NULL",
                    "metadata only: code that stops writing " + col + " can still insert (a no-op if it is nullable)");
        }
        return plan.app("deploy code that no longer reads or writes " + col + " (ORMs: remove it from the mapping too)")
                .migrate()
                .sql("CREATE TABLE " + Names.inSchemaOf(c.table(), backup) + " AS SELECT " + String.join(", ", c.key())
                        + ", " + col + " FROM " + c.t(), "keep the data: reads only, writes go on")
                .contract()
                .sql(dropColumn(c, col, "no deployed code uses it, its data is in " + backup.text()), "metadata only: a brief lock")
                .build();
    }

    private static Plan setNotNull(Change c, int batchSize) {
        String col = c.c();
        return new PlanBuilder(c).expand()
                .app("deploy code that never writes NULL to " + col + " (give it a DEFAULT first if inserts leave it out)")
                .migrate()
                .sql(PostgresSql.backfill(c, col + " = <value for " + c.column().text() + ">", col + " IS NULL", batchSize),
                        "replace the NULLs: " + String.format(PostgresSql.BACKFILL_WHY, batchSize))
                .all(PostgresSql.notNull(c, c.column()))
                .build();
    }

    private static String dropColumn(Change c, String column, String reason) {
        return "/* ddlguard:allow drop-column " + reason + " */ ALTER TABLE " + c.t() + " DROP COLUMN " + column;
    }
}
