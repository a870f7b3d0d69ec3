package dev.ddlguard.cli.plan;

import dev.ddlguard.policy.Target;

/**
 * Turns one DDL statement that cannot run safely in one step into its expand-contract plan:
 * rename column, rename table, add a NOT NULL column, change a column's type, drop a column, set
 * NOT NULL, for PostgreSQL or MySQL/MariaDB.
 *
 * <pre>{@code
 * Plan plan = Planner.plan("ALTER TABLE orders RENAME COLUMN total TO amount", Target.POSTGRESQL, 1000);
 * System.out.print(plan.render());
 * }</pre>
 */
public final class Planner {

    /** Rows per backfill batch when the caller does not choose. */
    public static final int DEFAULT_BATCH_SIZE = 1000;

    private Planner() {}

    /**
     * The plan, without a database: what the statement does not say (the old column's type, the
     * primary key) becomes a placeholder or an assumption that the plan's notes name.
     *
     * @param target {@code AUTO} or null means PostgreSQL
     * @throws IllegalArgumentException when the statement cannot be read, holds more than one
     *         statement or change, or is not a change that needs a plan; the message says which
     */
    public static Plan plan(String sql, Target target, int batchSize) {
        return plan(sql, target, batchSize, TableInfo.NONE);
    }

    /**
     * The plan, with what {@code tables} knows filled in (see {@link TableInfo#of(java.sql.Connection)}
     * for the live catalog).
     *
     * @throws IllegalArgumentException as {@link #plan(String, Target, int)}, and for a batch size below 1
     */
    public static Plan plan(String sql, Target target, int batchSize, TableInfo tables) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        Target resolved = target == null || target == Target.AUTO ? Target.POSTGRESQL : target;
        Change change = ChangeReader.read(sql, resolved, tables == null ? TableInfo.NONE : tables);
        ExpandContractPlans plans = resolved == Target.POSTGRESQL ? PostgresPlans.INSTANCE : MySqlPlans.INSTANCE;
        return plans.plan(change, batchSize);
    }
}
