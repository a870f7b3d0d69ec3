package dev.ddlguard.engine;

import dev.ddlguard.dialect.Dialect;
import dev.ddlguard.policy.Action;
import dev.ddlguard.policy.Mode;
import dev.ddlguard.policy.Policy;
import dev.ddlguard.rules.Catalog;
import dev.ddlguard.rules.Catalog.TableSize;
import dev.ddlguard.rules.CoreRules;
import dev.ddlguard.rules.Rewrite;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.rules.RuleVerdict;
import dev.ddlguard.rules.UnanalyzableRule;
import dev.ddlguard.sql.CompoundStatements;
import dev.ddlguard.sql.DdlClassifier;
import dev.ddlguard.sql.DdlPreFilter;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Lexing;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SecretRedactor;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.StatementSplitter;
import dev.ddlguard.sql.StatementText;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.TokenKind;
import dev.ddlguard.sql.Verb;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

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
    /**
     * The rules that may match a statement of each verb ({@link Rule#mayMatch}), in {@link #rules}' order, filled
     * in on first use: a CREATE TABLE is not run through the rules of DROP, ALTER, ... Only a cache: any thread may
     * fill a slot, all with the same list.
     */
    private final AtomicReferenceArray<List<Rule>> byVerb = new AtomicReferenceArray<>(Verb.values().length);
    /** False only in {@link #everyRule()}'s judge: every rule runs on every statement. */
    private final boolean dispatch;

    public StatementJudge(Policy policy, Dialect target, Dialect connected) {
        this(policy, target, connected.name(), true);
    }

    private StatementJudge(Policy policy, Dialect target, String connectedName, boolean dispatch) {
        this.policy = policy;
        this.target = target;
        this.connectedName = connectedName;
        this.dispatch = dispatch;
        List<Rule> all = new ArrayList<>(CoreRules.ALL);
        all.addAll(target.rules());
        this.rules = List.copyOf(all);
    }

    /** The same judge running every rule on every statement, without {@link #rulesFor}: what the dispatch must equal. */
    StatementJudge everyRule() {
        return new StatementJudge(policy, target, connectedName, false);
    }

    /** The rules to run on the statement: every rule that may match its verb, in the order they are reported. */
    List<Rule> rulesFor(DdlStatement ddl) {
        if (!dispatch) {
            return rules;
        }
        List<Rule> forVerb = byVerb.get(ddl.verb().ordinal());
        if (forVerb == null) {
            List<Rule> may = new ArrayList<>(rules.size());
            for (Rule rule : rules) {
                if (rule.mayMatch(ddl.verb())) {
                    may.add(rule);
                }
            }
            forVerb = List.copyOf(may);
            byVerb.set(ddl.verb().ordinal(), forVerb);
        }
        return forVerb;
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

    /** The name of the dialect connected to (a rewrite is only sent when it is the target). */
    String connectedName() {
        return connectedName;
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
        if (target.syntax() == SqlSyntax.MYSQL
                && DdlPreFilter.parameterReadTwoWays(
                        sql, known.ansiQuotes() || (uncertain & Lexing.ANSI_QUOTES) != 0)) {
            // a client-side prepared statement puts the value there as text, where the server may read it as code
            return unanalyzable(
                    sql,
                    "a ? the connector and the server read differently (a versioned comment, /*/, \\\" under"
                            + " ANSI_QUOTES): the server may read its value as code");
        }
        int relevant = Lexing.relevant(sql, target.syntax(), uncertain);
        if (relevant != 0) {
            List<Lexing> readings = known.variants(relevant);
            List<List<Readings.Reading>> all = new ArrayList<>(readings.size());
            for (Lexing lexing : readings) {
                all.add(Readings.read(sql, lexing));
            }
            if (!Readings.agree(all)) {
                return judgeAmbiguous(sql, context, readings, all);
            }
        }
        return judgeUnder(sql, context, known);
    }

    /**
     * The readings disagree (a backslash that may or may not escape, a versioned comment the server
     * may skip, ...): every DDL statement any reading finds is judged, one record per start of its
     * code, and the strictest verdict of the readings wins. No rewrite is sent, since its place in
     * the text depends on the reading.
     */
    private Judgement judgeAmbiguous(
            String sql, Context context, List<Lexing> lexings, List<List<Readings.Reading>> all) {
        TreeMap<Integer, JudgedStatement> byStart = new TreeMap<>();
        for (int r = 0; r < all.size(); r++) {
            for (Readings.Reading reading : all.get(r)) {
                JudgedStatement judged = reading.failure() != null
                        ? guardFailure(reading.text(), reading.failure())
                        : new StatementJudging(this, reading.ddl(), context, new ArrayList<>(), true, false)
                                .judge(rulesFor(reading.ddl()))
                                .judged();
                // keyed by where its first word starts: a leading comment or parenthesis one reading sees and
                // another does not (a versioned opener, and the text up to the first */ inside it) must not make
                // one statement two
                byStart.merge(
                        firstWord(reading.text()),
                        judged,
                        (kept, other) -> rank(other.enforceDecision()) > rank(kept.enforceDecision()) ? other : kept);
            }
        }
        String why = "the server's reading of this text depends on session settings the guard does not know ("
                + lexings.size() + " readings: " + Readings.describe(lexings)
                + "); judged under each, the strictest verdict kept";
        List<JudgedStatement> judged = new ArrayList<>();
        for (JudgedStatement s : byStart.values()) {
            judged.add(new JudgedStatement(
                    s.sql(),
                    s.summary(),
                    s.verdicts(),
                    s.decision(),
                    s.enforceDecision(),
                    s.rewrittenSql(),
                    false,
                    s.lock(),
                    null,
                    join(s.note(), why),
                    s.executed()));
        }
        boolean blocked = anyBlocked(judged);
        return new Judgement(
                judged, blocked ? null : sql, List.of(), List.of(), SecretRedactor.redact(sql, target.syntax()), false);
    }

    /** Where the statement's first word (its verb) starts: past comments and opening parentheses. */
    private static int firstWord(StatementText text) {
        for (Token t : text.tokens()) {
            if (!t.isComment() && t.kind() != TokenKind.LEFT_PAREN) {
                return t.start();
            }
        }
        return text.codeStart();
    }

    private static int rank(Decision d) {
        return switch (d) {
            case BLOCKED -> 3;
            case WARNED -> 2;
            case REWRITTEN -> 1;
            default -> 0;
        };
    }

    private Judgement judgeUnder(String sql, Context context, Lexing lexing) {
        List<StatementText> statements = StatementSplitter.splitUnder(sql, lexing);
        List<JudgedStatement> judged = new ArrayList<>(statements.size());
        List<Rewrite.TextEdit> edits = new ArrayList<>();
        List<String> followUps = new ArrayList<>();
        List<String> undo = new ArrayList<>();
        boolean concurrently = false;
        List<QualifiedName> createdHere = new ArrayList<>();
        ChangedRelations changed = new ChangedRelations(context.catalog()); // altered earlier in the string
        AddedConstraints added = new AddedConstraints(changed); // NOT VALID earlier in the string
        Context judgedIn = new Context(context.autocommit(), context.serverVersion(), added);
        boolean namesMoved = false;
        for (StatementText piece : statements) {
            StatementText text = piece;
            DdlStatement ddl;
            StatementJudging.Outcome outcome;
            boolean movesNames;
            try {
                ddl = DdlClassifier.classify(piece, target.syntax());
                if (ddl == null) {
                    // MariaDB: a compound statement's control words hide the statement inside
                    text = CompoundStatements.inner(piece, lexing.syntax());
                    ddl = text == piece ? null : DdlClassifier.classify(text, target.syntax());
                }
                if (ddl == null) {
                    if (SchemaMoves.mayMove(piece, null, target.syntax())) {
                        judgedIn = SchemaMoves.moved(judgedIn, createdHere);
                        namesMoved = true;
                    }
                    judgedIn =
                            SessionSets.withSettings(judgedIn, SessionSets.of(text, target.syntax())); // for the rest
                    continue;
                }
                ddl = DoBlocks.judgedBody(this, ddl, judgedIn); // a DO block of static statements: read them
                Context own = SessionSets.withSettings(judgedIn, SessionSets.ofStatement(text, target.syntax()));
                DdlStatement read = ddl;
                ddl = NoOpActions.without(ddl, own.catalog()); // ADD COLUMN IF NOT EXISTS of a column it has …
                outcome = new StatementJudging(this, ddl, own, createdHere, false, piece == statements.get(0))
                        .judge(rulesFor(ddl));
                String note =
                        join(namesMoved ? SchemaMoves.NOTE : null, ddl != read ? NoOpActions.note(ddl, read) : null);
                if (note != null) {
                    outcome = new StatementJudging.Outcome(
                            outcome.judged().noted(note), outcome.rewrite(), outcome.concurrently());
                }
                if (ddl.verb() == Verb.DO || ddl.verb() == Verb.CALL || ddl.verb() == Verb.EXECUTE) {
                    judgedIn = SessionSets.withSettings(judgedIn, SessionSets.of(text, target.syntax())); // any unseen
                }
                StringTables.remember(ddl, judgedIn.catalog(), createdHere);
                added.remember(ddl);
                changed.remember(ddl);
                movesNames = SchemaMoves.mayMove(piece, ddl, target.syntax());
            } catch (RuntimeException | StackOverflowError e) {
                // Fail closed: whatever broke (the classifier, a rule, the lock model), the statement was not judged;
                // nor is it known not to move names
                judged.add(guardFailure(text, e));
                judgedIn = SchemaMoves.moved(judgedIn, createdHere);
                namesMoved = true;
                continue;
            }
            judged.add(outcome.judged());
            if (movesNames) {
                judgedIn = SchemaMoves.moved(judgedIn, createdHere);
                namesMoved = true;
            }
            if (outcome.rewrite() != null) {
                edits.addAll(outcome.rewrite().edits());
                followUps.addAll(outcome.rewrite().followUps());
                undo.addAll(outcome.rewrite().undo());
            }
            concurrently |= outcome.concurrently();
        }
        if (judged.isEmpty()) {
            return null;
        }
        boolean blocked = anyBlocked(judged);
        String toSend = blocked ? null : edits.isEmpty() ? sql : new Rewrite(edits, List.of(), null).apply(whole(sql));
        return new Judgement(judged, toSend, followUps, undo, SecretRedactor.redact(sql, statements), concurrently);
    }

    private static boolean anyBlocked(List<JudgedStatement> judged) {
        for (JudgedStatement s : judged) {
            if (s.blocked()) {
                return true;
            }
        }
        return false;
    }

    static String join(String a, String b) {
        return a == null ? b : b == null ? a : a + "; " + b;
    }

    /**
     * A string whose text is not what will be sent, for a reason outside it (lint: a placeholder the migration tool
     * replaces with a value set outside the files): unanalyzable's verdict, under the policy's action for it.
     */
    public Judgement unanalyzable(String sql, String why) {
        return UnreadableText.judgement(policy, target.syntax(), sql, why);
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
        JudgedStatement redacted = new JudgedStatement(
                secrets.text(),
                failure.summary(),
                failure.verdicts(),
                failure.decision(),
                failure.enforceDecision(),
                null,
                false,
                null,
                null,
                failure.note(),
                null);
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
        LoggerFactory.getLogger("dev.ddlguard").warn("ddlguard: the guard failed while judging a statement", e);
        Action action = Action.BLOCK;
        String message = "the guard failed while judging this statement (" + e + "), so it blocks it rather than "
                + "let it run unjudged: " + UnanalyzableRule.RULE.reason() + ". Instead: "
                + UnanalyzableRule.RULE.safeAlternative();
        Decision decision = Decision.BLOCKED;
        String sql;
        try {
            sql = SecretRedactor.redact(text).text();
        } catch (RuntimeException | StackOverflowError again) {
            sql = "<not logged: the guard could not read it>";
        }
        return new JudgedStatement(
                sql,
                "statement",
                List.of(new RuleVerdict(UnanalyzableRule.ID, action, message, null)),
                policy.mode() == Mode.AUDIT ? Decision.AUDITED : decision,
                decision,
                null,
                false,
                null,
                null,
                "guard error: " + e,
                null);
    }

    private static StatementText whole(String sql) {
        return new StatementText(sql, 0, sql.length(), 1, 1, List.of());
    }
}
