package dev.ddlguard.bench.interleaved;

import dev.ddlguard.bench.H2Bench;
import dev.ddlguard.bench.PgBench;
import dev.ddlguard.bench.Variant;

/**
 * Drives one operation of {@link H2Bench} or {@link PgBench} (the same state and the same methods
 * JMH measures) in a timed loop. Loaded once per variant ({@link IsolatingClassLoader}); each
 * operation has its own loop method so that the call site is the operation's alone.
 */
public final class BenchWorkload implements Workload {

    /** The operations, as {@code suite.method} of the JMH classes. */
    public static final String[] NAMES = {
        "h2.statementPointSelect", "h2.preparedPointSelect", "h2.insertOne", "h2.insertBatch100",
        "pg.preparedPointSelect", "pg.insertOne",
    };

    private final String name;
    private final H2Bench h2;
    private final PgBench pg;
    /**
     * Where each loop leaves the sum of its results: a store to a field of a reachable object, which
     * the JIT must perform, so no result is dead code (JMH's Blackhole does the same job there).
     */
    private long sink;

    public BenchWorkload(String name, String variant) throws Exception {
        this.name = name;
        if (name.startsWith("h2.")) {
            h2 = new H2Bench();
            h2.variant = Variant.valueOf(variant);
            h2.setUp();
            pg = null;
        } else if (name.startsWith("pg.")) {
            pg = new PgBench();
            pg.variant = Variant.valueOf(variant);
            pg.setUp();
            h2 = null;
        } else {
            throw new IllegalArgumentException("unknown workload " + name);
        }
    }

    @Override
    public void reset() throws Exception {
        if (h2 != null) {
            h2.emptyEvents();
        } else {
            pg.emptyEvents();
        }
    }

    @Override
    public long run(long nanos) throws Exception {
        long end = System.nanoTime() + nanos;
        switch (name) {
            case "h2.statementPointSelect": return h2StatementPointSelect(end);
            case "h2.preparedPointSelect": return h2PreparedPointSelect(end);
            case "h2.insertOne": return h2InsertOne(end);
            case "h2.insertBatch100": return h2InsertBatch100(end);
            case "pg.preparedPointSelect": return pgPreparedPointSelect(end);
            case "pg.insertOne": return pgInsertOne(end);
            default: throw new IllegalArgumentException("unknown workload " + name);
        }
    }

    // The clock is read every 32 operations on H2 (a read costs tens of ns, a few % of a microsecond
    // query) and every operation where one takes tens of microseconds.

    private long h2StatementPointSelect(long end) throws Exception {
        long ops = 0;
        long s = 0;
        do {
            for (int i = 0; i < 32; i++) {
                s += h2.statementPointSelect();
            }
            ops += 32;
        } while (System.nanoTime() < end);
        sink += s;
        return ops;
    }

    private long h2PreparedPointSelect(long end) throws Exception {
        long ops = 0;
        long s = 0;
        do {
            for (int i = 0; i < 32; i++) {
                s += h2.preparedPointSelect();
            }
            ops += 32;
        } while (System.nanoTime() < end);
        sink += s;
        return ops;
    }

    private long h2InsertOne(long end) throws Exception {
        long ops = 0;
        long s = 0;
        do {
            for (int i = 0; i < 32; i++) {
                s += h2.insertOne();
            }
            ops += 32;
        } while (System.nanoTime() < end);
        sink += s;
        return ops;
    }

    private long h2InsertBatch100(long end) throws Exception {
        long ops = 0;
        long s = 0;
        do {
            s += h2.insertBatch100().length;
            ops++;
        } while (System.nanoTime() < end);
        sink += s;
        return ops;
    }

    private long pgPreparedPointSelect(long end) throws Exception {
        long ops = 0;
        long s = 0;
        do {
            s += pg.preparedPointSelect();
            ops++;
        } while (System.nanoTime() < end);
        sink += s;
        return ops;
    }

    private long pgInsertOne(long end) throws Exception {
        long ops = 0;
        long s = 0;
        do {
            s += pg.insertOne();
            ops++;
        } while (System.nanoTime() < end);
        sink += s;
        return ops;
    }

    @Override
    public void close() throws Exception {
        if (h2 != null) {
            h2.tearDown();
        } else {
            pg.tearDown();
        }
    }
}
