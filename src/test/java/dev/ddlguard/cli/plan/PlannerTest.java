package dev.ddlguard.cli.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddlguard.policy.Target;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The PostgreSQL plans as text: their steps, their rendering, and the statements that have none. */
class PlannerTest {

    private static final TableInfo ORDERS = new FixedTableInfo(
            Map.of("id", "bigint", "total", "numeric(10,2)", "qty", "integer"),
            List.of("id", "total", "qty"),
            List.of("id"));

    @Test
    void renameColumnIsExpandBackfillSwitchContract() {
        Plan plan = Planner.plan("ALTER TABLE orders RENAME COLUMN total TO amount", Target.POSTGRESQL, 500, ORDERS);

        assertThat(plan.target()).isEqualTo(Target.POSTGRESQL);
        assertThat(plan.phases()).extracting(Phase::name).containsExactly("Expand", "Migrate", "Contract");
        List<String> expand = plan.sqlOf("expand");
        assertThat(expand.get(0)).isEqualTo("ALTER TABLE orders ADD COLUMN amount numeric(10,2)");
        assertThat(expand.get(1))
                .startsWith("CREATE FUNCTION ddlguard_sync_orders_total_amount() RETURNS trigger")
                .contains(
                        "IF NEW.amount IS NULL THEN NEW.amount := NEW.total; ELSE NEW.total := NEW.amount; END IF;",
                        "ELSIF NEW.total IS DISTINCT FROM OLD.total THEN\n    NEW.amount := NEW.total;",
                        "ELSIF NEW.amount IS DISTINCT FROM OLD.amount THEN\n    NEW.total := NEW.amount;");
        assertThat(expand.get(2))
                .isEqualTo("CREATE TRIGGER ddlguard_sync_orders_total_amount BEFORE INSERT OR UPDATE ON orders"
                        + " FOR EACH ROW EXECUTE FUNCTION ddlguard_sync_orders_total_amount()");
        assertThat(plan.phase("Expand").appSteps()).singleElement().asString().contains("writes both total and amount");

        List<String> migrate = plan.sqlOf("Migrate");
        assertThat(migrate.get(0))
                .startsWith("DO $ddlguard$")
                .contains(
                        "LIMIT 500",
                        "COMMIT;",
                        "UPDATE orders SET amount = total WHERE (ddlguard_last_1 IS NULL OR id > ddlguard_last_1) AND id <= ddlguard_next_1"
                                + " AND (amount IS DISTINCT FROM total)");
        assertThat(migrate.subList(1, 5))
                .containsExactly( // total was NOT NULL: so is amount, without a long lock
                        "ALTER TABLE orders ADD CONSTRAINT orders_amount_not_null CHECK (amount IS NOT NULL) NOT VALID",
                        "ALTER TABLE orders VALIDATE CONSTRAINT orders_amount_not_null",
                        "/* ddlguard:allow set-not-null the validated check orders_amount_not_null proves it, so PostgreSQL 12+ skips"
                                + " the scan */ ALTER TABLE orders ALTER COLUMN amount SET NOT NULL",
                        "/* ddlguard:allow drop-constraint the NOT NULL column makes this helper check redundant */"
                                + " ALTER TABLE orders DROP CONSTRAINT orders_amount_not_null");
        assertThat(plan.phase("Migrate").appSteps()).singleElement().asString().startsWith("switch reads to amount");

        assertThat(plan.sqlOf("Contract"))
                .containsExactly(
                        "BEGIN",
                        "SET LOCAL lock_timeout = '5s'",
                        "/* ddlguard:allow drop-trigger the plan's sync trigger: the copying is done */ DROP TRIGGER"
                                + " ddlguard_sync_orders_total_amount ON orders",
                        "DROP FUNCTION ddlguard_sync_orders_total_amount()",
                        "/* ddlguard:allow drop-column renamed to amount, which holds the same values */ ALTER TABLE orders DROP COLUMN total",
                        "COMMIT");
        assertThat(plan.placeholders()).isEmpty();
    }

    @Test
    void withoutTableInfoTheTypeIsAPlaceholderAndTheKeyAnAssumption() {
        Plan plan = Planner.plan(
                "ALTER TABLE orders RENAME COLUMN total TO amount", Target.AUTO, Planner.DEFAULT_BATCH_SIZE);

        assertThat(plan.target()).as("AUTO plans for PostgreSQL").isEqualTo(Target.POSTGRESQL);
        assertThat(plan.placeholders()).containsExactly("<type of total>");
        assertThat(plan.notes())
                .anyMatch(n -> n.contains("primary key of orders is not known"))
                .anyMatch(n -> n.contains("whether total is NOT NULL is not known"));
        assertThat(plan.sqlOf("Migrate")).hasSize(1); // no NOT NULL steps when it is not known to be NOT NULL
        assertThat(plan.sqlOf("Migrate").get(0)).contains("LIMIT 1000");

        Plan filled = plan.fill("<type of total>", "numeric");
        assertThat(filled.placeholders()).isEmpty();
        assertThat(filled.sqlOf("Expand").get(0)).isEqualTo("ALTER TABLE orders ADD COLUMN amount numeric");
    }

    @Test
    void rendersARunnableScriptWithTheApplicationStepsAsComments() {
        String script = Planner.plan("ALTER TABLE orders RENAME COLUMN total TO amount", null, 1000)
                .render();

        assertThat(script)
                .startsWith("-- ddlguard expand-contract plan for postgresql\n"
                        + "-- replaces: ALTER TABLE orders RENAME COLUMN total TO amount\n");
        assertThat(script)
                .contains(
                        "-- fill in before running: <type of total>\n",
                        "-- ===== Phase 1 of 3: Expand =====\n",
                        "-- ===== Phase 2 of 3: Migrate =====\n",
                        "-- ===== Phase 3 of 3: Contract =====\n",
                        "\n-- APP: deploy code that writes both total and amount",
                        "ALTER TABLE orders ADD COLUMN amount <type of total>;\n",
                        "$ddlguard$;\n",
                        "COMMIT;\n");
        assertThat(script.indexOf("Expand =====")).isLessThan(script.indexOf("Migrate ====="));
        assertThat(script.indexOf("Migrate =====")).isLessThan(script.indexOf("Contract ====="));
        // every line is a comment, part of a statement, or blank: nothing a client would choke on
        assertThat(script).doesNotContain("DELIMITER");
        assertThat(Planner.plan("ALTER TABLE t ALTER COLUMN c SET NOT NULL", Target.POSTGRESQL, 10)
                        .render("Contract"))
                .isEqualTo("-- ===== Phase 3 of 3: Contract =====\n-- nothing to do in this phase\n");
    }

    @Test
    void changeTypeKeepsTheNameThroughAnAtomicSwap() {
        Plan plan = Planner.plan(
                "ALTER TABLE orders ALTER COLUMN qty TYPE bigint USING qty * 100", Target.POSTGRESQL, 1000, ORDERS);

        assertThat(plan.sqlOf("Expand").get(0)).isEqualTo("ALTER TABLE orders ADD COLUMN qty_new bigint");
        assertThat(plan.sqlOf("Expand").get(1)).contains("NEW.qty_new := NEW.qty * 100;");
        assertThat(plan.sqlOf("Migrate").get(0)).contains("SET qty_new = qty * 100 WHERE");
        assertThat(plan.sqlOf("Migrate")).anyMatch(s -> s.endsWith("ALTER COLUMN qty_new SET NOT NULL"));
        assertThat(plan.sqlOf("Contract"))
                .containsSubsequence(
                        "BEGIN",
                        "/* ddlguard:allow drop-column replaced by qty_new, which holds the same values as bigint */ ALTER TABLE orders DROP COLUMN qty",
                        "/* ddlguard:allow rename-column qty_new takes the name of the column it replaces, no code uses qty_new */"
                                + " ALTER TABLE orders RENAME COLUMN qty_new TO qty",
                        "COMMIT");
        assertThat(plan.notes()).anyMatch(n -> n.contains("indexes, constraints"));
    }

    @Test
    void typeChangeWithoutUsingCasts() {
        Plan plan = Planner.plan("ALTER TABLE orders ALTER COLUMN qty TYPE bigint", Target.POSTGRESQL, 1000, ORDERS);
        assertThat(plan.sqlOf("Expand").get(1)).contains("NEW.qty_new := CAST(NEW.qty AS bigint);");
        assertThat(plan.sqlOf("Migrate").get(0)).contains("SET qty_new = CAST(qty AS bigint) WHERE");
    }

    @Test
    void renameTableLeavesAViewInTheSameTransaction() {
        Plan plan = Planner.plan("ALTER TABLE app.orders RENAME TO purchases", Target.POSTGRESQL, 1000);
        assertThat(plan.sqlOf("Expand"))
                .containsExactly(
                        "BEGIN",
                        "SET LOCAL lock_timeout = '5s'",
                        "/* ddlguard:allow rename-table a view keeps the old name working until no code uses it */"
                                + " ALTER TABLE app.orders RENAME TO purchases",
                        "CREATE VIEW app.orders AS SELECT * FROM app.purchases",
                        "COMMIT");
        assertThat(plan.sqlOf("Migrate")).isEmpty();
        assertThat(plan.sqlOf("Contract"))
                .containsExactly(
                        "/* ddlguard:allow drop-view nothing uses the old name any more */ DROP VIEW app.orders");
    }

    @Test
    void addNotNullColumnBackfillsTheDefaultOrAPlaceholder() {
        Plan plain =
                Planner.plan("ALTER TABLE orders ADD COLUMN region text NOT NULL", Target.POSTGRESQL, 1000, ORDERS);
        assertThat(plain.sqlOf("Expand")).containsExactly("ALTER TABLE orders ADD COLUMN region text");
        assertThat(plain.placeholders()).containsExactly("<value for region>");
        assertThat(plain.sqlOf("Migrate").get(0))
                .contains("SET region = <value for region> WHERE", "AND (region IS NULL)");
        assertThat(plain.sqlOf("Migrate")).hasSize(5);
        assertThat(plain.sqlOf("Contract")).isEmpty();

        Plan withDefault = Planner.plan(
                "ALTER TABLE orders ADD COLUMN region text NOT NULL DEFAULT 'eu'", Target.POSTGRESQL, 1000, ORDERS);
        assertThat(withDefault.sqlOf("Expand"))
                .containsExactly(
                        "ALTER TABLE orders ADD COLUMN region text",
                        "ALTER TABLE orders ALTER COLUMN region SET DEFAULT 'eu'");
        assertThat(withDefault.sqlOf("Migrate").get(0)).contains("SET region = 'eu' WHERE");
        assertThat(withDefault.placeholders()).isEmpty();
    }

    @Test
    void dropColumnBacksUpThenDropsWithTheInlineAllow() {
        Plan plan = Planner.plan("ALTER TABLE orders DROP COLUMN qty", Target.POSTGRESQL, 1000, ORDERS);
        assertThat(plan.sqlOf("Expand")).containsExactly("ALTER TABLE orders ALTER COLUMN qty DROP NOT NULL");
        assertThat(plan.phase("Expand").appSteps())
                .singleElement()
                .asString()
                .contains("no longer reads or writes qty");
        assertThat(plan.sqlOf("Migrate"))
                .containsExactly("CREATE TABLE orders_qty_backup AS SELECT id, qty FROM orders");
        assertThat(plan.sqlOf("Contract"))
                .containsExactly("/* ddlguard:allow drop-column no deployed code uses it, its data is in"
                        + " orders_qty_backup */ ALTER TABLE orders DROP COLUMN qty");
    }

    @Test
    void compositeKeysBatchOnRowComparisons() {
        TableInfo lines = new FixedTableInfo(Map.of("note", "text"), List.of(), List.of("order_id", "line"));
        String backfill = Planner.plan("ALTER TABLE lines ALTER COLUMN note SET NOT NULL", Target.POSTGRESQL, 50, lines)
                .sqlOf("Migrate")
                .get(0);
        assertThat(backfill)
                .contains(
                        "ddlguard_last_2 lines.line%TYPE;",
                        "SELECT order_id, line INTO ddlguard_next_1, ddlguard_next_2 FROM (SELECT order_id, line FROM lines WHERE"
                                + " (ddlguard_last_1 IS NULL OR (order_id, line) > (ddlguard_last_1, ddlguard_last_2)) ORDER BY"
                                + " order_id, line LIMIT 50) AS ddlguard_batch ORDER BY order_id DESC, line DESC LIMIT 1;",
                        "AND (order_id, line) <= (ddlguard_next_1, ddlguard_next_2)",
                        "ddlguard_last_2 := ddlguard_next_2;");
    }

    @Test
    void quotedNamesStayQuoted() {
        Plan plan = Planner.plan(
                "ALTER TABLE \"Orders\" RENAME COLUMN \"Total\" TO \"Amount\"",
                Target.POSTGRESQL,
                1000,
                new FixedTableInfo(Map.of("Total", "integer"), List.of(), List.of("Order Id")));
        assertThat(plan.sqlOf("Expand").get(0)).isEqualTo("ALTER TABLE \"Orders\" ADD COLUMN \"Amount\" integer");
        assertThat(plan.sqlOf("Expand").get(2)).startsWith("CREATE TRIGGER \"ddlguard_sync_Orders_Total_Amount\"");
        assertThat(plan.sqlOf("Migrate").get(0))
                .contains("\"Orders\".\"Order Id\"%TYPE", "ORDER BY \"Order Id\" LIMIT");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''                                                      | no statement given",
                "-- only a comment                                       | only comments",
                "SELECT 1                                                | not a DDL statement",
                "CREATE INDEX i ON t (a)                                 | is not a change that needs an expand-contract plan",
                "ALTER TABLE t ADD COLUMN a int; ALTER TABLE t ADD COLUMN b int | one statement at a time",
                "ALTER TABLE t ADD COLUMN a int NOT NULL, DROP COLUMN b  | plan one change at a time",
                "ALTER TABLE t ADD COLUMN a int                          | needs no plan",
                "ALTER TABLE t ADD COLUMN a int GENERATED ALWAYS AS IDENTITY NOT NULL | generated or identity",
                "ALTER TABLE t ALTER COLUMN a DROP NOT NULL              | needs no expand-contract plan",
                "ALTER TABLE orders DROP COLUMN id                       | part of the primary key",
                "ALTER TABLE orders ALTER COLUMN qty SET NOT NULL        | NOT NULL already",
            })
    void statementsWithoutAPlanSayWhy(String sql, String message) {
        assertThatThrownBy(() -> Planner.plan(sql, Target.POSTGRESQL, 1000, ORDERS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void batchSizeMustBePositive() {
        assertThatThrownBy(() -> Planner.plan("ALTER TABLE t DROP COLUMN c", Target.POSTGRESQL, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch size");
    }
}
