package dev.ddlguard.rules;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The {@code plan} command as a user runs it, for messages: the cli ships as the separate artifact
 * {@code ddlguard-<version>-cli.jar} (pom.xml, maven-shade-plugin "cli"; README "Command line"),
 * which a build leaves in {@code target/}.
 */
public final class PlanHint {

    /** {@code target/ddlguard-0.1.0-SNAPSHOT-cli.jar}: the version comes from the build (version.properties). */
    public static final String CLI_JAR = "target/ddlguard-" + version() + "-cli.jar";

    private PlanHint() {}

    /** {@code java -jar target/ddlguard-<version>-cli.jar plan --target <target> "<sql>"}; no --target when the planner has no plans for it. */
    public static String command(String target, String sql) {
        boolean planned = target.equals("postgresql") || target.equals("mysql") || target.equals("mariadb");
        return "java -jar " + CLI_JAR + " plan " + (planned ? "--target " + target + " " : "") + '"'
                + sql.replace("\"", "\\\"") + '"';
    }

    private static String version() {
        try (InputStream in = PlanHint.class.getResourceAsStream("/dev/ddlguard/version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank() && !v.startsWith("${")) {
                    return v.strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through: the placeholder below still names the artifact's pattern
        }
        return "<version>";
    }
}
