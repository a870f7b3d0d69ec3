package dev.ddlguard.bench;

import dev.ddlguard.DdlGuard;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;


/**
 * Issue 15, point 8: a fresh-schema migration of {@code 3 × tables} DDL statements (CREATE TABLE with a
 * foreign key to the previous table, ADD COLUMN, CREATE INDEX; the first table has no reference), sent
 * statement by statement in autocommit as a migration tool does, through the raw driver and through
 * the guard in enforce mode (PostgreSQL: {@code ddlguard.rule.require-concurrent-index=allow}, as a test
 * suite migrating a fresh database sets it). Every run gets a fresh schema (PostgreSQL) or database
 * (MariaDB), made and dropped outside the timing, and a new connection, opened outside the timing too.
 * Raw and guarded take turns (which goes first alternates), so load on the machine hits both; the
 * figure is the ratio of the medians of the measured runs, with the median of the per-round ratios
 * beside it.
 *
 * <p>Not JMH: one run is a migration of hundreds of milliseconds with server-side effects (a schema),
 * not an operation JMH can repeat in a loop.
 *
 * <p>Usage: {@code java -cp target/benchmarks.jar dev.ddlguard.bench.FreshSchemaBench [pg|mariadb|both]
 * [rounds] [warm-up rounds] [tables]}, with {@code -Dbench.pg.url} and {@code -Dbench.mariadb.url}.
 */
public final class FreshSchemaBench {

    /** The client thread's CPU time of the last run, ms. */
    private static double lastCpuMs;

    /** The time the last run took to wrap its connection (0 for raw), ms: part of a cold start, not of a warm run. */
    private static double lastWrapMs;

    private FreshSchemaBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("cold")) {
            cold(args);
            return;
        }
        String which = args.length > 0 ? args[0] : "both";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int warmUp = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int tables = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        System.out.printf("fresh-schema migration: %d statements per run, %d warm-up + %d measured rounds, load %s%n",
                3 * tables, warmUp, rounds, load());
        if (!which.equals("mariadb")) {
            bench(new Server("postgresql", System.getProperty("bench.pg.url",
                    "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"), true), rounds, warmUp, tables);
        }
        if (!which.equals("pg")) {
            bench(new Server("mariadb", System.getProperty("bench.mariadb.url",
                    "jdbc:mariadb://127.0.0.1:3306/test?user=root"), false), rounds, warmUp, tables);
        }
        System.out.printf("load at the end: %s%n", load());
    }

    private record Server(String name, String url, boolean postgres) {

        Map<String, String> settings() {
            return postgres ? Map.of("ddlguard.mode", "enforce", "ddlguard.rule.require-concurrent-index", "allow")
                    : Map.of("ddlguard.mode", "enforce");
        }

        /** The migration: table i references table i-1. */
        List<String> script(int tables) {
            List<String> sql = new ArrayList<>(3 * tables);
            String engine = postgres ? "" : " ENGINE=InnoDB";
            for (int i = 0; i < tables; i++) {
                String fk = i == 0 ? "" : ", parent_id bigint NOT NULL REFERENCES t" + (i - 1) + " (id)";
                sql.add("CREATE TABLE t" + i + " (id bigint PRIMARY KEY, name varchar(100)" + fk + ")" + engine);
                sql.add("ALTER TABLE t" + i + " ADD COLUMN created_at timestamp NULL");
                sql.add("CREATE INDEX t" + i + "_name ON t" + i + " (name)");
            }
            return sql;
        }
    }

    private static void bench(Server server, int rounds, int warmUp, int tables) throws Exception {
        List<String> script = server.script(tables);
        double[] raw = new double[rounds];
        double[] guarded = new double[rounds];
        double[] ratios = new double[rounds];
        double[] rawCpu = new double[rounds];
        double[] guardedCpu = new double[rounds];
        int run = 0;
        for (int r = -warmUp; r < rounds; r++) {
            boolean guardFirst = (r & 1) != 0;
            double a = once(server, script, guardFirst, run++);
            double aCpu = lastCpuMs;
            double b = once(server, script, !guardFirst, run++);
            double bCpu = lastCpuMs;
            if (r >= 0) {
                guardedCpu[r] = guardFirst ? aCpu : bCpu;
                rawCpu[r] = guardFirst ? bCpu : aCpu;
                guarded[r] = guardFirst ? a : b;
                raw[r] = guardFirst ? b : a;
                ratios[r] = guarded[r] / raw[r];
            }
        }
        double rawMedian = median(raw);
        double guardedMedian = median(guarded);
        System.out.printf("%s: raw median %.1f ms, guarded median %.1f ms, ratio of medians %.3f, median of round ratios %.3f"
                        + " [min %.3f, max %.3f], guard adds %.2f ms per statement%n",
                server.name(), rawMedian, guardedMedian, guardedMedian / rawMedian, median(ratios),
                Arrays.stream(ratios).min().orElse(0), Arrays.stream(ratios).max().orElse(0),
                (guardedMedian - rawMedian) / script.size());
        System.out.printf("%s raw ms: %s%n%s guarded ms: %s%n", server.name(), list(raw), server.name(), list(guarded));
        // The client thread's CPU time: what the guard itself costs, which load on the machine disturbs far less than wall time.
        System.out.printf("%s client CPU, median ms per run: raw %.1f, guarded %.1f (%.3f ms per statement more)%n", server.name(),
                median(rawCpu), median(guardedCpu), (median(guardedCpu) - median(rawCpu)) / script.size());
    }

    /**
     * {@code cold <pg|mariadb> <raw|guarded> [tables]}: the first migration of a fresh JVM, as a test suite that
     * migrates one database per JVM pays it (class loading, interpreted code). Prints one line, {@code cold <server>
     * <variant> <ms>}; fresh-schema.sh runs several JVMs of each, alternating, and compares the medians.
     */
    private static void cold(String[] args) throws SQLException {
        boolean postgres = args[1].equals("pg");
        boolean guard = args[2].equals("guarded");
        int tables = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        Server server = postgres
                ? new Server("postgresql", System.getProperty("bench.pg.url",
                        "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"), true)
                : new Server("mariadb", System.getProperty("bench.mariadb.url",
                        "jdbc:mariadb://127.0.0.1:3306/test?user=root"), false);
        // An application has its logging running before it migrates: start it outside the timing, for both.
        org.slf4j.LoggerFactory.getILoggerFactory();
        double ms = once(server, server.script(tables), guard, 0);
        System.out.printf(java.util.Locale.ROOT, "cold %s %s %.1f%n", server.name(), args[2], ms + lastWrapMs);
    }

    /** One migration on a fresh schema; returns its wall time in ms (connection and schema set-up excluded). */
    private static double once(Server server, List<String> script, boolean guard, int run) throws SQLException {
        String schema = "ddlg_fresh_" + ProcessHandle.current().pid() + "_" + run;
        try (Connection admin = DriverManager.getConnection(server.url()); Statement st = admin.createStatement()) {
            st.execute(server.postgres() ? "CREATE SCHEMA " + schema : "CREATE DATABASE " + schema);
        }
        try {
            Connection raw = DriverManager.getConnection(server.url());
            if (server.postgres()) {
                raw.setSchema(schema);
            } else {
                raw.setCatalog(schema);
            }
            long wrapStart = System.nanoTime();
            try (Connection c = guard ? DdlGuard.wrap(raw, server.settings()) : raw; Statement st = c.createStatement()) {
                lastWrapMs = (System.nanoTime() - wrapStart) / 1e6;
                java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
                long cpu = threads.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                for (String sql : script) {
                    st.execute(sql);
                }
                double ms = (System.nanoTime() - start) / 1e6;
                lastCpuMs = (threads.getCurrentThreadCpuTime() - cpu) / 1e6;
                return ms;
            }
        } finally {
            try (Connection admin = DriverManager.getConnection(server.url()); Statement st = admin.createStatement()) {
                st.execute(server.postgres() ? "DROP SCHEMA " + schema + " CASCADE" : "DROP DATABASE " + schema);
            }
        }
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String list(double[] values) {
        StringBuilder s = new StringBuilder();
        for (double v : values) {
            s.append(s.length() == 0 ? "" : " ").append(String.format("%.0f", v));
        }
        return s.toString();
    }

    private static String load() {
        try {
            return String.join(" ", Arrays.copyOf(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                    .split(" "), 3));
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
