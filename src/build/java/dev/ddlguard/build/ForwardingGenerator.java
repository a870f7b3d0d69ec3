package dev.ddlguard.build;

import java.io.IOException;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Wrapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Writes the {@code Forwarding*} classes of {@code dev.ddlguard.intercept} at build time (the
 * {@code generate-sources} phase runs it with {@code java ForwardingGenerator.java OUTPUT_DIR}): for every
 * method of a JDBC interface, one plain call to the same method of the wrapped driver object. The
 * {@code Guarded*} classes extend them and show only the calls with logic; nobody edits the forwarding.
 *
 * <p>Generated from the running JDK's own interfaces by reflection, so a JDBC method a newer JDK adds is
 * forwarded without anyone remembering it (HikariCP generates its proxies for the same reason).
 * {@code ForwardingTest} checks the output: every method there, each making exactly one call with its
 * arguments and result unchanged.
 *
 * <p>The one thing besides forwarding: in a class with {@link Spec#hooks} other than {@code NONE}, a value that may be an SQL
 * array or a cursor passes through a protected hook on its way, chosen by its type rather than by method
 * name, so that no getter or setter of such a value is missed. Out of the driver: a result of type
 * {@code Array} or {@code Object} (or the class {@code getObject(…, Class<T>)} asks for) through
 * {@code fromDriver}. Into the driver: a parameter of type {@code Array} or {@code Object} through
 * {@code toDriver}. Each hook returns its argument here; the guarded subclasses wrap and unwrap in them.
 *
 * <p>And the judged calls ({@link JudgedCalls}): the SQL-carrying calls of {@code Statement} and the executions
 * of {@code PreparedStatement} ask an abstract hook for the guard's judgement first; with none (not DDL) they
 * forward as every other method does, from the call itself, so that the JIT inlines the driver's method there.
 */
public final class ForwardingGenerator {

    private static final String PACKAGE = "dev.ddlguard.intercept";

    /**
     * One generated class.
     *
     * @param parent the interface whose methods the superclass already forwards (null: none)
     * @param constructor the constructor's parameters after {@code delegate}, passed on to {@code super}
     * @param refused methods left to the interface's default, by name
     * @param hooks whether array and object values pass through the value hooks, and whether this class declares them
     */
    record Spec(
            String name,
            Class<?> jdbc,
            Class<?> parent,
            String superclass,
            List<String> constructor,
            Set<String> refused,
            Hooks hooks,
            String doc) {}

    /** Whether a class's array and object values pass through the value hooks. */
    enum Hooks {
        NONE,
        /** declared in this class, with the identity as their body */
        DECLARED,
        /** declared by the superclass's own generated base */
        INHERITED
    }

    static final List<Spec> SPECS = List.of(
            new Spec(
                    "ForwardingStatement",
                    Statement.class,
                    null,
                    "DriverWrapper",
                    List.of(),
                    Set.of(),
                    Hooks.NONE,
                    """
                    Every {@code Statement} method, forwarded to the driver's statement: the base of
                    {@link GuardedStatement}, which overrides only the calls with logic. A plain call on a final field,
                    no reflection, no argument array, no boxing: the JIT inlines it into the caller."""),
            new Spec(
                    "ForwardingPreparedStatement",
                    PreparedStatement.class,
                    Statement.class,
                    "GuardedStatement",
                    List.of("Connection connection", "ConnectionGuard guard"),
                    Set.of(),
                    Hooks.DECLARED,
                    """
                    Every method {@code PreparedStatement} adds to {@code Statement}, forwarded to the driver's
                    prepared statement: the base of {@link GuardedPreparedStatement}, which overrides only the calls
                    with logic.

                    <p>It extends {@link GuardedStatement}, not {@link ForwardingStatement}: a class has one
                    superclass, so forwarding and logic take turns down the chain ({@code ForwardingStatement →
                    GuardedStatement → ForwardingPreparedStatement → GuardedPreparedStatement →
                    ForwardingCallableStatement → GuardedCallableStatement}), each level adding only what its
                    interface adds."""),
            new Spec(
                    "ForwardingCallableStatement",
                    CallableStatement.class,
                    PreparedStatement.class,
                    "GuardedPreparedStatement",
                    List.of("Connection connection", "ConnectionGuard guard", "Judgement prepared", "String sql"),
                    Set.of(),
                    Hooks.INHERITED, // ForwardingPreparedStatement's
                    """
                    Every method {@code CallableStatement} adds to {@code PreparedStatement}, forwarded to the
                    driver's callable statement: the base of {@link GuardedCallableStatement}, which overrides only
                    the calls with logic. It extends {@link GuardedPreparedStatement}, for the reason
                    {@link ForwardingPreparedStatement} gives; its array and object values pass through the hooks
                    declared there."""),
            new Spec(
                    "ForwardingResultSet",
                    ResultSet.class,
                    null,
                    "DriverWrapper",
                    List.of(),
                    Set.of(),
                    Hooks.DECLARED,
                    """
                    Every {@code ResultSet} method, forwarded to the driver's result set: the base of
                    {@link GuardedResultSet}, which overrides only the calls with logic. A plain call on a final
                    field, no reflection: {@code next()} and the getters cost one direct call each."""),
            new Spec("ForwardingArray", Array.class, null, null, List.of(), Set.of(), Hooks.NONE, """
                    Every {@code Array} method, forwarded to the driver's array: the base of {@link GuardedArray},
                    which overrides only the calls with logic."""),
            new Spec(
                    "ForwardingDataSource",
                    DataSource.class,
                    null,
                    "DriverWrapper",
                    List.of(),
                    // forwarded, a builder would hand out the wrapped data source's connections, unguarded; the
                    // interface's defaults refuse them (SQLFeatureNotSupportedException)
                    Set.of("createConnectionBuilder", "createShardingKeyBuilder"),
                    Hooks.NONE,
                    """
                    The {@code DataSource} methods a guarded data source passes on, forwarded to the wrapped one:
                    the base of {@link GuardedDataSource}, which overrides only the calls with logic.

                    <p>Not forwarded, on purpose: {@code createConnectionBuilder()} and
                    {@code createShardingKeyBuilder()}. Their interface defaults refuse them; forwarded, a builder
                    would hand out the wrapped data source's connections, unguarded."""));

    private static final String JUDGEMENT = "dev.ddlguard.engine.Judgement";

    /** Types of the project itself that constructors name, with their packages. */
    private static final List<String> PROJECT_IMPORTS =
            List.of("dev.ddlguard.engine.ConnectionGuard", JUDGEMENT, "java.sql.Connection");

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: java ForwardingGenerator.java OUTPUT_DIR");
        }
        Path dir = Path.of(args[0], PACKAGE.split("\\."));
        Files.createDirectories(dir);
        for (Spec spec : SPECS) {
            String source = new ForwardingGenerator(spec).source();
            Path file = dir.resolve(spec.name() + ".java");
            // unchanged output keeps its timestamp, so that the compiler's incremental check has nothing to redo
            if (!Files.exists(file) || !Files.readString(file).equals(source)) {
                Files.writeString(file, source);
            }
        }
    }

    private final Spec spec;
    private final Set<String> imports = new TreeSet<>();

    private ForwardingGenerator(Spec spec) {
        this.spec = spec;
    }

    /** The methods this class implements: the interface's, minus the parent's and the refused ones. */
    private List<Method> methods() {
        Set<String> inherited = spec.parent() == null
                ? Set.of()
                : Arrays.stream(spec.parent().getMethods())
                        .map(ForwardingGenerator::signature)
                        .collect(Collectors.toSet());
        return Arrays.stream(spec.jdbc().getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .filter(m -> !inherited.contains(signature(m)))
                .filter(m -> !spec.refused().contains(m.getName()))
                .sorted(Comparator.comparing(ForwardingGenerator::signature))
                .toList();
    }

    private static String signature(Method m) {
        return m.getName() + Arrays.toString(m.getParameterTypes());
    }

    String source() {
        StringBuilder body = new StringBuilder();
        String type = use(spec.jdbc());
        body.append(
                spec.parent() == null
                        ? "    /** The driver's object. */\n"
                        : "    /** The driver's object, the same as the superclass's {@code delegate}, with its own type. */\n");
        body.append("    protected final ").append(type).append(" delegate;\n\n");
        constructor(body, type);
        if (spec.hooks() == Hooks.DECLARED) {
            hooks(body);
        }
        JudgedCalls judged = JudgedCalls.of(spec.jdbc(), methods());
        if (judged != null) {
            imports.add(JUDGEMENT);
            body.append(judged.hooksAndSend(this::use));
        }
        for (Method m : methods()) {
            body.append('\n');
            if (judged != null && judged.calls().contains(m)) {
                body.append(judged.method(m, this::use));
            } else {
                method(body, m);
            }
        }

        StringBuilder out = new StringBuilder();
        out.append(
                "// Generated by src/build/java/dev/ddlguard/build/ForwardingGenerator.java at build time: do not edit.\n");
        out.append("package ").append(PACKAGE).append(";\n\n");
        for (String i : imports) {
            out.append("import ").append(i).append(";\n");
        }
        out.append("\n/**\n");
        for (String line : spec.doc().split("\n", -1)) {
            out.append(line.isEmpty() ? " *" : " * " + line).append('\n');
        }
        out.append(
                " *\n * <p>Generated ({@code ForwardingGenerator}); {@code ForwardingTest} checks that every method of the\n");
        out.append(" * interface is implemented here and passes its arguments and result through unchanged.\n */\n");
        out.append("abstract class ").append(spec.name());
        if (spec.superclass() != null) {
            out.append(" extends ").append(spec.superclass());
        }
        out.append(" implements ").append(type).append(" {\n\n");
        out.append(body);
        out.append("}\n");
        return out.toString();
    }

    private void constructor(StringBuilder b, String type) {
        List<String> params = new ArrayList<>();
        params.add(type + " delegate");
        params.addAll(spec.constructor());
        List<String> superArgs = new ArrayList<>();
        superArgs.add("delegate"); // every superclass wraps the same driver object
        for (String p : spec.constructor()) {
            String simple = p.substring(0, p.indexOf(' '));
            PROJECT_IMPORTS.stream().filter(i -> i.endsWith("." + simple)).forEach(imports::add);
            superArgs.add(p.substring(p.indexOf(' ') + 1));
        }
        b.append("    ")
                .append(spec.name())
                .append('(')
                .append(String.join(", ", params))
                .append(") {\n");
        if (spec.superclass() != null) {
            b.append("        super(").append(String.join(", ", superArgs)).append(");\n");
        }
        b.append("        this.delegate = delegate;\n    }\n");
    }

    private void hooks(StringBuilder b) {
        b.append("""

                    // ------------------------------------------------------------------ value hooks: the identity here

                    /**
                     * A value the driver returns, of the static type {@code type}: {@code Array} for {@code getArray},
                     * {@code Object} for {@code getObject}, the requested class for {@code getObject(…, type)}. The
                     * guarded subclass wraps an array or a cursor.
                     */
                    protected <T> T fromDriver(T value, Class<T> type) {
                        return value;
                    }

                    /** An array or object value handed to the driver ({@code setArray}, {@code updateObject}, …). */
                    protected Object toDriver(Object value) {
                        return value;
                    }

                    // ------------------------------------------------------------------ forwarded
                """);
    }

    private boolean hooked() {
        return spec.hooks() != Hooks.NONE;
    }

    private void method(StringBuilder b, Method m) {
        TypeVariable<Method>[] vars = m.getTypeParameters();
        String typeParams = vars.length == 0
                ? ""
                : Arrays.stream(vars).map(TypeVariable::getName).collect(Collectors.joining(", ", "<", "> "));
        Type[] params = m.getGenericParameterTypes();
        List<String> declared = new ArrayList<>();
        List<String> passed = new ArrayList<>();
        for (int i = 0; i < params.length; i++) {
            String name = "arg" + i;
            declared.add(render(params[i]) + " " + name);
            Class<?> raw = m.getParameterTypes()[i];
            passed.add(
                    hooked() && raw == Array.class
                            ? "(" + use(Array.class) + ") toDriver(" + name + ")"
                            : hooked() && raw == Object.class ? "toDriver(" + name + ")" : name);
        }
        String exceptions = m.getExceptionTypes().length == 0
                ? ""
                : Arrays.stream(m.getExceptionTypes()).map(this::use).collect(Collectors.joining(", ", " throws ", ""));
        b.append("    @Override\n");
        if (m.isAnnotationPresent(Deprecated.class)) {
            b.append("    @Deprecated\n"); // forwarding a deprecated method is no use of it
        }
        b.append("    public ")
                .append(typeParams)
                .append(render(m.getGenericReturnType()))
                .append(' ')
                .append(m.getName())
                .append('(')
                .append(String.join(", ", declared))
                .append(')')
                .append(exceptions)
                .append(" {\n        ");
        String call = "delegate." + m.getName() + "(" + String.join(", ", passed) + ")";
        if (m.getReturnType() == void.class) {
            b.append(call).append(";\n    }\n");
            return;
        }
        b.append("return ").append(fromDriver(m, call)).append(";\n    }\n");
    }

    /** The driver's answer, through the hook its type calls for. */
    private String fromDriver(Method m, String call) {
        if (!hooked() || m.getDeclaringClass() == Wrapper.class) { // unwrap's <T> T is no value of the driver's
            return call;
        }
        if (m.getReturnType() == Array.class) {
            return "fromDriver(" + call + ", " + use(Array.class) + ".class)";
        }
        if (m.getReturnType() == Object.class) {
            Type generic = m.getGenericReturnType();
            if (generic instanceof TypeVariable<?> t) { // <T> T getObject(…, Class<T> type): the last parameter
                Type[] params = m.getGenericParameterTypes();
                String last = params[params.length - 1].getTypeName();
                if (!last.equals("java.lang.Class<" + t.getName() + ">")) {
                    throw new IllegalStateException("a generic value without its class: " + m);
                }
                return "fromDriver(" + call + ", arg" + (params.length - 1) + ")";
            }
            return "fromDriver(" + call + ", Object.class)";
        }
        return call;
    }

    private String render(Type type) {
        if (type instanceof Class<?> c) {
            return c.isArray() ? render(c.getComponentType()) + "[]" : use(c);
        }
        if (type instanceof ParameterizedType p) {
            return render(p.getRawType())
                    + Arrays.stream(p.getActualTypeArguments())
                            .map(this::render)
                            .collect(Collectors.joining(", ", "<", ">"));
        }
        if (type instanceof WildcardType w) {
            if (w.getLowerBounds().length > 0) {
                return "? super " + render(w.getLowerBounds()[0]);
            }
            Type upper = w.getUpperBounds()[0];
            return upper == Object.class ? "?" : "? extends " + render(upper);
        }
        if (type instanceof TypeVariable<?> v) {
            return v.getName();
        }
        if (type instanceof GenericArrayType g) {
            return render(g.getGenericComponentType()) + "[]";
        }
        throw new IllegalStateException("no rendering for " + type);
    }

    /** The simple name of a class, imported unless it is primitive or in java.lang. */
    private String use(Class<?> c) {
        if (!c.isPrimitive() && !c.getPackageName().equals("java.lang")) {
            String clash = imports.stream()
                    .filter(i -> i.endsWith("." + c.getSimpleName()) && !i.equals(c.getName()))
                    .findFirst()
                    .orElse(null);
            if (clash != null) {
                throw new IllegalStateException(c.getName() + " and " + clash + " have the same simple name");
            }
            imports.add(c.getName());
        }
        return c.getSimpleName();
    }

    /**
     * The calls of a class that are judged before they forward: {@code Statement}'s 13 SQL-carrying calls (their
     * first parameter the SQL) or {@code PreparedStatement}'s 4 executions (its SQL was judged when prepared).
     * Each asks its judgement of an abstract hook; null (not DDL) forwards the call from the call itself. DDL, for
     * all of them, takes one path: an abstract hook the guarded subclass routes through the guard, which makes the
     * driver's call the number names with {@code send}, a switch rather than a lambda per call.
     *
     * @param prepared whether these are a prepared statement's executions (no SQL argument, no keys)
     */
    record JudgedCalls(List<Method> calls, boolean prepared) {

        private static final Set<String> EXECUTIONS =
                Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate");

        /** The judged calls among a class's methods, in their (sorted) order, which numbers them; null when none. */
        static JudgedCalls of(Class<?> jdbc, List<Method> methods) {
            boolean prepared = jdbc == PreparedStatement.class;
            if (jdbc != Statement.class && !prepared) {
                return null;
            }
            List<Method> calls = methods.stream()
                    .filter(m -> EXECUTIONS.contains(m.getName()))
                    .filter(m -> prepared
                            ? m.getParameterCount() == 0
                            : m.getParameterCount() > 0 && m.getParameterTypes()[0] == String.class)
                    .toList();
            for (Method m : calls) {
                if (m.getParameterCount() > 2) { // a newer JDK's overload: written by hand here first, never guessed
                    throw new IllegalStateException("a judged call of a shape not generated yet: " + m);
                }
            }
            return new JudgedCalls(calls, prepared);
        }

        private String judge() {
            return prepared ? "judgeExecution" : "judge";
        }

        private String through() {
            return prepared ? "executePrepared" : "throughGuard";
        }

        String hooksAndSend(Function<Class<?>, String> use) {
            String sqlParam = prepared ? "" : "String sql";
            StringBuilder b = new StringBuilder(
                    "\n    // ------------------------------------------------------------------ judged calls\n\n");
            b.append(
                    prepared
                            ? "    /** The judgement made when this statement was prepared if it holds DDL; else null (it goes to the driver). */\n"
                            : "    /** The guard's judgement of the SQL; null when it is not DDL, which goes straight to the driver. */\n");
            b.append("    protected abstract Judgement ")
                    .append(judge())
                    .append('(')
                    .append(sqlParam)
                    .append(") throws SQLException;\n\n");
            b.append(
                    "    /** DDL, through the guard, which sends what its judgement says with {@link #send}; the driver's answer. */\n");
            b.append("    protected abstract Object ")
                    .append(through())
                    .append("(Judgement j, int call")
                    .append(prepared ? "" : ", Object keys")
                    .append(") throws SQLException;\n\n");
            if (!prepared) {
                b.append("    /** A result set of the driver's, on its way to the caller. */\n");
                b.append("    protected abstract ")
                        .append(use.apply(ResultSet.class))
                        .append(" wrap(ResultSet rs);\n\n");
            }
            b.append(
                    "    /**\n     * The driver's call the number names: a Boolean, the driver's ResultSet, an Integer or a Long, as the JDBC\n");
            b.append("     * method returns it")
                    .append(
                            prepared
                                    ? ""
                                    : "; {@code keys} is its generated-keys argument (null, the flag, the indexes or the names)")
                    .append(".\n     */\n");
            b.append("    protected final Object send(int call")
                    .append(prepared ? "" : ", String sql, Object keys")
                    .append(") throws SQLException {\n        return switch (call) {\n");
            for (int i = 0; i < calls.size(); i++) {
                Method m = calls.get(i);
                b.append("            case ")
                        .append(i)
                        .append(" -> delegate.")
                        .append(m.getName())
                        .append('(')
                        .append(prepared ? "" : "sql");
                if (m.getParameterCount() == 2) {
                    Class<?> keys = m.getParameterTypes()[1];
                    b.append(", (")
                            .append(keys == int.class ? "Integer" : keys.getSimpleName())
                            .append(") keys");
                }
                b.append(");\n");
            }
            b.append(
                    "            default -> throw new IllegalArgumentException(\"no judged call \" + call);\n        };\n    }\n");
            return b.toString();
        }

        String method(Method m, Function<Class<?>, String> use) {
            int call = calls.indexOf(m);
            Class<?> result = m.getReturnType();
            String boxed = result == boolean.class
                    ? "Boolean"
                    : result == int.class ? "Integer" : result == long.class ? "Long" : use.apply(result);
            boolean keys = m.getParameterCount() == 2;
            String params = prepared
                    ? ""
                    : "String sql" + (keys ? ", " + m.getParameterTypes()[1].getSimpleName() + " keys" : "");
            String forwarded = "delegate." + m.getName() + "(" + (prepared ? "" : "sql" + (keys ? ", keys" : "")) + ")";
            String guarded = "(" + boxed + ") " + through() + "(j, " + call
                    + (prepared ? "" : ", " + (keys ? "keys" : "null")) + ")";
            String answer = "j == null ? " + forwarded + " : " + guarded;
            return "    @Override\n    public " + result.getSimpleName() + " " + m.getName() + "(" + params
                    + ") throws SQLException {\n"
                    + "        Judgement j = " + judge() + "(" + (prepared ? "" : "sql") + ");\n"
                    + "        return " + (result == ResultSet.class ? "wrap(" + answer + ")" : answer) + ";\n    }\n";
        }
    }
}
