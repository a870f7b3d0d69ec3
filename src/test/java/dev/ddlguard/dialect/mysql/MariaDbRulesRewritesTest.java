package dev.ddlguard.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * require-online-ddl on a real MariaDB: every form the guard rewrites is sent with the strongest
 * clause the operation has (INSTANT for metadata, NOCOPY for index work, INPLACE for an online
 * rebuild, always with LOCK=NONE), the server accepts it, reports no copied rows, and the table
 * ends as the statement as written intended, read back from information_schema.
 */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class MariaDbRulesRewritesTest extends MariaDbRulesTestBase {

    static final String FIXTURE = "(id INT PRIMARY KEY, a INT, b INT DEFAULT 0, v VARCHAR(40), s VARCHAR(20),"
            + " e ENUM('x','y'), INDEX i_b (b)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
    static final String ROWS = "INSERT INTO {t} VALUES (1, 10, 100, 'v1', 's1', 'x'), (2, 20, 200, 'v2', 's2', 'y'),"
            + " (3, 30, 300, 'v3', 's3', 'x')";
    static final String COLUMNS =
            "id int(11) not null, a int(11), b int(11) default 0, v varchar(40), s varchar(20)," + " e enum('x','y')";
    static final String INDEXES = "i_b (b), PRIMARY unique (id)";

    private static final String INSTANT = ", ALGORITHM=INSTANT, LOCK=NONE";
    private static final String NOCOPY = ", ALGORITHM=NOCOPY, LOCK=NONE";

    /** Reads one fact about the table back. */
    interface Readback {
        String read(MariaDbRulesTestBase test, String table) throws SQLException;
    }

    record Expect(String what, Readback readback, String expected) {}

    /**
     * One statement as written, what the guard must send instead ({@code {t}} is the table), what the
     * table must look like afterwards, and words the audit record's rule messages must contain.
     */
    record Case(String name, String sql, String executed, List<Expect> expect, List<String> mentions) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case rewrite(String name, String sql, String executed, Expect... expect) {
        return new Case(name, sql, executed, List.of(expect), List.of());
    }

    private static Case rewrite(String name, String sql, String executed, List<String> mentions, Expect... expect) {
        return new Case(name, sql, executed, List.of(expect), mentions);
    }

    private static Expect columnsAre(String expected) {
        return new Expect("information_schema.COLUMNS", MariaDbRulesTestBase::columns, expected);
    }

    private static Expect indexesAre(String expected) {
        return new Expect("information_schema.STATISTICS", MariaDbRulesTestBase::indexes, expected);
    }

    private static Expect commentIs(String expected) {
        return new Expect("information_schema.TABLES.TABLE_COMMENT", MariaDbRulesTestBase::tableComment, expected);
    }

    /** The values of an expression over the rows, by id: the data survived the change. */
    private static Expect data(String expression, String expected) {
        return new Expect(
                "rows: " + expression,
                (test, t) -> test.adminQuery("SELECT GROUP_CONCAT(" + expression + " ORDER BY id) FROM " + t),
                expected);
    }

    static Stream<Case> cases() {
        return Stream.of(
                rewrite(
                        "ADD INDEX",
                        "ALTER TABLE {t} ADD INDEX i_a (a)",
                        "ALTER TABLE {t} ADD INDEX i_a (a)" + NOCOPY,
                        indexesAre("i_a (a), i_b (b), PRIMARY unique (id)")),
                rewrite(
                        "ADD UNIQUE",
                        "ALTER TABLE {t} ADD UNIQUE u_a (a)",
                        "ALTER TABLE {t} ADD UNIQUE u_a (a)" + NOCOPY,
                        indexesAre("i_b (b), PRIMARY unique (id), u_a unique (a)")),
                rewrite(
                        "CREATE INDEX (no commas)",
                        "CREATE INDEX i_av ON {t} (a, v)",
                        "CREATE INDEX i_av ON {t} (a, v) ALGORITHM=NOCOPY LOCK=NONE",
                        indexesAre("i_av (a,v), i_b (b), PRIMARY unique (id)")),
                rewrite(
                        "CREATE UNIQUE INDEX (no commas)",
                        "CREATE UNIQUE INDEX u_v ON {t} (v)",
                        "CREATE UNIQUE INDEX u_v ON {t} (v) ALGORITHM=NOCOPY LOCK=NONE",
                        indexesAre("i_b (b), PRIMARY unique (id), u_v unique (v)")),
                rewrite(
                        "DROP INDEX … ON (becomes ALTER TABLE … DROP INDEX)",
                        "DROP INDEX i_b ON {t}",
                        "ALTER TABLE {t} DROP INDEX i_b" + NOCOPY,
                        indexesAre("PRIMARY unique (id)")),
                rewrite(
                        "ALTER TABLE … DROP INDEX",
                        "ALTER TABLE {t} DROP INDEX i_b",
                        "ALTER TABLE {t} DROP INDEX i_b" + NOCOPY,
                        indexesAre("PRIMARY unique (id)")),
                rewrite(
                        "RENAME INDEX",
                        "ALTER TABLE {t} RENAME INDEX i_b TO i_b_renamed",
                        "ALTER TABLE {t} RENAME INDEX i_b TO i_b_renamed" + INSTANT,
                        indexesAre("i_b_renamed (b), PRIMARY unique (id)")),
                rewrite(
                        "ADD COLUMN last",
                        "ALTER TABLE {t} ADD COLUMN c INT",
                        "ALTER TABLE {t} ADD COLUMN c INT" + INSTANT,
                        columnsAre(COLUMNS + ", c int(11)"),
                        data("IFNULL(c, 'null')", "null,null,null")),
                rewrite(
                        "ADD COLUMN FIRST",
                        "ALTER TABLE {t} ADD COLUMN c INT DEFAULT 7 FIRST",
                        "ALTER TABLE {t} ADD COLUMN c INT DEFAULT 7 FIRST" + INSTANT,
                        columnsAre("c int(11) default 7, " + COLUMNS),
                        data("c", "7,7,7")),
                rewrite(
                        "ADD COLUMN AFTER",
                        "ALTER TABLE {t} ADD COLUMN c VARCHAR(10) AFTER a",
                        "ALTER TABLE {t} ADD COLUMN c VARCHAR(10) AFTER a" + INSTANT,
                        columnsAre("id int(11) not null, a int(11), c varchar(10), b int(11) default 0, v varchar(40),"
                                + " s varchar(20), e enum('x','y')")),
                rewrite(
                        "DROP COLUMN with an allow comment",
                        "/* ddlguard:allow drop-column a is unused since release 42 */ ALTER TABLE {t} DROP COLUMN a",
                        "/* ddlguard:allow drop-column a is unused since release 42 */ ALTER TABLE {t} DROP COLUMN a"
                                + INSTANT,
                        List.of("allowed by comment: a is unused since release 42"),
                        columnsAre(
                                "id int(11) not null, b int(11) default 0, v varchar(40), s varchar(20), e enum('x','y')"),
                        data("b", "100,200,300")),
                rewrite(
                        "SET DEFAULT",
                        "ALTER TABLE {t} ALTER COLUMN a SET DEFAULT 5",
                        "ALTER TABLE {t} ALTER COLUMN a SET DEFAULT 5" + INSTANT,
                        columnsAre(COLUMNS.replace("a int(11),", "a int(11) default 5,")),
                        data("a", "10,20,30")),
                rewrite(
                        "DROP DEFAULT",
                        "ALTER TABLE {t} ALTER b DROP DEFAULT",
                        "ALTER TABLE {t} ALTER b DROP DEFAULT" + INSTANT,
                        columnsAre(COLUMNS.replace("b int(11) default 0", "b int(11)"))),
                rewrite(
                        "VARCHAR extended within its 1-byte length prefix (160 to 240 bytes in utf8mb4)",
                        "ALTER TABLE {t} MODIFY v VARCHAR(60)",
                        "ALTER TABLE {t} MODIFY v VARCHAR(60)" + INSTANT,
                        columnsAre(COLUMNS.replace("varchar(40)", "varchar(60)")),
                        data("v", "v1,v2,v3")),
                rewrite(
                        "VARCHAR of at most 127 bytes extended past 255 (80 to 400 bytes in utf8mb4)",
                        "ALTER TABLE {t} MODIFY s VARCHAR(100)",
                        "ALTER TABLE {t} MODIFY s VARCHAR(100)" + INSTANT,
                        columnsAre(COLUMNS.replace("varchar(20)", "varchar(100)")),
                        data("s", "s1,s2,s3")),
                rewrite(
                        "ENUM value appended",
                        "ALTER TABLE {t} MODIFY e ENUM('x','y','z')",
                        "ALTER TABLE {t} MODIFY e ENUM('x','y','z')" + INSTANT,
                        columnsAre(COLUMNS.replace("enum('x','y')", "enum('x','y','z')")),
                        data("e", "x,y,x")),
                rewrite(
                        "ADD VIRTUAL generated column",
                        "ALTER TABLE {t} ADD COLUMN g INT AS (a + 1) VIRTUAL",
                        "ALTER TABLE {t} ADD COLUMN g INT AS (a + 1) VIRTUAL" + INSTANT,
                        columnsAre(COLUMNS + ", g int(11) virtual generated as `a` + 1"),
                        data("g", "11,21,31")),
                rewrite(
                        "table option COMMENT=",
                        "ALTER TABLE {t} COMMENT='orders by customer'",
                        "ALTER TABLE {t} COMMENT='orders by customer'" + INSTANT,
                        commentIs("orders by customer")),
                rewrite(
                        "MODIFY … NOT NULL (online rebuild)",
                        "ALTER TABLE {t} MODIFY a INT NOT NULL",
                        "ALTER TABLE {t} MODIFY a INT NOT NULL, ALGORITHM=INPLACE, LOCK=NONE",
                        columnsAre(COLUMNS.replace("a int(11),", "a int(11) not null,")),
                        data("a", "10,20,30")),
                rewrite(
                        "index + default in one ALTER: NOCOPY, the weaker, decides",
                        "ALTER TABLE {t} ADD INDEX i_a (a), ALTER COLUMN b SET DEFAULT 3",
                        "ALTER TABLE {t} ADD INDEX i_a (a), ALTER COLUMN b SET DEFAULT 3" + NOCOPY,
                        List.of("the weakest decides", "run setting a column default value as a statement of its own"),
                        indexesAre("i_a (a), i_b (b), PRIMARY unique (id)"),
                        columnsAre(COLUMNS.replace("default 0", "default 3"))),
                rewrite(
                        "column + index in one ALTER: neither INSTANT nor NOCOPY, an online INPLACE rebuild",
                        "ALTER TABLE {t} ADD COLUMN c INT, ADD INDEX i_c (c)",
                        "ALTER TABLE {t} ADD COLUMN c INT, ADD INDEX i_c (c), ALGORITHM=INPLACE, LOCK=NONE",
                        List.of(
                                "the weakest decides",
                                "run adding a column and creating or adding a secondary index as statements of their own"),
                        columnsAre(COLUMNS + ", c int(11)"),
                        indexesAre("i_b (b), i_c (c), PRIMARY unique (id)")),
                rewrite(
                        "leading comment and trailing semicolon",
                        "/* V7__orders_lookup */ ALTER TABLE {t} ADD INDEX i_a (a);",
                        "/* V7__orders_lookup */ ALTER TABLE {t} ADD INDEX i_a (a)" + NOCOPY,
                        indexesAre("i_a (a), i_b (b), PRIMARY unique (id)")),
                // The clause goes before a trailing line comment: after it, it would be commented out and the
                // server would run the bare statement with no guarantee (a bug this case found, now fixed).
                rewrite(
                        "trailing line comment",
                        "ALTER TABLE {t} ADD INDEX i_a (a) -- for the lookup by a",
                        "ALTER TABLE {t} ADD INDEX i_a (a)" + NOCOPY + " -- for the lookup by a",
                        indexesAre("i_a (a), i_b (b), PRIMARY unique (id)")),
                rewrite(
                        "trailing block comment on CREATE INDEX",
                        "CREATE INDEX i_a ON {t} (a) /* lookup */",
                        "CREATE INDEX i_a ON {t} (a) ALGORITHM=NOCOPY LOCK=NONE /* lookup */",
                        indexesAre("i_a (a), i_b (b), PRIMARY unique (id)")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theRewriteIsAcceptedAndTheTableEndsAsWritten(Case c) throws SQLException {
        String t = table("rw", FIXTURE, ROWS);
        assertThat(columns(t)).isEqualTo(COLUMNS);
        assertThat(indexes(t)).isEqualTo(INDEXES);

        try (Connection g = guarded()) {
            exec(g, c.sql().replace("{t}", t));
        }

        JsonNode r = onlyAudit();
        assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("rewritten");
        assertThat(rule(r, "require-online-ddl").get("action").asText()).isEqualTo("rewrite");
        assertThat(r.get("sql").asText()).isEqualTo(c.sql().replace("{t}", t).replaceAll(";$", ""));
        assertThat(r.get("executed_sql").asText()).isEqualTo(c.executed().replace("{t}", t));
        assertThat(r.get("outcome").asText()).isEqualTo("ok");
        assertThat(blocks(r.get("executed_lock"))).as("executed_lock.blocks").isEmpty();
        assertThat(r.get("executed_lock").get("table").asText()).isEqualTo(t);
        assertThat(r.get("executed_lock").get("rows").asLong()).isEqualTo(3);
        assertThat(r.get("note").isNull())
                .as("no rows copied, so no copy note: %s", r.get("note"))
                .isTrue();
        List<String> messages = new ArrayList<>();
        r.get("rules").forEach(v -> messages.add(v.get("message").asText()));
        for (String mention : c.mentions()) {
            assertThat(messages)
                    .as("rule messages")
                    .anySatisfy(m -> assertThat(m).contains(mention));
        }

        for (Expect e : c.expect()) {
            assertThat(e.readback().read(this, t)).as(e.what()).isEqualTo(e.expected());
        }
        assertThat(count(t)).isEqualTo(3);
    }
}
