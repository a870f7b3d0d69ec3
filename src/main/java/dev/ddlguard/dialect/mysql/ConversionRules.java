package dev.ddlguard.dialect.mysql;

import dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Flavour;
import dev.ddlguard.policy.Action;
import dev.ddlguard.rules.Catalog;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.rules.RuleContext;
import dev.ddlguard.rules.StatementWords;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Verb;
import java.util.Locale;

/**
 * A column change MySQL and MariaDB carry out by converting values it cannot keep, instead of failing: under ALTER
 * IGNORE TABLE, or in a session whose sql_mode is not strict. Measured by an outside tester on MariaDB 10.11: MODIFY
 * … NOT NULL turned NULL into 0, '' and, for an ENUM, the invalid '' (success, one warning); in strict mode without
 * IGNORE the server refused (1265) and the rows stayed. The session's sql_mode is asked of the live catalog, or is
 * the one a SET earlier in the string or batch gives (a value set by an expression counts as not strict); offline it
 * is unknown and only IGNORE is judged (strict is the default since MySQL 5.7 and MariaDB 10.2.4).
 */
final class ConversionRules {

    private ConversionRules() {}

    static Rule silentConversion(Flavour flavour, int defaultVersion) {
        return Rule.builder("silent-conversion")
                .defaultAction(Action.BLOCK)
                .aboutDeployedCode()
                .on(Verb.ALTER)
                .lock("as the column change's own (see require-online-ddl); the harm is in the rows, not the lock")
                .reason("under ALTER IGNORE TABLE, or with a session sql_mode that is not strict, a column made NOT "
                        + "NULL or changed to a narrower type keeps every row by converting what does not fit: NULL "
                        + "becomes 0 or '' (an ENUM's invalid ''), a string is cut, a number is clamped, silently and "
                        + "irreversibly, where strict mode refuses the change")
                .safeAlternative(
                        "run the change in strict mode (sql_mode with STRICT_TRANS_TABLES) and without IGNORE, "
                                + "so that the server refuses it while a value does not fit; fix those rows first, "
                                + "deliberately (UPDATE … SET c = <value> WHERE c IS NULL, in batches)")
                .matches((s, c) -> converted(s, c, flavour, defaultVersion))
                .build();
    }

    /**
     * With foreign_key_checks=0 (the session's, asked live, or given by a SET earlier in the string or batch) an added
     * foreign key checks no existing row: an outside tester's key went on over a child row whose parent did not exist,
     * rewritten to NOCOPY, LOCK=NONE and run. The in-place add needs the checks off (the manual), so this warns: the
     * rows must be checked by hand first. A table of this run has no old rows.
     */
    static Rule uncheckedForeignKey(Flavour flavour, int defaultVersion) {
        return Rule.builder("unchecked-foreign-key")
                .defaultAction(Action.WARN)
                .aboutDeployedCode()
                .on(Verb.ALTER)
                .lock("as the key's own (see require-online-ddl); the harm is in the rows, not the lock")
                .reason("with foreign_key_checks=0 an added FOREIGN KEY checks none of the rows already there: child "
                        + "rows whose parent does not exist stay, and every later UPDATE of them, or a cascade, meets "
                        + "a key the data already breaks")
                .safeAlternative("before adding it, look for orphans (SELECT c.* FROM child c LEFT JOIN parent p ON "
                        + "p.id = c.parent_id WHERE c.parent_id IS NOT NULL AND p.id IS NULL) and fix them, "
                        + "deliberately; then add the key with the checks off, online")
                .matches((s, c) -> {
                    if (!s.is(Verb.ALTER, "TABLE")
                            || s.table() == null
                            || s.actions().stream().noneMatch(a -> "FOREIGN KEY".equals(a.constraint()))
                            || c.catalog().createdInThisRun(s.table())) {
                        return null; // an inline REFERENCES of a new column has no old values
                    }
                    MySqlStatement m = MySqlRules.read(s, c, flavour, defaultVersion);
                    return m.operations().contains(OnlineDdlOperation.ADD_FOREIGN_KEY_NO_CHECKS)
                                    || m.operations().contains(OnlineDdlOperation.ADD_FOREIGN_KEY_NO_CHECKS_INDEXED)
                            ? "adds a foreign key to " + s.table()
                                    + " with foreign_key_checks=0: its rows are not checked"
                            : null;
                })
                .build();
    }

    /** The session's sql_mode is asked last, and only for a narrowing change: every other ALTER costs no round trip. */
    private static String converted(DdlStatement s, RuleContext c, Flavour flavour, int defaultVersion) {
        if (!s.is(Verb.ALTER, "TABLE") || s.table() == null) {
            return null;
        }
        MySqlStatement m = MySqlRules.read(s, c, flavour, defaultVersion);
        boolean narrows = m.operations().contains(OnlineDdlOperation.MAKE_COLUMN_NOT_NULL)
                || m.operations().contains(OnlineDdlOperation.CHANGE_COLUMN_TYPE);
        if (!narrows || c.catalog().createdInThisRun(s.table())) {
            return null;
        }
        boolean ignore = StatementWords.has(s, "IGNORE", "TABLE");
        String mode = ignore ? null : c.catalog().setting("sql_mode");
        // TRADITIONAL includes the strict modes; DEFAULT is the server's (strict unless configured otherwise); a value
        // set by an expression (REPLACE(@@sql_mode, 'STRICT_TRANS_TABLES', '')) is taken at its worst
        String upper = mode == null ? "" : mode.toUpperCase(Locale.ROOT);
        boolean lax = mode != null
                && (mode.equals(Catalog.SET_TO_UNKNOWN)
                        || !upper.contains("STRICT_") && !upper.contains("TRADITIONAL") && !upper.equals("DEFAULT"));
        if (!ignore && !lax) {
            return null;
        }
        return "changes a column of " + s.table() + " "
                + (ignore
                        ? "with ALTER IGNORE"
                        : mode.equals(Catalog.SET_TO_UNKNOWN)
                                ? "with a sql_mode set by an expression, taken as not strict"
                                : "with sql_mode '" + mode + "', which is not strict")
                + ": values that do not fit the new definition are converted instead of refused";
    }
}
