package dev.ddlguard.cli.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddlguard.dialect.Dialect;
import dev.ddlguard.dialect.Dialects;
import dev.ddlguard.engine.Judgement;
import dev.ddlguard.engine.StatementJudge;
import dev.ddlguard.policy.Policy;
import dev.ddlguard.policy.Target;
import dev.ddlguard.rules.Catalog;
import dev.ddlguard.support.SessionIsolation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A plan is the guard's own advice: none of its statements may be blocked by the guard's default
 * policy, judged offline for the plan's target (the execution tests prove the same online).
 */
class PlanGuardTest {

    private static final TableInfo TABLE = new FixedTableInfo(
            Map.of("id", "bigint", "a", "integer", "c", "integer", "note", "text"),
            List.of("id", "a", "c"),
            List.of("id"));

    static Stream<Arguments> plans() {
        List<Arguments> all = new ArrayList<>();
        for (Target target : List.of(Target.POSTGRESQL, Target.MYSQL, Target.MARIADB)) {
            boolean pg = target == Target.POSTGRESQL;
            for (String sql : List.of(
                    "ALTER TABLE t RENAME COLUMN a TO b",
                    pg ? "ALTER TABLE t RENAME TO u" : "RENAME TABLE t TO u",
                    "ALTER TABLE t ADD COLUMN b bigint NOT NULL",
                    "ALTER TABLE t ADD COLUMN b bigint NOT NULL DEFAULT 3",
                    pg ? "ALTER TABLE t ALTER COLUMN c TYPE bigint" : "ALTER TABLE t MODIFY c BIGINT NOT NULL",
                    "ALTER TABLE t DROP COLUMN c",
                    pg ? "ALTER TABLE t ALTER COLUMN note SET NOT NULL" : "ALTER TABLE t MODIFY note TEXT NOT NULL")) {
                all.add(Arguments.of(target, sql));
            }
        }
        all.add(Arguments.of(Target.MARIADB, "ALTER TABLE t CHANGE a b BIGINT NOT NULL DEFAULT 1"));
        return all.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("plans")
    void theGuardLetsEveryStepThrough(Target target, String sql) {
        Plan plan = Planner.plan(sql, target, 100, TABLE);
        for (String placeholder : plan.placeholders()) {
            plan = plan.fill(placeholder, "0");
        }
        StatementJudge judge = judge(target);
        String[] isolation = {null}; // the session's, as a SET of the plan leaves it (MySQL's backup copy)
        Catalog session = new Catalog() {
            @Override
            public String setting(String name) {
                return name.endsWith("isolation") ? isolation[0] : null;
            }
        };
        for (Phase phase : plan.phases()) {
            for (String step : phase.sql()) {
                if (SessionIsolation.setBy(step) != null) {
                    isolation[0] = SessionIsolation.setBy(step);
                    continue;
                }
                Judgement j = judge.judge(step, new StatementJudge.Context(true, 0, session));
                assertThat(j == null || !j.blocked())
                        .as(
                                "%s step of %s was blocked:%n%s%n%s",
                                phase.name(), sql, step, j == null ? "" : j.statements())
                        .isTrue();
            }
        }
    }

    private static StatementJudge judge(Target target) {
        Dialect connected = switch (target) {
            case MYSQL -> Dialects.connected("MySQL", "8.0.36");
            case MARIADB -> Dialects.connected("MariaDB", "10.11.6-MariaDB");
            default -> Dialects.connected("PostgreSQL", "15.4");
        };
        return new StatementJudge(Policy.defaults(), Dialects.target(target, connected), connected);
    }
}
