package dev.ddlguard.cli.plan;

import dev.ddlguard.sql.Identifier;
import java.util.ArrayList;
import java.util.List;

/** MySQL/MariaDB statements the plans are made of: triggers, a batched backfill procedure, online ALTER clauses. */
final class MySqlSql {

    /** Online on MySQL 5.6+ and MariaDB 10.0+; MariaDB (and MySQL where it can) picks INSTANT when that is possible. */
    static final String ONLINE = ", ALGORITHM=INPLACE, LOCK=NONE";

    private MySqlSql() {}

    static String trigger(Identifier name, String event, String table, String body) {
        return "CREATE TRIGGER " + name.toSql() + " BEFORE " + event + " ON " + table + " FOR EACH ROW\nBEGIN\n" + body
                + "END";
    }

    /**
     * A procedure running {@code UPDATE table SET set WHERE filter} in primary-key batches, each
     * committed on its own ({@link KeysetBatch}); MySQL has no anonymous blocks, so it is created, called and dropped.
     */
    static List<Step> backfill(Change c, String set, String filter, int batchSize, String why) {
        Identifier name =
                Names.generated(c.target(), "ddlguard_backfill", "", c.table().name(), c.column());
        String procedure = Names.inSchemaOf(c.table(), name);
        KeysetBatch batch = KeysetBatch.over(c.key(), "@ddlguard_");
        List<String> last = batch.last();
        List<String> next = batch.next();
        String body = "  -- after the last batch the SELECT finds no row: that ends the loop, it is no error\n"
                + "  DECLARE CONTINUE HANDLER FOR NOT FOUND SET " + next.get(0) + " = NULL;\n"
                + "  SET " + assign(last, null) + ";\n"
                + "  REPEAT\n"
                + "    SET " + assign(next, null) + ";\n"
                + "    " + batch.selectNext(c.tableSql(), batchSize) + ";\n"
                + "    IF " + next.get(0) + " IS NOT NULL THEN\n"
                + "      " + batch.update(c.tableSql(), set, filter) + ";\n"
                + "      COMMIT;\n"
                + "    END IF;\n"
                + "    SET " + assign(last, next) + ";\n"
                + "  UNTIL " + next.get(0) + " IS NULL END REPEAT;\n";
        return List.of(
                new Step.Sql(
                        "CREATE PROCEDURE " + procedure + "()\nBEGIN\n" + body + "END",
                        why + ": batches of " + batchSize + " rows in primary-key order, each its own transaction"),
                new Step.Sql("CALL " + procedure + "()", null),
                new Step.Sql("DROP PROCEDURE " + procedure, null));
    }

    /** The changed column made NOT NULL, as its definition says, once the backfill has filled every row. */
    static List<Step> notNull(Change c) {
        return List.of(new Step.Sql(
                "ALTER TABLE " + c.tableSql() + " MODIFY " + c.columnSql() + " " + c.definition() + ONLINE,
                "NOT NULL online (strict sql_mode): fails, and changes nothing, if a NULL is left"));
    }

    /** Statements under LOCK TABLES … WRITE, so no write lands between them; the first is the one that may fail. */
    static List<Step> locked(String table, String why, String... statements) {
        List<Step> steps = new ArrayList<>();
        steps.add(new Step.Sql("SET SESSION lock_wait_timeout = 5", PlanText.giveUpRatherThanQueue("exclusive lock")));
        steps.add(new Step.Sql(
                "/* ddlguard:allow explicit-lock held only for the statements below, its wait bounded above */ "
                        + "LOCK TABLES " + table + " WRITE",
                why));
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
}
