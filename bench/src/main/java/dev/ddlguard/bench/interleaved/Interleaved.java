package dev.ddlguard.bench.interleaved;

import dev.ddlguard.bench.Variant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * Measures the four variants of one operation in one JVM, against one database state, taking turns:
 * every round runs each variant for one time slice, in a shuffled order, and the ratios are taken
 * within the round. JMH gives each variant its own fork, so each ratio there also carries the
 * difference between two JIT outcomes and two scheduler placements; forks of the raw driver alone
 * differ by up to 40% here (2 virtual cores). Interleaving cancels what changes slowly (the machine,
 * the server's state, the clock) and leaves, per JVM, a paired measurement.
 *
 * <p>{@code java -cp benchmarks.jar dev.ddlguard.bench.interleaved.Interleaved <workload> <out.json>
 * [rounds] [slice ms] [warm-up s] [seed]}, workloads as in {@link BenchWorkload#NAMES}. The output
 * is one JSON object with the throughput (ops/ms) of every variant in every round; bench/summarize.py
 * turns files of several JVMs into the ratio table.
 */
public final class Interleaved {


    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Interleaved <workload> <out.json> [rounds=30] [sliceMs=300] [warmupS=24] [seed=1]");
            System.err.println("workloads: " + String.join(", ", BenchWorkload.NAMES));
            System.exit(2);
        }
        String name = args[0];
        Path out = Path.of(args[1]);
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        long sliceMs = args.length > 3 ? Long.parseLong(args[3]) : 300;
        long warmupS = args.length > 4 ? Long.parseLong(args[4]) : 24;
        long seed = args.length > 5 ? Long.parseLong(args[5]) : 1;

        Map<Variant, Workload> workloads = new EnumMap<>(Variant.class);
        for (Variant v : Variant.values()) {
            ClassLoader loader = new IsolatingClassLoader(Interleaved.class.getClassLoader());
            Class<?> type = loader.loadClass(BenchWorkload.class.getName());
            workloads.put(v, (Workload) type.getConstructor(String.class, String.class).newInstance(name, v.name()));
        }
        try {
            Random random = new Random(seed);
            List<Variant> order = new ArrayList<>(workloads.keySet());

            // Warm-up: short turns, so that every variant is compiled under the same conditions.
            long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupS);
            while (System.nanoTime() < warmupEnd) {
                Collections.shuffle(order, random);
                resetAll(workloads);
                for (Variant v : order) {
                    slice(workloads.get(v), TimeUnit.MILLISECONDS.toNanos(100));
                }
            }

            List<Map<Variant, Double>> results = new ArrayList<>();
            List<List<Variant>> orders = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                Collections.shuffle(order, random);
                Map<Variant, Double> round = new EnumMap<>(Variant.class);
                resetAll(workloads);
                for (Variant v : order) {
                    round.put(v, slice(workloads.get(v), TimeUnit.MILLISECONDS.toNanos(sliceMs)));
                }
                results.add(round);
                orders.add(List.copyOf(order));
                System.out.printf(Locale.ROOT, "%s round %2d: %s%n", name, r + 1, round);
            }
            write(out, name, rounds, sliceMs, warmupS, seed, results, orders);
        } finally {
            for (Workload w : workloads.values()) {
                w.close();
            }
        }
    }

    /** Runs one slice and returns its throughput in operations per millisecond. */
    private static double slice(Workload w, long nanos) throws Exception {
        long start = System.nanoTime();
        long ops = w.run(nanos);
        long elapsed = System.nanoTime() - start;
        return ops * 1e6 / elapsed;
    }

    /**
     * Empties every variant's insert table before a round (outside the measurement), so that each
     * slice of the round starts from the same state as its partners and the tables stay bounded.
     */
    private static void resetAll(Map<Variant, Workload> workloads) throws Exception {
        for (Workload w : workloads.values()) {
            w.reset();
        }
    }

    private static void write(Path out, String name, int rounds, long sliceMs, long warmupS, long seed,
            List<Map<Variant, Double>> results, List<List<Variant>> orders) throws IOException {
        StringJoiner rows = new StringJoiner(",\n  ", "[\n  ", "\n ]");
        for (int r = 0; r < results.size(); r++) {
            StringJoiner row = new StringJoiner(", ", "{", "");
            results.get(r).forEach((v, x) -> row.add(String.format(Locale.ROOT, "\"%s\": %.4f", v, x)));
            StringJoiner ord = new StringJoiner("\", \"", "[\"", "\"]");
            orders.get(r).forEach(v -> ord.add(v.name()));
            rows.add(row + ", \"order\": " + ord + "}");
        }
        String json = String.format(Locale.ROOT,
                "{\"workload\": \"%s\", \"rounds\": %d, \"sliceMs\": %d, \"warmupS\": %d, \"seed\": %d,%n"
                        + " \"jvm\": \"%s\",%n \"throughput\": %s%n}%n",
                name, rounds, sliceMs, warmupS, seed,
                System.getProperty("java.vm.version"), rows);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, json);
    }
}
