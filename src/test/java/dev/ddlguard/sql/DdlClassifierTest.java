package dev.ddlguard.sql;

import static dev.ddlguard.sql.AlterAction.Kind.ADD_COLUMN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ddlguard.sql.AlterAction.Kind;
import dev.ddlguard.sql.DdlStatement.Flag;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the classifier reads from one statement. Rows are {@code name | syntax | sql | expected…};
 * an empty cell means null (or "none" for lists), and lists are separated by spaces.
 */
class DdlClassifierTest {

    static DdlStatement classify(String sql, SqlSyntax syntax) {
        List<StatementText> statements = StatementSplitter.split(sql, syntax);
        assertThat(statements).as("statements of %s", sql).hasSize(1);
        return DdlClassifier.classify(statements.get(0), syntax);
    }

    static String names(DdlStatement s) {
        return s.names().stream().map(QualifiedName::toSql).collect(Collectors.joining(" "));
    }

    static Set<Flag> flags(String cell) {
        return cell == null
                ? Set.of()
                : Arrays.stream(cell.trim().split("\\s+")).map(Flag::valueOf).collect(Collectors.toSet());
    }

    static AlterAction onlyAction(String sql, SqlSyntax syntax) {
        DdlStatement s = classify(sql, syntax);
        assertThat(s).as(sql).isNotNull();
        assertThat(s.actions()).as("actions of %s", sql).hasSize(1);
        return s.actions().get(0);
    }

    static String text(Identifier id) {
        return id == null ? null : id.text();
    }

    // ---------------------------------------------------------------- statements

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      # name                              | syntax     | sql                                                                    | verb     | object type       | names        | table     | flags
      create table                        | POSTGRESQL | CREATE TABLE t (a int, b text)                                         | CREATE   | TABLE             | t            | t         |
      create table if not exists          | POSTGRESQL | CREATE TABLE IF NOT EXISTS s.t (a int)                                 | CREATE   | TABLE             | s.t          | s.t       | IF_NOT_EXISTS
      create temp table                   | POSTGRESQL | CREATE TEMP TABLE t (a int)                                            | CREATE   | TABLE             | t            | t         | TEMPORARY
      create global temporary table       | ANSI       | CREATE GLOBAL TEMPORARY TABLE t (a int)                                | CREATE   | TABLE             | t            | t         | TEMPORARY
      mysql create temporary table        | MYSQL      | CREATE TEMPORARY TABLE IF NOT EXISTS t (a int)                         | CREATE   | TABLE             | t            | t         | TEMPORARY IF_NOT_EXISTS
      create table as select              | POSTGRESQL | CREATE TABLE t AS SELECT * FROM u                                      | CREATE   | TABLE             | t            | t         | AS_SELECT
      create table with columns as select | POSTGRESQL | CREATE TABLE t (a, b) AS SELECT 1, 2                                   | CREATE   | TABLE             | t            | t         | AS_SELECT
      generated column is not AS SELECT   | POSTGRESQL | CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 2) STORED)       | CREATE   | TABLE             | t            | t         |
      create index                        | POSTGRESQL | CREATE INDEX i ON t (a)                                                | CREATE   | INDEX             | i            | t         |
      create unique index                 | POSTGRESQL | CREATE UNIQUE INDEX i ON t (a)                                         | CREATE   | INDEX             | i            | t         | UNIQUE
      create index concurrently           | POSTGRESQL | CREATE INDEX CONCURRENTLY i ON t (a)                                   | CREATE   | INDEX             | i            | t         | CONCURRENTLY
      create index if not exists          | POSTGRESQL | CREATE INDEX IF NOT EXISTS i ON t (a)                                  | CREATE   | INDEX             | i            | t         | IF_NOT_EXISTS
      create index, every option          | POSTGRESQL | CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON ONLY s.t USING btree (a) INCLUDE (b) WHERE c > 0 | CREATE | INDEX | i | s.t | UNIQUE CONCURRENTLY IF_NOT_EXISTS ONLY
      create index without a name         | POSTGRESQL | CREATE INDEX ON t USING gin (a)                                        | CREATE   | INDEX             |              | t         |
      create index concurrently unnamed   | POSTGRESQL | CREATE INDEX CONCURRENTLY ON t (a)                                     | CREATE   | INDEX             |              | t         | CONCURRENTLY
      mysql create index                  | MYSQL      | CREATE INDEX i ON t (a)                                                | CREATE   | INDEX             | i            | t         |
      mysql create index using before on  | MYSQL      | CREATE UNIQUE INDEX i USING BTREE ON db.t (a)                          | CREATE   | INDEX             | i            | db.t      | UNIQUE
      mysql create fulltext index         | MYSQL      | CREATE FULLTEXT INDEX i ON t (a)                                       | CREATE   | INDEX             | i            | t         |
      create view                         | POSTGRESQL | CREATE OR REPLACE VIEW v AS SELECT 1                                   | CREATE   | VIEW              | v            |           | OR_REPLACE
      create materialized view            | POSTGRESQL | CREATE MATERIALIZED VIEW IF NOT EXISTS mv AS SELECT 1                  | CREATE   | MATERIALIZED VIEW | mv           |           | IF_NOT_EXISTS
      mysql create view with definer      | MYSQL      | CREATE ALGORITHM=MERGE DEFINER=`u`@`%` SQL SECURITY DEFINER VIEW v AS SELECT 1 | CREATE | VIEW    | v            |           |
      create schema                       | POSTGRESQL | CREATE SCHEMA IF NOT EXISTS app                                        | CREATE   | SCHEMA            | app          |           | IF_NOT_EXISTS
      drop table                          | POSTGRESQL | DROP TABLE t                                                           | DROP     | TABLE             | t            | t         |
      drop tables cascade                 | POSTGRESQL | DROP TABLE a, b CASCADE                                                | DROP     | TABLE             | a b          | a         | CASCADE
      drop table if exists                | POSTGRESQL | DROP TABLE IF EXISTS s.a, s.b RESTRICT                                 | DROP     | TABLE             | s.a s.b      | s.a       | IF_EXISTS
      mysql drop temporary table          | MYSQL      | DROP TEMPORARY TABLE IF EXISTS t                                       | DROP     | TABLE             | t            | t         | TEMPORARY IF_EXISTS
      drop index concurrently             | POSTGRESQL | DROP INDEX CONCURRENTLY i                                              | DROP     | INDEX             | i            |           | CONCURRENTLY
      drop index concurrently if exists   | POSTGRESQL | DROP INDEX CONCURRENTLY IF EXISTS s.i                                  | DROP     | INDEX             | s.i          |           | CONCURRENTLY IF_EXISTS
      mysql drop index on table           | MYSQL      | DROP INDEX i ON t                                                      | DROP     | INDEX             | i            | t         |
      drop view                           | POSTGRESQL | DROP VIEW v                                                            | DROP     | VIEW              | v            |           |
      drop materialized view              | POSTGRESQL | DROP MATERIALIZED VIEW mv CASCADE                                      | DROP     | MATERIALIZED VIEW | mv           |           | CASCADE
      truncate                            | POSTGRESQL | TRUNCATE a                                                             | TRUNCATE | TABLE             | a            | a         |
      truncate table list                 | POSTGRESQL | TRUNCATE TABLE a, b                                                    | TRUNCATE | TABLE             | a b          | a         |
      truncate only cascade               | POSTGRESQL | TRUNCATE ONLY s.a RESTART IDENTITY CASCADE                             | TRUNCATE | TABLE             | s.a          | s.a       | ONLY CASCADE
      mysql rename table                  | MYSQL      | RENAME TABLE a TO b                                                    | RENAME   | TABLE             | a            | a         |
      mysql rename two tables             | MYSQL      | RENAME TABLE a TO b, c TO d                                            | RENAME   | TABLE             | a c          | a         |
      mariadb rename tables               | MYSQL      | RENAME TABLES a TO b, c TO d                                           | RENAME   | TABLE             | a c          | a         |
      mariadb drop tables                 | MYSQL      | DROP TABLES IF EXISTS a, b                                             | DROP     | TABLE             | a b          | a         | IF_EXISTS
      trigger names its table             | POSTGRESQL | CREATE TRIGGER tr BEFORE UPDATE OF a ON s.t FOR EACH ROW EXECUTE FUNCTION f() | CREATE | TRIGGER     | tr           | s.t       |
      constraint trigger names its table  | POSTGRESQL | CREATE CONSTRAINT TRIGGER tr AFTER INSERT ON t DEFERRABLE FOR EACH ROW EXECUTE FUNCTION f() | CREATE | CONSTRAINT TRIGGER | tr | t |
      mysql trigger names its table       | MYSQL      | CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1        | CREATE   | TRIGGER           | tr           | t         |
      comment on column                   | POSTGRESQL | COMMENT ON COLUMN t.c IS 'the c'                                       | COMMENT  | COLUMN            | t.c          |           |
      comment on table                    | POSTGRESQL | COMMENT ON TABLE s.t IS NULL                                           | COMMENT  | TABLE             | s.t          |           |
      comment on materialized view        | POSTGRESQL | COMMENT ON MATERIALIZED VIEW mv IS 'x'                                 | COMMENT  | MATERIALIZED VIEW | mv           |           |
      reindex table                       | POSTGRESQL | REINDEX TABLE t                                                        | REINDEX  | TABLE             | t            | t         |
      reindex table concurrently          | POSTGRESQL | REINDEX (VERBOSE) TABLE CONCURRENTLY s.t                               | REINDEX  | TABLE             | s.t          | s.t       | CONCURRENTLY
      reindex index                       | POSTGRESQL | REINDEX INDEX i                                                        | REINDEX  | INDEX             | i            |           |
      reindex index concurrently          | POSTGRESQL | REINDEX INDEX CONCURRENTLY i                                           | REINDEX  | INDEX             | i            |           | CONCURRENTLY
      cluster using                       | POSTGRESQL | CLUSTER t USING i                                                      | CLUSTER  | TABLE             | t            | t         |
      cluster verbose                     | POSTGRESQL | CLUSTER VERBOSE s.t                                                    | CLUSTER  | TABLE             | s.t          | s.t       |
      cluster old form                    | POSTGRESQL | CLUSTER i ON t                                                         | CLUSTER  | TABLE             | t            | t         |
      vacuum full                         | POSTGRESQL | VACUUM FULL t                                                          | VACUUM   | TABLE             | t            | t         | FULL
      vacuum full old options             | POSTGRESQL | VACUUM FULL VERBOSE ANALYZE a, b                                       | VACUUM   | TABLE             | a b          | a         | FULL
      vacuum (full, analyze)              | POSTGRESQL | VACUUM (FULL, ANALYZE) t                                               | VACUUM   | TABLE             | t            | t         | FULL
      vacuum (analyze, full true)         | POSTGRESQL | VACUUM (ANALYZE, FULL true) t                                          | VACUUM   | TABLE             | t            | t         | FULL
      optimize table                      | MYSQL      | OPTIMIZE TABLE t                                                       | OPTIMIZE | TABLE             | t            | t         |
      optimize no_write_to_binlog         | MYSQL      | OPTIMIZE NO_WRITE_TO_BINLOG TABLE a, b                                 | OPTIMIZE | TABLE             | a b          | a         |
      refresh materialized view           | POSTGRESQL | REFRESH MATERIALIZED VIEW mv                                           | REFRESH  | MATERIALIZED VIEW | mv           | mv        |
      refresh concurrently                | POSTGRESQL | REFRESH MATERIALIZED VIEW CONCURRENTLY s.mv WITH DATA                  | REFRESH  | MATERIALIZED VIEW | s.mv         | s.mv      | CONCURRENTLY
      alter table                         | POSTGRESQL | ALTER TABLE IF EXISTS ONLY s.t ADD c int                               | ALTER    | TABLE             | s.t          | s.t       | IF_EXISTS ONLY
      alter index                         | POSTGRESQL | ALTER INDEX i RENAME TO j                                              | ALTER    | INDEX             | i            |           |
      mysql alter online table            | MYSQL      | ALTER ONLINE TABLE t ADD c int                                         | ALTER    | TABLE             | t            | t         |
      leading parenthesis                 | POSTGRESQL | ((DROP TABLE t))                                                       | DROP     | TABLE             | t            | t         |
      comments between words              | POSTGRESQL | DROP /* x */ TABLE -- y\\n  /* z */ t                                   | DROP     | TABLE             | t            | t         |
      comment before the verb             | POSTGRESQL | /* ddlguard:allow drop-table r */ drop table t                         | DROP     | TABLE             | t            | t         |
      lower case                          | POSTGRESQL | create unique index concurrently i on t (a)                            | CREATE   | INDEX             | i            | t         | UNIQUE CONCURRENTLY
      quoted names                        | POSTGRESQL | DROP TABLE "Order"."Items"                                             | DROP     | TABLE             | "Order"."Items" | "Order"."Items" |
      mysql backticks                     | MYSQL      | DROP TABLE `shop`.`order`                                              | DROP     | TABLE             | `shop`.`order` | `shop`.`order` |
      schema-qualified index              | POSTGRESQL | CREATE INDEX i ON app.orders (id)                                      | CREATE   | INDEX             | i            | app.orders |
      explain analyze runs it             | POSTGRESQL | EXPLAIN ANALYZE CREATE TABLE t AS SELECT 1 AS a                        | CREATE   | TABLE             | t            | t         | AS_SELECT
      explain analyze verbose             | POSTGRESQL | explain analyse verbose create table t as select 1 as a                | CREATE   | TABLE             | t            | t         | AS_SELECT
      explain (analyze, buffers)          | POSTGRESQL | EXPLAIN (ANALYZE, BUFFERS) CREATE MATERIALIZED VIEW v AS SELECT 1      | CREATE   | MATERIALIZED VIEW | v            |           |
      explain (costs off, analyze on)     | POSTGRESQL | EXPLAIN (COSTS OFF, ANALYZE ON) CREATE TABLE t AS SELECT 1 AS a        | CREATE   | TABLE             | t            | t         | AS_SELECT
      explain (analyze 'true')            | POSTGRESQL | EXPLAIN (ANALYZE 'true') CREATE TABLE t AS SELECT 1 AS a               | CREATE   | TABLE             | t            | t         | AS_SELECT
      explain (analyze 01)                | POSTGRESQL | EXPLAIN (ANALYZE 01) CREATE TABLE t AS SELECT 1 AS a                   | CREATE   | TABLE             | t            | t         | AS_SELECT
      explain (analyze yes)               | POSTGRESQL | EXPLAIN (ANALYZE yes) CREATE TABLE t AS SELECT 1 AS a                  | CREATE   | TABLE             | t            | t         | AS_SELECT
      explain (analyze t)                 | POSTGRESQL | EXPLAIN (ANALYZE t) CREATE TABLE t AS SELECT 1 AS a                    | CREATE   | TABLE             | t            | t         | AS_SELECT
      explain (analyze "on")              | POSTGRESQL | EXPLAIN (ANALYZE "on") CREATE TABLE t AS SELECT 1 AS a                 | CREATE   | TABLE             | t            | t         | AS_SELECT
      explain (analyze false, analyze)    | POSTGRESQL | EXPLAIN (ANALYZE false, ANALYZE) CREATE TABLE t AS SELECT 1 AS a       | CREATE   | TABLE             | t            | t         | AS_SELECT
      select into                         | POSTGRESQL | SELECT * INTO n FROM t                                                 | CREATE   | TABLE             | n            | n         | AS_SELECT
      select into temp table              | POSTGRESQL | select a, b into temp table s.n from t                                 | CREATE   | TABLE             | s.n          | s.n       | AS_SELECT TEMPORARY
      select into unlogged                | POSTGRESQL | SELECT 1 AS a INTO UNLOGGED n                                          | CREATE   | TABLE             | n            | n         | AS_SELECT
      select label from, into             | POSTGRESQL | SELECT 1 AS from INTO n                                                | CREATE   | TABLE             | n            | n         | AS_SELECT
      select distinct from, into          | POSTGRESQL | SELECT 1 IS DISTINCT FROM 2 AS d INTO n                                | CREATE   | TABLE             | n            | n         | AS_SELECT
      with select into                    | POSTGRESQL | WITH x AS (SELECT 1 AS a) SELECT * INTO n FROM x                       | CREATE   | TABLE             | n            | n         | AS_SELECT
      explain analyze select into         | POSTGRESQL | EXPLAIN ANALYZE SELECT 1 AS a INTO n                                   | CREATE   | TABLE             | n            | n         | AS_SELECT
      copy to program                     | POSTGRESQL | COPY t TO PROGRAM 'gzip > /tmp/t.gz'                                   | COPY     | PROGRAM           | t            |           |
      copy query from program             | POSTGRESQL | copy (select 1) to program 'cat'                                       | COPY     | PROGRAM           |              |           |
      """)
    void readsStatement(
            String name,
            SqlSyntax syntax,
            String sql,
            Verb verb,
            String objectType,
            String names,
            String table,
            String flags) {
        DdlStatement s = classify(sql.replace("\\n", "\n"), syntax);

        assertThat(s).as(name).isNotNull();
        assertThat(s.verb()).as("verb").isEqualTo(verb);
        assertThat(s.objectType()).as("object type").isEqualTo(objectType);
        assertThat(names(s)).as("names").isEqualTo(names == null ? "" : names);
        assertThat(s.table() == null ? null : s.table().toSql()).as("table").isEqualTo(table);
        assertThat(s.flags()).as("flags").isEqualTo(flags(flags));
        assertThat(s.opaque()).as("opaque").isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      # name                       | syntax     | sql
      select                       | POSTGRESQL | SELECT * FROM t
      insert                       | POSTGRESQL | INSERT INTO t VALUES (1)
      update with ddl-ish string   | POSTGRESQL | UPDATE t SET note = 'DROP TABLE x'
      parenthesised select         | POSTGRESQL | (SELECT 1)
      plain vacuum                 | POSTGRESQL | VACUUM
      vacuum analyze               | POSTGRESQL | VACUUM ANALYZE t
      vacuum (analyze)             | POSTGRESQL | VACUUM (ANALYZE, VERBOSE) t
      vacuum (full false)          | POSTGRESQL | VACUUM (FULL false) t
      vacuum (full off)            | POSTGRESQL | VACUUM (FULL OFF, ANALYZE) t
      vacuum (full 0)              | POSTGRESQL | VACUUM (FULL 0) t
      do block without ddl         | POSTGRESQL | DO $$ BEGIN PERFORM 1; END $$
      postgres execute of prepared | POSTGRESQL | EXECUTE plan1(1, 2)
      postgres prepare             | POSTGRESQL | PREPARE p AS SELECT 1
      refresh without view         | POSTGRESQL | REFRESH something
      explain only plans           | POSTGRESQL | EXPLAIN CREATE TABLE t AS SELECT 1 AS a
      explain (analyze false)      | POSTGRESQL | EXPLAIN (ANALYZE false, COSTS OFF) CREATE TABLE t AS SELECT 1 AS a
      explain (analyze off)        | POSTGRESQL | EXPLAIN (ANALYZE OFF) CREATE TABLE t AS SELECT 1 AS a
      explain analyze select       | POSTGRESQL | EXPLAIN ANALYZE SELECT * FROM t
      explain unterminated options | POSTGRESQL | EXPLAIN (COSTS
      explain (analyze 0)          | POSTGRESQL | EXPLAIN (ANALYZE 0) CREATE TABLE t AS SELECT 1 AS a
      explain (analyze 'off')      | POSTGRESQL | EXPLAIN (ANALYZE 'off') CREATE TABLE t AS SELECT 1 AS a
      explain select into          | POSTGRESQL | EXPLAIN SELECT 1 AS a INTO n
      select label into            | POSTGRESQL | SELECT t.into, 1 AS into FROM t
      with insert into             | POSTGRESQL | WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x
      mysql select into a variable | MYSQL      | SELECT 1 INTO @x
      copy from stdin              | POSTGRESQL | COPY t FROM STDIN
      copy to a file               | POSTGRESQL | COPY t (a, program) TO '/tmp/t.csv'
      do block, encoded, no ddl    | POSTGRESQL | DO E'BEGIN PERFORM 1; END'
      dblink reading               | POSTGRESQL | SELECT * FROM dblink('conn', 'SELECT a FROM t') AS r(a int)
      h2 execute immediate select  | ANSI       | EXECUTE IMMEDIATE 'SELECT 1'
      mysql prepare select         | MYSQL      | PREPARE s FROM 'SELECT 1'
      """)
    void notDdl(String name, SqlSyntax syntax, String sql) {
        assertThat(classify(sql, syntax)).as(name).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      # name                           | syntax     | sql                                                                                                   | verb    | object type | opaque
      do block with execute            | POSTGRESQL | DO $$ BEGIN EXECUTE 'ANALYZE t'; END $$                                                               | DO      |             | true
      do block with drop               | POSTGRESQL | DO LANGUAGE plpgsql $body$ BEGIN DROP TABLE IF EXISTS old; END $body$                                  | DO      |             | true
      function body drops              | POSTGRESQL | CREATE FUNCTION f() RETURNS void AS $$ BEGIN DROP TABLE t; END $$ LANGUAGE plpgsql                    | CREATE  | FUNCTION    | true
      or replace function, quoted body | POSTGRESQL | CREATE OR REPLACE FUNCTION s.f() RETURNS void LANGUAGE sql AS 'truncate t'                           | CREATE  | FUNCTION    | true
      sql-standard body drops          | POSTGRESQL | CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC DELETE FROM t; DROP TABLE u; END                       | CREATE  | PROCEDURE   | true
      function without ddl             | POSTGRESQL | CREATE FUNCTION f() RETURNS int AS $$ SELECT created_at FROM t $$ LANGUAGE sql                        | CREATE  | FUNCTION    | false
      trigger executing a function     | POSTGRESQL | CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION f()                                | CREATE  | TRIGGER     | false
      mysql procedure body drops       | MYSQL      | CREATE PROCEDURE p() BEGIN DROP TABLE t; END                                                          | CREATE  | PROCEDURE   | true
      mysql event without begin        | MYSQL      | CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO TRUNCATE TABLE t                                            | CREATE  | EVENT       | true
      mysql event deleting rows        | MYSQL      | CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO DELETE FROM t                                               | CREATE  | EVENT       | false
      h2 execute immediate             | ANSI       | EXECUTE IMMEDIATE 'DROP TABLE t'                                                                      | EXECUTE |             | true
      mysql prepare from ddl           | MYSQL      | PREPARE s FROM 'DROP TABLE t'                                                                         | PREPARE |             | true
      do E'' hex escape                | POSTGRESQL | DO E'BEGIN \\x44ROP TABLE t; END'                                                                    | DO      |             | true
      do E'' octal escape              | POSTGRESQL | DO E'BEGIN \\104ROP TABLE t; END'                                                                    | DO      |             | true
      do E'' u escape                  | POSTGRESQL | DO E'BEGIN \\u0044ROP TABLE t; END'                                                                  | DO      |             | true
      do E'' U escape                  | POSTGRESQL | DO e'BEGIN \\U00000044ROP TABLE t; END'                                                              | DO      |             | true
      do E'' undecodable               | POSTGRESQL | DO E'BEGIN PERFORM \\u00ZZ; END'                                                                     | DO      |             | true
      do U& escape                     | POSTGRESQL | DO U&'BEGIN \\0044ROP TABLE t; END'                                                                  | DO      |             | true
      do U& six-digit escape           | POSTGRESQL | DO U&'BEGIN \\+000044ROP TABLE t; END'                                                               | DO      |             | true
      do U& with UESCAPE               | POSTGRESQL | DO U&'BEGIN !0044ROP TABLE t; END' UESCAPE '!'                                                         | DO      |             | true
      do plain with backslash          | POSTGRESQL | DO 'BEGIN \\x44ROP TABLE t; END'                                                                     | DO      |             | true
      do nested encoded literal        | POSTGRESQL | DO $$ BEGIN PERFORM E'\\x44ROP'; END $$                                                              | DO      |             | true
      do in plpython                   | POSTGRESQL | DO LANGUAGE plpython3u $$ plpy.notice('hi') $$                                                        | DO      |             | true
      function E'' body                | POSTGRESQL | CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS E'BEGIN \\x54RUNCATE t; END'                   | CREATE  | FUNCTION    | true
      function U& body                 | POSTGRESQL | CREATE FUNCTION f() RETURNS void LANGUAGE sql AS U&'\\0054RUNCATE t'                                 | CREATE  | FUNCTION    | true
      function in plperlu              | POSTGRESQL | CREATE FUNCTION f() RETURNS void LANGUAGE plperlu AS $$ 1; $$                                         | CREATE  | FUNCTION    | true
      h2 execute immediate concat      | ANSI       | EXECUTE IMMEDIATE CONCAT('DR','OP TABLE t')                                                           | EXECUTE |             | true
      h2 execute immediate parameter   | ANSI       | EXECUTE IMMEDIATE ?                                                                                   | EXECUTE |             | true
      mariadb execute immediate concat | MYSQL      | EXECUTE IMMEDIATE CONCAT('DR','OP TABLE t')                                                           | EXECUTE |             | true
      mariadb execute immediate escape | MYSQL      | EXECUTE IMMEDIATE 'D\\ROP TABLE t'                                                                   | EXECUTE |             | true
      mysql prepare from a variable    | MYSQL      | PREPARE s FROM @v                                                                                     | PREPARE |             | true
      mysql prepare escaped            | MYSQL      | PREPARE s FROM 'DR\\OP TABLE t'                                                                      | PREPARE |             | true
      mysql prepare hex literal        | MYSQL      | PREPARE s FROM X'44524F50205441424C452074'                                                            | PREPARE |             | true
      h2 create alias with source      | ANSI       | CREATE ALIAS f AS $$ String f() { return "x"; } $$                                                    | CREATE  | ALIAS       | true
      h2 create alias for a method     | ANSI       | CREATE ALIAS ex FOR "java.lang.Runtime.getRuntime"                                                    | CREATE  | ALIAS       | true
      dblink_exec                      | POSTGRESQL | SELECT dblink_exec('dbname=x', 'VACUUM')                                                              | EXECUTE |             | true
      dblink with ddl                  | POSTGRESQL | SELECT * FROM dblink('c', 'DROP TABLE t') AS r(a text)                                                | EXECUTE |             | true
      dblink built at run time         | POSTGRESQL | SELECT * FROM dblink('c', concat('DR', 'OP TABLE t')) AS r(a text)                                      | EXECUTE |             | true
      dblink_exec, mixed case, quoted  | POSTGRESQL | SELECT public."dblink_exec"('c', 'x'), DbLink_Exec('c', 'y')                                          | EXECUTE |             | true
      dblink_exec as a U& name         | POSTGRESQL | SELECT U&"dblink\\005Fexec"('c', 'x')                                                                 | EXECUTE |             | true
      create table calling dblink_exec | POSTGRESQL | CREATE TABLE n AS SELECT dblink_exec('c', 'x') AS r                                                   | CREATE  | TABLE       | true
      """)
    void opaqueBodies(String name, SqlSyntax syntax, String sql, Verb verb, String objectType, boolean opaque) {
        DdlStatement s = classify(sql, syntax);

        assertThat(s).as(name).isNotNull();
        assertThat(s.verb()).isEqualTo(verb);
        assertThat(s.objectType()).isEqualTo(objectType);
        assertThat(s.opaque() != null).as("opaque: %s", s.opaque()).isEqualTo(opaque);
    }

    @Test
    void quotedIdentifiersKeepTheirCaseAndQuotedness() {
        DdlStatement pg = classify("DROP TABLE \"Order\".\"Items\"", SqlSyntax.POSTGRESQL);
        assertThat(pg.table().schema()).isEqualTo(new Identifier("Order", true));
        assertThat(pg.table().name()).isEqualTo(new Identifier("Items", true));

        DdlStatement my = classify("DROP TABLE `shop`.`order`", SqlSyntax.MYSQL);
        assertThat(my.table().schema()).isEqualTo(new Identifier("shop", true, '`'));
        assertThat(my.table().name()).isEqualTo(new Identifier("order", true, '`'));
        assertThat(my.table().toSql())
                .as("generated SQL quotes as the statement did")
                .isEqualTo("`shop`.`order`");

        DdlStatement escaped = classify("ALTER TABLE \"a\"\"b\" DROP COLUMN \"Mixed Case\"", SqlSyntax.POSTGRESQL);
        assertThat(escaped.table().name().text()).isEqualTo("a\"b");
        assertThat(escaped.actions().get(0).column()).isEqualTo(new Identifier("Mixed Case", true));

        DdlStatement bare = classify("DROP TABLE Orders", SqlSyntax.POSTGRESQL);
        assertThat(bare.table().name()).isEqualTo(new Identifier("Orders", false));
        assertThat(bare.table().schema()).isNull();
    }

    @Test
    void renameTableActionCarriesTheNewName() {
        DdlStatement s = classify("RENAME TABLE a TO b, c TO d", SqlSyntax.MYSQL);
        assertThat(s.actions()).extracting(AlterAction::kind).containsExactly(Kind.RENAME_TABLE, Kind.RENAME_TABLE);
        assertThat(s.actions()).extracting(a -> a.newName().text()).containsExactly("b", "d");
    }

    // ---------------------------------------------------------------- ALTER TABLE actions

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      # name                               | syntax     | sql                                                                           | kind                | column | new name | constraint  | if exists
      add column                           | POSTGRESQL | ALTER TABLE t ADD COLUMN c int                                                | ADD_COLUMN          | c      |          |             | false
      add without COLUMN                   | POSTGRESQL | ALTER TABLE t ADD c int                                                       | ADD_COLUMN          | c      |          |             | false
      add column if not exists             | POSTGRESQL | ALTER TABLE t ADD COLUMN IF NOT EXISTS c int                                  | ADD_COLUMN          | c      |          |             | true
      drop column                          | POSTGRESQL | ALTER TABLE t DROP COLUMN c                                                   | DROP_COLUMN         | c      |          |             | false
      drop without COLUMN                  | POSTGRESQL | ALTER TABLE t DROP c CASCADE                                                  | DROP_COLUMN         | c      |          |             | false
      drop column if exists                | POSTGRESQL | ALTER TABLE t DROP COLUMN IF EXISTS c                                         | DROP_COLUMN         | c      |          |             | true
      drop constraint                      | POSTGRESQL | ALTER TABLE t DROP CONSTRAINT fk                                              | DROP_CONSTRAINT     | fk     |          |             | false
      drop constraint if exists            | POSTGRESQL | ALTER TABLE t DROP CONSTRAINT IF EXISTS fk CASCADE                            | DROP_CONSTRAINT     | fk     |          |             | true
      mysql drop foreign key               | MYSQL      | ALTER TABLE t DROP FOREIGN KEY fk                                             | DROP_CONSTRAINT     | fk     |          |             | false
      mysql drop check                     | MYSQL      | ALTER TABLE t DROP CHECK ck                                                   | DROP_CONSTRAINT     | ck     |          |             | false
      mysql drop index                     | MYSQL      | ALTER TABLE t DROP INDEX i                                                    | DROP_INDEX          | i      |          |             | false
      mysql drop key                       | MYSQL      | ALTER TABLE t DROP KEY i                                                      | DROP_INDEX          | i      |          |             | false
      drop primary key                     | MYSQL      | ALTER TABLE t DROP PRIMARY KEY                                                | DROP_CONSTRAINT     |        |          | PRIMARY KEY | false
      mysql drop partition                 | MYSQL      | ALTER TABLE t DROP PARTITION p1                                               | OTHER               |        |          |             | false
      rename column                        | POSTGRESQL | ALTER TABLE t RENAME COLUMN a TO b                                            | RENAME_COLUMN       | a      | b        |             | false
      rename without COLUMN                | POSTGRESQL | ALTER TABLE t RENAME a TO b                                                   | RENAME_COLUMN       | a      | b        |             | false
      rename table                         | POSTGRESQL | ALTER TABLE t RENAME TO t2                                                    | RENAME_TABLE        |        | t2       |             | false
      mysql rename as                      | MYSQL      | ALTER TABLE t RENAME AS t2                                                    | RENAME_TABLE        |        | t2       |             | false
      mysql rename without TO              | MYSQL      | ALTER TABLE t RENAME t2                                                       | RENAME_TABLE        |        | t2       |             | false
      mysql rename to other database       | MYSQL      | ALTER TABLE t RENAME db2.t2                                                   | RENAME_TABLE        |        | t2       |             | false
      rename constraint                    | POSTGRESQL | ALTER TABLE t RENAME CONSTRAINT a TO b                                        | OTHER               |        |          |             | false
      mysql rename index                   | MYSQL      | ALTER TABLE t RENAME INDEX a TO b                                             | OTHER               |        |          |             | false
      alter column type                    | POSTGRESQL | ALTER TABLE t ALTER COLUMN c TYPE bigint                                      | ALTER_COLUMN_TYPE   | c      |          |             | false
      alter type with using                | POSTGRESQL | ALTER TABLE t ALTER c TYPE bigint USING c::bigint                             | ALTER_COLUMN_TYPE   | c      |          |             | false
      set data type                        | POSTGRESQL | ALTER TABLE t ALTER COLUMN c SET DATA TYPE bigint                             | ALTER_COLUMN_TYPE   | c      |          |             | false
      set not null                         | POSTGRESQL | ALTER TABLE t ALTER COLUMN c SET NOT NULL                                     | SET_NOT_NULL        | c      |          |             | false
      drop not null                        | POSTGRESQL | ALTER TABLE t ALTER COLUMN c DROP NOT NULL                                    | DROP_NOT_NULL       | c      |          |             | false
      h2 set null                          | ANSI       | ALTER TABLE t ALTER COLUMN c SET NULL                                         | DROP_NOT_NULL       | c      |          |             | false
      set default                          | POSTGRESQL | ALTER TABLE t ALTER COLUMN c SET DEFAULT 0                                    | SET_DEFAULT         | c      |          |             | false
      drop default                         | POSTGRESQL | ALTER TABLE t ALTER c DROP DEFAULT                                            | DROP_DEFAULT        | c      |          |             | false
      set statistics                       | POSTGRESQL | ALTER TABLE t ALTER COLUMN c SET STATISTICS 100                               | OTHER               | c      |          |             | false
      add identity to column               | POSTGRESQL | ALTER TABLE t ALTER COLUMN c ADD GENERATED ALWAYS AS IDENTITY                 | OTHER               | c      |          |             | false
      h2 alter column rename to            | ANSI       | ALTER TABLE t ALTER COLUMN c RENAME TO d                                      | RENAME_COLUMN       | c      | d        |             | false
      h2 alter column new type             | ANSI       | ALTER TABLE t ALTER COLUMN c BIGINT                                           | ALTER_COLUMN_TYPE   | c      |          |             | false
      h2 alter column new type not null    | ANSI       | ALTER TABLE t ALTER COLUMN c VARCHAR(20) NOT NULL                             | ALTER_COLUMN_TYPE   | c      |          |             | false
      alter constraint                     | POSTGRESQL | ALTER TABLE t ALTER CONSTRAINT fk DEFERRABLE                                  | OTHER               |        |          |             | false
      mysql alter check enforced           | MYSQL      | ALTER TABLE t ALTER CHECK ck NOT ENFORCED                                     | OTHER               |        |          |             | false
      mysql alter index invisible          | MYSQL      | ALTER TABLE t ALTER INDEX i INVISIBLE                                         | OTHER               |        |          |             | false
      mysql change renames                 | MYSQL      | ALTER TABLE t CHANGE a b int                                                  | RENAME_COLUMN       | a      | b        |             | false
      mysql change column renames          | MYSQL      | ALTER TABLE t CHANGE COLUMN `a` `b` int NOT NULL                              | RENAME_COLUMN       | a      | b        |             | false
      mysql change same name               | MYSQL      | ALTER TABLE t CHANGE a a bigint                                               | ALTER_COLUMN_TYPE   | a      | a        |             | false
      mysql change same name other case    | MYSQL      | ALTER TABLE t CHANGE a A bigint                                               | ALTER_COLUMN_TYPE   | a      | A        |             | false
      mysql modify                         | MYSQL      | ALTER TABLE t MODIFY c bigint                                                 | ALTER_COLUMN_TYPE   | c      |          |             | false
      mysql modify column                  | MYSQL      | ALTER TABLE t MODIFY COLUMN c bigint NOT NULL                                 | ALTER_COLUMN_TYPE   | c      |          |             | false
      add foreign key constraint           | POSTGRESQL | ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id)             | ADD_CONSTRAINT      |        |          | FOREIGN KEY | false
      add foreign key not valid            | POSTGRESQL | ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id) NOT VALID   | ADD_CONSTRAINT      |        |          | FOREIGN KEY | false
      add unnamed foreign key              | MYSQL      | ALTER TABLE t ADD FOREIGN KEY (a) REFERENCES u (id)                           | ADD_CONSTRAINT      |        |          | FOREIGN KEY | false
      add check                            | POSTGRESQL | ALTER TABLE t ADD CHECK (a > 0)                                               | ADD_CONSTRAINT      |        |          | CHECK       | false
      add named check                      | POSTGRESQL | ALTER TABLE t ADD CONSTRAINT ck CHECK (a > 0) NOT VALID                       | ADD_CONSTRAINT      |        |          | CHECK       | false
      add unique                           | POSTGRESQL | ALTER TABLE t ADD UNIQUE (a)                                                  | ADD_CONSTRAINT      |        |          | UNIQUE      | false
      add unique using index               | POSTGRESQL | ALTER TABLE t ADD CONSTRAINT u UNIQUE USING INDEX i                           | ADD_CONSTRAINT      |        |          | UNIQUE      | false
      add primary key                      | POSTGRESQL | ALTER TABLE t ADD PRIMARY KEY (a)                                             | ADD_CONSTRAINT      |        |          | PRIMARY KEY | false
      add exclude                          | POSTGRESQL | ALTER TABLE t ADD CONSTRAINT ex EXCLUDE USING gist (r WITH &&)                | ADD_CONSTRAINT      |        |          | EXCLUDE     | false
      mysql add index                      | MYSQL      | ALTER TABLE t ADD INDEX i (a)                                                 | ADD_INDEX           |        |          | INDEX       | false
      mysql add key                        | MYSQL      | ALTER TABLE t ADD KEY i (a)                                                   | ADD_INDEX           |        |          | INDEX       | false
      mysql add fulltext                   | MYSQL      | ALTER TABLE t ADD FULLTEXT INDEX i (a)                                        | ADD_INDEX           |        |          | INDEX       | false
      validate constraint                  | POSTGRESQL | ALTER TABLE t VALIDATE CONSTRAINT fk                                          | VALIDATE_CONSTRAINT | fk     |          |             | false
      mysql algorithm                      | MYSQL      | ALTER TABLE t ALGORITHM=INPLACE                                               | OPTION              |        |          |             | false
      mysql lock                           | MYSQL      | ALTER TABLE t LOCK = NONE                                                     | OPTION              |        |          |             | false
      mysql algorithm without equals       | MYSQL      | ALTER TABLE t ALGORITHM INPLACE                                               | OPTION              |        |          |             | false
      mysql engine option                  | MYSQL      | ALTER TABLE t ENGINE=InnoDB                                                   | OPTION              |        |          |             | false
      set storage parameter                | POSTGRESQL | ALTER TABLE t SET (fillfactor = 70)                                           | OTHER               |        |          |             | false
      owner to                             | POSTGRESQL | ALTER TABLE t OWNER TO bob                                                    | OTHER               |        |          |             | false
      add partition                        | MYSQL      | ALTER TABLE t ADD PARTITION (PARTITION p1 VALUES LESS THAN (10))              | OTHER               |        |          |             | false
      """)
    void readsAlterAction(
            String name,
            SqlSyntax syntax,
            String sql,
            Kind kind,
            String column,
            String newName,
            String constraint,
            boolean ifExists) {
        AlterAction a = onlyAction(sql, syntax);

        assertThat(a.kind()).as(name).isEqualTo(kind);
        assertThat(text(a.column())).as("column").isEqualTo(column);
        assertThat(text(a.newName())).as("new name").isEqualTo(newName);
        assertThat(a.constraint()).as("constraint").isEqualTo(constraint);
        assertThat(a.ifExists()).as("if exists").isEqualTo(ifExists);
        assertThat(sql.substring(a.start(), a.end())).as("span").isEqualTo(sql.substring("ALTER TABLE t ".length()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      # name                          | syntax     | action                                                         | column | type                     | not null | default                    | identity | generated
      plain                           | POSTGRESQL | ADD COLUMN c int                                               | c      | int                      | false    |                            | false    | false
      not null                        | POSTGRESQL | ADD c int NOT NULL                                             | c      | int                      | true     |                            | false    | false
      explicit null                   | POSTGRESQL | ADD c int NULL                                                 | c      | int                      | false    |                            | false    | false
      not null default                | POSTGRESQL | ADD COLUMN IF NOT EXISTS c varchar(20) NOT NULL DEFAULT 'x'    | c      | varchar(20)              | true     | 'x'                        | false    | false
      default before not null         | POSTGRESQL | ADD c int DEFAULT 0 NOT NULL                                   | c      | int                      | true     | 0                          | false    | false
      default function call           | POSTGRESQL | ADD c timestamptz DEFAULT now() NOT NULL                       | c      | timestamptz              | true     | now()                      | false    | false
      default expression              | POSTGRESQL | ADD c int DEFAULT (1 + 2)                                      | c      | int                      | false    | (1 + 2)                    | false    | false
      default with cast               | POSTGRESQL | ADD c text DEFAULT 'a'::text                                   | c      | text                     | false    | 'a'::text                  | false    | false
      default negative                | POSTGRESQL | ADD c int NOT NULL DEFAULT -1                                  | c      | int                      | true     | -1                         | false    | false
      multi-word type                 | POSTGRESQL | ADD c timestamp with time zone DEFAULT now()                   | c      | timestamp with time zone | false    | now()                      | false    | false
      double precision                | POSTGRESQL | ADD c double precision NOT NULL                                | c      | double precision         | true     |                            | false    | false
      numeric with scale              | POSTGRESQL | ADD c numeric(10, 2) NOT NULL                                  | c      | numeric(10, 2)           | true     |                            | false    | false
      array type                      | POSTGRESQL | ADD c int[] NOT NULL                                           | c      | int[]                    | true     |                            | false    | false
      collate                         | POSTGRESQL | ADD c text COLLATE "C" NOT NULL                                | c      | text                     | true     |                            | false    | false
      named not null constraint       | POSTGRESQL | ADD c int CONSTRAINT nn NOT NULL                               | c      | int                      | true     |                            | false    | false
      primary key implies not null    | POSTGRESQL | ADD id int PRIMARY KEY                                         | id     | int                      | true     |                            | false    | false
      references                      | POSTGRESQL | ADD c int REFERENCES u (id) ON DELETE CASCADE                  | c      | int                      | false    |                            | false    | false
      serial                          | POSTGRESQL | ADD id serial                                                  | id     | serial                   | false    |                            | true     | false
      bigserial                       | POSTGRESQL | ADD COLUMN id bigserial NOT NULL                               | id     | bigserial                | true     |                            | true     | false
      serial8                         | POSTGRESQL | ADD COLUMN id serial8                                          | id     | serial8                  | false    |                            | true     | false
      generated always as identity    | POSTGRESQL | ADD id bigint NOT NULL GENERATED ALWAYS AS IDENTITY            | id     | bigint                   | true     |                            | true     | false
      generated by default identity   | POSTGRESQL | ADD id int GENERATED BY DEFAULT AS IDENTITY (START WITH 10)    | id     | int                      | false    |                            | true     | false
      h2 identity                     | ANSI       | ADD id int IDENTITY NOT NULL                                   | id     | int                      | true     |                            | true     | false
      mysql auto_increment            | MYSQL      | ADD id int NOT NULL AUTO_INCREMENT                             | id     | int                      | true     |                            | true     | false
      stored generated                | POSTGRESQL | ADD c int NOT NULL GENERATED ALWAYS AS (a * 2) STORED          | c      | int                      | true     |                            | false    | true
      mysql generated virtual         | MYSQL      | ADD c int GENERATED ALWAYS AS (a + 1) VIRTUAL NOT NULL         | c      | int                      | true     |                            | false    | true
      mysql as expression             | MYSQL      | ADD c int AS (a + 1) STORED NOT NULL                           | c      | int                      | true     |                            | false    | true
      mysql unsigned with options     | MYSQL      | ADD c int unsigned NOT NULL DEFAULT 0 COMMENT 'x' AFTER b      | c      | int unsigned             | true     | 0                          | false    | false
      mysql on update                 | MYSQL      | ADD c timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP | c | timestamp  | true     | CURRENT_TIMESTAMP          | false    | false
      mysql enum                      | MYSQL      | ADD c enum('a','b') NOT NULL DEFAULT 'a'                       | c      | enum('a','b')            | true     | 'a'                        | false    | false
      quoted column                   | POSTGRESQL | ADD "Total Price" numeric NOT NULL                             | Total Price | numeric             | true     |                            | false    | false
      """)
    void readsColumnDefinition(
            String name,
            SqlSyntax syntax,
            String action,
            String column,
            String type,
            boolean notNull,
            String defaultExpr,
            boolean identity,
            boolean generated) {
        AlterAction a = onlyAction("ALTER TABLE t " + action, syntax);
        ColumnDefinition d = a.definition();

        assertThat(a.kind()).as(name).isEqualTo(ADD_COLUMN);
        assertThat(text(a.column())).as("column").isEqualTo(column);
        assertThat(text(d.name())).as("definition name").isEqualTo(column);
        assertThat(d.type()).as("type").isEqualTo(type);
        assertThat(d.notNull()).as("not null").isEqualTo(notNull);
        assertThat(d.defaultExpr()).as("default").isEqualTo(defaultExpr);
        assertThat(d.identity()).as("identity").isEqualTo(identity);
        assertThat(d.generated()).as("generated").isEqualTo(generated);
    }

    /** The new type as written, up to the clause that follows it; none when a clause comes first (H2). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', nullValues = "-", textBlock = """
      # name                        | syntax     | sql                                                  | type
      type then using               | POSTGRESQL | ALTER TABLE t ALTER COLUMN c TYPE numeric(10, 2) USING c::numeric | numeric(10, 2)
      type then collate             | POSTGRESQL | ALTER TABLE t ALTER COLUMN c TYPE text COLLATE "C"   | text
      h2 type then not null         | ANSI       | ALTER TABLE t ALTER COLUMN c VARCHAR(20) NOT NULL    | VARCHAR(20)
      h2 null alone                 | ANSI       | ALTER TABLE t ALTER COLUMN c NULL                    | -
      h2 not null alone             | ANSI       | ALTER TABLE t ALTER COLUMN c NOT NULL                | -
      h2 default alone              | ANSI       | ALTER TABLE t ALTER COLUMN c DEFAULT 1               | -
      """)
    void theNewTypeIsReadUpToTheClauseAfterIt(String name, SqlSyntax syntax, String sql, String type) {
        AlterAction a = onlyAction(sql, syntax);

        assertThat(a.definition() == null ? null : a.definition().type())
                .as(name)
                .isEqualTo(type);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      # name                          | syntax | sql                                                      | kind                | column | type   | not null
      modify keeps its definition     | MYSQL  | ALTER TABLE t MODIFY c bigint NOT NULL                   | ALTER_COLUMN_TYPE   | c      | bigint | true
      change keeps its definition     | MYSQL  | ALTER TABLE t CHANGE a b varchar(20) NOT NULL DEFAULT '' | RENAME_COLUMN       | a      | varchar(20) | true
      """)
    void modifyAndChangeCarryADefinition(
            String name, SqlSyntax syntax, String sql, Kind kind, String column, String type, boolean notNull) {
        AlterAction a = onlyAction(sql, syntax);

        assertThat(a.kind()).as(name).isEqualTo(kind);
        assertThat(text(a.column())).isEqualTo(column);
        assertThat(a.definition().type()).isEqualTo(type);
        assertThat(a.definition().notNull()).isEqualTo(notNull);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      # name                           | syntax     | sql
      mysql add list                   | MYSQL      | ALTER TABLE t ADD (a int, b int NOT NULL)
      mysql add column list            | MYSQL      | ALTER TABLE t ADD COLUMN (a int, b int NOT NULL)
      mariadb add if not exists list   | MYSQL      | ALTER TABLE t ADD COLUMN IF NOT EXISTS (a int, b int NOT NULL)
      """)
    void mysqlAddsSeveralColumnsInParentheses(String name, SqlSyntax syntax, String sql) {
        DdlStatement s = classify(sql, syntax);

        assertThat(s.actions()).as(name).extracting(AlterAction::kind).containsExactly(ADD_COLUMN, ADD_COLUMN);
        assertThat(s.actions()).extracting(a -> a.column().text()).containsExactly("a", "b");
        assertThat(s.actions()).extracting(a -> a.definition().notNull()).containsExactly(false, true);
        assertThat(s.actions())
                .extracting(a -> sql.substring(a.start(), a.end()))
                .containsExactly("a int", "b int NOT NULL");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      # name                     | syntax     | sql                                                                                        | action spans, separated by ' ; '
      three postgres actions     | POSTGRESQL | ALTER TABLE t ADD COLUMN a int NOT NULL DEFAULT 0, DROP COLUMN b, ALTER COLUMN c SET NOT NULL | ADD COLUMN a int NOT NULL DEFAULT 0 ; DROP COLUMN b ; ALTER COLUMN c SET NOT NULL
      nested commas stay inside  | POSTGRESQL | ALTER TABLE t ADD c numeric(10, 2), ADD CONSTRAINT ck CHECK (c IN (1, 2)), DROP d           | ADD c numeric(10, 2) ; ADD CONSTRAINT ck CHECK (c IN (1, 2)) ; DROP d
      comments are not part      | POSTGRESQL | ALTER TABLE t DROP a /* gone */ , /* next */ DROP b -- end                                 | DROP a ; DROP b
      mysql with options         | MYSQL      | ALTER TABLE t ADD INDEX i (a, b), ALGORITHM=INPLACE, LOCK=NONE                             | ADD INDEX i (a, b) ; ALGORITHM=INPLACE ; LOCK=NONE
      mysql list and drop        | MYSQL      | ALTER TABLE t ADD (a int, b int), DROP c                                                   | a int ; b int ; DROP c
      """)
    void actionSpansCoverExactlyTheirText(String name, SqlSyntax syntax, String sql, String spans) {
        DdlStatement s = classify(sql, syntax);

        assertThat(s.actions())
                .as(name)
                .extracting(a -> sql.substring(a.start(), a.end()))
                .containsExactly(spans.split(" ; "));
    }

    @Test
    void statementTextExcludesTheSemicolonAndNeighbours() {
        String script = "SELECT 1;\n  ALTER TABLE t DROP COLUMN c ;\nDROP TABLE u";
        List<StatementText> parts = StatementSplitter.split(script, SqlSyntax.POSTGRESQL);
        DdlStatement alter = DdlClassifier.classify(parts.get(1), SqlSyntax.POSTGRESQL);

        assertThat(alter.sql()).isEqualTo("ALTER TABLE t DROP COLUMN c");
        AlterAction drop = alter.actions().get(0);
        assertThat(script.substring(drop.start(), drop.end())).isEqualTo("DROP COLUMN c");
        assertThat(alter.summary()).isEqualTo("ALTER TABLE t");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      # name                       | syntax     | sql
      bare verb                    | POSTGRESQL | DROP
      alter without table name     | POSTGRESQL | ALTER TABLE
      unbalanced parenthesis       | POSTGRESQL | ALTER TABLE t ADD c numeric(10, DROP d
      stray closing parenthesis    | POSTGRESQL | ALTER TABLE t ADD c int), DROP d
      create index without table   | POSTGRESQL | CREATE INDEX i ON
      alter with only a comma      | MYSQL      | ALTER TABLE t ,
      """)
    void neverThrowsOnBrokenText(String name, SqlSyntax syntax, String sql) {
        for (StatementText text : StatementSplitter.split(sql, syntax)) {
            DdlClassifier.classify(text, syntax);
        }
    }
}
