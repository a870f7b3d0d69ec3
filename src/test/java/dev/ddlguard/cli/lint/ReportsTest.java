package dev.ddlguard.cli.lint;

import static dev.ddlguard.cli.lint.LintFixturesTest.ROOT;
import static dev.ddlguard.cli.lint.LintFixturesTest.lint;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddlguard.dialect.Dialects;
import dev.ddlguard.policy.Target;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The three report formats: text as a compiler writes it, JSON as the README's "Command line" fixes it, SARIF as GitHub reads it. */
class ReportsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static List<String> text(LintResult result) {
        StringBuilder out = new StringBuilder();
        TextReport.write(result, out);
        return out.toString().lines().toList();
    }

    private static JsonNode json(LintResult result) throws Exception {
        StringBuilder out = new StringBuilder();
        JsonReport.write(result, out);
        return MAPPER.readTree(out.toString());
    }

    private static JsonNode sarif(LintResult result) throws Exception {
        StringBuilder out = new StringBuilder();
        SarifReport.write(result, out);
        return MAPPER.readTree(out.toString());
    }

    private static Set<String> fields(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void textIsCompilerLike() {
        List<String> lines = text(lint(Target.MARIADB, "mariadb"));
        assertThat(lines).hasSize(16);
        assertThat(lines.get(0))
                .startsWith(ROOT + "mariadb/orders.sql:1: rewrite require-online-ddl: creating or adding a secondary"
                        + " index, written without ALGORITHM/LOCK");
        assertThat(lines.subList(1, 3))
                .containsExactly(
                        "  safe alternative:",
                        "    ALTER TABLE orders ADD INDEX orders_customer_idx (customer_id), ALGORITHM=NOCOPY, LOCK=NONE;");
        assertThat(lines.get(3))
                .startsWith("  lock: ")
                .contains("on orders (blocks neither reads nor writes; index-build)");
        // MariaDB picks the same online path with or without the clause, so no second lock line
        assertThat(lines.get(4)).startsWith(ROOT + "mariadb/orders.sql:3: block no-online-ddl-path: ");
        // the blocked type change prints its expand-contract outline, indented under the finding
        assertThat(lines.get(5)).isEqualTo("  safe alternative:");
        assertThat(lines.subList(6, 13)).allSatisfy(l -> assertThat(l).startsWith("    "));
        assertThat(lines.get(6)).isEqualTo("    -- expand");
        assertThat(lines.get(13)).startsWith("  lock: ").contains("on orders (blocks writes; rewrite)");
        assertThat(lines.get(14)).isEqualTo("2 statements, 1 blocked, 0 warnings, 1 rewrite");
        assertThat(lines.get(15)).isEqualTo("judged as MariaDB 10.11 (assumed; --target-version to change)");
    }

    @Test
    void textShowsErrorsFirstAndEndsWithASummary() {
        List<String> lines = text(lint(Target.POSTGRESQL, "plain", "missing.sql"));
        assertThat(lines.get(0)).isEqualTo(ROOT + "missing.sql: error: no such file or directory");
        assertThat(lines.get(1))
                .startsWith(ROOT + "plain/explicit_transaction.sql:2: block concurrently-in-transaction: ");
        assertThat(lines.get(2))
                .isEqualTo("  lock: SHARE UPDATE EXCLUSIVE on orders (blocks neither reads nor writes; index-build)");
        // the allowed statement on line 5 prints nothing
        assertThat(lines.get(3)).isEqualTo("2 statements, 1 blocked, 0 warnings, 0 rewrites, 1 unreadable input");
        assertThat(lines.get(4)).isEqualTo("judged as PostgreSQL 15 (assumed; --target-version to change)");
        assertThat(lines).hasSize(5);
        List<String> flyway = text(lint(Target.POSTGRESQL, "flyway"));
        assertThat(flyway)
                .contains(
                        "  lock as rewritten: SHARE UPDATE EXCLUSIVE on orders (blocks neither reads nor writes; index-build)");
        assertThat(flyway.get(flyway.size() - 2)).isEqualTo("6 statements, 2 blocked, 0 warnings, 1 rewrite");
    }

    @Test
    void jsonHasOneObjectPerStatementWithTheAuditFields() throws Exception {
        LintResult result = lint(Target.POSTGRESQL, "flyway", "liquibase", "plain");
        JsonNode array = json(result);
        assertThat(array.isArray()).isTrue();
        assertThat(array).hasSize(result.findings().size());
        for (JsonNode o : array) {
            assertThat(fields(o))
                    .containsExactlyInAnyOrder(
                            "file",
                            "line",
                            "changeset",
                            "sql",
                            "decision",
                            "rules",
                            "rewritten_sql",
                            "lock",
                            "executed_lock",
                            "in_transaction",
                            "lock_timeout_set",
                            "note");
            assertThat(fields(o.get("lock")))
                    .containsExactlyInAnyOrder(
                            "mode", "blocks", "work", "table", "rows", "bytes", "estimated_ms", "other_tables");
            assertThat(o.get("lock").get("rows").isNull()).isTrue();
            assertThat(o.get("lock").get("bytes").isNull()).isTrue();
            assertThat(o.get("line").isInt()).isTrue();
            assertThat(o.get("in_transaction").isBoolean()).isTrue();
            assertThat(o.get("note").asText()).startsWith("no database: lock impact has no size");
            for (JsonNode rule : o.get("rules")) {
                assertThat(fields(rule)).containsExactlyInAnyOrder("id", "action", "message", "safe_sql");
            }
        }
        JsonNode v3 = array.get(3);
        assertThat(v3.get("file").asText()).isEqualTo(ROOT + "flyway/V3__index_concurrently.sql");
        assertThat(v3.get("line").asInt()).isEqualTo(3);
        assertThat(v3.get("sql").asText()).isEqualTo("CREATE INDEX orders_created_idx ON orders (created_at)");
        assertThat(v3.get("decision").asText()).isEqualTo("rewritten");
        assertThat(v3.get("rules").get(0).get("id").asText()).isEqualTo("require-concurrent-index");
        assertThat(v3.get("rules").get(0).get("action").asText()).isEqualTo("rewrite");
        assertThat(v3.get("rewritten_sql").asText())
                .isEqualTo("CREATE INDEX CONCURRENTLY orders_created_idx ON orders (created_at)");
        assertThat(v3.get("lock").get("mode").asText()).isEqualTo("SHARE");
        assertThat(v3.get("executed_lock").get("mode").asText()).isEqualTo("SHARE UPDATE EXCLUSIVE");
        assertThat(v3.get("in_transaction").asBoolean()).isFalse();
        assertThat(v3.get("lock_timeout_set").asBoolean()).isTrue();
        assertThat(array.get(2).get("executed_lock").isNull()).isTrue(); // blocked: nothing runs
        assertThat(array.get(2).get("decision").asText()).isEqualTo("blocked");
    }

    @Test
    void jsonOfNothingIsAnEmptyArray() throws Exception {
        assertThat(json(lint(Target.POSTGRESQL, "no-such-file.sql"))).isEmpty();
    }

    @Test
    void sarifHasTheStructureCodeScanningRequires() throws Exception {
        LintResult result = lint(Target.POSTGRESQL, "flyway", "liquibase", "plain", "missing.sql");
        JsonNode root = sarif(result);
        assertThat(root.get("$schema").asText()).isEqualTo("https://json.schemastore.org/sarif-2.1.0.json");
        assertThat(root.get("version").asText()).isEqualTo("2.1.0");
        assertThat(root.get("runs")).hasSize(1);
        JsonNode run = root.get("runs").get(0);
        JsonNode driver = run.get("tool").get("driver");
        assertThat(driver.get("name").asText()).isEqualTo("ddlguard");
        assertThat(driver.get("version").asText()).matches("\\d.*"); // consumers compare versions numerically
        assertThat(run.get("properties").get("target").asText()).isEqualTo("postgresql");
        assertThat(run.get("properties").get("serverVersion").asText()).isEqualTo("PostgreSQL 15");
        assertThat(run.get("properties").get("judgedAs").asText()).isEqualTo(result.judgedAs());

        List<String> ruleIds = new ArrayList<>();
        for (JsonNode rule : driver.get("rules")) {
            ruleIds.add(rule.get("id").asText());
            assertThat(rule.get("name").asText())
                    .matches("[A-Z][A-Za-z0-9]*")
                    .isNotEqualToIgnoringCase(rule.get("id").asText());
            assertThat(rule.get("shortDescription").get("text").asText()).isNotBlank();
            assertThat(rule.get("fullDescription").get("text").asText()).isNotBlank();
            assertThat(rule.get("help").get("text").asText()).isNotBlank();
            assertThat(rule.get("defaultConfiguration").get("level").asText()).isIn("error", "warning", "note", "none");
        }
        assertThat(ruleIds).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(Dialects.ruleIds());
        assertThat(driver.get("rules")
                        .get(ruleIds.indexOf("drop-table"))
                        .get("defaultConfiguration")
                        .get("level")
                        .asText())
                .isEqualTo("error");

        JsonNode results = run.get("results");
        long expected =
                result.findings().stream().mapToLong(f -> f.reported().size()).sum();
        assertThat(results).hasSize((int) expected).hasSize(6);
        for (JsonNode r : results) {
            assertThat(ruleIds).contains(r.get("ruleId").asText());
            assertThat(ruleIds.get(r.get("ruleIndex").asInt()))
                    .isEqualTo(r.get("ruleId").asText());
            assertThat(r.get("level").asText()).isIn("error", "warning");
            assertThat(r.get("message").get("text").asText()).isNotBlank();
            JsonNode physical = r.get("locations").get(0).get("physicalLocation");
            assertThat(physical.get("artifactLocation").get("uri").asText())
                    .startsWith(ROOT)
                    .doesNotContain("\\");
            assertThat(physical.get("artifactLocation").get("uriBaseId").asText())
                    .isEqualTo("%SRCROOT%");
            assertThat(physical.get("region").get("startLine").asInt()).isPositive();
        }
        JsonNode first = results.get(0);
        assertThat(first.get("ruleId").asText()).isEqualTo("require-concurrent-index");
        assertThat(first.get("level").asText()).isEqualTo("error");
        assertThat(first.get("locations")
                        .get(0)
                        .get("physicalLocation")
                        .get("artifactLocation")
                        .get("uri")
                        .asText())
                .isEqualTo(ROOT + "flyway/V2__index.sql");
        assertThat(first.get("message").get("text").asText()).contains("Safe alternative:\n");
        assertThat(results.get(1).get("level").asText()).isEqualTo("warning"); // a rewrite

        JsonNode invocation = run.get("invocations").get(0);
        assertThat(invocation.get("executionSuccessful").asBoolean()).isFalse();
        JsonNode notification = invocation.get("toolExecutionNotifications").get(0);
        assertThat(notification.get("level").asText()).isEqualTo("error");
        assertThat(notification.get("message").get("text").asText())
                .isEqualTo(ROOT + "missing.sql: no such file or directory");
    }

    @Test
    void sarifFingerprintsFollowTheStatementNotTheLine() throws Exception {
        JsonNode a = sarif(lint(Target.POSTGRESQL, "flyway")).get("runs").get(0).get("results");
        JsonNode b = sarif(lint(Target.POSTGRESQL, "flyway")).get("runs").get(0).get("results");
        assertThat(a.get(0).get("partialFingerprints")).isEqualTo(b.get(0).get("partialFingerprints"));
        assertThat(a.get(0).get("partialFingerprints")).isNotEqualTo(a.get(1).get("partialFingerprints"));
    }

    @Test
    void sarifUrisAreRelativeAndEncoded() {
        assertThat(SarifResults.uri("db/my migrations/V1__a.sql"))
                .isEqualTo(new SarifResults.Location("db/my%20migrations/V1__a.sql", true));
        assertThat(SarifResults.uri("/elsewhere/V1__a.sql"))
                .isEqualTo(new SarifResults.Location("file:///elsewhere/V1__a.sql", false));
    }
}
