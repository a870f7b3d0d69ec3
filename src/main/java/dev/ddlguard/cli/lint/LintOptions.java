package dev.ddlguard.cli.lint;

import dev.ddlguard.policy.Policy;
import dev.ddlguard.policy.Target;
import java.util.Objects;

/**
 * What a lint run judges against: the target database and the policy (rule actions, small-table
 * threshold) the caller resolved from {@code --config}.
 *
 * @param target the database whose lock semantics apply; {@link Target#AUTO} falls back to the
 *               policy's own target, and to PostgreSQL when that is AUTO too (there is no connection to ask)
 * @param policy the rule actions; its mode is ignored, since lint always reports what enforce would do
 */
public record LintOptions(Target target, Policy policy) {

    public LintOptions {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(policy, "policy");
    }

    /** The target with AUTO resolved: the policy's target, else PostgreSQL. */
    public Target effectiveTarget() {
        if (target != Target.AUTO) {
            return target;
        }
        return policy.target() == Target.AUTO ? Target.POSTGRESQL : policy.target();
    }
}
