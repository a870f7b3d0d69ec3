package dev.ddlguard.cli.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddlguard.policy.Target;
import dev.ddlguard.support.TestDatabases;
import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Plan#render()} is a script the database's own client runs from start to end: piped into psql and mariadb. */
@Timeout(60)
class PlanScriptTest {

    @Test
    void psqlRunsThePostgresScript() throws Exception {
        String psql = onPath("psql");
        String t = "plan_script_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        try (Connection raw = TestDatabases.postgres()) {
            try {
                PlanRun.update(raw, "CREATE TABLE " + t + " (id bigserial PRIMARY KEY, note text, a integer NOT NULL)");
                Map<Long, Long> before = PlanRun.seed(raw, t, "a", 250, 0);
                String script = Planner.plan(
                                "ALTER TABLE " + t + " RENAME COLUMN a TO b", Target.POSTGRESQL, 40, TableInfo.of(raw))
                        .render();

                URI uri = URI.create(TestDatabases.PG_URL.substring("jdbc:".length()));
                Map<String, String> query = query(uri);
                List<String> command = new ArrayList<>(List.of(
                        psql,
                        "-X",
                        "-q",
                        "-v",
                        "ON_ERROR_STOP=1",
                        "-h",
                        uri.getHost(),
                        "-p",
                        String.valueOf(uri.getPort() < 0 ? 5432 : uri.getPort()),
                        "-d",
                        uri.getPath().substring(1)));
                if (query.containsKey("user")) {
                    command.addAll(List.of("-U", query.get("user")));
                }
                run(command, "PGPASSWORD", query.get("password"), script);

                assertThat(PlanRun.values(raw, t, "b")).isEqualTo(before);
                assertThat(PlanRun.schema(raw, "current_schema()", t))
                        .containsEntry("b", "integer not null")
                        .doesNotContainKey("a");
            } finally {
                PlanRun.quietly(
                        raw, "DROP TABLE IF EXISTS " + t, "DROP FUNCTION IF EXISTS ddlguard_sync_" + t + "_a_b()");
            }
        }
    }

    @Test
    void mariadbClientRunsTheMariaDbScript() throws Exception {
        String client = onPath("mariadb", "mysql");
        String t = "plan_script_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        try (Connection raw = TestDatabases.mariadb()) {
            try {
                PlanRun.update(
                        raw,
                        "CREATE TABLE " + t + " (id BIGINT AUTO_INCREMENT PRIMARY KEY, note TEXT, a INT NOT NULL)");
                Map<Long, Long> before = PlanRun.seed(raw, t, "a", 250, 0);
                String script = Planner.plan(
                                "ALTER TABLE " + t + " CHANGE a b BIGINT NOT NULL DEFAULT 1",
                                Target.MARIADB,
                                40,
                                TableInfo.of(raw))
                        .render();

                URI uri = URI.create(TestDatabases.MARIADB_URL.substring("jdbc:".length()));
                Map<String, String> query = query(uri);
                List<String> command = new ArrayList<>(List.of(
                        client, "-h", uri.getHost(), "-P", String.valueOf(uri.getPort() < 0 ? 3306 : uri.getPort())));
                if (query.containsKey("user")) {
                    command.add("-u" + query.get("user"));
                }
                command.add(uri.getPath().substring(1));
                run(command, "MYSQL_PWD", query.get("password"), script);

                assertThat(PlanRun.values(raw, t, "b")).isEqualTo(before);
                assertThat(PlanRun.schema(raw, "DATABASE()", t))
                        .containsEntry("b", "bigint not null")
                        .doesNotContainKey("a");
            } finally {
                PlanRun.quietly(
                        raw, "DROP TABLE IF EXISTS " + t, "DROP PROCEDURE IF EXISTS ddlguard_backfill_" + t + "_a");
            }
        }
    }

    private static void run(List<String> command, String passwordVariable, String password, String script)
            throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (password != null) {
            builder.environment().put(passwordVariable, password);
        }
        Process process = builder.start();
        process.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(45, TimeUnit.SECONDS)).as("client finished").isTrue();
        assertThat(process.exitValue())
                .as("%s failed on the script:%n%s%n--- output:%n%s", command.get(0), script, output)
                .isZero();
    }

    /** The first of these clients on the PATH; the test is skipped without one (the server tests still run). */
    private static String onPath(String... names) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : names) {
                File f = new File(dir, name);
                if (f.canExecute()) {
                    return f.getPath();
                }
            }
        }
        Assumptions.abort("no " + String.join(" or ", names) + " client on the PATH");
        return null;
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> params = new HashMap<>();
        if (uri.getQuery() != null) {
            for (String pair : uri.getQuery().split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        return params;
    }
}
