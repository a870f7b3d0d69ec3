package dev.ddlguard.cli.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddlguard.cli.plan.PlanRun.Periods;
import dev.ddlguard.cli.plan.PlanWriter.Op;
import dev.ddlguard.policy.Target;
import dev.ddlguard.support.TestDatabases;
import java.sql.Connection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every PostgreSQL plan run for real, phase by phase, through the guard (which must let every step
 * through), while a writer keeps writing the way the deployed application would: at the end no
 * row and no write is lost, old and new columns agreed, and the schema is the intended one.
 */
@Timeout(120)
class PostgresPlanExecutionTest {

    /** Small batches, so the backfill runs many of them over the seeded rows. */
    private static final int BATCH = 37;

    private static final int ROWS = 300;

    private Connection raw;
    private Connection writerConnection;
    private Connection guarded;
    private String t;

    @BeforeEach
    void connect() throws Exception {
        raw = TestDatabases.postgres();
        writerConnection = TestDatabases.postgres();
        guarded = TestDatabases.guarded(TestDatabases.PG_URL);
        t = "plan_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (raw != null) {
            PlanRun.quietly(
                    raw,
                    "DROP VIEW IF EXISTS " + t,
                    "DROP VIEW IF EXISTS " + t + "_b",
                    "DROP TABLE IF EXISTS " + t + ", " + t + "_b, " + t + "_c_backup CASCADE",
                    "DO $$ DECLARE f text; BEGIN FOR f IN SELECT oid::regprocedure::text FROM pg_proc WHERE proname LIKE "
                            + "'ddlguard_sync_" + t + "%' LOOP EXECUTE 'DROP FUNCTION ' || f; END LOOP; END $$");
        }
        for (Connection c : new Connection[] {raw, writerConnection, guarded}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void renameColumn() throws Exception {
        PlanRun.update(raw, "CREATE TABLE " + t + " (id bigserial PRIMARY KEY, note text, a bigint NOT NULL)");
        Map<Long, Long> seeded = PlanRun.seed(raw, t, "a", ROWS, 0);
        Plan plan = plan("ALTER TABLE " + t + " RENAME COLUMN a TO b");
        assertThat(plan.placeholders()).isEmpty();

        PlanWriter writer = new PlanWriter(writerConnection, seeded, Op.writes(t, "a"));
        PlanRun.run(plan, guarded, writer, new Periods(Op.writes(t, "a"), Op.writes(t, "b"), Op.writes(t, "b")), () -> {
            assertThat(PlanRun.count(raw, "SELECT count(*) FROM " + t + " WHERE a IS DISTINCT FROM b"))
                    .isZero();
            assertThat(PlanRun.count(raw, "SELECT count(*) FROM " + t + " WHERE b IS NULL"))
                    .isZero();
        });

        assertRows("b", writer.expected(), null);
        assertThat(PlanRun.schema(raw, "current_schema()", t))
                .containsExactly(
                        Map.entry("id", "bigint not null"),
                        Map.entry("note", "text null"),
                        Map.entry("b", "bigint not null"));
        assertNoSyncLeft();
    }

    @Test
    void changeColumnType() throws Exception {
        PlanRun.update(raw, "CREATE TABLE " + t + " (id bigserial PRIMARY KEY, note text, c integer NOT NULL)");
        Map<Long, Long> seeded = PlanRun.seed(raw, t, "c", ROWS, 0);
        Plan plan = plan("ALTER TABLE " + t + " ALTER COLUMN c TYPE bigint");

        PlanWriter writer = new PlanWriter(writerConnection, seeded, Op.writes(t, "c"));
        PlanRun.run(
                plan,
                guarded,
                writer,
                new Periods(Op.writes(t, "c"), Op.writes(t, "c"), Op.writes(t, "c")),
                () -> assertThat(PlanRun.count(
                                raw, "SELECT count(*) FROM " + t + " WHERE c_new IS DISTINCT FROM c::bigint"))
                        .isZero());

        assertRows("c", writer.expected(), null);
        assertThat(PlanRun.schema(raw, "current_schema()", t))
                .containsExactly(
                        Map.entry("id", "bigint not null"),
                        Map.entry("note", "text null"),
                        Map.entry("c", "bigint not null"));
        PlanRun.update(raw, "UPDATE " + t + " SET c = 5000000000 WHERE id = (SELECT min(id) FROM " + t + ")");
        assertNoSyncLeft();
    }

    @Test
    void addNotNullColumn() throws Exception {
        PlanRun.update(raw, "CREATE TABLE " + t + " (id bigserial PRIMARY KEY, note text)");
        Map<Long, Long> seeded = PlanRun.seed(raw, t, null, ROWS, 0);
        Plan plan = PlanRun.filled(
                plan("ALTER TABLE " + t + " ADD COLUMN b bigint NOT NULL"), Map.of("<value for b>", "-1"));

        PlanWriter writer = new PlanWriter(writerConnection, seeded, Op.writes(t));
        PlanRun.run(
                plan,
                guarded,
                writer,
                new Periods(Op.writes(t, "b"), Op.writes(t, "b"), Op.writes(t, "b")),
                () -> assertThat(PlanRun.count(raw, "SELECT count(*) FROM " + t + " WHERE b IS NULL"))
                        .isZero());

        assertRows("b", writer.expected(), -1L);
        assertThat(PlanRun.schema(raw, "current_schema()", t))
                .containsExactly(
                        Map.entry("id", "bigint not null"),
                        Map.entry("note", "text null"),
                        Map.entry("b", "bigint not null"));
    }

    @Test
    void addNotNullColumnWithDefault() throws Exception {
        PlanRun.update(raw, "CREATE TABLE " + t + " (id bigserial PRIMARY KEY, note text)");
        Map<Long, Long> seeded = PlanRun.seed(raw, t, null, ROWS, 0);
        Plan plan = plan("ALTER TABLE " + t + " ADD COLUMN b bigint NOT NULL DEFAULT 7");
        assertThat(plan.placeholders()).isEmpty();

        // after the Expand phase the application leaves b to its DEFAULT in half the periods
        PlanWriter writer = new PlanWriter(writerConnection, seeded, Op.writes(t));
        PlanRun.run(plan, guarded, writer, new Periods(Op.writes(t), Op.writes(t, "b"), Op.writes(t)), () -> {});

        assertRows("b", writer.expected(), 7L);
        assertThat(PlanRun.schema(raw, "current_schema()", t)).containsEntry("b", "bigint not null");
        assertThat(PlanRun.count(
                        raw,
                        "SELECT count(*) FROM information_schema.columns WHERE table_name = '" + t
                                + "' AND column_name = 'b' AND column_default = '7'"))
                .isOne();
    }

    @Test
    void setNotNull() throws Exception {
        PlanRun.update(raw, "CREATE TABLE " + t + " (id bigserial PRIMARY KEY, note text, c bigint)");
        Map<Long, Long> seeded = PlanRun.seed(raw, t, "c", ROWS, 4);
        Plan plan = PlanRun.filled(
                plan("ALTER TABLE " + t + " ALTER COLUMN c SET NOT NULL"), Map.of("<value for c>", "-1"));

        // before the Expand phase's deployment the application still writes NULLs
        PlanWriter writer = new PlanWriter(writerConnection, seeded, new Op(t, java.util.List.of("c"), 3));
        PlanRun.run(
                plan, guarded, writer, new Periods(Op.writes(t, "c"), Op.writes(t, "c"), Op.writes(t, "c")), () -> {});

        assertRows("c", writer.expected(), -1L);
        assertThat(PlanRun.schema(raw, "current_schema()", t)).containsEntry("c", "bigint not null");
        assertThat(PlanRun.count(
                        raw,
                        "SELECT count(*) FROM pg_constraint WHERE conrelid = '" + t + "'::regclass AND contype = 'c'"))
                .as("the temporary check is gone")
                .isZero();
    }

    @Test
    void renameTable() throws Exception {
        String renamed = t + "_b";
        PlanRun.update(raw, "CREATE TABLE " + t + " (id bigserial PRIMARY KEY, note text, v bigint NOT NULL)");
        Map<Long, Long> seeded = PlanRun.seed(raw, t, "v", ROWS, 0);
        Plan plan = plan("ALTER TABLE " + t + " RENAME TO " + renamed);

        PlanWriter writer = new PlanWriter(writerConnection, seeded, Op.writes(t, "v"));
        PlanRun.run(
                plan,
                guarded,
                writer,
                new Periods(Op.writes(t, "v"), Op.writes(renamed, "v"), Op.writes(renamed, "v")),
                () -> {});

        assertThat(PlanRun.values(raw, renamed, "v")).isEqualTo(writer.expected());
        assertThat(PlanRun.count(raw, "SELECT count(*) FROM information_schema.tables WHERE table_name = '" + t + "'"))
                .as("neither table nor view keeps the old name")
                .isZero();
        assertThat(PlanRun.schema(raw, "current_schema()", renamed))
                .containsExactly(
                        Map.entry("id", "bigint not null"),
                        Map.entry("note", "text null"),
                        Map.entry("v", "bigint not null"));
    }

    @Test
    void dropColumn() throws Exception {
        PlanRun.update(raw, "CREATE TABLE " + t + " (id bigserial PRIMARY KEY, note text, c bigint NOT NULL)");
        Map<Long, Long> seeded = PlanRun.seed(raw, t, "c", ROWS, 0);
        Plan plan = plan("ALTER TABLE " + t + " DROP COLUMN c");

        PlanWriter writer = new PlanWriter(writerConnection, seeded, Op.writes(t, "c"));
        PlanRun.run(plan, guarded, writer, new Periods(Op.writes(t), Op.writes(t), Op.writes(t)), () -> {});

        assertThat(PlanRun.count(raw, "SELECT count(*) FROM " + t))
                .isEqualTo(writer.expected().size());
        assertThat(PlanRun.schema(raw, "current_schema()", t))
                .containsExactly(Map.entry("id", "bigint not null"), Map.entry("note", "text null"));
        Map<Long, Long> backup = PlanRun.values(raw, t + "_c_backup", "c");
        assertThat(backup).hasSizeGreaterThanOrEqualTo(ROWS);
        Map<Long, Long> expected = new HashMap<>(writer.expected());
        expected.keySet().retainAll(backup.keySet());
        assertThat(backup).as("the backup holds every value written to c").isEqualTo(expected);
    }

    private Plan plan(String sql) {
        return Planner.plan(sql, Target.POSTGRESQL, BATCH, TableInfo.of(raw));
    }

    /** No row lost or added, and every row holds the last value written (never written: {@code unwritten}). */
    private void assertRows(String column, Map<Long, Long> expected, Long unwritten) throws Exception {
        Map<Long, Long> want = new HashMap<>();
        expected.forEach((id, v) -> want.put(id, v == null ? unwritten : v));
        assertThat(PlanRun.values(raw, t, column)).isEqualTo(want);
    }

    private void assertNoSyncLeft() throws Exception {
        assertThat(PlanRun.count(
                        raw, "SELECT count(*) FROM information_schema.triggers WHERE event_object_table = '" + t + "'"))
                .isZero();
        assertThat(PlanRun.count(raw, "SELECT count(*) FROM pg_proc WHERE proname LIKE 'ddlguard_sync_" + t + "%'"))
                .isZero();
    }
}
