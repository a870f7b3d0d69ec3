package dev.ddlguard.cli;

import dev.ddlguard.cli.lint.JsonReport;
import dev.ddlguard.cli.lint.LintOptions;
import dev.ddlguard.cli.lint.LintResult;
import dev.ddlguard.cli.lint.Linter;
import dev.ddlguard.cli.lint.SarifReport;
import dev.ddlguard.cli.lint.TextReport;
import dev.ddlguard.policy.InvalidSettingException;
import dev.ddlguard.policy.Policy;
import dev.ddlguard.policy.PolicyResolver;
import dev.ddlguard.policy.Setting;
import dev.ddlguard.policy.Target;
import dev.ddlguard.rules.RuleCatalog;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code lint}: judges migration files without a database, as the driver would at run time. */
@Command(name = "lint", mixinStandardHelpOptions = true,
        description = {"Judges .sql files and folders (Flyway V__/R__, Liquibase formatted SQL, Prisma, Drizzle, plain scripts) without a database.",
                "Exit 0: nothing blocked; 1: something would be blocked; 2: bad usage, unreadable input, or no .sql file found."})
final class LintCommand implements Callable<Integer> {

    enum Format { text, json, sarif }

    @Spec
    CommandSpec spec;

    @Option(names = "--target", defaultValue = "postgresql", paramLabel = "T",
            description = {"postgresql, mysql, mariadb, or auto: the ddlguard.target of --config, else postgresql (default: ${DEFAULT-VALUE})"})
    Target target;

    @Option(names = "--target-version", paramLabel = "V",
            description = "the server version to judge for, e.g. 12 or 15.4 (PostgreSQL), 8.0 (MySQL), 10.11 (MariaDB); "
                    + "default: PostgreSQL 15, MySQL 8.4, MariaDB 10.11")
    String targetVersion;

    @Option(names = "--format", defaultValue = "text", paramLabel = "F", description = "text, json or sarif (default: ${DEFAULT-VALUE})")
    Format format;

    @Option(names = "--config", paramLabel = "FILE", description = "a properties file of ddlguard.* settings (rule actions, small-table …)")
    Path config;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "files and folders to lint")
    List<Path> paths;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Policy policy;
        try {
            policy = PolicyResolver.resolve(config == null ? Map.of() : Map.of(Setting.CONFIG.key(), config.toString()),
                    RuleCatalog.ids());
        } catch (InvalidSettingException e) {
            err.println("ddlguard: " + e.getMessage());
            return 2;
        }
        LintOptions options;
        try {
            options = LintOptions.of(target, policy, targetVersion);
        } catch (IllegalArgumentException e) {
            err.println("ddlguard: --target-version: " + e.getMessage());
            return 2;
        }
        LintResult result = Linter.lint(paths, options);
        switch (format) {
            case text -> TextReport.write(result, out);
            case json -> JsonReport.write(result, out);
            case sarif -> SarifReport.write(result, out);
        }
        out.flush();
        if (format != Format.text) {
            err.println("ddlguard: " + result.judgedAs());   // stdout stays one JSON document
        }
        result.errors().forEach(e -> err.println("ddlguard: " + e));
        return result.exitCode();
    }
}
