package dev.ddlguard.cli.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddlguard.cli.Main;
import dev.ddlguard.support.PostgresCatalogSnapshot;
import dev.ddlguard.support.TestDatabases;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lint --url} against the real PostgreSQL: a table of a million rows, a folder that builds an index on it,
 * rewrites it, and creates a table of its own. The report gives the table's real size as the server counts it,
 * an estimated lock time, the disk the index build needs (close to what the build really takes), the sessions it
 * would queue behind, and says plainly that PostgreSQL reports no free space; and the catalog is exactly as it was.
 */
class PostgresPreflightTest {

    /** Every object of this test starts with it: the snapshot watches exactly these. */
    private static final String PREFIX = "preflight_";

    private static final String TABLE = "preflight_big";
    private static final long ROWS = 1_000_000;

    private static Connection admin;

    @TempDir
    Path dir;

    /** The million rows, made once and kept between runs when they are there already with the right shape. */
    @BeforeAll
    static void bigTable() throws SQLException {
        admin = TestDatabases.postgres();
        try (Statement st = admin.createStatement()) {
            st.execute("DROP TABLE IF EXISTS preflight_new");
            st.execute("DROP INDEX IF EXISTS preflight_big_customer_idx");
            boolean reuse = false;
            try (ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM " + TABLE + ") = " + ROWS
                    + " AND (SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '" + TABLE
                    + "'::regclass AND attname = 'customer_id') = 'integer'"
                    + " AND (SELECT count(*) FROM pg_index WHERE indrelid = '" + TABLE + "'::regclass) = 1")) {
                reuse = rs.next() && rs.getBoolean(1);
            } catch (SQLException e) {
                // no such table yet (autocommit: the failed query left nothing open)
            }
            if (!reuse) {
                st.execute("DROP TABLE IF EXISTS " + TABLE);
                st.execute(
                        "CREATE TABLE " + TABLE + " (id integer PRIMARY KEY, customer_id integer NOT NULL, note text)");
                // distinct customer ids: B-tree deduplication would shrink an index of repeated keys below any estimate
                st.execute("INSERT INTO " + TABLE + " SELECT i, (i * 37) % 1000003, NULL FROM generate_series(1, "
                        + ROWS + ") i");
            }
            st.execute("VACUUM ANALYZE " + TABLE); // a row count for the planner, and no autovacuum to wait for
        }
    }

    @AfterAll
    static void close() throws SQLException {
        if (admin != null) {
            admin.close();
        }
    }

    private Path folder() throws IOException {
        write("V1__index.sql", "CREATE INDEX preflight_big_customer_idx ON " + TABLE + " (customer_id);\n");
        write("V2__rewrite.sql", "ALTER TABLE " + TABLE + " ALTER COLUMN customer_id TYPE bigint;\n");
        write("V3__new.sql", "CREATE TABLE preflight_new (id integer PRIMARY KEY, v integer);\n");
        write("V4__new_index.sql", "CREATE INDEX preflight_new_v_idx ON preflight_new (v);\n");
        write("V5__drop.sql", "ALTER TABLE " + TABLE + " DROP COLUMN note;\n");
        return dir;
    }

    private void write(String name, String sql) throws IOException {
        Files.writeString(dir.resolve(name), sql, StandardCharsets.UTF_8);
    }

    private record Run(int exit, String out, String err) {}

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static JsonNode finding(JsonNode report, String file) {
        for (JsonNode f : report) {
            if (f.get("file").asText().endsWith(file)) {
                return f;
            }
        }
        throw new AssertionError("no finding for " + file + " in " + report);
    }

    private static long one(String sql) throws SQLException {
        try (Statement st = admin.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void reportsTheRealSizeTheLockTimeAndTheDiskAndChangesNothing() throws Exception {
        Path folder = folder();
        PostgresCatalogSnapshot snapshot = new PostgresCatalogSnapshot(admin, "public", PREFIX);
        List<String> before = snapshot.read();

        Run run = cli("lint", "--url", TestDatabases.PG_URL, "--format", "json", folder.toString());

        assertThat(snapshot.read()).as("the catalog after the preflight").isEqualTo(before);
        assertThat(
                        one(
                                "SELECT count(*) FROM pg_class WHERE relname IN ('preflight_big_customer_idx', 'preflight_new')"))
                .isZero();
        assertThat(one("SELECT count(*) FROM pg_attribute WHERE attrelid = '" + TABLE
                        + "'::regclass AND attname = 'customer_id'" + " AND atttypid = 'integer'::regtype"))
                .isEqualTo(1);
        assertThat(run.err())
                .contains("judged as PostgreSQL 15")
                .contains("preflight against")
                .contains("ran none of the statements");
        assertThat(run.exit()).isEqualTo(1); // Flyway's transaction: the plain build and the rewrite are blocked

        JsonNode report = new ObjectMapper().readTree(run.out());
        JsonNode index = finding(report, "V1__index.sql").get("preflight");
        long reltuples = one("SELECT reltuples::bigint FROM pg_class WHERE oid = '" + TABLE + "'::regclass");
        long total = one("SELECT pg_total_relation_size('" + TABLE + "')");
        assertThat(index.get("table").asText()).isEqualTo(TABLE);
        assertThat(index.get("new_table").asBoolean()).isFalse();
        assertThat(index.get("rows").asLong()).isEqualTo(reltuples).isBetween(ROWS * 95 / 100, ROWS * 105 / 100);
        assertThat(index.get("bytes").asLong()).isEqualTo(total);
        assertThat(index.get("lock").get("mode").asText()).isEqualTo("SHARE");
        assertThat(index.get("estimated_lock_ms").asLong()).isPositive();
        assertThat(index.get("lock_estimate").asText())
                .startsWith("an estimate:")
                .contains("40% of ddlguard.throughput");
        assertThat(index.get("queued_behind")).isEmpty();
        assertThat(index.get("free_disk_bytes").isNull()).isTrue();
        assertThat(index.get("free_disk_unknown").asText())
                .contains("PostgreSQL reports no free disk space over SQL")
                .contains("check the volume of " + dataDirectory());
        assertThat(index.get("disk_fits").isNull()).isTrue();
        long estimatedIndex = index.get("extra_disk_bytes").asLong();

        JsonNode rewrite = finding(report, "V2__rewrite.sql").get("preflight");
        assertThat(rewrite.get("lock").get("mode").asText()).isEqualTo("ACCESS EXCLUSIVE");
        assertThat(rewrite.get("lock").get("work").asText()).isEqualTo("rewrite");
        assertThat(rewrite.get("extra_disk_bytes").asLong())
                .as("a rewrite copies the whole table")
                .isEqualTo(total);
        assertThat(rewrite.get("estimated_lock_ms").asLong())
                .isGreaterThan(index.get("estimated_lock_ms").asLong());

        JsonNode fresh = finding(report, "V4__new_index.sql").get("preflight");
        assertThat(fresh.get("table").asText()).isEqualTo("preflight_new");
        assertThat(fresh.get("new_table").asBoolean()).isTrue();
        assertThat(fresh.get("rows").asLong()).isZero();
        assertThat(fresh.get("extra_disk_bytes").asLong()).isZero();

        JsonNode drop = finding(report, "V5__drop.sql").get("preflight");
        assertThat(drop.get("note").asText())
                .contains("drops data that is there now (" + reltuples + " rows): back it up first");
        assertThat(drop.get("extra_disk_bytes").asLong())
                .as("a catalog change writes no copy")
                .isZero();
        assertThat(one("SELECT count(*) FROM pg_attribute WHERE attrelid = '" + TABLE
                        + "'::regclass AND attname = 'note'" + " AND NOT attisdropped"))
                .isEqualTo(1);

        // The estimate against the real thing: build the index (after the snapshot check) and compare.
        try (Statement st = admin.createStatement()) {
            st.execute("CREATE INDEX preflight_big_customer_idx ON " + TABLE + " (customer_id)");
            long real = one("SELECT pg_relation_size('preflight_big_customer_idx')");
            assertThat((double) estimatedIndex / real)
                    .as("estimated %d vs real %d bytes", estimatedIndex, real)
                    .isBetween(0.8, 1.25);
        } finally {
            try (Statement st = admin.createStatement()) {
                st.execute("DROP INDEX IF EXISTS preflight_big_customer_idx");
            }
        }
    }

    /**
     * timestamp to timestamptz rewrites the table except under UTC (PostgreSQL 12+): the time zone the file sets is
     * the migration session's, not the preflight's own (an outside tester's find: a file's SET TimeZone =
     * 'Europe/Berlin' was judged in the preflight session's UTC and let through).
     */
    @Test
    void theTimeZoneTheFileSetsIsTheOneATypeChangeIsJudgedIn() throws Exception {
        try (Statement st = admin.createStatement()) {
            st.execute("DROP TABLE IF EXISTS preflight_tz");
            st.execute("CREATE TABLE preflight_tz (id int, seen timestamp)");
            st.execute("INSERT INTO preflight_tz SELECT g, now() FROM generate_series(1, 100) g"); // not empty
        }
        try {
            String change = "ALTER TABLE preflight_tz ALTER COLUMN seen TYPE timestamptz;\n";
            write("V1__berlin.sql", "SET TimeZone = 'Europe/Berlin';\n" + change);
            Path utc = Files.createDirectories(dir.resolve("utc"));
            Files.writeString(utc.resolve("V1__utc.sql"), "SET TIME ZONE 'UTC';\n" + change, StandardCharsets.UTF_8);

            JsonNode berlin = new ObjectMapper()
                    .readTree(cli(
                                    "lint",
                                    "--url",
                                    TestDatabases.PG_URL,
                                    "--format",
                                    "json",
                                    dir.resolve("V1__berlin.sql").toString())
                            .out());
            JsonNode inUtc = new ObjectMapper()
                    .readTree(cli("lint", "--url", TestDatabases.PG_URL, "--format", "json", utc.toString())
                            .out());

            JsonNode rewritten = finding(berlin, "V1__berlin.sql");
            assertThat(rewritten.get("decision").asText())
                    .as(rewritten.toString())
                    .isEqualTo("blocked");
            assertThat(rewritten.toString()).contains("change-column-type");
            JsonNode free = finding(inUtc, "V1__utc.sql");
            assertThat(free.get("decision").asText()).as(free.toString()).isEqualTo("allowed");
        } finally {
            try (Statement st = admin.createStatement()) {
                st.execute("DROP TABLE IF EXISTS preflight_tz");
            }
        }
    }

    /**
     * CREATE TABLE IF NOT EXISTS of a table the database has creates nothing: the destructive statements after it act
     * on the real table and are judged so (they were allowed as on a table of this run; the driver blocked them).
     */
    @Test
    void aTableCreatedIfNotExistsThatTheDatabaseHasIsTheRealOne() throws Exception {
        write(
                "V1__again.sql",
                "CREATE TABLE IF NOT EXISTS " + TABLE + " (id int);\nALTER TABLE " + TABLE + " DROP COLUMN note;\n"
                        + "TRUNCATE " + TABLE + ";\nDROP TABLE " + TABLE + ";\n");
        write(
                "V2__fresh.sql",
                "CREATE TABLE IF NOT EXISTS preflight_fresh (id int, note text);\n"
                        + "ALTER TABLE preflight_fresh DROP COLUMN note;\nDROP TABLE preflight_fresh;\n");
        Run run = cli("lint", "--url", TestDatabases.PG_URL, "--format", "json", dir.toString());
        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        List<String> verdicts = new ArrayList<>();
        for (JsonNode f : new ObjectMapper().readTree(run.out())) {
            List<String> asked = new ArrayList<>();
            f.get("rules").forEach(r -> {
                if (!"allow".equals(r.get("action").asText())) {
                    asked.add(r.get("id").asText() + " " + r.get("action").asText());
                }
            });
            verdicts.add(f.get("line").asInt() + " " + f.get("file").asText().replaceAll(".*/", "") + " "
                    + f.get("decision").asText() + " " + asked);
        }
        assertThat(verdicts)
                .containsExactly(
                        "1 V1__again.sql allowed []",
                        "2 V1__again.sql blocked [drop-column block]",
                        "3 V1__again.sql blocked [truncate-table block]",
                        "4 V1__again.sql blocked [drop-table block]",
                        "1 V2__fresh.sql allowed []",
                        "2 V2__fresh.sql allowed []",
                        "3 V2__fresh.sql allowed []");
        assertThat(one("SELECT count(*) FROM " + TABLE)).isEqualTo(ROWS);
    }

    @Test
    void theTextReportShowsTheFiguresAndNeverThePassword() throws Exception {
        Path folder = folder();
        String url =
                TestDatabases.PG_URL + (TestDatabases.PG_URL.contains("?") ? "&" : "?") + "password=s3cr3t-preflight";

        Run run = cli("lint", "--url", url, folder.toString());

        assertThat(run.out() + run.err()).doesNotContain("s3cr3t-preflight");
        if (run.exit() == 2) {
            // the server checks passwords: the refusal must not echo it either
            assertThat(run.err()).contains("password=***");
            return;
        }
        assertThat(run.out())
                .contains("password=***")
                .contains("preflight: " + TABLE + ": "
                        + one("SELECT reltuples::bigint FROM pg_class WHERE oid = '" + TABLE + "'::regclass") + " rows")
                .contains("(" + one("SELECT pg_total_relation_size('" + TABLE + "')") + " bytes, indexes included)")
                .contains("lock: SHARE, blocks writes, held ~")
                .contains("queues behind: no session now")
                .contains("free disk: unknown: PostgreSQL reports no free disk space over SQL")
                .contains("preflight: preflight_new: new (0 rows)");
    }

    @Test
    void migrationsFlywaysHistoryHasAppliedGetNoFigures() throws Exception {
        Path folder = folder();
        try (Statement st = admin.createStatement()) {
            // the columns ddlguard reads of Flyway's own history table
            st.execute("CREATE TABLE flyway_schema_history (installed_rank integer PRIMARY KEY, version varchar(50),"
                    + " success boolean NOT NULL)");
            st.execute("INSERT INTO flyway_schema_history VALUES (1, '1', true), (2, '2', true)");
        }
        try {
            Run run = cli("lint", "--url", TestDatabases.PG_URL, "--format", "json", folder.toString());

            JsonNode report = new ObjectMapper().readTree(run.out());
            for (String applied : List.of("V1__index.sql", "V2__rewrite.sql")) {
                JsonNode f = finding(report, applied);
                assertThat(f.has("preflight")).as(applied).isFalse();
                assertThat(f.get("note").asText())
                        .as(applied)
                        .contains("not pending: flyway_schema_history is at version 2");
            }
            assertThat(finding(report, "V4__new_index.sql")
                            .get("preflight")
                            .get("new_table")
                            .asBoolean())
                    .isTrue();
            assertThat(finding(report, "V5__drop.sql")
                            .get("preflight")
                            .get("rows")
                            .asLong())
                    .isPositive();
        } finally {
            try (Statement st = admin.createStatement()) {
                st.execute("DROP TABLE flyway_schema_history");
            }
        }
    }

    @Test
    void sarifCarriesTheFiguresInEachResultsPropertyBag() throws Exception {
        Path folder = folder();

        Run run = cli("lint", "--url", TestDatabases.PG_URL, "--format", "sarif", folder.toString());

        JsonNode sarif = new ObjectMapper().readTree(run.out()).get("runs").get(0);
        assertThat(sarif.get("properties").get("preflightAgainst").asText())
                .startsWith(TestDatabases.PG_URL.split("\\?")[0]);
        JsonNode index = null;
        for (JsonNode result : sarif.get("results")) {
            if (result.get("locations").toString().contains("V1__index.sql")) {
                index = result;
            }
        }
        assertThat(index).isNotNull();
        assertThat(index.get("ruleId").asText()).isEqualTo("require-concurrent-index");
        JsonNode preflight = index.get("properties").get("preflight");
        assertThat(preflight.get("bytes").asLong()).isEqualTo(one("SELECT pg_total_relation_size('" + TABLE + "')"));
        assertThat(preflight.get("estimated_lock_ms").asLong()).isPositive();
        assertThat(preflight.get("extra_disk_bytes").asLong()).isPositive();
    }

    @Test
    void aSessionHoldingALockOnTheTableIsOneItWouldQueueBehind() throws Exception {
        Path folder = folder();
        try (Connection other = TestDatabases.postgres();
                Statement st = other.createStatement()) {
            other.setAutoCommit(false);
            st.execute("SET application_name = 'preflight-holder'");
            st.executeUpdate("UPDATE " + TABLE + " SET note = note WHERE id = 1"); // ROW EXCLUSIVE, held until rollback
            long pid;
            try (ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getLong(1);
            }
            try {
                Run run = cli("lint", "--url", TestDatabases.PG_URL, "--format", "json", folder.toString());
                JsonNode report = new ObjectMapper().readTree(run.out());
                for (String file : List.of("V1__index.sql", "V2__rewrite.sql")) {
                    JsonNode queue = finding(report, file).get("preflight").get("queued_behind");
                    assertThat(queue).as(file).anySatisfy(s -> {
                        assertThat(s.get("pid").asLong()).isEqualTo(pid);
                        assertThat(s.get("application").asText()).isEqualTo("preflight-holder");
                        assertThat(s.get("mode").asText()).isEqualTo("RowExclusiveLock");
                    });
                }
                // the table the folder creates is held by nobody
                assertThat(finding(report, "V4__new_index.sql").get("preflight").get("queued_behind"))
                        .isEmpty();
                // the judge's own lock-queue verdict names it too
                assertThat(finding(report, "V1__index.sql").get("rules").toString())
                        .contains("lock-queue")
                        .contains("pid " + pid);
            } finally {
                other.rollback();
            }
        }
    }

    @Test
    void theConnectionIsReadOnlyByConstruction() throws Exception {
        try (LiveDatabase live = LiveDatabase.open(TestDatabases.PG_URL);
                Statement st = live.connection().createStatement()) {
            try (ResultSet rs = st.executeQuery("SHOW transaction_read_only")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("on");
            }
            assertThatThrownBy(() -> st.execute("CREATE TABLE preflight_should_not_exist (id int)"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState())
                            .isEqualTo("25006")); // read_only_sql_transaction
        }
        assertThat(one("SELECT count(*) FROM pg_class WHERE relname = 'preflight_should_not_exist'"))
                .isZero();
    }

    private static String dataDirectory() throws SQLException {
        try (Statement st = admin.createStatement();
                ResultSet rs = st.executeQuery("SHOW data_directory")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
