package dev.ddlguard.engine;

import dev.ddlguard.dialect.Catalog;
import dev.ddlguard.dialect.Dialect;
import dev.ddlguard.dialect.Dialect.TableSize;
import dev.ddlguard.dialect.LockImpact;
import dev.ddlguard.policy.Action;
import dev.ddlguard.policy.Mode;
import dev.ddlguard.policy.Policy;
import dev.ddlguard.rules.BlockingLockRule;
import dev.ddlguard.rules.CoreRules;
import dev.ddlguard.rules.Finding;
import dev.ddlguard.rules.Rewrite;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.rules.RuleContext;
import dev.ddlguard.sql.DdlClassifier;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.DdlStatement.Flag;
import dev.ddlguard.sql.InlineDirectives;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SecretRedactor;
import dev.ddlguard.sql.StatementSplitter;
import dev.ddlguard.sql.StatementText;
import dev.ddlguard.sql.Verb;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Judges a SQL string: splits it, classifies each statement, runs the rules of the target dialect
 * and applies the policy. Pure apart from the catalog look-up it is handed, immutable and
 * thread-safe, so one instance serves every connection of a data source.
 */
public final class StatementJudge {

    private final Policy policy;
    private final Dialect target;
    private final String connectedName;
    private final List<Rule> rules;

    public StatementJudge(Policy policy, Dialect target, Dialect connected) {
        this.policy = policy;
        this.target = target;
        this.connectedName = connected.name();
        List<Rule> all = new ArrayList<>(CoreRules.ALL);
        all.addAll(target.rules());
        this.rules = List.copyOf(all);
    }

    /**
     * Facts about the session the statement will run in.
     *
     * @param serverVersion the server's version (server_version_num form), 0 for the target's default
     */
    public record Context(boolean autocommit, int serverVersion, Catalog catalog) {

        /** Only table sizes known: for tests and tools that have nothing more. */
        public Context(boolean autocommit, Function<QualifiedName, TableSize> sizes) {
            this(autocommit, 0, new Catalog() {
                @Override
                public TableSize tableSize(QualifiedName table) {
                    return sizes.apply(table);
                }
            });
        }

        public static Context offline(boolean autocommit) {
            return new Context(autocommit, 0, Catalog.OFFLINE);
        }
    }

    public Dialect target() {
        return target;
    }

    public Policy policy() {
        return policy;
    }

    /** A rewrite's syntax belongs to the target, so it is only sent to a database of that kind. */
    private boolean targetIsConnected() {
        return target.name().equals(connectedName);
    }

    /** The judgement, or null when the string holds no DDL after all (the pre-filter is only a first cut). */
    public Judgement judge(String sql, Context context) {
        List<StatementText> statements = StatementSplitter.split(sql, target.syntax());
        List<JudgedStatement> judged = new ArrayList<>(statements.size());
        List<Rewrite.TextEdit> edits = new ArrayList<>();
        List<String> followUps = new ArrayList<>();
        List<String> undo = new ArrayList<>();
        boolean concurrently = false;
        for (StatementText text : statements) {
            DdlStatement ddl;
            try {
                ddl = DdlClassifier.classify(text, target.syntax());
            } catch (RuntimeException | StackOverflowError e) {
                judged.add(guardFailure(text, e));
                continue;
            }
            if (ddl == null) {
                continue;
            }
            Outcome outcome = judgeOne(ddl, context);
            judged.add(outcome.judged);
            if (outcome.rewrite != null) {
                edits.addAll(outcome.rewrite.edits());
                followUps.addAll(outcome.rewrite.followUps());
                undo.addAll(outcome.rewrite.undo());
            }
            concurrently |= outcome.concurrently;
        }
        if (judged.isEmpty()) {
            return null;
        }
        boolean blocked = judged.stream().anyMatch(JudgedStatement::blocked);
        String toSend = blocked ? null : edits.isEmpty() ? sql : new Rewrite(edits, List.of(), null).apply(whole(sql));
        return new Judgement(judged, toSend, followUps, undo, SecretRedactor.redact(sql, target.syntax()), concurrently);
    }

    private record Outcome(JudgedStatement judged, Rewrite rewrite, boolean concurrently) {
    }

    private Outcome judgeOne(DdlStatement written, Context context) {
        DdlStatement ddl = withIndexTable(written, context.catalog());
        int version = context.serverVersion() != 0 ? context.serverVersion() : target.defaultServerVersion();
        RuleContext ruleContext = new RuleContext(context.autocommit(), version, context.catalog());
        Map<String, String> allowed = InlineDirectives.allowed(ddl.text());
        TableSize size = sizeOf(ddl, context);
        LockImpact lock = target.lockImpact(ddl, context.catalog()).withSize(size.rows(), size.bytes(), policy.throughputBytesPerSecond());

        List<RuleVerdict> verdicts = new ArrayList<>(2);
        Action strongest = Action.ALLOW;
        Rewrite rewrite = null;
        String note = null;
        boolean newTable = !context.autocommit() && ddl.table() != null
                && context.catalog().createdInThisTransaction(ddl.table());
        List<Finding> findings = new ArrayList<>(2);
        for (Rule rule : rules) {
            try {
                Finding finding = rule.check(ddl, ruleContext);
                if (finding != null) {
                    findings.add(finding);
                }
            } catch (RuntimeException e) {
                // A rule's own bug must not fail the caller's statement: the unanalyzable policy decides.
                findings.add(new Finding(CoreRules.UNANALYZABLE_RULE, "rule " + rule.id() + " failed: " + e, null, null));
            }
        }
        // Principle: a blocking lock no rule judged still gets a verdict (the next unknown form is caught too).
        Finding catchAll = BlockingLockRule.check(ddl, lock, findings, target.name(), newTable);
        if (catchAll != null) {
            findings.add(catchAll);
        }
        for (Finding finding : findings) {
            Rule rule = finding.rule();
            String message = finding.detail() + ": " + rule.reason() + ". Instead: " + rule.safeAlternative();
            Action action = policy.actionFor(rule.id(), rule.defaultAction());
            String reason = allowed.get(rule.id());
            if (reason != null && !reason.isEmpty()) {
                action = Action.ALLOW;
                message = "allowed by comment: " + reason + " (" + finding.detail() + ")";
            } else if (reason != null) {
                message += " (the ddlguard:allow comment was ignored: it needs a reason)";
            }
            if (action == Action.REWRITE) {
                Rewrite candidate = finding.rewrite();
                if (candidate == null) {
                    action = Action.BLOCK;
                    message += " (no safe rewrite exists for this form, so it is blocked)";
                } else if (candidate.needsAutocommit() != null && !context.autocommit()) {
                    action = Action.BLOCK;
                    message += " (the rewrite cannot be used here: " + candidate.needsAutocommit() + ")";
                } else {
                    rewrite = rewrite == null ? candidate : rewrite.and(candidate);
                    if (!targetIsConnected()) {
                        note = "rewrite reported, not sent: judged as " + target.name() + " but connected to " + connectedName;
                    }
                }
            }
            // A table this transaction created is invisible to every other session: nobody can wait on its lock
            // (Flyway creates its history table and adds its primary key in one transaction).
            if (rule.lockBound() && action != Action.ALLOW && newTable) {
                action = Action.ALLOW;
                message += " (allowed: the table was created in this transaction, so no other session can wait on it)";
            }
            // After the rewrite fallback: a lock-bound block on a small table only warns, however it came about.
            if (action == Action.BLOCK && rule.lockBound() && isSmall(lock)) {
                action = Action.WARN;
                message += " (warning only: the table is under ddlguard.small-table)";
            }
            verdicts.add(new RuleVerdict(rule.id(), action, message, action == Action.ALLOW ? null : finding.safeSql()));
            strongest = strongest.strongest(action);
        }

        Decision enforceDecision = switch (strongest) {
            case ALLOW -> Decision.ALLOWED;
            case WARN -> Decision.WARNED;
            case REWRITE -> targetIsConnected() ? Decision.REWRITTEN : Decision.WARNED;
            case BLOCK -> Decision.BLOCKED;
        };
        boolean audit = policy.mode() == Mode.AUDIT;
        boolean send = !audit && enforceDecision == Decision.REWRITTEN;
        String rewrittenSql = null;
        LockImpact executedLock = null;
        DdlStatement executed = ddl;
        boolean concurrently = ddl.has(Flag.CONCURRENTLY);
        if (rewrite != null && enforceDecision != Decision.BLOCKED) {
            String rewritten = rewrite.apply(ddl.text());
            // Follow-ups (VALIDATE CONSTRAINT, …) are part of what is sent: the record shows them too.
            String all = rewrite.followUps().isEmpty() ? rewritten : rewritten + ";\n" + String.join(";\n", rewrite.followUps());
            rewrittenSql = SecretRedactor.redact(all, target.syntax()).text();
            DdlStatement after = reclassify(rewritten);
            if (after != null) {
                executedLock = target.lockImpact(after, context.catalog()).withSize(size.rows(), size.bytes(), policy.throughputBytesPerSecond());
                concurrently |= send && after.has(Flag.CONCURRENTLY);
                executed = send ? after : ddl;
            }
        }
        String unanswered = context.catalog().takeFailures();
        if (unanswered != null) {
            // Unknown facts are taken at their worst (no size is never small): the rules and the policy still decide.
            note = join(note, "catalog unavailable, judged without it: " + unanswered);
        }
        JudgedStatement judged = new JudgedStatement(
                SecretRedactor.redact(ddl.text()).text(), ddl.summary(), verdicts,
                audit ? Decision.AUDITED : enforceDecision, enforceDecision, rewrittenSql, send,
                lock, send ? executedLock : null, note, executed);
        return new Outcome(judged, send ? rewrite : null, concurrently);
    }

    private static String join(String a, String b) {
        return a == null ? b : a + "; " + b;
    }

    private DdlStatement reclassify(String sql) {
        List<StatementText> parts = StatementSplitter.split(sql, target.syntax());
        return parts.isEmpty() ? null : DdlClassifier.classify(parts.get(0), target.syntax());
    }

    /** DROP INDEX and REINDEX INDEX name no table, but lock one: ask the catalog which. */
    private static DdlStatement withIndexTable(DdlStatement ddl, Catalog catalog) {
        if (ddl.table() != null || !"INDEX".equals(ddl.objectType()) || ddl.names().isEmpty()
                || (ddl.verb() != Verb.DROP && ddl.verb() != Verb.REINDEX)) {
            return ddl;
        }
        QualifiedName table = catalog.tableOfIndex(ddl.names().get(0));
        return table == null ? ddl : ddl.withTable(table);
    }

    private static TableSize sizeOf(DdlStatement ddl, Context context) {
        QualifiedName table = ddl.table();
        if (table == null || (ddl.verb() == Verb.CREATE && "TABLE".equals(ddl.objectType()))) {
            return TableSize.UNKNOWN;   // a new table has no size yet
        }
        return context.catalog().tableSize(table);
    }

    private boolean isSmall(LockImpact lock) {
        return policy.smallTableBytes() > 0 && lock.bytes() != null && lock.bytes() < policy.smallTableBytes();
    }

    /** The judgement when the guard itself failed on the string: the unanalyzable policy decides, and the record says why. */
    public Judgement failed(String sql, Throwable e) {
        JudgedStatement failure = guardFailure(new StatementText(sql, 0, sql.length(), 1, 1, List.of()), e);
        SecretRedactor.Redacted secrets;
        try {
            secrets = SecretRedactor.redact(sql, target.syntax());
        } catch (RuntimeException | StackOverflowError again) {
            secrets = new SecretRedactor.Redacted("<not logged: the guard could not read it>", List.of());
        }
        JudgedStatement redacted = new JudgedStatement(secrets.text(), failure.summary(), failure.verdicts(),
                failure.decision(), failure.enforceDecision(), null, false, null, null, failure.note(), null);
        return new Judgement(List.of(redacted), redacted.blocked() ? null : sql, List.of(), List.of(), secrets, false);
    }

    /** When the classifier fails on a statement, the unanalyzable policy decides, and the record says why. */
    private JudgedStatement guardFailure(StatementText text, Throwable e) {
        Action action = policy.actionFor(CoreRules.UNANALYZABLE, CoreRules.UNANALYZABLE_RULE.defaultAction());
        if (action == Action.REWRITE) {
            action = Action.BLOCK;   // there is nothing to rewrite to
        }
        String message = "the guard failed to read this statement (" + e + "): "
                + CoreRules.UNANALYZABLE_RULE.reason() + ". Instead: " + CoreRules.UNANALYZABLE_RULE.safeAlternative();
        Decision decision = switch (action) {
            case ALLOW -> Decision.ALLOWED;
            case WARN, REWRITE -> Decision.WARNED;
            case BLOCK -> Decision.BLOCKED;
        };
        String sql;
        try {
            sql = SecretRedactor.redact(text).text();
        } catch (RuntimeException | StackOverflowError again) {
            sql = "<not logged: the guard could not read it>";
        }
        return new JudgedStatement(sql, "statement", List.of(
                new RuleVerdict(CoreRules.UNANALYZABLE, action, message, null)),
                policy.mode() == Mode.AUDIT ? Decision.AUDITED : decision, decision, null, false,
                null, null, "guard error: " + e, null);
    }

    private static StatementText whole(String sql) {
        return new StatementText(sql, 0, sql.length(), 1, 1, List.of());
    }
}
