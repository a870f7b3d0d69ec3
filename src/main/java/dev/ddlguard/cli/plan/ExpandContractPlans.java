package dev.ddlguard.cli.plan;

import dev.ddlguard.sql.Identifier;
import java.util.List;

/**
 * One dialect's expand-contract plans, one per kind of change; {@link #plan} picks the one a change needs.
 * {@link PostgresPlans} and {@link MySqlPlans} write them in their server's SQL.
 */
interface ExpandContractPlans {

    /** The plan for {@code c}, backfilling {@code batchSize} rows per batch where it copies data. */
    default Plan plan(Change c, int batchSize) {
        return switch (c.kind()) {
            case RENAME_COLUMN -> renameColumn(c, batchSize);
            case RENAME_TABLE -> renameTable(c);
            case ADD_NOT_NULL_COLUMN -> addNotNullColumn(c, batchSize);
            case CHANGE_TYPE -> changeType(c, batchSize);
            case DROP_COLUMN -> dropColumn(c);
            case SET_NOT_NULL -> setNotNull(c, batchSize);
        };
    }

    Plan renameColumn(Change c, int batchSize);

    Plan renameTable(Change c);

    /** Added nullable, every existing row filled in batches, then NOT NULL: the three phases on every server. */
    default Plan addNotNullColumn(Change c, int batchSize) {
        String b = c.columnSql();
        String value = c.defaultExpr() != null ? c.defaultExpr() : PlanText.valueFor(c.column());
        return addNullable(c)
                .app(PlanText.writeInEveryInsert(b, c.defaultExpr() != null))
                .migrate()
                .all(backfill(c, b + " = " + value, b + " IS NULL", batchSize, PlanText.FILL_EXISTING_ROWS))
                .all(notNull(c, c.column()))
                .build();
    }

    /** The expand phase of a new NOT NULL column: the column added nullable, its default for new rows only. */
    PlanBuilder addNullable(Change c);

    Plan changeType(Change c, int batchSize);

    Plan dropColumn(Change c);

    /** Every NULL replaced in batches, then the constraint, the same three phases on every server. */
    default Plan setNotNull(Change c, int batchSize) {
        String col = c.columnSql();
        return new PlanBuilder(c)
                .expand()
                .app(PlanText.neverWriteNull(col))
                .migrate()
                .all(backfill(
                        c,
                        col + " = " + PlanText.valueFor(c.column()),
                        col + " IS NULL",
                        batchSize,
                        PlanText.REPLACE_THE_NULLS))
                .all(notNull(c, c.column()))
                .build();
    }

    /** {@code UPDATE table SET set WHERE filter} over the whole table, one transaction per batch. */
    List<Step> backfill(Change c, String set, String filter, int batchSize, String why);

    /** {@code column} made NOT NULL, once the backfill has filled every row, without a long lock. */
    List<Step> notNull(Change c, Identifier column);
}
