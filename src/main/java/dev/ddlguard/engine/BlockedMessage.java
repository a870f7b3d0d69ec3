package dev.ddlguard.engine;

import dev.ddlguard.BlockedStatementException;
import dev.ddlguard.policy.Action;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the message of a blocked statement: which rule, why, the lock it would take, and what
 * to run instead, with the concrete SQL where one exists.
 */
final class BlockedMessage {

    private BlockedMessage() {
    }

    static BlockedStatementException exception(Judgement j) {
        StringBuilder m = new StringBuilder();
        List<String> ruleIds = new ArrayList<>();
        for (JudgedStatement s : j.statements()) {
            if (!s.blocked()) {
                continue;
            }
            if (!m.isEmpty()) {
                m.append("\n\n");
            }
            m.append("ddlguard blocked ").append(s.summary()).append('.');
            for (RuleVerdict v : s.verdicts()) {
                if (v.action() != Action.BLOCK) {
                    continue;
                }
                ruleIds.add(v.ruleId());
                m.append("\n[").append(v.ruleId()).append("] ").append(v.message());
                if (v.safeSql() != null) {
                    m.append("\nSafe alternative:\n  ").append(v.safeSql().replace("\n", "\n  "));
                }
            }
            if (s.lock() != null) {
                m.append("\nLock as written: ").append(s.lock().describe());
            }
            m.append("\nIf it is safe here, add /* ddlguard:allow ").append(ruleIds.get(ruleIds.size() - 1))
                    .append(" <reason> */ to the statement.");
        }
        if (j.statements().size() > 1) {
            m.append("\n\nNothing of this string was run: it holds ").append(j.statements().size())
                    .append(" DDL statements, and running only some would leave the schema half-changed.");
        }
        return new BlockedStatementException(m.toString(), ruleIds);
    }
}
