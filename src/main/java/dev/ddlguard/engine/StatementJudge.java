package dev.ddlguard.engine;

import dev.ddlguard.dialect.Dialect;
import dev.ddlguard.policy.Action;
import dev.ddlguard.policy.MigrationVersion;
import dev.ddlguard.policy.Mode;
import dev.ddlguard.policy.Policy;
import dev.ddlguard.rules.BlockingLockRule;
import dev.ddlguard.rules.Catalog;
import dev.ddlguard.rules.Catalog.TableSize;
import dev.ddlguard.rules.CoreRules;
import dev.ddlguard.rules.Finding;
import dev.ddlguard.rules.LockImpact;
import dev.ddlguard.rules.Rewrite;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.rules.RuleContext;
import dev.ddlguard.rules.RuleVerdict;
import dev.ddlguard.sql.CompoundStatements;
import dev.ddlguard.sql.DdlClassifier;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.DdlStatement.Flag;
import dev.ddlguard.sql.InlineDirectives;
import dev.ddlguard.sql.Lexing;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SecretRedactor;
import dev.ddlguard.sql.StatementSplitter;
import dev.ddlguard.sql.StatementText;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.Verb;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Judges a SQL string: splits it, classifies each statement, runs the rules of the target dialect
 * and applies the policy. Pure apart from the catalog look-up it is handed, immutable and
 * thread-safe; each guarded connection holds one (its policy and dialects are the connection's).
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
        return judge(sql, context, Lexing.of(target.syntax()), Lexing.ALL);
    }

    /**
     * The judgement of {@code sql} as the server reads it: under {@code known} when every session
     * setting that could change the reading of this text is known, else under each plausible
     * reading, keeping the strictest verdict for each statement any reading finds. Null when no
     * reading finds DDL.
     *
     * @param known the session's lexing as far as the guard knows it
     * @param uncertain the {@link Lexing} settings it does not know for sure
     */
    public Judgement judge(String sql, Context context, Lexing known, int uncertain) {
        int relevant = Lexing.relevant(sql, target.syntax(), uncertain);
        if (relevant != 0) {
            List<Lexing> readings = known.variants(relevant);
            List<List<Reading>> all = new ArrayList<>(readings.size());
            for (Lexing lexing : readings) {
                all.add(read(sql, lexing));
            }
            for (List<Reading> other : all) {
                if (!sameDdl(all.get(0), other)) {
                    return judgeAmbiguous(sql, context, readings, all);
                }
            }
        }
        return judgeUnder(sql, context, known);
    }

    /** One statement as one reading of the text sees it: its DDL, or the classifier's failure on it. */
    private record Reading(StatementText text, DdlStatement ddl, Throwable failure) {
    }

    /** The statements of one reading that are DDL (or that the classifier failed on). */
    private static List<Reading> read(String sql, Lexing lexing) {
        List<Reading> ddl = new ArrayList<>();
        for (StatementText piece : StatementSplitter.splitUnder(sql, lexing)) {
            StatementText text = piece;
            try {
                DdlStatement statement = DdlClassifier.classify(piece, lexing.syntax());
                if (statement == null) {
                    text = CompoundStatements.inner(piece, lexing.syntax());
                    statement = text == piece ? null : DdlClassifier.classify(text, lexing.syntax());
                }
                if (statement != null) {
                    ddl.add(new Reading(text, statement, null));
                }
            } catch (RuntimeException | StackOverflowError e) {
                ddl.add(new Reading(text, null, e));
            }
        }
        return ddl;
    }

    /** Whether two readings find the same DDL statements made of the same code tokens. */
    private static boolean sameDdl(List<Reading> a, List<Reading> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!sameCode(a.get(i).text(), b.get(i).text())) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameCode(StatementText a, StatementText b) {
        if (a.start() != b.start() || a.end() != b.end()) {
            return false;
        }
        List<Token> ta = a.tokens().stream().filter(t -> !t.isComment()).toList();
        List<Token> tb = b.tokens().stream().filter(t -> !t.isComment()).toList();
        return ta.equals(tb);
    }

    /**
     * The readings disagree (a backslash that may or may not escape, a versioned comment the server
     * may skip, ...): every DDL statement any reading finds is judged, one record per start of its
     * code, and the strictest verdict of the readings wins. No rewrite is sent, since its place in
     * the text depends on the reading.
     */
    private Judgement judgeAmbiguous(String sql, Context context, List<Lexing> lexings, List<List<Reading>> all) {
        TreeMap<Integer, JudgedStatement> byStart = new TreeMap<>();
        for (int r = 0; r < all.size(); r++) {
            for (Reading reading : all.get(r)) {
                JudgedStatement judged = reading.failure() != null ? guardFailure(reading.text(), reading.failure())
                        : judgeOne(reading.ddl(), context, new ArrayList<>(), true).judged;
                // keyed by where the code starts: a leading comment one reading sees and another does not
                // (a versioned opener) must not make one statement two
                byStart.merge(reading.text().codeStart(), judged,
                        (kept, other) -> rank(other.enforceDecision()) > rank(kept.enforceDecision()) ? other : kept);
            }
        }
        String why = "the server's reading of this text depends on session settings the guard does not know ("
                + lexings.size() + " readings: " + describe(lexings) + "); judged under each, the strictest verdict kept";
        List<JudgedStatement> judged = new ArrayList<>();
        for (JudgedStatement s : byStart.values()) {
            judged.add(new JudgedStatement(s.sql(), s.summary(), s.verdicts(), s.decision(), s.enforceDecision(),
                    s.rewrittenSql(), false, s.lock(), null, join(s.note(), why), s.executed()));
        }
        boolean blocked = judged.stream().anyMatch(JudgedStatement::blocked);
        return new Judgement(judged, blocked ? null : sql, List.of(), List.of(),
                SecretRedactor.redact(sql, target.syntax()), false);
    }

    private static int rank(Decision d) {
        return switch (d) {
            case BLOCKED -> 3;
            case WARNED -> 2;
            case REWRITTEN -> 1;
            default -> 0;
        };
    }

    /** The settings the readings differ in, e.g. "backslash escapes on/off". */
    private static String describe(List<Lexing> lexings) {
        Lexing first = lexings.get(0);
        List<String> parts = new ArrayList<>();
        for (Lexing l : lexings) {
            if (l.backslashEscapes() != first.backslashEscapes() && !parts.contains("backslash escapes")) {
                parts.add("backslash escapes");
            }
            if (l.ansiQuotes() != first.ansiQuotes() && !parts.contains("ANSI_QUOTES")) {
                parts.add("ANSI_QUOTES");
            }
            if (l.multibyteSwallow() != first.multibyteSwallow() && !parts.contains("multibyte character set")) {
                parts.add("multibyte character set");
            }
            if (l.versionedRun() != first.versionedRun() && !parts.contains("versioned comments run or not")) {
                parts.add("versioned comments run or not");
            }
            if (l.bracketNames() != first.bracketNames() && !parts.contains("[bracket] names")) {
                parts.add("[bracket] names");
            }
        }
        return String.join(", ", parts);
    }

    private Judgement judgeUnder(String sql, Context context, Lexing lexing) {
        List<StatementText> statements = StatementSplitter.splitUnder(sql, lexing);
        List<JudgedStatement> judged = new ArrayList<>(statements.size());
        List<Rewrite.TextEdit> edits = new ArrayList<>();
        List<String> followUps = new ArrayList<>();
        List<String> undo = new ArrayList<>();
        boolean concurrently = false;
        List<QualifiedName> createdHere = new ArrayList<>();
        for (StatementText piece : statements) {
            StatementText text = piece;
            DdlStatement ddl;
            Outcome outcome;
            try {
                ddl = DdlClassifier.classify(piece, target.syntax());
                if (ddl == null) {
                    // MariaDB: a compound statement's control words hide the statement inside
                    text = CompoundStatements.inner(piece, lexing.syntax());
                    ddl = text == piece ? null : DdlClassifier.classify(text, target.syntax());
                }
                if (ddl == null) {
                    continue;
                }
                outcome = judgeOne(ddl, context, createdHere, false);
            } catch (RuntimeException | StackOverflowError e) {
                // Fail closed: whatever broke (the classifier, a rule, the lock model), the statement was not judged.
                judged.add(guardFailure(text, e));
                continue;
            }
            judged.add(outcome.judged);
            remember(ddl, context.catalog(), createdHere);
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
        return new Judgement(judged, toSend, followUps, undo, SecretRedactor.redact(sql, statements), concurrently);
    }

    private record Outcome(JudgedStatement judged, Rewrite rewrite, boolean concurrently) {
    }

    /**
     * A table a statement of this string creates is new for the statements after it: PostgreSQL runs a
     * multi-statement string as one transaction, and on MySQL/MariaDB it is a table of this run. CREATE
     * TABLE IF NOT EXISTS counts only when the table is known not to exist yet.
     */
    private static void remember(DdlStatement ddl, Catalog catalog, List<QualifiedName> createdHere) {
        if (ddl.is(Verb.CREATE, "TABLE") && ddl.table() != null && !ddl.has(Flag.TEMPORARY)
                && (!ddl.has(Flag.IF_NOT_EXISTS) || Boolean.FALSE.equals(catalog.exists("TABLE", ddl.table())))) {
            createdHere.add(ddl.table());
        }
    }

    private static boolean createdEarlier(DdlStatement ddl, List<QualifiedName> createdHere) {
        QualifiedName table = ddl.table();
        return table != null && createdHere.stream().anyMatch(t -> sameName(t, table));
    }

    private static boolean sameName(QualifiedName a, QualifiedName b) {
        if (!a.name().sameAs(b.name())) {
            return false;
        }
        return a.schema() == null || b.schema() == null || a.schema().sameAs(b.schema());
    }

    private static Finding advise(Finding found, DdlStatement ddl, RuleContext context) {
        try {
            return found.rule().advised(found, ddl, context);
        } catch (RuntimeException | StackOverflowError e) {
            throw new RuleFailure(found.rule().id(), e);   // as a failing matcher: fails closed
        }
    }

    /** @param noRewrite the statement's place in the text is uncertain: a rewrite cannot be sent, so it blocks */
    private Outcome judgeOne(DdlStatement written, Context context, List<QualifiedName> createdHere, boolean noRewrite) {
        DdlStatement ddl = withIndexTable(written, context.catalog());
        int version = context.serverVersion() != 0 ? context.serverVersion() : target.defaultServerVersion();
        Map<String, String> allowed = InlineDirectives.allowed(ddl.text());
        TableSize size = sizeOf(ddl, context, createdHere);
        LockImpact lock = target.lockImpact(ddl, context.catalog()).withSize(size.rows(), size.bytes(), policy.throughputBytesPerSecond());
        RuleContext ruleContext = new RuleContext(context.autocommit(), version, context.catalog(), lock);

        List<RuleVerdict> verdicts = new ArrayList<>(2);
        Action strongest = Action.ALLOW;
        Rewrite rewrite = null;
        String note = null;
        Exemption exemption = null;   // asked only when a rule would act: most statements need no catalog question for it
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
        BooleanSupplier newTable = () -> !context.autocommit() && ddl.table() != null
                && (createdEarlier(ddl, createdHere) || context.catalog().createdInThisTransaction(ddl.table()));
        Finding catchAll = BlockingLockRule.check(ddl, lock, findings, target.name(), newTable);
        if (catchAll != null) {
            findings.add(catchAll);
        }
        for (Finding found : findings) {
            Finding finding = found;
            Rule rule = found.rule();
            String message = finding.detail() + ": " + rule.reason() + ". Instead: " + rule.safeAlternative();
            Action action = policy.actionFor(rule.id(), rule.defaultAction());
            String reason = allowed.get(rule.id());
            if (reason != null && !reason.isEmpty()) {
                action = Action.ALLOW;
                message = "allowed by comment: " + reason + " (" + finding.detail() + ")";
            } else if (reason != null) {
                message += " (the ddlguard:allow comment was ignored: it needs a reason)";
            }
            // Before the rewrite: an exempted statement runs as written.
            if (action != Action.ALLOW) {
                if (exemption == null) {
                    exemption = Exemption.of(ddl, context.autocommit(), createdEarlier(ddl, createdHere), size, context.catalog());
                }
                String why = exemption.reasonFor(rule);
                if (why != null) {
                    action = Action.ALLOW;
                    message += " (allowed: " + why + ")";
                }
            }
            if (action != Action.ALLOW) {
                finding = advise(found, ddl, ruleContext);   // safe SQL and rewrite: only for a finding that acts
            }
            if (action == Action.REWRITE) {
                Rewrite candidate = finding.rewrite();
                if (candidate == null) {
                    action = Action.BLOCK;
                    message += " (no safe rewrite exists for this form, so it is blocked)";
                } else if (noRewrite) {
                    action = Action.BLOCK;
                    message += " (the rewrite cannot be placed: the server's reading of this text is ambiguous, so it is blocked)";
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
        String belowBaseline = enforceDecision == Decision.BLOCKED ? belowBaseline(context.catalog()) : null;
        boolean audit = policy.mode() == Mode.AUDIT || belowBaseline != null;
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
        if (belowBaseline != null) {
            note = join(note, belowBaseline);
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

    /**
     * Why a statement that would be blocked runs as written under {@code ddlguard.baseline}, or null. The
     * running script's version is not visible to a JDBC driver; Flyway records each script in its history
     * table after it ran and applies them in version order, so while no applied version reaches the
     * baseline, the script now running is at most the baseline's own (when the baseline names an existing
     * script, and out-of-order migrations are off).
     */
    private String belowBaseline(Catalog catalog) {
        if (policy.baseline().isEmpty()) {
            return null;
        }
        MigrationVersion baseline = policy.baseline().get();
        String latest = catalog.latestMigrationVersion();
        if (latest == null) {
            return null;   // no history readable: enforced (the catalog note says why)
        }
        if (latest.isEmpty() || MigrationVersion.parse(latest).compareTo(baseline) < 0) {
            return "not enforced: at or below ddlguard.baseline " + baseline + " (Flyway's latest applied version: "
                    + (latest.isEmpty() ? "none" : latest) + "), so audited and run as written";
        }
        return null;
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

    /**
     * The size of the statement's table. Not asked for a table this run created (earlier in the string, or
     * through the guard in this process): every size-bound rule is exempt for it anyway ({@link Exemption}),
     * so the answer could change no verdict, only the record's estimate.
     */
    private static TableSize sizeOf(DdlStatement ddl, Context context, List<QualifiedName> createdHere) {
        QualifiedName table = ddl.table();
        if (table == null || (ddl.verb() == Verb.CREATE && "TABLE".equals(ddl.objectType()))) {
            return TableSize.UNKNOWN;   // a new table has no size yet
        }
        if (createdEarlier(ddl, createdHere) || context.catalog().createdInThisRun(table)) {
            return TableSize.UNKNOWN;
        }
        return context.catalog().tableSize(table);
    }

    private boolean isSmall(LockImpact lock) {
        return policy.smallTableBytes() > 0 && lock.bytes() != null && lock.bytes() < policy.smallTableBytes();
    }

    /** A rule threw instead of answering: the statement is judged as a failure of the guard, naming the rule. */
    private static final class RuleFailure extends RuntimeException {
        RuleFailure(String rule, Throwable cause) {
            super("rule " + rule + " failed: " + cause, cause, false, false);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }

    /**
     * The judgement when the guard itself failed on the string: blocked in enforce mode whatever the
     * unanalyzable setting (the guard cannot vouch for a statement it did not finish reading), recorded in
     * audit mode; the record and the XDG01 message name the failure.
     */
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

    /**
     * When the guard fails on a statement (an exception or a StackOverflowError in the classifier, a rule or
     * the lock model), it blocks in enforce mode, whatever ddlguard.rule.unanalyzable says: that setting is
     * for statements the guard read and found opaque, not for its own failures (issue 13). An inline
     * allow comment does not apply either, since the comment was never reliably read.
     */
    private JudgedStatement guardFailure(StatementText text, Throwable e) {
        // the stack trace goes to the log (not the audit record): it is what a bug report needs
        org.slf4j.LoggerFactory.getLogger("dev.ddlguard").warn("ddlguard: the guard failed while judging a statement", e);
        Action action = Action.BLOCK;
        String message = "the guard failed while judging this statement (" + e + "), so it blocks it rather than "
                + "let it run unjudged: " + CoreRules.UNANALYZABLE_RULE.reason() + ". Instead: "
                + CoreRules.UNANALYZABLE_RULE.safeAlternative();
        Decision decision = Decision.BLOCKED;
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
