package dev.ddlguard.cli;

import dev.ddlguard.cli.lint.JsonReport;
import dev.ddlguard.cli.lint.LintOptions;
import dev.ddlguard.cli.lint.LintResult;
import dev.ddlguard.cli.lint.Linter;
import dev.ddlguard.cli.lint.LiveDatabase;
import dev.ddlguard.cli.lint.SarifReport;
import dev.ddlguard.cli.lint.TextReport;
import dev.ddlguard.dialect.Dialects;
import dev.ddlguard.policy.InvalidSettingException;
import dev.ddlguard.policy.Policy;
import dev.ddlguard.policy.PolicyResolver;
import dev.ddlguard.policy.Setting;
import dev.ddlguard.policy.Target;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lint}: judges migration files as the driver would at run time, without a database, or with {@code --url}
 * against a live one it only reads (a preflight).
 */
@Command(
        name = "lint",
        mixinStandardHelpOptions = true,
        description = {
            "Judges migration files and folders (Flyway V__/R__, Liquibase changelogs: XML, YAML, JSON, formatted SQL; "
                    + "Prisma, Drizzle, plain scripts) without a database.",
            "With --url, a preflight: judges them against the live database's catalog and reports, per statement, the real "
                    + "rows and bytes of its table, an estimated lock time, the sessions it would queue behind now, and the "
                    + "extra disk it needs against the free space the server reports. Read-only: one read-only transaction, "
                    + "rolled back; none of the files' statements is run.",
            "Exit 0: nothing blocked; 1: something would be blocked; 2: bad usage, unreadable input, no .sql file or "
                    + "Liquibase changelog found, or the database cannot be reached."
        })
final class LintCommand implements Callable<Integer> {

    enum Format {
        text,
        json,
        sarif
    }

    @Spec
    CommandSpec spec;

    @Option(
            names = "--target",
            defaultValue = "postgresql",
            paramLabel = "T",
            description = {
                "postgresql, mysql, mariadb, or auto: the ddlguard.target of --config, else postgresql (default: ${DEFAULT-VALUE})"
            })
    Target target;

    @Option(
            names = "--target-version",
            paramLabel = "V",
            description =
                    "the server version to judge for, e.g. 12 or 15.4 (PostgreSQL), 8.0 (MySQL), 10.11 (MariaDB); "
                            + "default: PostgreSQL 15, MySQL 8.4, MariaDB 10.11")
    String targetVersion;

    @Option(
            names = "--format",
            defaultValue = "text",
            paramLabel = "F",
            description = "text, json or sarif (default: ${DEFAULT-VALUE})")
    Format format;

    @Option(
            names = "--url",
            paramLabel = "JDBC_URL",
            description = {
                "preflight against this database (jdbc:postgresql://…, jdbc:mariadb://…, jdbc:mysql://…; "
                        + "a jdbc:ddlguard: URL means the database it guards): target and version are the server's. "
                        + "Password in the URL or in the " + LiveDatabase.PASSWORD_VARIABLE
                        + " environment variable; never printed."
            })
    String url;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "a properties file of ddlguard.* settings (rule actions, small-table …)")
    Path config;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "files and folders to lint")
    List<Path> paths;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Policy policy;
        try {
            policy = PolicyResolver.resolve(
                    config == null ? Map.of() : Map.of(Setting.CONFIG.key(), config.toString()), Dialects.ruleIds());
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
        LintResult result;
        if (url == null) {
            result = Linter.lint(paths, options);
        } else {
            if (targetVersion != null) {
                err.println(
                        "ddlguard: --target-version does not go with --url: the server's own version is judged for");
                return 2;
            }
            try (LiveDatabase live = LiveDatabase.open(url)) {
                if (spec.commandLine().getParseResult().hasMatchedOption("--target")
                        && target != Target.AUTO
                        && target != live.target()) {
                    err.println("ddlguard: --target " + target.value()
                            + " does not match the database at --url, which is " + live.describe());
                    return 2;
                }
                result = Linter.lint(paths, options, live);
            } catch (SQLException | IllegalArgumentException e) {
                err.println("ddlguard: --url: " + e.getMessage()); // LiveDatabase masks the password in its messages
                return 2;
            }
        }
        switch (format) {
            case text -> TextReport.write(result, out);
            case json -> JsonReport.write(result, out);
            case sarif -> SarifReport.write(result, out);
        }
        out.flush();
        if (format != Format.text) {
            err.println("ddlguard: " + result.judgedAs()); // stdout stays one JSON document
            if (result.preflightAgainst() != null) {
                err.println("ddlguard: " + result.preflightAgainst());
            }
        }
        result.errors().forEach(e -> err.println("ddlguard: " + e));
        return result.exitCode();
    }
}
