package dev.ddlguard.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.BlockedStatementException;
import dev.ddlguard.DdlGuard;
import dev.ddlguard.sql.DdlClassifier;
import dev.ddlguard.sql.DdlPreFilter;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.StatementSplitter;
import dev.ddlguard.sql.StatementText;
import dev.ddlguard.support.H2;
import dev.ddlguard.support.LogCapture;
import dev.ddlguard.support.TestDatabases;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * Issue 8, faults: an audit appender that throws, pathological statements for the parser, DDL the
 * driver refuses before running it. In
 * each case the caller sees the database's own behaviour or a documented guard error (an
 * SQLException), never an exception of the guard's own.
 */
class FaultsTest {

    /** An appender on {@code ddlguard.audit} whose doAppend throws (Logback's AppenderBase would swallow it in append). */
    static final class ThrowingAppender extends AppenderBase<ILoggingEvent> {
        @Override
        public void doAppend(ILoggingEvent event) {
            throw new IllegalStateException("audit sink down");
        }

        @Override
        protected void append(ILoggingEvent event) {}
    }

    @Test
    void throwingAuditAppenderDoesNotChangeWhatTheCallerSees() throws SQLException {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger audit = context.getLogger("ddlguard.audit");
        ThrowingAppender appender = new ThrowingAppender();
        appender.setContext(context);
        appender.start();
        audit.addAppender(appender);
        try (H2 db = new H2()) {
            db.setup("CREATE TABLE orders(id INT)");
            try (Connection g = db.guarded();
                    Statement st = g.createStatement()) {
                st.execute("CREATE TABLE made(id INT)"); // allowed: runs
                assertThatThrownBy(() -> st.execute("DROP TABLE orders")) // blocked: the documented error
                        .isInstanceOf(BlockedStatementException.class);
                assertThatThrownBy(() -> st.execute("CREATE TABLE made(id INT)")) // the database's own error
                        .isInstanceOf(SQLException.class)
                        .isNotInstanceOf(BlockedStatementException.class)
                        .hasMessageContaining("MADE");
                st.execute("INSERT INTO made VALUES (1)");
                assertThat(g.getAutoCommit()).isTrue();
            }
            assertThat(db.tableExists("made")).isTrue();
            assertThat(db.tableExists("orders")).isTrue();
        } finally {
            audit.detachAppender(appender);
            appender.stop();
        }
    }

    static Stream<String> pathological() {
        String nested = "(".repeat(10_000) + "1" + ")".repeat(10_000);
        String longString = "'" + "x".repeat(100_000) + "'";
        return Stream.of(
                "CREATE TABLE made AS SELECT " + nested + " AS v",
                "CREATE TABLE made(note VARCHAR(200000) DEFAULT " + longString + ")",
                "CREATE TABLE made(" + "c INT, ".repeat(5_000) + "id INT)",
                "ALTER TABLE orders " + "ADD COLUMN c INT, ".repeat(3_000) + "ADD COLUMN d INT",
                "DROP TABLE " + "orders, ".repeat(2_000) + "orders",
                "CREATE TABLE made(id INT) /* " + "/* ".repeat(10_000),
                "CREATE TABLE made(id INT" + "(".repeat(20_000),
                "DROP " + "\u00a0".repeat(100_000) + "TABLE orders",
                "CREATE TABLE made AS SELECT '" + ";".repeat(100_000) + "' AS v",
                ";".repeat(100_000) + "DROP TABLE orders");
    }

    /** The guard's own reading (pre-filter, splitter, classifier) never throws, on any syntax. */
    @ParameterizedTest
    @MethodSource("pathological")
    void theGuardsOwnParserHandlesPathologicalStatements(String sql) {
        for (SqlSyntax syntax : SqlSyntax.values()) {
            DdlPreFilter.mightContainDdl(sql, syntax);
            for (StatementText s : StatementSplitter.split(sql, syntax)) {
                DdlClassifier.classify(s, syntax);
            }
        }
    }

    /**
     * Guarded, the statement either runs, fails with an SQLException, or fails exactly as it does on
     * the raw connection: H2's own recursive-descent parser overflows its stack on 10,000 nested
     * parentheses (a StackOverflowError from org.h2.command.Parser), and the
     * guard must neither add to nor hide that.
     */
    @ParameterizedTest
    @MethodSource("pathological")
    void pathologicalStatementsFailOnlyWithSqlExceptionsOrAsTheDatabaseDoes(String sql) throws SQLException {
        try (H2 db = new H2();
                LogCapture log = LogCapture.start()) {
            db.setup("CREATE TABLE orders(id INT)");
            Class<?> raw = null;
            try (Connection c = db.raw();
                    Statement st = c.createStatement()) {
                c.setAutoCommit(false);
                st.execute(sql);
            } catch (SQLException | RuntimeException | StackOverflowError e) {
                raw = e.getClass();
            }
            if (db.tableExists("made")) {
                db.setup("DROP TABLE made");
            }
            for (String[] settings : new String[][] {{}, {"ddlguard.target", "postgresql"}}) {
                try (Connection g = db.guarded(settings);
                        Statement st = g.createStatement()) {
                    try {
                        st.execute(sql);
                    } catch (SQLException expected) {
                        // the database's error or a documented guard error: fine
                    } catch (RuntimeException | StackOverflowError e) {
                        assertThat(e).as("only what the database itself throws").isExactlyInstanceOf(raw);
                    }
                }
                if (db.tableExists("made")) {
                    db.setup("DROP TABLE made");
                }
            }
        }
    }

    /**
     * DDL the driver refuses before running it still leaves its record: H2 parses at prepareStatement
     * (an unknown column type), PostgreSQL's driver refuses an unterminated dollar quote at addBatch.
     */
    @Test
    void ddlTheDriverRefusesAtPrepareIsAuditedAsAnError() throws SQLException {
        try (H2 db = new H2();
                LogCapture log = LogCapture.start()) {
            try (Connection g = db.guarded()) {
                assertThatThrownBy(() -> g.prepareStatement("CREATE TABLE made (id NO_SUCH_TYPE)"))
                        .isInstanceOf(SQLException.class)
                        .isNotInstanceOf(BlockedStatementException.class)
                        .hasMessageContaining("NO_SUCH_TYPE");
                JsonNode r = log.onlyAudit();
                assertThat(r.get("sql").asText()).isEqualTo("CREATE TABLE made (id NO_SUCH_TYPE)");
                assertThat(r.get("outcome").asText()).isEqualTo("error");
                assertThat(r.get("error").asText()).contains("NO_SUCH_TYPE");
                assertThat(r.get("attempts").asInt()).isZero();
                assertThat(r.get("note").asText()).contains("the driver refused it at prepareStatement");
                log.clear();
                // the next prepare of other SQL does not inherit the refused judgement
                try (PreparedStatement ps = g.prepareStatement("SELECT 1")) {
                    ps.execute();
                }
                assertThat(log.audit()).isEmpty();
            }
        }
    }

    @Test
    void ddlTheDriverRefusesAtAddBatchIsAuditedAsAnError() throws SQLException {
        try (LogCapture log = LogCapture.start();
                Connection g = TestDatabases.guarded(TestDatabases.PG_URL);
                Statement st = g.createStatement()) {
            String unterminated = "CREATE FUNCTION ddlg_refused() RETURNS int AS $$ SELECT 1";
            assertThatThrownBy(() -> st.addBatch(unterminated))
                    .isInstanceOf(SQLException.class)
                    .isNotInstanceOf(BlockedStatementException.class);
            JsonNode r = log.onlyAudit();
            assertThat(r.get("sql").asText()).isEqualTo(unterminated);
            assertThat(r.get("outcome").asText()).isEqualTo("error");
            assertThat(r.get("note").asText()).contains("the driver refused it at addBatch");
            assertThat(st.executeBatch()).isEmpty();
        }
    }

    /**
     * Issue 13: a driver that throws an Error (OutOfMemoryError while reading the reply, a StackOverflowError
     * in its parser) or a RuntimeException from executeBatch used to leave {@code "outcome":"ok"}, since
     * only SQLExceptions counted as failures. The record says error with the message; the caller gets the
     * very same throwable. The driver is H2's real one, wrapped so that its statements throw after running.
     */
    @Test
    void anErrorFromTheDriverIsRecordedAsAnErrorAndThrownUnchanged() throws SQLException {
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space (reading the reply)");
        try (H2 db = new H2();
                LogCapture log = LogCapture.start();
                Connection g = DdlGuard.wrap(throwingAfterRunning(db, "execute", () -> oom))
                        .getConnection();
                Statement st = g.createStatement()) {
            assertThatThrownBy(() -> st.execute("CREATE TABLE made (id INT)")).isSameAs(oom);
            JsonNode r = log.onlyAudit();
            assertThat(r.get("outcome").asText()).isEqualTo("error");
            assertThat(r.get("error").asText())
                    .isEqualTo("java.lang.OutOfMemoryError: Java heap space (reading the reply)");
            assertThat(r.get("transaction").isNull()).isTrue();
            assertThat(db.tableExists("made")).as("the driver had sent it").isTrue();
        }
    }

    @Test
    void aRuntimeExceptionFromExecuteBatchIsRecordedAsAnErrorForEveryDdlEntry() throws SQLException {
        IllegalStateException broken = new IllegalStateException("driver bug in batch");
        try (H2 db = new H2();
                LogCapture log = LogCapture.start();
                Connection g = DdlGuard.wrap(throwingAfterRunning(db, "executeBatch", () -> broken))
                        .getConnection();
                Statement st = g.createStatement()) {
            st.addBatch("CREATE TABLE b1 (id INT)");
            st.addBatch("CREATE TABLE b2 (id INT)");
            assertThatThrownBy(st::executeBatch).isSameAs(broken);
            assertThat(log.audit()).hasSize(2).allSatisfy(r -> {
                assertThat(r.get("outcome").asText()).isEqualTo("error");
                assertThat(r.get("error").asText()).isEqualTo("driver bug in batch");
            });
        }
    }

    @Test
    void anErrorFromAPreparedDdlStatementIsRecordedAsAnError() throws SQLException {
        StackOverflowError deep = new StackOverflowError();
        try (H2 db = new H2();
                LogCapture log = LogCapture.start();
                Connection g = DdlGuard.wrap(throwingAfterRunning(db, "execute", () -> deep))
                        .getConnection();
                PreparedStatement ps = g.prepareStatement("CREATE TABLE made (id INT)")) {
            assertThatThrownBy(ps::execute).isSameAs(deep);
            JsonNode r = log.onlyAudit();
            assertThat(r.get("outcome").asText()).isEqualTo("error");
            assertThat(r.get("error").asText()).isEqualTo("java.lang.StackOverflowError");
        }
    }

    /**
     * H2's real DataSource, whose connections' statements (plain and prepared) run each call of the given
     * name on H2 and then throw what {@code failure} gives, as a driver failing while reading the reply would.
     */
    private static DataSource throwingAfterRunning(H2 db, String method, Supplier<Throwable> failure) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(db.rawUrl());
        return (DataSource) Proxy.newProxyInstance(
                FaultsTest.class.getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, m, args) -> {
                    Object result = invoke(h2, m, args);
                    return result instanceof Connection c ? throwingStatements(c, method, failure) : result;
                });
    }

    /** Only the statements that create a table throw: the guard's own queries (lock timeout, schema) work. */
    private static Connection throwingStatements(Connection real, String method, Supplier<Throwable> failure) {
        return (Connection) Proxy.newProxyInstance(
                FaultsTest.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, m, args) -> {
                    Object result = invoke(real, m, args);
                    boolean preparedCreate = args != null
                            && args.length > 0
                            && String.valueOf(args[0]).contains("CREATE TABLE");
                    if (result instanceof Statement st && (m.getName().equals("createStatement") || preparedCreate)) {
                        Class<?> type = st instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
                        return Proxy.newProxyInstance(
                                FaultsTest.class.getClassLoader(), new Class<?>[] {type}, (p, sm, sargs) -> {
                                    Object r = invoke(st, sm, sargs);
                                    boolean create = preparedCreate
                                            || sargs != null
                                                    && String.valueOf(sargs[0]).contains("CREATE TABLE");
                                    if (sm.getName().equals(method) && (create || method.equals("executeBatch"))) {
                                        throw failure.get();
                                    }
                                    return r;
                                });
                    }
                    return result;
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getTargetException();
        }
    }

    /** Issue 13, hint of the brief: an H2 connection closed under the guard; the DDL is not sent and is recorded as such. */
    @Test
    void ddlOnAConnectionClosedUnderTheGuardIsRecordedAsAnError() throws SQLException {
        try (H2 db = new H2();
                LogCapture log = LogCapture.start()) {
            Connection real = java.sql.DriverManager.getConnection(db.rawUrl());
            Connection g = DdlGuard.wrap(real, java.util.Map.of());
            Statement st = g.createStatement();
            real.close();
            assertThatThrownBy(() -> st.execute("CREATE TABLE made (id INT)")).isInstanceOf(SQLException.class);
            JsonNode r = log.onlyAudit();
            assertThat(r.get("outcome").asText()).isEqualTo("error");
            assertThat(r.get("error").asText()).isNotBlank();
            assertThat(db.tableExists("made")).isFalse();
        }
    }
}
