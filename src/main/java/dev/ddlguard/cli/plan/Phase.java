package dev.ddlguard.cli.plan;

import java.util.List;

/**
 * One phase of an expand-contract plan: {@value #EXPAND}, {@value #MIGRATE} or {@value #CONTRACT},
 * with its steps in order. A phase may be empty (a set NOT NULL has nothing to contract).
 */
public record Phase(String name, List<Step> steps) {

    public static final String EXPAND = "Expand";
    public static final String MIGRATE = "Migrate";
    public static final String CONTRACT = "Contract";

    public Phase {
        steps = List.copyOf(steps);
    }

    /** The SQL statements of this phase, in order, without the application steps. */
    public List<String> sql() {
        return steps.stream().filter(s -> s instanceof Step.Sql).map(Step::text).toList();
    }

    /** The application steps of this phase, in order. */
    public List<String> appSteps() {
        return steps.stream().filter(s -> s instanceof Step.App).map(Step::text).toList();
    }
}
