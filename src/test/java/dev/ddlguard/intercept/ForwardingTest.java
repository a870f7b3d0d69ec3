package dev.ddlguard.intercept;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddlguard.engine.Judgement;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.Array;
import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The {@code Forwarding*} classes are complete and only forward, so that the {@code Guarded*} classes
 * built on them need to show only their logic. For every method of the JDBC interface (for a level of the
 * statement chain, every method the interface adds to its parent's), the class itself implements it (an
 * interface's default method would otherwise run on the wrapper, not the driver), and called on a
 * {@link RecordingDelegate} it makes exactly one call, to the same method with the same arguments, returns
 * that call's answer and lets its exception through. A JDBC method added by a newer JDK, a forgotten one,
 * or logic slipped into a forwarding class fails here.
 */
class ForwardingTest {

    /** The protected identity hooks a generated class may declare for array and object values. */
    private static final Set<String> VALUE_HOOKS = Set.of("fromDriver", "toDriver");

    /**
     * The protected hooks of the judged calls (the SQL-carrying calls and a prepared statement's executions): the
     * judgement (null above: the call forwards), the guard's path, and the switch the guard sends DDL with, which
     * {@code SqlCarryingCallsTest} and {@code ExecutionPathsTest} check call by call.
     */
    private static final Set<String> JUDGED_HOOKS =
            Set.of("judge", "throughGuard", "wrap", "send", "judgeExecution", "executePrepared");

    @Test
    void statementForwardsEveryMethod() throws Exception {
        check(ForwardingStatement.class, Statement.class, null, d -> new ForwardingStatement(d) {
            @Override
            protected Judgement judge(String sql) {
                return null; // not DDL: the call forwards
            }

            @Override
            protected Object throughGuard(Judgement j, int call, Object keys) {
                throw new AssertionError("no judgement, no guard");
            }

            @Override
            protected ResultSet wrap(ResultSet rs) {
                return rs;
            }
        });
    }

    @Test
    void preparedStatementForwardsEveryMethodItAdds() throws Exception {
        check(
                ForwardingPreparedStatement.class,
                PreparedStatement.class,
                Statement.class,
                d -> new ForwardingPreparedStatement(d, null, null) {
                    @Override
                    protected Judgement judgeExecution() {
                        return null; // no DDL: the execution forwards
                    }

                    @Override
                    protected Object executePrepared(Judgement j, int call) {
                        throw new AssertionError("no judgement, no guard");
                    }
                });
    }

    @Test
    void callableStatementForwardsEveryMethodItAdds() throws Exception {
        check(
                ForwardingCallableStatement.class,
                CallableStatement.class,
                PreparedStatement.class,
                d -> new ForwardingCallableStatement(d, null, null, null, null) {});
    }

    @Test
    void resultSetForwardsEveryMethod() throws Exception {
        check(ForwardingResultSet.class, ResultSet.class, null, d -> new ForwardingResultSet(d) {});
    }

    @Test
    void arrayForwardsEveryMethod() throws Exception {
        check(ForwardingArray.class, Array.class, null, d -> new ForwardingArray(d) {});
    }

    @Test
    void dataSourceForwardsEveryMethodButTheConnectionBuilders() throws Exception {
        // forwarded, a builder would hand out the wrapped data source's connections unguarded: the interface's
        // defaults refuse them instead
        check(
                ForwardingDataSource.class,
                DataSource.class,
                null,
                d -> new ForwardingDataSource(d) {},
                Set.of("createConnectionBuilder[]", "createShardingKeyBuilder[]"));
    }

    private static <I> void check(Class<?> forwarding, Class<I> jdbc, Class<?> parent, Function<I, Object> make)
            throws Exception {
        check(forwarding, jdbc, parent, make, Set.of());
    }

    /**
     * @param parent the interface whose methods the class's superclass already handles; null when the
     *     class is the root of its chain
     * @param refused the signatures the class must leave to the interface's default, which refuses the call
     */
    private static <I> void check(
            Class<?> forwarding, Class<I> jdbc, Class<?> parent, Function<I, Object> make, Set<String> refused)
            throws Exception {
        Set<String> inherited = parent == null
                ? Set.of()
                : Arrays.stream(parent.getMethods())
                        .map(RecordingDelegate::signature)
                        .collect(Collectors.toSet());
        List<Method> methods = Arrays.stream(jdbc.getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .filter(m -> !inherited.contains(RecordingDelegate.signature(m)))
                .filter(m -> !refused.contains(RecordingDelegate.signature(m)))
                .toList();
        assertThat(methods).isNotEmpty();

        RecordingDelegate recorder = new RecordingDelegate();
        Object wrapper = make.apply(RecordingDelegate.of(jdbc, recorder));
        List<String> wrong = new ArrayList<>();
        for (Method m : methods) {
            Method own;
            try {
                own = forwarding.getDeclaredMethod(m.getName(), m.getParameterTypes());
            } catch (NoSuchMethodException e) {
                wrong.add(RecordingDelegate.signature(m) + ": not implemented");
                continue;
            }
            // two rounds with different values (a boolean both ways), then one where the driver throws
            for (int round = 0; round < 3; round++) {
                String problem = forwards(own, m, wrapper, recorder, round);
                if (problem != null) {
                    wrong.add(RecordingDelegate.signature(m) + ": " + problem);
                    break;
                }
            }
        }
        assertThat(wrong)
                .as("methods of %s that do not simply forward", forwarding.getSimpleName())
                .isEmpty();

        // nothing else: the interface's methods, the delegate, no state and no helpers but the value hooks, each the
        // identity here (the guarded subclasses override them; ValueHooksTest)
        Set<String> expected =
                methods.stream().map(RecordingDelegate::signature).collect(Collectors.toSet());
        for (Method hook : forwarding.getDeclaredMethods()) {
            if (VALUE_HOOKS.contains(hook.getName())) {
                Object[] args = RecordingDelegate.samples(hook.getParameterTypes(), 0);
                assertThat(hook.invoke(wrapper, args))
                        .as("%s returns its value", hook)
                        .isSameAs(args[0]);
            }
        }
        List<Method> own = Arrays.stream(forwarding.getDeclaredMethods())
                .filter(m -> !m.isSynthetic())
                .filter(m -> !(Modifier.isProtected(m.getModifiers())
                        && (VALUE_HOOKS.contains(m.getName()) || JUDGED_HOOKS.contains(m.getName()))))
                .toList();
        assertThat(own.stream().map(RecordingDelegate::signature))
                .as("methods declared by %s", forwarding.getSimpleName())
                .containsExactlyInAnyOrderElementsOf(expected);
        List<Field> fields = Arrays.stream(forwarding.getDeclaredFields())
                .filter(f -> !f.isSynthetic())
                .toList();
        assertThat(fields).hasSize(1);
        assertThat(fields.get(0).getName()).isEqualTo("delegate");
        assertThat(fields.get(0).getType()).isEqualTo(jdbc);
        assertThat(Modifier.isFinal(fields.get(0).getModifiers())).isTrue();
    }

    /** What is wrong with one call of {@code own} on the wrapper; null when it forwarded. */
    private static String forwards(Method own, Method m, Object wrapper, RecordingDelegate recorder, int round)
            throws IllegalAccessException {
        Object[] args = RecordingDelegate.samples(m.getParameterTypes(), round);
        recorder.calls.clear();
        recorder.answer = RecordingDelegate.sample(m.getReturnType(), 50 + round);
        recorder.failure = round == 2 ? new IllegalStateException("from the driver") : null;
        Object result;
        Throwable thrown = null;
        try {
            result = own.invoke(wrapper, args);
        } catch (InvocationTargetException e) {
            result = null;
            thrown = e.getCause();
        }
        if (recorder.calls.size() != 1) {
            return recorder.calls.size() + " calls reached the driver: "
                    + recorder.calls.stream()
                            .map(RecordingDelegate.Call::signature)
                            .toList();
        }
        RecordingDelegate.Call call = recorder.calls.get(0);
        if (!call.signature().equals(RecordingDelegate.signature(m))) {
            return "called " + call.signature();
        }
        for (int i = 0; i < args.length; i++) {
            boolean same =
                    m.getParameterTypes()[i].isPrimitive() ? args[i].equals(call.args()[i]) : args[i] == call.args()[i];
            if (!same) {
                return "argument " + i + " changed: " + args[i] + " became " + call.args()[i];
            }
        }
        if (recorder.failure != null) {
            return thrown == recorder.failure ? null : "the driver's exception became " + thrown;
        }
        if (thrown != null) {
            return "threw " + thrown;
        }
        if (result instanceof GuardedResultSet wrapped) {
            // a prepared statement's executeQuery() hands the driver's result set out through GuardedStatement.wrap
            result = wrapped.delegate;
        }
        boolean same =
                m.getReturnType().isPrimitive() ? Objects.equals(result, recorder.answer) : result == recorder.answer;
        return same ? null : "returned " + result + " instead of the driver's " + recorder.answer;
    }
}
