package dev.ddlguard.cli.lint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The layouts of two Node.js migration tools, and how each runs a file.
 *
 * <p>Prisma Migrate: {@code prisma/migrations/<timestamp>_<name>/migration.sql}, applied in folder-name
 * order. Prisma does not wrap a migration in a transaction (a maintainer, prisma/prisma discussion #3774:
 * "wrapping migrations in a transaction is considered in the future, but it's currently not implemented"),
 * but it sends the file as one query string, and PostgreSQL runs a string of several statements as one
 * implicit transaction (PostgreSQL manual, "Multiple Statements in a Simple Query"): that is why
 * {@code CREATE INDEX CONCURRENTLY} fails with 25001 in a migration that holds anything else
 * (prisma/orm issue #14456) and works alone. So: one statement runs on its own, several share a transaction.
 *
 * <p>Drizzle Kit: {@code <out>/<tag>.sql} listed in {@code <out>/meta/_journal.json}, applied in the
 * journal's order; drizzle-orm's {@code readMigrationFiles} splits each file on
 * {@code --> statement-breakpoint} and executes each piece separately, and its PostgreSQL
 * {@code PgDialect.migrate} runs every pending migration inside one {@code session.transaction} (drizzle-orm,
 * src/migrator.ts and src/pg-core/dialect.ts). Lint takes each file as a deploy of its own, so each file is
 * one transaction (see {@link LintCatalog} for what that means for the tables of earlier files).
 */
public final class PrismaDrizzle {

    static final String BREAKPOINT = "--> statement-breakpoint";

    /**
     * What the tool sends to the server for one migration file: the strings, one per execute, in order, and whether it
     * opens a transaction around them. Lint judges the file from this ({@link ScriptLayout}); it is public so that a
     * test can send the same files through the driver the same way, from this one statement of the tools' semantics.
     *
     * @param strings     Prisma: the whole file, one query string; Drizzle: the pieces between breakpoints
     * @param transaction whether the tool wraps them in a transaction (Drizzle); a string of several statements may
     *                    still run as one implicit transaction, as the server decides (PostgreSQL's simple query)
     */
    public record Sent(List<String> strings, boolean transaction) {

        public Sent {
            strings = List.copyOf(strings);
        }
    }

    /** Prisma's folder name: a 14-digit timestamp, an underscore, the migration's name. */
    private static final Pattern PRISMA_FOLDER = Pattern.compile("\\d{14}_.+");

    private static final Pattern JOURNAL_TAG = Pattern.compile("\"tag\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private PrismaDrizzle() {}

    /** How Prisma or Drizzle sends the file (see the class comment for the sources), or null when it is neither's. */
    public static Sent sent(Path file, String text) {
        if (isPrisma(file)) {
            return new Sent(List.of(text), false);
        }
        if (isDrizzle(file, text)) {
            List<String> pieces = Arrays.stream(text.split(Pattern.quote(BREAKPOINT)))
                    .filter(p -> !p.isBlank())
                    .toList();
            return new Sent(pieces, true);
        }
        return null;
    }

    static boolean isPrisma(Path file) {
        Path folder = file.toAbsolutePath().getParent();
        return file.getFileName().toString().equals("migration.sql")
                && folder != null
                && folder.getFileName() != null
                && PRISMA_FOLDER.matcher(folder.getFileName().toString()).matches();
    }

    static boolean isDrizzle(Path file, String text) {
        Path folder = file.toAbsolutePath().getParent();
        return text.contains(BREAKPOINT)
                || (folder != null && Files.isRegularFile(folder.resolve("meta/_journal.json")));
    }

    /**
     * The breakpoints as statement ends, padded to the same length so lines and columns stay where they are:
     * Drizzle executes the pieces separately even when a piece's last statement has no semicolon.
     */
    static String breakpointsAsSemicolons(String text) {
        return text.replace(BREAKPOINT, ";" + " ".repeat(BREAKPOINT.length() - 1));
    }

    /**
     * The position of each journaled file of a Drizzle folder in its journal (absolute, normalized paths), for
     * every {@code meta/_journal.json} among the files' folders. Files the journal does not list are not run
     * by Drizzle's migrator and get no position.
     */
    static Map<Path, Integer> journalOrder(Iterable<Path> files) {
        Map<Path, Integer> order = new HashMap<>();
        Map<Path, Boolean> read = new HashMap<>();
        for (Path file : files) {
            Path folder = file.toAbsolutePath().normalize().getParent();
            if (folder == null || read.putIfAbsent(folder, Boolean.TRUE) != null) {
                continue;
            }
            Path journal = folder.resolve("meta/_journal.json");
            if (!Files.isRegularFile(journal)) {
                continue;
            }
            try {
                Matcher tag = JOURNAL_TAG.matcher(Files.readString(journal, StandardCharsets.UTF_8));
                for (int i = 0; tag.find(); i++) {
                    order.putIfAbsent(folder.resolve(tag.group(1) + ".sql").normalize(), i);
                }
            } catch (IOException | RuntimeException e) {
                // an unreadable journal costs only the order: the files are still read, in natural order
            }
        }
        return order;
    }
}
