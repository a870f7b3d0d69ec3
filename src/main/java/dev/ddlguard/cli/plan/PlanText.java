package dev.ddlguard.cli.plan;

import dev.ddlguard.sql.Identifier;

/**
 * The wording of plan steps that does not depend on the dialect: what the application does in each phase,
 * why a step is there, the placeholders a user fills in and the reasons in allow comments. {@link PostgresPlans}
 * and {@link MySqlPlans} write their own SQL around it, so both dialects say the same thing the same way.
 */
final class PlanText {

    /** How a plan keeps two columns in step: PostgreSQL with one trigger, MySQL/MariaDB with one per event. */
    enum Sync {
        ONE_TRIGGER("the trigger", "fills"),
        TRIGGERS("the triggers", "fill");

        private final String subject;
        private final String fills;

        Sync(String subject, String fills) {
            this.subject = subject;
            this.fills = fills;
        }

        /** {@code the trigger fills x} / {@code the triggers fill x}. */
        String fills(String column) {
            return subject + " " + fills + " " + column;
        }
    }

    static final String FILL_EXISTING_ROWS = "fill existing rows";
    static final String CONVERT_EXISTING_ROWS = "convert existing rows";
    static final String REPLACE_THE_NULLS = "replace the NULLs";

    private PlanText() {}

    /** The placeholder for a value only the user knows; the plan lists it, and {@code PlanRun} fills it in tests. */
    static String valueFor(Identifier column) {
        return "<value for " + column.text() + ">";
    }

    static String keepEqual(String a, String b) {
        return "keep " + a + " and " + b + " equal, whichever one a deployed version writes";
    }

    static String copy(String a, String b) {
        return "copy " + a + " to " + b;
    }

    static String writeBoth(String a, String b, Sync sync) {
        return "deploy code that writes both " + a + " and " + b + " (reads stay on " + a
                + "); instances still writing only " + a + " are covered by " + sync.subject;
    }

    static String switchReads(String a, String b, Sync sync) {
        return "switch reads to " + b + ", then deploy code that no longer reads or writes " + a
                + " (until the Contract phase " + sync.subject + " still " + sync.fills + " " + a
                + " for older instances)";
    }

    static String useNewName(String renamed, String old) {
        return "deploy code that uses " + renamed + " instead of " + old;
    }

    static String writeInEveryInsert(String column, boolean hasDefault) {
        return "deploy code that writes " + column + " in every INSERT"
                + (hasDefault ? " (or leaves it to the DEFAULT)" : "");
    }

    static String everyWriteCopied(String column) {
        return "every write to " + column + " also writes its new-type value";
    }

    static String nothingToDeployYet(String column, String fresh, Sync sync) {
        return "nothing to deploy yet: code keeps using " + column + "; " + sync.fills(fresh);
    }

    static String acceptNewType(String column, String type) {
        return "deploy code that accepts " + column + " as " + type + " (the swap below keeps its name)";
    }

    static String stopUsing(String column) {
        return "deploy code that no longer reads or writes " + column;
    }

    static String neverWriteNull(String column) {
        return "deploy code that never writes NULL to " + column + " (give it a DEFAULT first if inserts leave it out)";
    }

    /** Why a plan's lock steps set a short lock timeout first. */
    static String giveUpRatherThanQueue(String queuedLock) {
        return "give up rather than queue: every query on the table waits behind a queued " + queuedLock;
    }

    /** The plan's own sync trigger, dropped in the contract phase: what it copied is done. */
    static String dropSyncTrigger(String trigger) {
        return "/* ddlguard:allow drop-trigger the plan's sync trigger: the copying is done */ DROP TRIGGER " + trigger;
    }

    /** The comment that lets the guard run a planned DROP COLUMN, with its reason. */
    static String allowDropColumn(String reason) {
        return "/* ddlguard:allow drop-column " + reason + " */ ";
    }

    static String renamedTo(Identifier newName) {
        return "renamed to " + newName.text() + ", which holds the same values";
    }

    static String replacedBy(Identifier fresh) {
        return "replaced by " + fresh.text() + ", which holds the same values";
    }

    static String dataKeptIn(Identifier backup) {
        return "no deployed code uses it, its data is in " + backup.text();
    }

    /** The copy of a dropped column's data, with the key to join it back: the same SQL on every target. */
    static String keepData(Change c, Identifier backup) {
        return "CREATE TABLE " + Names.inSchemaOf(c.table(), backup) + " AS SELECT " + String.join(", ", c.key()) + ", "
                + c.columnSql() + " FROM " + c.tableSql();
    }
}
