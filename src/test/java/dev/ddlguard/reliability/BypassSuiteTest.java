package dev.ddlguard.reliability;

import static dev.ddlguard.support.TestDatabases.MARIADB_URL;
import static dev.ddlguard.support.TestDatabases.PG_URL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.BlockedStatementException;
import dev.ddlguard.support.H2;
import dev.ddlguard.support.LogCapture;
import dev.ddlguard.support.TestDatabases;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 8: attempts to slip DDL past the guard, and text that only looks like DDL, each run for real
 * (H2 for the common syntax, PostgreSQL and MariaDB for theirs). Every case asserts both what was
 * judged (the audit records: how many, which rule ids, which decision) and what reached the server
 * (the guarded table is still there, the created table exists or does not).
 *
 * <p>In the tables below {@code T} stands for the victim table (orders on H2, a unique name on the
 * real servers) and {@code N} for a table the statement may create.
 */
class BypassSuiteTest {

    /** What the caller sees. */
    enum Outcome {
        BLOCKED,
        RUNS
    }

    /**
     * One case. {@code audits}: audit records written; {@code rules}: the set of rule ids over all of
     * them, comma-separated ("" = none); {@code created}: whether table N exists afterwards. Table T
     * must always still exist with its one row, except where {@code victimGone}.
     */
    record Case(String sql, Outcome outcome, int audits, String rules, boolean created, boolean victimGone) {
        @Override
        public String toString() {
            return sql.replace("\n", "\\n")
                    .replace("\t", "\\t")
                    .replace("\f", "\\f")
                    .replace("\u00a0", "\\u00a0");
        }
    }

    static Case blocked(String sql, int audits, String rules) {
        return new Case(sql, Outcome.BLOCKED, audits, rules, false, false);
    }

    static Case notDdl(String sql) {
        return new Case(sql, Outcome.RUNS, 0, "", false, false);
    }

    static Case creates(String sql, int audits, String rules) {
        return new Case(sql, Outcome.RUNS, audits, rules, true, false);
    }

    // ------------------------------------------------------------------ decorations (H2)

    /** Ways to wrap a statement in comments and whitespace; {@code %s} is the statement. */
    static final List<String> DECORATIONS = List.of(
            "%s",
            "  %s  ",
            "\t%s\t",
            "\n\n%s\n",
            "\r\n%s\r\n",
            "\f%s",
            "\u00a0%s",
            "%s;",
            "%s ;  ",
            "%s;;",
            "-- comment\n%s",
            "--\n%s",
            "-- ; DROP TABLE x\n%s",
            "%s -- trailing",
            "%s\n-- trailing\n",
            "/* c */%s",
            "/**/%s",
            "/* ; */ %s",
            "/* a */ /* b */ %s",
            "/* multi\nline\n*/\n%s",
            "/* -- not a line comment */ %s",
            "-- /* not a block comment\n%s",
            "%s /* trailing */",
            "/* 'quote' in comment */ %s",
            "-- it's\n%s");

    static Stream<Case> h2Decorated() {
        List<Case> cases = new ArrayList<>();
        for (String d : DECORATIONS) {
            cases.add(blocked(d.formatted("DROP TABLE T"), 1, "drop-table"));
        }
        for (String d : DECORATIONS) {
            if (!d.contains("\u00a0") && !d.contains(";;")) { // both are H2 syntax errors, not guard questions
                cases.add(creates(d.formatted("CREATE TABLE N(id INT)"), 1, ""));
            }
        }
        return cases.stream();
    }

    static Stream<Case> h2Blocked() {
        return Stream.of(
                blocked("drop table T", 1, "drop-table"),
                blocked("DROP TABLE t", 1, "drop-table"),
                blocked("dRoP tAbLe T", 1, "drop-table"),
                blocked("DROP\tTABLE\tT", 1, "drop-table"),
                blocked("DROP\nTABLE\nT", 1, "drop-table"),
                blocked("DROP\r\nTABLE\r\nT", 1, "drop-table"),
                blocked("DROP\fTABLE\fT", 1, "drop-table"),
                blocked("DROP\u00a0TABLE\u00a0T", 1, "drop-table"),
                blocked("DROP/**/TABLE/**/T", 1, "drop-table"),
                blocked("DROP/* x */TABLE/* ; */T", 1, "drop-table"),
                blocked("DROP -- x\nTABLE -- y\nT", 1, "drop-table"),
                blocked("DROP TABLE \"ORDERS\"", 1, "drop-table"),
                blocked("DROP TABLE PUBLIC.T", 1, "drop-table"),
                blocked("DROP TABLE \"PUBLIC\".\"ORDERS\"", 1, "drop-table"),
                blocked("DROP TABLE IF EXISTS T", 1, "drop-table"),
                blocked("DROP TABLE T CASCADE", 1, "drop-table,drop-cascade"),
                blocked("DROP TABLE T RESTRICT", 1, "drop-table"),
                blocked("TRUNCATE TABLE T", 1, "truncate-table"),
                blocked("truncate table T", 1, "truncate-table"),
                blocked("/* x */ TRUNCATE /* y */ TABLE T", 1, "truncate-table"),
                blocked("ALTER TABLE T ADD COLUMN c INT NOT NULL", 1, "add-column-not-null"),
                blocked("ALTER TABLE T DROP COLUMN note", 1, "drop-column"),
                blocked("alter table T drop column NOTE", 1, "drop-column"),
                blocked("ALTER TABLE T RENAME TO N", 1, "rename-table"),
                blocked("ALTER TABLE T ALTER COLUMN note RENAME TO memo", 1, "rename-column"),
                // several statements in one string: judged one by one, none of it runs
                blocked("SELECT 1; DROP TABLE T", 1, "drop-table"),
                blocked("INSERT INTO T VALUES (2, 'y'); DROP TABLE T", 1, "drop-table"),
                blocked("UPDATE T SET note = 'a;b'; DROP TABLE T;", 1, "drop-table"),
                blocked("SELECT ';'; -- ;\n DROP TABLE T", 1, "drop-table"),
                blocked("SELECT '/*'; DROP TABLE T; SELECT '*/'", 1, "drop-table"),
                blocked("SELECT '--'; DROP TABLE T", 1, "drop-table"),
                blocked("SELECT \"ID\" AS \"x;\" FROM T; DROP TABLE T", 1, "drop-table"),
                blocked("CREATE TABLE N(id INT); DROP TABLE T", 2, "drop-table"),
                blocked("DROP TABLE T; CREATE TABLE N(id INT)", 2, "drop-table"),
                blocked("CREATE TABLE N(id INT);\nINSERT INTO N VALUES (1);\nDROP TABLE T;", 2, "drop-table"),
                blocked("DROP TABLE T; TRUNCATE TABLE T", 2, "drop-table,truncate-table"),
                blocked(";DROP TABLE T", 1, "drop-table"),
                blocked("; ; DROP TABLE T", 1, "drop-table"),
                // an inline allow for another rule does not let the drop through
                blocked("/* ddlguard:allow truncate-table not this one */ DROP TABLE T", 1, "drop-table"),
                // an allow without a reason is ignored
                blocked("/* ddlguard:allow drop-table */ DROP TABLE T", 1, "drop-table"),
                // an allow hidden in a string is not a directive
                blocked("SELECT '/* ddlguard:allow drop-table reason */'; DROP TABLE T", 1, "drop-table"));
    }

    static Stream<Case> h2NotDdl() {
        return Stream.of(
                notDdl("SELECT 'DROP TABLE T' FROM T"),
                notDdl("SELECT 'DROP TABLE T; DROP TABLE T'"),
                notDdl("UPDATE T SET note = 'DROP TABLE T; --'"),
                notDdl("UPDATE T SET note = 'x''; DROP TABLE T; --'"),
                notDdl("INSERT INTO T VALUES (2, 'CREATE TABLE N(id INT)')"),
                notDdl("INSERT INTO T VALUES (2, ''';DROP TABLE T;--')"),
                notDdl("SELECT 1 -- ; DROP TABLE T"),
                notDdl("SELECT 1 /* ; DROP TABLE T */"),
                notDdl("SELECT 1 /* \n DROP TABLE T; \n */"),
                notDdl("-- DROP TABLE T\nSELECT 1"),
                notDdl("/* DROP TABLE T */ SELECT 1"),
                notDdl("SELECT \"ID\" AS \"DROP TABLE T\" FROM T"),
                notDdl("SELECT \"ID\" AS \"a\"\"; DROP TABLE T; --\" FROM T"),
                notDdl("SELECT created FROM (SELECT 1 AS created) dropped"),
                notDdl("SELECT 1 AS \"CREATE\", 2 AS \"DROP\", 3 AS \"ALTER\""),
                notDdl("SELECT id AS drop_count FROM T"),
                notDdl("(SELECT 1)"),
                notDdl("((SELECT 1))"),
                notDdl("(SELECT 1) UNION (SELECT 2)"),
                notDdl("WITH x AS (SELECT 1) SELECT * FROM x"),
                notDdl("WITH \"DROP\" AS (SELECT 1 AS a) SELECT * FROM \"DROP\""),
                notDdl("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r"),
                notDdl("VALUES ('DROP TABLE T')"),
                notDdl("DELETE FROM T WHERE note = 'TRUNCATE TABLE T'"),
                notDdl(
                        "MERGE INTO T USING (SELECT 1 AS id) s ON T.id = s.id WHEN MATCHED THEN UPDATE SET note = 'ALTER'"),
                notDdl("SELECT 1; SELECT 'DROP TABLE T'; SELECT 2"),
                notDdl("SELECT ';DROP TABLE T;'"),
                notDdl("SELECT $$DROP TABLE T$$"),
                notDdl("SELECT 'a' || 'DROP TABLE T' || ';'"),
                notDdl("SELECT X'44524f50'"),
                notDdl("SELECT 1 FROM T WHERE note LIKE '%DROP%'"),
                notDdl("SELECT COUNT(*) FROM T t1 JOIN T t2 ON t1.id = t2.id"),
                notDdl("CALL ABS(-1)"),
                notDdl("EXPLAIN SELECT * FROM T"),
                notDdl("SET @x = 'DROP TABLE T'"),
                notDdl("SELECT 1 -- DROP TABLE T\n-- ALTER TABLE T DROP COLUMN note"));
    }

    static Stream<Case> h2Creates() {
        return Stream.of(
                creates("CREATE TABLE N AS SELECT * FROM T", 1, ""),
                creates("create table N as select * from T where note = 'DROP TABLE T'", 1, ""),
                creates("CREATE TABLE N AS (SELECT id FROM T)", 1, ""),
                creates("CREATE TABLE N(\"DROP\" INT, \"TABLE\" VARCHAR(10), \"a;b\" INT)", 1, ""),
                creates("CREATE TABLE \"N\"(id INT)", 1, ""),
                creates("CREATE TABLE IF NOT EXISTS N(id INT)", 1, ""),
                creates("CREATE TABLE N(note VARCHAR(40) DEFAULT 'DROP TABLE T;')", 1, ""),
                creates("CREATE TABLE N(id INT); CREATE INDEX n_id ON N(id)", 2, ""),
                creates("SELECT 1; CREATE TABLE N(id INT); SELECT 2", 1, ""),
                creates("CREATE TABLE N(id INT); INSERT INTO N VALUES (1); UPDATE N SET id = 2", 1, ""),
                creates("/* ddlguard:allow drop-table test */ CREATE TABLE N(id INT)", 1, ""),
                creates("CREATE\tTABLE\nN\r\n(id\fINT)", 1, ""));
    }

    static Stream<Case> h2All() {
        return Stream.of(h2Decorated(), h2Blocked(), h2NotDdl(), h2Creates()).flatMap(s -> s);
    }

    @ParameterizedTest
    @MethodSource("h2All")
    void h2(Case c) throws SQLException {
        try (H2 db = new H2()) {
            db.setup("CREATE TABLE orders(id INT, note VARCHAR(100))", "INSERT INTO orders VALUES (1, 'x')");
            String sql = names(c.sql(), "orders", "made");
            try (LogCapture log = LogCapture.start();
                    Connection g = db.guarded();
                    Statement st = g.createStatement()) {
                run(c, () -> st.execute(sql), log);
            }
            assertThat(db.tableExists("orders")).as("victim table still there").isNotEqualTo(c.victimGone());
            if (c.outcome() == Outcome.BLOCKED) {
                assertThat(db.count("SELECT COUNT(*) FROM orders"))
                        .as("nothing of a blocked string ran")
                        .isEqualTo(1);
            }
            assertThat(db.tableExists("made")).as("table N created").isEqualTo(c.created());
        }
    }

    /** T (or t) → the victim table, N → the table to create, only where they stand alone as a name. */
    static String names(String sql, String victim, String made) {
        return sql.replaceAll("(?<![A-Za-z0-9_])[Tt](?![A-Za-z0-9_])", victim)
                .replaceAll("(?<![A-Za-z0-9_\"])N(?![A-Za-z0-9_\"])", made)
                .replace("\"N\"", "\"" + made.toUpperCase() + "\"")
                .replace("\"ORDERS\"", "\"" + victim.toUpperCase() + "\"");
    }

    // ------------------------------------------------------------------ execution paths (H2)

    /** Every JDBC way to send a string, each with a DROP TABLE that must be blocked before it runs. */
    static Stream<Arguments> paths() {
        return Stream.of(
                Arguments.of(
                        "execute", (PathAction) (c, sql) -> c.createStatement().execute(sql)),
                Arguments.of("executeUpdate", (PathAction)
                        (c, sql) -> c.createStatement().executeUpdate(sql)),
                Arguments.of("executeLargeUpdate", (PathAction)
                        (c, sql) -> c.createStatement().executeLargeUpdate(sql)),
                Arguments.of("executeQuery", (PathAction)
                        (c, sql) -> c.createStatement().executeQuery(sql)),
                Arguments.of("execute(autoKeys)", (PathAction)
                        (c, sql) -> c.createStatement().execute(sql, Statement.RETURN_GENERATED_KEYS)),
                Arguments.of("execute(columnNames)", (PathAction)
                        (c, sql) -> c.createStatement().execute(sql, new String[] {"id"})),
                Arguments.of("executeUpdate(columnIndexes)", (PathAction)
                        (c, sql) -> c.createStatement().executeUpdate(sql, new int[] {1})),
                Arguments.of("scrollable statement", (PathAction)
                        (c, sql) -> c.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_READ_ONLY)
                                .execute(sql)),
                Arguments.of("prepareStatement", (PathAction)
                        (c, sql) -> c.prepareStatement(sql).execute()),
                Arguments.of("prepareStatement(keys)", (PathAction) (c, sql) ->
                        c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS).executeUpdate()),
                Arguments.of("prepareStatement(columns)", (PathAction)
                        (c, sql) -> c.prepareStatement(sql, new String[] {"id"}).executeUpdate()),
                Arguments.of("prepareStatement(type)", (PathAction)
                        (c, sql) -> c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)
                                .execute()),
                Arguments.of("prepareCall", (PathAction)
                        (c, sql) -> c.prepareCall(sql).execute()),
                Arguments.of("prepareCall(type)", (PathAction)
                        (c, sql) -> c.prepareCall(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)
                                .execute()),
                Arguments.of("prepared execute(String)", (PathAction)
                        (c, sql) -> c.prepareStatement("SELECT 1").execute(sql)),
                Arguments.of("batch of DML with DDL", (PathAction) (c, sql) -> {
                    Statement st = c.createStatement();
                    st.addBatch("INSERT INTO orders VALUES (2, 'a')");
                    st.addBatch(sql);
                    st.addBatch("INSERT INTO orders VALUES (3, 'b')");
                    st.executeBatch();
                }),
                Arguments.of("batch, DDL first", (PathAction) (c, sql) -> {
                    Statement st = c.createStatement();
                    st.addBatch(sql);
                    st.addBatch("UPDATE orders SET note = 'z'");
                    st.executeBatch();
                }),
                Arguments.of("statement from metadata's connection", (PathAction) (c, sql) ->
                        c.getMetaData().getConnection().createStatement().execute(sql)),
                Arguments.of("statement from a result set's statement", (PathAction) (c, sql) -> c.createStatement()
                        .executeQuery("SELECT 1")
                        .getStatement()
                        .execute(sql)),
                Arguments.of("connection from a result set's statement", (PathAction) (c, sql) -> c.createStatement()
                        .executeQuery("SELECT 1")
                        .getStatement()
                        .getConnection()
                        .createStatement()
                        .execute(sql)),
                Arguments.of("prepared result set's statement", (PathAction) (c, sql) -> c.prepareStatement("SELECT 1")
                        .executeQuery()
                        .getStatement()
                        .execute(sql)),
                Arguments.of("getResultSet().getStatement()", (PathAction) (c, sql) -> {
                    Statement st = c.createStatement();
                    st.execute("SELECT 1");
                    st.getResultSet().getStatement().execute(sql);
                }),
                Arguments.of("statement.getConnection()", (PathAction) (c, sql) ->
                        c.createStatement().getConnection().createStatement().execute(sql)),
                Arguments.of("metadata result set's statement", (PathAction) (c, sql) -> {
                    ResultSet rs = c.getMetaData().getTables(null, null, "%", null);
                    Statement st = rs.getStatement();
                    (st == null ? c.createStatement() : st).execute(sql);
                }),
                Arguments.of("array result set's statement", (PathAction) (c, sql) -> {
                    ResultSet rs = c.createStatement().executeQuery("SELECT ARRAY[1]");
                    rs.next();
                    Statement st = rs.getArray(1).getResultSet().getStatement();
                    (st == null ? c.createStatement() : st).execute(sql);
                }),
                Arguments.of("statement.getConnection().getMetaData().getConnection()", (PathAction)
                        (c, sql) -> c.createStatement()
                                .getConnection()
                                .getMetaData()
                                .getConnection()
                                .prepareStatement(sql)
                                .execute()));
    }

    interface PathAction {
        void run(Connection c, String sql) throws SQLException;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void everyPathIsJudged(String name, PathAction path) throws SQLException {
        try (H2 db = new H2()) {
            db.setup("CREATE TABLE orders(id INT, note VARCHAR(100))", "INSERT INTO orders VALUES (1, 'x')");
            try (LogCapture log = LogCapture.start();
                    Connection g = db.guarded()) {
                assertThatThrownBy(() -> path.run(g, "/* via " + name + " */ DROP TABLE orders"))
                        .isInstanceOf(BlockedStatementException.class)
                        .hasMessageContaining("drop-table");
                assertThat(log.onlyAudit().get("outcome").asText()).isEqualTo("blocked");
            }
            assertThat(db.tableExists("orders")).isTrue();
            assertThat(db.count("SELECT COUNT(*) FROM orders"))
                    .as("no part of the batch ran")
                    .isEqualTo(1);
        }
    }

    @Test
    void escapeHatchesLeadBackToGuardedObjects() throws SQLException {
        try (H2 db = new H2();
                Connection g = db.guarded();
                Statement st = g.createStatement()) {
            DatabaseMetaData md = g.getMetaData();
            assertThat(md.getConnection()).isSameAs(g);
            assertThat(st.getConnection()).isSameAs(g);
            ResultSet rs = st.executeQuery("SELECT 1");
            assertThat(rs.getStatement()).isSameAs(st);
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(1);
            PreparedStatement ps = g.prepareStatement("SELECT ?");
            ps.setInt(1, 7);
            ResultSet prs = ps.executeQuery();
            assertThat(prs.getStatement()).isSameAs(ps);
            assertThat(prs.unwrap(ResultSet.class)).isSameAs(prs);
            CallableStatement cs = g.prepareCall("SELECT 1");
            assertThat(cs.executeQuery().getStatement()).isSameAs(cs);
            assertThat(md.getTables(null, null, "%", null).getStatement()).isNull();
            // equality and hashing of the wrapped objects stay usable in collections
            assertThat(g).isEqualTo(g);
            assertThat(g.hashCode()).isEqualTo(g.hashCode());
        }
    }

    // ------------------------------------------------------------------ PostgreSQL syntax

    static Stream<Case> postgres() {
        return Stream.of(
                blocked("DROP TABLE /* a /* nested */ still comment */ T", 1, "drop-table"),
                blocked("/* outer /* inner */ DROP TABLE nothing; */ DROP TABLE T", 1, "drop-table"),
                blocked("/* /* /* deep */ */ */DROP TABLE T", 1, "drop-table"),
                blocked("SELECT E'it\\'s; x'; DROP TABLE T", 1, "drop-table"),
                blocked("SELECT E'\\\\'; DROP TABLE T", 1, "drop-table"),
                blocked("SELECT $$ ; $$; DROP TABLE T", 1, "drop-table"),
                blocked("SELECT $tag$ $$ ; DROP TABLE nothing $tag$; DROP TABLE T", 1, "drop-table"),
                blocked("DROP TABLE \"T\"", 1, "drop-table"),
                blocked("DROP TABLE public.T", 1, "drop-table"),
                blocked("DROP TABLE IF EXISTS T, nothing_else", 1, "drop-table"),
                blocked("drop\ttable\nT", 1, "drop-table"),
                blocked("TRUNCATE T", 1, "truncate-table"),
                blocked("TRUNCATE ONLY T", 1, "truncate-table"),
                blocked("ALTER TABLE T DROP COLUMN note", 1, "drop-column"),
                blocked("ALTER TABLE ONLY T DROP COLUMN note", 1, "drop-column"),
                blocked("ALTER TABLE IF EXISTS T RENAME TO N", 1, "rename-table"),
                blocked("SELECT U&'\\0041'; DROP TABLE T", 1, "drop-table"),
                notDdl("SELECT E'DROP TABLE T'"),
                notDdl("SELECT E'\\'; DROP TABLE T; --'"),
                notDdl("SELECT E'\\\\' || ' DROP TABLE T'"),
                notDdl("SELECT $$DROP TABLE T$$"),
                notDdl("SELECT $a$ DROP TABLE T; $a$"),
                notDdl("SELECT $a$ $b$ ; DROP TABLE T; $b$ $a$"),
                notDdl("SELECT 1 /* /* nested */ DROP TABLE T; */"),
                notDdl("SELECT 'a''b; DROP TABLE T'"),
                notDdl("SELECT U&'DROP TABLE T'"),
                notDdl("SELECT 1 AS \"DROP TABLE T\""),
                notDdl("WITH d AS (DELETE FROM T WHERE id < 0 RETURNING *) SELECT count(*) FROM d"),
                notDdl("(SELECT 1) UNION ALL (SELECT 2)"),
                notDdl("SELECT count(*) FROM T WHERE note ~ 'DROP.*TABLE'"),
                notDdl("SELECT 1::text, 'x'::varchar AS \"alter\""),
                creates("CREATE TABLE N AS SELECT * FROM T", 1, ""),
                creates("/* c /* nested */ c */ CREATE TABLE N (id int)", 1, ""),
                creates("EXPLAIN ANALYZE CREATE TABLE N AS SELECT * FROM T", 1, ""),
                creates("explain (analyze, costs off) create table N as select * from T", 1, ""),
                creates("EXPLAIN (ANALYZE true) CREATE TABLE N AS SELECT * FROM T", 1, ""),
                notDdl("EXPLAIN CREATE TABLE N AS SELECT * FROM T"),
                notDdl("EXPLAIN (ANALYZE false) CREATE TABLE N AS SELECT * FROM T"),
                notDdl("EXPLAIN ANALYZE SELECT * FROM T"),
                creates("CREATE TABLE N (\"select\" int, \"drop table\" text, \"a;b\" int)", 1, ""),
                creates("CREATE TABLE N (note text DEFAULT E'DROP TABLE T\\';')", 1, ""),
                creates("CREATE TABLE N (note text DEFAULT $$DROP TABLE T;$$)", 1, ""),
                creates("SELECT $$;$$; CREATE TABLE N (id int)", 1, ""));
    }

    @ParameterizedTest
    @MethodSource("postgres")
    void postgresSyntax(Case c) throws SQLException {
        try (Connection admin = TestDatabases.postgres()) {
            String victim = "bp_" + Long.toHexString(System.nanoTime());
            String made = victim + "_n";
            exec(
                    admin,
                    "CREATE TABLE " + victim + " (id int, note text)",
                    "INSERT INTO " + victim + " VALUES (1, 'x')");
            try {
                String sql = names(c.sql(), victim, made)
                        .replace("\"" + victim.toUpperCase() + "\"", "\"" + victim + "\"")
                        .replace("\"" + made.toUpperCase() + "\"", "\"" + made + "\"");
                try (LogCapture log = LogCapture.start();
                        Connection g = TestDatabases.guarded(PG_URL);
                        Statement st = g.createStatement()) {
                    run(c, () -> st.execute(sql), log);
                }
                assertThat(count(admin, "SELECT count(*) FROM pg_tables WHERE tablename = '" + victim + "'"))
                        .isEqualTo(1);
                if (c.outcome() == Outcome.BLOCKED) {
                    assertThat(count(admin, "SELECT count(*) FROM " + victim)).isEqualTo(1);
                }
                assertThat(count(admin, "SELECT count(*) FROM pg_tables WHERE tablename = '" + made + "'"))
                        .isEqualTo(c.created() ? 1 : 0);
            } finally {
                exec(admin, "DROP TABLE IF EXISTS " + victim + " CASCADE", "DROP TABLE IF EXISTS " + made);
            }
        }
    }

    /** DO blocks and dynamic SQL cannot be read: reported as unanalyzable, which blocks by default (issue 13). */
    static Stream<String> postgresOpaque() {
        return Stream.of(
                "DO $$ BEGIN EXECUTE 'DROP TABLE T'; END $$",
                "DO $x$ BEGIN EXECUTE 'DROP' || ' TABLE T'; END $x$",
                "DO LANGUAGE plpgsql $$ BEGIN EXECUTE format('DROP TABLE %I', 'T'); END $$",
                "do $$ begin execute 'drop table T'; end $$",
                "/* c */ DO $$ BEGIN DROP TABLE T; END $$",
                "DO 'BEGIN EXECUTE ''DROP TABLE T''; END'",
                "DO E'BEGIN EXECUTE \\'DROP TABLE T\\'; END'",
                "SELECT 1; DO $$ BEGIN EXECUTE 'DROP TABLE T'; END $$");
    }

    @ParameterizedTest
    @MethodSource("postgresOpaque")
    void postgresDoBlocksAreUnanalyzable(String template) throws SQLException {
        try (Connection admin = TestDatabases.postgres()) {
            String victim = "bp_" + Long.toHexString(System.nanoTime());
            exec(admin, "CREATE TABLE " + victim + " (id int)");
            try {
                String sql = names(template, victim, "unused");
                try (LogCapture log = LogCapture.start();
                        Connection g = TestDatabases.guarded(PG_URL);
                        Statement st = g.createStatement()) {
                    run(blocked(sql, 1, "unanalyzable"), () -> st.execute(sql), log);
                }
                assertThat(count(admin, "SELECT count(*) FROM pg_tables WHERE tablename = '" + victim + "'"))
                        .isEqualTo(1);
            } finally {
                exec(admin, "DROP TABLE IF EXISTS " + victim);
            }
        }
    }

    @Test
    void postgresDoBlockUnderWarnPolicyRunsWithAWarning() throws SQLException {
        try (Connection admin = TestDatabases.postgres()) {
            String victim = "bp_" + Long.toHexString(System.nanoTime());
            exec(admin, "CREATE TABLE " + victim + " (id int)");
            try (LogCapture log = LogCapture.start();
                    Connection g = TestDatabases.guarded(PG_URL, "ddlguard.rule.unanalyzable", "warn");
                    Statement st = g.createStatement()) {
                st.execute("DO $$ BEGIN EXECUTE 'DROP TABLE " + victim + "'; END $$");
                JsonNode r = log.onlyAudit();
                assertThat(r.get("rules").get(0).get("id").asText()).isEqualTo("unanalyzable");
                assertThat(r.get("decision").asText()).isEqualTo("warned");
                assertThat(r.get("outcome").asText()).isEqualTo("ok");
                assertThat(count(admin, "SELECT count(*) FROM pg_tables WHERE tablename = '" + victim + "'"))
                        .isZero();
            } finally {
                exec(admin, "DROP TABLE IF EXISTS " + victim);
            }
        }
    }

    // ------------------------------------------------------------------ MariaDB syntax

    static Stream<Case> mariadb() {
        return Stream.of(
                blocked("/*!50000 DROP TABLE T */", 1, "drop-table"),
                blocked("/*! DROP TABLE T */", 1, "drop-table"),
                blocked("/*!DROP TABLE T*/", 1, "drop-table"),
                blocked("/*M!100000 DROP TABLE T */", 1, "drop-table"),
                blocked("/*!50000 DROP */ TABLE T", 1, "drop-table"),
                blocked("DROP /*!50000 TABLE */ T", 1, "drop-table"),
                blocked("# comment\nDROP TABLE T", 1, "drop-table"),
                blocked("#\nDROP TABLE T", 1, "drop-table"),
                blocked("DROP # x\nTABLE # y\nT", 1, "drop-table"),
                blocked("DROP TABLE `T`", 1, "drop-table"),
                blocked("DROP TABLE test.T", 1, "drop-table"),
                blocked("DROP TABLE `test`.`T`", 1, "drop-table"),
                blocked("drop\ttable\nT", 1, "drop-table"),
                blocked("ALTER TABLE T DROP COLUMN note", 1, "drop-column,require-online-ddl"),
                blocked("RENAME TABLE T TO N", 1, "rename-table"),
                blocked("TRUNCATE T", 1, "truncate-table"),
                notDdl("SELECT 1 # ; DROP TABLE T"),
                notDdl("# DROP TABLE T\nSELECT 1"),
                notDdl("SELECT 'it\\'s DROP TABLE T'"),
                notDdl("SELECT 'a\\\\', 'DROP TABLE T'"),
                notDdl("SELECT \"DROP TABLE T\""),
                notDdl("SELECT \"a\\\"; DROP TABLE T\""),
                notDdl("SELECT `drop table` FROM (SELECT 1 AS `drop table`) x"),
                notDdl("SELECT 1 AS `a``; DROP TABLE T`"),
                notDdl("/* DROP TABLE T */ SELECT 1"),
                notDdl("/*! SELECT 1 */"),
                notDdl("SELECT 1 /*!50000 , 2 */"),
                notDdl("SELECT 1 -- ; DROP TABLE T"),
                notDdl("(SELECT 1)"),
                notDdl("WITH x AS (SELECT 1) SELECT * FROM x"),
                creates("/*!50000 CREATE TABLE N (id int) */", 1, ""),
                // seen through a # comment and without AS; blocked under REPEATABLE READ: the copy locks T's rows
                blocked("# c\nCREATE TABLE N AS SELECT * FROM T", 1, "copy-locks-source"),
                blocked("CREATE TABLE N SELECT * FROM T", 1, "copy-locks-source"),
                creates("CREATE TABLE N (`drop` int, `table` text, `a;b` int)", 1, ""),
                creates("CREATE TABLE N (note varchar(40) DEFAULT 'DROP TABLE T\\';')", 1, ""));
    }

    @ParameterizedTest
    @MethodSource("mariadb")
    void mariadbSyntax(Case c) throws SQLException {
        try (Connection admin = TestDatabases.mariadb()) {
            String victim = "bp_" + Long.toHexString(System.nanoTime());
            String made = victim + "_n";
            exec(
                    admin,
                    "CREATE TABLE " + victim + " (id int, note text)",
                    "INSERT INTO " + victim + " VALUES (1, 'x')");
            try {
                String sql = names(c.sql(), victim, made).replace("`T`", "`" + victim + "`");
                try (LogCapture log = LogCapture.start();
                        Connection g = TestDatabases.guarded(MARIADB_URL);
                        Statement st = g.createStatement()) {
                    run(c, () -> st.execute(sql), log);
                }
                String exists =
                        "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '";
                assertThat(count(admin, exists + victim + "'")).isEqualTo(1);
                if (c.outcome() == Outcome.BLOCKED) {
                    assertThat(count(admin, "SELECT count(*) FROM " + victim)).isEqualTo(1);
                }
                assertThat(count(admin, exists + made + "'")).isEqualTo(c.created() ? 1 : 0);
            } finally {
                exec(admin, "DROP TABLE IF EXISTS " + victim, "DROP TABLE IF EXISTS " + made);
            }
        }
    }

    static void exec(Connection c, String... sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    interface SqlAction {
        void run() throws SQLException;
    }

    /** Runs the case and checks what was judged. */
    static List<JsonNode> run(Case c, SqlAction action, LogCapture log) throws SQLException {
        if (c.outcome() == Outcome.BLOCKED) {
            assertThatThrownBy(action::run)
                    .isInstanceOf(BlockedStatementException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("XDG01"));
        } else {
            action.run();
        }
        List<JsonNode> audit = log.audit();
        assertThat(audit).as("audit records for %s", c).hasSize(c.audits());
        TreeSet<String> ids = new TreeSet<>();
        for (JsonNode r : audit) {
            r.get("rules").forEach(rule -> {
                if (!rule.get("action").asText().equals("allow")) {
                    ids.add(rule.get("id").asText());
                }
            });
        }
        TreeSet<String> expected = new TreeSet<>();
        for (String id : c.rules().split(",")) {
            if (!id.isBlank()) {
                expected.add(id.trim());
            }
        }
        assertThat(ids).as("rule ids judged").isEqualTo(expected);
        if (c.outcome() == Outcome.BLOCKED) {
            assertThat(audit)
                    .as("a blocked string leaves a blocked record")
                    .anySatisfy(r -> assertThat(r.get("outcome").asText()).isEqualTo("blocked"));
            assertThat(audit)
                    .allSatisfy(r -> assertThat(r.get("outcome").asText()).isNotEqualTo("ok"));
        } else {
            assertThat(audit)
                    .allSatisfy(r -> assertThat(r.get("outcome").asText()).isEqualTo("ok"));
        }
        return audit;
    }
}
