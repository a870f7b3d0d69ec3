package dev.ddlguard.rules;

import dev.ddlguard.policy.Action;

/**
 * A rule's verdict on one statement after the policy applied: the action taken (or, in audit
 * mode, the one enforce would take), the message, and the concrete safe SQL when there is one.
 */
public record RuleVerdict(String ruleId, Action action, String message, String safeSql) {}
