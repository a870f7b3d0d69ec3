package dev.ddlguard.intercept;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Array;
import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Wrapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * No getter or setter of an SQL array, a cursor or an untyped value is missed by the guarded wrappers: for
 * every method of the JDBC interface (the JDK's, by reflection, as the generator reads them) whose result is
 * an {@code Array} or an {@code Object}, a driver's array comes out wrapped, leading back to the guarded
 * statement; for every method taking an {@code Array} or {@code Object} parameter, a guarded array reaches
 * the driver as the driver's own (drivers recognise their arrays by class). A JDBC method a newer JDK adds is
 * checked here without anyone listing it.
 */
class ValueHooksTest {

    private final RecordingDelegate recorder = new RecordingDelegate();
    private final Statement guardedStatement = RecordingDelegate.of(Statement.class, new RecordingDelegate());

    @Test
    void resultSetWrapsEveryArrayAndObjectItReadsAndUnwrapsEveryOneItWrites() throws Exception {
        ResultSet rs = new GuardedResultSet(RecordingDelegate.of(ResultSet.class, recorder), guardedStatement);
        assertReadsWrapped(rs, ResultSet.class, guardedStatement);
        assertWritesUnwrapped(rs, ResultSet.class);
    }

    @Test
    void callableStatementWrapsEveryOutParameterAndUnwrapsEveryArrayItIsGiven() throws Exception {
        CallableStatement cs = new GuardedCallableStatement(
                RecordingDelegate.of(CallableStatement.class, recorder), null, null, null, null);
        assertReadsWrapped(cs, CallableStatement.class, cs);
        assertWritesUnwrapped(cs, CallableStatement.class);
    }

    @Test
    void preparedStatementUnwrapsEveryArrayItIsGiven() throws Exception {
        PreparedStatement ps = new GuardedPreparedStatement(
                RecordingDelegate.of(PreparedStatement.class, recorder), null, null, null, null);
        assertWritesUnwrapped(ps, PreparedStatement.class);
    }

    private void assertReadsWrapped(Object wrapper, Class<?> jdbc, Statement expectedStatement) throws Exception {
        List<String> checked = new ArrayList<>();
        for (Method m : jdbc.getMethods()) {
            Class<?> type = m.getReturnType();
            if ((type != Array.class && type != Object.class) || m.getDeclaringClass() == Wrapper.class) {
                continue;
            }
            Object[] args = RecordingDelegate.samples(m.getParameterTypes(), 0);
            Class<?>[] params = m.getParameterTypes();
            if (params[params.length - 1] == Class.class) {
                args[params.length - 1] = Array.class; // getObject(…, Array.class)
            }
            RecordingDelegate arrayRecorder = new RecordingDelegate();
            arrayRecorder.answer = RecordingDelegate.of(ResultSet.class, new RecordingDelegate()); // its getResultSet()
            Array driverArray = RecordingDelegate.of(Array.class, arrayRecorder);
            recorder.answer = driverArray;
            Object result = m.invoke(wrapper, args);
            assertThat(result)
                    .as("%s of a driver's array", RecordingDelegate.signature(m))
                    .isInstanceOf(GuardedArray.class);
            assertThat(GuardedArray.unwrapped((Array) result)).isSameAs(driverArray);
            assertThat(((Array) result).getResultSet().getStatement())
                    .as("the statement %s's array leads back to", m.getName())
                    .isSameAs(expectedStatement);
            checked.add(m.getName());
        }
        assertThat(checked).as("getters of arrays and objects found").contains("getArray", "getObject");
    }

    private void assertWritesUnwrapped(Object wrapper, Class<?> jdbc) throws Exception {
        List<String> checked = new ArrayList<>();
        for (Method m : jdbc.getMethods()) {
            Class<?>[] params = m.getParameterTypes();
            int at = Arrays.asList(params).indexOf(Array.class);
            at = at >= 0 ? at : Arrays.asList(params).indexOf(Object.class);
            if (at < 0) {
                continue;
            }
            Array driverArray = RecordingDelegate.of(Array.class, new RecordingDelegate());
            Object[] args = RecordingDelegate.samples(params, 0);
            args[at] = GuardedArray.wrap(driverArray, guardedStatement);
            recorder.calls.clear();
            recorder.answer = null;
            try {
                m.invoke(wrapper, args);
            } catch (InvocationTargetException e) {
                throw new AssertionError(RecordingDelegate.signature(m), e.getCause());
            }
            assertThat(recorder.calls).hasSize(1);
            assertThat(recorder.calls.get(0).args()[at])
                    .as("%s hands the driver its own array", RecordingDelegate.signature(m))
                    .isSameAs(driverArray);
            checked.add(m.getName());
        }
        assertThat(checked).as("setters of arrays and objects found").isNotEmpty();
    }
}
