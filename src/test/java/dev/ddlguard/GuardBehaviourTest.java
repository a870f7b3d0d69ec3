package dev.ddlguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.support.H2;
import dev.ddlguard.support.LogCapture;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Modes, inline directives, cross-target judging, redaction and bad input, end to end on H2. */
class GuardBehaviourTest {

    private H2 db;
    private LogCapture log;

    @BeforeEach
    void setUp() throws SQLException {
        db = new H2();
        db.setup(
                "CREATE TABLE orders(id INT PRIMARY KEY, customer_id INT, note VARCHAR(20))",
                "INSERT INTO orders VALUES (1, 10, 'a'), (2, 11, 'b')");
        log = LogCapture.start();
    }

    @AfterEach
    void tearDown() throws SQLException {
        log.close();
        db.close();
    }

    private void run(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    @Test
    void auditModeRunsEverythingAndRecordsWhatEnforceWouldDo() throws SQLException {
        try (Connection c = db.guarded("ddlguard.mode", "audit")) {
            run(c, "DROP TABLE orders");
        }
        assertThat(db.tableExists("orders")).isFalse();
        JsonNode r = log.onlyAudit();
        assertThat(r.get("decision").asText()).isEqualTo("audited");
        assertThat(r.get("enforce_decision").asText()).isEqualTo("blocked");
        assertThat(r.get("rules").get(0).get("action").asText()).isEqualTo("block");
        assertThat(r.get("executed_sql").asText()).isEqualTo("DROP TABLE orders");
        assertThat(r.get("outcome").asText()).isEqualTo("ok");
        assertThat(log.warnings())
                .anySatisfy(w -> assertThat(w).contains("would block").contains("drop-table"));
    }

    @Test
    void inlineAllowLetsOneStatementThroughAndKeepsTheReason() throws SQLException {
        try (Connection c = db.guarded()) {
            run(c, "/* ddlguard:allow drop-table archived to s3://backups/orders */ DROP TABLE orders");
        }
        assertThat(db.tableExists("orders")).isFalse();
        JsonNode r = log.onlyAudit();
        assertThat(r.get("decision").asText()).isEqualTo("allowed");
        assertThat(r.get("rules").get(0).get("action").asText()).isEqualTo("allow");
        assertThat(r.get("rules").get(0).get("message").asText()).contains("archived to s3://backups/orders");
    }

    @Test
    void lineCommentDirectiveWorksToo() throws SQLException {
        try (Connection c = db.guarded()) {
            run(c, "-- ddlguard:allow drop-column column unused since v42\nALTER TABLE orders DROP COLUMN note");
        }
        assertThat(db.columnExists("orders", "note")).isFalse();
    }

    @Test
    void aDirectiveWithoutAReasonIsNotHonoured() throws SQLException {
        try (Connection c = db.guarded()) {
            assertThatThrownBy(() -> run(c, "/* ddlguard:allow drop-table */ DROP TABLE orders"))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("needs a reason");
        }
        assertThat(db.tableExists("orders")).isTrue();
    }

    @Test
    void aDirectiveForAnotherRuleDoesNotHelp() throws SQLException {
        try (Connection c = db.guarded()) {
            assertThatThrownBy(() -> run(c, "/* ddlguard:allow drop-column wrong rule */ DROP TABLE orders"))
                    .isInstanceOf(BlockedStatementException.class);
        }
    }

    @Test
    void perRuleSettingChangesTheAction() throws SQLException {
        try (Connection c = db.guarded("ddlguard.rule.drop-table", "warn")) {
            run(c, "DROP TABLE orders");
        }
        assertThat(db.tableExists("orders")).isFalse();
        assertThat(log.onlyAudit().get("decision").asText()).isEqualTo("warned");
        assertThat(log.warnings())
                .anySatisfy(w -> assertThat(w)
                        .contains("drop-table")
                        .contains("irreversibly")
                        .contains("Safe alternative"));
    }

    @Test
    void blockedMessageNamesRuleReasonLockAndSafeSql() throws SQLException {
        try (Connection c = db.guarded()) {
            assertThatThrownBy(() -> run(c, "ALTER TABLE orders ADD COLUMN tier VARCHAR(10) NOT NULL"))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("[add-column-not-null]")
                    .hasMessageContaining("PostgreSQL and H2 fail on the first one")
                    .hasMessageContaining("Lock as written: EXCLUSIVE on orders")
                    .hasMessageContaining("ALTER TABLE orders ADD COLUMN tier VARCHAR(10);")
                    .hasMessageContaining("ddlguard:allow add-column-not-null")
                    .hasMessageContaining("java -jar " + dev.ddlguard.rules.PlanHint.CLI_JAR
                            + " plan \"ALTER TABLE orders ADD COLUMN tier VARCHAR(10) NOT NULL\"");
        }
        assertThat(db.columnExists("orders", "tier")).isFalse();
    }

    @Test
    void judgedAsPostgresOnH2TheRewriteIsReportedNotSent() throws SQLException {
        try (Connection c = db.guarded("ddlguard.target", "postgresql")) {
            run(c, "CREATE INDEX orders_customer_idx ON orders (customer_id)");
        }
        assertThat(db.indexExists("orders_customer_idx")).isTrue();
        JsonNode r = log.onlyAudit();
        assertThat(r.get("target").asText()).isEqualTo("postgresql");
        assertThat(r.get("db").asText()).startsWith("H2");
        assertThat(r.get("decision").asText()).isEqualTo("warned");
        assertThat(r.get("rules").get(0).get("id").asText()).isEqualTo("require-concurrent-index");
        assertThat(r.get("rules").get(0).get("action").asText()).isEqualTo("rewrite");
        assertThat(r.get("rewritten_sql").asText())
                .isEqualTo("CREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id)");
        assertThat(r.get("executed_sql").asText())
                .isEqualTo("CREATE INDEX orders_customer_idx ON orders (customer_id)");
        assertThat(r.get("note").asText()).contains("not sent");
        assertThat(r.get("lock").get("mode").asText()).isEqualTo("SHARE");
        assertThat(r.get("lock").get("blocks")).extracting(JsonNode::asText).containsExactly("writes");
    }

    @Test
    void judgedAsPostgresInsideATransactionTheIndexIsBlockedWithHowToRunItOutside() throws SQLException {
        try (Connection c = db.guarded("ddlguard.target", "postgresql")) {
            c.setAutoCommit(false);
            assertThatThrownBy(() -> run(c, "CREATE INDEX orders_customer_idx ON orders (customer_id)"))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("transaction block")
                    .hasMessageContaining("executeInTransaction=false")
                    .hasMessageContaining("runInTransaction:false");
            c.rollback();
        }
        assertThat(db.indexExists("orders_customer_idx")).isFalse();
    }

    @Test
    void severalStatementsLeaveOneRecordEach() throws SQLException {
        try (Connection c = db.guarded()) {
            run(c, "CREATE TABLE a(id INT); INSERT INTO a VALUES (1); CREATE TABLE b(id INT)");
        }
        assertThat(db.tableExists("a")).isTrue();
        assertThat(db.tableExists("b")).isTrue();
        List<JsonNode> records = log.audit();
        assertThat(records)
                .extracting(r -> r.get("sql").asText())
                .containsExactly("CREATE TABLE a(id INT)", "CREATE TABLE b(id INT)");
    }

    @Test
    void oneBlockedStatementBlocksTheWholeStringAndEachIsRecorded() throws SQLException {
        try (Connection c = db.guarded()) {
            assertThatThrownBy(() -> run(c, "CREATE TABLE a(id INT); DROP TABLE orders"))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("Nothing of this string was run");
        }
        assertThat(db.tableExists("a")).isFalse();
        assertThat(log.audit())
                .extracting(
                        r -> r.get("decision").asText() + "/" + r.get("outcome").asText())
                .containsExactly("allowed/blocked", "blocked/blocked");
    }

    @Test
    void passwordsNeverReachTheLogs() throws SQLException {
        try (Connection c = db.guarded("ddlguard.rule.unanalyzable", "warn")) {
            run(c, "CREATE USER bob PASSWORD 'hunter2-secret'");
            run(c, "ALTER USER bob SET PASSWORD 'n3w-hunter2-secret'");
            assertThatThrownBy(() -> run(c, "CREATE USER bob PASSWORD 'again-hunter2-secret'"))
                    .isInstanceOf(SQLException.class);
        }
        assertThat(log.audit()).hasSize(3);
        assertThat(log.audit().get(0).get("sql").asText()).isEqualTo("CREATE USER bob PASSWORD '***'");
        assertThat(log.everything()).doesNotContain("hunter2");
    }

    @Test
    void unparseableDdlIsJudgedByTheUnanalyzablePolicyAndTheDatabaseAnswers() throws SQLException {
        try (Connection c = db.guarded("ddlguard.rule.unanalyzable", "warn")) {
            assertThatThrownBy(() -> run(c, "ALTER TABLE"))
                    .isInstanceOf(SQLException.class)
                    .isNotInstanceOf(BlockedStatementException.class);
        }
        JsonNode r = log.onlyAudit();
        assertThat(r.get("decision").asText()).isEqualTo("warned");
        assertThat(r.get("rules").get(0).get("id").asText()).isEqualTo("unanalyzable");
        assertThat(r.get("outcome").asText()).isEqualTo("error");
        assertThat(r.get("error").asText()).isNotBlank();
    }

    @Test
    void unanalyzableIsBlockedByDefault() throws SQLException {
        try (Connection c = db.guarded()) {
            assertThatThrownBy(() -> run(c, "ALTER TABLE"))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("[unanalyzable]")
                    .hasMessageContaining("cannot tell what this DDL does");
        }
        assertThat(log.onlyAudit().get("decision").asText()).isEqualTo("blocked");
    }

    @Test
    void emptyAndBlankStringsGoToTheDatabaseUnjudged() throws SQLException {
        try (Connection c = db.guarded();
                Statement st = c.createStatement()) {
            for (String sql : new String[] {"", "   ", "-- only a comment"}) {
                SQLException fromGuard = catchSql(() -> st.execute(sql));
                SQLException fromH2 = catchSql(() -> {
                    try (Connection raw = db.raw();
                            Statement rawSt = raw.createStatement()) {
                        rawSt.execute(sql);
                    }
                });
                assertThat(fromGuard == null ? null : fromGuard.getErrorCode())
                        .as("same behaviour as the database for '%s'", sql)
                        .isEqualTo(fromH2 == null ? null : fromH2.getErrorCode());
            }
        }
        assertThat(log.audit()).isEmpty();
    }

    @Test
    void nullSqlBehavesAsTheDriverDoes() throws SQLException {
        try (Connection c = db.guarded();
                Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute(null))
                    .isInstanceOf(SQLException.class)
                    .isNotInstanceOf(BlockedStatementException.class);
        }
    }

    @Test
    void auditRecordCarriesTheContractFields() throws SQLException {
        try (Connection c = db.guarded()) {
            run(c, "ALTER TABLE orders ADD COLUMN shipped_at TIMESTAMP");
        }
        JsonNode r = log.onlyAudit();
        assertThat(names(r))
                .contains(
                        "ts",
                        "db",
                        "target",
                        "user",
                        "schema",
                        "sql",
                        "executed_sql",
                        "decision",
                        "rules",
                        "lock",
                        "executed_lock",
                        "duration_ms",
                        "outcome",
                        "error");
        assertThat(java.time.Instant.parse(r.get("ts").asText())).isNotNull();
        try (Connection raw = db.raw()) {
            assertThat(r.get("user").asText()).isEqualTo(raw.getMetaData().getUserName());
        }
        assertThat(r.get("schema").asText()).isEqualTo("PUBLIC");
        assertThat(r.get("target").asText()).isEqualTo("h2");
        assertThat(names(r.get("lock")))
                .contains("mode", "blocks", "work", "table", "rows", "bytes", "estimated_ms", "other_tables");
        assertThat(r.get("lock").get("rows").asLong()).isEqualTo(2);
        assertThat(r.get("executed_lock").isNull()).isTrue();
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private interface SqlRunnable {
        void run() throws SQLException;
    }

    private static SQLException catchSql(SqlRunnable r) {
        try {
            r.run();
            return null;
        } catch (SQLException e) {
            return e;
        }
    }
}
