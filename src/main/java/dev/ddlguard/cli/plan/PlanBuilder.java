package dev.ddlguard.cli.plan;

import java.util.ArrayList;
import java.util.List;

/** Collects the steps of the three phases in order; the plan builders write into the current phase. */
final class PlanBuilder {

    private final Change change;
    private final List<Step> expand = new ArrayList<>();
    private final List<Step> migrate = new ArrayList<>();
    private final List<Step> contract = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private List<Step> current = expand;

    PlanBuilder(Change change) {
        this.change = change;
    }

    PlanBuilder expand() {
        current = expand;
        return this;
    }

    PlanBuilder migrate() {
        current = migrate;
        return this;
    }

    PlanBuilder contract() {
        current = contract;
        return this;
    }

    PlanBuilder sql(String sql) {
        return sql(sql, null);
    }

    PlanBuilder sql(String sql, String why) {
        current.add(new Step.Sql(sql, why));
        return this;
    }

    PlanBuilder all(List<Step> steps) {
        current.addAll(steps);
        return this;
    }

    PlanBuilder app(String text) {
        current.add(new Step.App(text));
        return this;
    }

    /** A caveat of the plan itself, after the change's own notes. */
    PlanBuilder note(String note) {
        notes.add(note);
        return this;
    }

    Plan build() {
        List<String> all = new ArrayList<>(change.notes());
        all.addAll(notes);
        return new Plan(
                change.statement(),
                change.target(),
                List.of(
                        new Phase(Phase.EXPAND, expand),
                        new Phase(Phase.MIGRATE, migrate),
                        new Phase(Phase.CONTRACT, contract)),
                all);
    }
}
