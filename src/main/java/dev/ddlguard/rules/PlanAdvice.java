package dev.ddlguard.rules;

import dev.ddlguard.cli.plan.Planner;
import dev.ddlguard.policy.Target;
import dev.ddlguard.rules.Rule.Advice;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.SqlSyntax;
import java.util.function.Supplier;

/**
 * The safe SQL of an expand-contract rule is the plan {@code ddlguard plan} prints for the statement, so a
 * block's advice and the planner never disagree (SafeAdviceTest checks they are equal, RuleCasesTest that the
 * advice passes the guard). PostgreSQL syntax only: a MySQL-syntax statement does not say whether the server
 * is MySQL or MariaDB, whose plans differ, so those keep their own advice.
 */
public final class PlanAdvice {

    private PlanAdvice() {}

    /** The rendered plan, or {@code outline} when the planner has none (several changes in one statement, say). */
    public static Advice of(DdlStatement s, Supplier<Advice> outline) {
        if (s.syntax() != SqlSyntax.POSTGRESQL) {
            return outline.get();
        }
        try {
            return new Advice(
                    Planner.plan(s.code(), Target.POSTGRESQL, Planner.DEFAULT_BATCH_SIZE)
                            .render(),
                    null);
        } catch (IllegalArgumentException noPlan) {
            return outline.get();
        }
    }
}
