package dev.ddlguard.engine;

import dev.ddlguard.BlockedStatementException;
import dev.ddlguard.policy.Action;
import dev.ddlguard.rules.PlanHint;
import dev.ddlguard.rules.RuleVerdict;
import dev.ddlguard.sql.AlterAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Writes the message of a blocked statement: which rule, why, the lock it would take, and what
 * to run instead, with the concrete SQL where one exists.
 */
final class BlockedMessage {

    private BlockedMessage() {}

    /** Rules whose safe path is an expand-contract plan the {@code plan} command writes out. */
    private static final Set<String> PLANNED = Set.of(
            "rename-column",
            "rename-table",
            "add-column-not-null",
            "change-column-type",
            "drop-column",
            "set-not-null");

    /** MySQL's MODIFY / CHANGE of a column: {@code plan} writes its expand-contract plan (other online-DDL blocks it cannot). */
    private static boolean changesAColumn(JudgedStatement s) {
        return s.executed() != null
                && s.executed().actions().stream().anyMatch(a -> a.kind() == AlterAction.Kind.ALTER_COLUMN_TYPE);
    }

    static BlockedStatementException exception(Judgement j, String target) {
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
            if (s.verdicts().stream()
                    .anyMatch(v -> v.action() == Action.BLOCK
                            && (PLANNED.contains(v.ruleId())
                                    || v.ruleId().equals("no-online-ddl-path") && changesAColumn(s)))) {
                m.append("\nThe expand-contract plan, phase by phase: ").append(PlanHint.command(target, s.sql()));
            }
            m.append("\nIf it is safe here, add /* ddlguard:allow ")
                    .append(ruleIds.get(ruleIds.size() - 1))
                    .append(" <reason> */ to the statement.");
        }
        if (j.statements().size() > 1) {
            m.append("\n\nNothing of this string was run: it holds ")
                    .append(j.statements().size())
                    .append(" DDL statements, and running only some would leave the schema half-changed.");
        }
        return new BlockedStatementException(m.toString(), ruleIds);
    }
}
