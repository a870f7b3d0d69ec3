package dev.ddlguard.dialect.postgres;

import dev.ddlguard.rules.Rule;
import java.util.List;
import java.util.stream.Stream;

/**
 * PostgreSQL's rule pack: statements whose lock PostgreSQL lets you avoid with another form, judged
 * with PostgreSQL 11+ semantics (branching on the server version where behaviour differs). Each rule is
 * listed in the {@code ALL} of its own file; a new file of rules is joined here.
 */
public final class PostgresRules {

    private PostgresRules() {}

    /** In the order they are reported: pack by pack, each pack in its own order. */
    public static final List<Rule> ALL = Stream.of(
                    IndexRules.ALL,
                    ConstraintRules.ALL,
                    ColumnRules.ALL,
                    TableRules.ALL,
                    LockHeavyRules.ALL,
                    ServerCommandRules.ALL,
                    EnforcementRules.ALL,
                    ReplicationRules.ALL)
            .flatMap(List::stream)
            .toList();
}
