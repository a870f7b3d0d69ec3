package dev.ddlguard.engine;

import dev.ddlguard.rules.Catalog.Session;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A CONCURRENTLY build waits for every transaction older than its snapshots (manual: CREATE INDEX,
 * "Building Indexes Concurrently"). When the only ones are idle in transaction under the caller's own
 * database user, and still are a moment later, they are almost surely this process's other connection
 * waiting for the migration to end, which waits for the build: the wait would never end. Flyway (9.1.2+,
 * {@code postgresql.transactional.lock=true}, the default) holds its migration lock that way while a
 * script with {@code executeInTransaction=false} runs. Failing at once with the fix beats hanging a deploy.
 */
final class SelfWait {

    private static final String IDLE_IN_TRANSACTION = "idle in transaction";

    /** A session idle in transaction only between two statements of its own moves on within this. */
    static final long RECHECK_MILLIS = 1_000;

    private SelfWait() {}

    /** The error to fail with instead of sending the statement, or null when the build may wait. */
    static SQLException check(Judgement j, LiveCatalog catalog) throws SQLException {
        List<Session> first = catalog.idleOwnTransactions();
        if (first.isEmpty()) {
            return null;
        }
        pause();
        List<Session> again = catalog.idleOwnTransactions();
        Set<Integer> before = first.stream().map(Session::pid).collect(Collectors.toSet());
        // the first look may catch the session running a statement (Flyway's lock connection reading its history
        // table just before the script runs): a moment later, only sessions idle in transaction count
        if (again.isEmpty()
                || !again.stream().allMatch(s -> before.contains(s.pid()) && IDLE_IN_TRANSACTION.equals(s.state()))) {
            return null;
        }
        boolean rewritten = j.statements().stream().anyMatch(JudgedStatement::rewriteSent);
        String sessions = again.stream().map(Session::describe).collect(Collectors.joining("; "));
        return new SQLException(
                "ddlguard: " + j.statements().get(0).summary() + " not sent: as CONCURRENTLY"
                        + (rewritten ? " (the guard's rewrite)" : "")
                        + " it would wait forever. The only transactions it must wait "
                        + "for are idle in transaction under this same database user, most likely this process's own: "
                        + sessions
                        + ". If that is Flyway's migration lock, set postgresql.transactional.lock=false (Spring Boot: "
                        + "spring.flyway.postgresql.transactional-lock=false), or end that transaction, then run the migration again",
                "55P03");
    }

    private static void pause() throws SQLException {
        try {
            Thread.sleep(RECHECK_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException(
                    "interrupted while checking the transactions a CONCURRENTLY build would wait for", e);
        }
    }
}
