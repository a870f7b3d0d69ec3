package dev.ddlguard.cli.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddlguard.cli.plan.PlanRun.Periods;
import dev.ddlguard.cli.plan.PlanWriter.Op;
import dev.ddlguard.policy.Target;
import dev.ddlguard.support.TestDatabases;
import java.sql.Connection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every MariaDB plan run for real, phase by phase, through the guard, while a writer keeps writing
 * the way the deployed application would: no row or write lost, old and new columns agreed, and
 * the schema is the intended one.
 */
@Timeout(120)
class MariaDbPlanExecutionTest {

    private static final int BATCH = 37;
    private static final int ROWS = 300;

    private Connection raw;
    private Connection writerConnection;
    private Connection guarded;
    private String t;

    @BeforeEach
    void connect() throws Exception {
        raw = TestDatabases.mariadb();
        writerConnection = TestDatabases.mariadb();
        guarded = TestDatabases.guarded(TestDatabases.MARIADB_URL);
        t = "plan_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (raw != null) {
            PlanRun.quietly(
                    raw,
                    "DROP VIEW IF EXISTS " + t + ", " + t + "_b, ddlguard_" + t + "_b_view",
                    "DROP TABLE IF EXISTS " + t + ", " + t + "_b, " + t + "_c_backup",
                    "DROP PROCEDURE IF EXISTS ddlguard_backfill_" + t + "_a",
                    "DROP PROCEDURE IF EXISTS ddlguard_backfill_" + t + "_b",
                    "DROP PROCEDURE IF EXISTS ddlguard_backfill_" + t + "_c");
        }
        for (Connection c : new Connection[] {raw, writerConnection, guarded}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void renameColumn() throws Exception {
        PlanRun.update(
                raw, "CREATE TABLE " + t + " (id BIGINT AUTO_INCREMENT PRIMARY KEY, note TEXT, a BIGINT NOT NULL)");
        Map<Long, Long> seeded = PlanRun.seed(raw, t, "a", ROWS, 0);
        Plan plan = plan("ALTER TABLE " + t + " RENAME COLUMN a TO b");
        assertThat(plan.placeholders()).isEmpty();

        PlanWriter writer = new PlanWriter(writerConnection, seeded, Op.writes(t, "a"));
        PlanRun.run(
                plan,
                guarded,
                writer,
                new Periods(Op.writes(t, "a"), Op.writes(t, "b"), Op.writes(t, "b")),
                () -> assertThat(PlanRun.count(raw, "SELECT count(*) FROM " + t + " WHERE NOT (a <=> b)"))
                        .isZero());

        assertRows("b", writer.expected(), null);
        assertThat(PlanRun.schema(raw, "DATABASE()", t))
                .containsExactly(
                        Map.entry("id", "bigint not null"),
                        Map.entry("note", "text null"),
                        Map.entry("b", "bigint not null"));
        assertNoSyncLeft();
    }

    @Test
    void renameColumnWithChange() throws Exception {
        PlanRun.update(
                raw, "CREATE TABLE " + t + " (id BIGINT AUTO_INCREMENT PRIMARY KEY, note TEXT, a BIGINT NOT NULL)");
        Map<Long, Long> seeded = PlanRun.seed(raw, t, "a", ROWS, 0);
        Plan plan = plan("ALTER TABLE " + t + " CHANGE a b BIGINT NOT NULL DEFAULT 5 COMMENT 'renamed'");

        PlanWriter writer = new PlanWriter(writerConnection, seeded, Op.writes(t, "a"));
        PlanRun.run(
                plan,
                guarded,
                writer,
                new Periods(Op.writes(t, "a"), Op.writes(t, "b"), Op.writes(t)),
                () -> assertThat(PlanRun.count(raw, "SELECT count(*) FROM " + t + " WHERE NOT (a <=> b)"))
                        .isZero());

        assertRows("b", writer.expected(), 5L); // after the contract, inserts leave b to its new DEFAULT
        assertThat(PlanRun.count(
                        raw,
                        "SELECT count(*) FROM information_schema.columns WHERE table_schema = DATABASE() "
                                + "AND table_name = '" + t
                                + "' AND column_name = 'b' AND is_nullable = 'NO' AND column_default = '5' "
                                + "AND column_comment = 'renamed'"))
                .isOne();
        assertNoSyncLeft();
    }

    @Test
    void changeColumnType() throws Exception {
        PlanRun.update(raw, "CREATE TABLE " + t + " (id BIGINT AUTO_INCREMENT PRIMARY KEY, note TEXT, c INT NOT NULL)");
        Map<Long, Long> seeded = PlanRun.seed(raw, t, "c", ROWS, 0);
        Plan plan = plan("ALTER TABLE " + t + " MODIFY c BIGINT NOT NULL");

        PlanWriter writer = new PlanWriter(writerConnection, seeded, Op.writes(t, "c"));
        PlanRun.run(
                plan,
                guarded,
                writer,
                new Periods(Op.writes(t, "c"), Op.writes(t, "c"), Op.writes(t, "c")),
                () -> assertThat(PlanRun.count(raw, "SELECT count(*) FROM " + t + " WHERE NOT (c_new <=> c)"))
                        .isZero());

        assertRows("c", writer.expected(), null);
        assertThat(PlanRun.schema(raw, "DATABASE()", t))
                .containsExactly(
                        Map.entry("id", "bigint not null"),
                        Map.entry("note", "text null"),
                        Map.entry("c", "bigint not null"));
        PlanRun.update(raw, "UPDATE " + t + " SET c = 5000000000 ORDER BY id LIMIT 1");
        assertNoSyncLeft();
    }

    @Test
    void addNotNullColumn() throws Exception {
        PlanRun.update(raw, "CREATE TABLE " + t + " (id BIGINT AUTO_INCREMENT PRIMARY KEY, note TEXT)");
        Map<Long, Long> seeded = PlanRun.seed(raw, t, null, ROWS, 0);
        Plan plan = PlanRun.filled(
                plan("ALTER TABLE " + t + " ADD COLUMN b BIGINT NOT NULL"), Map.of("<value for b>", "-1"));

        PlanWriter writer = new PlanWriter(writerConnection, seeded, Op.writes(t));
        PlanRun.run(
                plan,
                guarded,
                writer,
                new Periods(Op.writes(t, "b"), Op.writes(t, "b"), Op.writes(t, "b")),
                () -> assertThat(PlanRun.count(raw, "SELECT count(*) FROM " + t + " WHERE b IS NULL"))
                        .isZero());

        assertRows("b", writer.expected(), -1L);
        assertThat(PlanRun.schema(raw, "DATABASE()", t)).containsEntry("b", "bigint not null");
    }

    @Test
    void setNotNull() throws Exception {
        PlanRun.update(raw, "CREATE TABLE " + t + " (id BIGINT AUTO_INCREMENT PRIMARY KEY, note TEXT, c BIGINT NULL)");
        Map<Long, Long> seeded = PlanRun.seed(raw, t, "c", ROWS, 4);
        // MySQL has no SET NOT NULL: a MODIFY to the same type is one, as the catalog shows
        Plan plan =
                PlanRun.filled(plan("ALTER TABLE " + t + " MODIFY c BIGINT NOT NULL"), Map.of("<value for c>", "-1"));
        assertThat(plan.sqlOf(Phase.MIGRATE)).noneMatch(s -> s.contains("c_new"));

        PlanWriter writer = new PlanWriter(writerConnection, seeded, new Op(t, List.of("c"), 3));
        PlanRun.run(
                plan, guarded, writer, new Periods(Op.writes(t, "c"), Op.writes(t, "c"), Op.writes(t, "c")), () -> {});

        assertRows("c", writer.expected(), -1L);
        assertThat(PlanRun.schema(raw, "DATABASE()", t)).containsEntry("c", "bigint not null");
    }

    @Test
    void renameTable() throws Exception {
        String renamed = t + "_b";
        PlanRun.update(
                raw, "CREATE TABLE " + t + " (id BIGINT AUTO_INCREMENT PRIMARY KEY, note TEXT, v BIGINT NOT NULL)");
        Map<Long, Long> seeded = PlanRun.seed(raw, t, "v", ROWS, 0);
        Plan plan = plan("RENAME TABLE " + t + " TO " + renamed);

        PlanWriter writer = new PlanWriter(writerConnection, seeded, Op.writes(t, "v"));
        PlanRun.run(
                plan,
                guarded,
                writer,
                new Periods(Op.writes(renamed, "v"), Op.writes(renamed, "v"), Op.writes(renamed, "v")),
                () -> {});

        assertThat(PlanRun.values(raw, renamed, "v")).isEqualTo(writer.expected());
        assertThat(PlanRun.count(
                        raw,
                        "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() "
                                + "AND table_name LIKE '%" + t + "%' AND table_name <> '" + renamed + "'"))
                .as("old name and view gone")
                .isZero();
        assertThat(PlanRun.count(
                        raw,
                        "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() "
                                + "AND table_name = '" + renamed + "' AND table_type = 'BASE TABLE'"))
                .isOne();
    }

    @Test
    void dropColumn() throws Exception {
        PlanRun.update(
                raw, "CREATE TABLE " + t + " (id BIGINT AUTO_INCREMENT PRIMARY KEY, note TEXT, c BIGINT NOT NULL)");
        Map<Long, Long> seeded = PlanRun.seed(raw, t, "c", ROWS, 0);
        Plan plan = plan("ALTER TABLE " + t + " DROP COLUMN c");

        PlanWriter writer = new PlanWriter(writerConnection, seeded, Op.writes(t, "c"));
        PlanRun.run(plan, guarded, writer, new Periods(Op.writes(t), Op.writes(t), Op.writes(t)), () -> {});

        assertThat(PlanRun.count(raw, "SELECT count(*) FROM " + t))
                .isEqualTo(writer.expected().size());
        assertThat(PlanRun.schema(raw, "DATABASE()", t))
                .containsExactly(Map.entry("id", "bigint not null"), Map.entry("note", "text null"));
        Map<Long, Long> backup = PlanRun.values(raw, t + "_c_backup", "c");
        Map<Long, Long> expected = new HashMap<>(writer.expected());
        expected.keySet().retainAll(backup.keySet());
        assertThat(backup)
                .hasSizeGreaterThanOrEqualTo(ROWS)
                .as("the backup holds every value written to c")
                .isEqualTo(expected);
    }

    private Plan plan(String sql) {
        return Planner.plan(sql, Target.MARIADB, BATCH, TableInfo.of(raw));
    }

    private void assertRows(String column, Map<Long, Long> expected, Long unwritten) throws Exception {
        Map<Long, Long> want = new HashMap<>();
        expected.forEach((id, v) -> want.put(id, v == null ? unwritten : v));
        assertThat(PlanRun.values(raw, t, column)).isEqualTo(want);
    }

    private void assertNoSyncLeft() throws Exception {
        assertThat(PlanRun.count(
                        raw,
                        "SELECT count(*) FROM information_schema.triggers WHERE trigger_schema = DATABASE() "
                                + "AND event_object_table = '" + t + "'"))
                .isZero();
        assertThat(PlanRun.count(
                        raw,
                        "SELECT count(*) FROM information_schema.routines WHERE routine_schema = DATABASE() "
                                + "AND routine_name LIKE 'ddlguard_%" + t + "%'"))
                .isZero();
    }
}
