package dev.ddlguard.dialect.postgres;

import dev.ddlguard.rules.Rule;
import java.util.List;

/**
 * PostgreSQL's rule pack: statements whose lock PostgreSQL lets you avoid with another form, judged
 * with PostgreSQL 11+ semantics (branching on the server version where behaviour differs).
 */
public final class PostgresRules {

    private PostgresRules() {
    }

    /** In the order they are reported. */
    public static final List<Rule> ALL = List.of(
            IndexRules.REQUIRE_CONCURRENT_INDEX,
            IndexRules.REQUIRE_CONCURRENT_INDEX_DROP,
            IndexRules.REQUIRE_CONCURRENT_REINDEX,
            IndexRules.CONCURRENTLY_IN_TRANSACTION,
            ConstraintRules.CONSTRAINT_MISSING_NOT_VALID,
            ConstraintRules.REQUIRE_UNIQUE_INDEX_FIRST,
            ConstraintRules.SET_NOT_NULL,
            ColumnRules.ADD_COLUMN_REWRITES_TABLE,
            ColumnRules.CHANGE_COLUMN_TYPE,
            TableRules.TABLE_REWRITE,
            TableRules.CREATE_PARTITION_LOCKS_PARENT,
            TableRules.ATTACH_PARTITION_SCAN,
            TableRules.REQUIRE_CONCURRENT_DETACH,
            TableRules.ENUM_VALUE_IN_TRANSACTION,
            LockHeavyRules.ADD_COLUMN_BUILDS_INDEX,
            LockHeavyRules.ADD_EXCLUSION_CONSTRAINT,
            LockHeavyRules.CREATE_TRIGGER,
            LockHeavyRules.REFRESH_CONCURRENTLY,
            LockHeavyRules.VALIDATE_IN_ADDING_TRANSACTION,
            LockHeavyRules.DOMAIN_CONSTRAINT_SCAN,
            TableRules.LOCK_QUEUE,
            ServerCommandRules.COPY_PROGRAM);
}
