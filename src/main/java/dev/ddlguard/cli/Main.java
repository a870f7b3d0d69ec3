package dev.ddlguard.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ddlguard} command line: {@code lint} migration files before they run, {@code plan} the
 * expand-contract steps of a change that cannot be made safely in one statement.
 */
@Command(
        name = "ddlguard",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Judges schema changes before they reach the database.",
        subcommands = {LintCommand.class, PlanCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // The CLI's own logging setup; the driver jar never configures logging for applications.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "dev/ddlguard/cli/logback-cli.xml");
        }
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code: 0 fine, 1 something would be blocked, 2 bad usage or input. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** The same, writing to the given streams (tests, embedding). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(out)
                .setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("ddlguard: " + e.getMessage());
            return 2;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed: lint or plan");
    }

    /** Reports the driver's version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"ddlguard " + (v == null ? "development build" : v)};
        }
    }
}
