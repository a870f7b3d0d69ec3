package dev.ddlguard.cli.plan;

/** One step of a plan phase: a SQL statement to run, or something the application team must do. */
public sealed interface Step permits Step.Sql, Step.App {

    /** The step's text: the statement, or the instruction. */
    String text();

    /** Copies this step with {@code placeholder} replaced by {@code value}. */
    Step fill(String placeholder, String value);

    /**
     * One SQL statement, runnable as it is on the plan's target once its placeholders are filled.
     *
     * @param sql the statement, without a trailing semicolon
     * @param why why the step is there or why it is safe, rendered as a comment above it; may be null
     */
    record Sql(String sql, String why) implements Step {

        @Override
        public String text() {
            return sql;
        }

        @Override
        public Sql fill(String placeholder, String value) {
            return new Sql(sql.replace(placeholder, value), why);
        }
    }

    /** A deployment or check the application team does before the plan may go on. */
    record App(String text) implements Step {

        @Override
        public App fill(String placeholder, String value) {
            return new App(text.replace(placeholder, value));
        }
    }
}
