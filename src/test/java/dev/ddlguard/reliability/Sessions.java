package dev.ddlguard.reliability;

import static dev.ddlguard.support.ServerTestBase.stringQuery;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/** What the fault tests read from a session, and their bounded waits. */
final class Sessions {

    private Sessions() {}

    /**
     * The session state a fault must leave as it was.
     *
     * @param schema PostgreSQL's search_path; MariaDB's current database
     */
    record State(boolean autocommit, String lockTimeout, String schema) {

        static State postgres(Connection c) throws SQLException {
            return new State(
                    c.getAutoCommit(), stringQuery(c, "SHOW lock_timeout"), stringQuery(c, "SHOW search_path"));
        }

        static State mariadb(Connection c) throws SQLException {
            return new State(
                    c.getAutoCommit(),
                    stringQuery(c, "SELECT @@SESSION.lock_wait_timeout"),
                    stringQuery(c, "SELECT DATABASE()"));
        }
    }

    /** Whether pgjdbc sees the session's transaction as aborted ("current transaction is aborted"). */
    static boolean postgresTransactionAborted(Connection c) throws SQLException {
        return c.unwrap(BaseConnection.class).getTransactionState() == TransactionState.FAILED;
    }

    @FunctionalInterface
    interface Check {
        boolean holds() throws Exception;
    }

    /** Polls until the check holds; fails after the timeout, so a test never hangs on it. */
    static void waitFor(String what, Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up after " + timeout.toMillis() + " ms waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    /** Runs an action on a thread of its own (a daemon: it cannot keep the JVM up); {@link #join} bounds the wait for it. */
    static CompletableFuture<Void> inBackground(Action action) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread thread = new Thread(
                () -> {
                    try {
                        action.run();
                        done.complete(null);
                    } catch (Throwable e) {
                        done.completeExceptionally(e);
                    }
                },
                "fault-test-background");
        thread.setDaemon(true);
        thread.start();
        return done;
    }

    static void join(CompletableFuture<Void> background, Duration timeout) throws Exception {
        try {
            background.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            background.cancel(true);
            throw new AssertionError("background action still running after " + timeout.toMillis() + " ms", e);
        }
    }
}
