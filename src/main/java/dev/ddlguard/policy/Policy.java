package dev.ddlguard.policy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The resolved, immutable settings of one guarded connection source: mode, target, per-rule
 * actions and lock-timeout handling. Settled once at connect time and shared across threads;
 * nothing reads settings again while statements run.
 *
 * @param ruleActions explicit per-rule overrides; rules not named here use their own default
 * @param throughputBytesPerSecond the scan speed lock estimates assume
 * @param statementTimeout the bound on each DDL statement's run; empty when off
 * @param baseline the version of the last migration that is audited but never enforced ({@code ddlguard.baseline})
 */
public record Policy(
        Mode mode,
        Target target,
        Map<String, Action> ruleActions,
        Optional<Duration> lockTimeout,
        int lockTimeoutRetries,
        Optional<Duration> concurrentLockTimeout,
        long smallTableBytes,
        long throughputBytesPerSecond,
        Optional<Duration> statementTimeout,
        Optional<MigrationVersion> baseline) {

    /** The default scan throughput of the estimates: 200 MB/s. */
    public static final long DEFAULT_THROUGHPUT = 200L << 20;

    public Policy {
        ruleActions = Map.copyOf(ruleActions);
    }

    /** The built-in defaults, as if no setting were given anywhere. */
    public static Policy defaults() {
        return PolicyResolver.fromMap(Map.of(), Set.of());
    }

    /** The action for a rule: the override when one is set, else the rule's own default. */
    public Action actionFor(String ruleId, Action ruleDefault) {
        return ruleActions.getOrDefault(ruleId, ruleDefault);
    }
}
