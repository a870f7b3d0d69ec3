package dev.ddlguard.intercept;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.net.MalformedURLException;
import java.net.URL;
import java.sql.Date;
import java.sql.JDBCType;
import java.sql.SQLType;
import java.sql.SQLWarning;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * A stand-in for a driver's JDBC object: a {@link Proxy} of the interface that records every call made
 * on it (method and arguments) and answers with {@link #answer} (or throws {@link #failure}). The
 * wrappers' tests hand it to a wrapper and check what reached it. {@link #sample} makes argument and
 * answer values that are told apart by identity (or, for primitives, by value).
 */
final class RecordingDelegate implements InvocationHandler {

    /** One call that reached the delegate. */
    record Call(Method method, Object[] args) {
        String signature() {
            return RecordingDelegate.signature(method);
        }
    }

    final List<Call> calls = new ArrayList<>();
    /** What a call answers; null for void methods. */
    Object answer;
    /** When not null, only calls of the methods of this name get {@link #answer}; the others answer 0, false or null. */
    String answering;
    /** When not null, what every call throws instead. */
    RuntimeException failure;

    static <T> T of(Class<T> type, RecordingDelegate handler) {
        return type.cast(
                Proxy.newProxyInstance(RecordingDelegate.class.getClassLoader(), new Class<?>[] {type}, handler));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
        if (method.getDeclaringClass() == Object.class) { // an assertion message printing the delegate
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "recording delegate";
            };
        }
        calls.add(new Call(method, args == null ? new Object[0] : args));
        if (failure != null) {
            throw failure;
        }
        if (answering != null && !answering.equals(method.getName())) {
            Class<?> type = method.getReturnType();
            // 0 or false: the first element of a new array of the type
            return type.isPrimitive() && type != void.class ? Array.get(Array.newInstance(type, 1), 0) : null;
        }
        return answer;
    }

    static String signature(Method m) {
        return m.getName() + Arrays.toString(m.getParameterTypes());
    }

    /**
     * A value of {@code type}, distinct for each {@code seed}: primitives by value (a boolean by the seed's
     * parity), everything else a new object. Fails for a type it does not know, so that a new JDBC
     * parameter type is noticed rather than passed as null.
     */
    static Object sample(Class<?> type, int seed) {
        if (type == void.class) {
            return null;
        }
        if (type == int.class) {
            return 100 + seed;
        }
        if (type == long.class) {
            return 10_000L + seed;
        }
        if (type == boolean.class) {
            return seed % 2 == 0;
        }
        if (type == byte.class) {
            return (byte) seed;
        }
        if (type == short.class) {
            return (short) (200 + seed);
        }
        if (type == float.class) {
            return 0.5f + seed;
        }
        if (type == double.class) {
            return 0.25 + seed;
        }
        if (type == String.class) {
            return "s" + seed;
        }
        if (type == Object.class) {
            return new Object();
        }
        if (type == int[].class) {
            return new int[] {seed};
        }
        if (type == String[].class) {
            return new String[] {"c" + seed};
        }
        if (type == long[].class) {
            return new long[] {seed};
        }
        if (type == byte[].class) {
            return new byte[] {(byte) seed};
        }
        if (type == Class.class) {
            return seed % 2 == 0 ? String.class : Integer.class;
        }
        if (type == Map.class) {
            return new HashMap<String, Class<?>>();
        }
        if (type == SQLWarning.class) {
            return new SQLWarning("w" + seed);
        }
        if (type == BigDecimal.class) {
            return new BigDecimal(seed);
        }
        if (type == Date.class) {
            return new Date(seed);
        }
        if (type == Time.class) {
            return new Time(seed);
        }
        if (type == Timestamp.class) {
            return new Timestamp(seed);
        }
        if (type == Calendar.class) {
            return Calendar.getInstance();
        }
        if (type == InputStream.class) {
            return new ByteArrayInputStream(new byte[0]);
        }
        if (type == Reader.class) {
            return new StringReader("");
        }
        if (type == SQLType.class) {
            return seed % 2 == 0 ? JDBCType.INTEGER : JDBCType.VARCHAR;
        }
        if (type == PrintWriter.class) {
            return new PrintWriter(new StringWriter());
        }
        if (type == Logger.class) {
            return Logger.getLogger("sample" + seed);
        }
        if (type == URL.class) {
            try {
                return new URL("http://example.invalid/" + seed);
            } catch (MalformedURLException e) {
                throw new AssertionError(e);
            }
        }
        if (type.isInterface()) { // Blob, Clob, Array, ResultSet, …: an object of its own
            return of(type, new RecordingDelegate());
        }
        throw new AssertionError("no sample value for " + type.getName() + ": add one");
    }

    /**
     * Distinct values for a method's parameters: no two of the same type are equal, and a boolean
     * parameter is true in one round and false in the next.
     */
    static Object[] samples(Class<?>[] types, int round) {
        Object[] values = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            values[i] = sample(types[i], round * 11 + i + 1);
        }
        return values;
    }
}
