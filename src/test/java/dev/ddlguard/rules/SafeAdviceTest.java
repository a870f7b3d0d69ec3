package dev.ddlguard.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddlguard.dialect.Catalog;
import dev.ddlguard.dialect.Dialect;
import dev.ddlguard.dialect.h2.H2Dialect;
import dev.ddlguard.dialect.mysql.MySqlDialect;
import dev.ddlguard.dialect.postgres.PostgresDialect;
import dev.ddlguard.engine.JudgedStatement;
import dev.ddlguard.engine.Judgement;
import dev.ddlguard.engine.RuleVerdict;
import dev.ddlguard.engine.StatementJudge;
import dev.ddlguard.policy.Action;
import dev.ddlguard.policy.PolicyResolver;
import dev.ddlguard.sql.StatementSplitter;
import dev.ddlguard.sql.StatementText;
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
 * Every safe alternative the guard prints passes the guard: for each rule a statement that triggers it,
 * and each statement of the verdict's safe SQL judged again (offline, default policy, in autocommit unless
 * the advice opens a transaction) must not be blocked. A statement carrying an inline
 * {@code ddlguard:allow <rule> <reason>} comment is a deliberate step and passes through that comment; the
 * advice writes {@code <why this is safe>} as the reason the user fills in.
 */
class SafeAdviceTest {

    private static final Dialect PG = new PostgresDialect();
    private static final Dialect MARIADB = new MySqlDialect(true);
    private static final Dialect MYSQL = new MySqlDialect(false);
    private static final Dialect H2 = new H2Dialect();

    /** A statement that triggers the rule, the dialect it is judged as, and whether it runs in autocommit. */
    record Case(String rule, Dialect dialect, boolean autocommit, String sql, int serverVersion) {
        Case(String rule, Dialect dialect, boolean autocommit, String sql) {
            this(rule, dialect, autocommit, sql, 0);
        }

        @Override
        public String toString() {
            return rule + " (" + dialect.name() + "): " + sql;
        }
    }

    /** One case per rule id at least; a rule without one fails {@link #everyRuleHasACase}. */
    static final List<Case> CASES = List.of(
            new Case("drop-table", PG, true, "DROP TABLE orders"),
            new Case("drop-table", MARIADB, true, "DROP TABLE orders"),
            new Case("drop-column", PG, true, "ALTER TABLE orders DROP COLUMN note"),
            new Case("drop-column", MARIADB, true, "ALTER TABLE orders DROP COLUMN note"),
            new Case("truncate-table", PG, true, "TRUNCATE orders"),
            new Case("truncate-table", MYSQL, true, "TRUNCATE TABLE orders"),
            new Case("rename-column", PG, true, "ALTER TABLE orders RENAME COLUMN note TO remark"),
            new Case("rename-column", MARIADB, true, "ALTER TABLE orders RENAME COLUMN note TO remark"),
            new Case("rename-table", PG, true, "ALTER TABLE orders RENAME TO purchases"),
            new Case("rename-table", MARIADB, true, "RENAME TABLE orders TO purchases"),
            new Case("add-column-not-null", PG, true, "ALTER TABLE orders ADD COLUMN region text NOT NULL"),
            new Case("add-column-not-null", MYSQL, true, "ALTER TABLE orders ADD COLUMN region varchar(20) NOT NULL"),
            new Case("unanalyzable", PG, true, "DO $$ BEGIN EXECUTE 'DROP TABLE orders'; END $$"),
            new Case("add-column-rewrites-table", PG, true, "ALTER TABLE orders ADD COLUMN id2 bigserial"),
            new Case("change-column-type", PG, true, "ALTER TABLE orders ALTER COLUMN amount TYPE bigint"),
            // two changes: no plan, the outline instead
            new Case("change-column-type", PG, true,
                    "ALTER TABLE orders ALTER COLUMN amount TYPE bigint, ALTER COLUMN qty TYPE bigint"),
            new Case("constraint-missing-not-valid", PG, true,
                    "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id)"),
            new Case("require-unique-index-first", PG, true, "ALTER TABLE orders ADD CONSTRAINT orders_ref_key UNIQUE (ref)"),
            new Case("set-not-null", PG, true, "ALTER TABLE orders ALTER COLUMN note SET NOT NULL"),
            new Case("require-concurrent-index", PG, true, "CREATE INDEX orders_note_idx ON orders (note)"),
            new Case("require-concurrent-index", PG, false, "CREATE INDEX orders_note_idx ON orders (note)"),
            new Case("require-concurrent-index-drop", PG, true, "DROP INDEX orders_note_idx"),
            new Case("require-concurrent-reindex", PG, true, "REINDEX INDEX orders_note_idx"),
            new Case("concurrently-in-transaction", PG, false, "CREATE INDEX CONCURRENTLY orders_note_idx ON orders (note)"),
            new Case("table-rewrite", PG, true, "VACUUM FULL orders"),
            new Case("create-partition-locks-parent", PG, true,
                    "CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')"),
            new Case("attach-partition-scan", PG, true,
                    "ALTER TABLE events ATTACH PARTITION events_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')"),
            new Case("require-concurrent-detach", PG, true, "ALTER TABLE events DETACH PARTITION events_2026"),
            new Case("enum-value-in-transaction", PG, false, "ALTER TYPE mood ADD VALUE 'calm'", 110000),
            new Case("require-online-ddl", MARIADB, true, "ALTER TABLE orders ADD COLUMN region varchar(20) FIRST"),
            new Case("no-online-ddl-path", MARIADB, true, "ALTER TABLE orders MODIFY amount bigint"),
            new Case("explicit-blocking-algorithm", MARIADB, true, "ALTER TABLE orders ADD INDEX note_idx (note), ALGORITHM=COPY"),
            new Case("partitioning-change", MARIADB, true, "ALTER TABLE orders PARTITION BY HASH (id) PARTITIONS 4"),
            new Case("drop-all-objects", H2, true, "DROP ALL OBJECTS"),
            new Case("drop-schema", PG, true, "DROP SCHEMA app"),
            new Case("drop-database", MARIADB, true, "DROP DATABASE reporting"),
            new Case("drop-owned", PG, true, "DROP OWNED BY reporting_role"),
            new Case("drop-cascade", PG, true, "DROP TYPE mood CASCADE"),
            new Case("drop-view", PG, true, "DROP VIEW open_orders"),
            new Case("drop-constraint", PG, true, "ALTER TABLE orders DROP CONSTRAINT orders_customer_fk"),
            new Case("drop-constraint", MARIADB, true, "ALTER TABLE orders DROP FOREIGN KEY orders_customer_fk"),
            new Case("create-or-replace-table", MARIADB, true, "CREATE OR REPLACE TABLE orders (id int)"),
            new Case("discard-tablespace", MARIADB, true, "ALTER TABLE orders DISCARD TABLESPACE"),
            new Case("rename-schema", PG, true, "ALTER SCHEMA app RENAME TO app2"),
            new Case("rename-relation", PG, true, "ALTER VIEW open_orders RENAME TO pending_orders"),
            new Case("rename-view-column", PG, true, "ALTER VIEW open_orders RENAME COLUMN id TO order_id"),
            new Case("rename-type", PG, true, "ALTER TYPE mood RENAME VALUE 'sad' TO 'unhappy'"),
            new Case("set-schema", PG, true, "ALTER TABLE orders SET SCHEMA archive"),
            new Case("create-return-rule", PG, true, "CREATE RULE \"_RETURN\" AS ON SELECT TO orders DO INSTEAD SELECT 1::int AS id"),
            new Case("add-column-builds-index", PG, true, "ALTER TABLE orders ADD COLUMN ref int UNIQUE"),
            new Case("add-exclusion-constraint", PG, true,
                    "ALTER TABLE orders ADD CONSTRAINT orders_excl EXCLUDE USING btree (id WITH =)"),
            new Case("create-trigger", PG, true,
                    "CREATE TRIGGER orders_audit AFTER INSERT ON orders FOR EACH ROW EXECUTE FUNCTION audit()"),
            new Case("refresh-materialized-view-concurrently", PG, true, "REFRESH MATERIALIZED VIEW order_totals"),
            new Case("copy-program", PG, true, "COPY orders TO PROGRAM 'gzip > /tmp/orders.gz'"),
            new Case("alter-ignore-deletes-duplicates", MARIADB, true, "ALTER IGNORE TABLE orders ADD UNIQUE (ref)"),
            new Case("domain-constraint-scan", PG, true, "ALTER DOMAIN positive ADD CONSTRAINT positive_ck CHECK (VALUE > 0)"),
            new Case("blocking-lock", PG, true, "ALTER TABLE orders ADD CONSTRAINT orders_id_nn NOT NULL id"));

    /**
     * Rules that fire only on what a live server reports (sessions queued on the table): no statement
     * triggers them offline. Each needs its reason here.
     */
    static final Map<String, String> LIVE_ONLY = Map.of(
            "lock-queue", "fires only when the live catalog shows sessions waiting on the table's lock; it gives no safe SQL",
            "validate-in-adding-transaction", "fires only when the session saw the NOT VALID constraint added in the open "
                    + "transaction (PostgresCoverageTest proves it on the server); its advice is to commit first");

    @Test
    void everyRuleHasACase() {
        Set<String> covered = new TreeSet<>(LIVE_ONLY.keySet());
        CASES.forEach(c -> covered.add(c.rule()));
        Set<String> missing = new TreeSet<>(RuleCatalog.ids());
        missing.removeAll(covered);
        assertThat(missing).as("rules without a case in SafeAdviceTest.CASES: add a triggering statement").isEmpty();
    }

    /** The expand-contract rules print, for PostgreSQL, exactly the plan {@code ddlguard plan} prints. */
    @Test
    void theExpandContractAdviceIsWhatPlanPrints() {
        Set<String> planned = Set.of("rename-column", "rename-table", "add-column-not-null", "change-column-type");
        List<Case> checked = CASES.stream().filter(c -> c.dialect() == PG && planned.contains(c.rule()))
                .filter(c -> !c.sql().contains(", ALTER COLUMN")).toList();   // one change per statement: the planner's input
        assertThat(checked).extracting(Case::rule).containsExactlyInAnyOrderElementsOf(planned);
        for (Case c : checked) {
            StatementJudge judge = new StatementJudge(PolicyResolver.resolve(Map.of(), RuleCatalog.ids()), PG, PG);
            RuleVerdict verdict = judge.judge(c.sql(), StatementJudge.Context.offline(true)).statements().get(0).verdicts()
                    .stream().filter(v -> v.ruleId().equals(c.rule())).findFirst().orElseThrow();
            assertThat(verdict.safeSql()).as(c.toString()).isEqualTo(dev.ddlguard.cli.plan.Planner.plan(c.sql(),
                    dev.ddlguard.policy.Target.POSTGRESQL, dev.ddlguard.cli.plan.Planner.DEFAULT_BATCH_SIZE).render());
        }
    }

    @Test
    void theTypeChangeAdviceIsThePlanAndKeepsTheColumnName() {
        String sql = "ALTER TABLE orders ALTER COLUMN amount TYPE bigint";
        StatementJudge judge = new StatementJudge(PolicyResolver.resolve(Map.of(), RuleCatalog.ids()), PG, PG);
        RuleVerdict verdict = judge.judge(sql, StatementJudge.Context.offline(true)).statements().get(0).verdicts().stream()
                .filter(v -> v.ruleId().equals("change-column-type")).findFirst().orElseThrow();
        assertThat(verdict.safeSql()).isEqualTo(dev.ddlguard.cli.plan.Planner.plan(sql, dev.ddlguard.policy.Target.POSTGRESQL,
                dev.ddlguard.cli.plan.Planner.DEFAULT_BATCH_SIZE).render());
        // the application never reads amount_new: the contract swaps it in under the old name
        assertThat(verdict.safeSql()).doesNotContain("reads amount_new")
                .contains("ddlguard:allow drop-column").contains("ddlguard:allow rename-column")
                .contains("RENAME COLUMN amount_new TO amount");
    }

    static Stream<Case> cases() {
        return CASES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theSafeAlternativePassesTheGuard(Case c) {
        StatementJudge judge = new StatementJudge(PolicyResolver.resolve(Map.of(), RuleCatalog.ids()), c.dialect(), c.dialect());
        Judgement judgement = judge.judge(c.sql(), new StatementJudge.Context(c.autocommit(), c.serverVersion(), Catalog.OFFLINE));
        assertThat(judgement).as("judged as DDL").isNotNull();
        RuleVerdict verdict = judgement.statements().stream().flatMap(s -> s.verdicts().stream())
                .filter(v -> v.ruleId().equals(c.rule())).findFirst().orElse(null);
        assertThat(verdict).as("the case triggers %s; verdicts: %s", c.rule(), verdicts(judgement)).isNotNull();
        String safe = verdict.safeSql();
        if (safe == null) {
            return;   // nothing printed, nothing to pass
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
            Judgement again = judge.judge(statement, new StatementJudge.Context(!inTransaction, c.serverVersion(), Catalog.OFFLINE));
            if (again != null && again.blocked() && !(validatedCheckFirst(safe, statement) && onlyBlockedBy(again, "set-not-null"))) {
                blocked.put(statement, verdicts(again));
            }
        }
        assertThat(blocked).as("statements of the safe alternative the guard blocks:\n%s", safe).isEmpty();
    }

    /**
     * SET NOT NULL after a validated {@code CHECK (column IS NOT NULL)} skips the scan on PostgreSQL 12+, which
     * only a live catalog can see; offline the guard must assume the scan.
     */
    private static boolean validatedCheckFirst(String safe, String statement) {
        int at = safe.indexOf(statement);
        return at > 0 && safe.substring(0, at).contains("IS NOT NULL) NOT VALID") && safe.substring(0, at).contains("VALIDATE CONSTRAINT");
    }

    private static boolean onlyBlockedBy(Judgement j, String rule) {
        return j.statements().stream().flatMap(s -> s.verdicts().stream())
                .filter(v -> v.action() == Action.BLOCK).allMatch(v -> v.ruleId().equals(rule));
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

    private static String verdicts(Judgement j) {
        List<String> out = new ArrayList<>();
        for (JudgedStatement s : j.statements()) {
            for (RuleVerdict v : s.verdicts()) {
                out.add(v.ruleId() + "=" + v.action() + " (" + v.message() + ")");
            }
        }
        return String.join("; ", out);
    }
}
