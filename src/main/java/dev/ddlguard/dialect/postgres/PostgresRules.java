package dev.ddlguard.dialect.postgres;

import dev.ddlguard.policy.Action;
import dev.ddlguard.rules.Rewrite;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.rules.Rule.Advice;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.DdlStatement.Flag;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.Verb;
import java.util.List;

/** PostgreSQL's own rules: statements whose lock PostgreSQL lets you avoid with another form. */
public final class PostgresRules {

    static final String CONCURRENTLY_NEEDS_AUTOCOMMIT =
            "CONCURRENTLY cannot run inside a transaction block: run this migration outside a transaction "
                    + "(Flyway: executeInTransaction=false in the script's .conf; Liquibase: runInTransaction:false on the changeset)";

    private PostgresRules() {
    }

    public static final Rule REQUIRE_CONCURRENT_INDEX = Rule.builder("require-concurrent-index")
            .defaultAction(Action.REWRITE)
            .lockBound()
            .reason("CREATE INDEX holds a SHARE lock that blocks every INSERT, UPDATE and DELETE on the table "
                    + "for the whole build")
            .safeAlternative("CREATE INDEX CONCURRENTLY, run outside a transaction block; it builds without "
                    + "blocking writes")
            // ON ONLY builds nothing (an invalid index on a partitioned parent), and CONCURRENTLY is not allowed there.
            .matches((s, c) -> s.is(Verb.CREATE, "INDEX") && !s.has(Flag.CONCURRENTLY) && !s.has(Flag.ONLY)
                    ? "builds index " + (s.names().isEmpty() ? "" : s.names().get(0) + " ")
                    + (s.table() == null ? "" : "on " + s.table() + " ") + "while blocking writes" : null)
            .advice((s, c) -> {
                Rewrite rewrite = insertAfterWord(s, "INDEX", " CONCURRENTLY", CONCURRENTLY_NEEDS_AUTOCOMMIT);
                return rewrite == null ? Advice.NONE : new Advice(rewrite.apply(s.text()), rewrite);
            })
            .build();

    public static final List<Rule> ALL = List.of(REQUIRE_CONCURRENT_INDEX);

    /** Inserts text right after the first code token that is the keyword, keeping everything else as written. */
    static Rewrite insertAfterWord(DdlStatement s, String keyword, String text, String needsAutocommit) {
        for (Token token : s.text().tokens()) {
            if (token.isWord(s.text().source(), keyword)) {
                return Rewrite.insert(token.end(), text, needsAutocommit);
            }
        }
        return null;
    }
}
