package dev.ddlguard.cli.lint;

import dev.ddlguard.policy.Policy;
import dev.ddlguard.policy.Target;
import java.util.Objects;

/**
 * What a lint run judges against: the target database, its version, and the policy (rule actions,
 * small-table threshold) the caller resolved from {@code --config}.
 *
 * @param target  the database whose lock semantics apply; {@link Target#AUTO} means the policy's own
 *                {@code ddlguard.target} (from {@code --config}), and PostgreSQL when that is AUTO too
 *                (there is no connection to ask)
 * @param policy  the rule actions; its mode is ignored, since lint always reports what enforce would do
 * @param version the server version to judge for, or null for the target's assumed default
 */
public record LintOptions(Target target, Policy policy, ServerVersion version) {

    public LintOptions {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(policy, "policy");
    }

    public LintOptions(Target target, Policy policy) {
        this(target, policy, null);
    }

    /**
     * The options with {@code --target-version} as written (null when not given).
     *
     * @throws IllegalArgumentException when it is not a version of the target
     */
    public static LintOptions of(Target target, Policy policy, String targetVersion) {
        LintOptions options = new LintOptions(target, policy);
        return targetVersion == null
                ? options
                : new LintOptions(target, policy, ServerVersion.parse(options.effectiveTarget(), targetVersion));
    }

    /** The target with AUTO resolved: the policy's target, else PostgreSQL. */
    public Target effectiveTarget() {
        if (target != Target.AUTO) {
            return target;
        }
        return policy.target() == Target.AUTO ? Target.POSTGRESQL : policy.target();
    }

    /** The version given, else the one assumed for the target. */
    public ServerVersion effectiveVersion() {
        return version != null ? version : ServerVersion.assumedFor(effectiveTarget());
    }
}
