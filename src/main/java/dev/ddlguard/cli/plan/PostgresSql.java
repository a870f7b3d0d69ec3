package dev.ddlguard.cli.plan;

import dev.ddlguard.policy.Target;
import dev.ddlguard.sql.Identifier;
import java.util.ArrayList;
import java.util.List;

/** PostgreSQL statements the plans are made of: sync trigger, batched backfill, NOT NULL without a long lock. */
final class PostgresSql {

    /** A dollar-quote tag that a user's expression is unlikely to contain. */
    private static final String BODY = "$ddlguard$";

    private PostgresSql() {
    }

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
     * batch per transaction. Keyset batches (last key seen, next key) read each row once, where
     * re-selecting "rows still to do" would rescan the finished part of the table for every batch.
     * Rows written meanwhile need no second pass: the trigger (or the deployed code) fills them.
     */
    static String backfill(Change c, String set, String filter, int batchSize) {
        List<String> key = c.key();
        List<String> last = new ArrayList<>();
        List<String> next = new ArrayList<>();
        StringBuilder declare = new StringBuilder();
        for (int i = 1; i <= key.size(); i++) {
            last.add("ddlguard_last_" + i);
            next.add("ddlguard_next_" + i);
            String type = c.t() + "." + key.get(i - 1) + "%TYPE";
            declare.append("  ddlguard_last_").append(i).append(' ').append(type).append(";\n")
                    .append("  ddlguard_next_").append(i).append(' ').append(type).append(";\n");
        }
        String keys = String.join(", ", key);
        String after = "(" + last.get(0) + " IS NULL OR " + row(key) + " > " + row(last) + ")";
        StringBuilder advance = new StringBuilder();
        for (int i = 0; i < key.size(); i++) {
            advance.append("    ").append(last.get(i)).append(" := ").append(next.get(i)).append(";\n");
        }
        return "DO " + BODY + "\nDECLARE\n" + declare + "BEGIN\n  LOOP\n"
                + "    SELECT " + keys + " INTO " + String.join(", ", next) + " FROM (SELECT " + keys + " FROM " + c.t()
                + " WHERE " + after + " ORDER BY " + keys + " LIMIT " + batchSize + ") AS ddlguard_batch ORDER BY "
                + descending(key) + " LIMIT 1;\n"
                + "    EXIT WHEN NOT FOUND;\n"
                + "    UPDATE " + c.t() + " SET " + set + " WHERE " + after + " AND " + row(key) + " <= " + row(next)
                + " AND (" + filter + ");\n"
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
        Identifier check = Names.generated(Target.POSTGRESQL, "", "not_null", c.table().name(), column);
        String alter = "ALTER TABLE " + c.t() + " ";
        return List.of(
                new Step.Sql(alter + "ADD CONSTRAINT " + check.toSql() + " CHECK (" + column.toSql() + " IS NOT NULL) NOT VALID",
                        "NOT VALID: a brief lock; rows written from now on are checked"),
                new Step.Sql(alter + "VALIDATE CONSTRAINT " + check.toSql(),
                        "scans under SHARE UPDATE EXCLUSIVE: reads and writes go on (fails if a NULL is left: backfill again)"),
                new Step.Sql("/* ddlguard:allow set-not-null the validated check " + check.text() + " proves it, so "
                        + "PostgreSQL 12+ skips the scan */ " + alter + "ALTER COLUMN " + column.toSql() + " SET NOT NULL",
                        "the validated check spares the scan: a brief ACCESS EXCLUSIVE lock"),
                new Step.Sql("/* ddlguard:allow drop-constraint the NOT NULL column makes this helper check redundant */ " + alter + "DROP CONSTRAINT " + check.toSql(), "the NOT NULL column makes the check redundant"));
    }

    /** Statements that must take effect together: one transaction, under a short lock timeout so it never queues long. */
    static List<Step> atomically(String why, String... statements) {
        List<Step> steps = new ArrayList<>();
        steps.add(new Step.Sql("BEGIN", why));
        steps.add(new Step.Sql("SET LOCAL lock_timeout = '5s'",
                "give up rather than queue: every query on the table waits behind a queued ACCESS EXCLUSIVE request"));
        for (String s : statements) {
            steps.add(new Step.Sql(s, null));
        }
        steps.add(new Step.Sql("COMMIT", null));
        return steps;
    }

    private static String row(List<String> items) {
        return items.size() == 1 ? items.get(0) : "(" + String.join(", ", items) + ")";
    }

    private static String descending(List<String> key) {
        return String.join(", ", key.stream().map(k -> k + " DESC").toList());
    }
}
