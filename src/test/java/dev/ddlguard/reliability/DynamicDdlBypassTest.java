package dev.ddlguard.reliability;

import static dev.ddlguard.reliability.BypassSuiteTest.blocked;
import static dev.ddlguard.reliability.BypassSuiteTest.count;
import static dev.ddlguard.reliability.BypassSuiteTest.creates;
import static dev.ddlguard.reliability.BypassSuiteTest.exec;
import static dev.ddlguard.reliability.BypassSuiteTest.names;
import static dev.ddlguard.reliability.BypassSuiteTest.run;
import static dev.ddlguard.support.TestDatabases.MARIADB_URL;
import static dev.ddlguard.support.TestDatabases.PG_URL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.BlockedStatementException;
import dev.ddlguard.reliability.BypassSuiteTest.Case;
import dev.ddlguard.reliability.BypassSuiteTest.Outcome;
import dev.ddlguard.support.H2;
import dev.ddlguard.support.LogCapture;
import dev.ddlguard.support.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 13, "Dynamic and encoded DDL" and "The guard's own failures": DDL hidden behind escapes, built at
 * run time, sent over dblink, or run by a shell command or Java code, each sent for real to the server
 * concerned under the default policy. After each case a raw connection shows the victim table T intact
 * (with its row) and the audit holds one record per DDL statement. {@code T} is the victim table,
 * {@code N} a table the statement may create (as in {@link BypassSuiteTest}).
 */
class DynamicDdlBypassTest {

    static Stream<Case> postgres() {
        return Stream.of(
                // escape-encoded DO bodies: decoded before they are read
                blocked("DO E'BEGIN \\x44ROP TABLE T; END'", 1, "unanalyzable"),
                blocked("DO E'BEGIN \\104ROP TABLE T; END'", 1, "unanalyzable"),
                blocked("DO E'BEGIN \\u0044ROP TABLE T; END'", 1, "unanalyzable"),
                blocked("DO E'BEGIN \\U00000044ROP TABLE T; END'", 1, "unanalyzable"),
                blocked("DO U&'BEGIN \\0044ROP TABLE T; END'", 1, "unanalyzable"),
                blocked("DO U&'BEGIN \\+000044ROP TABLE T; END'", 1, "unanalyzable"),
                blocked("DO U&'BEGIN !0044ROP TABLE T; END' UESCAPE '!'", 1, "unanalyzable"),
                blocked("DO $$ BEGIN EXECUTE E'\\x44ROP TABLE T'; END $$", 1, "unanalyzable"),
                blocked("DO $$ BEGIN EXECUTE 'DR' || 'OP TABLE T'; END $$", 1, "unanalyzable"),
                // escape-encoded routine bodies
                blocked(
                        "CREATE FUNCTION N() RETURNS void LANGUAGE plpgsql AS E'BEGIN \\x44ROP TABLE T; END'",
                        1,
                        "unanalyzable"),
                blocked("CREATE PROCEDURE N() LANGUAGE sql AS U&'\\0044ROP TABLE T'", 1, "unanalyzable"),
                // EXPLAIN ANALYZE with a quoted or integer boolean runs the CREATE TABLE AS: judged and audited as one
                creates("EXPLAIN (ANALYZE 'true') CREATE TABLE N AS SELECT 1 AS a", 1, ""),
                creates("EXPLAIN (ANALYZE 01) CREATE TABLE N AS SELECT 1 AS a", 1, ""),
                creates("EXPLAIN (ANALYZE \"on\", COSTS off) CREATE TABLE N AS SELECT 1 AS a", 1, ""),
                // SELECT … INTO creates a table: judged and audited as CREATE TABLE AS
                creates("SELECT * INTO N FROM T", 1, ""),
                creates("select id, note into table N from T where id = 1", 1, ""),
                creates("SELECT 1 AS from INTO N", 1, ""),
                creates("SELECT id IS DISTINCT FROM 2 AS d INTO N FROM T", 1, ""),
                creates("WITH x AS (SELECT id FROM T) SELECT * INTO N FROM x", 1, ""),
                creates("SELECT 1; SELECT 2 AS b INTO N", 1, ""),
                creates("EXPLAIN ANALYZE SELECT 1 AS a INTO N", 1, ""),
                // a shell command on the server
                // a catalog written by a DDL statement: a data-modifying WITH of CREATE TABLE AS, a rule's action; COPY
                // into a catalog (an outside tester's renamed tables, and made a role a member of another)
                blocked(
                        "CREATE TABLE N AS WITH u AS (UPDATE pg_class SET relname = 'T_x' WHERE relname = 'T'"
                                + " RETURNING relname) SELECT * FROM u",
                        1,
                        "unanalyzable"),
                blocked(
                        "CREATE RULE N AS ON INSERT TO T DO ALSO UPDATE pg_catalog.pg_class SET relname = 'T_x'"
                                + " WHERE relname = 'T'",
                        1,
                        "instead-rule,unanalyzable"),
                blocked("COPY pg_catalog.pg_description FROM '/nonexistent/d.txt'", 1, "unanalyzable"),
                // the catalog named in U& escapes (an outside tester's renamed a table with no record written)
                blocked("UPDATE U&\"\\0070g_class\" SET relname = 'T_x' WHERE relname = 'T'", 1, "unanalyzable"),
                blocked(
                        "DO $$ BEGIN UPDATE U&\"\\0070g_class\" SET relname = 'T_x' WHERE relname = 'T'; END $$",
                        1,
                        "unanalyzable"),
                // ALTER TABLE takes a foreign table's OPTIONS too (a later round's ran a shell command so)
                blocked("ALTER TABLE T OPTIONS (ADD \"program\" 'id')", 1, "copy-program"),
                // a schema element is judged only as a statement of its own (a writable view over pg_class, a later
                // round's)
                blocked("CREATE SCHEMA N CREATE VIEW cv AS SELECT oid, relname FROM pg_class", 1, "unanalyzable"),
                blocked("LOAD 'plpgsql'", 1, "unanalyzable"), // a library's code, run in the server process
                blocked("COPY T TO PROGRAM 'cat > /dev/null'", 1, "copy-program"),
                // file_fdw runs its program option at every read; postgres_fdw writes a catalog it points at (an
                // outside
                // tester's dropped a table through psql, and renamed one through a loopback server)
                blocked(
                        "CREATE FOREIGN TABLE N (x text) SERVER T_none OPTIONS (program 'psql -c \"DROP TABLE T\"')",
                        1,
                        "copy-program"),
                blocked(
                        "CREATE FOREIGN TABLE N (oid oid, relname name) SERVER T_none"
                                + " OPTIONS (schema_name 'pg_catalog', table_name 'pg_class')",
                        1,
                        "unanalyzable"),
                // the option's name quoted, U&-escaped or followed by a comment: the same option (a later round's)
                blocked("CREATE FOREIGN TABLE N (x text) SERVER T_none OPTIONS (\"program\" 'id')", 1, "copy-program"),
                blocked(
                        "CREATE FOREIGN TABLE N (x text) SERVER T_none OPTIONS (U&\"progr\\0061m\" /**/ 'id')",
                        1,
                        "copy-program"),
                blocked(
                        "CREATE FOREIGN TABLE N (oid oid, relname name) SERVER T_none"
                                + " OPTIONS (\"schema_name\" 'pg_catalog', \"table_name\" 'pg_class')",
                        1,
                        "unanalyzable"),
                blocked(
                        "IMPORT FOREIGN SCHEMA pg_catalog LIMIT TO (pg_class) FROM SERVER T_none INTO public",
                        1,
                        "unanalyzable"),
                blocked("copy (SELECT 1) to program 'true'", 1, "copy-program"),
                blocked("COPY T FROM PROGRAM 'echo 2,y'", 1, "copy-program"),
                // dblink: SQL on a connection the guard does not see
                blocked("SELECT dblink_exec('dbname=' || current_database(), 'DROP TABLE T')", 1, "unanalyzable"),
                blocked("SELECT public.DbLink_Exec('dbname=' || current_database(), 'SELECT 1')", 1, "unanalyzable"),
                blocked(
                        "SELECT * FROM dblink('dbname=' || current_database(), 'DROP TABLE T') AS r(x text)",
                        1,
                        "unanalyzable"),
                blocked(
                        "SELECT U&\"dblink\\005Fexec\"('dbname=' || current_database(), 'DROP TABLE T')",
                        1,
                        "unanalyzable"),
                // an outside tester's: literals that follow each other are one body to the server
                blocked("DO 'BEGIN DR'\n'OP TABLE T; END'", 1, "unanalyzable"),
                blocked("DO E'BEGIN TRUNC' -- c\n'ATE T; END'", 1, "unanalyzable"),
                // … expressions of a block that run SQL (a RAISE's argument, a condition), and a U&"…" UESCAPE name
                blocked(
                        "DO $$ BEGIN RAISE NOTICE '%', dblink_exec('dbname=' || current_database(), 'DROP TABLE T');"
                                + " END $$",
                        1, "unanalyzable"),
                blocked(
                        "DO $$ BEGIN IF dblink_exec('dbname=' || current_database(), 'DROP TABLE T') = 'x' THEN"
                                + " CREATE TABLE N (a int); END IF; END $$",
                        1,
                        "unanalyzable"),
                blocked(
                        "SELECT U&\"dblin!006B_exec\" UESCAPE '!' ('dbname=' || current_database(), 'DROP TABLE T')",
                        1,
                        "unanalyzable"),
                // a second round: a CREATE in a branch that never runs makes nothing new; dblink's cursor functions;
                // an aggregate bound to dblink_exec
                blocked(
                        "DO $$ BEGIN IF false THEN CREATE TABLE T (id int); END IF; DROP TABLE T; END $$",
                        1,
                        "unanalyzable"),
                blocked("SELECT dblink_close('dbname=' || current_database(), 'cur; DROP TABLE T')", 1, "unanalyzable"),
                blocked(
                        "CREATE AGGREGATE N(text) (sfunc = dblink_exec, stype = text, initcond = 'dbname=x')",
                        1,
                        "unanalyzable"),
                // a third round: SQL text handed to a core function that runs it, calling dblink_exec
                blocked(
                        "SELECT query_to_xml('select dblink_exec(''dbname='' || current_database(), ''DROP TABLE T'')',"
                                + " true, true, '')",
                        1,
                        "unanalyzable"),
                // … and built at run time
                blocked(
                        "SELECT query_to_xml('select dbl' || 'ink_exec(''dbname='' || current_database(),"
                                + " ''DROP TABLE T'')', true, true, '')",
                        1,
                        "unanalyzable"),
                // a view over one catalog can be written through (UPDATE of pg_proc.prosrc rewrote a function)
                blocked("CREATE VIEW N AS SELECT oid, proname, prosrc FROM pg_catalog.pg_proc", 1, "unanalyzable"),
                // xml2's xpath_table runs the query it builds from its arguments
                blocked(
                        "SELECT count(*) FROM xpath_table('id', 'note', 'T; DROP TABLE T; SELECT id, note FROM T',"
                                + " '/a', 'true') AS x(id int, a text)",
                        1,
                        "unanalyzable"),
                // C: a 3,000-character DEFAULT literal once overflowed the stack, was judged "warn" and dropped a
                // column
                blocked(
                        "ALTER TABLE T ADD COLUMN c2 text DEFAULT '" + "x".repeat(3000)
                                + "'; ALTER TABLE T DROP COLUMN note",
                        2,
                        "drop-column"));
    }

    @ParameterizedTest
    @MethodSource("postgres")
    void postgresSyntax(Case c) throws SQLException {
        try (Connection admin = TestDatabases.postgres()) {
            exec(admin, "CREATE EXTENSION IF NOT EXISTS dblink", "CREATE EXTENSION IF NOT EXISTS xml2");
            String victim = "dy_" + Long.toHexString(System.nanoTime());
            String made = victim + "_n";
            exec(
                    admin,
                    "CREATE TABLE " + victim + " (id int, note text)",
                    "INSERT INTO " + victim + " VALUES (1, 'x')");
            try {
                String sql = names(c.sql(), victim, made);
                try (LogCapture log = LogCapture.start();
                        Connection g = TestDatabases.guarded(PG_URL);
                        Statement st = g.createStatement()) {
                    List<JsonNode> audit = run(c, () -> st.execute(sql), log);
                    if (c.outcome() == Outcome.BLOCKED) {
                        assertThat(audit)
                                .anySatisfy(r -> assertThat(r.toString()).contains("Instead:"));
                    }
                }
                assertThat(count(admin, "SELECT count(*) FROM pg_tables WHERE tablename = '" + victim + "'"))
                        .isEqualTo(1);
                assertThat(count(admin, "SELECT count(*) FROM " + victim)).isEqualTo(1);
                assertThat(count(
                                admin,
                                "SELECT count(*) FROM information_schema.columns WHERE table_name = '" + victim + "'"))
                        .as("no column added or dropped")
                        .isEqualTo(2);
                assertThat(count(admin, "SELECT count(*) FROM pg_tables WHERE tablename = '" + made + "'"))
                        .isEqualTo(c.created() ? 1 : 0);
                assertThat(count(admin, "SELECT count(*) FROM pg_proc WHERE proname = '" + made + "'"))
                        .isZero();
            } finally {
                exec(admin, "DROP TABLE IF EXISTS " + victim + " CASCADE", "DROP TABLE IF EXISTS " + made);
            }
        }
    }

    static Stream<Case> h2() {
        return Stream.of(
                blocked("EXECUTE IMMEDIATE CONCAT('DR','OP TABLE T')", 1, "unanalyzable"),
                blocked("EXECUTE IMMEDIATE 'DR' || 'OP TABLE T'", 1, "unanalyzable"),
                blocked("EXECUTE IMMEDIATE 'DROP TABLE T'", 1, "unanalyzable"),
                blocked("CREATE ALIAS N FOR \"java.lang.System.exit\"", 1, "unanalyzable"),
                blocked("CREATE ALIAS N AS $$ String n() { return \"x\"; } $$", 1, "unanalyzable"));
    }

    @ParameterizedTest
    @MethodSource("h2")
    void h2Syntax(Case c) throws SQLException {
        try (H2 db = new H2()) {
            db.setup("CREATE TABLE orders(id INT, note VARCHAR(100))", "INSERT INTO orders VALUES (1, 'x')");
            String sql = names(c.sql(), "orders", "made");
            try (LogCapture log = LogCapture.start();
                    Connection g = db.guarded();
                    Statement st = g.createStatement()) {
                run(c, () -> st.execute(sql), log);
            }
            assertThat(db.tableExists("orders")).isTrue();
            assertThat(db.count("SELECT COUNT(*) FROM orders")).isEqualTo(1);
            assertThat(db.count("SELECT COUNT(*) FROM INFORMATION_SCHEMA.ROUTINES WHERE ROUTINE_NAME = 'MADE'"))
                    .isZero();
        }
    }

    static Stream<Case> mariadb() {
        return Stream.of(
                blocked("EXECUTE IMMEDIATE CONCAT('DR','OP TABLE T')", 1, "unanalyzable"),
                blocked("EXECUTE IMMEDIATE 'D\\ROP TABLE T'", 1, "unanalyzable"),
                // binary-log events replayed write any table, mysql.proc too (a later round's)
                blocked("BINLOG 'AAAA'", 1, "unanalyzable"),
                blocked("PREPARE s FROM 'DR\\OP TABLE T'", 1, "unanalyzable"),
                blocked("PREPARE s FROM CONCAT('DR','OP TABLE T')", 1, "unanalyzable"),
                // system procedures that run SQL they build (an outside tester's, through both JDBC spellings)
                blocked("CALL sys.execute_prepared_stmt('DROP TABLE T')", 1, "unanalyzable"),
                blocked("{call sys.execute_prepared_stmt('TRUNCATE TABLE T')}", 1, "unanalyzable"),
                blocked("CALL mysql.DropGeometryColumn('', database(), 'T', 'note')", 1, "unanalyzable"),
                // the server's own tables written by hand; a routine whose body hands its text to one (a fourth round)
                blocked(
                        "UPDATE mysql.proc SET body = 'DROP TABLE T' WHERE db = database() AND name = 'T'",
                        1,
                        "unanalyzable"),
                // … by a multi-table UPDATE, and by LOAD DATA (an outside tester's widened an account's privileges)
                blocked(
                        "UPDATE T JOIN mysql.proc p ON p.name = 'T_none' SET p.body = 'DROP TABLE T'",
                        1,
                        "unanalyzable"),
                blocked("LOAD DATA LOCAL INFILE '/nonexistent/db.tsv' INTO TABLE mysql.db", 1, "unanalyzable"),
                // … with a comment before the dot, and a USE of it through dynamic SQL (a second round's)
                blocked(
                        "UPDATE mysql/**/.proc SET body = 'DROP TABLE T' WHERE db = database() AND name = 'T_none'",
                        1,
                        "unanalyzable"),
                blocked("EXECUTE IMMEDIATE 'USE mysql'", 1, "unanalyzable"),
                // a view over it is written through as well (measured on MariaDB 10.11: an UPDATE of the view set a
                // body)
                blocked("CREATE VIEW T_proc AS SELECT db, name, body FROM mysql.proc", 1, "unanalyzable"),
                blocked(
                        "CREATE PROCEDURE T_run(q TEXT) BEGIN CALL sys.execute_prepared_stmt(q); END",
                        1,
                        "unanalyzable"),
                // … through EXECUTE IMMEDIATE, the SQL in USING (a third round)
                blocked(
                        "EXECUTE IMMEDIATE 'CALL sys.execute_prepared_stmt(?)' USING 'DROP TABLE T'",
                        1,
                        "unanalyzable"));
    }

    @ParameterizedTest
    @MethodSource("mariadb")
    void mariadbSyntax(Case c) throws SQLException {
        try (Connection admin = TestDatabases.mariadb()) {
            String victim = "dy_" + Long.toHexString(System.nanoTime());
            exec(
                    admin,
                    "CREATE TABLE " + victim + " (id int, note text)",
                    "INSERT INTO " + victim + " VALUES (1, 'x')");
            try {
                String sql = names(c.sql(), victim, "unused");
                try (LogCapture log = LogCapture.start();
                        Connection g = TestDatabases.guarded(MARIADB_URL);
                        Statement st = g.createStatement()) {
                    run(c, () -> st.execute(sql), log);
                }
                assertThat(count(admin, "SELECT count(*) FROM " + victim)).isEqualTo(1);
            } finally {
                exec(admin, "DROP TABLE IF EXISTS " + victim);
            }
        }
    }

    /**
     * MariaDB's Oracle mode: a package body is one statement to its last END, and the DDL in any of its procedures runs
     * when the procedure is called. An outside tester's body was cut at its first END; and allowed: the CALL emptied the
     * table.
     */
    @Test
    void mariadbOraclePackageBodyWithDdlIsBlocked() throws SQLException {
        try (Connection admin = TestDatabases.mariadb()) {
            String victim = "dy_" + Long.toHexString(System.nanoTime());
            String pk = victim + "_pk";
            exec(admin, "CREATE TABLE " + victim + " (id int)", "INSERT INTO " + victim + " VALUES (1)");
            try (LogCapture log = LogCapture.start();
                    Connection g = TestDatabases.guarded(MARIADB_URL);
                    Statement st = g.createStatement()) {
                st.execute("SET sql_mode = ORACLE");
                st.execute("CREATE PACKAGE " + pk + " AS PROCEDURE a; PROCEDURE b; END");
                log.clear();
                assertThatThrownBy(() -> st.execute("CREATE PACKAGE BODY " + pk + " AS PROCEDURE a AS BEGIN NULL; END;"
                                + " PROCEDURE b AS BEGIN TRUNCATE TABLE " + victim + "; END; END"))
                        .isInstanceOf(BlockedStatementException.class)
                        .hasMessageContaining("[unanalyzable]");
                assertThat(log.onlyAudit().get("decision").asText()).isEqualTo("blocked");
                assertThatThrownBy(() -> st.execute("CALL " + pk + ".b()"))
                        .isInstanceOf(SQLException.class)
                        .isNotInstanceOf(BlockedStatementException.class);
                // an anonymous block runs at once: its FOR … LOOP and EXCEPTION handler lead to statements too
                assertThatThrownBy(() -> st.execute("DECLARE x INT; BEGIN FOR i IN 1..1 LOOP EXECUTE IMMEDIATE"
                                + " 'TRUNCATE TABLE " + victim + "'; END LOOP; END"))
                        .isInstanceOf(BlockedStatementException.class)
                        .hasMessageContaining("[unanalyzable]");
                assertThatThrownBy(() -> st.execute("DECLARE x INT; BEGIN SELECT 1 INTO x FROM " + victim + "_none;"
                                + " EXCEPTION WHEN OTHERS THEN EXECUTE IMMEDIATE 'TRUNCATE TABLE " + victim + "'; END"))
                        .isInstanceOf(BlockedStatementException.class)
                        .hasMessageContaining("[unanalyzable]");
                // … and a DECLARE with nothing declared (an outside tester's dropped tables, unrecorded)
                assertThatThrownBy(() -> st.execute("DECLARE BEGIN TRUNCATE TABLE " + victim + "; END"))
                        .isInstanceOf(BlockedStatementException.class)
                        .hasMessageContaining("[truncate-table]");
                assertThatThrownBy(() -> st.execute(
                                "declare /* none */ begin execute immediate 'truncate table " + victim + "'; end"))
                        .isInstanceOf(BlockedStatementException.class)
                        .hasMessageContaining("[unanalyzable]");
                assertThat(count(admin, "SELECT count(*) FROM " + victim)).isEqualTo(1);
            } finally {
                exec(
                        admin,
                        "SET sql_mode = ORACLE",
                        "DROP PACKAGE IF EXISTS " + pk,
                        "SET sql_mode = DEFAULT",
                        "DROP TABLE IF EXISTS " + victim);
            }
        }
    }

    /**
     * A prepared statement runs later, under whatever sql_mode the session has then: an outside tester prepared
     * {@code SELECT 'a\'; DROP TABLE t; -- '} (one literal with backslash escapes), set NO_BACKSLASH_ESCAPES, and its
     * execution dropped t, unrecorded. It is read every way the session could read it.
     */
    @Test
    void mariadbPreparedTextIsReadEveryWayTheSessionMayReadIt() throws SQLException {
        try (Connection admin = TestDatabases.mariadb()) {
            String victim = "dy_" + Long.toHexString(System.nanoTime());
            exec(admin, "CREATE TABLE " + victim + " (id int)", "INSERT INTO " + victim + " VALUES (1)");
            String url = MARIADB_URL + (MARIADB_URL.contains("?") ? "&" : "?") + "allowMultiQueries=true";
            try (Connection g = TestDatabases.guarded(url)) {
                assertThatThrownBy(() -> g.prepareStatement("SELECT 'a\\'; DROP TABLE " + victim + "; -- '"))
                        .isInstanceOf(BlockedStatementException.class);
                g.prepareStatement("SELECT 'a\\'' AS quoted").close(); // no second statement either way
            } finally {
                assertThat(count(admin, "SELECT count(*) FROM " + victim)).isEqualTo(1);
                exec(admin, "DROP TABLE IF EXISTS " + victim);
            }
        }
    }

    /**
     * dblink installed by another session after the guarded connection opened (a pooled connection): a string that calls
     * it asks the database again, and is judged (an outside tester's dblink_exec('…', 'DROP TABLE d1') ran unrecorded).
     * A database of its own: the guard remembers which databases have dblink.
     */
    @Test
    void postgresDblinkInstalledAfterTheConnectionOpenedIsFound() throws SQLException {
        String db = "ddlg_remote_" + Long.toHexString(System.nanoTime());
        String url = PG_URL.replaceFirst("(//[^/]+/)[^?]*", "$1" + db);
        try (Connection admin = TestDatabases.postgres()) {
            exec(admin, "CREATE DATABASE " + db);
            try {
                try (Connection g = TestDatabases.guarded(url);
                        Connection other = DriverManager.getConnection(url)) {
                    exec(other, "CREATE TABLE victim (id int)", "CREATE EXTENSION dblink");
                    assertThatThrownBy(() -> exec(
                                    g,
                                    "SELECT dblink_exec('dbname=" + db + " host=127.0.0.1 user=postgres',"
                                            + " 'DROP TABLE victim')"))
                            .isInstanceOf(BlockedStatementException.class)
                            .hasMessageContaining("[unanalyzable]");
                    assertThat(count(other, "SELECT count(*) FROM pg_tables WHERE tablename = 'victim'"))
                            .isEqualTo(1);
                }
            } finally {
                exec(admin, "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        }
    }

    /**
     * Writes a catalog's row through an updatable result set: blocked, one record; then a row of the application's
     * table {@code victim (id, n)}: written as without the guard.
     */
    private static void updateRowIsJudged(
            Statement st,
            LogCapture log,
            Connection admin,
            String catalogQuery,
            String column,
            String value,
            String victim)
            throws SQLException {
        try (ResultSet rs = st.executeQuery(catalogQuery)) {
            assertThat(rs.next()).isTrue();
            rs.updateString(column, value);
            assertThatThrownBy(rs::updateRow)
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("[unanalyzable]");
        }
        assertThat(log.onlyAudit().get("sql").asText()).contains("ResultSet.updateRow()");
        try (ResultSet rs = st.executeQuery("SELECT id, n FROM " + victim)) {
            assertThat(rs.next()).isTrue();
            rs.updateInt("n", 2);
            rs.updateRow();
        }
        assertThat(count(admin, "SELECT n FROM " + victim)).isEqualTo(2);
    }

    /**
     * pgjdbc reports no schema for a result set's columns (getSchemaName is ""): an outside tester's updateRow() over
     * pg_class renamed a table, unrecorded. Judged as the catalog write it is; a table of the application is written as
     * without the guard.
     */
    @Test
    void postgresUpdatableResultSetOverPgClassIsJudged() throws SQLException {
        try (Connection admin = TestDatabases.postgres()) {
            String victim = "dy_" + Long.toHexString(System.nanoTime());
            exec(
                    admin,
                    "CREATE TABLE " + victim + " (id int PRIMARY KEY, n int)",
                    "INSERT INTO " + victim + " VALUES (1, 1)");
            try (LogCapture log = LogCapture.start();
                    Connection g = TestDatabases.guarded(PG_URL);
                    Statement st = g.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_UPDATABLE)) {
                updateRowIsJudged(
                        st,
                        log,
                        admin,
                        "SELECT oid, relname FROM pg_class WHERE relname = '" + victim + "'",
                        "relname",
                        victim + "_renamed",
                        victim);
            } finally {
                exec(admin, "DROP TABLE IF EXISTS " + victim);
            }
        }
    }

    /**
     * An updatable result set writes its table with SQL the driver builds: over mysql.proc, an outside tester rewrote a
     * routine's body through updateRow, and its next CALL dropped a table, unrecorded. Judged as the write it is; a
     * row of an application's table is written as without the guard.
     */
    @Test
    void mariadbUpdatableResultSetOverMysqlProcIsJudged() throws SQLException {
        try (Connection admin = TestDatabases.mariadb()) {
            String victim = "dy_" + Long.toHexString(System.nanoTime());
            String db = admin.getCatalog();
            exec(
                    admin,
                    "CREATE TABLE " + victim + " (id int PRIMARY KEY, n int)",
                    "INSERT INTO " + victim + " VALUES (1, 1)",
                    "CREATE PROCEDURE " + victim + "_p() SELECT 1");
            try (LogCapture log = LogCapture.start();
                    Connection g = TestDatabases.guarded(MARIADB_URL);
                    Statement st = g.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_UPDATABLE)) {
                updateRowIsJudged(
                        st,
                        log,
                        admin,
                        "SELECT db, name, type, body FROM mysql.proc WHERE db = '" + db + "' AND name = '" + victim
                                + "_p'",
                        "body",
                        "DROP TABLE " + victim,
                        victim);
                assertThat(count(
                                admin,
                                "SELECT count(*) FROM mysql.proc WHERE db = '" + db + "' AND name = '" + victim
                                        + "_p' AND body = 'SELECT 1'"))
                        .isEqualTo(1);
            } finally {
                exec(admin, "DROP PROCEDURE IF EXISTS " + victim + "_p", "DROP TABLE IF EXISTS " + victim);
            }
        }
    }

    /**
     * sys's procedures called unqualified, with sys as the connection's database (setCatalog, USE): an outside tester
     * dropped a table so. And a batch's EXECUTE IMMEDIATE may set sql_mode: the NOT NULL change after it is judged with
     * it unknown, so NULL does not silently become 0.
     */
    @Test
    void mariadbSystemProcedureUnqualifiedAndASqlModeSetByExecuteAreBlocked() throws SQLException {
        try (Connection admin = TestDatabases.mariadb()) {
            String victim = "dy_" + Long.toHexString(System.nanoTime());
            exec(admin, "CREATE TABLE " + victim + " (id int, n int)", "INSERT INTO " + victim + " VALUES (1, NULL)");
            String db = admin.getCatalog();
            try (LogCapture log = LogCapture.start();
                    Connection g = TestDatabases.guarded(MARIADB_URL);
                    Statement st = g.createStatement()) {
                g.setCatalog("sys");
                assertThatThrownBy(
                                () -> st.execute("CALL execute_prepared_stmt('DROP TABLE " + db + "." + victim + "')"))
                        .isInstanceOf(BlockedStatementException.class)
                        .hasMessageContaining("[unanalyzable]");
                g.setCatalog(db);
                // mysql as the session's database: its tables are then unqualified names (an outside tester's UPDATE
                // proc rewrote a routine's body, and UPDATE global_priv widened privileges, both unrecorded)
                log.clear();
                assertThatThrownBy(() -> g.setCatalog("mysql"))
                        .isInstanceOf(BlockedStatementException.class)
                        .hasMessageContaining("USE mysql");
                assertThat(g.getCatalog()).isEqualTo(db);
                assertThat(log.onlyAudit().get("decision").asText()).isEqualTo("blocked");
                assertThatThrownBy(() -> st.execute("USE mysql"))
                        .isInstanceOf(BlockedStatementException.class)
                        .hasMessageContaining("[unanalyzable]");
                assertThat(g.getCatalog()).isEqualTo(db);
                // … and as the URL's database: the connection is not handed out (a second round's)
                String systemUrl = MARIADB_URL.replaceFirst("(//[^/]+/)[^?]*", "$1mysql");
                assertThat(systemUrl).contains("/mysql");
                assertThatThrownBy(() -> TestDatabases.guarded(systemUrl).close())
                        .isInstanceOf(BlockedStatementException.class)
                        .hasMessageContaining("USE mysql");
                st.addBatch("EXECUTE IMMEDIATE 'SET sql_mode = '''''");
                assertThatThrownBy(() -> st.addBatch("ALTER TABLE " + victim + " MODIFY n INT NOT NULL"))
                        .isInstanceOf(BlockedStatementException.class)
                        .hasMessageContaining("silent-conversion");
            }
            try {
                assertThat(count(admin, "SELECT count(*) FROM " + victim + " WHERE n IS NULL"))
                        .isEqualTo(1);
            } finally {
                exec(admin, "DROP TABLE IF EXISTS " + victim);
            }
        }
    }

    /**
     * A ? inside a versioned comment the server skips: the connector (client-side prepares, its default) takes it for a
     * parameter and puts the value there as text, and the value's own end of comment lets the server read the rest as
     * code; so does one after slash-star-slash, a whole comment to the connector and an opening one to the server. Raw, the outside
     * testers' statements drop a table; through the guard they are refused at prepare.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(
            delimiter = '|',
            value = {
                "/*!999999 /* x */ ? */ | */ DROP TABLE {raw} /*",
                "ALTER TABLE {raw} COMMENT 'a' /*/ ? */ | */, RENAME TO {raw}_gone /*"
            })
    void mariadbParameterTheServerReadsAsCommentIsBlocked(String written, String value) throws SQLException {
        try (Connection admin = TestDatabases.mariadb()) {
            String victim = "dy_" + Long.toHexString(System.nanoTime());
            String template = written.replace("{raw}", victim + "_raw");
            exec(admin, "CREATE TABLE " + victim + " (id int)", "CREATE TABLE " + victim + "_raw (id int)");
            try {
                try (java.sql.PreparedStatement raw = admin.prepareStatement(template)) {
                    raw.setString(1, value.replace("{raw}", victim + "_raw"));
                    raw.execute();
                }
                assertThat(count(
                                admin,
                                "SELECT count(*) FROM information_schema.tables WHERE table_schema = database()"
                                        + " AND table_name = '" + victim + "_raw'"))
                        .as("raw, the value ran as code")
                        .isZero();
                try (LogCapture log = LogCapture.start();
                        Connection g = TestDatabases.guarded(MARIADB_URL)) {
                    assertThatThrownBy(() -> g.prepareStatement(template))
                            .isInstanceOf(BlockedStatementException.class)
                            .hasMessageContaining("[unanalyzable]")
                            .hasMessageContaining("the connector and the server read differently");
                    assertThat(log.onlyAudit().get("decision").asText()).isEqualTo("blocked");
                }
                assertThat(count(
                                admin,
                                "SELECT count(*) FROM information_schema.tables WHERE table_schema = database()"
                                        + " AND table_name = '" + victim + "'"))
                        .isEqualTo(1);
            } finally {
                exec(
                        admin,
                        "DROP TABLE IF EXISTS " + victim,
                        "DROP TABLE IF EXISTS " + victim + "_raw",
                        "DROP TABLE IF EXISTS " + victim + "_raw_gone");
            }
        }
    }

    /** PREPARE from a user variable: the guard cannot know the variable's text, so it blocks; the later EXECUTE finds nothing. */
    @Test
    void mariadbPrepareFromAVariableIsBlocked() throws SQLException {
        try (Connection admin = TestDatabases.mariadb()) {
            String victim = "dy_" + Long.toHexString(System.nanoTime());
            exec(admin, "CREATE TABLE " + victim + " (id int)", "INSERT INTO " + victim + " VALUES (1)");
            try (LogCapture log = LogCapture.start();
                    Connection g = TestDatabases.guarded(MARIADB_URL);
                    Statement st = g.createStatement()) {
                st.execute("SET @v = 'DROP TABLE " + victim + "'");
                assertThatThrownBy(() -> st.execute("PREPARE s FROM @v"))
                        .isInstanceOf(BlockedStatementException.class)
                        .hasMessageContaining("[unanalyzable]")
                        .hasMessageContaining("variable");
                assertThatThrownBy(() -> st.execute("EXECUTE s"))
                        .isInstanceOf(SQLException.class)
                        .isNotInstanceOf(BlockedStatementException.class);
                JsonNode r = log.onlyAudit();
                assertThat(r.get("decision").asText()).isEqualTo("blocked");
                assertThat(count(admin, "SELECT count(*) FROM " + victim)).isEqualTo(1);
            } finally {
                exec(admin, "DROP TABLE IF EXISTS " + victim);
            }
        }
    }
}
