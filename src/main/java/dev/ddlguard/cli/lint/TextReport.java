package dev.ddlguard.cli.lint;

import dev.ddlguard.engine.Decision;
import dev.ddlguard.rules.RuleVerdict;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The report for people, in the form compilers use so editors and CI logs link each line:
 * {@code file:line: action rule-id: message}, the safe alternative, the Liquibase changeset, the lock; allowed statements
 * stay silent; a summary line and the target judged against end it.
 */
public final class TextReport {

    private TextReport() {}

    public static void write(LintResult result, Appendable out) {
        try {
            for (InputError error : result.errors()) {
                out.append(error.path())
                        .append(": error: ")
                        .append(error.message())
                        .append('\n');
            }
            for (LintFinding finding : result.findings()) {
                if (finding.reported().isEmpty()) {
                    if (finding.preflight() != null) {
                        // allowed, yet it still takes its lock and its disk: a preflight shows what it meets
                        out.append(finding.file())
                                .append(':')
                                .append(String.valueOf(finding.line()))
                                .append(": preflight: ")
                                .append(oneLine(finding.sql()))
                                .append('\n');
                        out.append(PreflightText.lines(finding.preflight()));
                    }
                    continue;
                }
                for (RuleVerdict verdict : finding.reported()) {
                    out.append(finding.file())
                            .append(':')
                            .append(String.valueOf(finding.line()))
                            .append(": ")
                            .append(verdict.action().value())
                            .append(' ')
                            .append(verdict.ruleId())
                            .append(": ")
                            .append(verdict.message())
                            .append('\n');
                    if (verdict.safeSql() != null) {
                        out.append("  safe alternative:\n")
                                .append(indent(verdict.safeSql()))
                                .append('\n');
                    }
                }
                if (finding.changeset() != null) {
                    out.append("  changeset: ").append(finding.changeset()).append('\n');
                }
                if (finding.lock() != null) {
                    out.append("  lock: ").append(finding.lock().describe()).append('\n');
                }
                if (finding.executedLock() != null && !finding.executedLock().equals(finding.lock())) {
                    out.append("  lock as rewritten: ")
                            .append(finding.executedLock().describe())
                            .append('\n');
                }
                if (finding.preflight() != null) {
                    out.append(PreflightText.lines(finding.preflight()));
                }
            }
            out.append(summary(result)).append('\n');
            out.append(result.judgedAs()).append('\n');
            if (result.preflightAgainst() != null) {
                out.append(result.preflightAgainst()).append('\n');
                result.findings().stream()
                        .filter(f -> f.preflight() != null)
                        .findFirst()
                        .ifPresent(f -> {
                            try {
                                out.append(PreflightText.freeSpace(f.preflight().freeSpace()))
                                        .append('\n');
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        });
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 7 statements, 3 blocked, 1 warning, 2 rewrites}, plus unreadable inputs when there are any. */
    public static String summary(LintResult result) {
        String line = plural(result.findings().size(), "statement") + ", " + result.count(Decision.BLOCKED)
                + " blocked, " + plural(result.count(Decision.WARNED), "warning") + ", "
                + plural(result.count(Decision.REWRITTEN), "rewrite");
        return result.errors().isEmpty()
                ? line
                : line + ", " + plural(result.errors().size(), "unreadable input");
    }

    private static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String oneLine(String sql) {
        String line = sql.strip().replaceAll("\\s+", " ");
        return line.length() > 100 ? line.substring(0, 97) + "..." : line;
    }

    private static String indent(String sql) {
        return "    " + sql.strip().replace("\r\n", "\n").replace("\n", "\n    ");
    }
}
