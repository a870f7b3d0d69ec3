package dev.ddlguard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddlguard.sql.CompoundStatements;
import dev.ddlguard.sql.DdlClassifier;
import dev.ddlguard.sql.DdlPreFilter;
import dev.ddlguard.sql.Lexing;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.StatementSplitter;
import dev.ddlguard.sql.StatementText;
import dev.ddlguard.support.H2;
import dev.ddlguard.support.LogCapture;
import dev.ddlguard.support.ScratchMariaDb;
import dev.ddlguard.support.ScratchPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * Issue 8, fuzzing: a time-boxed run of generated and mutated statements (corpus statements and DDL
 * templates, truncated, spliced, with comments, quotes and semicolons inserted, case flipped — see
 * {@link SqlFuzzer}) through guarded connections: H2 in enforce and audit mode, judged as H2,
 * PostgreSQL and MariaDB; then a real PostgreSQL, in a scratch database, each statement in a
 * transaction rolled back (and some in autocommit, so that rewrites run); then a real MariaDB, in a scratch
 * database of a scratch user.
 *
 * <p>Asserted for every statement: nothing but an {@link SQLException} reaches the caller (the
 * documented BlockedStatementException and LockTimeoutException are ones) unless the database
 * driver itself threw it; each DDL statement in the string leaves exactly one audit record; and
 * no record shows that the guard itself failed ("guard error", a rule that threw).
 *
 * <p>Differential check (issue 13) on the real servers: the guard's answers must agree with what the
 * server actually did. PostgreSQL: an event trigger on {@code ddl_command_start} counts the DDL commands
 * the server started ({@link ServerDdlLog}); a statement that started top-level DDL must have left an
 * audit record, and no more top-level DDL commands than the guard found statements (its boundaries).
 * MariaDB: the scratch database's catalog is read before and after each statement
 * ({@link MariaDbCatalogSnapshot}); a statement that changed it must have left a record. Every
 * disagreement is listed with the statement and the seed.
 *
 * <p>{@code -Dfuzz.seconds=N} lengthens the run (default 24 s in all), {@code -Dfuzz.seed=S}
 * repeats one; the seed is printed, and named in every failure. CI runs a fixed seed (the statements are the
 * same, their number depends on the machine's speed); {@code -Dfuzz.seed=random} explores there too. (Not {@code ddlguard.*}: those
 * system properties are the guard's own settings.)
 */
class FuzzTest {

    /**
     * A fresh seed per run explores; CI (CI=true) takes a fixed one so that a red build is the change's doing,
     * and {@code -Dfuzz.seed=random} explores there too.
     */
    private static final long SEED = seed();

    private static long seed() {
        String given = System.getProperty("fuzz.seed");
        if (given != null && !given.equals("random")) {
            return Long.parseLong(given);
        }
        return given == null && "true".equalsIgnoreCase(System.getenv("CI")) ? 20_261_206L : System.nanoTime();
    }

    private static final double SECONDS = Double.parseDouble(System.getProperty("fuzz.seconds", "24"));

    /** H2 statements that reach outside the in-memory database or slow it down for good. */
    private static final Pattern H2_UNSAFE = Pattern.compile("(?is).*\\b(SHUTDOWN|RUNSCRIPT|SCRIPT|CSVWRITE|CSVREAD"
            + "|FILE_WRITE|FILE_READ|LINKED|BACKUP|ALIAS|LINK_SCHEMA|EXCLUSIVE|THROTTLE|DATABASE_EVENT_LISTENER"
            + "|TRACE_LEVEL_FILE|TRACE_MAX_FILE_SIZE|JAVA_OBJECT_SERIALIZER|CACHE_SIZE|MAX_MEMORY_ROWS|WRITE_DELAY"
            + "|COMPRESS_LOB|LOCK_MODE|DB_CLOSE_DELAY|SYSTEM_RANGE|GENERATE_SERIES)\\b.*");

    private static final Pattern RULE_CRASH = Pattern.compile("rule [a-z0-9-]+ failed: [\\w.$]+(Exception|Error)");

    /** What one run sent and saw, for the summary line and a sanity check that the fuzz reached the guard. */
    private static final class Tally {
        int sent;
        int ddlRecords;
        int sqlExceptions;
        int driverErrors;
        /** The first few SQLException messages, to tell a run that reached the server from one that never did. */
        final List<String> firstErrors = new ArrayList<>();

        @Override
        public String toString() {
            return sent + " statements, " + ddlRecords + " audit records, " + sqlExceptions + " SQLExceptions, "
                    + driverErrors + " errors thrown by the database driver itself; first errors: " + firstErrors;
        }
    }

    private static List<String> corpus;
    private static LogCapture log;
    private static Appender<ILoggingEvent> fileAppender;
    private static final List<String> audit = new ArrayList<>();
    /** The audit records of the last statement {@link #send} sent. */
    private static List<String> lastRecords = List.of();

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Disagreements between the guard and the server, at most this many listed. */
    private static final int MAX_LISTED = 20;

    @BeforeAll
    static void captureAuditAndReadCorpus() {
        System.out.println("FuzzTest seed " + SEED + " (repeat with -Dfuzz.seed=" + SEED + "), " + SECONDS + " s");
        corpus = SqlFuzzer.corpusStatements();
        if (corpus.isEmpty()) {
            System.out.println(
                    "FuzzTest: no corpus found (DDLGUARD_TEST_CORPUS or ../shared/corpus): generated SQL only");
        }
        // Thousands of audit records and WARN lines would swamp target/test.log: counted here, not written there.
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        fileAppender = root.getAppender("FILE");
        if (fileAppender != null) {
            root.detachAppender(fileAppender);
        }
        log = LogCapture.start();
        log.onEvent(e -> {
            if (e.getLoggerName().equals("ddlguard.audit")) {
                synchronized (audit) {
                    audit.add(e.getFormattedMessage());
                }
            }
        });
    }

    @AfterAll
    static void restoreLogging() {
        log.close();
        if (fileAppender != null) {
            ((LoggerContext) LoggerFactory.getILoggerFactory())
                    .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                    .addAppender(fileAppender);
        }
    }

    /** Where the statements go, and how the guard reads them. */
    private record Target(String name, SqlSyntax syntax, String... settings) {}

    private static final List<Target> H2_TARGETS = List.of(
            new Target("H2, enforce", SqlSyntax.ANSI),
            new Target("H2, audit", SqlSyntax.ANSI, "ddlguard.mode", "audit"),
            new Target("H2 judged as PostgreSQL, enforce", SqlSyntax.POSTGRESQL, "ddlguard.target", "postgresql"),
            new Target(
                    "H2 judged as PostgreSQL, audit",
                    SqlSyntax.POSTGRESQL,
                    "ddlguard.target",
                    "postgresql",
                    "ddlguard.mode",
                    "audit"),
            new Target(
                    "H2 judged as MariaDB, enforce",
                    SqlSyntax.MYSQL,
                    "ddlguard.target",
                    "mariadb",
                    "ddlguard.small-table",
                    "1MB"),
            new Target(
                    "H2 judged as MariaDB, audit",
                    SqlSyntax.MYSQL,
                    "ddlguard.target",
                    "mariadb",
                    "ddlguard.mode",
                    "audit"));

    private static final String[] FIXTURES = {
        "CREATE TABLE IF NOT EXISTS customers (id INT PRIMARY KEY, name VARCHAR(100))",
        "CREATE TABLE IF NOT EXISTS orders (id INT PRIMARY KEY, customer_id INT, amount INT, note VARCHAR(100))",
        "MERGE INTO customers KEY (id) VALUES (1, 'a')",
        "MERGE INTO orders KEY (id) VALUES (1, 1, 10, 'n')",
    };

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void mutatedAndGeneratedSqlThroughGuardedH2RaisesOnlySqlExceptionsAndIsAuditedOnce() throws SQLException {
        SqlFuzzer fuzzer = new SqlFuzzer(SEED, corpus);
        long perTarget = (long) (SECONDS * 0.5 / H2_TARGETS.size() * 1e9);
        Tally tally = new Tally();
        for (Target target : H2_TARGETS) {
            try (H2 db = new H2()) {
                restoreFixtures(db);
                Connection g = db.guarded(target.settings());
                long end = System.nanoTime() + perTarget;
                for (int i = 0; System.nanoTime() < end; i++) {
                    String sql = fuzzer.next();
                    if (H2_UNSAFE.matcher(sql).matches()) {
                        continue;
                    }
                    if (i % 100 == 99) {
                        restoreFixtures(db);
                    }
                    Reconnect reconnect = () -> db.guarded(target.settings());
                    g = backToAutocommit(send(g, reconnect, target, sql, i, tally), reconnect);
                }
                g.close();
            }
        }
        System.out.println("FuzzTest, guarded H2: " + tally);
        // the run reached the database at all; a loaded machine (7 test runs on 2 cores) sends ~750 in its share
        assertThat(tally.sent).isGreaterThan(500);
        assertThat(tally.ddlRecords).as("the fuzz reaches the guard").isGreaterThan(tally.sent / 5);
    }

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void mutatedAndGeneratedSqlThroughGuardedPostgresRaisesOnlySqlExceptionsAndIsAuditedOnce() throws Exception {
        SqlFuzzer fuzzer = new SqlFuzzer(SEED + 1, corpus);
        try (ScratchPostgres scratch = new ScratchPostgres("fuzz")) {
            try (Connection a = scratch.admin();
                    Statement st = a.createStatement()) {
                // Bounds for what the fuzzed SQL may cost: the role cannot lift temp_file_limit (superuser-only), and
                // every statement also has a query timeout, which no SET can lift.
                String role = "ALTER ROLE " + scratch.role() + " IN DATABASE " + scratch.database();
                st.execute(role + " SET statement_timeout = '3s'");
                st.execute(role + " SET temp_file_limit = '200MB'");
            }
            String url = "jdbc:ddlguard:" + scratch.url().substring("jdbc:".length());
            Connection monitor = scratch.admin();
            ServerDdlLog server = ServerDdlLog.install(monitor);
            try (Connection owner = scratch.raw();
                    Statement st = owner.createStatement()) {
                st.execute("CREATE TABLE customers (id int PRIMARY KEY, name text)");
                st.execute(
                        "CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers, amount int, note text)");
                st.execute("INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 100) g");
                st.execute("INSERT INTO orders SELECT g, g % 100 + 1, g, 'n' FROM generate_series(1, 1000) g");
            }
            server.skip(); // the fixtures' own DDL
            Target target = new Target("PostgreSQL", SqlSyntax.POSTGRESQL);
            Connection g = DriverManager.getConnection(url, new Properties());
            long end = System.nanoTime() + (long) (SECONDS * 0.32 * 1e9);
            Tally tally = new Tally();
            List<String> disagreements = new ArrayList<>();
            long serverDdl = 0;
            for (int i = 0; System.nanoTime() < end; i++) {
                // the first is known DDL, so that the check is seen to see DDL whatever the fuzz brings
                String sql = i == 0 ? "CREATE TABLE fz_known (id int)" : fuzzer.next();
                boolean autocommit = i % 4 == 0; // rewrites (CONCURRENTLY, NOT VALID + VALIDATE) run only in autocommit
                try {
                    g.setAutoCommit(autocommit);
                } catch (SQLException gone) {
                    g = DriverManager.getConnection(url);
                    g.setAutoCommit(autocommit);
                }
                g = send(g, () -> DriverManager.getConnection(url), target, sql, i, tally);
                ServerDdlLog.Seen seen = server.since();
                serverDdl += seen.top();
                String disagreement = disagreement(seen, sql);
                if (disagreement != null && disagreements.size() < MAX_LISTED) {
                    disagreements.add("seed " + SEED + ", PostgreSQL, statement #" + i + ": " + disagreement + "\n    "
                            + shortened(sql));
                }
                try {
                    if (!g.getAutoCommit()) {
                        g.rollback();
                    }
                } catch (SQLException gone) {
                    g.close();
                    g = DriverManager.getConnection(url);
                }
            }
            g.close();
            monitor.close();
            System.out.println("FuzzTest, guarded PostgreSQL: " + tally + "; the server started " + serverDdl
                    + " top-level DDL commands");
            assertThat(tally.sent).isGreaterThan(40);
            assertThat(tally.ddlRecords).as("the fuzz reaches the guard").isGreaterThan(tally.sent / 5);
            assertThat(serverDdl).as("the differential check sees DDL run").isGreaterThan(0);
            assertThat(disagreements)
                    .as("DDL the server ran that the guard did not judge (repeat with -Dfuzz.seed=%d)", SEED)
                    .isEmpty();
        }
    }

    /**
     * What the PostgreSQL server did against the guard's records of the statement, or null when they
     * agree: top-level DDL started with no record; more top-level DDL commands than the statements the guard
     * judged (its boundaries differ from the server's), unless the guard ran statements of its own (a rewrite's
     * follow-up, a clean-up: then its record says so) or tried one again (a lock-timeout retry, a weaker rewrite
     * after a refusal: its record counts the attempts); DDL run by a DO block with no record.
     */
    private static String disagreement(ServerDdlLog.Seen seen, String sql) {
        int records = lastRecords.size();
        if (seen.top() > 0 && records == 0) {
            return "the server started " + seen.top() + " DDL command(s) (" + seen.tags()
                    + "), the guard left no record";
        }
        if (seen.nested() > 0 && records == 0 && DO_BLOCK.matcher(sql).lookingAt()) {
            return "a DO block ran " + seen.nested() + " DDL command(s) (" + seen.tags()
                    + "), the guard left no record";
        }
        boolean guardRanItsOwn = lastRecords.stream()
                .map(FuzzTest::parse)
                .anyMatch(r -> !r.path("note").isNull()
                        || "rewritten".equals(r.path("decision").asText()));
        // pgjdbc sends a statement once more when the server answers 26000 "prepared statement … does not exist"
        // (it takes that for its own server-side statement being deallocated): CREATE TABLE … AS EXECUTE of a
        // missing one reaches the server twice through the raw driver too, as the same text.
        int sent = lastRecords.stream()
                .map(FuzzTest::parse)
                .mapToInt(r -> Math.max(1, r.path("attempts").asInt(1))
                        + (DRIVER_RESENDS.matcher(r.path("error").asText("")).find() ? 1 : 0))
                .sum();
        if (!guardRanItsOwn && seen.top() > sent) {
            return "the server started " + seen.top() + " DDL commands (" + seen.tags() + "), the guard judged "
                    + records + " statement(s): " + lastRecords;
        }
        return null;
    }

    private static final Pattern DO_BLOCK = Pattern.compile("(?i)[\\s(]*do\\b");
    private static final Pattern DRIVER_RESENDS = Pattern.compile("prepared statement \".*\" does not exist");

    private static JsonNode parse(String record) {
        try {
            return JSON.readTree(record);
        } catch (java.io.IOException e) {
            throw new AssertionError("audit record is not JSON: " + record, e);
        }
    }

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void mutatedAndGeneratedSqlThroughGuardedMariaDbChangesTheCatalogOnlyWithAnAuditRecord() throws Exception {
        // Without the corpus (PostgreSQL's regression scripts and migrations, hardly ever MariaDB's syntax):
        // the templates hold MySQL's forms.
        SqlFuzzer fuzzer = new SqlFuzzer(SEED + 2, List.of());
        try (ScratchMariaDb scratch = new ScratchMariaDb("fuzz");
                Connection monitor = scratch.admin()) {
            // every statement is bounded by the server too (seconds)
            String url = "jdbc:ddlguard:"
                    + scratch.url("sessionVariables=max_statement_time=3").substring("jdbc:".length());
            String[] fixtures = {
                "CREATE TABLE IF NOT EXISTS customers (id int PRIMARY KEY, name varchar(100))",
                "CREATE TABLE IF NOT EXISTS orders (id int PRIMARY KEY, customer_id int, amount int, note varchar(100))",
            };
            restoreMariaDbFixtures(scratch, fixtures);
            MariaDbCatalogSnapshot catalog = new MariaDbCatalogSnapshot(monitor, scratch.database());
            Target target = new Target("MariaDB", SqlSyntax.MYSQL);
            Connection g = DriverManager.getConnection(url);
            long end = System.nanoTime() + (long) (SECONDS * 0.18 * 1e9);
            Tally tally = new Tally();
            List<String> disagreements = new ArrayList<>();
            int changes = 0;
            for (int i = 0; System.nanoTime() < end; i++) {
                String sql = i == 0 ? "CREATE TABLE fz_known (id int)" : fuzzer.next();
                if (i % 50 == 49) {
                    restoreMariaDbFixtures(scratch, fixtures);
                    catalog.changed();
                }
                g = send(g, () -> DriverManager.getConnection(url), target, sql, i, tally);
                g = backToAutocommit(g, () -> DriverManager.getConnection(url));
                List<String> changed;
                try {
                    changed = catalog.changed();
                } catch (SQLException busy) {
                    continue; // a lock the fuzzed session holds (LOCK TABLES): this statement goes unchecked
                }
                changes += changed.isEmpty() ? 0 : 1;
                if (!changed.isEmpty() && lastRecords.isEmpty() && disagreements.size() < MAX_LISTED) {
                    disagreements.add("seed " + SEED + ", MariaDB, statement #" + i + ": the server changed " + changed
                            + ", the guard left no record\n    " + shortened(sql));
                }
            }
            g.close();
            System.out.println(
                    "FuzzTest, guarded MariaDB: " + tally + "; " + changes + " statements changed the catalog");
            assertThat(tally.sent).isGreaterThan(20);
            assertThat(changes).as("the differential check sees DDL run").isGreaterThan(0);
            assertThat(disagreements)
                    .as("DDL the server ran that the guard did not judge (repeat with -Dfuzz.seed=%d)", SEED)
                    .isEmpty();
        }
    }

    /**
     * The differential check itself can fail: with the guard off ({@code ddlguard.mode=off}, no records), DDL
     * the server runs is reported by both servers' observers, with the statement; a DO block's DDL counts as
     * nested; SELECT INTO counts as top-level DDL like any other.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void theDifferentialCheckReportsDdlTheGuardDidNotJudge() throws Exception {
        try (ScratchPostgres scratch = new ScratchPostgres("fuzzcheck");
                Connection monitor = scratch.admin()) {
            ServerDdlLog server = ServerDdlLog.install(monitor);
            String url = "jdbc:ddlguard:" + scratch.url().substring("jdbc:".length()) + "&ddlguard.mode=off";
            try (Connection off = DriverManager.getConnection(url);
                    Statement st = off.createStatement()) {
                lastRecords = List.of();
                st.execute("CREATE TABLE fz_unjudged (id int); COMMENT ON TABLE fz_unjudged IS 'x'");
                ServerDdlLog.Seen seen = server.since();
                assertThat(seen.top()).isEqualTo(2);
                assertThat(disagreement(seen, "CREATE TABLE fz_unjudged (id int)"))
                        .contains(
                                "the server started 2 DDL command(s) (CREATE TABLE, COMMENT)",
                                "the guard left no record");
                st.execute("DO $$ BEGIN EXECUTE 'DROP TABLE fz_unjudged'; END $$");
                seen = server.since();
                assertThat(seen.nested()).isEqualTo(1);
                assertThat(disagreement(seen, "DO $$ BEGIN EXECUTE 'DROP TABLE fz_unjudged'; END $$"))
                        .contains("a DO block ran 1");
                st.execute("SELECT 1 AS a INTO fz_into");
                seen = server.since();
                assertThat(seen.top()).isEqualTo(1);
                assertThat(disagreement(seen, "SELECT 1 AS a INTO fz_into"))
                        .contains("(SELECT INTO)", "the guard left no record");
                st.execute("SELECT 1");
                assertThat(server.since()).isEqualTo(new ServerDdlLog.Seen(0, 0, 0, ""));
            }
        }
        try (ScratchMariaDb scratch = new ScratchMariaDb("fuzzcheck");
                Connection monitor = scratch.admin()) {
            MariaDbCatalogSnapshot catalog = new MariaDbCatalogSnapshot(monitor, scratch.database());
            try (Connection off = DriverManager.getConnection(
                            "jdbc:ddlguard:" + scratch.url("ddlguard.mode=off").substring("jdbc:".length()));
                    Statement st = off.createStatement()) {
                st.execute("CREATE TABLE fz_unjudged (id int)");
                assertThat(catalog.changed()).containsExactly("tables", "columns");
                st.execute("ALTER TABLE fz_unjudged ADD INDEX fz_i (id)");
                assertThat(catalog.changed()).containsExactly("indexes");
                st.execute("INSERT INTO fz_unjudged VALUES (1)");
                assertThat(catalog.changed()).isEmpty();
            }
        }
    }

    /** Puts back what the fuzz dropped, as the scratch user, unguarded; a table changed beyond repair stays as it is. */
    private static void restoreMariaDbFixtures(ScratchMariaDb scratch, String[] fixtures) throws SQLException {
        try (Connection c = DriverManager.getConnection(scratch.url(""));
                Statement st = c.createStatement()) {
            st.execute("SET SESSION lock_wait_timeout = 1");
            for (String fixture : fixtures) {
                try {
                    st.execute(fixture);
                } catch (SQLException changedBeyondRepair) {
                    // a lock held, or a name taken by something else: the next statements see the database as it is
                }
            }
        }
    }

    /**
     * The fuzzed SQL drops and alters the fixtures; what can be put back is, whatever state they are in.
     * Unguarded, and never waiting long for a lock the fuzzed session might hold.
     */
    private static void restoreFixtures(H2 db) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.rawUrl());
                Statement st = c.createStatement()) {
            st.execute("SET LOCK_TIMEOUT 200");
            for (String fixture : FIXTURES) {
                try {
                    st.execute(fixture);
                } catch (SQLException changedBeyondRepair) {
                    // a column dropped or added, or a lock held: the next statements see the table as it is
                }
            }
        }
    }

    /** A fuzzed BEGIN or SET AUTOCOMMIT FALSE leaves a transaction open: end it, so that it holds no locks. */
    private static Connection backToAutocommit(Connection g, Reconnect reconnect) throws SQLException {
        try {
            if (!g.getAutoCommit()) {
                g.rollback();
                g.setAutoCommit(true);
            }
            return g;
        } catch (SQLException e) {
            g.close();
            return reconnect.open();
        }
    }

    @FunctionalInterface
    private interface Reconnect {
        Connection open() throws SQLException;
    }

    /** Sends one string and checks what came back and what was audited; returns a usable connection. */
    private static Connection send(Connection g, Reconnect reconnect, Target target, String sql, int i, Tally tally)
            throws SQLException {
        java.util.Set<Integer> expected = expectedRecordCounts(sql, target.syntax());
        tally.sent++;
        synchronized (audit) {
            audit.clear();
        }
        log.clear();
        // Most go through Statement.execute; every tenth through a batch, every fifth through prepareStatement.
        String path = i % 10 == 3 ? "batch" : i % 5 == 1 ? "prepared" : "execute";
        String where =
                "seed " + SEED + ", " + target.name() + ", statement #" + i + " (" + path + "): " + shortened(sql);
        try {
            switch (path) {
                case "batch" -> {
                    try (Statement st = g.createStatement()) {
                        st.setQueryTimeout(3);
                        st.addBatch(sql);
                        st.executeBatch();
                    }
                }
                case "prepared" -> {
                    try (PreparedStatement ps = g.prepareStatement(sql)) {
                        ps.setQueryTimeout(3);
                        ps.execute();
                    }
                }
                default -> {
                    try (Statement st = g.createStatement()) {
                        st.setQueryTimeout(3);
                        st.execute(sql);
                    }
                }
            }
        } catch (SQLException expectedKind) {
            tally.sqlExceptions++; // the database's own error, or a documented guard error
            if (tally.firstErrors.size() < 3) {
                tally.firstErrors.add(shortened(String.valueOf(expectedKind.getMessage()))
                        .lines()
                        .findFirst()
                        .orElse(""));
            }
        } catch (RuntimeException | Error e) {
            assertThat(thrownByTheDriver(e))
                    .as("%s\nthrew %s", where, stackTrace(e))
                    .isTrue();
            tally.driverErrors++;
        }
        List<String> records;
        synchronized (audit) {
            records = List.copyOf(audit);
        }
        lastRecords = records;
        assertThat(expected).as("audit records of %s: %s", where, records).contains(records.size());
        tally.ddlRecords += records.size();
        for (String r : records) {
            assertThat(r).as("the guard failed on %s", where).doesNotContain("\"note\":\"guard error");
            assertThat(RULE_CRASH.matcher(r).find())
                    .as("a rule threw on %s: %s", where, r)
                    .isFalse();
        }
        return reconnectIfClosed(g, reconnect);
    }

    private static Connection reconnectIfClosed(Connection g, Reconnect reconnect) throws SQLException {
        if (g.isClosed() || !g.isValid(2)) {
            g.close();
            return reconnect.open();
        }
        return g;
    }

    /** One record per DDL statement the guard's own reading finds; one for a string it cannot read at all. */
    /**
     * The DDL statements of {@code sql} under each reading the guard may take: where a session setting that
     * changes the lexing is unknown (H2 judged as PostgreSQL cannot tell standard_conforming_strings), the
     * guard judges every plausible reading and records the strictest one's statements.
     */
    static java.util.Set<Integer> expectedRecordCounts(String sql, SqlSyntax syntax) {
        java.util.Set<Integer> counts = new java.util.TreeSet<>();
        counts.add(expectedRecords(sql, Lexing.of(syntax)));
        java.util.Set<Integer> starts = new java.util.HashSet<>();
        for (Lexing reading : Lexing.of(syntax).variants(Lexing.relevant(sql, syntax, Lexing.ALL))) {
            counts.add(expectedRecords(sql, reading));
            starts.addAll(ddlStarts(sql, reading));
        }
        // readings that disagree are judged together, one record per place a DDL statement's code starts in any of
        // them (/*!50100 ALTER /* c */ DROP TABLE t is ALTER … to one reading and DROP TABLE t to the other)
        counts.add(starts.size());
        if (syntax == SqlSyntax.MYSQL && DdlPreFilter.parameterReadTwoWays(sql, true)) {
            counts.add(1); // a ? the connector and the server read differently: the whole string, unanalyzable
        }
        return counts;
    }

    /** Where the code of each DDL statement of the reading starts (its first word or parenthesis-free token). */
    private static java.util.Set<Integer> ddlStarts(String sql, Lexing reading) {
        java.util.Set<Integer> starts = new java.util.HashSet<>();
        try {
            if (!DdlPreFilter.mightContainDdl(sql, reading.syntax())) {
                return starts;
            }
            for (StatementText s : StatementSplitter.splitUnder(sql, reading)) {
                StatementText inner = CompoundStatements.inner(s, reading.syntax());
                if (DdlClassifier.classify(s, reading.syntax()) != null
                        || inner != s && DdlClassifier.classify(inner, reading.syntax()) != null) {
                    s.tokens().stream()
                            .filter(t -> !t.isComment() && t.kind() != dev.ddlguard.sql.TokenKind.LEFT_PAREN)
                            .findFirst()
                            .ifPresent(t -> starts.add(t.start()));
                }
            }
        } catch (RuntimeException | StackOverflowError e) {
            starts.add(-1); // unreadable: one record, as expectedRecords counts it
        }
        return starts;
    }

    static int expectedRecords(String sql, SqlSyntax syntax) {
        return expectedRecords(sql, Lexing.of(syntax));
    }

    private static int expectedRecords(String sql, Lexing reading) {
        SqlSyntax syntax = reading.syntax();
        if (!DdlPreFilter.mightContainDdl(sql, syntax)) {
            return 0;
        }
        try {
            int ddl = 0;
            for (StatementText s : StatementSplitter.splitUnder(sql, reading)) {
                try {
                    // as the judge reads MariaDB's compound statements: past IF … THEN, BEGIN, labels
                    StatementText inner = CompoundStatements.inner(s, syntax);
                    ddl += DdlClassifier.classify(s, syntax) != null
                                    || inner != s && DdlClassifier.classify(inner, syntax) != null
                            ? 1
                            : 0;
                } catch (RuntimeException | StackOverflowError e) {
                    ddl++;
                }
            }
            return ddl;
        } catch (RuntimeException | StackOverflowError e) {
            return 1;
        }
    }

    /** The driver's own failure (H2's parser overflowing its stack, say), which the guard must pass on, not cause. */
    private static boolean thrownByTheDriver(Throwable e) {
        for (StackTraceElement frame : e.getStackTrace()) {
            String origin = frame.getClassName();
            if (!origin.startsWith("java.") && !origin.startsWith("jdk.") && !origin.startsWith("sun.")) {
                return origin.startsWith("org.h2.") || origin.startsWith("org.postgresql.");
            }
        }
        return false;
    }

    private static String stackTrace(Throwable e) {
        java.io.StringWriter out = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }

    private static String shortened(String sql) {
        String oneLine = sql.replace("\n", "\\n").replace("\r", "\\r");
        return oneLine.length() > 600 ? oneLine.substring(0, 600) + "… (" + sql.length() + " chars)" : oneLine;
    }
}
