package dev.ddlguard.cli.lint;

import dev.ddlguard.policy.Target;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Tells how a migration tool runs a file: Liquibase formatted SQL (changeset by changeset), a
 * Flyway migration (one transaction unless its script config says otherwise), a Prisma or Drizzle
 * migration ({@link PrismaDrizzle}), or a plain script (autocommit, unless it opens a transaction itself).
 */
final class ScriptLayout {

    /**
     * Flyway's default naming: versioned V<version>__, undo U<version>__, repeatable R__, and its SQL callbacks
     * (beforeMigrate.sql, afterEachMigrate__notes.sql, …), which it also runs in a transaction unless their script
     * config says otherwise (an outside tester's find: they were judged as autocommit scripts).
     */
    private static final Pattern FLYWAY =
            Pattern.compile("(?:[VU]\\d[0-9._]*__.*|R__.*|(?:before|after)[A-Z][A-Za-z]*(?:__.*)?)\\.sql");

    private ScriptLayout() {}

    static List<Segment> segments(Path file, String text, Target target) throws IOException {
        if (LiquibaseScript.is(text)) {
            return LiquibaseScript.changesets(text, target);
        }
        String name = file.getFileName().toString();
        PrismaDrizzle.Sent sent = PrismaDrizzle.sent(file, text);
        if (sent != null) {
            // Drizzle: one transaction, the pieces end at the breakpoints; Prisma: one query string, which the server
            // runs as one implicit transaction when it holds several statements (Segment.oneQueryString)
            return List.of(
                    sent.transaction()
                            ? new Segment(PrismaDrizzle.breakpointsAsSemicolons(text), 1, true, false)
                            : new Segment(text, 1, false, false, sent.strings().size() == 1));
        }
        if (!FLYWAY.matcher(name).matches()) {
            return List.of(new Segment(text, 1, false, false));
        }
        Boolean configured = flywayExecuteInTransaction(file, name);
        // Flyway detects non-transactional statements only when the config does not decide.
        return List.of(new Segment(text, 1, configured == null || configured, configured == null));
    }

    /**
     * The script config's {@code executeInTransaction}, or null when there is none: Flyway reads {@code V1__x.sql.conf}
     * and nothing else ({@code V1__x.conf} is ignored by Flyway, so lint ignores it too: honouring it hid the team's
     * config bug, the script running in Flyway's transaction after all, an outside tester's find).
     */
    private static Boolean flywayExecuteInTransaction(Path file, String name) throws IOException {
        Path conf = file.resolveSibling(name + ".conf");
        if (!Files.isRegularFile(conf)) {
            return null;
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(conf, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IOException(
                    "cannot read its script config " + conf.getFileName() + ": " + SqlFiles.describe(e), e);
        }
        String value = properties.getProperty("executeInTransaction");
        return value == null ? null : !value.strip().equalsIgnoreCase("false");
    }
}
