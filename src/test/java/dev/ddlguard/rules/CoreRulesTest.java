package dev.ddlguard.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddlguard.dialect.Dialect;
import dev.ddlguard.dialect.h2.H2Dialect;
import dev.ddlguard.dialect.mysql.MySqlDialect;
import dev.ddlguard.dialect.postgres.PostgresDialect;
import dev.ddlguard.engine.Decision;
import dev.ddlguard.engine.JudgedStatement;
import dev.ddlguard.engine.Judgement;
import dev.ddlguard.engine.StatementJudge;
import dev.ddlguard.policy.Action;
import dev.ddlguard.policy.Mode;
import dev.ddlguard.policy.Policy;
import dev.ddlguard.policy.Target;
import dev.ddlguard.rules.Catalog.TableSize;
import dev.ddlguard.sql.SecretRedactor;
import dev.ddlguard.sql.SqlSyntax;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Verdicts of the whole judge, without a database: the statement is classified, the core rules
 * (and the target's rule pack) match, and the policy decides.
 */
class CoreRulesTest {

    enum Db {
        H2(new H2Dialect()),
        POSTGRESQL(new PostgresDialect()),
        MYSQL(new MySqlDialect(false));

        final Dialect dialect;

        Db(Dialect dialect) {
            this.dialect = dialect;
        }
    }

    static Judgement judge(Policy policy, Db db, String sql, boolean autocommit) {
        return new StatementJudge(policy, db.dialect, db.dialect)
                .judge(sql, StatementJudge.Context.offline(autocommit));
    }

    static Judgement judge(Db db, String sql) {
        return judge(Policy.defaults(), db, sql, true);
    }

    static JudgedStatement only(Judgement judgement) {
        assertThat(judgement).isNotNull();
        assertThat(judgement.statements()).hasSize(1);
        return judgement.statements().get(0);
    }

    /** {@code drop-table:block rename-column:block}, or "" when no rule matched. */
    static String verdicts(JudgedStatement statement) {
        return statement.verdicts().stream()
                .map(v -> v.ruleId() + ":" + v.action().value())
                .collect(Collectors.joining(" "));
    }

    static Policy policy(Mode mode, Map<String, Action> ruleActions, long smallTableBytes) {
        return new Policy(
                mode,
                Target.AUTO,
                ruleActions,
                Optional.of(Duration.ofSeconds(5)),
                3,
                Optional.empty(),
                smallTableBytes,
                Policy.DEFAULT_THROUGHPUT,
                Optional.empty(),
                Optional.empty());
    }

    // ---------------------------------------------------------------- the decision table

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      # name                             | db         | sql                                                              | decision | rules (id:action)
      drop table                         | H2         | DROP TABLE t                                                     | BLOCKED  | drop-table:block
      drop tables if exists cascade      | POSTGRESQL | DROP TABLE IF EXISTS a, b CASCADE                                | BLOCKED  | drop-table:block drop-cascade:block
      mariadb drop tables                | MYSQL      | DROP TABLES a, b                                                 | BLOCKED  | drop-table:block
      drop table quoted and qualified    | POSTGRESQL | drop table "App"."Orders"                                        | BLOCKED  | drop-table:block
      drop temporary table               | MYSQL      | DROP TEMPORARY TABLE t                                           | ALLOWED  |
      drop view                          | POSTGRESQL | DROP VIEW v                                                      | BLOCKED  | drop-view:block
      h2 drop all objects                | H2         | DROP ALL OBJECTS                                                 | BLOCKED  | drop-all-objects:block
      drop schema cascade                | POSTGRESQL | DROP SCHEMA app CASCADE                                          | BLOCKED  | drop-schema:block
      mysql drop schema is a database    | MYSQL      | DROP SCHEMA app                                                  | BLOCKED  | drop-database:block
      drop owned                         | POSTGRESQL | DROP OWNED BY app_role CASCADE                                   | BLOCKED  | drop-owned:block
      drop domain cascade                | POSTGRESQL | DROP DOMAIN d CASCADE                                            | BLOCKED  | drop-cascade:block
      drop domain without cascade        | POSTGRESQL | DROP DOMAIN d                                                    | WARNED   | drop-type:warn
      create or replace table offline    | MYSQL      | CREATE OR REPLACE TABLE t (x int)                                | BLOCKED  | create-or-replace-table:block
      discard tablespace                 | MYSQL      | ALTER TABLE t DISCARD TABLESPACE                                 | BLOCKED  | discard-tablespace:block
      rename schema                      | POSTGRESQL | ALTER SCHEMA s RENAME TO s2                                      | BLOCKED  | rename-schema:block
      rename enum value                  | POSTGRESQL | ALTER TYPE e RENAME VALUE 'a' TO 'b'                             | BLOCKED  | rename-type:block
      add enum value is no rename        | POSTGRESQL | ALTER TYPE e ADD VALUE 'c'                                       | ALLOWED  |
      rename view column                 | POSTGRESQL | ALTER VIEW v RENAME COLUMN a TO b                                | BLOCKED  | rename-view-column:block
      set schema                         | POSTGRESQL | ALTER VIEW v SET SCHEMA other                                    | BLOCKED  | set-schema:block
      alter index rename offline         | POSTGRESQL | ALTER INDEX i RENAME TO j                                        | ALLOWED  |
      catch-all: unknown scanning form   | POSTGRESQL | ALTER TABLE t ADD CONSTRAINT c NOT NULL a                        | BLOCKED  | blocking-lock:block
      catch-all spares ON ONLY           | POSTGRESQL | CREATE INDEX i ON ONLY t (a)                                     | ALLOWED  |
      type change judged by its rule     | POSTGRESQL | ALTER TABLE t ADD COLUMN a int, ALTER COLUMN b TYPE text         | BLOCKED  | change-column-type:block
      drop column                        | H2         | ALTER TABLE t DROP COLUMN c                                      | BLOCKED  | drop-column:block
      drop column without COLUMN         | POSTGRESQL | ALTER TABLE t DROP c CASCADE                                     | BLOCKED  | drop-column:block
      drop constraint is no drop-column  | POSTGRESQL | ALTER TABLE t DROP CONSTRAINT fk                                 | BLOCKED  | drop-constraint:block
      truncate                           | H2         | TRUNCATE TABLE t                                                 | BLOCKED  | truncate-table:block
      truncate several                   | POSTGRESQL | TRUNCATE a, b RESTART IDENTITY                                   | BLOCKED  | truncate-table:block
      rename column                      | POSTGRESQL | ALTER TABLE t RENAME COLUMN a TO b                               | BLOCKED  | rename-column:block
      h2 alter column rename             | H2         | ALTER TABLE t ALTER COLUMN a RENAME TO b                         | BLOCKED  | rename-column:block
      mysql change with new name         | MYSQL      | ALTER TABLE t CHANGE a b int                                     | BLOCKED  | rename-column:block no-online-ddl-path:block
      mysql change same name             | MYSQL      | ALTER TABLE t CHANGE a a bigint                                  | BLOCKED  | no-online-ddl-path:block
      rename table                       | POSTGRESQL | ALTER TABLE t RENAME TO u                                        | BLOCKED  | rename-table:block
      mysql rename table                 | MYSQL      | RENAME TABLE a TO b                                              | BLOCKED  | rename-table:block
      mysql alter rename without TO      | MYSQL      | ALTER TABLE t RENAME u                                           | BLOCKED  | rename-table:block require-online-ddl:rewrite
      rename constraint                  | POSTGRESQL | ALTER TABLE t RENAME CONSTRAINT a TO b                           | WARNED   | rename-constraint:warn
      add column not null                | POSTGRESQL | ALTER TABLE t ADD COLUMN c int NOT NULL                          | BLOCKED  | add-column-not-null:block
      add not null on h2                 | H2         | ALTER TABLE t ADD c varchar(20) NOT NULL                         | BLOCKED  | add-column-not-null:block
      add not null default null          | POSTGRESQL | ALTER TABLE t ADD COLUMN c int NOT NULL DEFAULT NULL             | BLOCKED  | add-column-not-null:block
      add not null default 0             | POSTGRESQL | ALTER TABLE t ADD COLUMN c int NOT NULL DEFAULT 0                | ALLOWED  |
      add default then not null          | POSTGRESQL | ALTER TABLE t ADD COLUMN c int DEFAULT 0 NOT NULL                | ALLOWED  |
      add nullable column                | POSTGRESQL | ALTER TABLE t ADD COLUMN c int                                   | ALLOWED  |
      add serial (not the core rule)     | H2         | ALTER TABLE t ADD COLUMN id bigserial NOT NULL                   | ALLOWED  |
      add identity (not the core rule)   | H2         | ALTER TABLE t ADD id int NOT NULL GENERATED ALWAYS AS IDENTITY   | ALLOWED  |
      add generated (not the core rule)  | H2         | ALTER TABLE t ADD c int NOT NULL GENERATED ALWAYS AS (a * 2) STORED | ALLOWED |
      add serial rewrites on postgres    | POSTGRESQL | ALTER TABLE t ADD COLUMN id bigserial NOT NULL                   | BLOCKED  | add-column-rewrites-table:block
      add identity rewrites on postgres  | POSTGRESQL | ALTER TABLE t ADD id int NOT NULL GENERATED ALWAYS AS IDENTITY   | BLOCKED  | add-column-rewrites-table:block
      add generated rewrites on postgres | POSTGRESQL | ALTER TABLE t ADD c int NOT NULL GENERATED ALWAYS AS (a * 2) STORED | BLOCKED | add-column-rewrites-table:block
      mysql add auto_increment           | MYSQL      | ALTER TABLE t ADD id int NOT NULL AUTO_INCREMENT PRIMARY KEY     | BLOCKED  | no-online-ddl-path:block
      mysql add generated                | MYSQL      | ALTER TABLE t ADD c int AS (a + 1) NOT NULL                      | REWRITTEN | require-online-ddl:rewrite
      mysql add list with a not null     | MYSQL      | ALTER TABLE t ADD (a int, b int NOT NULL)                        | BLOCKED  | add-column-not-null:block require-online-ddl:rewrite
      mysql add column list              | MYSQL      | ALTER TABLE t ADD COLUMN (a int NOT NULL, b int)                 | BLOCKED  | add-column-not-null:block require-online-ddl:rewrite
      several actions, several rules     | POSTGRESQL | ALTER TABLE t DROP COLUMN a, RENAME COLUMN b TO c                | BLOCKED  | drop-column:block rename-column:block
      create table                       | POSTGRESQL | CREATE TABLE t (id bigint PRIMARY KEY, name text NOT NULL)       | ALLOWED  |
      create table on h2                 | H2         | CREATE TABLE t (id int)                                          | ALLOWED  |
      create index on h2 has no rule     | H2         | CREATE INDEX i ON t (a)                                          | ALLOWED  |
      comment on                         | POSTGRESQL | COMMENT ON COLUMN t.c IS 'the c'                                 | ALLOWED  |
      do block running ddl               | POSTGRESQL | DO $$ BEGIN EXECUTE 'DROP TABLE t'; END $$                       | BLOCKED  | unanalyzable:block
      function body running ddl          | POSTGRESQL | CREATE FUNCTION f() RETURNS void AS $$ BEGIN TRUNCATE t; END $$ LANGUAGE plpgsql | BLOCKED | unanalyzable:block
      alter table without a name         | POSTGRESQL | ALTER TABLE                                                      | BLOCKED  | unanalyzable:block
      drop table without a name          | POSTGRESQL | DROP TABLE IF EXISTS                                             | BLOCKED  | unanalyzable:block
      """)
    void decides(String name, Db db, String sql, Decision decision, String rules) {
        JudgedStatement s = only(judge(db, sql));

        assertThat(verdicts(s)).as(name).isEqualTo(rules == null ? "" : rules);
        assertThat(s.decision()).as("decision").isEqualTo(decision);
        assertThat(s.enforceDecision()).as("enforce decision").isEqualTo(decision);
        if (decision != Decision.REWRITTEN) {
            assertThat(s.rewrittenSql()).as("rewritten").isNull();
        } else {
            assertThat(s.rewrittenSql()).as("rewritten").startsWith(sql).contains("ALGORITHM=");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      # name    | sql
      select    | SELECT * FROM t
      insert    | INSERT INTO t VALUES (1)
      vacuum    | VACUUM ANALYZE t
      """)
    void notDdlIsNotJudged(String name, String sql) {
        assertThat(judge(Db.POSTGRESQL, sql)).as(name).isNull();
    }

    @Test
    void blockedMessageNamesWhatMatchedTheReasonAndTheAlternative() {
        RuleVerdict v = only(judge(Db.POSTGRESQL, "ALTER TABLE s.users DROP COLUMN email"))
                .verdicts()
                .get(0);

        assertThat(v.message())
                .startsWith("drops column email of s.users: ")
                .contains(CoreRules.DROP_COLUMN_RULE.reason())
                .contains("Instead: " + CoreRules.DROP_COLUMN_RULE.safeAlternative());
    }

    // ---------------------------------------------------------------- concrete safe SQL

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      # name                | db         | sql                                          | rule                      | safe SQL contains
      drop table            | POSTGRESQL | DROP TABLE s.orders                          | drop-table                | CREATE TABLE s.orders_backup AS SELECT * FROM s.orders;
      drop quoted table     | POSTGRESQL | DROP TABLE "My Table"                        | drop-table                | CREATE TABLE "My Table_backup" AS SELECT * FROM "My Table";
      drop column backup    | POSTGRESQL | ALTER TABLE s.t DROP COLUMN c                | drop-column               | CREATE TABLE s.t_backup AS SELECT * FROM s.t;
      truncate backup       | POSTGRESQL | TRUNCATE "T"                                 | truncate-table            | CREATE TABLE "T_backup" AS SELECT * FROM "T";
      drop table allow hint | POSTGRESQL | DROP TABLE s.orders                          | drop-table                | /* ddlguard:allow drop-table <why this is safe> */ DROP TABLE s.orders;
      drop column           | POSTGRESQL | ALTER TABLE t DROP COLUMN c                  | drop-column               | /* ddlguard:allow drop-column <why this is safe> */ ALTER TABLE t DROP COLUMN c;
      truncate              | POSTGRESQL | TRUNCATE t                                   | truncate-table            | DELETE FROM t WHERE <key> IN (SELECT <key> FROM t LIMIT 10000);
      rename column         | POSTGRESQL | ALTER TABLE t RENAME COLUMN a TO b           | rename-column             | ALTER TABLE t ADD COLUMN b <type of a>;
      rename table          | POSTGRESQL | ALTER TABLE t RENAME TO u                    | rename-table              | CREATE VIEW t AS SELECT * FROM u;
      rename in a schema    | POSTGRESQL | ALTER TABLE s.t RENAME TO u                  | rename-table              | CREATE VIEW s.t AS SELECT * FROM s.u;
      h2 rename in a schema | H2         | ALTER TABLE s.t RENAME TO u                  | rename-table              | CREATE VIEW s.t AS SELECT * FROM s.u;
      mysql rename to db    | MYSQL      | RENAME TABLE s.t TO u                        | rename-table              | CREATE VIEW s.t AS SELECT * FROM u;
      mysql truncate        | MYSQL      | TRUNCATE TABLE t                             | truncate-table            | DELETE FROM t LIMIT 10000;
      mysql rename table    | MYSQL      | RENAME TABLE a TO b                          | rename-table              | CREATE VIEW a AS SELECT * FROM b;
      add not null          | POSTGRESQL | ALTER TABLE t ADD COLUMN c varchar(20) NOT NULL | add-column-not-null    | ALTER TABLE t ALTER COLUMN c SET NOT NULL;
      add not null typed    | POSTGRESQL | ALTER TABLE t ADD COLUMN c varchar(20) NOT NULL | add-column-not-null    | ALTER TABLE t ADD COLUMN c varchar(20);
      concurrent index      | POSTGRESQL | CREATE INDEX i ON t (a)                      | require-concurrent-index  | CREATE INDEX CONCURRENTLY i ON t (a)
      """)
    void adviceHasConcreteSafeSql(String name, Db db, String sql, String rule, String expected) {
        RuleVerdict v = only(judge(db, sql)).verdicts().stream()
                .filter(x -> x.ruleId().equals(rule))
                .findFirst()
                .orElseThrow();

        assertThat(v.safeSql()).as(name).isNotNull().contains(expected);
    }

    /**
     * Issue 13: a failure of the guard (here the catalog throws while the statement is judged) blocks in
     * enforce mode whatever ddlguard.rule.unanalyzable says, names the failure, and is recorded in audit mode.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
      ENFORCE | BLOCKED
      AUDIT   | AUDITED
      """)
    void aFailureOfTheGuardBlocksInEnforceWhateverTheUnanalyzableSetting(Mode mode, Decision decision) {
        Policy warnOnUnanalyzable = policy(mode, Map.of(UnanalyzableRule.ID, Action.WARN), 0);
        StatementJudge.Context failing = new StatementJudge.Context(true, table -> {
            throw new IllegalStateException("catalog broke");
        });
        String sql = "ALTER TABLE t DROP COLUMN c";
        Judgement j = new StatementJudge(warnOnUnanalyzable, Db.POSTGRESQL.dialect, Db.POSTGRESQL.dialect)
                .judge(sql, failing);

        JudgedStatement s = only(j);
        assertThat(s.decision()).isEqualTo(decision);
        assertThat(s.enforceDecision()).isEqualTo(Decision.BLOCKED);
        assertThat(j.blocked()).isEqualTo(mode == Mode.ENFORCE);
        assertThat(s.verdicts().get(0).message()).contains("the guard failed").contains("catalog broke");
        assertThat(s.note()).contains("guard error").contains("catalog broke");
    }

    @Test
    void unanalyzableHasNoSafeSql() {
        RuleVerdict v = only(judge(Db.POSTGRESQL, "DO $$ BEGIN EXECUTE 'DROP TABLE t'; END $$"))
                .verdicts()
                .get(0);
        assertThat(v.safeSql()).isNull();
    }

    // ---------------------------------------------------------------- PostgreSQL: CREATE INDEX CONCURRENTLY

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      # name                        | sql                                                         | sql to send
      plain                         | CREATE INDEX i ON t (a)                                     | CREATE INDEX CONCURRENTLY i ON t (a)
      unnamed                       | CREATE INDEX ON t USING gin (a)                             | CREATE INDEX CONCURRENTLY ON t USING gin (a)
      comments and spacing          | create /*x*/ unique index  if not exists i on t (a) where b | create /*x*/ unique index CONCURRENTLY  if not exists i on t (a) where b
      comment that says index       | /* INDEX */ CREATE INDEX i ON t (a)                         | /* INDEX */ CREATE INDEX CONCURRENTLY i ON t (a)
      within a script               | SELECT 1; CREATE INDEX i ON t (a) ; SELECT 2                | SELECT 1; CREATE INDEX CONCURRENTLY i ON t (a) ; SELECT 2
      """)
    void createIndexIsRewrittenToConcurrently(String name, String sql, String toSend) {
        Judgement j = judge(Db.POSTGRESQL, sql);
        JudgedStatement s = only(j);

        assertThat(verdicts(s)).as(name).isEqualTo("require-concurrent-index:rewrite");
        assertThat(s.decision()).isEqualTo(Decision.REWRITTEN);
        assertThat(j.sqlToSend()).isEqualTo(toSend);
        assertThat(s.rewriteSent()).isTrue();
        assertThat(s.rewrittenSql()).contains("CONCURRENTLY");
        assertThat(s.executedSql()).isEqualTo(s.rewrittenSql());
        assertThat(j.concurrently()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "CREATE INDEX CONCURRENTLY i ON t (a)",
                "create unique index concurrently if not exists i on t (a)"
            })
    void createIndexConcurrentlyIsAllowed(String sql) {
        Judgement j = judge(Db.POSTGRESQL, sql);

        assertThat(only(j).decision()).isEqualTo(Decision.ALLOWED);
        assertThat(only(j).verdicts()).isEmpty();
        assertThat(j.sqlToSend()).isEqualTo(sql);
    }

    @Test
    void createIndexInATransactionIsBlockedWithTheReason() {
        Judgement j = judge(Policy.defaults(), Db.POSTGRESQL, "CREATE INDEX i ON t (a)", false);
        JudgedStatement s = only(j);

        assertThat(s.decision()).isEqualTo(Decision.BLOCKED);
        assertThat(verdicts(s)).isEqualTo("require-concurrent-index:block");
        assertThat(s.verdicts().get(0).message()).contains("transaction").contains("executeInTransaction=false");
        assertThat(s.rewrittenSql()).isNull();
        assertThat(j.blocked()).isTrue();
    }

    // ---------------------------------------------------------------- several statements in one string

    @Test
    void oneBlockedStatementBlocksTheWholeString() {
        Judgement j = judge(Db.POSTGRESQL, "CREATE TABLE a (x int); DROP TABLE b; SELECT 1");

        assertThat(j.statements())
                .extracting(JudgedStatement::decision)
                .containsExactly(Decision.ALLOWED, Decision.BLOCKED);
        assertThat(j.blocked()).isTrue();
        assertThat(j.sqlToSend()).isNull();
    }

    @Test
    void aRewriteInABlockedStringIsNotSent() {
        Judgement j = judge(Db.POSTGRESQL, "CREATE INDEX i ON t (a); DROP TABLE b");

        assertThat(j.blocked()).isTrue();
        assertThat(j.statements())
                .extracting(JudgedStatement::decision)
                .containsExactly(Decision.REWRITTEN, Decision.BLOCKED);
    }

    // ---------------------------------------------------------------- inline directives

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      # name                            | sql                                                                  | decision | action | message contains
      block comment with reason         | /* ddlguard:allow drop-table backup taken */ DROP TABLE t            | ALLOWED  | ALLOW  | backup taken
      line comment with reason          | -- ddlguard:allow drop-table backup in s3://b/t.dump\\nDROP TABLE t   | ALLOWED  | ALLOW  | backup in s3://b/t.dump
      comment after the statement       | DROP TABLE t /* ddlguard:allow drop-table legacy table */            | ALLOWED  | ALLOW  | legacy table
      reason on the next lines          | /* ddlguard:allow drop-table\\n   backup taken\\n   by ops */ DROP TABLE t | ALLOWED  | ALLOW  | allowed by comment: backup taken by ops (
      boxed comment                     | /*\\n * ddlguard:allow drop-table\\n * backup taken\\n */ DROP TABLE t | ALLOWED  | ALLOW  | allowed by comment: backup taken (
      two directives in one comment     | /* ddlguard:allow drop-column c is unused\\n   ddlguard:allow drop-table t too */ DROP TABLE t | ALLOWED | ALLOW | allowed by comment: t too (
      line comment without a reason     | -- ddlguard:allow drop-table\\nDROP TABLE t                           | BLOCKED  | BLOCK  | needs a reason
      block comment without a reason    | /* ddlguard:allow drop-table */ DROP TABLE t                         | BLOCKED  | BLOCK  | needs a reason
      allow for another rule            | /* ddlguard:allow drop-column not this one */ DROP TABLE t           | BLOCKED  | BLOCK  | drops table t
      directive inside a string         | DROP TABLE t; SELECT '/* ddlguard:allow drop-table x */'             | BLOCKED  | BLOCK  | drops table t
      """)
    void inlineAllowNeedsAReason(String name, String sql, Decision decision, Action action, String message) {
        JudgedStatement s =
                judge(Db.POSTGRESQL, sql.replace("\\n", "\n")).statements().get(0);

        assertThat(s.decision()).as(name).isEqualTo(decision);
        assertThat(s.verdicts()).singleElement().satisfies(v -> {
            assertThat(v.ruleId()).isEqualTo("drop-table");
            assertThat(v.action()).isEqualTo(action);
            assertThat(v.message()).contains(message);
        });
    }

    @Test
    void directiveBeforeTheNextStatementBelongsToIt() {
        Judgement j = judge(Db.POSTGRESQL, "DROP TABLE a;\n/* ddlguard:allow drop-table archived */ DROP TABLE b");

        assertThat(j.statements())
                .extracting(JudgedStatement::decision)
                .containsExactly(Decision.BLOCKED, Decision.ALLOWED);
    }

    // ---------------------------------------------------------------- policy

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      # name                          | rule                     | action  | sql                                       | decision
      drop-table warn                 | drop-table               | WARN    | DROP TABLE t                              | WARNED
      drop-table allow                | drop-table               | ALLOW   | DROP TABLE t                              | ALLOWED
      add-column-not-null warn        | add-column-not-null      | WARN    | ALTER TABLE t ADD c int NOT NULL          | WARNED
      unanalyzable warn               | unanalyzable             | WARN    | DO $$ BEGIN EXECUTE 'DROP TABLE t'; END $$ | WARNED
      concurrent index only warn      | require-concurrent-index | WARN    | CREATE INDEX i ON t (a)                   | WARNED
      concurrent index block          | require-concurrent-index | BLOCK   | CREATE INDEX i ON t (a)                   | BLOCKED
      rewrite without a rewrite       | drop-table               | REWRITE | DROP TABLE t                              | BLOCKED
      other rule's override           | drop-column              | ALLOW   | DROP TABLE t                              | BLOCKED
      """)
    void policyOverridesTheRuleDefault(String name, String rule, Action action, String sql, Decision decision) {
        Judgement j = judge(policy(Mode.ENFORCE, Map.of(rule, action), 0), Db.POSTGRESQL, sql, true);

        assertThat(only(j).decision()).as(name).isEqualTo(decision);
        assertThat(j.blocked()).isEqualTo(decision == Decision.BLOCKED);
        if (decision != Decision.BLOCKED) {
            assertThat(j.sqlToSend()).isEqualTo(sql);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      # name                | sql                     | enforce decision
      block                 | DROP TABLE t            | BLOCKED
      rewrite               | CREATE INDEX i ON t (a) | REWRITTEN
      allowed               | CREATE TABLE t (a int)  | ALLOWED
      """)
    void auditModeRecordsWhatEnforceWouldDoAndSendsTheOriginal(String name, String sql, Decision enforce) {
        Judgement j = judge(policy(Mode.AUDIT, Map.of(), 0), Db.POSTGRESQL, sql, true);
        JudgedStatement s = only(j);

        assertThat(s.decision()).as(name).isEqualTo(Decision.AUDITED);
        assertThat(s.enforceDecision()).isEqualTo(enforce);
        assertThat(s.blocked()).isFalse();
        assertThat(s.rewriteSent()).isFalse();
        assertThat(s.executedSql()).isEqualTo(sql);
        assertThat(j.sqlToSend()).isEqualTo(sql);
        assertThat(j.concurrently()).isFalse();
    }

    @Test
    void auditModeStillReportsTheRewrite() {
        JudgedStatement s =
                only(judge(policy(Mode.AUDIT, Map.of(), 0), Db.POSTGRESQL, "CREATE INDEX i ON t (a)", true));
        assertThat(s.rewrittenSql()).isEqualTo("CREATE INDEX CONCURRENTLY i ON t (a)");
    }

    @Test
    void rewriteForAnotherTargetIsReportedButNotSent() {
        String sql = "CREATE INDEX i ON t (a)";
        Judgement j = new StatementJudge(Policy.defaults(), new PostgresDialect(), new H2Dialect())
                .judge(sql, StatementJudge.Context.offline(true));
        JudgedStatement s = only(j);

        assertThat(s.decision()).isEqualTo(Decision.WARNED);
        assertThat(s.rewrittenSql()).contains("CONCURRENTLY");
        assertThat(s.rewriteSent()).isFalse();
        assertThat(s.executedSql()).isEqualTo(sql);
        assertThat(j.sqlToSend()).isEqualTo(sql);
        assertThat(s.note()).contains("not sent");
    }

    @Test
    void eachPairOfARenameTableIsNamedInTheMessage() {
        Judgement j = new StatementJudge(Policy.defaults(), new MySqlDialect(false), new MySqlDialect(false))
                .judge("RENAME TABLE a TO b, orders TO purchases", StatementJudge.Context.offline(true));
        assertThat(only(j).verdicts().get(0).message())
                .contains("renames table a to b; renames table orders to purchases");
    }

    @Test
    void blocksOfAnotherTargetStillApply() {
        Judgement j = new StatementJudge(Policy.defaults(), new PostgresDialect(), new H2Dialect())
                .judge("DROP TABLE t", StatementJudge.Context.offline(true));
        assertThat(only(j).decision()).isEqualTo(Decision.BLOCKED);
    }

    @Test
    void smallTableDoesNotSoftenIrreversibleRules() {
        Policy small = policy(Mode.ENFORCE, Map.of(), 10L << 20);
        Judgement j = new StatementJudge(small, new PostgresDialect(), new PostgresDialect())
                .judge("DROP TABLE t", new StatementJudge.Context(true, name -> new TableSize(10L, 8192L)));
        assertThat(only(j).decision()).isEqualTo(Decision.BLOCKED);
    }

    @Test
    void smallTableSoftensALockBoundBlock() {
        Policy small = policy(Mode.ENFORCE, Map.of("require-concurrent-index", Action.BLOCK), 10L << 20);
        StatementJudge judge = new StatementJudge(small, new PostgresDialect(), new PostgresDialect());

        Judgement tiny = judge.judge(
                "CREATE INDEX i ON t (a)", new StatementJudge.Context(true, n -> new TableSize(10L, 8192L)));
        Judgement big = judge.judge(
                "CREATE INDEX i ON t (a)", new StatementJudge.Context(true, n -> new TableSize(1L, 1L << 30)));

        assertThat(only(tiny).decision()).isEqualTo(Decision.WARNED);
        assertThat(only(tiny).verdicts().get(0).message()).contains("ddlguard.small-table");
        assertThat(only(big).decision()).isEqualTo(Decision.BLOCKED);
    }

    @Test
    void smallTableRewriteInsideATransaction() {
        // README (Settings): under ddlguard.small-table "a rule that blocks because of a long lock only warns".
        // StatementJudge applies small-table before a REWRITE falls back to BLOCK (no CONCURRENTLY in a
        // transaction), so a tiny table's CREATE INDEX in a transaction is still blocked.
        Policy small = policy(Mode.ENFORCE, Map.of(), 10L << 20);
        Judgement j = new StatementJudge(small, new PostgresDialect(), new PostgresDialect())
                .judge("CREATE INDEX i ON t (a)", new StatementJudge.Context(false, n -> new TableSize(10L, 8192L)));
        assertThat(only(j).decision())
                .isEqualTo(Decision.WARNED); // the rewrite is impossible here, but the table is small
    }

    // ---------------------------------------------------------------- secrets

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      # name                        | db         | sql
      postgres create user          | POSTGRESQL | CREATE USER bob PASSWORD 'hunter2'
      postgres create role with     | POSTGRESQL | CREATE ROLE bob WITH LOGIN ENCRYPTED PASSWORD 'hunter2' VALID UNTIL 'infinity'
      postgres alter role           | POSTGRESQL | ALTER ROLE x WITH PASSWORD 'hunter2'
      postgres escape string        | POSTGRESQL | ALTER USER x PASSWORD E'hunter2'
      postgres dollar quoted        | POSTGRESQL | ALTER USER x PASSWORD $$hunter2$$
      h2 create user                | H2         | CREATE USER bob PASSWORD 'hunter2' ADMIN
      h2 alter user                 | H2         | ALTER USER bob SET PASSWORD 'hunter2'
      mysql create user             | MYSQL      | CREATE USER 'bob'@'%' IDENTIFIED BY 'hunter2'
      mysql with plugin             | MYSQL      | CREATE USER 'bob'@'%' IDENTIFIED WITH mysql_native_password BY 'hunter2'
      mysql double quotes           | MYSQL      | ALTER USER 'bob'@'%' IDENTIFIED BY "hunter2"
      mysql set password for        | MYSQL      | SET PASSWORD FOR 'bob'@'%' = PASSWORD('hunter2')
      mysql set password            | MYSQL      | SET PASSWORD = 'hunter2'
      mysql replication password    | MYSQL      | CHANGE MASTER TO MASTER_HOST = 'db2', MASTER_PASSWORD = 'hunter2'
      mysql 8 source password       | MYSQL      | CHANGE REPLICATION SOURCE TO SOURCE_USER = 'r', SOURCE_PASSWORD = 'hunter2'
      in a script                   | POSTGRESQL | CREATE TABLE t (a int); CREATE USER bob PASSWORD 'hunter2'; DROP TABLE u
      subscription conninfo         | POSTGRESQL | CREATE SUBSCRIPTION s CONNECTION 'host=db1 dbname=app password=hunter2' PUBLICATION p
      subscription uri              | POSTGRESQL | ALTER SUBSCRIPTION s CONNECTION 'postgresql://rep:hunter2@db1/app'
      quoted option name            | POSTGRESQL | ALTER USER MAPPING FOR app SERVER s OPTIONS (ADD "password" 'hunter2')
      ssl key password              | POSTGRESQL | CREATE USER MAPPING FOR app SERVER s OPTIONS (user 'u', sslpassword 'hunter2')
      secret option                 | POSTGRESQL | CREATE SERVER s FOREIGN DATA WRAPPER s3_fdw OPTIONS (aws_secret_access_key 'hunter2')
      function body conninfo        | POSTGRESQL | CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ SELECT dblink_connect('host=db1 password=hunter2') $$
      copy program url              | POSTGRESQL | COPY t FROM PROGRAM 'curl -s https://etl:hunter2@files.example.com/t.csv'
      federated url                 | MYSQL      | CREATE TABLE f (id int) ENGINE=FEDERATED CONNECTION='mysql://app:hunter2@db1:3306/app/t'
      connect odbc                  | MYSQL      | CREATE TABLE f (id int) ENGINE=CONNECT TABLE_TYPE=ODBC CONNECTION 'DSN=app;UID=u;PWD=hunter2'
      mariadb server option         | MYSQL      | ALTER SERVER s OPTIONS (PASSWORD 'hunter2')
      do block password             | POSTGRESQL | DO $$BEGIN ALTER ROLE app PASSWORD 'hunter2'; END$$
      function body password        | POSTGRESQL | CREATE PROCEDURE rp() LANGUAGE sql AS 'ALTER ROLE app PASSWORD ''hunter2'''
      mysql procedure identified    | MYSQL      | CREATE PROCEDURE p() BEGIN ALTER USER app IDENTIFIED BY 'hunter2'; END
      api key option                | POSTGRESQL | CREATE SERVER st FOREIGN DATA WRAPPER stripe_wrapper OPTIONS (api_key 'hunter2')
      token option                  | POSTGRESQL | CREATE USER MAPPING FOR app SERVER st OPTIONS (token 'hunter2')
      spider comment                | MYSQL      | CREATE TABLE sp (a INT) ENGINE=SPIDER COMMENT='wrapper "mysql", host "db1", user "u", password "hunter2", table "t"'
      spider partition comment      | MYSQL      | CREATE TABLE sp (a INT) ENGINE=SPIDER PARTITION BY KEY(a) (PARTITION p0 COMMENT='srv "s1", password "hunter2"')
      h2 linked table               | H2         | CREATE LINKED TABLE l('org.postgresql.Driver', 'jdbc:postgresql://db1/app', 'u', 'hunter2', 't')
      h2 linked table url password  | H2         | CREATE FORCE LINKED TABLE l('org.postgresql.Driver', 'jdbc:postgresql://db1/app?password=hunter2', 'u', '', 't')
      """)
    void passwordsNeverReachTheRecord(String name, Db db, String sql) {
        Judgement j = judge(db, sql);

        List<String> logged = new ArrayList<>();
        for (JudgedStatement s : j.statements()) {
            logged.add(s.sql());
            logged.add(s.rewrittenSql());
            logged.add(s.executedSql());
            logged.add(s.summary());
            s.verdicts().forEach(v -> {
                logged.add(v.message());
                logged.add(v.safeSql());
            });
        }
        logged.add(j.secrets().text());
        logged.add(j.secrets().scrub("ERROR: could not set password 'hunter2' for bob"));
        logged.add(SecretRedactor.redact(sql, db.dialect.syntax()).text());

        assertThat(logged).as(name).noneMatch(text -> text != null && text.contains("hunter2"));
        assertThat(j.statements()).anyMatch(s -> s.sql().contains("***"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      # name                   | syntax     | sql                                               | redacted
      postgres                 | POSTGRESQL | CREATE USER bob PASSWORD 'hunter2'                | CREATE USER bob PASSWORD '***'
      mysql keeps the user     | MYSQL      | CREATE USER 'bob'@'%' IDENTIFIED BY 'hunter2'     | CREATE USER 'bob'@'%' IDENTIFIED BY '***'
      comments stay            | POSTGRESQL | ALTER ROLE x /* rotate */ PASSWORD 'hunter2';     | ALTER ROLE x /* rotate */ PASSWORD '***';
      no secret, no change     | POSTGRESQL | CREATE TABLE t (a int)                            | CREATE TABLE t (a int)
      password null            | POSTGRESQL | ALTER ROLE x PASSWORD NULL                        | ALTER ROLE x PASSWORD NULL
      conninfo                 | POSTGRESQL | CREATE SUBSCRIPTION s CONNECTION 'host=db1 password=hunter2' PUBLICATION p | CREATE SUBSCRIPTION s CONNECTION '***' PUBLICATION p
      connection limit         | POSTGRESQL | ALTER ROLE x CONNECTION LIMIT 5 VALID UNTIL '2030-01-01' | ALTER ROLE x CONNECTION LIMIT 5 VALID UNTIL '2030-01-01'
      option value only        | POSTGRESQL | CREATE USER MAPPING FOR app SERVER s OPTIONS (user 'u', "password" 'hunter2', password_required 'false') | CREATE USER MAPPING FOR app SERVER s OPTIONS (user 'u', "password" '***', password_required 'false')
      url keeps the rest       | POSTGRESQL | COPY t FROM PROGRAM 'curl https://etl:hunter2@files.example.com/t.csv' | COPY t FROM PROGRAM 'curl https://etl:***@files.example.com/t.csv'
      body keeps the rest      | POSTGRESQL | CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ SELECT dblink_connect('host=db1 password=hunter2 user=u') $$ | CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ SELECT dblink_connect('host=db1 password=*** user=u') $$
      quoted conninfo value    | POSTGRESQL | CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ SELECT dblink_connect('host=db1 password=''hunter 2''') $$ | CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ SELECT dblink_connect('host=db1 password=''***''') $$
      federated                | MYSQL      | CREATE TABLE f (id int) CONNECTION='mysql://app:hunter2@db1/app/t' | CREATE TABLE f (id int) CONNECTION='***'
      body keeps its code      | POSTGRESQL | DO $$BEGIN ALTER ROLE app PASSWORD 'hunter2'; END$$ | DO $$BEGIN ALTER ROLE app PASSWORD '***'; END$$
      token column default     | POSTGRESQL | CREATE TABLE t (token text DEFAULT 'abc') | CREATE TABLE t (token text DEFAULT 'abc')
      spider keeps the rest    | MYSQL      | CREATE TABLE sp (a INT) COMMENT='host "db1", password "hunter2", table "t"' | CREATE TABLE sp (a INT) COMMENT='host "db1", password "***", table "t"'
      url without password     | MYSQL      | CREATE TABLE f (id int) COMMENT 'see https://example.com/a=b' | CREATE TABLE f (id int) COMMENT 'see https://example.com/a=b'
      h2 linked                | ANSI       | CREATE LINKED TABLE l('org.h2.Driver', 'jdbc:h2:mem:x', 'sa', 'hunter2', 't') | CREATE LINKED TABLE l('org.h2.Driver', '***', 'sa', '***', 't')
      """)
    void redactorMasksOnlyTheSecret(String name, SqlSyntax syntax, String sql, String redacted) {
        assertThat(SecretRedactor.redact(sql, syntax).text()).as(name).isEqualTo(redacted);
    }
}
