package dev.ddlguard.cli.plan;

import dev.ddlguard.policy.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The expand-contract plan for one change: its phases in order, each a list of SQL statements and
 * application steps, and notes on what the planner had to assume.
 *
 * @param statement the statement the plan replaces, as given
 * @param target    the database the SQL is written for (never AUTO)
 * @param phases    Expand, Migrate and Contract, always all three, in that order
 * @param notes     assumptions and caveats (an unknown primary key, constraints not carried over, …)
 */
public record Plan(String statement, Target target, List<Phase> phases, List<String> notes) {

    /** What a value the planner cannot know looks like in the SQL: {@code <type of total>}, {@code <value for amount>}. */
    public static final Pattern PLACEHOLDER = Pattern.compile("<(?:type of|value for) [^<>]+>");

    /** MySQL client delimiter for statements that hold semicolons themselves (triggers, procedures). */
    private static final String MYSQL_DELIMITER = "$$";

    public Plan {
        phases = List.copyOf(phases);
        notes = List.copyOf(notes);
    }

    /** The phase with this name (case-insensitive). */
    public Phase phase(String name) {
        return phases.stream()
                .filter(p -> p.name().equalsIgnoreCase(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no phase " + name + "; phases: "
                        + phases.stream().map(Phase::name).toList()));
    }

    /** The SQL statements of one phase, in order. */
    public List<String> sqlOf(String phaseName) {
        return phase(phaseName).sql();
    }

    /** The placeholders still to fill in, such as {@code <value for amount>}. */
    public Set<String> placeholders() {
        Set<String> found = new TreeSet<>();
        for (Phase phase : phases) {
            for (Step step : phase.steps()) {
                Matcher m = PLACEHOLDER.matcher(step.text());
                while (m.find()) {
                    found.add(m.group());
                }
            }
        }
        return found;
    }

    /** The same plan with every occurrence of {@code placeholder} replaced by {@code value}. */
    public Plan fill(String placeholder, String value) {
        List<Phase> filled = new ArrayList<>();
        for (Phase phase : phases) {
            filled.add(new Phase(
                    phase.name(),
                    phase.steps().stream().map(s -> s.fill(placeholder, value)).toList()));
        }
        return new Plan(statement, target, filled, notes);
    }

    /**
     * The whole plan as a script for psql or the mariadb/mysql client: phase headers and application
     * steps as {@code --} comments between the statements, so it can be read, edited and piped.
     */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append("-- ddlguard expand-contract plan for ")
                .append(target.value())
                .append('\n');
        out.append(comment("replaces: ", statement.strip()));
        for (String note : notes) {
            out.append(comment("note: ", note));
        }
        Set<String> open = placeholders();
        if (!open.isEmpty()) {
            out.append("-- fill in before running: ")
                    .append(String.join(", ", open))
                    .append('\n');
        }
        out.append(
                "-- Run one phase at a time; finish each APP step (deployed everywhere) before the statements after it.\n");
        for (int i = 0; i < phases.size(); i++) {
            out.append('\n').append(renderPhase(phases.get(i), i + 1));
        }
        return out.toString();
    }

    /** One phase as a script, for running phase by phase. */
    public String render(String phaseName) {
        Phase phase = phase(phaseName);
        return renderPhase(phase, phases.indexOf(phase) + 1);
    }

    private String renderPhase(Phase phase, int number) {
        StringBuilder out = new StringBuilder();
        out.append("-- ===== Phase ")
                .append(number)
                .append(" of ")
                .append(phases.size())
                .append(": ")
                .append(phase.name())
                .append(" =====\n");
        if (phase.steps().isEmpty()) {
            out.append("-- nothing to do in this phase\n");
        }
        for (Step step : phase.steps()) {
            if (step instanceof Step.App app) {
                out.append(comment("APP: ", app.text()));
                continue;
            }
            Step.Sql sql = (Step.Sql) step;
            if (sql.why() != null) {
                out.append(comment("", sql.why()));
            }
            out.append(terminated(sql.sql())).append('\n');
        }
        return out.toString();
    }

    /** A MySQL compound statement needs another client delimiter, or the client would cut it at its first semicolon. */
    private String terminated(String sql) {
        boolean mysql = target == Target.MYSQL || target == Target.MARIADB;
        if (mysql && sql.replaceAll("(?s)/\\*.*?\\*/", "").contains(";")) {
            return "DELIMITER " + MYSQL_DELIMITER + "\n" + sql + MYSQL_DELIMITER + "\nDELIMITER ;";
        }
        return sql + ";";
    }

    private static String comment(String prefix, String text) {
        StringBuilder out = new StringBuilder();
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            out.append("-- ")
                    .append(i == 0 ? prefix : " ".repeat(prefix.length()))
                    .append(lines[i].stripTrailing())
                    .append('\n');
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "Plan[" + target.name().toLowerCase(Locale.ROOT) + ": " + statement + "]";
    }
}
