package dev.ddlguard.maven;

import dev.ddlguard.cli.lint.LintFinding;
import dev.ddlguard.engine.Decision;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code failOn} parameter: which decisions fail the build. {@link #BLOCK} is the command line's
 * exit 1 ({@code ddlguard lint}: something would be blocked); the stricter levels add the decisions
 * that let a statement through with a risk ({@link #WARN}) or only after changing it ({@link #REWRITE}:
 * the file as written is not what would run). Unreadable inputs fail the build at every level.
 */
enum FailOn {
    BLOCK(EnumSet.of(Decision.BLOCKED)),
    WARN(EnumSet.of(Decision.BLOCKED, Decision.WARNED)),
    REWRITE(EnumSet.of(Decision.BLOCKED, Decision.WARNED, Decision.REWRITTEN)),
    NEVER(EnumSet.noneOf(Decision.class));

    private final Set<Decision> failing;

    FailOn(Set<Decision> failing) {
        this.failing = failing;
    }

    static FailOn parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("failOn must be block, warn, rewrite or never, not '" + value + "'");
        }
    }

    boolean fails(LintFinding finding) {
        return failing.contains(finding.decision());
    }

    String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
