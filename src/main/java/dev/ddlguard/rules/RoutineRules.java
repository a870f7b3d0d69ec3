package dev.ddlguard.rules;

import dev.ddlguard.policy.Action;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.DdlStatement.Flag;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.Verb;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Functions and procedures that deployed code calls: dropping one makes every caller fail until it is created
 * again, renaming one breaks every caller for good. Neither holds a table lock; the danger is to the code.
 */
public final class RoutineRules {

    private RoutineRules() {}

    /** PostgreSQL's routines, MySQL's stored programs, H2's Java-bound functions (ALIAS). */
    private static final Set<String> ROUTINES = Set.of("FUNCTION", "PROCEDURE", "ROUTINE", "AGGREGATE", "ALIAS");

    /**
     * A warning, not a block: {@code DROP FUNCTION IF EXISTS f; CREATE FUNCTION f …} is how a MySQL script (which
     * has no CREATE OR REPLACE for stored programs) and many repeatable migrations replace a routine.
     */
    public static final Rule DROP_ROUTINE = Rule.builder("drop-routine")
            .defaultAction(Action.WARN)
            .aboutDeployedCode()
            .lock("none on tables (a lock on the routine itself); metadata only")
            .reason("deployed code that calls the function or procedure fails from the moment it is dropped until it "
                    + "is created again; dropped for good, the code it held is gone")
            .safeAlternative("to change a routine, CREATE OR REPLACE it (PostgreSQL, MariaDB), which keeps it callable "
                    + "throughout; on MySQL drop and create it in the same script; to retire it, deploy code that no "
                    + "longer calls it first")
            .matches((s, c) -> s.verb() == Verb.DROP
                            && isRoutine(s)
                            && !s.names().isEmpty()
                    ? "drops " + kind(s) + " " + names(s)
                            + (s.has(Flag.IF_EXISTS) ? " (IF EXISTS: a no-op only where it does not exist)" : "")
                    : null)
            .build();

    public static final Rule RENAME_ROUTINE = Rule.builder("rename-routine")
            .defaultAction(Action.BLOCK)
            .aboutDeployedCode()
            .lock("none on tables (a lock on the routine itself); metadata only")
            .reason("renaming a function or procedure breaks every deployed caller that uses the old name, the moment "
                    + "it commits")
            .safeAlternative("create the routine under the new name (a copy, or a wrapper calling the old one), deploy "
                    + "code that calls the new name, then drop the old one")
            .matches((s, c) -> s.verb() == Verb.ALTER
                            && isRoutine(s)
                            && !s.names().isEmpty()
                            && StatementWords.has(s, "RENAME", "TO")
                    ? "renames " + kind(s) + " " + names(s)
                    : null)
            .build();

    public static final List<Rule> ALL = List.of(DROP_ROUTINE, RENAME_ROUTINE);

    private static boolean isRoutine(DdlStatement s) {
        return s.objectType() != null
                && ROUTINES.contains(s.objectType())
                && (!"ALIAS".equals(s.objectType()) || s.syntax() == SqlSyntax.ANSI);
    }

    private static String kind(DdlStatement s) {
        return "ALIAS".equals(s.objectType())
                ? "function alias"
                : s.objectType().toLowerCase(Locale.ROOT);
    }

    private static String names(DdlStatement s) {
        return s.names().stream().map(Object::toString).collect(Collectors.joining(", "));
    }
}
