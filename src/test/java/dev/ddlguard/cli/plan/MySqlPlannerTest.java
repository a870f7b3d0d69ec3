package dev.ddlguard.cli.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddlguard.policy.Target;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The MySQL/MariaDB plans as text. */
class MySqlPlannerTest {

    private static final TableInfo ORDERS = new FixedTableInfo(
            Map.of("id", "bigint(20)", "total", "int(11)", "note", "varchar(20)"),
            List.of("id", "total"),
            List.of("id"));

    @Test
    void renameColumnUsesTwoTriggersAProcedureAndAnInstantDropUnderLock() {
        Plan plan = Planner.plan("ALTER TABLE orders RENAME COLUMN total TO amount", Target.MYSQL, 200, ORDERS);

        assertThat(plan.sqlOf("Expand"))
                .containsExactly(
                        "ALTER TABLE orders ADD COLUMN amount int(11), ALGORITHM=INPLACE, LOCK=NONE",
                        "CREATE TRIGGER ddlguard_orders_total_ins BEFORE INSERT ON orders FOR EACH ROW\nBEGIN\n"
                                + "  IF NEW.amount IS NULL THEN SET NEW.amount = NEW.total; ELSE SET NEW.total = NEW.amount; END IF;\nEND",
                        "CREATE TRIGGER ddlguard_orders_total_upd BEFORE UPDATE ON orders FOR EACH ROW\nBEGIN\n"
                                + "  IF NOT (NEW.total <=> OLD.total) THEN SET NEW.amount = NEW.total;\n"
                                + "  ELSEIF NOT (NEW.amount <=> OLD.amount) THEN SET NEW.total = NEW.amount;\n  END IF;\nEND");
        List<String> migrate = plan.sqlOf("Migrate");
        assertThat(migrate.get(0))
                .startsWith("CREATE PROCEDURE ddlguard_backfill_orders_total()\nBEGIN\n")
                .contains(
                        "LIMIT 200",
                        "UPDATE orders SET amount = total WHERE",
                        "AND (NOT (amount <=> total));",
                        "COMMIT;");
        assertThat(migrate.subList(1, 4))
                .containsExactly(
                        "CALL ddlguard_backfill_orders_total()",
                        "DROP PROCEDURE ddlguard_backfill_orders_total",
                        "ALTER TABLE orders MODIFY amount int(11) NOT NULL, ALGORITHM=INPLACE, LOCK=NONE");
        assertThat(plan.sqlOf("Contract"))
                .containsExactly(
                        "SET SESSION lock_wait_timeout = 5",
                        "/* ddlguard:allow explicit-lock held only for the statements below, its wait bounded above */"
                                + " LOCK TABLES orders WRITE",
                        "/* ddlguard:allow drop-column renamed to amount, which holds the same values */"
                                + " ALTER TABLE orders DROP COLUMN total, ALGORITHM=INSTANT",
                        "/* ddlguard:allow drop-trigger the plan's sync trigger: the copying is done */ DROP TRIGGER ddlguard_orders_total_ins",
                        "/* ddlguard:allow drop-trigger the plan's sync trigger: the copying is done */ DROP TRIGGER ddlguard_orders_total_upd",
                        "UNLOCK TABLES");
    }

    @Test
    void changeRenameAppliesTheRestOfTheDefinitionOnlyAfterTheContract() {
        Plan plan = Planner.plan(
                "ALTER TABLE orders CHANGE COLUMN total amount BIGINT NOT NULL DEFAULT 0 COMMENT 'x'",
                Target.MARIADB,
                1000);
        assertThat(plan.sqlOf("Expand").get(0))
                .isEqualTo("ALTER TABLE orders ADD COLUMN amount BIGINT, ALGORITHM=INPLACE, LOCK=NONE");
        assertThat(plan.sqlOf("Migrate"))
                .last()
                .isEqualTo("ALTER TABLE orders MODIFY amount BIGINT NOT NULL, ALGORITHM=INPLACE, LOCK=NONE");
        assertThat(plan.sqlOf("Contract"))
                .last()
                .isEqualTo(
                        "ALTER TABLE orders MODIFY amount BIGINT NOT NULL DEFAULT 0 COMMENT 'x', ALGORITHM=INPLACE, LOCK=NONE");
        assertThat(plan.placeholders()).isEmpty();
    }

    @Test
    void modifyToTheSameTypeIsASetNotNull() {
        Plan plan = Planner.plan(
                "ALTER TABLE orders MODIFY note VARCHAR(20) NOT NULL DEFAULT ''", Target.MARIADB, 1000, ORDERS);
        assertThat(plan.sqlOf("Expand")).isEmpty();
        assertThat(plan.phase("Expand").appSteps()).singleElement().asString().contains("never writes NULL to note");
        assertThat(plan.sqlOf("Migrate"))
                .last()
                .isEqualTo(
                        "ALTER TABLE orders MODIFY note VARCHAR(20) NOT NULL DEFAULT '', ALGORITHM=INPLACE, LOCK=NONE");
        assertThat(plan.placeholders()).containsExactly("<value for note>");

        assertThatThrownBy(
                        () -> Planner.plan("ALTER TABLE orders MODIFY total INT NOT NULL", Target.MYSQL, 1000, ORDERS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not change the type of total");
    }

    @Test
    void setNotNullWrittenThePostgresWayStillPlans() {
        Plan plan = Planner.plan("ALTER TABLE orders ALTER COLUMN note SET NOT NULL", Target.MYSQL, 1000);
        assertThat(plan.sqlOf("Migrate"))
                .last()
                .isEqualTo("ALTER TABLE orders MODIFY note <type of note> NOT NULL, ALGORITHM=INPLACE, LOCK=NONE");
        assertThat(plan.notes()).anyMatch(n -> n.contains("MODIFY restates the whole column"));
    }

    @Test
    void changeTypeSwapsUnderLockWithInstant() {
        Plan plan = Planner.plan("ALTER TABLE orders MODIFY total BIGINT NOT NULL", Target.MARIADB, 1000, ORDERS);
        assertThat(plan.sqlOf("Expand"))
                .first()
                .isEqualTo("ALTER TABLE orders ADD COLUMN total_new BIGINT, ALGORITHM=INPLACE, LOCK=NONE");
        assertThat(plan.sqlOf("Expand").get(1)).contains("SET NEW.total_new = NEW.total;");
        assertThat(plan.sqlOf("Migrate"))
                .last()
                .isEqualTo("ALTER TABLE orders MODIFY total_new BIGINT NOT NULL, ALGORITHM=INPLACE, LOCK=NONE");
        assertThat(plan.sqlOf("Contract"))
                .contains("/* ddlguard:allow drop-column replaced by total_new, which holds the same values "
                        + "ddlguard:allow rename-column total_new takes the name of the column it replaces */ ALTER TABLE orders "
                        + "DROP COLUMN total, RENAME COLUMN total_new TO total, ALGORITHM=INSTANT");
    }

    @Test
    void renameTableCreatesTheNewNameFirstAndSwapsAtomically() {
        Plan plan = Planner.plan("RENAME TABLE orders TO purchases", Target.MARIADB, 1000);
        assertThat(plan.sqlOf("Expand")).containsExactly("CREATE VIEW purchases AS SELECT * FROM orders");
        assertThat(plan.sqlOf("Contract"))
                .containsExactly(
                        "/* ddlguard:allow rename-table the table takes the name its view had; "
                                + "no code uses the old name */ RENAME TABLE purchases TO ddlguard_purchases_view, orders TO purchases",
                        "/* ddlguard:allow drop-view it only stood in for the old name, which no code uses */ DROP VIEW ddlguard_purchases_view");
    }

    @Test
    void dropColumnMakesItNullableFirstAndCopiesWithoutRowLocks() {
        Plan plan = Planner.plan("ALTER TABLE orders DROP COLUMN total", Target.MYSQL, 1000, ORDERS);
        assertThat(plan.sqlOf("Expand"))
                .containsExactly("ALTER TABLE orders MODIFY total int(11) NULL, ALGORITHM=INPLACE, LOCK=NONE");
        assertThat(plan.sqlOf("Migrate"))
                .containsExactly(
                        "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
                        "CREATE TABLE orders_total_backup AS SELECT id, total FROM orders",
                        "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
        assertThat(plan.sqlOf("Contract"))
                .singleElement()
                .asString()
                .endsWith("ALTER TABLE orders DROP COLUMN total, ALGORITHM=INPLACE, LOCK=NONE");
    }

    @Test
    void renderWrapsOnlyCompoundStatementsInADelimiter() {
        String script = Planner.plan("ALTER TABLE orders RENAME COLUMN total TO amount", Target.MARIADB, 1000, ORDERS)
                .render();
        assertThat(script)
                .contains(
                        "DELIMITER $$\nCREATE TRIGGER ddlguard_orders_total_ins",
                        "END$$\nDELIMITER ;\n",
                        "\nCALL ddlguard_backfill_orders_total();\n",
                        "\n/* ddlguard:allow drop-column renamed to amount, which holds the same values */ ALTER TABLE orders DROP COLUMN total,"
                                + " ALGORITHM=INSTANT;\n");
        assertThat(script.split("DELIMITER \\$\\$", -1)).hasSize(4); // two triggers and the procedure
    }
}
