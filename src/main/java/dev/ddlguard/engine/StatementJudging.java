package dev.ddlguard.engine;

import dev.ddlguard.dialect.Dialect;
import dev.ddlguard.policy.Action;
import dev.ddlguard.policy.Mode;
import dev.ddlguard.policy.Policy;
import dev.ddlguard.rules.ActedOn;
import dev.ddlguard.rules.BlockingLockRule;
import dev.ddlguard.rules.Catalog;
import dev.ddlguard.rules.Catalog.TableSize;
import dev.ddlguard.rules.Finding;
import dev.ddlguard.rules.LockImpact;
import dev.ddlguard.rules.Rewrite;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.rules.RuleContext;
import dev.ddlguard.rules.RuleVerdict;
import dev.ddlguard.rules.TableNames;
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
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The judging of one DDL statement, step by step: what it locks and for how long, what the rules find,
 * what the policy makes of each finding (an allow comment, an exemption, a rewrite or its fallback, a
 * small table), the decision, what is sent instead, and the redacted record. One per statement, used
 * once; the per-finding steps share {@link #action} and {@link #message} so that a rule costs no
 * allocation beyond its verdict.
 */
final class StatementJudging {

    /** What judging one statement gives its string: the record, the rewrite to apply, whether it runs CONCURRENTLY. */
    record Outcome(JudgedStatement judged, Rewrite rewrite, boolean concurrently) {}

    private final Policy policy;
    private final Dialect target;
    private final String connectedName;
    private final StatementJudge.Context context;
    private final List<QualifiedName> createdHere;
    /** The statement's place in the text is uncertain: a rewrite cannot be sent, so it blocks. */
    private final boolean noRewrite;

    private final DdlStatement ddl;
    private final Map<String, String> allowed;
    /** The size of the statement's table, which exempts a small one from the size-bound rules. */
    private final TableSize size;
    /** The size of the table the lock's work runs over ({@link Dialect#sizedTable}): usually the same. */
    private final TableSize lockSize;

    private final LockImpact lock;
    private final RuleContext ruleContext;

    /** No statement of the string before this one: the catalog, asked before the string runs, describes its session. */
    private final boolean firstOfString;

    /** Asked only when a rule would act: most statements need no catalog question for it. */
    private Exemption exemption;
    /** The rewrites of the findings that rewrite, joined. */
    private Rewrite rewrite;

    private String note;
    /** The current finding's action and message, as each step leaves them. */
    private Action action;

    private String message;

    /** Reads the statement's facts, in this order: its index's table, allow comments, its size, its lock. */
    StatementJudging(
            StatementJudge judge,
            DdlStatement written,
            StatementJudge.Context context,
            List<QualifiedName> createdHere,
            boolean noRewrite,
            boolean firstOfString) {
        this.policy = judge.policy();
        this.target = judge.target();
        this.connectedName = judge.connectedName();
        this.context = context;
        this.createdHere = createdHere;
        this.noRewrite = noRewrite;
        this.firstOfString = firstOfString;
        this.ddl = withIndexTable(written, context.catalog());
        int version = context.serverVersion() != 0 ? context.serverVersion() : target.defaultServerVersion();
        this.allowed = InlineDirectives.allowed(ddl.text());
        this.size = sizeOf(ddl.table());
        QualifiedName sized = target.sizedTable(ddl);
        this.lockSize = sized == null || sized.equals(ddl.table()) ? size : sizeOf(sized);
        this.lock = target.lockImpact(ddl, context.catalog())
                .withSize(lockSize.rows(), lockSize.bytes(), policy.throughputBytesPerSecond());
        this.ruleContext = new RuleContext(context.autocommit(), version, context.catalog(), lock);
    }

    /** Judges the statement: each finding gets a verdict, the strongest action decides. */
    Outcome judge(List<Rule> rules) {
        List<Finding> findings = findings(rules);
        List<RuleVerdict> verdicts = new ArrayList<>(2);
        Action strongest = Action.ALLOW;
        for (Finding found : findings) {
            RuleVerdict verdict = verdictOn(found);
            verdicts.add(verdict);
            strongest = strongest.strongest(verdict.action());
        }
        return decide(verdicts, strongest);
    }

    /** What the rules find, and the catch-all for a blocking lock no rule judged. */
    private List<Finding> findings(List<Rule> rules) {
        List<Finding> findings = new ArrayList<>(2);
        for (Rule rule : rules) {
            try {
                Finding finding = rule.match(ddl, ruleContext);
                if (finding != null) {
                    findings.add(finding);
                }
            } catch (RuntimeException | StackOverflowError e) {
                // A rule that cannot answer has not judged the statement: it fails closed like any other guard failure.
                throw new RuleFailure(rule.id(), e);
            }
        }
        // Principle: a blocking lock no rule judged still gets a verdict (the next unknown form is caught too).
        // Asked only when the catch-all would otherwise apply: most statements need no catalog question for it.
        BooleanSupplier newTable = () -> !context.autocommit()
                && ActedOn.allNew(
                        ddl,
                        context.catalog(),
                        t -> createdEarlier(t) || context.catalog().createdInThisTransaction(t));
        Finding catchAll = BlockingLockRule.check(ddl, lock, findings, target.name(), newTable);
        if (catchAll != null) {
            findings.add(catchAll);
        }
        Finding overridden = TimeoutOverrides.check(ddl, lock, context.catalog(), target, policy, this::allNew);
        if (overridden != null) {
            findings.add(overridden);
        }
        return findings;
    }

    /**
     * A rule's detail quotes the statement (an account list, a name): a secret of the statement (a password after
     * IDENTIFIED BY) must not reach the audit record, the exception or the lint report through it.
     */
    private static List<RuleVerdict> scrubbed(List<RuleVerdict> verdicts, SecretRedactor.Redacted redacted) {
        if (redacted.secrets().isEmpty()) {
            return verdicts;
        }
        List<RuleVerdict> out = new ArrayList<>(verdicts.size());
        for (RuleVerdict v : verdicts) {
            out.add(new RuleVerdict(v.ruleId(), v.action(), redacted.scrub(v.message()), redacted.scrub(v.safeSql())));
        }
        return out;
    }

    /** One finding's verdict: the policy's action, then each step that may change it, in this order. */
    private RuleVerdict verdictOn(Finding found) {
        Rule rule = found.rule();
        message = found.detail() + ": " + rule.reason() + ". Instead: " + rule.safeAlternative();
        action = policy.actionFor(rule.id(), rule.defaultAction());
        allowComment(rule, found);
        exempt(rule); // before the rewrite: an exempted statement runs as written
        Finding finding = action == Action.ALLOW ? found : advise(found); // safe SQL and rewrite: only when it acts
        if (action == Action.REWRITE) {
            rewriteOrBlock(finding.rewrite());
        }
        smallTableOnlyWarns(rule);
        return new RuleVerdict(rule.id(), action, message, action == Action.ALLOW ? null : finding.safeSql());
    }

    /** A {@code ddlguard:allow} comment with a reason allows the finding; one without a reason is ignored, and said so. */
    private void allowComment(Rule rule, Finding found) {
        String reason = allowed.get(rule.id());
        if (reason != null && !reason.isEmpty()) {
            action = Action.ALLOW;
            message = "allowed by comment: " + reason + " (" + found.detail() + ")";
        } else if (reason != null) {
            message += " (the ddlguard:allow comment was ignored: it needs a reason)";
        }
    }

    /** A new table, an empty one, a transaction's own table...: the {@link Exemption} allows a finding that would act. */
    private void exempt(Rule rule) {
        if (action == Action.ALLOW) {
            return;
        }
        if (exemption == null) {
            exemption = Exemption.of(
                    ddl, context.autocommit(), this::createdEarlier, size, context.catalog(), firstOfString);
        }
        String why = exemption.reasonFor(rule);
        if (why != null) {
            action = Action.ALLOW;
            message += " (allowed: " + why + ")";
        }
    }

    private Finding advise(Finding found) {
        try {
            return found.rule().advised(found, ddl, ruleContext);
        } catch (RuntimeException | StackOverflowError e) {
            throw new RuleFailure(found.rule().id(), e); // as a failing matcher: fails closed
        }
    }

    /** A rewrite that cannot be used here (none exists, its place is uncertain, it needs autocommit) blocks instead. */
    private void rewriteOrBlock(Rewrite candidate) {
        if (candidate == null) {
            action = Action.BLOCK;
            message += " (no safe rewrite exists for this form, so it is blocked)";
        } else if (noRewrite) {
            action = Action.BLOCK;
            message +=
                    " (the rewrite cannot be placed: the server's reading of this text is ambiguous, so it is blocked)";
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

    /** After the rewrite fallback: a lock-bound block on a small table only warns, however it came about. */
    private void smallTableOnlyWarns(Rule rule) {
        if (action == Action.BLOCK
                && rule.lockBound()
                && policy.smallTableBytes() > 0
                && lock.bytes() != null
                && lock.bytes() < policy.smallTableBytes()) {
            action = Action.WARN;
            message += " (warning only: the table is under ddlguard.small-table)";
        }
    }

    /**
     * The decision the strongest action makes, in enforce mode and as run (audit mode, or below the
     * baseline), what is sent instead (the rewrite, re-classified for the lock it takes) and the notes.
     */
    private Outcome decide(List<RuleVerdict> verdicts, Action strongest) {
        Decision enforceDecision = switch (strongest) {
            case ALLOW -> Decision.ALLOWED;
            case WARN -> Decision.WARNED;
            case REWRITE -> targetIsConnected() ? Decision.REWRITTEN : Decision.WARNED;
            case BLOCK -> Decision.BLOCKED;
        };
        String belowBaseline =
                enforceDecision == Decision.BLOCKED ? Baseline.notEnforced(policy, context.catalog()) : null;
        boolean audit = policy.mode() == Mode.AUDIT || belowBaseline != null;
        boolean send = !audit && enforceDecision == Decision.REWRITTEN;
        String rewrittenSql = null;
        LockImpact executedLock = null;
        DdlStatement executed = ddl;
        boolean concurrently = ddl.has(Flag.CONCURRENTLY);
        if (rewrite != null && enforceDecision != Decision.BLOCKED) {
            String rewritten = rewrite.apply(ddl.text());
            // Follow-ups (VALIDATE CONSTRAINT, …) are part of what is sent: the record shows them too.
            String all = rewrite.followUps().isEmpty()
                    ? rewritten
                    : rewritten + ";\n" + String.join(";\n", rewrite.followUps());
            rewrittenSql = SecretRedactor.redact(all, target.syntax()).text();
            DdlStatement after = reclassify(rewritten);
            if (after != null) {
                executedLock = target.lockImpact(after, context.catalog())
                        .withSize(lockSize.rows(), lockSize.bytes(), policy.throughputBytesPerSecond());
                concurrently |= send && after.has(Flag.CONCURRENTLY);
                executed = send ? after : ddl;
            }
        }
        if (belowBaseline != null) {
            note = StatementJudge.join(note, belowBaseline);
        }
        String unanswered = context.catalog().takeFailures();
        if (unanswered != null) {
            // Unknown facts are taken at their worst (no size is never small): the rules and the policy still decide.
            note = StatementJudge.join(note, "catalog unavailable, judged without it: " + unanswered);
        }
        SecretRedactor.Redacted redacted = SecretRedactor.redact(ddl.text());
        JudgedStatement judged = new JudgedStatement(
                redacted.text(),
                ddl.summary(),
                scrubbed(verdicts, redacted),
                audit ? Decision.AUDITED : enforceDecision,
                enforceDecision,
                rewrittenSql,
                send,
                lock,
                send ? executedLock : null,
                note,
                executed);
        return new Outcome(judged, send ? rewrite : null, concurrently);
    }

    /** A rewrite's syntax belongs to the target, so it is only sent to a database of that kind. */
    private boolean targetIsConnected() {
        return target.name().equals(connectedName);
    }

    private DdlStatement reclassify(String sql) {
        List<StatementText> parts = StatementSplitter.split(sql, target.syntax());
        return parts.isEmpty() ? null : DdlClassifier.classify(parts.get(0), target.syntax());
    }

    /** DROP INDEX and REINDEX INDEX name no table, but lock one: ask the catalog which. */
    private static DdlStatement withIndexTable(DdlStatement ddl, Catalog catalog) {
        if (ddl.table() != null
                || !"INDEX".equals(ddl.objectType())
                || ddl.names().isEmpty()
                || (ddl.verb() != Verb.DROP && ddl.verb() != Verb.REINDEX)) {
            return ddl;
        }
        QualifiedName table = catalog.tableOfIndex(ddl.names().get(0));
        return table == null ? ddl : ddl.withTable(table);
    }

    /**
     * The size of a table of the statement. Not asked for a table this run created (earlier in the string, or
     * through the guard in this process): every size-bound rule is exempt for it anyway ({@link Exemption}),
     * so the answer could change no verdict, only the record's estimate.
     */
    private TableSize sizeOf(QualifiedName table) {
        if (table == null || (table.equals(ddl.table()) && ddl.is(Verb.CREATE, "TABLE"))) {
            return TableSize.UNKNOWN; // a new table has no size yet (the source of CREATE TABLE … SELECT has one)
        }
        if (createdEarlier(table) || context.catalog().createdInThisRun(table)) {
            return TableSize.UNKNOWN;
        }
        return context.catalog().tableSize(table);
    }

    /**
     * Whether an earlier statement of the same string created the table: the same name as the server compares it
     * ({@link TableNames}: case as the server folds it; a qualified name matches an unqualified one only in the
     * current schema, asked only then).
     */
    private boolean createdEarlier(QualifiedName table) {
        if (table == null || createdHere.isEmpty()) {
            return false;
        }
        TableNames asSpelled = new TableNames(ddl.syntax(), false);
        for (QualifiedName t : createdHere) {
            if (!t.name().text().equalsIgnoreCase(table.name().text())) {
                continue; // not the same name in any case: no question
            }
            if (t.schema() != null && t.schema().text().equals("pg_temp") && table.schema() == null) {
                return t.name().sameAs(table.name()); // a temporary table: found first (StringTables)
            }
            // MySQL/MariaDB: another spelling is the same table only where the server folds names (asked only then)
            TableNames names = asSpelled.part(t.name()).equals(asSpelled.part(table.name()))
                    ? asSpelled
                    : new TableNames(ddl.syntax(), context.catalog().foldsTableNameCase());
            if (names.same(t, table, null)
                    || ((t.schema() == null) != (table.schema() == null)
                            && names.part(t.name()).equals(names.part(table.name()))
                            && names.same(t, table, context.catalog().currentSchema()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether every table the statement locks was created earlier in the string, by this run or in the open
     * transaction: the tables it acts on and the lock model's other tables (a foreign key's parent).
     */
    private boolean allNew() {
        Catalog catalog = context.catalog();
        Predicate<QualifiedName> isNew =
                t -> createdEarlier(t) || catalog.createdInThisRun(t) || catalog.createdInThisTransaction(t);
        for (LockImpact.OtherTable other : lock.otherTables()) {
            if (!isNew.test(QualifiedName.fromSql(other.table()))) {
                return false;
            }
        }
        return ActedOn.allNew(ddl, catalog, isNew);
    }

    /** A rule threw instead of answering: the statement is judged as a failure of the guard, naming the rule. */
    static final class RuleFailure extends RuntimeException {
        RuleFailure(String rule, Throwable cause) {
            super("rule " + rule + " failed: " + cause, cause, false, false);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
