package dev.ddlguard.engine;

import dev.ddlguard.sql.SecretRedactor;
import java.util.List;

/**
 * The verdict on one SQL string that holds DDL: one {@link JudgedStatement} per DDL statement,
 * and what to send instead of the caller's string.
 *
 * @param sqlToSend the caller's string with every rewrite spliced in, or null when blocked
 * @param followUps statements to run after it succeeded (VALIDATE CONSTRAINT, say)
 * @param undo      statements that take the first one back when a follow-up fails
 * @param secrets   the passwords found in the string, to scrub from database error messages
 * @param concurrently whether a CONCURRENTLY statement is sent: it waits for every older snapshot, so it gets its own timeout
 */
public record Judgement(
        List<JudgedStatement> statements,
        String sqlToSend,
        List<String> followUps,
        List<String> undo,
        SecretRedactor.Redacted secrets,
        boolean concurrently) {

    public Judgement {
        statements = List.copyOf(statements);
        followUps = List.copyOf(followUps);
        undo = List.copyOf(undo);
    }

    public boolean blocked() {
        return sqlToSend == null;
    }

    /**
     * Not DDL, but a statement that may end the transaction (COMMIT, ROLLBACK, …) while the transaction
     * holds DDL: the guard runs it to see how the transaction ends; it writes no record of its own.
     */
    static Judgement transactionControl(String sql) {
        return new Judgement(List.of(), sql, List.of(), List.of(), new SecretRedactor.Redacted(sql, List.of()), false);
    }

    /** Whether this is {@link #transactionControl}: no DDL in it. */
    public boolean isTransactionControl() {
        return statements.isEmpty();
    }
}
