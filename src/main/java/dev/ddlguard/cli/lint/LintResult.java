package dev.ddlguard.cli.lint;

import dev.ddlguard.engine.Decision;
import dev.ddlguard.policy.Policy;
import dev.ddlguard.policy.Target;
import java.util.List;

/**
 * Everything one lint run found: a finding per DDL statement judged (allowed ones included) and
 * the inputs it could not read.
 *
 * @param findings   one per DDL statement, in file order then line order
 * @param errors     unreadable inputs; any makes the exit code 2
 * @param files      how many files were read
 * @param statements how many statements the files held, DDL or not
 * @param target     the database judged against (AUTO resolved)
 * @param version    the server version judged for, given or assumed
 * @param policy     the rule actions applied, for the reports' rule metadata
 * @param database   the live database of a preflight ({@code --url}), password masked, with its product; null offline
 */
public record LintResult(
        List<LintFinding> findings,
        List<InputError> errors,
        int files,
        int statements,
        Target target,
        ServerVersion version,
        Policy policy,
        String database) {

    public LintResult {
        findings = List.copyOf(findings);
        errors = List.copyOf(errors);
    }

    /**
     * {@code preflight against jdbc:postgresql://db/app?user=ci&password=*** (PostgreSQL 15.4): read-only, nothing run},
     * or null offline.
     */
    public String preflightAgainst() {
        return database == null
                ? null
                : "preflight against " + database
                        + ": read its catalog in a read-only transaction, rolled back; ran none of the statements";
    }

    /** {@code judged as PostgreSQL 15 (assumed; --target-version to change)}. */
    public String judgedAs() {
        return version.judgedAs(target);
    }

    public boolean anyBlocked() {
        return findings.stream().anyMatch(LintFinding::blocked);
    }

    /** README "Command line": 2 for unreadable input, else 1 when something would be blocked, else 0. */
    public int exitCode() {
        return !errors.isEmpty() ? 2 : anyBlocked() ? 1 : 0;
    }

    /** How many statements enforce mode would decide this way. */
    public long count(Decision decision) {
        return findings.stream().filter(f -> f.decision() == decision).count();
    }
}
