package dev.ddlguard.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What changes about a judgement when its SQL runs later than it was judged: a batch entry (it runs at executeBatch,
 * after the entries before it) and a prepared statement (it runs at each execute, maybe after the session or the
 * table changed). {@link ConnectionGuard} judges; this shapes the judgement for the later run.
 */
final class LaterRuns {

    private LaterRuns() {}

    private static final String CONCURRENTLY_IN_A_BATCH = "a CONCURRENTLY statement cannot run inside a batch (the"
            + " driver sends the batch as one pipeline, a transaction block to the server, and the build would fail"
            + " half done): run it alone, with execute()";

    private static final String PREPARED_VERDICT_CHANGED = "judged again when executed, the verdict differs from the"
            + " one it was prepared under (the session's schema, the table's rows or this run's tables changed):"
            + " prepare it again";

    /**
     * A CONCURRENTLY statement (the caller's, or the guard's rewrite) cannot run inside a batch: pgjdbc sends a batch
     * as one pipeline, which PostgreSQL runs as one transaction block, and the build fails ("cannot be executed within
     * a pipeline"), leaving an INVALID index behind (an outside tester's find). Blocked at addBatch with the reason,
     * before anything is sent.
     */
    static Judgement notInABatch(Judgement j) {
        return j == null || j.blocked() || !j.concurrently() ? j : blocked(j, CONCURRENTLY_IN_A_BATCH);
    }

    /**
     * The judgement to execute a prepared DDL statement under, given its judgement now ({@code now}) and at prepare
     * time: a verdict that blocks now blocks; the same statement to send, the fresh judgement; a statement that would
     * now run as written, the prepared one (its form, a rewrite say, is no weaker); one that would now be rewritten
     * otherwise blocks, since a prepared statement's SQL is fixed.
     */
    static Judgement atExecution(Judgement now, Judgement prepared) {
        if (now == null || now.isTransactionControl()) {
            return prepared;
        }
        if (now.blocked()
                || Objects.equals(now.sqlToSend(), prepared.sqlToSend())
                        && now.followUps().equals(prepared.followUps())) {
            return now;
        }
        if (now.statements().stream().noneMatch(JudgedStatement::rewriteSent)) {
            return prepared;
        }
        return blocked(now, PREPARED_VERDICT_CHANGED);
    }

    /** The same judgement with one more reason in every statement's note (a batch entry after a schema move). */
    static Judgement noted(Judgement j, String why) {
        List<JudgedStatement> noted = new ArrayList<>(j.statements().size());
        for (JudgedStatement s : j.statements()) {
            noted.add(s.noted(why));
        }
        return new Judgement(noted, j.sqlToSend(), j.followUps(), j.undo(), j.secrets(), j.concurrently());
    }

    private static Judgement blocked(Judgement j, String why) {
        List<JudgedStatement> blocked = new ArrayList<>(j.statements().size());
        for (JudgedStatement s : j.statements()) {
            blocked.add(s.blockedBecause(why));
        }
        return new Judgement(blocked, null, List.of(), List.of(), j.secrets(), false);
    }
}
