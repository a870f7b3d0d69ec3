package dev.ddlguard.dialect.postgres;

import dev.ddlguard.policy.Action;
import dev.ddlguard.rules.Rewrite;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.rules.Rule.Advice;
import dev.ddlguard.rules.RuleContext;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.DdlStatement.Flag;
import dev.ddlguard.sql.Verb;
import java.util.List;

/**
 * Index builds, drops and rebuilds: each has a CONCURRENTLY form that does not block writes (or
 * reads), at the price of running outside a transaction block. Manual: CREATE INDEX "Building
 * Indexes Concurrently", DROP INDEX, REINDEX "Rebuilding Indexes Concurrently" (12+).
 */
final class IndexRules {

    static final String NEEDS_AUTOCOMMIT =
            "CONCURRENTLY cannot run inside a transaction block: run this migration outside a transaction "
                    + "(Flyway: executeInTransaction=false in the script's .conf; Liquibase: runInTransaction:false on the changeset)";

    private IndexRules() {}

    static final Rule REQUIRE_CONCURRENT_INDEX = Rule.builder("require-concurrent-index")
            .defaultAction(Action.REWRITE)
            .lockBound()
            .lock(
                    "SHARE: blocks writes for the whole index build (CONCURRENTLY: SHARE UPDATE EXCLUSIVE, blocks neither)")
            .reason("CREATE INDEX holds a SHARE lock that blocks every INSERT, UPDATE and DELETE on the table "
                    + "for the whole build")
            .safeAlternative("CREATE INDEX CONCURRENTLY, run outside a transaction block; it builds without "
                    + "blocking writes")
            // ON ONLY a partitioned parent builds nothing (an invalid index), and CONCURRENTLY is not allowed there;
            // ON ONLY a plain table (the live catalog says so) builds it as without ONLY.
            .on(Verb.CREATE)
            .matches((s, c) -> s.is(Verb.CREATE, "INDEX")
                            && !s.has(Flag.CONCURRENTLY)
                            && (!s.has(Flag.ONLY) || onlyOnPlainTable(s, c))
                    ? "builds index " + (s.names().isEmpty() ? "" : s.names().get(0) + " ")
                            + (s.table() == null ? "" : "on " + s.table() + " ") + "while blocking writes"
                            + (s.has(Flag.ONLY)
                                    ? " (ON ONLY a table that is not partitioned builds it all the same)"
                                    : "")
                    : null)
            // Not asked for a table this run created: the rule is exempt for it (Exemption), so no advice is shown.
            .advice((s, c) -> s.table() != null
                            && !c.catalog().createdInThisRun(s.table())
                            && "p".equals(c.catalog().relationKind(s.table()))
                    ? partitioned(s)
                    : concurrently(s, "INDEX"))
            .build();

    /** ON ONLY with a table the catalog knows as a plain table or materialized view (offline: taken as partitioned). */
    private static boolean onlyOnPlainTable(DdlStatement s, RuleContext c) {
        String relkind = s.table() == null ? null : c.catalog().relationKind(s.table());
        return "r".equals(relkind) || "m".equals(relkind);
    }

    static final Rule REQUIRE_CONCURRENT_INDEX_DROP = Rule.builder("require-concurrent-index-drop")
            .defaultAction(Action.REWRITE)
            .lockBound()
            .lock("ACCESS EXCLUSIVE on the table: blocks reads and writes (CONCURRENTLY: SHARE UPDATE EXCLUSIVE)")
            .reason("DROP INDEX takes an ACCESS EXCLUSIVE lock on the index's table, blocking reads and writes "
                    + "while it waits for running queries")
            .safeAlternative(
                    "DROP INDEX CONCURRENTLY, one index at a time, without CASCADE, outside a transaction block")
            .on(Verb.DROP)
            .matches((s, c) -> s.is(Verb.DROP, "INDEX") && !s.has(Flag.CONCURRENTLY)
                    ? "drops index "
                            + s.names().stream()
                                    .map(Object::toString)
                                    .reduce((a, b) -> a + ", " + b)
                                    .orElse("") + " under ACCESS EXCLUSIVE"
                    : null)
            // CONCURRENTLY drops exactly one index and refuses CASCADE: no safe rewrite for the others; nor for a
            // partitioned index, which the server refuses to drop concurrently (measured on 15).
            .advice((s, c) -> s.names().size() == 1
                            && !s.has(Flag.CASCADE)
                            && "I".equals(c.catalog().relationKind(s.names().get(0)))
                    ? new Advice(
                            "-- " + s.names().get(0) + " is a partitioned index: PostgreSQL cannot drop it "
                                    + "CONCURRENTLY, nor its partitions' indexes apart from it; drop it in a quiet "
                                    + "moment with a short lock_timeout (the drop itself is metadata only):\n"
                                    + "/* ddlguard:allow require-concurrent-index-drop <why a brief ACCESS EXCLUSIVE "
                                    + "on the table and its partitions is acceptable now> */ " + s.code() + ";",
                            null)
                    : s.names().size() == 1 && !s.has(Flag.CASCADE)
                            ? concurrently(s, "INDEX")
                            : new Advice(
                                    "-- one statement per index, without CASCADE:\nDROP INDEX CONCURRENTLY "
                                            + (s.names().isEmpty()
                                                    ? "<index>"
                                                    : s.names().get(0)) + ";",
                                    null))
            .build();

    static final Rule REQUIRE_CONCURRENT_REINDEX = Rule.builder("require-concurrent-reindex")
            .defaultAction(Action.REWRITE)
            .lockBound()
            .lock(
                    "SHARE on the table, ACCESS EXCLUSIVE on the index: blocks writes, and reads planned on the table (CONCURRENTLY: SHARE UPDATE EXCLUSIVE)")
            .reason("REINDEX locks out writes to the table and takes ACCESS EXCLUSIVE on each index it rebuilds, "
                    + "which blocks every query planned on the table")
            .safeAlternative("REINDEX … CONCURRENTLY (PostgreSQL 12+), outside a transaction block; before 12, "
                    + "CREATE INDEX CONCURRENTLY a copy, then drop the old index concurrently")
            .on(Verb.REINDEX)
            .matches((s, c) -> s.verb() == Verb.REINDEX && !s.has(Flag.CONCURRENTLY)
                    ? "rebuilds " + s.objectType() + " "
                            + (s.names().isEmpty() ? "" : s.names().get(0)) + " while blocking it"
                    : null)
            .advice((s, c) -> c.atLeast(12) && s.objectType() != null && !"SYSTEM".equals(s.objectType())
                    ? concurrently(s, s.objectType())
                    : Advice.NONE)
            .build();

    static final Rule CONCURRENTLY_IN_TRANSACTION = Rule.builder("concurrently-in-transaction")
            .defaultAction(Action.BLOCK)
            .lock("none: the server refuses the statement")
            .reason("a CONCURRENTLY index operation fails inside a transaction block (the migration would stop "
                    + "half-way with 'cannot run inside a transaction block')")
            .safeAlternative("run this migration outside a transaction (Flyway: executeInTransaction=false; "
                    + "Liquibase: runInTransaction:false)")
            .on(Verb.CREATE, Verb.DROP, Verb.REINDEX, Verb.ALTER, Verb.RENAME)
            .matches((s, c) -> !c.autocommit() && concurrentOutsideTransactionOnly(s)
                    ? "runs CONCURRENTLY inside a transaction block"
                    : null)
            .build();

    /** This pack's rules, in the order they are reported: a new rule of the pack is listed here. */
    static final List<Rule> ALL = List.of(
            REQUIRE_CONCURRENT_INDEX,
            REQUIRE_CONCURRENT_INDEX_DROP,
            REQUIRE_CONCURRENT_REINDEX,
            CONCURRENTLY_IN_TRANSACTION);

    /** CREATE/DROP INDEX, REINDEX and DETACH PARTITION accept CONCURRENTLY only outside a transaction; REFRESH does not care. */
    private static boolean concurrentOutsideTransactionOnly(DdlStatement s) {
        return s.has(Flag.CONCURRENTLY)
                && (s.is(Verb.CREATE, "INDEX")
                        || s.is(Verb.DROP, "INDEX")
                        || s.verb() == Verb.REINDEX
                        || s.hasAction(AlterAction.Kind.DETACH_PARTITION));
    }

    /**
     * PostgreSQL refuses CONCURRENTLY on a partitioned table: the recipe is an index ON ONLY the parent,
     * one concurrent build per partition, each attached to it (manual: CREATE INDEX, "Notes").
     */
    private static Advice partitioned(DdlStatement s) {
        String index = s.names().isEmpty() ? "<index>" : s.names().get(0).toSql();
        return new Advice(
                "CREATE INDEX " + index + " ON ONLY " + s.table().toSql()
                        + " (…);   -- invalid until every partition has one\n"
                        + "-- for each partition p:\nCREATE INDEX CONCURRENTLY p_idx ON p (…);\nALTER INDEX " + index
                        + " ATTACH PARTITION p_idx;",
                null);
    }

    /** Inserts CONCURRENTLY right after the keyword naming the object (INDEX, TABLE, …), keeping the rest as written. */
    private static Advice concurrently(DdlStatement s, String afterKeyword) {
        int at = PgNames.afterWord(s, afterKeyword, s.text().start());
        if (at < 0) {
            return Advice.NONE;
        }
        Rewrite rewrite = Rewrite.insert(at, " CONCURRENTLY", NEEDS_AUTOCOMMIT);
        return new Advice(rewrite.apply(s.text()) + ";", rewrite);
    }
}
