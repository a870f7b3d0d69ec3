package dev.ddlguard.dialect.postgres;

import dev.ddlguard.policy.Action;
import dev.ddlguard.rules.BooleanValues;
import dev.ddlguard.rules.Catalog;
import dev.ddlguard.rules.Rewrite;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.rules.Rule.Advice;
import dev.ddlguard.rules.RuleContext;
import dev.ddlguard.rules.StatementWords;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.AlterAction.Kind;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.DdlStatement.Flag;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.TokenCursor;
import dev.ddlguard.sql.TokenKind;
import dev.ddlguard.sql.Verb;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Whole-table rewrites, partitions, enum values, and the lock queue a statement would join. */
final class TableRules {

    private TableRules() {}

    static final Rule TABLE_REWRITE = Rule.builder("table-rewrite")
            .defaultAction(Action.BLOCK)
            .lockBound()
            .lock("ACCESS EXCLUSIVE for a full rewrite: blocks reads and writes")
            .reason("this rewrites the whole table under ACCESS EXCLUSIVE: no reads or writes until it is done")
            .safeAlternative("use an online tool (pg_repack, pg_squeeze) or a maintenance window")
            .on(Verb.VACUUM, Verb.CLUSTER, Verb.ALTER, Verb.RENAME)
            .matches((s, c) -> {
                if (s.verb() == Verb.VACUUM && s.has(Flag.FULL)) {
                    return "VACUUM FULL rewrites " + (s.table() == null ? "every table" : s.table());
                }
                if (s.verb() == Verb.CLUSTER) {
                    return "CLUSTER rewrites " + (s.table() == null ? "every clustered table" : s.table());
                }
                // ALTER TABLE | MATERIALIZED VIEW ALL IN TABLESPACE a SET TABLESPACE b: every relation there is copied
                if (s.verb() == Verb.ALTER
                        && StatementWords.has(s, "ALL", "IN", "TABLESPACE")
                        && PgNames.hasWords(s, "SET", "TABLESPACE")) {
                    return "moves every " + s.objectType().toLowerCase(Locale.ROOT)
                            + " of a tablespace, copying each under " + "ACCESS EXCLUSIVE";
                }
                for (AlterAction a : s.actions()) {
                    if (a.kind() == Kind.SET_TABLESPACE || a.kind() == Kind.SET_LOGGED) {
                        return a.text(s.text().source()) + " rewrites " + s.table();
                    }
                    // ALTER COLUMN … SET EXPRESSION (17+): a stored generated column is recomputed into a new file.
                    if (a.kind() == Kind.OTHER
                            && s.text().hasWord("EXPRESSION", a.start(), a.end())
                            && PgNames.hasWords(s, "SET", "EXPRESSION")) {
                        return a.text(s.text().source()) + " rewrites " + s.table() + " (a stored generated column is "
                                + "recomputed for every row)";
                    }
                    // ALTER TABLE, "SET ACCESS METHOD" (15+): the table is rewritten into the new method.
                    if (a.kind() == Kind.OTHER
                            && s.text().hasWord("ACCESS", a.start(), a.end())
                            && PgNames.hasWords(s, "ACCESS", "METHOD")
                            && PgNames.hasWords(s, "SET", "ACCESS")) {
                        return a.text(s.text().source()) + " rewrites " + s.table();
                    }
                }
                if (s.is(Verb.ALTER, "MATERIALIZED VIEW")
                        && (PgNames.hasWords(s, "SET", "TABLESPACE") || PgNames.hasWords(s, "SET", "ACCESS"))) {
                    return "moving materialized view " + s.names().get(0)
                            + " copies it under ACCESS EXCLUSIVE, blocking its reads";
                }
                // PostgreSQL 15, measured: every typed table of the type gets a new relfilenode under ACCESS EXCLUSIVE
                if (s.is(Verb.ALTER, "TYPE")
                        && PgNames.hasWords(s, "ALTER", "ATTRIBUTE")
                        && StatementWords.has(s, "CASCADE")) {
                    return "changing an attribute's type with CASCADE rewrites every table created OF type " + first(s)
                            + " under ACCESS EXCLUSIVE";
                }
                // PostgreSQL 15, measured: it waits up to 5 s for the database's sessions to leave, and a connection
                // opened during the copy waited for the whole copy
                if (s.is(Verb.ALTER, "DATABASE") && PgNames.hasWords(s, "SET", "TABLESPACE")) {
                    return "moves every file of database " + first(s) + " to another tablespace: no session "
                            + "can connect to it until the copy is done, and it needs every connected one gone first";
                }
                if (s.is(Verb.ALTER, "INDEX") && PgNames.hasWords(s, "SET", "TABLESPACE")) {
                    return "moving index " + s.names().get(0)
                            + " copies it under ACCESS EXCLUSIVE, blocking queries on its table";
                }
                return null;
            })
            .build();

    static final Rule CREATE_PARTITION_LOCKS_PARENT = Rule.builder("create-partition-locks-parent")
            .defaultAction(Action.WARN)
            .lock("ACCESS EXCLUSIVE on the partitioned parent: blocks reads and writes of every partition")
            .reason("CREATE TABLE … PARTITION OF takes ACCESS EXCLUSIVE on the partitioned parent, blocking every "
                    + "read and write of all its partitions while it waits and runs")
            .safeAlternative("create the table on its own with a CHECK matching the bound, then ATTACH PARTITION "
                    + "(SHARE UPDATE EXCLUSIVE on the parent since PostgreSQL 12)")
            .on(Verb.CREATE)
            .matches((s, c) -> {
                if (!s.is(Verb.CREATE, "TABLE") || !PgNames.hasWords(s, "PARTITION", "OF")) {
                    return null;
                }
                TokenCursor of = StatementWords.after(s, "PARTITION", "OF");
                QualifiedName parent = of == null ? null : of.acceptName();
                // a parent this run created: no deployed code reads it yet, nobody else waits on its lock (unless a
                // DEFAULT partition, maybe an old table, is scanned for rows of the new bound)
                if (parent != null && ofThisRun(c, parent) && noDefaultPartition(c, parent)) {
                    return null;
                }
                return "creates partition " + s.table() + " of " + (parent == null ? "its parent" : parent)
                        + (parent != null && !noDefaultPartition(c, parent)
                                ? ", scanning its DEFAULT partition for rows of the new bound while every partition's"
                                        + " reads and writes wait (a scan, not metadata only)"
                                : "");
            })
            .build();

    static final Rule ATTACH_PARTITION_SCAN = Rule.builder("attach-partition-scan")
            .defaultAction(Action.WARN)
            .lock("SHARE UPDATE EXCLUSIVE on the parent (12+), ACCESS EXCLUSIVE on the partition for its scan")
            .reason("ATTACH PARTITION scans the new partition under ACCESS EXCLUSIVE to prove its rows fit the bound, "
                    + "unless a valid CHECK constraint already implies it")
            .safeAlternative("first ADD CONSTRAINT … CHECK (<the bound>) NOT VALID and VALIDATE it, then ATTACH (the "
                    + "scan is skipped), then drop the check")
            .on(Verb.ALTER, Verb.RENAME)
            .matches((s, c) -> {
                if (s.actions().stream().noneMatch(a -> a.kind() == Kind.ATTACH_PARTITION)) {
                    return null;
                }
                TokenCursor attach = StatementWords.after(s, "ATTACH", "PARTITION");
                QualifiedName partition = attach == null ? null : attach.acceptName();
                // a partition this run created: its scan locks a table only this migration uses (but the parent's
                // DEFAULT partition is scanned under ACCESS EXCLUSIVE too, for rows of the new bound)
                return partition != null && ofThisRun(c, partition) && noDefaultPartition(c, s.table())
                        ? null
                        : "attaches " + (partition == null ? "a partition" : partition) + " to " + s.table();
            })
            .build();

    static final Rule REQUIRE_CONCURRENT_DETACH = Rule.builder("require-concurrent-detach")
            .defaultAction(Action.REWRITE)
            .lockBound()
            .lock("ACCESS EXCLUSIVE on the parent: blocks reads and writes (CONCURRENTLY: SHARE UPDATE EXCLUSIVE)")
            .reason("DETACH PARTITION takes ACCESS EXCLUSIVE on the partitioned parent, blocking reads and writes of "
                    + "every partition")
            .safeAlternative(
                    "DETACH PARTITION … CONCURRENTLY (PostgreSQL 14+, outside a transaction block); once it is "
                            + "detached, inserts into its range fail with 'no partition of relation found for row'")
            .on(Verb.ALTER, Verb.RENAME)
            .matches((s, c) -> s.actions().stream()
                    .filter(a -> a.kind() == Kind.DETACH_PARTITION
                            && !s.text().hasWord("CONCURRENTLY", a.start(), a.end())
                            && !s.text().hasWord("FINALIZE", a.start(), a.end()))
                    .findFirst()
                    .map(a -> "detaches " + a.column() + " from " + s.table()
                            + " under ACCESS EXCLUSIVE; afterwards, inserts into its range fail")
                    .orElse(null))
            .advice((s, c) -> {
                if (!c.atLeast(14) || s.actions().size() != 1) {
                    return Advice.NONE;
                }
                if (Boolean.TRUE.equals(c.catalog().hasDefaultPartition(s.table()))) {
                    // measured on 15: "cannot detach partitions concurrently when a default partition exists"
                    return new Advice(
                            "-- " + s.table() + " has a DEFAULT partition, so PostgreSQL cannot detach CONCURRENTLY; "
                                    + "detach the default partition first (it holds the rows no other partition "
                                    + "takes), or run the detach in a quiet moment with a short lock_timeout:\n"
                                    + "/* ddlguard:allow require-concurrent-detach <why a brief ACCESS EXCLUSIVE on the "
                                    + "parent is acceptable now> */ " + s.code() + ";",
                            null);
                }
                AlterAction a = s.actions().get(0);
                Rewrite rewrite = Rewrite.insert(a.end(), " CONCURRENTLY", IndexRules.NEEDS_AUTOCOMMIT);
                return new Advice(rewrite.apply(s.text()) + ";", rewrite);
            })
            .build();

    static final Rule ENUM_VALUE_IN_TRANSACTION = Rule.builder("enum-value-in-transaction")
            .defaultAction(Action.BLOCK)
            .lock("none: the server refuses the statement")
            .reason("before PostgreSQL 12, ALTER TYPE … ADD VALUE cannot run inside a transaction block")
            .safeAlternative("run it outside a transaction (Flyway: executeInTransaction=false), or upgrade to 12+ "
                    + "(where the new value is usable once the transaction commits)")
            .on(Verb.ALTER)
            .matches((s, c) ->
                    s.is(Verb.ALTER, "TYPE") && PgNames.hasWords(s, "ADD", "VALUE") && !c.autocommit() && !c.atLeast(12)
                            ? "adds a value to enum " + s.names().get(0) + " inside a transaction"
                            : null)
            .build();

    static final Rule LOCK_QUEUE = Rule.builder("lock-queue")
            .defaultAction(Action.WARN)
            .lock("whatever the statement needs; the queue is the danger")
            .reason("other sessions hold locks this statement must wait for; while it waits in the queue, every "
                    + "query behind it on the table waits too")
            .safeAlternative("let those transactions finish (or end them) first; keep ddlguard.lock-timeout short so "
                    + "a queued statement gives up instead of stalling the table")
            .matches(TableRules::queue)
            .build();

    /**
     * PostgreSQL manual, "Storage Parameters": autovacuum_enabled false keeps autovacuum and autoanalyze off the table
     * (only an anti-wraparound vacuum still runs). SHARE UPDATE EXCLUSIVE: nothing waits; the harm is slow and silent.
     */
    static final Rule DISABLE_AUTOVACUUM = Rule.builder("disable-autovacuum")
            .defaultAction(Action.WARN)
            .on(Verb.ALTER)
            .lock("SHARE UPDATE EXCLUSIVE, briefly: reads and writes go on; metadata only")
            .reason("with autovacuum_enabled off the table is no longer vacuumed or analyzed automatically: dead rows "
                    + "pile up and the table and its indexes bloat, the planner's statistics go stale as the data "
                    + "changes, and only the emergency anti-wraparound vacuum still runs, at the worst time; nothing "
                    + "fails, so it is noticed only when queries have slowed")
            .safeAlternative("tune the table's autovacuum instead (autovacuum_vacuum_scale_factor, "
                    + "autovacuum_vacuum_cost_delay); for a bulk load, switch it off and on again in the same migration "
                    + "(ALTER TABLE t RESET (autovacuum_enabled)), with an inline ddlguard:allow disable-autovacuum "
                    + "comment")
            .matches(TableRules::autovacuumOff)
            .build();

    /** "switches autovacuum off for orders (autovacuum_enabled = false)", or null. */
    private static String autovacuumOff(DdlStatement s, RuleContext c) {
        if (s.verb() != Verb.ALTER || !("TABLE".equals(s.objectType()) || "MATERIALIZED VIEW".equals(s.objectType()))) {
            return null;
        }
        String sql = s.text().source();
        List<Token> code = s.text().code();
        for (int i = 0; i + 2 < code.size(); i++) {
            if (isAutovacuumEnabled(code.get(i), sql)
                    && "=".equals(code.get(i + 1).text(sql))
                    && BooleanValues.isFalse(unquoted(code.get(i + 2).text(sql)))) {
                boolean toast = i >= 2 && code.get(i - 2).isWord(sql, "TOAST");
                return "switches autovacuum off for " + (toast ? "the TOAST table of " : "")
                        + (s.table() != null ? s.table() : first(s)) + " (autovacuum_enabled = "
                        + code.get(i + 2).text(sql) + ")";
            }
        }
        return null;
    }

    /** autovacuum_enabled as a word or a quoted identifier (SET ("autovacuum_enabled" = false) is the same option). */
    private static boolean isAutovacuumEnabled(Token t, String sql) {
        return t.isWord(sql, "AUTOVACUUM_ENABLED")
                || t.kind() == TokenKind.QUOTED_IDENTIFIER
                        && Identifier.ofQuoted(t.text(sql)).text().equalsIgnoreCase("autovacuum_enabled");
    }

    private static String unquoted(String value) {
        String v = value.length() >= 2 && value.startsWith("'") ? value.substring(1, value.length() - 1) : value;
        return v.toLowerCase(Locale.ROOT);
    }

    private static String first(DdlStatement s) {
        return s.names().isEmpty() ? "?" : s.names().get(0).toString();
    }

    /** This pack's rules, in the order they are reported: a new rule of the pack is listed here. */
    static final List<Rule> ALL = List.of(
            TABLE_REWRITE,
            DISABLE_AUTOVACUUM,
            CREATE_PARTITION_LOCKS_PARENT,
            ATTACH_PARTITION_SCAN,
            REQUIRE_CONCURRENT_DETACH,
            ENUM_VALUE_IN_TRANSACTION,
            LOCK_QUEUE);

    /** The sessions the statement would queue behind: conflicting lock holders, and for CONCURRENTLY every open transaction. */
    private static String queue(DdlStatement s, RuleContext c) {
        List<Catalog.Session> waitFor;
        boolean build = (s.is(Verb.CREATE, "INDEX") && !s.has(Flag.ONLY)) || s.verb() == Verb.REINDEX;
        // In autocommit a plain build is rewritten to CONCURRENTLY (require-concurrent-index/-reindex): judge what will
        // run.
        boolean rewritten =
                build && !s.has(Flag.CONCURRENTLY) && c.autocommit() && (s.verb() != Verb.REINDEX || c.atLeast(12));
        // A plain build on a table this run created is exempt from the rewrite and runs as written: no CONCURRENTLY
        // wait.
        rewritten &= s.table() == null || !c.catalog().createdInThisRun(s.table());
        if (build && (s.has(Flag.CONCURRENTLY) || rewritten)) {
            waitFor = c.catalog().openTransactions();
            if (waitFor.isEmpty()) {
                return null;
            }
            return "a CONCURRENTLY build" + (rewritten ? " (which ddlguard rewrites this to)" : "")
                    + " waits for every open transaction, and these are open: " + describe(waitFor)
                    + flywayHint(waitFor);
        }
        // Every table the statement locks (its own, a foreign key's parent, a partition's parent, an index's table).
        String conflicts = PgLockQueue.conflicts(s, c.lock(), c.catalog(), TableRules::describe);
        return conflicts == null ? null : conflicts + flywayHint(conflicts);
    }

    private static String describe(List<Catalog.Session> sessions) {
        return sessions.stream().map(Catalog.Session::describe).collect(Collectors.joining("; "));
    }

    /** Flyway 9.1.2+ holds its migration lock in an open transaction, which a CONCURRENTLY build waits for forever. */
    private static String flywayHint(List<Catalog.Session> sessions) {
        boolean flyway = sessions.stream()
                .anyMatch(x -> "an advisory lock".equals(x.mode())
                        || (x.query() != null && x.query().contains("advisory_xact_lock")));
        return flywayHint(flyway);
    }

    private static String flywayHint(String described) {
        return flywayHint(described.contains("an advisory lock") || described.contains("advisory_xact_lock"));
    }

    private static String flywayHint(boolean flyway) {
        return flyway
                ? ". One looks like Flyway's migration lock: set postgresql.transactional.lock=false "
                        + "(Spring Boot: spring.flyway.postgresql.transactional-lock=false)"
                : "";
    }

    /** The partitioned table has no DEFAULT partition, or the catalog does not know it (a table of this run). */
    private static boolean noDefaultPartition(RuleContext c, QualifiedName parent) {
        return parent != null && !Boolean.TRUE.equals(c.catalog().hasDefaultPartition(parent));
    }

    /** Created earlier in this migration run, or by the open transaction: no other session knows the table yet. */
    private static boolean ofThisRun(RuleContext c, QualifiedName table) {
        return c.catalog().createdInThisRun(table) || c.catalog().createdInThisTransaction(table);
    }
}
