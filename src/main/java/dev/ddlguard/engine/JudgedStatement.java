package dev.ddlguard.engine;

import dev.ddlguard.policy.Action;
import dev.ddlguard.rules.LockImpact;
import dev.ddlguard.rules.RuleVerdict;
import dev.ddlguard.sql.DdlStatement;
import java.util.ArrayList;
import java.util.List;

/**
 * The verdict on one DDL statement of a SQL string: everything its audit record needs except the
 * outcome, which is only known after the database answered.
 *
 * @param sql             the statement as the caller wrote it, secrets redacted
 * @param summary         e.g. "DROP TABLE orders", for messages
 * @param decision        the decision taken (AUDITED in audit mode)
 * @param enforceDecision what enforce mode decides; equals decision outside audit mode
 * @param rewrittenSql    the safe equivalent when a rule rewrote the statement (redacted), else null
 * @param rewriteSent     whether that rewrite is what goes to the database
 * @param lock            the impact of the statement as written
 * @param executedLock    the impact of the rewrite, when it is sent
 * @param note            why the guard did something unusual: a rewrite not sent, a guard failure; else null
 * @param executed        the statement that goes to the database, as the classifier reads it (null when unknown)
 */
public record JudgedStatement(
        String sql,
        String summary,
        List<RuleVerdict> verdicts,
        Decision decision,
        Decision enforceDecision,
        String rewrittenSql,
        boolean rewriteSent,
        LockImpact lock,
        LockImpact executedLock,
        String note,
        DdlStatement executed) {

    public JudgedStatement {
        verdicts = List.copyOf(verdicts);
    }

    public boolean blocked() {
        return decision == Decision.BLOCKED;
    }

    /**
     * Blocked, whatever it was, for the reason given (its note says why; each verdict that asked for something, a
     * rewrite or a warning, now blocks and says why in its message); nothing of it is sent.
     */
    JudgedStatement blockedBecause(String why) {
        List<RuleVerdict> blocking = new ArrayList<>(verdicts.size());
        for (RuleVerdict v : verdicts) {
            blocking.add(
                    v.action() == Action.ALLOW
                            ? v
                            : new RuleVerdict(v.ruleId(), Action.BLOCK, v.message() + " (" + why + ")", v.safeSql()));
        }
        if (blocking.stream().noneMatch(v -> v.action() == Action.BLOCK)) {
            // nothing asked for anything (an exemption now gone): the one that applies is unanalyzable's reason
            blocking.add(new RuleVerdict("unanalyzable", Action.BLOCK, why, null));
        }
        return new JudgedStatement(
                sql,
                summary,
                blocking,
                Decision.BLOCKED,
                Decision.BLOCKED,
                rewrittenSql,
                false,
                lock,
                null,
                StatementJudge.join(note, why),
                executed);
    }

    /** The same verdict with one more reason in its note. */
    JudgedStatement noted(String why) {
        return new JudgedStatement(
                sql,
                summary,
                verdicts,
                decision,
                enforceDecision,
                rewrittenSql,
                rewriteSent,
                lock,
                executedLock,
                StatementJudge.join(note, why),
                executed);
    }

    /** What reaches the database for this statement: the rewrite when sent, else the statement itself. */
    public String executedSql() {
        return blocked() ? null : rewriteSent ? rewrittenSql : sql;
    }
}
