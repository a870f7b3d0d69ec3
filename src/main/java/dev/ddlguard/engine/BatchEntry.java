package dev.ddlguard.engine;

import java.util.Map;

/**
 * A DDL statement added to a batch, and its position there (for its update count), with what it was judged from: its
 * SQL, whether an earlier entry may have moved the schema, the settings the earlier entries give, and whether it is a
 * prepared statement's ({@link BatchRejudgement} judges it again when the batch runs).
 */
public record BatchEntry(
        Judgement judgement,
        int index,
        String sql,
        boolean schemaMayHaveMoved,
        Map<String, String> settings,
        boolean prepared) {

    /** The same entry under another judgement. */
    BatchEntry judged(Judgement now) {
        return new BatchEntry(now, index, sql, schemaMayHaveMoved, settings, prepared);
    }
}
