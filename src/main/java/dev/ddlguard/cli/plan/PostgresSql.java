package dev.ddlguard.cli.plan;

import dev.ddlguard.policy.Target;
import dev.ddlguard.sql.Identifier;
import java.util.ArrayList;
import java.util.List;

/** PostgreSQL statements the plans are made of: sync trigger, batched backfill, NOT NULL without a long lock. */
final class PostgresSql {

    /** A dollar-quote tag that a user's expression is unlikely to contain. */
    private static final String BODY = "$ddlguard$";

    private PostgresSql() {}

    static String function(String name, String body) {
        return "CREATE FUNCTION " + name + "() RETURNS trigger LANGUAGE plpgsql AS " + BODY + "\nBEGIN\n" + body
                + "  RETURN NEW;\nEND\n" + BODY;
    }

    static String trigger(Identifier trigger, String table, String function) {
        return "CREATE TRIGGER " + trigger.toSql() + " BEFORE INSERT OR UPDATE ON " + table
                + " FOR EACH ROW EXECUTE FUNCTION " + function + "()";
    }

    /**
     * Runs {@code UPDATE table SET set WHERE filter} over the whole table in primary-key order, one
     * batch per transaction ({@link KeysetBatch}).
     * Rows written meanwhile need no second pass: the trigger (or the deployed code) fills them.
     */
    static String backfill(Change c, String set, String filter, int batchSize) {
        KeysetBatch batch = KeysetBatch.over(c.key(), "ddlguard_");
        StringBuilder declare = new StringBuilder();
        StringBuilder advance = new StringBuilder();
        for (int i = 0; i < batch.key().size(); i++) {
            String type = c.tableSql() + "." + batch.key().get(i) + "%TYPE";
            declare.append("  ")
                    .append(batch.last().get(i))
                    .append(' ')
                    .append(type)
                    .append(";\n")
                    .append("  ")
                    .append(batch.next().get(i))
                    .append(' ')
                    .append(type)
                    .append(";\n");
            advance.append("    ")
                    .append(batch.last().get(i))
                    .append(" := ")
                    .append(batch.next().get(i))
                    .append(";\n");
        }
        return "DO " + BODY + "\nDECLARE\n" + declare + "BEGIN\n  LOOP\n"
                + "    " + batch.selectNext(c.tableSql(), batchSize) + ";\n"
                + "    EXIT WHEN NOT FOUND;\n"
                + "    " + batch.update(c.tableSql(), set, filter) + ";\n"
                + advance
                + "    COMMIT;\n  END LOOP;\nEND\n" + BODY;
    }

    static final String BACKFILL_WHY = "one transaction per batch of %d rows, in primary-key order (PostgreSQL 11+; "
            + "run it outside a transaction block, or the COMMIT inside fails)";

    /**
     * NOT NULL without holding ACCESS EXCLUSIVE for a scan: a NOT VALID check (brief lock, new rows
     * checked), validated under SHARE UPDATE EXCLUSIVE, which lets PostgreSQL 12+ SET NOT NULL without a scan.
     */
    static List<Step> notNull(Change c, Identifier column) {
        Identifier check =
                Names.generated(Target.POSTGRESQL, "", "not_null", c.table().name(), column);
        String alter = "ALTER TABLE " + c.tableSql() + " ";
        return List.of(
                new Step.Sql(
                        alter + "ADD CONSTRAINT " + check.toSql() + " CHECK (" + column.toSql()
                                + " IS NOT NULL) NOT VALID",
                        "NOT VALID: a brief lock; rows written from now on are checked"),
                new Step.Sql(
                        alter + "VALIDATE CONSTRAINT " + check.toSql(),
                        "scans under SHARE UPDATE EXCLUSIVE: reads and writes go on (fails if a NULL is left: backfill again)"),
                new Step.Sql(
                        "/* ddlguard:allow set-not-null the validated check " + check.text() + " proves it, so "
                                + "PostgreSQL 12+ skips the scan */ " + alter + "ALTER COLUMN " + column.toSql()
                                + " SET NOT NULL",
                        "the validated check spares the scan: a brief ACCESS EXCLUSIVE lock"),
                new Step.Sql(
                        "/* ddlguard:allow drop-constraint the NOT NULL column makes this helper check redundant */ "
                                + alter + "DROP CONSTRAINT " + check.toSql(),
                        "the NOT NULL column makes the check redundant"));
    }

    /** Statements that must take effect together: one transaction, under a short lock timeout so it never queues long. */
    static List<Step> atomically(String why, String... statements) {
        List<Step> steps = new ArrayList<>();
        steps.add(new Step.Sql("BEGIN", why));
        steps.add(new Step.Sql(
                "SET LOCAL lock_timeout = '5s'", PlanText.giveUpRatherThanQueue("ACCESS EXCLUSIVE request")));
        for (String s : statements) {
            steps.add(new Step.Sql(s, null));
        }
        steps.add(new Step.Sql("COMMIT", null));
        return steps;
    }
}
