package dev.ddlguard.bench.interleaved;

/**
 * One non-DDL operation through one variant, as the interleaved harness drives it. The harness
 * sees only this interface; the implementation ({@link BenchWorkload}) and the benchmark state it
 * drives are loaded once per variant by an {@link IsolatingClassLoader}.
 */
public interface Workload {

    /** Empties the insert table, outside the measurement (as JMH's H2Bench/PgBench do per iteration). */
    void reset() throws Exception;

    /**
     * Runs the operation for at least {@code nanos} nanoseconds.
     *
     * @return the number of operations completed
     */
    long run(long nanos) throws Exception;

    void close() throws Exception;
}
