package dev.ddlguard.maven;

import dev.ddlguard.cli.lint.InputError;
import dev.ddlguard.cli.lint.LintFinding;
import dev.ddlguard.cli.lint.LintResult;
import dev.ddlguard.cli.lint.TextReport;
import dev.ddlguard.rules.RuleVerdict;
import org.apache.maven.plugin.logging.Log;

/**
 * Logs a lint result the way compilers do, so IDEs and CI logs link each line:
 * {@code file:line: action rule-id: message}, then the safe alternative. What fails the build is an
 * error, the rest of what the guard would act on a warning.
 */
final class FindingLog {

    private FindingLog() {
    }

    static void write(LintResult result, FailOn failOn, Log log) {
        for (InputError error : result.errors()) {
            log.error(error.path() + ": error: " + error.message());
        }
        for (LintFinding finding : result.findings()) {
            boolean failing = failOn.fails(finding);
            for (RuleVerdict verdict : finding.reported()) {
                String line = finding.file() + ':' + finding.line() + ": " + verdict.action().value() + ' '
                        + verdict.ruleId() + ": " + verdict.message();
                if (failing) {
                    log.error(line);
                } else {
                    log.warn(line);
                }
                if (verdict.safeSql() != null) {
                    // line by line, as the text report indents it: joining lines would swallow SQL after a -- comment
                    log.info("  safe alternative:");
                    verdict.safeSql().strip().lines().forEach(sql -> log.info("    " + sql));
                }
            }
        }
        log.info("ddlguard lint (" + result.target().value() + "): " + result.files() + " file"
                + (result.files() == 1 ? "" : "s") + ", " + TextReport.summary(result));
    }
}
