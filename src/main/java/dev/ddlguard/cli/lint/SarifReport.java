package dev.ddlguard.cli.lint;

import dev.ddlguard.audit.Json;
import dev.ddlguard.dialect.Dialects;
import dev.ddlguard.policy.Action;
import dev.ddlguard.policy.Target;
import dev.ddlguard.rules.CoreRules;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.rules.RuleVerdict;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The report for code scanning: SARIF 2.1.0 as GitHub accepts it, with every rule's metadata, one
 * result per rule that asks for something, and unreadable inputs as tool notifications.
 */
public final class SarifReport {

    static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

    private SarifReport() {}

    public static void write(LintResult result, Appendable out) {
        List<Rule> rules = rules(result.target());
        Map<String, Integer> index = new LinkedHashMap<>();
        rules.forEach(r -> index.put(r.id(), index.size()));
        StringBuilder s = new StringBuilder(4096);
        Json root = new Json(s).field("$schema", SCHEMA).field("version", "2.1.0");
        Json run = new Json(root.raw("runs").append('['));
        Json driver = new Json(new Json(run.raw("tool")).raw("driver")).field("name", "ddlguard");
        driver.field("version", version());
        array(driver.raw("rules"), rules, (b, r) -> rule(b, r, result));
        driver.end();
        s.append('}'); // tool
        Json invocation = new Json(run.raw("invocations").append('['));
        invocation.raw("executionSuccessful").append(result.errors().isEmpty());
        array(invocation.raw("toolExecutionNotifications"), result.errors(), SarifReport::notification);
        invocation.end();
        s.append(']');
        StringBuilder results = run.raw("results").append('[');
        boolean first = true;
        for (LintFinding f : result.findings()) {
            for (RuleVerdict v : f.reported()) {
                results.append(first ? "" : ",");
                first = false;
                SarifResults.result(results, f, v, index.getOrDefault(v.ruleId(), -1));
            }
        }
        results.append(']');
        // SARIF 2.1.0 §3.8 property bag: what the run assumed, for whoever reads the log later
        Json properties = new Json(run.raw("properties"))
                .field("target", result.target().value())
                .field("serverVersion", result.version().describe(result.target()))
                .field("judgedAs", result.judgedAs());
        if (result.database() != null) {
            properties.field("preflightAgainst", result.database()); // password masked
        }
        properties.end();
        run.end();
        s.append("]}\n");
        try {
            out.append(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every rule once: the core rules and the target's pack first, so a shared id (lock-queue) carries the target's text. */
    static List<Rule> rules(Target target) {
        List<Rule> ordered = new ArrayList<>(CoreRules.ALL);
        ordered.addAll(Dialects.offline(target).rules());
        ordered.addAll(Dialects.allRules());
        Map<String, Rule> byId = new LinkedHashMap<>();
        ordered.forEach(r -> byId.putIfAbsent(r.id(), r));
        return List.copyOf(byId.values());
    }

    private static void rule(StringBuilder b, Rule rule, LintResult result) {
        Json json = new Json(b).field("id", rule.id()).field("name", pascal(rule.id()));
        new Json(json.raw("shortDescription")).field("text", rule.reason()).end();
        new Json(json.raw("fullDescription"))
                .field("text", rule.reason() + ". Lock: " + rule.lock())
                .end();
        new Json(json.raw("help"))
                .field("text", "Instead: " + rule.safeAlternative())
                .end();
        Action action = result.policy().actionFor(rule.id(), rule.defaultAction());
        new Json(json.raw("defaultConfiguration"))
                .field("level", action == Action.ALLOW ? "none" : level(action))
                .end();
        json.end();
    }

    static String level(Action action) {
        return action == Action.BLOCK ? "error" : "warning";
    }

    private static void notification(StringBuilder b, InputError error) {
        Json json = new Json(b).field("level", "error");
        new Json(json.raw("message")).field("text", error.toString()).end();
        StringBuilder locations = json.raw("locations").append('[');
        SarifResults.location(locations, error.path(), null);
        locations.append(']');
        json.end();
    }

    /** SARIF wants a name that differs from the id, so a one-word id gets a noun: Unanalyzable → UnanalyzableStatement. */
    static String pascal(String id) {
        StringBuilder name = new StringBuilder();
        for (String part : id.split("-")) {
            name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return id.contains("-") ? name.toString() : name + "Statement";
    }

    /**
     * The version Maven wrote into the jar (pom.properties; the manifest has none). Outside a jar
     * (tests) there is none: 0.0.0 keeps it numeric, as SARIF consumers compare versions.
     */
    static String version() {
        try (InputStream in =
                SarifReport.class.getResourceAsStream("/META-INF/maven/dev.ddlguard/ddlguard/pom.properties")) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                return properties.getProperty("version", "0.0.0");
            }
        } catch (IOException e) {
            // an unreadable resource only costs the version number
        }
        return "0.0.0";
    }

    interface Writer<T> {
        void write(StringBuilder out, T item);
    }

    private static <T> void array(StringBuilder out, List<T> items, Writer<T> writer) {
        out.append('[');
        for (int i = 0; i < items.size(); i++) {
            out.append(i == 0 ? "" : ",");
            writer.write(out, items.get(i));
        }
        out.append(']');
    }
}
