package dev.ddlguard.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddlguard.dialect.Dialects;
import dev.ddlguard.engine.JudgedStatement;
import dev.ddlguard.engine.Judgement;
import dev.ddlguard.engine.StatementJudge;
import dev.ddlguard.policy.Action;
import dev.ddlguard.policy.Policy;
import dev.ddlguard.policy.PolicyResolver;
import dev.ddlguard.sql.DdlPreFilter;
import dev.ddlguard.sql.StatementSplitter;
import dev.ddlguard.sql.StatementText;
import dev.ddlguard.support.SessionIsolation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every row of every rule's case table ({@link RuleCases}) through the judge lint and the driver use,
 * without a database: the rule fires with the row's action and rewrite, or, on a near-miss row, does not fire.
 * The safe alternative each triggering row prints must pass the guard. Server tests stay for what only a
 * server proves (the lock actually taken, the error the server returns, the catalog it reports).
 */
class RuleCasesTest {

    /** The defaults, not the test class path's settings or the environment's. */
    private static final Policy DEFAULTS = PolicyResolver.resolveFile(null, Dialects.ruleIds());

    static Stream<RuleCase> cases() {
        return RuleCases.all().stream();
    }

    static Stream<RuleCase> triggering() {
        return RuleCases.all().stream().filter(RuleCase::triggers);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theRuleDoesWhatTheRowSays(RuleCase c) {
        CaseCatalog catalog = new CaseCatalog(c);
        Judgement judgement = judge(c, c.sql(), !catalog.inTransaction(), catalog);
        if (judgement != null) {
            // a rule that throws is caught and blocks as unanalyzable: fail-closed, but a bug all the same
            assertThat(judgement.statements())
                    .as("%s\njudged without a fault of the guard's own; verdicts: %s", c, describe(judgement))
                    .noneMatch(s -> s.note() != null && s.note().startsWith("guard error"));
        }
        List<JudgedStatement> hits = judgement == null
                ? List.of()
                : judgement.statements().stream()
                        .filter(s -> verdict(s, c.rule()) != null)
                        .toList();
        if (!c.triggers()) {
            assertThat(hits)
                    .as("%s\n%s must not fire; verdicts: %s", c, c.rule(), describe(judgement))
                    .isEmpty();
            return;
        }
        assertThat(hits)
                .as("%s\n%s must fire; verdicts: %s", c, c.rule(), describe(judgement))
                .isNotEmpty();
        // the driver asks the pre-filter first: a statement it waves through is never judged at all (asked as on a
        // database with dblink or xml2 installed, where it also reads calls of their functions)
        assertThat(DdlPreFilter.mightContainDdl(c.sql(), c.dialect().syntax(), true))
                .as("%s\nthe pre-filter lets it reach the judge", c)
                .isTrue();
        JudgedStatement hit = hits.get(0);
        assertThat(verdict(hit, c.rule()).action())
                .as("%s\nthe action; verdicts: %s", c, describe(judgement))
                .isEqualTo(c.action());
        if (c.rewrite() != null) {
            assertThat(hit.rewrittenSql()).as("%s\nthe rewrite", c).isNotNull();
            assertThat(normal(hit.rewrittenSql())).as("%s\nthe rewrite", c).isEqualTo(normal(c.rewrite()));
        }
    }

    /**
     * Every safe alternative the guard prints passes the guard: each statement of the verdict's safe SQL, judged
     * again with the row's catalog (in autocommit unless the advice opens a transaction), is not blocked. A
     * statement carrying an inline {@code ddlguard:allow <rule> <reason>} comment is a deliberate step and passes
     * through that comment; the advice writes {@code <why this is safe>} as the reason the user fills in.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("triggering")
    void theSafeAlternativePassesTheGuard(RuleCase c) {
        CaseCatalog catalog = new CaseCatalog(c);
        Judgement judgement = judge(c, c.sql(), !catalog.inTransaction(), catalog);
        RuleVerdict verdict = judgement == null
                ? null
                : judgement.statements().stream()
                        .map(s -> verdict(s, c.rule()))
                        .filter(v -> v != null)
                        .findFirst()
                        .orElse(null);
        assertThat(verdict).as("%s\nthe row triggers %s", c, c.rule()).isNotNull();
        String safe = verdict.safeSql();
        if (safe == null) {
            return; // nothing printed, nothing to pass
        }
        Map<String, String> blocked = new LinkedHashMap<>();
        boolean inTransaction = false;
        for (StatementText text : StatementSplitter.split(safe, c.dialect().syntax())) {
            String statement = text.text().strip();
            String word = firstWord(statement);
            if (word.equals("BEGIN") || word.equals("START")) {
                inTransaction = true;
                continue;
            }
            if (word.equals("COMMIT") || word.equals("ROLLBACK")) {
                inTransaction = false;
                continue;
            }
            String isolation = SessionIsolation.setBy(statement);
            if (isolation != null) { // as the server answers @@SESSION.tx_isolation after it
                catalog.set("tx_isolation", isolation);
                catalog.set("transaction_isolation", isolation);
                continue;
            }
            Judgement again = judge(c, statement, !inTransaction, catalog);
            if (again != null
                    && again.blocked()
                    && !(validatedCheckFirst(safe, statement) && onlyBlockedBy(again, "set-not-null"))) {
                blocked.put(statement, describe(again));
            }
        }
        assertThat(blocked)
                .as("%s\nstatements of the safe alternative the guard blocks:\n%s", c, safe)
                .isEmpty();
    }

    @Test
    void everyRowNamesARuleAndEveryTableARuleFile() {
        Set<String> ids = Dialects.ruleIds();
        assertThat(RuleCases.all())
                .filteredOn(c -> !ids.contains(c.rule()))
                .as("rows naming no known rule")
                .isEmpty();
        for (var file : RuleCases.files()) {
            String path = file.toString().replace('\\', '/');
            String className = path.substring(path.indexOf("dev/ddlguard/"), path.length() - ".cases".length())
                    .replace('/', '.');
            assertThat(exists(className))
                    .as("%s is named after a rule file", file)
                    .isTrue();
        }
    }

    /** Every rule has a row proving a harmless statement close to what it catches is left alone. */
    @Test
    void everyRuleHasANearMiss() {
        Set<String> missing = new TreeSet<>(Dialects.ruleIds());
        RuleCases.all().stream().filter(c -> !c.triggers()).forEach(c -> missing.remove(c.rule()));
        assertThat(missing)
                .as("rules without a near-miss row ('<rule-id> none') in their case table")
                .isEmpty();
    }

    static Judgement judge(RuleCase c, String sql, boolean autocommit, Catalog catalog) {
        StatementJudge judge = new StatementJudge(DEFAULTS, c.dialect(), c.dialect());
        return judge.judge(sql, new StatementJudge.Context(autocommit, c.versionNumber(), catalog));
    }

    private static RuleVerdict verdict(JudgedStatement s, String rule) {
        return s.verdicts().stream()
                .filter(v -> v.ruleId().equals(rule))
                .findFirst()
                .orElse(null);
    }

    private static String normal(String sql) {
        return sql.strip().replaceAll("\\s+", " ");
    }

    private static boolean exists(String className) {
        try {
            Class.forName(className);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * SET NOT NULL after a validated {@code CHECK (column IS NOT NULL)} skips the scan on PostgreSQL 12+, which
     * only a live catalog can see; offline the guard must assume the scan.
     */
    private static boolean validatedCheckFirst(String safe, String statement) {
        int at = safe.indexOf(statement);
        return at > 0
                && safe.substring(0, at).contains("IS NOT NULL) NOT VALID")
                && safe.substring(0, at).contains("VALIDATE CONSTRAINT");
    }

    private static boolean onlyBlockedBy(Judgement j, String rule) {
        return j.statements().stream()
                .flatMap(s -> s.verdicts().stream())
                .filter(v -> v.action() == Action.BLOCK)
                .allMatch(v -> v.ruleId().equals(rule));
    }

    private static String firstWord(String statement) {
        String s = statement;
        while (s.startsWith("--")) {
            int nl = s.indexOf('\n');
            s = nl < 0 ? "" : s.substring(nl + 1).strip();
        }
        int end = 0;
        while (end < s.length() && Character.isLetter(s.charAt(end))) {
            end++;
        }
        return s.substring(0, end).toUpperCase(java.util.Locale.ROOT);
    }

    static String describe(Judgement j) {
        if (j == null) {
            return "(not DDL)";
        }
        List<String> out = new ArrayList<>();
        for (JudgedStatement s : j.statements()) {
            for (RuleVerdict v : s.verdicts()) {
                out.add(v.ruleId() + "=" + v.action().value() + " (" + v.message() + ")");
            }
            if (s.rewrittenSql() != null) {
                out.add("rewrite: " + s.rewrittenSql());
            }
        }
        return out.isEmpty() ? "(none)" : String.join("; ", out);
    }
}
