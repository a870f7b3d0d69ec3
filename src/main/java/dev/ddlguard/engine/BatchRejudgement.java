package dev.ddlguard.engine;

import dev.ddlguard.BlockedStatementException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch's DDL entries, judged again when the batch runs, against the session and the database as they are then
 * (the same entries before them, the same settings those give): they were judged as they were added, and a batch may
 * run much later. An outside tester added DROP TABLE IF EXISTS t (absent) and DROP COLUMN IF EXISTS c (absent) with no
 * database chosen, then setCatalog, and executeBatch dropped another database's table and column; a SET sql_mode = ''
 * between addBatch and executeBatch turned NULLs into 0; another session created the table in between. Decided as a
 * prepared statement's execution is ({@link LaterRuns#atExecution}): what blocks now blocks the whole batch.
 */
public final class BatchRejudgement {

    private BatchRejudgement() {}

    /**
     * The entries as judged now; a {@link BlockedStatementException} (audited) when one of them is blocked now, and
     * then nothing of the batch is sent.
     */
    public static List<BatchEntry> again(ConnectionGuard guard, List<BatchEntry> entries) throws SQLException {
        List<BatchEntry> now = new ArrayList<>(entries.size());
        for (BatchEntry entry : entries) {
            Judgement again = entry.prepared()
                    ? guard.judgePreparedExecution(entry.sql(), entry.judgement())
                    : LaterRuns.atExecution(
                            guard.judgeBatchEntry(entry.sql(), entry.schemaMayHaveMoved(), entry.settings()),
                            entry.judgement());
            if (again.blocked()) {
                throw guard.reject(again);
            }
            now.add(entry.judged(again));
        }
        return now;
    }
}
