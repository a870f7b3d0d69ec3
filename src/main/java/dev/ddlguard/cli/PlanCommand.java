package dev.ddlguard.cli;

import dev.ddlguard.cli.plan.Planner;
import dev.ddlguard.policy.Target;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code plan}: prints the expand-contract plan of a change that cannot be made safely in one statement. */
@Command(
        name = "plan",
        mixinStandardHelpOptions = true,
        description = {
            "Prints the expand-contract plan, phase by phase, as runnable SQL with the application steps between.",
            "Covers: rename column, rename table, add NOT NULL column, change column type, drop column, set NOT NULL."
        })
final class PlanCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--target",
            defaultValue = "postgresql",
            paramLabel = "T",
            description = "postgresql, mysql or mariadb (default: ${DEFAULT-VALUE})")
    Target target;

    @Option(
            names = "--batch-size",
            defaultValue = "" + Planner.DEFAULT_BATCH_SIZE,
            paramLabel = "N",
            description = "rows per backfill batch, each its own transaction (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Parameters(index = "0", paramLabel = "SQL", description = "the statement to plan, quoted")
    String sql;

    @Override
    public Integer call() {
        if (batchSize < 1) {
            spec.commandLine().getErr().println("ddlguard: --batch-size must be at least 1");
            return 2;
        }
        try {
            spec.commandLine()
                    .getOut()
                    .print(Planner.plan(sql, target, batchSize).render());
            spec.commandLine().getOut().flush();
            return 0;
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("ddlguard: " + e.getMessage());
            return 2;
        }
    }
}
