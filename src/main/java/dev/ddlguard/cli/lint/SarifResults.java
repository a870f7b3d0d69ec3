package dev.ddlguard.cli.lint;

import dev.ddlguard.audit.Json;
import dev.ddlguard.rules.RuleVerdict;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** One SARIF result per reported verdict, located by a repository-relative URI that GitHub can resolve. */
final class SarifResults {

    static final String SRCROOT = "%SRCROOT%";

    private SarifResults() {}

    static void result(StringBuilder b, LintFinding f, RuleVerdict v, int ruleIndex) {
        Json json = new Json(b).field("ruleId", v.ruleId());
        if (ruleIndex >= 0) {
            json.field("ruleIndex", (long) ruleIndex);
        }
        json.field("level", SarifReport.level(v.action()));
        String text = v.message()
                + (v.safeSql() == null
                        ? ""
                        : "\nSafe alternative:\n" + v.safeSql().strip());
        new Json(json.raw("message")).field("text", text).end();
        StringBuilder locations = json.raw("locations").append('[');
        location(locations, f.file(), f.line());
        locations.append(']');
        // Keyed on the statement, not the line: the alert survives edits above it.
        new Json(json.raw("partialFingerprints"))
                .field("ddlguardStatement/v1", fingerprint(v.ruleId(), f))
                .end();
        if (f.preflight() != null || f.changeset() != null) {
            // SARIF 2.1.0 §3.8 property bag: the Liquibase changeset, what the statement meets on the live database
            // (--url)
            Json properties = new Json(json.raw("properties"));
            if (f.changeset() != null) {
                properties.field("changeset", f.changeset());
            }
            if (f.preflight() != null) {
                PreflightJson.write(properties.raw("preflight"), f.preflight());
            }
            properties.end();
        }
        json.end();
    }

    static void location(StringBuilder b, String file, Integer line) {
        Json physical = new Json(new Json(b).raw("physicalLocation"));
        Json artifact = new Json(physical.raw("artifactLocation"));
        Location where = uri(file);
        artifact.field("uri", where.uri());
        if (where.relative()) {
            artifact.field("uriBaseId", SRCROOT);
        }
        artifact.end();
        if (line != null) {
            new Json(physical.raw("region")).field("startLine", (long) line).end();
        }
        physical.end();
        b.append('}');
    }

    record Location(String uri, boolean relative) {}

    /** Relative to the working directory with forward slashes when it lies below it (as CI checkouts do), else a file: URI. */
    static Location uri(String file) {
        Path path;
        try {
            path = Path.of(file);
        } catch (InvalidPathException e) {
            return new Location(file, true); // a path the user typed that no file system accepts: report it as typed
        }
        Path cwd = Path.of("").toAbsolutePath();
        Path absolute = path.toAbsolutePath().normalize();
        if (absolute.startsWith(cwd)) {
            String relative = cwd.relativize(absolute).toString().replace('\\', '/');
            try {
                // the multi-argument constructor percent-encodes what a URI may not hold (spaces, non-ASCII)
                return new Location(new URI(null, null, relative, null).toASCIIString(), true);
            } catch (URISyntaxException e) {
                return new Location(relative, true);
            }
        }
        return new Location(absolute.toUri().toASCIIString(), false);
    }

    private static String fingerprint(String ruleId, LintFinding f) {
        String key =
                ruleId + '\0' + uri(f.file()).uri() + '\0' + f.sql().strip().replaceAll("\\s+", " ");
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
