package dev.ddlguard.cli.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddlguard.cli.Main;
import dev.ddlguard.reliability.MariaDbCatalogSnapshot;
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
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lint --url} against the real MariaDB: a table of a million rows (filled from the Sequence engine), a
 * folder that adds an index to it, changes a column's type (a table copy) and creates a table of its own. The
 * report gives the size information_schema.TABLES gives, an estimated lock time, the disk the index needs (close to
 * what the build really takes), a transaction holding the table as one it would queue behind, and the free space
 * from information_schema.DISKS or plainly why there is none; and the catalog is exactly as it was.
 */
class MariaDbPreflightTest {

    private static final String TABLE = "preflight_big";
    private static final long ROWS = 1_000_000;

    private static Connection admin;
    private static String database;

    @TempDir
    Path dir;

    /** The million rows, made once and kept between runs when they are there already with the right shape. */
    @BeforeAll
    static void bigTable() throws SQLException {
        admin = TestDatabases.mariadb();
        database = admin.getCatalog();
        try (Statement st = admin.createStatement()) {
            st.execute("DROP TABLE IF EXISTS preflight_new");
            boolean reuse = false;
            try (ResultSet rs = st.executeQuery("SELECT (SELECT COUNT(*) FROM " + TABLE + ") = " + ROWS
                    + " AND (SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
                    + " AND TABLE_NAME = '" + TABLE + "') = 1 AND (SELECT COLUMN_TYPE FROM information_schema.COLUMNS"
                    + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '" + TABLE
                    + "' AND COLUMN_NAME = 'customer_id') LIKE 'int%'")) {
                reuse = rs.next() && rs.getBoolean(1);
            } catch (SQLException e) {
                // no such table yet
            }
            if (!reuse) {
                st.execute("DROP TABLE IF EXISTS " + TABLE);
                st.execute("CREATE TABLE " + TABLE
                        + " (id INT PRIMARY KEY, customer_id INT NOT NULL, note VARCHAR(20)) ENGINE=InnoDB");
                st.execute("INSERT INTO " + TABLE + " SELECT seq, (seq * 37) % 1000003, NULL FROM seq_1_to_" + ROWS);
                st.execute("ANALYZE TABLE " + TABLE);
            }
        }
    }

    @AfterAll
    static void close() throws SQLException {
        if (admin != null) {
            admin.close();
        }
    }

    private Path folder() throws IOException {
        write("V1__index.sql", "ALTER TABLE " + TABLE + " ADD INDEX preflight_big_customer_idx (customer_id);\n");
        write("V2__copy.sql", "ALTER TABLE " + TABLE + " MODIFY customer_id BIGINT NOT NULL;\n");
        write("V3__new.sql", "CREATE TABLE preflight_new (id INT PRIMARY KEY, v INT);\n");
        write("V4__new_index.sql", "CREATE INDEX preflight_new_v_idx ON preflight_new (v);\n");
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

    private static String text(String sql) throws SQLException {
        try (Statement st = admin.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static long number(String sql) throws SQLException {
        return Long.parseLong(text(sql));
    }

    /** What a table copy changes even when the catalog's text stays the same: InnoDB's table id and the creation time. */
    private static String identity() throws SQLException {
        return text("SELECT CONCAT((SELECT TABLE_ID FROM information_schema.INNODB_SYS_TABLES WHERE NAME = '" + database
                + "/" + TABLE
                + "'), ' ', (SELECT CREATE_TIME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '"
                + TABLE + "'))");
    }

    @Test
    void reportsTheRealSizeTheLockTimeAndTheDiskAndChangesNothing() throws Exception {
        Path folder = folder();
        MariaDbCatalogSnapshot snapshot = new MariaDbCatalogSnapshot(admin, database);
        String identity = identity();

        Run run = cli("lint", "--url", TestDatabases.MARIADB_URL, "--format", "json", folder.toString());

        assertThat(snapshot.changed())
                .as("catalog parts changed by the preflight")
                .isEmpty();
        assertThat(identity()).as("InnoDB table id and create time").isEqualTo(identity);
        assertThat(number("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
                        + " AND TABLE_NAME = 'preflight_new'"))
                .isZero();
        assertThat(text("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                        + " AND TABLE_NAME = '" + TABLE + "' AND COLUMN_NAME = 'customer_id'"))
                .startsWith("int");
        assertThat(run.err()).contains("judged as MariaDB 10.11").contains("ran none of the statements");
        assertThat(run.exit()).isEqualTo(1); // the column type change has no online path: blocked

        JsonNode report = new ObjectMapper().readTree(run.out());
        JsonNode index = finding(report, "V1__index.sql").get("preflight");
        assertThat(index.get("table").asText()).isEqualTo(TABLE);
        assertThat(index.get("rows").asLong())
                .isEqualTo(number("SELECT TABLE_ROWS FROM information_schema.TABLES"
                        + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '" + TABLE + "'"))
                .isBetween(ROWS * 9 / 10, ROWS * 11 / 10);
        long bytes = number("SELECT DATA_LENGTH + INDEX_LENGTH FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '" + TABLE + "'");
        assertThat(index.get("bytes").asLong()).isEqualTo(bytes);
        assertThat(index.get("lock").get("work").asText()).isEqualTo("index-build");
        assertThat(index.get("estimated_lock_ms").asLong()).isPositive();
        assertThat(index.get("lock_estimate").asText()).startsWith("an estimate:");
        long estimatedIndex = index.get("extra_disk_bytes").asLong();
        boolean disks = number("SELECT COUNT(*) FROM information_schema.PLUGINS WHERE PLUGIN_NAME = 'DISKS'"
                        + " AND PLUGIN_STATUS = 'ACTIVE'")
                > 0;
        if (disks) {
            assertThat(index.get("free_disk_bytes").asLong()).isPositive();
            assertThat(index.get("disk_fits").asBoolean()).isTrue();
        } else {
            assertThat(index.get("free_disk_bytes").isNull()).isTrue();
            assertThat(index.get("free_disk_unknown").asText())
                    .contains("information_schema.DISKS is not available")
                    .contains(text("SELECT @@datadir"));
            assertThat(index.get("disk_fits").isNull()).isTrue();
        }

        JsonNode copy = finding(report, "V2__copy.sql").get("preflight");
        assertThat(copy.get("lock").get("work").asText()).isEqualTo("rewrite");
        assertThat(copy.get("extra_disk_bytes").asLong())
                .as("a copy of the whole table")
                .isEqualTo(bytes);
        assertThat(copy.get("estimated_lock_ms").asLong())
                .isGreaterThan(index.get("estimated_lock_ms").asLong());

        JsonNode fresh = finding(report, "V4__new_index.sql").get("preflight");
        assertThat(fresh.get("new_table").asBoolean()).isTrue();
        assertThat(fresh.get("rows").asLong()).isZero();

        // The estimate against the real thing: build the index (after the snapshot check) and compare. It assumes an
        // 8-byte primary key; this table's is 4 bytes, so it may be up to about a quarter high, not more.
        try (Statement st = admin.createStatement()) {
            st.execute("ALTER TABLE " + TABLE
                    + " ADD INDEX preflight_big_customer_idx (customer_id), ALGORITHM=NOCOPY, LOCK=NONE");
            long real = number(
                    "SELECT stat_value * @@innodb_page_size FROM mysql.innodb_index_stats WHERE database_name = DATABASE()"
                            + " AND table_name = '" + TABLE
                            + "' AND index_name = 'preflight_big_customer_idx' AND stat_name = 'size'");
            assertThat((double) estimatedIndex / real)
                    .as("estimated %d vs real %d bytes", estimatedIndex, real)
                    .isBetween(0.8, 1.3);
        } finally {
            try (Statement st = admin.createStatement()) {
                st.execute("ALTER TABLE " + TABLE + " DROP INDEX IF EXISTS preflight_big_customer_idx");
            }
        }
    }

    @Test
    void aTransactionHoldingTheTableIsOneItWouldQueueBehind() throws Exception {
        Path folder = folder();
        try (Connection other = TestDatabases.mariadb();
                Statement st = other.createStatement()) {
            other.setAutoCommit(false);
            try (ResultSet rs = st.executeQuery("SELECT note FROM " + TABLE + " WHERE id = 1 FOR UPDATE")) {
                rs.next(); // an open transaction holding the table's metadata lock and a row lock
            }
            long id = Long.parseLong(single(st, "SELECT CONNECTION_ID()"));
            try {
                Run run = cli("lint", "--url", TestDatabases.MARIADB_URL, "--format", "json", folder.toString());
                JsonNode report = new ObjectMapper().readTree(run.out());
                for (String file : List.of("V1__index.sql", "V2__copy.sql")) {
                    assertThat(finding(report, file).get("preflight").get("queued_behind"))
                            .as(file)
                            .anySatisfy(s -> assertThat(s.get("pid").asLong()).isEqualTo(id));
                }
                assertThat(finding(report, "V4__new_index.sql").get("preflight").get("queued_behind"))
                        .isEmpty();
                assertThat(finding(report, "V1__index.sql").get("rules").toString())
                        .contains("lock-queue");
            } finally {
                other.rollback();
            }
        }
    }

    /**
     * The isolation level the file sets is the migration session's: a copy it makes READ COMMITTED takes no row lock,
     * whatever the preflight's own session reads under (it blocked the copy, as REPEATABLE READ, before).
     */
    @Test
    void theIsolationLevelTheFileSetsIsTheOneACopyIsJudgedUnder() throws Exception {
        write(
                "V1__copy.sql",
                "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED;\n"
                        + "CREATE TABLE preflight_rc_copy AS SELECT * FROM " + TABLE + ";\n");
        Run run = cli("lint", "--url", TestDatabases.MARIADB_URL, "--format", "json", dir.toString());
        JsonNode copy = finding(new ObjectMapper().readTree(run.out()), "V1__copy.sql");
        assertThat(copy.get("decision").asText()).as(copy.toString()).isEqualTo("allowed");
        assertThat(copy.get("rules").toString()).doesNotContain("copy-locks-source");

        write("V1__copy.sql", "CREATE TABLE preflight_rc_copy AS SELECT * FROM " + TABLE + ";\n");
        JsonNode locked = finding(
                new ObjectMapper()
                        .readTree(cli("lint", "--url", TestDatabases.MARIADB_URL, "--format", "json", dir.toString())
                                .out()),
                "V1__copy.sql");
        assertThat(locked.get("decision").asText()).as(locked.toString()).isEqualTo("blocked");
        assertThat(locked.get("rules").toString()).contains("copy-locks-source");
    }

    @Test
    void theTransactionIsReadOnlyByConstruction() throws Exception {
        try (LiveDatabase live = LiveDatabase.open(TestDatabases.MARIADB_URL);
                Statement st = live.connection().createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate("UPDATE " + TABLE + " SET note = 'x' WHERE id = 1"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getErrorCode())
                            .isEqualTo(1792)); // ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION
        }
        assertThat(text("SELECT IFNULL(note, 'null') FROM " + TABLE + " WHERE id = 1"))
                .isEqualTo("null");
    }

    private static String single(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
