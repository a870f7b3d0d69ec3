package dev.ddlguard.cli.plan;

import dev.ddlguard.sql.Identifier;
import java.util.ArrayList;
import java.util.List;

/** MySQL/MariaDB statements the plans are made of: triggers, a batched backfill procedure, online ALTER clauses. */
final class MySqlSql {

    /** Online on MySQL 5.6+ and MariaDB 10.0+; MariaDB (and MySQL where it can) picks INSTANT when that is possible. */
    static final String ONLINE = ", ALGORITHM=INPLACE, LOCK=NONE";

    private MySqlSql() {
    }

    static String trigger(Identifier name, String event, String table, String body) {
        return "CREATE TRIGGER " + name.toSql() + " BEFORE " + event + " ON " + table + " FOR EACH ROW\nBEGIN\n" + body + "END";
    }

    /**
     * A procedure running {@code UPDATE table SET set WHERE filter} in primary-key batches, each
     * committed on its own; MySQL has no anonymous blocks, so it is created, called and dropped. Keyset
     * batches read each row once (re-selecting "rows still to do" would rescan the finished part per batch).
     */
    static List<Step> backfill(Change c, String set, String filter, int batchSize, String why) {
        Identifier name = Names.generated(c.target(), "ddlguard_backfill", "", c.table().name(), c.column());
        String procedure = Names.inSchemaOf(c.table(), name);
        List<String> key = c.key();
        List<String> last = new ArrayList<>();
        List<String> next = new ArrayList<>();
        for (int i = 1; i <= key.size(); i++) {
            last.add("@ddlguard_last_" + i);
            next.add("@ddlguard_next_" + i);
        }
        String after = "(" + last.get(0) + " IS NULL OR " + row(key) + " > " + row(last) + ")";
        String keys = String.join(", ", key);
        String body = "  -- after the last batch the SELECT finds no row: that ends the loop, it is no error\n"
                + "  DECLARE CONTINUE HANDLER FOR NOT FOUND SET " + next.get(0) + " = NULL;\n"
                + "  SET " + assign(last, null) + ";\n"
                + "  REPEAT\n"
                + "    SET " + assign(next, null) + ";\n"
                + "    SELECT " + keys + " INTO " + String.join(", ", next) + " FROM (SELECT " + keys + " FROM " + c.t()
                + " WHERE " + after + " ORDER BY " + keys + " LIMIT " + batchSize + ") AS ddlguard_batch ORDER BY "
                + String.join(", ", key.stream().map(k -> k + " DESC").toList()) + " LIMIT 1;\n"
                + "    IF " + next.get(0) + " IS NOT NULL THEN\n"
                + "      UPDATE " + c.t() + " SET " + set + " WHERE " + after + " AND " + row(key) + " <= " + row(next)
                + " AND (" + filter + ");\n"
                + "      COMMIT;\n"
                + "    END IF;\n"
                + "    SET " + assign(last, next) + ";\n"
                + "  UNTIL " + next.get(0) + " IS NULL END REPEAT;\n";
        return List.of(
                new Step.Sql("CREATE PROCEDURE " + procedure + "()\nBEGIN\n" + body + "END",
                        why + ": batches of " + batchSize + " rows in primary-key order, each its own transaction"),
                new Step.Sql("CALL " + procedure + "()", null),
                new Step.Sql("DROP PROCEDURE " + procedure, null));
    }

    /** Statements under LOCK TABLES … WRITE, so no write lands between them; the first is the one that may fail. */
    static List<Step> locked(String table, String why, String... statements) {
        List<Step> steps = new ArrayList<>();
        steps.add(new Step.Sql("SET SESSION lock_wait_timeout = 5",
                "give up rather than queue: every query on the table waits behind a queued exclusive lock"));
        steps.add(new Step.Sql("LOCK TABLES " + table + " WRITE", why));
        for (String s : statements) {
            steps.add(new Step.Sql(s, null));
        }
        steps.add(new Step.Sql("UNLOCK TABLES", null));
        return steps;
    }

    private static String assign(List<String> targets, List<String> values) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            parts.add(targets.get(i) + " = " + (values == null ? "NULL" : values.get(i)));
        }
        return String.join(", ", parts);
    }

    private static String row(List<String> items) {
        return items.size() == 1 ? items.get(0) : "(" + String.join(", ", items) + ")";
    }
}
