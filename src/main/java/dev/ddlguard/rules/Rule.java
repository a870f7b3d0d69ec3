package dev.ddlguard.rules;

import dev.ddlguard.policy.Action;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Verb;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One rule of the safe-migration decision tree: a stable kebab-case id, why the statement is
 * dangerous, what to do instead, a default action, and a matcher. Rules are data: a new one is a
 * {@link #builder} call in its rule file, listed in that file's {@code ALL}, plus rows in the file's case table
 * ({@code <RuleFile>.cases} in the test resources; README, "Adding a rule").
 *
 * @param lock      the lock the statement takes, in words (mode, what it blocks, how long), for RULES.md and messages
 * @param lockBound whether the danger is a long lock (so {@code ddlguard.small-table} may soften a block to a warning);
 *                  false for irreversible or application-breaking changes, which no table size makes safe
 * @param aboutDeployedCode whether the danger is to deployed code or data, which a table created earlier in the same
 *                  run or transaction cannot hurt (so the rule allows the statement on such a table, as lock-bound ones do)
 * @param verbs     the verbs of the statements the matcher can match ({@link Builder#on}): the judge asks the rule
 *                  about no other statement; empty (nothing declared) means every statement
 */
public record Rule(
        String id,
        Action defaultAction,
        String lock,
        String reason,
        String safeAlternative,
        boolean lockBound,
        boolean aboutDeployedCode,
        Matcher matcher,
        Advisor advisor,
        Set<Verb> verbs) {

    /** Says whether the rule applies and, if so, the statement-specific detail for the message. */
    @FunctionalInterface
    public interface Matcher {
        /** A short detail such as "drops column email of users", or null when the rule does not apply. */
        String match(DdlStatement statement, RuleContext context);
    }

    /** Produces the concrete safe SQL and, when one exists, the rewrite. */
    @FunctionalInterface
    public interface Advisor {
        Advice advise(DdlStatement statement, RuleContext context);
    }

    /** Concrete safe SQL to show the user, and a rewrite the guard may run instead (null when none exists). */
    public record Advice(String safeSql, Rewrite rewrite) {
        public static final Advice NONE = new Advice(null, null);
    }

    public Rule {
        Objects.requireNonNull(id);
        if (!id.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("rule ids are kebab-case: " + id);
        }
        verbs = verbs.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(verbs));
    }

    /**
     * Whether the matcher can match a statement of this verb: false only when the rule declared its verbs
     * ({@link Builder#on}) and this is none of them. The judge skips the rule then; the finding is the same.
     */
    public boolean mayMatch(Verb verb) {
        return verbs.isEmpty() || verbs.contains(verb);
    }

    /** The finding for this statement, with its advice, or null when the rule does not apply. */
    public Finding check(DdlStatement statement, RuleContext context) {
        Finding found = match(statement, context);
        return found == null ? null : advised(found, statement, context);
    }

    /**
     * The finding without its advice (no safe SQL, no rewrite), or null when the rule does not apply. The judge
     * asks the advice only for a finding that acts: most findings on a fresh schema end allowed (a table this run
     * created, a rule set to allow), and the advice is the costly part (SQL built, sometimes a catalog question).
     */
    public Finding match(DdlStatement statement, RuleContext context) {
        String detail = matcher.match(statement, context);
        return detail == null ? null : new Finding(this, detail, null, null);
    }

    /** {@code found} of {@link #match} with this rule's advice for the statement. */
    public Finding advised(Finding found, DdlStatement statement, RuleContext context) {
        Advice advice = advisor.advise(statement, context);
        return new Finding(this, found.detail(), advice.safeSql(), advice.rewrite());
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** Reads like the rule table in RULES.md. */
    public static final class Builder {
        private final String id;
        private Action defaultAction = Action.WARN;
        private String lock;
        private String reason;
        private String safeAlternative;
        private boolean lockBound;
        private boolean aboutDeployedCode;
        private Matcher matcher;
        private Advisor advisor = (s, c) -> Advice.NONE;
        private final EnumSet<Verb> verbs = EnumSet.noneOf(Verb.class);

        private Builder(String id) {
            this.id = id;
        }

        public Builder defaultAction(Action action) {
            this.defaultAction = action;
            return this;
        }

        public Builder lock(String lock) {
            this.lock = lock;
            return this;
        }

        public Builder reason(String reason) {
            this.reason = reason;
            return this;
        }

        public Builder safeAlternative(String text) {
            this.safeAlternative = text;
            return this;
        }

        public Builder lockBound() {
            this.lockBound = true;
            return this;
        }

        public Builder aboutDeployedCode() {
            this.aboutDeployedCode = true;
            return this;
        }

        public Builder matches(Matcher matcher) {
            this.matcher = matcher;
            return this;
        }

        /**
         * The matcher matches only statements of these verbs (it checks them itself): the judge then does not run it
         * on any other statement, which saves its time on most statements. Optional: a rule that declares nothing
         * runs on every statement. {@code RuleDispatchTest} checks that the declared verbs change no finding.
         */
        public Builder on(Verb... verbs) {
            this.verbs.addAll(List.of(verbs));
            return this;
        }

        public Builder advice(Advisor advisor) {
            this.advisor = advisor;
            return this;
        }

        public Rule build() {
            return new Rule(
                    id,
                    defaultAction,
                    Objects.requireNonNull(lock, "lock"),
                    Objects.requireNonNull(reason, "reason"),
                    Objects.requireNonNull(safeAlternative, "safeAlternative"),
                    lockBound,
                    aboutDeployedCode,
                    Objects.requireNonNull(matcher, "matcher"),
                    advisor,
                    verbs);
        }
    }
}
