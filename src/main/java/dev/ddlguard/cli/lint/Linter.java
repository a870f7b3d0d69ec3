package dev.ddlguard.cli.lint;

import dev.ddlguard.dialect.Dialect;
import dev.ddlguard.dialect.Dialects;
import dev.ddlguard.engine.JudgedStatement;
import dev.ddlguard.engine.Judgement;
import dev.ddlguard.engine.StatementJudge;
import dev.ddlguard.policy.MigrationVersion;
import dev.ddlguard.policy.Mode;
import dev.ddlguard.policy.Policy;
import dev.ddlguard.policy.Target;
import dev.ddlguard.rules.Catalog;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.StatementSplitter;
import dev.ddlguard.sql.StatementText;
import dev.ddlguard.sql.Token;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Judges migration files without a database (or, in a preflight, against a live one it only reads),
 * statement by statement, in the context each file gives (the tool's transaction, the script's own
 * BEGIN/COMMIT, a lock timeout set earlier), and reports what enforce mode would do to each DDL statement.
 */
public final class Linter {

    static final String NO_DATABASE = "no database: lock impact has no size";

    private final Target target;
    private final ServerVersion version;
    private final Dialect dialect;
    private final Policy policy;
    private final StatementJudge judge;
    private final List<LintFinding> findings = new ArrayList<>();
    private final List<InputError> errors = new ArrayList<>();
    private final LintCatalog catalog;
    /** The live database of a preflight, or null. */
    private final LiveDatabase live;
    /** The catalog the judge asks: the folder's own, or in a preflight the live one with the folder's changes on top. */
    private final Catalog judged;
    /**
     * In a preflight, the highest version Flyway's history table (flyway_schema_history) records as applied, or
     * null when there is none: a versioned migration at or below it is not pending, so it gets no figures.
     */
    private final MigrationVersion appliedUpTo;
    /** Whether the file being linted is a Flyway migration the live database's history says is not pending. */
    private boolean notPending;

    private int transactions;
    private boolean transactionOpen;
    private int files;
    private int statements;

    private Linter(LintOptions options, LiveDatabase live) {
        this.live = live;
        this.target = live != null ? live.target() : options.effectiveTarget();
        this.version = live != null ? live.version() : options.effectiveVersion();
        this.dialect = live != null ? live.dialect() : Dialects.offline(target, version.number());
        Policy p = options.policy();
        // Lint reports what enforce would do, so audit or off in the config must not hide the rewrite's lock.
        Policy enforce = new Policy(
                Mode.ENFORCE,
                target,
                p.ruleActions(),
                p.lockTimeout(),
                p.lockTimeoutRetries(),
                p.concurrentLockTimeout(),
                p.smallTableBytes(),
                p.throughputBytesPerSecond(),
                p.statementTimeout(),
                Optional.empty());
        this.policy = enforce;
        this.judge = new StatementJudge(enforce, dialect, dialect);
        this.catalog = new LintCatalog(mysql(), version.number());
        this.judged = live == null ? catalog : new PreflightCatalog(catalog, live.catalog());
        // Asked only when the table is there: a query on a missing table is an error some JDBC drivers log.
        String applied = live == null
                        || !Boolean.TRUE.equals(
                                live.catalog().relationExists(QualifiedName.of("flyway_schema_history")))
                ? null
                : live.catalog().latestMigrationVersion();
        this.appliedUpTo = applied == null || applied.isEmpty() ? null : MigrationVersion.parseOrNull(applied);
    }

    /**
     * Lints files and folders (recursively: {@code .sql} files and Liquibase changelogs, in the tools' order). Never
     * throws on bad input: unreadable paths become {@link LintResult#errors()}.
     */
    public static LintResult lint(List<Path> paths, LintOptions options) {
        return lint(paths, options, null);
    }

    /**
     * Lints against a live database (a preflight): its target and version are the server's, its catalog answers
     * what the folder does not, and each statement's finding carries its {@link Preflight} figures. The database
     * is only read (see {@link LiveDatabase}); null lints without one.
     */
    public static LintResult lint(List<Path> paths, LintOptions options, LiveDatabase live) {
        Linter linter = new Linter(options, live);
        SqlFiles.Collected collected = SqlFiles.collect(paths);
        linter.errors.addAll(collected.errors());
        Map<Path, ChangelogRun> changelogs = linter.changelogs(collected.files());
        Set<Path> reached = new HashSet<>();
        changelogs.values().forEach(run -> reached.addAll(run.files()));
        for (Path file : collected.files()) {
            Path key = file.toAbsolutePath().normalize();
            try {
                ChangelogRun run = changelogs.get(key);
                if (run != null) {
                    linter.lintChangelog(run);
                } else if (!reached.contains(key)) {
                    linter.lintFile(
                            file); // a file a changelog includes is judged there, in Liquibase's order, not twice
                }
            } catch (RuntimeException | StackOverflowError e) {
                // A bug of ddlguard's must not pass the file as clean, nor hide the other files' findings.
                linter.errors.add(new InputError(file.toString(), "ddlguard failed on this file: " + e));
            }
        }
        if (collected.files().isEmpty() && collected.errors().isEmpty()) {
            linter.errors.add(new InputError(
                    String.join(" ", paths.stream().map(Path::toString).toList()),
                    "no .sql file or Liquibase changelog to lint"));
        }
        return new LintResult(
                linter.findings,
                linter.errors,
                linter.files,
                linter.statements,
                linter.target,
                linter.version,
                linter.policy,
                live == null ? null : live.describe());
    }

    /**
     * The root changelogs among the files, each turned into SQL by Liquibase: shallower files first (a master
     * changelog sits above the files it includes), and a file an earlier root reached is not a root itself.
     */
    private Map<Path, ChangelogRun> changelogs(List<Path> files) {
        List<Path> candidates = files.stream()
                .filter(ChangelogFiles::isChangelog)
                .sorted(Comparator.comparingInt(
                                (Path p) -> p.toAbsolutePath().normalize().getNameCount())
                        .thenComparing(SqlFiles.NATURAL))
                .toList();
        Map<Path, ChangelogRun> roots = new HashMap<>();
        Set<Path> reached = new HashSet<>();
        for (Path candidate : candidates) {
            Path key = candidate.toAbsolutePath().normalize();
            if (reached.contains(key)) {
                continue;
            }
            ChangelogRun run = Changelogs.generate(candidate, target, version);
            roots.put(key, run);
            reached.addAll(run.files());
        }
        return roots;
    }

    /**
     * A root changelog, changeset by changeset: each in its own transaction unless {@code runInTransaction="false"}, as
     * Liquibase runs them, on one connection (a lock timeout set in one changeset holds for the next). Each file is a
     * run of its own for the catalog ({@link LintCatalog}): a table an included file created earlier is an earlier
     * deploy's, one created earlier in the same file is new.
     */
    private void lintChangelog(ChangelogRun run) {
        errors.addAll(run.errors());
        files += run.files().size();
        notPending = false; // which changesets DATABASECHANGELOG lists as run is not read: all are judged as pending
        SessionState session = new SessionState(mysql());
        Path current = null;
        for (ChangesetUnit unit : run.units()) {
            if (!unit.file().equals(current)) {
                catalog.startFile();
                current = unit.file();
            }
            session.startUnit(unit.inTransaction());
            transactionOpen = false; // a new changeset: a transaction of its own
            for (ChangesetUnit.Generated g : unit.statements()) {
                statements++;
                boolean ddl = judgeOne(unit.file(), g.line(), g.sql(), unit.changeset(), session);
                for (StatementText part : StatementSplitter.split(g.sql(), dialect.syntax())) {
                    session.after(part, ddl);
                }
            }
        }
    }

    private boolean mysql() {
        return target == Target.MYSQL || target == Target.MARIADB;
    }

    private void lintFile(Path file) {
        String text;
        List<Segment> segments;
        try {
            text = SqlText.read(file);
            segments = ScriptLayout.segments(file, text, target);
        } catch (IOException e) {
            errors.add(new InputError(file.toString(), SqlText.describe(e)));
            return;
        }
        files++;
        catalog.startFile();
        MigrationVersion fileVersion = MigrationOrder.flywayVersion(file);
        notPending = appliedUpTo != null && fileVersion != null && fileVersion.compareTo(appliedUpTo) <= 0;
        SessionState session = new SessionState(mysql());
        for (Segment segment : segments) {
            String sql = mysql() ? MySqlDelimiters.neutralize(segment.text()) : PsqlScript.neutralize(segment.text());
            List<StatementText> parts = StatementSplitter.split(sql, dialect.syntax());
            boolean flywayOutside = segment.flywayDetects() && !mysql() && FlywayDetection.anyNonTransactional(parts);
            boolean implicitTransaction = segment.oneQueryString()
                    && parts.stream()
                                    .filter(p -> p.tokens().stream().anyMatch(t -> !t.isComment()))
                                    .count()
                            > 1;
            session.startUnit((segment.inTransaction() || implicitTransaction) && !flywayOutside);
            transactionOpen = false; // a new unit of the tool: a transaction of its own
            for (StatementText part : parts) {
                statements++;
                boolean ddl = judgeOne(
                        file, segment.firstLine() - 1 + firstCodeLine(part), part.text(), segment.changeset(), session);
                session.after(part, ddl);
            }
        }
    }

    /**
     * Not DDL as written, but a placeholder in its code stands for what the tool sends ({@code ${cleanup};}, {@code
     * ${verb} TABLE users}: Flyway replaces it with a value set outside the files; the driver judges what arrives, lint
     * cannot): unanalyzable, under the policy (an outside tester's find: such statements had no finding at all).
     */
    private Judgement placeholderStatement(String sql) {
        for (StatementText part : StatementSplitter.split(sql, dialect.syntax())) {
            String placeholder = FlywayPlaceholders.leftInCode(part);
            if (placeholder != null) {
                return judge.unanalyzable(
                        sql,
                        "its code holds the placeholder " + placeholder
                                + ", whose value is set outside the files: what the migration tool sends is not known");
            }
        }
        return null;
    }

    /** Judges one string as the driver would when it is sent, in the session's state; whether it was DDL. */
    private boolean judgeOne(Path file, int line, String text, String changeset, SessionState session) {
        String sql = FlywayPlaceholders.substitute(text);
        boolean inTransaction = session.inTransaction();
        if (inTransaction && !transactionOpen) {
            transactions++;
        }
        transactionOpen = inTransaction;
        catalog.runningIn(inTransaction ? transactions : LintCatalog.NO_TRANSACTION);
        catalog.isolation(session.isolation());
        catalog.timeZone(session.timeZone());
        catalog.schema(session.schema());
        if (live != null) {
            live.catalog().startJudging(); // one savepoint and one answer per question while this statement is judged
        }
        try {
            Judgement judgement;
            try {
                judgement = judge.judge(sql, new StatementJudge.Context(!inTransaction, version.number(), judged));
            } catch (RuntimeException | StackOverflowError e) {
                judgement = judge.failed(sql, e); // the unanalyzable policy decides, as at run time
            }
            if (judgement == null) {
                judgement = placeholderStatement(sql);
                if (judgement == null) {
                    return false;
                }
            }
            for (JudgedStatement s : judgement.statements()) {
                // Before the folder records the statement: the figures are those the statement meets.
                Preflight preflight = live == null || notPending
                        ? null
                        : Preflight.of(
                                s,
                                (PreflightCatalog) judged,
                                dialect,
                                policy.throughputBytesPerSecond(),
                                mysql(),
                                appliedUpTo != null);
                catalog.record(s.executed(), s.rewrittenSql());
                String note = !notPending
                        ? note(s)
                        : join(
                                note(s),
                                "not pending: flyway_schema_history is at version " + appliedUpTo
                                        + ", so Flyway will not run this migration (no preflight figures)");
                findings.add(new LintFinding(
                        file.toString(),
                        line,
                        s.sql(),
                        s.enforceDecision(),
                        s.verdicts(),
                        s.rewrittenSql(),
                        s.lock(),
                        s.executedLock(),
                        inTransaction,
                        session.lockTimeoutSet(),
                        note,
                        preflight,
                        changeset));
            }
            return true;
        } finally {
            if (live != null) {
                live.catalog().endJudging();
            }
        }
    }

    /** The line of the statement itself, not of a comment above it that the splitter attached to it. */
    private static int firstCodeLine(StatementText part) {
        for (Token t : part.tokens()) {
            if (!t.isComment()) {
                return t.line();
            }
        }
        return part.line();
    }

    private static String join(String a, String b) {
        return a == null ? b : a + "; " + b;
    }

    private String note(JudgedStatement s) {
        if (s.lock() == null || live != null) {
            return s.note();
        }
        return s.note() == null ? NO_DATABASE : NO_DATABASE + "; " + s.note();
    }
}
