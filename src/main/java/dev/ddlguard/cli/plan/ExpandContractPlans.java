package dev.ddlguard.cli.plan;

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

    Plan addNotNullColumn(Change c, int batchSize);

    Plan changeType(Change c, int batchSize);

    Plan dropColumn(Change c);

    Plan setNotNull(Change c, int batchSize);
}
