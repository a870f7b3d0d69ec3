package dev.ddlguard.intercept;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddlguard.engine.ConnectionGuard;
import dev.ddlguard.policy.Policy;
import dev.ddlguard.support.H2;
import dev.ddlguard.support.LogCapture;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The 13 SQL-carrying calls of {@link GuardedStatement}, whose DDL shares one path through the guard (a
 * switch on the call): each reaches the driver's method of the same name with the same generated-keys
 * argument, once, and returns the driver's own answer, both for SQL that is not DDL (straight to the
 * driver) and for DDL (through the guard, audited). The driver is a {@link RecordingDelegate}; the guard is a real one on an H2 connection.
 * Update counts above 127 and beyond an int show that no answer is truncated or confused on the way.
 */
class SqlCarryingCallsTest {

    /** A call on a statement. */
    interface Call {
        Object make(Statement st, String sql) throws SQLException;
    }

    static Stream<Arguments> calls() {
        int[] indexes = {1, 2};
        String[] names = {"ID"};
        ResultSet rows = RecordingDelegate.of(ResultSet.class, new RecordingDelegate());
        int count = 1234;
        long large = 5_000_000_000L;
        return Stream.of(
                call("execute", null, true, (st, sql) -> st.execute(sql)),
                call(
                        "execute",
                        Statement.RETURN_GENERATED_KEYS,
                        true,
                        (st, sql) -> st.execute(sql, Statement.RETURN_GENERATED_KEYS)),
                call("execute", indexes, false, (st, sql) -> st.execute(sql, indexes)),
                call("execute", names, true, (st, sql) -> st.execute(sql, names)),
                call("executeQuery", null, rows, (st, sql) -> st.executeQuery(sql)),
                call("executeUpdate", null, count, (st, sql) -> st.executeUpdate(sql)),
                call(
                        "executeUpdate",
                        Statement.NO_GENERATED_KEYS,
                        count,
                        (st, sql) -> st.executeUpdate(sql, Statement.NO_GENERATED_KEYS)),
                call("executeUpdate", indexes, count, (st, sql) -> st.executeUpdate(sql, indexes)),
                call("executeUpdate", names, count, (st, sql) -> st.executeUpdate(sql, names)),
                call("executeLargeUpdate", null, large, (st, sql) -> st.executeLargeUpdate(sql)),
                call(
                        "executeLargeUpdate",
                        Statement.RETURN_GENERATED_KEYS,
                        large,
                        (st, sql) -> st.executeLargeUpdate(sql, Statement.RETURN_GENERATED_KEYS)),
                call("executeLargeUpdate", indexes, large, (st, sql) -> st.executeLargeUpdate(sql, indexes)),
                call("executeLargeUpdate", names, large, (st, sql) -> st.executeLargeUpdate(sql, names)));
    }

    private static Arguments call(String method, Object keys, Object answer, Call call) {
        String shown =
                keys == null ? "" : keys instanceof Integer ? "int" : keys instanceof int[] ? "int[]" : "String[]";
        return Arguments.of(
                method + "(String" + (shown.isEmpty() ? "" : ", " + shown) + ")", method, keys, answer, call);
    }

    private H2 db;
    private Connection raw;
    private LogCapture log;

    @BeforeEach
    void setUp() throws SQLException {
        db = new H2();
        raw = db.raw();
        log = LogCapture.start();
    }

    @AfterEach
    void tearDown() throws SQLException {
        log.close();
        raw.close();
        db.close();
    }

    /**
     * Fail-closed against the JDK: the Forwarding* classes are generated from the JDK's interfaces, so a
     * statement method a newer JDK adds is forwarded without anyone writing it. One that takes SQL would then
     * reach the driver unjudged. Every {@code Statement} method with a String parameter is either one of the 13
     * judged here (generated as judged calls in ForwardingStatement, which the tests below run with DDL and
     * without) or addBatch (GuardedStatement) or one known to carry no SQL; a new one fails until it is judged or
     * listed.
     */
    @Test
    void everyStatementMethodThatTakesAStringIsJudgedOrCarriesNoSql() throws NoSuchMethodException {
        Set<String> carryNoSql = Set.of(
                "setCursorName", "enquoteLiteral", "enquoteIdentifier", "enquoteNCharLiteral", "isSimpleIdentifier");
        Set<String> judged = calls().map(a -> (String) a.get()[0]).collect(Collectors.toCollection(HashSet::new));
        judged.add("addBatch(String)");
        for (Method m : Statement.class.getMethods()) {
            if (!Arrays.asList(m.getParameterTypes()).contains(String.class) || carryNoSql.contains(m.getName())) {
                continue;
            }
            String overload = m.getName() + "("
                    + Arrays.stream(m.getParameterTypes())
                            .map(Class::getSimpleName)
                            .collect(Collectors.joining(", ")) + ")";
            assertThat(judged).as("a Statement method that may carry SQL").contains(overload);
            Class<?> implementer = GuardedStatement.class
                    .getMethod(m.getName(), m.getParameterTypes())
                    .getDeclaringClass();
            assertThat(implementer)
                    .as("%s judged by GuardedStatement or its generated judged calls", overload)
                    .isIn(GuardedStatement.class, ForwardingStatement.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void notDdlGoesStraightToTheSameDriverMethod(String overload, String method, Object keys, Object answer, Call call)
            throws SQLException {
        RecordingDelegate driver = new RecordingDelegate();
        GuardedStatement st = guarded(driver, method, answer);
        Object result = call.make(st, "UPDATE orders SET note = 'DROP TABLE orders'");

        assertThat(driver.calls).as("the driver saw only this call").hasSize(1);
        assertSent(driver.calls.get(0), method, "UPDATE orders SET note = 'DROP TABLE orders'", keys);
        assertAnswer(result, answer, st);
        assertThat(log.audit()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void ddlRunsThroughTheGuardOnTheSameDriverMethod(
            String overload, String method, Object keys, Object answer, Call call) throws SQLException {
        RecordingDelegate driver = new RecordingDelegate();
        GuardedStatement st = guarded(driver, method, answer);
        Object result = call.make(st, "CREATE TABLE made_here(id INT)");

        // the guard also reads the statement's query timeout and update count: only the execution counts here
        List<RecordingDelegate.Call> executions = driver.calls.stream()
                .filter(c -> c.method().getName().startsWith("execute"))
                .toList();
        assertThat(executions).as("one execution reached the driver").hasSize(1);
        assertSent(executions.get(0), method, "CREATE TABLE made_here(id INT)", keys);
        assertAnswer(result, answer, st);
        assertThat(log.onlyAudit().get("outcome").asText()).isEqualTo("ok");
        assertThat(log.onlyAudit().get("executed_sql").asText()).isEqualTo("CREATE TABLE made_here(id INT)");
    }

    /** A guarded statement on the recording driver, whose {@code method} answers {@code answer}; a real guard. */
    private GuardedStatement guarded(RecordingDelegate driver, String method, Object answer) throws SQLException {
        driver.answering = method;
        driver.answer = answer;
        return new GuardedStatement(
                RecordingDelegate.of(Statement.class, driver), null, ConnectionGuard.open(raw, Policy.defaults()));
    }

    private static void assertSent(RecordingDelegate.Call sent, String method, String sql, Object keys) {
        assertThat(sent.method().getName()).isEqualTo(method);
        assertThat(sent.args()).hasSize(keys == null ? 1 : 2);
        assertThat(sent.args()[0]).isEqualTo(sql);
        if (keys instanceof Integer) {
            assertThat(sent.args()[1]).isEqualTo(keys);
        } else if (keys != null) {
            assertThat(sent.args()[1]).isSameAs(keys);
        }
    }

    /** The driver's answer, as is; a result set wrapped, leading back to the guarded statement. */
    private static void assertAnswer(Object result, Object answer, GuardedStatement st) throws SQLException {
        if (answer instanceof ResultSet) {
            assertThat(result).isInstanceOf(GuardedResultSet.class);
            assertThat(((GuardedResultSet) result).delegate).isSameAs(answer);
            assertThat(((ResultSet) result).getStatement()).isSameAs(st);
        } else {
            assertThat(result).isEqualTo(answer);
        }
    }
}
