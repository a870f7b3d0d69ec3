package dev.ddlguard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import dev.ddlguard.sql.DdlClassifier;
import dev.ddlguard.sql.DdlPreFilter;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.StatementSplitter;
import dev.ddlguard.sql.StatementText;
import dev.ddlguard.support.H2;
import dev.ddlguard.support.LogCapture;
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
 * transaction rolled back (and some in autocommit, so that rewrites run).
 *
 * <p>Asserted for every statement: nothing but an {@link SQLException} reaches the caller (the
 * documented BlockedStatementException and LockTimeoutException are ones) unless the database
 * driver itself threw it; each DDL statement in the string leaves exactly one audit record; and
 * no record shows that the guard itself failed ("guard error", a rule that threw).
 *
 * <p>{@code -Dfuzz.seconds=N} lengthens the run (default 24 s in all), {@code -Dfuzz.seed=S}
 * repeats one; the seed is printed, and named in every failure. (Not {@code ddlguard.*}: those
 * system properties are the guard's own settings.)
 */
class FuzzTest {

    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
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

        @Override
        public String toString() {
            return sent + " statements, " + ddlRecords + " audit records, " + sqlExceptions + " SQLExceptions, "
                    + driverErrors + " errors thrown by the database driver itself";
        }
    }

    private static List<String> corpus;
    private static LogCapture log;
    private static Appender<ILoggingEvent> fileAppender;
    private static final List<String> audit = new ArrayList<>();

    @BeforeAll
    static void captureAuditAndReadCorpus() {
        System.out.println("FuzzTest seed " + SEED + " (repeat with -Dfuzz.seed=" + SEED + "), " + SECONDS + " s");
        corpus = SqlFuzzer.corpusStatements();
        if (corpus.isEmpty()) {
            System.out.println("FuzzTest: no corpus found (DDLGUARD_TEST_CORPUS or ../shared/corpus): generated SQL only");
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
            ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                    .addAppender(fileAppender);
        }
    }

    /** Where the statements go, and how the guard reads them. */
    private record Target(String name, SqlSyntax syntax, String... settings) {
    }

    private static final List<Target> H2_TARGETS = List.of(
            new Target("H2, enforce", SqlSyntax.ANSI),
            new Target("H2, audit", SqlSyntax.ANSI, "ddlguard.mode", "audit"),
            new Target("H2 judged as PostgreSQL, enforce", SqlSyntax.POSTGRESQL, "ddlguard.target", "postgresql"),
            new Target("H2 judged as PostgreSQL, audit", SqlSyntax.POSTGRESQL, "ddlguard.target", "postgresql",
                    "ddlguard.mode", "audit"),
            new Target("H2 judged as MariaDB, enforce", SqlSyntax.MYSQL, "ddlguard.target", "mariadb",
                    "ddlguard.small-table", "1MB"),
            new Target("H2 judged as MariaDB, audit", SqlSyntax.MYSQL, "ddlguard.target", "mariadb", "ddlguard.mode", "audit"));

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
        long perTarget = (long) (SECONDS * 0.65 / H2_TARGETS.size() * 1e9);
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
        assertThat(tally.sent).isGreaterThan(1_000);
        assertThat(tally.ddlRecords).as("the fuzz reaches the guard").isGreaterThan(tally.sent / 5);
    }

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void mutatedAndGeneratedSqlThroughGuardedPostgresRaisesOnlySqlExceptionsAndIsAuditedOnce() throws Exception {
        SqlFuzzer fuzzer = new SqlFuzzer(SEED + 1, corpus);
        try (ScratchPostgres scratch = new ScratchPostgres("fuzz")) {
            try (Connection a = scratch.admin(); Statement st = a.createStatement()) {
                // Bounds for what the fuzzed SQL may cost: the role cannot lift temp_file_limit (superuser-only), and
                // every statement also has a query timeout, which no SET can lift.
                String role = "ALTER ROLE " + scratch.role() + " IN DATABASE " + scratch.database();
                st.execute(role + " SET statement_timeout = '3s'");
                st.execute(role + " SET temp_file_limit = '200MB'");
            }
            String url = "jdbc:ddlguard:" + scratch.url().substring("jdbc:".length());
            try (Connection owner = scratch.raw(); Statement st = owner.createStatement()) {
                st.execute("CREATE TABLE customers (id int PRIMARY KEY, name text)");
                st.execute("CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers, amount int, note text)");
                st.execute("INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 100) g");
                st.execute("INSERT INTO orders SELECT g, g % 100 + 1, g, 'n' FROM generate_series(1, 1000) g");
            }
            Target target = new Target("PostgreSQL", SqlSyntax.POSTGRESQL);
            Connection g = DriverManager.getConnection(url, new Properties());
            long end = System.nanoTime() + (long) (SECONDS * 0.35 * 1e9);
            Tally tally = new Tally();
            for (int i = 0; System.nanoTime() < end; i++) {
                String sql = fuzzer.next();
                boolean autocommit = i % 4 == 0;   // rewrites (CONCURRENTLY, NOT VALID + VALIDATE) run only in autocommit
                try {
                    g.setAutoCommit(autocommit);
                } catch (SQLException gone) {
                    g = DriverManager.getConnection(url);
                    g.setAutoCommit(autocommit);
                }
                g = send(g, () -> DriverManager.getConnection(url), target, sql, i, tally);
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
            System.out.println("FuzzTest, guarded PostgreSQL: " + tally);
            assertThat(tally.sent).isGreaterThan(100);
            assertThat(tally.ddlRecords).as("the fuzz reaches the guard").isGreaterThan(tally.sent / 5);
        }
    }

    /**
     * The fuzzed SQL drops and alters the fixtures; what can be put back is, whatever state they are in.
     * Unguarded, and never waiting long for a lock the fuzzed session might hold.
     */
    private static void restoreFixtures(H2 db) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.rawUrl()); Statement st = c.createStatement()) {
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
        int expected = expectedRecords(sql, target.syntax());
        tally.sent++;
        synchronized (audit) {
            audit.clear();
        }
        log.clear();
        // Most go through Statement.execute; every tenth through a batch, every fifth through prepareStatement.
        String path = i % 10 == 3 ? "batch" : i % 5 == 1 ? "prepared" : "execute";
        String where = "seed " + SEED + ", " + target.name() + ", statement #" + i + " (" + path + "): " + shortened(sql);
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
            tally.sqlExceptions++;   // the database's own error, or a documented guard error
        } catch (RuntimeException | Error e) {
            assertThat(thrownByTheDriver(e)).as("%s\nthrew %s", where, stackTrace(e)).isTrue();
            tally.driverErrors++;
        }
        List<String> records;
        synchronized (audit) {
            records = List.copyOf(audit);
        }
        assertThat(records).as("audit records of %s", where).hasSize(expected);
        tally.ddlRecords += records.size();
        for (String r : records) {
            assertThat(r).as("the guard failed on %s", where).doesNotContain("\"note\":\"guard error");
            assertThat(RULE_CRASH.matcher(r).find()).as("a rule threw on %s: %s", where, r).isFalse();
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
    static int expectedRecords(String sql, SqlSyntax syntax) {
        if (!DdlPreFilter.mightContainDdl(sql, syntax)) {
            return 0;
        }
        try {
            int ddl = 0;
            for (StatementText s : StatementSplitter.split(sql, syntax)) {
                try {
                    ddl += DdlClassifier.classify(s, syntax) == null ? 0 : 1;
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
