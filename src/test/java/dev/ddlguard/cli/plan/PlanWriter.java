package dev.ddlguard.cli.plan;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The application while a plan runs: a thread that keeps inserting and updating rows through the
 * columns the deployed code knows at that moment, and remembers what it wrote, so the test can
 * prove at the end that no row and no write was lost.
 */
final class PlanWriter implements AutoCloseable {

    /**
     * What the deployed code writes: one value into each of {@code columns} (none: the tracked value
     * is not written), plus {@code note} so that an insert is never empty.
     *
     * @param nullEvery every n-th value is NULL (0: never)
     */
    record Op(String table, List<String> columns, int nullEvery) {

        static Op writes(String table, String... columns) {
            return new Op(table, List.of(columns), 0);
        }
    }

    private final Connection connection;
    /** Row id to the tracked value last written (null: NULL or never written). Only the writer thread writes it. */
    private final Map<Long, Long> expected;

    private final List<Long> ids;
    private final Random random = new Random(42);
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile Op op;
    private volatile CountDownLatch progress = new CountDownLatch(0);
    private volatile boolean stop;
    private long next = 1_000_000;
    private long count;

    /** Starts writing at once; {@code seeded} are the rows already there with their tracked values. */
    PlanWriter(Connection connection, Map<Long, Long> seeded, Op first) {
        this.connection = connection;
        this.expected = new HashMap<>(seeded);
        this.ids = new ArrayList<>(seeded.keySet());
        this.op = first;
        this.thread = new Thread(this::loop, "plan-writer");
        thread.start();
    }

    /** Switches what the application writes, then waits until it has done {@code n} operations that way. */
    void switchTo(Op next, int n) throws InterruptedException {
        op = next; // before the latch: an operation counted on the new latch was surely done the new way
        await(n);
    }

    /** Waits until the writer has done {@code n} more operations the current way. */
    void await(int n) throws InterruptedException {
        rethrow();
        CountDownLatch latch = new CountDownLatch(n);
        progress = latch;
        rethrow();
        boolean done = latch.await(60, TimeUnit.SECONDS);
        rethrow();
        if (!done) {
            throw new AssertionError(
                    "the writer did not make progress: " + latch.getCount() + " of " + n + " operations left");
        }
    }

    /** Stops the writer; the model of what it wrote is complete after this. */
    @Override
    public void close() {
        stop = true;
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while stopping the writer", e);
        }
        rethrow();
    }

    Map<Long, Long> expected() {
        return expected;
    }

    long operations() {
        return count;
    }

    private void loop() {
        while (!stop) {
            Op current = op;
            try {
                write(current);
            } catch (SQLException e) {
                if (retryable(e)) {
                    continue; // what an application does on a deadlock or lock timeout
                }
                failure.set(new AssertionError("writer failed on " + current + ": " + e, e));
                CountDownLatch waiting = progress;
                while (waiting.getCount() > 0) {
                    waiting.countDown(); // wake the test: it rethrows the failure
                }
                return;
            }
            count++;
            CountDownLatch latch = progress;
            if (current == op) {
                latch.countDown();
            }
        }
    }

    private void write(Op o) throws SQLException {
        Long value = o.nullEvery() > 0 && next % o.nullEvery() == 0 ? null : next;
        next++;
        boolean insert = ids.isEmpty() || random.nextInt(3) == 0;
        StringBuilder sql = new StringBuilder();
        if (insert) {
            sql.append("INSERT INTO ").append(o.table()).append(" (note");
            o.columns().forEach(c -> sql.append(", ").append(c));
            sql.append(") VALUES ('inserted'")
                    .append(", ?".repeat(o.columns().size()))
                    .append(')');
        } else {
            sql.append("UPDATE ").append(o.table()).append(" SET note = 'updated'");
            o.columns().forEach(c -> sql.append(", ").append(c).append(" = ?"));
            sql.append(" WHERE id = ?");
        }
        try (PreparedStatement ps = connection.prepareStatement(sql.toString(), new String[] {"id"})) {
            int i = 1;
            for (int k = 0; k < o.columns().size(); k++) {
                if (value == null) {
                    ps.setNull(i++, Types.BIGINT);
                } else {
                    ps.setLong(i++, value);
                }
            }
            long id = insert ? 0 : ids.get(random.nextInt(ids.size()));
            if (!insert) {
                ps.setLong(i, id);
            }
            ps.executeUpdate();
            if (insert) {
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
                ids.add(id);
                expected.put(id, o.columns().isEmpty() ? null : value);
            } else if (!o.columns().isEmpty()) {
                expected.put(id, value);
            }
        }
    }

    /**
     * Deadlocks and lock timeouts, and MariaDB's ER_VIEW_INVALID (1356): a write that opened the view of
     * a rename-table plan at the very instant the contract's RENAME swapped it for the table fails once
     * with it (seen about once in ten runs on MariaDB 10.11); the retry goes to the table. Nothing is
     * lost: a failed statement wrote nothing, and the model only records writes that succeeded.
     */
    private static boolean retryable(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return state.equals("40001")
                || state.equals("40P01")
                || state.equals("55P03")
                || e.getErrorCode() == 1205
                || e.getErrorCode() == 1213
                || e.getErrorCode() == 1356;
    }

    private void rethrow() {
        Throwable t = failure.get();
        if (t != null) {
            throw t instanceof AssertionError a ? a : new AssertionError(t);
        }
    }
}
