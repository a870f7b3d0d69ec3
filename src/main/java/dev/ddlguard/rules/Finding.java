package dev.ddlguard.rules;

/**
 * A rule that matched a statement.
 *
 * @param detail  what exactly matched, e.g. "drops column email of users"
 * @param safeSql the concrete safe alternative for this statement, or null
 * @param rewrite what the guard can run instead, or null when the rule has no safe equivalent
 */
public record Finding(Rule rule, String detail, String safeSql, Rewrite rewrite) {}
