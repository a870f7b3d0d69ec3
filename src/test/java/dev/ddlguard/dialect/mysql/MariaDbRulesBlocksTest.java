package dev.ddlguard.dialect.mysql;

import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.ADD_AUTO_INCREMENT_COLUMN;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.ADD_CHECK_CONSTRAINT;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.ADD_COLUMN_LAST;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.ADD_COLUMN_ROW_DEFAULT;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.ADD_FOREIGN_KEY;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.ADD_FULLTEXT_INDEX;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.ADD_STORED_GENERATED_COLUMN;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.CHANGE_COLUMN_TYPE;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.CONVERT_CHARACTER_SET;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.DROP_PRIMARY_KEY;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.ENUM_SET_INSERT_VALUES_MIDDLE;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.EXTEND_VARCHAR_LONGER_LENGTH_PREFIX;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.REBUILD_FORCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.BlockedStatementException;
import dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Flavour;
import dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Support;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * no-online-ddl-path on a real MariaDB, proven both ways: the guard blocks the statement (XDG01,
 * nothing changed), and on a scratch copy of the table the server itself refuses the statement with
 * every online clause (INSTANT, NOCOPY, INPLACE with LOCK=NONE, and LOCK=NONE alone: 1845/1846),
 * while the blocking copy ({@code ALGORITHM=COPY, LOCK=SHARED}) works and copies every row. So the
 * guard blocks exactly what only a write-blocking copy can do. Also: a rewrite the server refuses
 * reaches the caller as XDG01 with the explanation, not as a raw 1846.
 */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class MariaDbRulesBlocksTest extends MariaDbRulesTestBase {

    static final String FIXTURE = "(id INT PRIMARY KEY, a INT, b INT, v VARCHAR(40), w VARCHAR(60), e ENUM('x','y'),"
            + " l VARCHAR(20) CHARACTER SET latin1, INDEX i_b (b)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
    static final String ROWS =
            "INSERT INTO {t} VALUES (1, 10, 100, 'v1', 'w1', 'x', 'l1'), (2, 20, 200, 'v2', 'w2', 'y', 'l2'),"
                    + " (3, 30, 300, 'v3', 'w3', 'x', 'l3')";
    static final String FULLTEXT = "ALTER TABLE {t} ADD FULLTEXT INDEX ft_v (v)";

    /** Every clause with which the server would do the work while DML continues; MariaDB reads each as "this or better". */
    static final List<String> ONLINE_CLAUSES = List.of(
            "ALGORITHM=INSTANT, LOCK=NONE", "ALGORITHM=NOCOPY, LOCK=NONE", "ALGORITHM=INPLACE, LOCK=NONE", "LOCK=NONE");

    /**
     * One statement with no online path: the operation class the matrix knows it by, whether the
     * table has a FULLTEXT index first, and whether it is a CREATE INDEX (clause without commas).
     */
    record Blocked(String name, String sql, OnlineDdlOperation op, boolean fulltextTable) {
        @Override
        public String toString() {
            return name;
        }

        String with(String table, String parent, String clause) {
            String s = sql.replace("{t}", table).replace("{parent}", parent);
            return s.startsWith("CREATE") ? s + " " + clause.replace(",", "") : s + ", " + clause;
        }
    }

    static Stream<Blocked> noOnlinePath() {
        return Stream.of(
                new Blocked(
                        "CHANGE COLUMN type int to bigint",
                        "ALTER TABLE {t} CHANGE COLUMN a a BIGINT",
                        CHANGE_COLUMN_TYPE,
                        false),
                new Blocked("MODIFY type int to bigint", "ALTER TABLE {t} MODIFY a BIGINT", CHANGE_COLUMN_TYPE, false),
                // A position clause moves the column too; it was read as a move alone and sent INSTANT.
                new Blocked(
                        "CHANGE COLUMN type change written with AFTER",
                        "ALTER TABLE {t} CHANGE COLUMN a a2 BIGINT AFTER id",
                        CHANGE_COLUMN_TYPE,
                        false),
                new Blocked(
                        "ADD COLUMN with a DEFAULT computed for each row",
                        "ALTER TABLE {t} ADD COLUMN u CHAR(36) NOT NULL DEFAULT (UUID())",
                        ADD_COLUMN_ROW_DEFAULT,
                        false),
                new Blocked(
                        "ADD COLUMN with an inline foreign key",
                        "ALTER TABLE {t} ADD COLUMN f INT REFERENCES {parent} (id)",
                        ADD_FOREIGN_KEY,
                        false),
                // CHANGE with a new name reads as a rename; its definition still changes the type.
                new Blocked(
                        "CHANGE COLUMN renames and changes the type",
                        "ALTER TABLE {t} CHANGE COLUMN a a2 BIGINT",
                        CHANGE_COLUMN_TYPE,
                        false),
                // A MODIFY without CHARACTER SET gives the column the table's default one (latin1 to utf8mb4 here).
                new Blocked(
                        "MODIFY converts a latin1 column to the table's utf8mb4",
                        "ALTER TABLE {t} MODIFY l VARCHAR(30)",
                        CHANGE_COLUMN_TYPE,
                        false),
                new Blocked(
                        "VARCHAR 240 to 256 bytes (utf8mb4): length prefix 1 to 2 bytes",
                        "ALTER TABLE {t} MODIFY w VARCHAR(64)",
                        EXTEND_VARCHAR_LONGER_LENGTH_PREFIX,
                        false),
                new Blocked(
                        "VARCHAR 160 to 400 bytes (utf8mb4)",
                        "ALTER TABLE {t} MODIFY v VARCHAR(100)",
                        EXTEND_VARCHAR_LONGER_LENGTH_PREFIX,
                        false),
                new Blocked(
                        "ENUM value inserted mid-list",
                        "ALTER TABLE {t} MODIFY e ENUM('x','w','y')",
                        ENUM_SET_INSERT_VALUES_MIDDLE,
                        false),
                new Blocked(
                        "ADD STORED generated column",
                        "ALTER TABLE {t} ADD COLUMN g INT AS (a * 2) STORED",
                        ADD_STORED_GENERATED_COLUMN,
                        false),
                new Blocked(
                        "ADD PERSISTENT generated column",
                        "ALTER TABLE {t} ADD COLUMN g INT AS (a * 2) PERSISTENT",
                        ADD_STORED_GENERATED_COLUMN,
                        false),
                new Blocked(
                        "ADD AUTO_INCREMENT column",
                        "ALTER TABLE {t} ADD COLUMN n INT NOT NULL AUTO_INCREMENT UNIQUE",
                        ADD_AUTO_INCREMENT_COLUMN,
                        false),
                new Blocked(
                        "ADD FULLTEXT INDEX", "ALTER TABLE {t} ADD FULLTEXT INDEX ft_w (w)", ADD_FULLTEXT_INDEX, false),
                new Blocked(
                        "CREATE FULLTEXT INDEX", "CREATE FULLTEXT INDEX ft_w ON {t} (w)", ADD_FULLTEXT_INDEX, false),
                new Blocked("DROP PRIMARY KEY alone", "ALTER TABLE {t} DROP PRIMARY KEY", DROP_PRIMARY_KEY, false),
                new Blocked(
                        "CONVERT TO CHARACTER SET",
                        "ALTER TABLE {t} CONVERT TO CHARACTER SET latin1",
                        CONVERT_CHARACTER_SET,
                        false),
                new Blocked(
                        "ADD CHECK", "ALTER TABLE {t} ADD CONSTRAINT ck_a CHECK (a > 0)", ADD_CHECK_CONSTRAINT, false),
                new Blocked(
                        "ADD FOREIGN KEY with foreign_key_checks on",
                        "ALTER TABLE {t} ADD CONSTRAINT {t}_fk FOREIGN KEY (b) REFERENCES {parent} (id)",
                        ADD_FOREIGN_KEY,
                        false),
                // The matrix accounts for a FULLTEXT index on the table (its hidden FTS_DOC_ID): what is instant or an
                // online rebuild elsewhere needs LOCK=SHARED here, so these are blocked rather than rewritten.
                new Blocked(
                        "ADD COLUMN on a table with a FULLTEXT index",
                        "ALTER TABLE {t} ADD COLUMN c INT",
                        ADD_COLUMN_LAST,
                        true),
                new Blocked(
                        "FORCE (rebuild) of a table with a FULLTEXT index",
                        "ALTER TABLE {t} FORCE",
                        REBUILD_FORCE,
                        true));
    }

    private String fixture(String suffix, boolean fulltext) throws SQLException {
        return fulltext ? table(suffix, FIXTURE, ROWS, FULLTEXT) : table(suffix, FIXTURE, ROWS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("noOnlinePath")
    void blockedAndTheServerRefusesEveryOnlineClause(Blocked c) throws SQLException {
        String parent =
                table("parent", "(id INT PRIMARY KEY) ENGINE=InnoDB", "INSERT INTO {t} VALUES (100), (200), (300)");
        String t = fixture("t", c.fulltextTable());
        String before = showCreate(t);

        // What the matrix says: the strongest the server can do for it keeps no concurrent DML.
        Support support = OnlineDdlMatrix.support(Flavour.MARIADB, serverVersion(), c.op(), c.fulltextTable());
        assertThat(OnlineDdlMatrix.clause(Flavour.MARIADB, support))
                .as("matrix: %s", support)
                .isNull();

        String message;
        try (Connection g = guarded()) {
            message = assertBlocked(g, c.sql().replace("{t}", t).replace("{parent}", parent), "no-online-ddl-path");
        }
        assertThat(message)
                .contains(
                        "has no online path",
                        "expand-contract",
                        "gh-ost",
                        "pt-online-schema-change",
                        MySqlRules.words(c.op()),
                        "MariaDB " + serverVersion() / 10000 + "." + serverVersion() / 100 % 100
                                + " can do it only as ALGORITHM=")
                .as("no internal notes")
                .doesNotContain("Measured", "(1845)", "(1846)", "COPY only");
        java.util.regex.Matcher restated = java.util.regex.Pattern.compile(
                        "(?:MODIFY|CHANGE COLUMN a(?= a )) (\\w+) (.+)$")
                .matcher(c.sql());
        if (restated.find()) {
            // plan handles MODIFY/CHANGE: the message gives the safe SQL and names the plan command as it is run.
            String sql = c.sql().replace("{t}", t).replace("{parent}", parent);
            assertThat(message)
                    .contains(
                            "Safe alternative:",
                            "ADD COLUMN " + restated.group(1) + "_new " + restated.group(2)
                                    + ", ALGORITHM=INSTANT, LOCK=NONE;",
                            "java -jar " + dev.ddlguard.rules.PlanHint.CLI_JAR + " plan --target mariadb \"" + sql
                                    + "\"");
            assertThat(dev.ddlguard.rules.PlanHint.CLI_JAR)
                    .matches("target/ddlguard-\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?-cli\\.jar");
        }
        JsonNode r = onlyAudit();
        assertBlockedRecord(r, "no-online-ddl-path");
        assertThat(blocks(r.get("lock"))).as("lock as written").contains("writes");
        assertThat(showCreate(t)).as("nothing changed").isEqualTo(before);

        // The proof, on a scratch table: MariaDB refuses every online clause for it ...
        String scratch = fixture("scratch", c.fulltextTable());
        String scratchBefore = showCreate(scratch);
        for (String clause : ONLINE_CLAUSES) {
            String sql = c.with(scratch, parent, clause);
            int code = errorCode(sql);
            assertThat(code)
                    .as("GUARD/MATRIX BUG? the server answered %s to: %s", code == 0 ? "OK" : code, sql)
                    .isIn(REFUSED);
        }
        assertThat(showCreate(scratch)).isEqualTo(scratchBefore);
        // ... and does it only as a blocking copy of every row.
        assertThat(update(admin, c.with(scratch, parent, "ALGORITHM=COPY, LOCK=SHARED")))
                .as("rows copied")
                .isEqualTo(3);
    }

    /**
     * The same FOREIGN KEY with the session's foreign_key_checks off is in place and online, and the
     * guard asks for the strongest the server accepts: INSTANT where an index already leads with the
     * key's column (b has i_b), NOCOPY where the key needs one built (a). The guard knows the session's
     * value because it asks the server before judging (the SET went through the guard, unseen).
     */
    @Test
    void foreignKeyWithChecksOffIsRewrittenToTheStrongestClause() throws SQLException {
        String parent =
                table("parent", "(id INT PRIMARY KEY) ENGINE=InnoDB", "INSERT INTO {t} VALUES (100), (200), (300)");
        String t = fixture("t", false);
        String onB = "ALTER TABLE " + t + " ADD CONSTRAINT " + t + "_fb FOREIGN KEY (b) REFERENCES " + parent + " (id)";
        String onA = "ALTER TABLE " + t + " ADD CONSTRAINT " + t + "_fa FOREIGN KEY (a) REFERENCES " + parent + " (id)";
        try (Connection g = guarded()) {
            exec(g, "SET SESSION foreign_key_checks = 0");
            exec(g, onB);
            exec(g, onA);
            exec(g, "SET SESSION foreign_key_checks = 1");
        }
        List<JsonNode> records = log.audit();
        assertThat(records).hasSize(2);
        assertThat(records.get(0).get("executed_sql").asText()).isEqualTo(onB + ", ALGORITHM=INSTANT, LOCK=NONE");
        assertThat(records.get(1).get("executed_sql").asText()).isEqualTo(onA + ", ALGORITHM=NOCOPY, LOCK=NONE");
        for (JsonNode r : records) {
            assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("rewritten");
            assertThat(blocks(r.get("executed_lock"))).isEmpty();
            assertThat(r.get("outcome").asText()).isEqualTo("ok");
            assertThat(r.get("attempts").asInt())
                    .as("accepted at the first try")
                    .isEqualTo(1);
        }
        assertThat(constraints(t)).isEqualTo(t + "_fa FOREIGN KEY, " + t + "_fb FOREIGN KEY, PRIMARY PRIMARY KEY");
        // The strongest: INSTANT is refused for the key that needs an index built.
        String scratch = fixture("scratch", false);
        exec(admin, "SET SESSION foreign_key_checks = 0");
        try {
            assertThat(errorCode("ALTER TABLE " + scratch + " ADD CONSTRAINT " + scratch
                            + "_fa FOREIGN KEY (a) REFERENCES " + parent + " (id), ALGORITHM=INSTANT, LOCK=NONE"))
                    .isIn(REFUSED);
        } finally {
            exec(admin, "SET SESSION foreign_key_checks = 1");
        }
    }

    /**
     * When the server refuses the clause the guard chose, the guard tries the next weaker online one
     * (here INSTANT, refused with 1846 "ADD INDEX", then NOCOPY, accepted): the key (b, a) starts with
     * b, which i_b leads, but needs an index on both columns. The record says what the server answered.
     */
    @Test
    void aRefusedClauseFallsBackToTheNextWeakerOnlineOne() throws SQLException {
        String parent = table(
                "parent2", "(x INT, y INT, PRIMARY KEY (x, y)) ENGINE=InnoDB", "INSERT INTO {t} VALUES (100, 10)");
        String t = fixture("t", false);
        String sql = "ALTER TABLE " + t + " ADD CONSTRAINT " + t + "_fba FOREIGN KEY (b, a) REFERENCES " + parent
                + " (x, y)";
        try (Connection g = guarded()) {
            exec(g, "SET SESSION foreign_key_checks = 0");
            exec(g, sql);
            exec(g, "SET SESSION foreign_key_checks = 1");
        }
        JsonNode r = onlyAudit();
        assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("rewritten");
        assertThat(r.get("outcome").asText()).isEqualTo("ok");
        assertThat(r.get("executed_sql").asText()).isEqualTo(sql + ", ALGORITHM=NOCOPY, LOCK=NONE");
        assertThat(r.get("rewritten_sql").asText()).isEqualTo(sql + ", ALGORITHM=NOCOPY, LOCK=NONE");
        assertThat(r.get("attempts").asInt()).isEqualTo(2);
        assertThat(r.get("note").asText())
                .contains(
                        "the server refused ALGORITHM=INSTANT, LOCK=NONE: ERROR 1846",
                        "Reason: ADD INDEX",
                        "sent the next weaker online form instead");
        assertThat(blocks(r.get("executed_lock"))).isEmpty();
        assertThat(constraints(t)).isEqualTo(t + "_fba FOREIGN KEY, PRIMARY PRIMARY KEY");
    }

    /**
     * A prepared statement's SQL is fixed at prepare time: after a refusal the guard cannot send it with
     * the weaker clause, so it says so, with the server's answer and the clause to write, and records one
     * attempt (no claim of a weaker form sent).
     */
    @Test
    void aPreparedStatementIsNotResentButTheCallerLearnsTheWeakerClause() throws SQLException {
        String parent = table(
                "parent3", "(x INT, y INT, PRIMARY KEY (x, y)) ENGINE=InnoDB", "INSERT INTO {t} VALUES (100, 10)");
        String t = fixture("t", false);
        String before = showCreate(t);
        String sql = "ALTER TABLE " + t + " ADD CONSTRAINT " + t + "_fba FOREIGN KEY (b, a) REFERENCES " + parent
                + " (x, y)";
        try (Connection g = guarded()) {
            exec(g, "SET SESSION foreign_key_checks = 0");
            try (java.sql.PreparedStatement ps = g.prepareStatement(sql)) {
                assertThatThrownBy(ps::execute)
                        .isInstanceOf(BlockedStatementException.class)
                        .hasMessageContaining("ALGORITHM=INSTANT, LOCK=NONE: ERROR 1846")
                        .hasMessageContaining("Reason: ADD INDEX")
                        .hasMessageContaining("write ALGORITHM=NOCOPY, LOCK=NONE in the statement yourself");
            }
            exec(g, "SET SESSION foreign_key_checks = 1");
        }
        JsonNode r = onlyAudit();
        assertThat(r.get("outcome").asText()).isEqualTo("error");
        assertThat(r.get("attempts").asInt()).isEqualTo(1);
        assertThat(r.get("executed_sql").asText()).isEqualTo(sql + ", ALGORITHM=INSTANT, LOCK=NONE");
        assertThat(r.get("note").asText())
                .contains("the server refused ALGORITHM=INSTANT, LOCK=NONE: ERROR 1846")
                .doesNotContain("sent the next weaker");
        assertThat(showCreate(t)).as("nothing changed").isEqualTo(before);
    }

    /**
     * When the server refuses every online clause, the caller gets XDG01 saying exactly what the server
     * answered, not a raw 1846 and not a claim the server did not make. A table with a SPATIAL index
     * takes no LOCK=NONE for a rebuild (1846 "Do not support online operation on table with GIS
     * index"); INPLACE, LOCK=NONE is the weakest online clause, so nothing weaker is tried, and the
     * blocking form (LOCK=SHARED) is what the bare statement would silently do (shown on the scratch table).
     */
    @Test
    void whenTheServerRefusesEveryOnlineClauseTheCallerLearnsWhatItAnswered() throws SQLException {
        String definition = "(id INT PRIMARY KEY, a INT, g POINT NOT NULL, SPATIAL INDEX s_g (g)) ENGINE=InnoDB";
        String rows = "INSERT INTO {t} VALUES (1, 1, POINT(1, 1)), (2, 2, POINT(2, 2)), (3, 3, POINT(3, 3))";
        String t = table("gis", definition, rows);
        String before = showCreate(t);

        for (String sql : List.of(
                "ALTER TABLE " + t + " MODIFY a INT NOT NULL",
                "ALTER TABLE " + t + " MODIFY a INT NOT NULL -- every row has one")) {
            try (Connection g = guarded()) {
                assertThatThrownBy(() -> exec(g, sql))
                        .isInstanceOf(BlockedStatementException.class)
                        .satisfies(e -> {
                            BlockedStatementException b = (BlockedStatementException) e;
                            assertThat(b.getSQLState()).isEqualTo("XDG01");
                            assertThat(b.ruleIds()).containsExactly("require-online-ddl");
                            assertThat(b.getMessage())
                                    .contains(
                                            "the server refused every online form of it",
                                            "ALGORITHM=INPLACE, LOCK=NONE: ERROR 1846",
                                            "Do not support online operation on table with GIS index",
                                            "Nothing was changed",
                                            "expand-contract",
                                            "gh-ost",
                                            "java -jar " + dev.ddlguard.rules.PlanHint.CLI_JAR
                                                    + " plan --target mariadb \"" + "ALTER TABLE " + t
                                                    + " MODIFY a INT NOT NULL",
                                            "ddlguard:allow require-online-ddl")
                                    .doesNotContain("would have needed a blocking table copy");
                        });
            }
            JsonNode r = onlyAudit();
            assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("rewritten");
            assertThat(r.get("executed_sql").asText())
                    .startsWith("ALTER TABLE " + t + " MODIFY a INT NOT NULL, ALGORITHM=INPLACE, LOCK=NONE");
            assertThat(r.get("outcome").asText()).isEqualTo("error");
            assertThat(r.get("error").asText()).contains("Do not support online operation on table with GIS index");
            assertThat(r.get("note").asText()).contains("the server refused ALGORITHM=INPLACE, LOCK=NONE: ERROR 1846");
            assertThat(r.get("attempts").asInt()).isEqualTo(1);
            assertThat(showCreate(t)).as("nothing changed").isEqualTo(before);
            log.clear();
        }

        // The bare statement is accepted and rebuilds the table under a shared lock; every online clause is refused.
        String scratch = table("scratch", definition, rows);
        for (String clause : ONLINE_CLAUSES) {
            assertThat(errorCode("ALTER TABLE " + scratch + " MODIFY a INT NOT NULL, " + clause))
                    .as(clause)
                    .isIn(REFUSED);
        }
        assertThat(errorCode("ALTER TABLE " + scratch + " MODIFY a INT NOT NULL, ALGORITHM=INPLACE, LOCK=SHARED"))
                .isZero();
    }
}
