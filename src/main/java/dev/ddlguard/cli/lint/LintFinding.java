package dev.ddlguard.cli.lint;

import dev.ddlguard.engine.Decision;
import dev.ddlguard.policy.Action;
import dev.ddlguard.rules.LockImpact;
import dev.ddlguard.rules.RuleVerdict;
import java.util.List;

/**
 * The verdict on one DDL statement of a migration file, as enforce mode would decide it in the
 * context the file gives (transaction, lock timeout).
 *
 * @param file           the file as given on the command line (or reached through a given folder)
 * @param line           1-based line of the statement's first SQL token (comments before it excluded)
 * @param sql            the statement, secrets redacted
 * @param decision       what enforce mode decides: allowed, warned, rewritten or blocked
 * @param rules          every rule that matched, with its action, message and concrete safe SQL
 * @param rewrittenSql   the safe equivalent a rewrite would send, or null
 * @param lock           the lock impact as written; with a size only in a preflight ({@code --url})
 * @param executedLock   the lock impact of the rewrite, when one would be sent
 * @param inTransaction  whether the statement runs inside a transaction block
 * @param lockTimeoutSet whether the file set a lock timeout before this statement
 * @param note           why the figures are what they are (no database; the judge's own note)
 * @param preflight      what the statement would meet on the live database ({@code --url}), or null offline or when
 *                       it locks no table
 * @param changeset      the Liquibase changeset the statement belongs to ({@code id::author}), or null outside one
 */
public record LintFinding(
        String file,
        int line,
        String sql,
        Decision decision,
        List<RuleVerdict> rules,
        String rewrittenSql,
        LockImpact lock,
        LockImpact executedLock,
        boolean inTransaction,
        boolean lockTimeoutSet,
        String note,
        Preflight preflight,
        String changeset) {

    public LintFinding {
        rules = List.copyOf(rules);
    }

    public boolean blocked() {
        return decision == Decision.BLOCKED;
    }

    /** The verdicts that ask for something (warn, rewrite, block): what the text and SARIF reports show. */
    public List<RuleVerdict> reported() {
        return rules.stream().filter(v -> v.action() != Action.ALLOW).toList();
    }
}
