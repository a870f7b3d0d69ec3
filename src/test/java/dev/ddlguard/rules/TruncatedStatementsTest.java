package dev.ddlguard.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddlguard.dialect.Dialect;
import dev.ddlguard.dialect.Dialects;
import dev.ddlguard.engine.JudgedStatement;
import dev.ddlguard.engine.Judgement;
import dev.ddlguard.engine.StatementJudge;
import dev.ddlguard.policy.Policy;
import dev.ddlguard.policy.PolicyResolver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every rule meets statements cut short: a verb with or without an object type, a name, and the first words of a
 * clause, as a tired author (or a migration tool's bug) sends them. The guard fails closed if a rule throws, but
 * a rule that throws is a bug: each of these is judged without a fault of the guard's own. (FuzzTest finds such
 * bugs at random; this walks the shapes the rules read, every time.)
 */
class TruncatedStatementsTest {

    private static final Policy DEFAULTS = PolicyResolver.resolveFile(null, Dialects.ruleIds());

    private static final List<String> VERBS = List.of(
            "CREATE",
            "ALTER",
            "DROP",
            "RENAME",
            "TRUNCATE",
            "LOCK",
            "REASSIGN OWNED BY",
            "REVOKE",
            "GRANT",
            "COMMENT ON",
            "OPTIMIZE",
            "CLUSTER",
            "VACUUM FULL",
            "REINDEX",
            "REFRESH MATERIALIZED VIEW",
            "FLUSH",
            "COPY",
            "CREATE OR REPLACE",
            "CREATE UNIQUE INDEX",
            "DROP INDEX CONCURRENTLY");
    private static final List<String> OBJECTS = List.of(
            "",
            " TABLE",
            " INDEX",
            " VIEW",
            " MATERIALIZED VIEW",
            " FOREIGN TABLE",
            " POLICY",
            " ROLE",
            " USER",
            " DATABASE",
            " SCHEMA",
            " PUBLICATION",
            " SUBSCRIPTION",
            " SEQUENCE",
            " FUNCTION",
            " PROCEDURE",
            " TYPE",
            " DOMAIN",
            " EVENT",
            " TRIGGER",
            " TABLES",
            " EXTENSION");
    private static final List<String> TAILS = List.of(
            "",
            " x",
            " x ON",
            " x ON y",
            " x RENAME",
            " x RENAME TO",
            " x ADD",
            " x DROP",
            " x ALTER COLUMN",
            " x EXCHANGE PARTITION",
            " x ACCOUNT LOCK",
            " x SET",
            " x DISABLE",
            " x AS RESTRICTIVE",
            " x TO",
            " x (",
            " x ADD CONSTRAINT",
            " x ATTACH PARTITION",
            " x DETACH PARTITION",
            " x IN");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgresql", "mysql", "mariadb", "h2"})
    void everyRuleJudgesAStatementCutShortWithoutAFaultOfItsOwn(String target) {
        Dialect dialect = Dialects.named(target, 0);
        StatementJudge judge = new StatementJudge(DEFAULTS, dialect, dialect);
        List<String> faults = new ArrayList<>();
        for (String verb : VERBS) {
            for (String object : OBJECTS) {
                for (String tail : TAILS) {
                    String sql = verb + object + tail;
                    Judgement judgement = judge.judge(sql, StatementJudge.Context.offline(true));
                    if (judgement == null) {
                        continue;
                    }
                    for (JudgedStatement s : judgement.statements()) {
                        if (s.note() != null && s.note().startsWith("guard error")) {
                            faults.add(sql + " -> " + s.note());
                        }
                    }
                }
            }
        }
        assertThat(faults).isEmpty();
    }
}
