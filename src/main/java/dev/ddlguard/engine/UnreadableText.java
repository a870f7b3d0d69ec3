package dev.ddlguard.engine;

import dev.ddlguard.policy.Action;
import dev.ddlguard.policy.Mode;
import dev.ddlguard.policy.Policy;
import dev.ddlguard.rules.RuleVerdict;
import dev.ddlguard.rules.UnanalyzableRule;
import dev.ddlguard.sql.SecretRedactor;
import dev.ddlguard.sql.SqlSyntax;
import java.util.List;

/**
 * The judgement of a string whose text is not what will be sent, for a reason outside it (lint: a placeholder the
 * migration tool replaces with a value set outside the files): unanalyzable's verdict, under the policy's action for it
 * (block by default, warn or allow as {@code ddlguard.rule.unanalyzable} says; recorded, not enforced, in audit mode).
 */
final class UnreadableText {

    private UnreadableText() {}

    static Judgement judgement(Policy policy, SqlSyntax syntax, String sql, String why) {
        Action action = policy.actionFor(UnanalyzableRule.ID, UnanalyzableRule.RULE.defaultAction());
        Decision enforce = switch (action) {
            case ALLOW -> Decision.ALLOWED;
            case WARN -> Decision.WARNED;
            default -> Decision.BLOCKED;
        };
        SecretRedactor.Redacted secrets = SecretRedactor.redact(sql, syntax);
        String message =
                why + ": " + UnanalyzableRule.RULE.reason() + ". Instead: " + UnanalyzableRule.RULE.safeAlternative();
        boolean audit = policy.mode() == Mode.AUDIT;
        JudgedStatement statement = new JudgedStatement(
                secrets.text(),
                "statement",
                List.of(new RuleVerdict(UnanalyzableRule.ID, action, message, null)),
                audit ? Decision.AUDITED : enforce,
                enforce,
                null,
                false,
                null,
                null,
                null,
                null);
        boolean blocked = enforce == Decision.BLOCKED && !audit;
        return new Judgement(List.of(statement), blocked ? null : sql, List.of(), List.of(), secrets, false);
    }
}
