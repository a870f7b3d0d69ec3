package dev.ddlguard.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddlguard.dialect.Dialect;
import dev.ddlguard.dialect.Dialects;
import dev.ddlguard.policy.Policy;
import dev.ddlguard.policy.PolicyResolver;
import dev.ddlguard.rules.CaseCatalog;
import dev.ddlguard.rules.Catalog;
import dev.ddlguard.rules.RuleCase;
import dev.ddlguard.rules.RuleCases;
import dev.ddlguard.sql.StatementSplitter;
import dev.ddlguard.sql.StatementText;
import dev.ddlguard.support.Corpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The judge runs on a statement only the rules that may match its verb ({@code Rule.Builder.on}); a rule that
 * declares its verbs must never have matched a statement of another. Checked on every row of every case table and
 * every statement of the corpus: the judge with the dispatch gives exactly the verdicts (each finding's rule,
 * action, message and safe SQL), decisions, rewrites and notes of the same judge running every rule on every
 * statement.
 */
class RuleDispatchTest {

    private static final Policy DEFAULTS = PolicyResolver.resolveFile(null, Dialects.ruleIds());

    static Stream<RuleCase> cases() {
        return RuleCases.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyCaseRowIsJudgedAsByEveryRule(RuleCase c) {
        boolean autocommit = !new CaseCatalog(c).inTransaction();
        assertSameJudgement(c.dialect(), c.sql(), autocommit, c.versionNumber(), () -> new CaseCatalog(c));
        // and in the other transaction state: rules that read autocommit judge differently there
        assertSameJudgement(c.dialect(), c.sql(), !autocommit, c.versionNumber(), () -> new CaseCatalog(c));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pg-migrations", "pg-regress"})
    void everyCorpusStatementIsJudgedAsByEveryRule(String folder) throws IOException {
        Path dir = Corpus.require().resolve(folder);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        int judged = 0;
        for (String target : List.of("postgresql", "mysql", "mariadb")) {
            Dialect dialect = Dialects.named(target, 0);
            for (Path file : files) {
                String sql = Files.readString(file, StandardCharsets.UTF_8);
                List<StatementText> statements;
                try {
                    statements = StatementSplitter.split(sql, dialect.syntax());
                } catch (RuntimeException e) {
                    continue; // not this dialect's text: the corpus tests of the splitter are elsewhere
                }
                for (StatementText statement : statements) {
                    for (boolean autocommit : new boolean[] {true, false}) {
                        if (assertSameJudgement(dialect, statement.text(), autocommit, 0, () -> Catalog.OFFLINE)) {
                            judged++;
                        }
                    }
                }
                // the whole file as one string too: a table an earlier statement created changes later verdicts
                assertSameJudgement(dialect, sql, true, 0, () -> Catalog.OFFLINE);
            }
        }
        assertThat(judged).as("DDL statements judged").isPositive();
    }

    @Test
    void aRuleThatDeclaresNoVerbRunsOnEveryStatement() {
        StatementJudge judge =
                new StatementJudge(DEFAULTS, Dialects.named("postgresql", 0), Dialects.named("postgresql", 0));
        Judgement j = judge.judge("GRANT SELECT ON orders TO app", StatementJudge.Context.offline(true));
        Judgement drop = judge.judge("DROP TABLE orders", StatementJudge.Context.offline(true));
        assertThat(j).isNotNull();
        assertThat(judge.rulesFor(j.statements().get(0).executed()))
                .as("the rules run on a GRANT")
                .anyMatch(r -> r.id().equals("lock-queue")) // declares nothing
                .noneMatch(r -> r.id().equals("drop-table")); // declares DROP
        assertThat(judge.rulesFor(drop.statements().get(0).executed()))
                .anyMatch(r -> r.id().equals("lock-queue"))
                .anyMatch(r -> r.id().equals("drop-table"));
    }

    /** Whether the text held DDL; fails when the dispatch judged it otherwise than every rule. */
    private static boolean assertSameJudgement(
            Dialect dialect, String sql, boolean autocommit, int version, Supplier<Catalog> catalog) {
        StatementJudge judge = new StatementJudge(DEFAULTS, dialect, dialect);
        Judgement dispatched = judge.judge(sql, new StatementJudge.Context(autocommit, version, catalog.get()));
        Judgement every = judge.everyRule().judge(sql, new StatementJudge.Context(autocommit, version, catalog.get()));
        assertThat(describe(dispatched))
                .as("%s, autocommit %s:\n%s", dialect.name(), autocommit, sql)
                .isEqualTo(describe(every));
        return dispatched != null;
    }

    private static List<String> describe(Judgement j) {
        if (j == null) {
            return List.of("no DDL");
        }
        List<String> out = new ArrayList<>();
        out.add("send: " + j.sqlToSend() + " | follow-ups: " + j.followUps() + " | undo: " + j.undo());
        for (JudgedStatement s : j.statements()) {
            out.add(s.summary() + " | " + s.decision() + " | " + s.enforceDecision() + " | verdicts: " + s.verdicts()
                    + " | rewritten: " + s.rewrittenSql() + " sent " + s.rewriteSent() + " | note: " + s.note()
                    + " | lock: " + s.lock() + " | executed lock: " + s.executedLock());
        }
        return out;
    }
}
