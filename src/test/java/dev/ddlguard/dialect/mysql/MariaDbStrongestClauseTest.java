package dev.ddlguard.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.BlockedStatementException;
import dev.ddlguard.dialect.mysql.MariaDbOnlineDdlMatrixTest.Case;
import dev.ddlguard.dialect.mysql.MariaDbOnlineDdlMatrixTest.Fixture;
import dev.ddlguard.dialect.mysql.MySqlClauses.Placement;
import dev.ddlguard.dialect.mysql.MySqlClauses.StatementKind;
import dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Flavour;
import dev.ddlguard.support.LogCapture;
import dev.ddlguard.support.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 14, "none weaker than the strongest clause the server accepts", proven on the real MariaDB
 * for every statement form of {@link MariaDbOnlineDdlMatrixTest} that takes a clause (its rows, plus
 * the five cases and a foreign key under {@code foreign_key_checks=0}):
 *
 * <ol>
 *   <li>on the raw server, each online clause is tried, strongest first, on the row's scratch table
 *       (three rows): {@code ALGORITHM=INSTANT, LOCK=NONE}, {@code NOCOPY, LOCK=NONE},
 *       {@code INPLACE, LOCK=NONE}, and last {@code ALGORITHM=INSTANT} alone (a table rename takes
 *       no LOCK=NONE), counted only when it copied no row (MariaDB accepts INSTANT without LOCK=NONE
 *       on a re-partitioning and copies every row). The first the server accepts is the strongest;
 *   <li>on a fresh table, the statement as written goes through the guard (enforce mode, the row's
 *       session setting sent through the guard too): when the server accepts an online clause, the
 *       guard must send exactly that one, at the first attempt (no refusal round trip: the matrix
 *       guessed right), and the server must accept it; when it accepts none, the guard must block
 *       and leave the table as it was.
 * </ol>
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class MariaDbStrongestClauseTest {

    /** The online clauses, strongest first; the last one is the rename's (see the class comment). */
    static final List<String> CLAUSES = List.of(
            "ALGORITHM=INSTANT, LOCK=NONE",
            "ALGORITHM=NOCOPY, LOCK=NONE",
            "ALGORITHM=INPLACE, LOCK=NONE",
            "ALGORITHM=INSTANT");

    static final String ALLOW_UNRELATED = "/* ddlguard:allow drop-column scratch table of the test"
            + " ddlguard:allow rename-column scratch table of the test ddlguard:allow rename-table scratch table of the test"
            + " ddlguard:allow drop-constraint scratch table of the test */ ";

    private static Connection admin;
    private LogCapture log;
    private String t;

    /** Every row whose statement takes a clause on MariaDB (MariaDB's DROP INDEX … ON through its ALTER TABLE form). */
    static Stream<Case> cases() {
        return MariaDbOnlineDdlMatrixTest.cases()
                .filter(c -> c.kind() == StatementKind.DROP_INDEX
                        || MySqlClauses.placement(c.kind(), Flavour.MARIADB) != Placement.NONE);
    }

    @BeforeAll
    static void connect() throws SQLException {
        admin = TestDatabases.mariadb();
        assertThat(query("SELECT @@SESSION.sql_mode")).contains("STRICT_TRANS_TABLES");
    }

    @AfterAll
    static void disconnect() throws SQLException {
        if (admin != null) {
            admin.close();
        }
    }

    @BeforeEach
    void start() {
        t = "ddlguard_sc_" + Long.toHexString(System.nanoTime());
        log = LogCapture.start();
    }

    @AfterEach
    void stop() throws SQLException {
        log.close();
        dropAll();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theGuardSendsTheStrongestClauseTheServerAccepts(Case c) throws SQLException {
        // 1. The truth: the first online clause the raw server accepts.
        fresh(c.fixture());
        String strongest = null;
        List<String> refused = new ArrayList<>();
        for (String clause : CLAUSES) {
            String sql = withClause(c, clause);
            try {
                long copied = run(c.session(), sql);
                if (copied > 0) {
                    refused.add(clause + " (accepted, but copied " + copied + " rows)");
                    fresh(c.fixture());
                    continue;
                }
                strongest = clause;
                break;
            } catch (SQLException e) {
                assertThat(e.getErrorCode())
                        .as("%s: %s", sql, e.getMessage())
                        .isIn(
                                MySqlClauses.ER_ALTER_OPERATION_NOT_SUPPORTED,
                                MySqlClauses.ER_ALTER_OPERATION_NOT_SUPPORTED_REASON,
                                MySqlClauses.ER_PARSE_ERROR);
                refused.add(clause + " (" + e.getErrorCode() + ")");
            }
        }

        // 2. The guard, on a fresh table, with the statement as written.
        fresh(c.fixture());
        String before = showCreate();
        // Other rules judge drops and renames for what they do to deployed code; here only the clause is in question.
        String written = ALLOW_UNRELATED + c.sql().replace("{t}", t).replace("{clause} ", "");
        BlockedStatementException blocked = null;
        try (Connection g = TestDatabases.guarded(TestDatabases.MARIADB_URL)) {
            if (c.session() != null) {
                exec(g, "SET SESSION " + c.session());
            }
            exec(g, written);
        } catch (BlockedStatementException e) {
            blocked = e;
        }
        JsonNode r = log.onlyAudit();

        if (strongest == null) {
            assertThat(blocked != null)
                    .as(
                            "%s: the server accepts no online clause (%s), so the guard must block; record %s",
                            c.label(), refused, r)
                    .isTrue();
            assertThat(showCreate()).as("nothing changed").isEqualTo(before);
            System.out.println("| " + c.label() + " | none online (" + String.join(", ", refused) + ") | blocked |");
            return;
        }
        if (blocked != null) {
            fail("%s: the server accepts %s, but the guard blocked: %s", c.label(), strongest, blocked.getMessage());
        }
        String executed = r.get("executed_sql").asText();
        String rendered = c.kind() == StatementKind.CREATE_INDEX ? " " + strongest.replace(",", "") : ", " + strongest;
        assertThat(r.get("outcome").asText()).as("%s: %s", c.label(), r).isEqualTo("ok");
        assertThat(executed)
                .as("%s: the strongest the server accepts is %s (refused before it: %s)", c.label(), strongest, refused)
                .endsWith(rendered);
        assertThat(r.get("attempts").asInt())
                .as("%s: sent right the first time, no refusal: %s", c.label(), r)
                .isEqualTo(1);
        System.out.println("| " + c.label() + " | " + strongest + " | "
                + executed.replace(ALLOW_UNRELATED, "").replace(t, "t") + " |");
    }

    /** The row's statement with one clause, placed as MariaDB takes it (DROP INDEX … ON as ALTER TABLE … DROP INDEX). */
    private String withClause(Case c, String clause) {
        String sql = c.sql().replace("{t}", t);
        if (sql.contains("{clause}")) {
            return sql.replace("{clause}", MySqlClauses.render(c.kind(), Flavour.MARIADB, clause));
        }
        if (c.kind() == StatementKind.DROP_INDEX) {
            return MySqlClauses.dropIndex(Flavour.MARIADB, "i_b", t, clause);
        }
        return MySqlClauses.append(c.kind(), Flavour.MARIADB, sql, clause);
    }

    private static long run(String session, String sql) throws SQLException {
        if (session != null) {
            exec(admin, "SET SESSION " + session);
        }
        try (Statement st = admin.createStatement()) {
            st.execute(sql);
            return st.getUpdateCount();
        } finally {
            if (session != null) {
                exec(admin, "SET SESSION " + session.replaceFirst("=.*", "= DEFAULT"));
            }
        }
    }

    private void fresh(Fixture fixture) throws SQLException {
        dropAll();
        for (String s : fixture.statements) {
            exec(admin, s.replace("{t}", t));
        }
    }

    private void dropAll() throws SQLException {
        exec(admin, "SET SESSION foreign_key_checks = 0");
        try {
            exec(admin, "DROP TABLE IF EXISTS " + t + ", " + t + "_r, " + t + "_p");
        } finally {
            exec(admin, "SET SESSION foreign_key_checks = DEFAULT");
        }
    }

    private String showCreate() throws SQLException {
        try (Statement st = admin.createStatement();
                ResultSet rs = st.executeQuery("SHOW CREATE TABLE " + t)) {
            rs.next();
            return rs.getString(2);
        }
    }

    private static String query(String sql) throws SQLException {
        try (Statement st = admin.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
