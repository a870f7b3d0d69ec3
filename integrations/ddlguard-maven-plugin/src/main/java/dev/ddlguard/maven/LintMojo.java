package dev.ddlguard.maven;

import dev.ddlguard.cli.lint.LintFinding;
import dev.ddlguard.cli.lint.LintOptions;
import dev.ddlguard.cli.lint.LintResult;
import dev.ddlguard.cli.lint.Linter;
import dev.ddlguard.dialect.Dialects;
import dev.ddlguard.policy.InvalidSettingException;
import dev.ddlguard.policy.Policy;
import dev.ddlguard.policy.PolicyResolver;
import dev.ddlguard.policy.Target;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * {@code ddlguard:lint}: judges the migration files as the guard would at run time (enforce mode, no
 * database), logs each finding like a compiler, writes the report under {@code target/ddlguard/} and
 * fails the build on what {@code failOn} names. The same engine as {@code ddlguard lint}, in-process.
 */
@Mojo(name = "lint", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true, requiresProject = true)
public class LintMojo extends AbstractMojo {

    /** Files and folders to lint (folders recursively, {@code .sql} files, in natural order). */
    @Parameter(property = "ddlguard.lint.paths", defaultValue = "${project.basedir}/src/main/resources/db/migration")
    File[] paths;

    /** The database whose lock semantics apply: postgresql, mysql or mariadb. */
    @Parameter(property = "ddlguard.lint.target", defaultValue = "postgresql")
    String target;

    /** The report written to {@code reportDirectory/lint.<ext>}: text (.txt), json or sarif. */
    @Parameter(property = "ddlguard.lint.format", defaultValue = "sarif")
    String format;

    /** What fails the build: block (as the command line's exit 1), warn, rewrite (the strictest) or never. */
    @Parameter(property = "ddlguard.lint.failOn", defaultValue = "block")
    String failOn;

    /**
     * A properties file of {@code ddlguard.*} settings (rule actions, small-table …), as {@code --config}.
     * Unset: the project's {@code src/main/resources/ddlguard.properties} when there is one (what the
     * driver would read from the classpath at run time), else the defaults. The build's own system
     * properties and environment are not read: the verdicts depend on the files alone.
     */
    @Parameter(property = "ddlguard.lint.config")
    File config;

    @Parameter(defaultValue = "${project.basedir}/src/main/resources/ddlguard.properties", readonly = true)
    File projectConfig;

    @Parameter(property = "ddlguard.lint.reportDirectory", defaultValue = "${project.build.directory}/ddlguard")
    File reportDirectory;

    @Parameter(property = "ddlguard.lint.skip", defaultValue = "false")
    boolean skip;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("ddlguard lint skipped (ddlguard.lint.skip)");
            return;
        }
        FailOn level;
        ReportFormat report;
        Target judgedAgainst;
        try {
            level = FailOn.parse(failOn);
            report = ReportFormat.parse(format);
            judgedAgainst = parseTarget(target);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException("ddlguard lint: " + e.getMessage());
        }
        if (paths == null || paths.length == 0) {
            throw new MojoExecutionException("ddlguard lint: no paths to lint (the paths parameter is empty)");
        }
        LintResult result = Linter.lint(Arrays.stream(paths).map(File::toPath).toList(),
                new LintOptions(judgedAgainst, policy()));

        FindingLog.write(result, level, getLog());
        Path written;
        try {
            written = report.write(result, reportDirectory.toPath());
        } catch (IOException e) {
            throw new MojoExecutionException("ddlguard lint: cannot write the report in " + reportDirectory, e);
        }
        getLog().info("ddlguard lint report: " + written);

        if (!result.errors().isEmpty()) {
            // Fail closed: a path that cannot be read, or a folder without a .sql file (a wrong path far more
            // often than an empty migration set), is not a clean migration set.
            throw new MojoFailureException("ddlguard lint: " + result.errors().get(0)
                    + (result.errors().size() > 1 ? " (and " + (result.errors().size() - 1) + " more)" : ""));
        }
        List<LintFinding> failing = result.findings().stream().filter(level::fails).toList();
        if (!failing.isEmpty()) {
            LintFinding first = failing.get(0);
            String rules = first.reported().stream().map(v -> v.ruleId()).distinct().collect(Collectors.joining(", "));
            throw new MojoFailureException("ddlguard lint: " + failing.size() + " statement" + (failing.size() == 1 ? "" : "s")
                    + " at failOn=" + level.value() + ", first " + first.file() + ":" + first.line() + " (" + rules
                    + "); see the lines above and " + written);
        }
    }

    private Policy policy() throws MojoExecutionException {
        File file = config != null ? config : projectConfig != null && projectConfig.isFile() ? projectConfig : null;
        try {
            return PolicyResolver.resolveFile(file == null ? null : file.toPath(), Dialects.ruleIds());
        } catch (InvalidSettingException e) {
            throw new MojoExecutionException("ddlguard lint: " + e.getMessage(), e);
        }
    }

    /** As {@code --target} takes it, case-insensitive; AUTO is left out: without a connection there is nothing to ask. */
    static Target parseTarget(String value) {
        String v = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
        if (!v.equals(Target.AUTO.name())) {
            for (Target t : Target.values()) {
                if (t.name().equals(v)) {
                    return t;
                }
            }
        }
        throw new IllegalArgumentException("target must be postgresql, mysql or mariadb, not '" + value + "'");
    }
}
